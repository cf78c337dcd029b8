"""Simulated handling units for demo and training (演示/培训: 模拟承办单位).

On a demo seat only, the units act on the seat's dispatched demo tickets on a plausible
clock: most sign soon, contact the caller, and reply with a feedback text for the category;
some object to the dispatch (a reason code) or ask for more time, so the shift lead's rulings
and the callbacks have work.  Each action is :func:`agent_app.domain.unit_act.unit_act`
(the lifecycle table, actor role handler, the ticket's main unit) saved through
:func:`agent_app.storage.repository.save_ticket` without an outbox row; every event it writes
says ``demo: true``.  A seat that is not a demo seat is refused, and a ticket not marked demo
is never touched.

``speed`` scales the clock: 1 = the units take real minutes, 60 = an hour passes per minute.
What a unit does next and how long it takes is drawn from ``seed``, the ticket and how far it
got, so the same tickets and clock give the same actions (tests inject the clock).  No Qt here.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from agent_app.domain import timeutil
from agent_app.domain.lifecycle import OBJECTION_REASONS, Status, UnitAction
from agent_app.domain.unit_act import unit_act
from agent_app.errors import ConfigError

if TYPE_CHECKING:
    from agent_app.domain.ticket import Ticket
    from agent_app.paths import DataPaths
    from agent_app.storage.db import Database

DEFAULT_SPEED = 60
"""An hour of the units' work per real minute: a trainer sees tickets signed within a minute."""
SIM_ACTOR = "demo-unit"
LOOKBACK = timedelta(days=1)
"""Only tickets changed within this (real) time are worked on: today's, not last week's."""
MAX_ACTIONS = 5
"""At most this many actions per step, so a backlog moves a few tickets at a time."""
ACTIVE: tuple[Status, ...] = (
    Status.DISPATCHED,
    Status.REOPENED,
    Status.SIGNED,
    Status.CONTACTED,
    Status.IN_PROGRESS,
)

# Feedback (办结反馈) per first-level category; {unit} is the handling unit.
REPLY_TEXTS: dict[str, str] = {
    "城市管理": "{unit}已安排城管执法及环卫人员到现场核查处置，问题已整改，已电话告知诉求人处理结果。",
    "城乡建设": "{unit}已联系施工单位及属地社区现场核实，责令其规范施工作业时间，后续将加强巡查。",
    "公共服务": "{unit}已派维修人员上门检修，设施已恢复正常，已向诉求人说明原因及后续保障措施。",
    "交通管理": "{unit}已会同交通部门现场勘查，已加强该路段巡查管理并设置提示标识。",
    "住房保障": "{unit}已约谈物业服务企业，督促其按合同履行服务义务，已向诉求人反馈整改情况。",
    "环境保护": "{unit}已安排执法人员现场检查，督促相关单位落实降噪治污措施，将持续跟踪。",
    "劳动和社会保障": "{unit}已向诉求人解释相关政策及办理流程，并告知所需材料和受理窗口。",
    "卫生健康": "{unit}已核实情况并向诉求人说明报销政策及办理途径，诉求人表示理解。",
    "市场管理": "{unit}已联系经营者进行调解，督促其依法履行约定，已告知诉求人后续维权途径。",
    "教育文体": "{unit}已向诉求人详细解释相关政策及办理时间节点，诉求人表示认可。",
    "民政": "{unit}已联系社区工作人员上门了解情况，为诉求人对接相应服务资源。",
    "社会秩序": "{unit}已会同社区民警及网格员入户宣传劝导，将加强日常巡查。",
}
DEFAULT_REPLY = "{unit}已联系诉求人了解情况，按职责进行了处理，并已向诉求人反馈办理结果。"
OBJECTION_TEXTS: dict[str, str] = {
    "not_ours": "经核实，该诉求不属于本单位职责范围，建议改派主管部门。",
    "wrong_place": "经现场核实，诉求地点不在本单位辖区，建议改派属地单位。",
    "duplicate": "该诉求与本单位在办工单内容相同，建议并单处理。",
    "not_actionable": "诉求人所提事项缺少具体地点和内容，无法办理。",
    "other": "该事项需由多部门会商确定主责单位，申请退回。",
}
CONTACT_TEXT = "已电话联系诉求人，了解具体情况并约定处理时间。"
EXTEND_TEXT = "需协调相关部门及施工单位，办理周期较长，申请延期。"


@dataclass(frozen=True)
class Plan:
    """What the unit does next with a ticket, and after how many (simulated) minutes."""

    action: UnitAction
    after_minutes: float
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class StepReport:
    """One step: the actions taken, as (number, action, new status)."""

    acted: list[tuple[str, str, str]] = field(default_factory=list)
    waiting: int = 0


def _level1(ticket: Ticket) -> str:
    return ticket.category_name.split("/", 1)[0].strip()


def _was(ticket: Ticket, status: Status) -> bool:
    return any(e.kind == "transition" and e.to_status == status.value for e in ticket.events)


def plan(ticket: Ticket, rng: random.Random) -> Plan | None:
    """The unit's next action for ``ticket`` (None: it waits for the centre or the lead).

    An objection is raised at most once per ticket and unit, an extension asked at most
    once; a ticket the lead sent back to the unit is signed and worked on."""
    status = ticket.status
    objected = _was(ticket, Status.DISPUTED) and not any(
        e.data.get("ruling") == "upheld" for e in ticket.events
    )
    if status in (Status.DISPATCHED, Status.SIGNED) and not objected and rng.random() < 0.07:
        code = rng.choice(OBJECTION_REASONS)
        return Plan(
            UnitAction.OBJECT,
            rng.uniform(10, 40),
            {"reason_code": code, "reason": OBJECTION_TEXTS[code]},
        )
    if status in (Status.DISPATCHED, Status.REOPENED):
        return Plan(UnitAction.SIGN, rng.uniform(3, 25))
    if status is Status.SIGNED:
        return Plan(UnitAction.CONTACT, rng.uniform(10, 60), {"text": CONTACT_TEXT})
    if status in (Status.CONTACTED, Status.IN_PROGRESS):
        if not _was(ticket, Status.EXTENSION_REQUESTED) and rng.random() < 0.12:
            return Plan(
                UnitAction.EXTEND,
                rng.uniform(60, 240),
                {"days": rng.randint(3, 10), "reason": EXTEND_TEXT},
            )
        template = REPLY_TEXTS.get(_level1(ticket), DEFAULT_REPLY)
        roll = rng.random()
        result = "resolved" if roll < 0.8 else ("partly" if roll < 0.95 else "unresolved")
        return Plan(
            UnitAction.REPLY,
            rng.uniform(60, 480),
            {"result": result, "text": template.format(unit=ticket.main_unit)},
        )
    return None


class UnitSimulator:
    """Acts for the handling units of a demo seat; call :meth:`step` every few seconds."""

    def __init__(
        self,
        paths: DataPaths,
        db: Callable[[], Database],
        *,
        speed: float = DEFAULT_SPEED,
        seed: int | str = 12345,
        clock: Callable[[], datetime] = timeutil.now,
    ) -> None:
        if not paths.is_demo:
            raise ConfigError(
                f"{paths.root} is a real seat: the units simulator runs on demo data only"
            )
        if speed <= 0:
            raise ConfigError("unit_sim_speed must be a positive number")
        self.paths = paths
        self._db = db
        self.speed = float(speed)
        self.seed = seed
        self.clock = clock

    def rng_for(self, ticket: Ticket) -> random.Random:
        """The same draws for the same ticket at the same point of its life."""
        return random.Random(f"{self.seed}:{ticket.id}:{len(ticket.events)}")

    def due(self, ticket: Ticket, now: datetime) -> Plan | None:
        """The plan for ``ticket`` if its time has come at ``now``."""
        if not ticket.is_demo or not ticket.main_unit or ticket.status not in ACTIVE:
            return None
        step = plan(ticket, self.rng_for(ticket))
        if step is None:
            return None
        since = ticket.events[-1].at if ticket.events else ticket.updated_at or ticket.created_at
        elapsed_min = (now - since).total_seconds() / 60.0 * self.speed
        return step if elapsed_min >= step.after_minutes else None

    def _candidates(self, db: Database, now: datetime) -> list[Ticket]:
        from sqlalchemy import select  # noqa: PLC0415 - the ORM, on first use (worker thread)

        from agent_app.storage import repository as repo  # noqa: PLC0415
        from agent_app.storage.models import TicketRow  # noqa: PLC0415

        with db.read() as s:
            ids = list(
                s.scalars(
                    select(TicketRow.id)
                    .where(
                        TicketRow.is_demo.is_(True),
                        TicketRow.status.in_([st.value for st in ACTIVE]),
                        TicketRow.updated_at >= now - LOOKBACK,
                    )
                    .order_by(TicketRow.updated_at, TicketRow.number)
                )
            )
            tickets = [repo.get_ticket(s, i) for i in ids]
        return [t for t in tickets if t is not None]

    def anything_due(self) -> bool:
        """Whether a unit would act now (a read: the window runs :meth:`step` only then)."""
        now = self.clock()
        return any(self.due(t, now) is not None for t in self._candidates(self._db(), now))

    def step(self) -> StepReport:
        """Act on every demo ticket whose next action is due (at most :data:`MAX_ACTIONS`),
        each in its own write transaction."""
        from agent_app.storage import repository as repo  # noqa: PLC0415 - the ORM, on first use

        now = self.clock()
        db = self._db()
        report = StepReport()
        ids = [t.id for t in self._candidates(db, now) if self.due(t, now) is not None]
        for ticket_id in ids:
            if len(report.acted) >= MAX_ACTIONS:
                break
            with db.write() as s:
                ticket = repo.get_ticket(s, ticket_id)
                todo = self.due(ticket, now) if ticket is not None else None
                if ticket is None or todo is None:
                    report.waiting += 1
                    continue
                changed = unit_act(
                    ticket,
                    todo.action,
                    actor_id=SIM_ACTOR,
                    now=now,
                    extra={"demo": True},
                    **todo.args,
                )
                repo.save_ticket(s, changed, outbox=False, now=now)
                report.acted.append((changed.number, todo.action.value, changed.status.value))
        return report
