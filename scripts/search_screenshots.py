"""Screenshots of 工单查询 (the side tab with results) and of a ticket's detail window (its
timeline, the unit's feedback, related tickets, the next steps a shift lead may take), at
1366x820, in Chinese or English.

The window is built as the composition root builds it (offscreen, CJK font) on a throwaway
seat seeded with the demo week, plus one heating ticket that went the whole way to the
callback (signed, contacted, handled, the unit's reply, 回访) and a repeat call merged into it.
Writes ``docs/screenshot-search-{zh,en}-1366x820.png`` and
``docs/screenshot-detail-{zh,en}-1366x820.png``.

    .venv/bin/python scripts/search_screenshots.py [--lang zh|en] [--out docs]
"""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from agent_app.domain import timeutil
from agent_app.domain.lifecycle import Status
from agent_app.domain.roles import Role
from agent_app.domain.ticket import (
    Caller,
    Outcome,
    Place,
    RequestType,
    Ticket,
    TicketEvent,
)
from agent_app.services.seeding import seed_demo
from agent_app.services.workstation import Workstation
from agent_app.ui.ticket_detail import TicketDetailWindow
from benchmarks.bench_operator_actions import wait_until
from scripts._shots import application, arguments, operator_window, out_dir

SIZE = (1366, 820)
PHONE = "+8613812345678"


def whole_life(ws: Workstation) -> Ticket:
    """A heating ticket from the call to the callback, and a repeat call merged into it."""
    now = timeutil.now()
    at = now - timedelta(hours=20)
    day = f"{at:%Y%m%d}"
    ticket = Ticket(
        id=Ticket.new_id(), number=f"{day}-{ws.seat}-0901", created_at=at, updated_at=at,
        seat=ws.seat, operator_id=ws.operator_id, caller=Caller("张红梅", (PHONE,)),
        request_type=RequestType.HELP, category_code="", category_name="公共服务/供暖/室温不达标",
        place=Place(address="朝阳区望京街道望京西园三区5号楼2单元", district="朝阳区",
                    township="望京街道", community="望京西园三区社区"),
        urgency="utility", main_unit="北京市热力集团有限责任公司",
        co_units=("朝阳区望京街道办事处",), due_at=at + timedelta(hours=24),
        description="来电人反映望京西园三区5号楼暖气不热，室温只有十五度，整栋楼都不热，"
        "已持续两天，联系物业未解决，诉求尽快维修。",
        notes="来电人家中有八旬老人。", outcome=Outcome.DISPATCHED,
        extra={"answers": {"室内温度": "十五度", "影响范围": "整栋楼", "开始时间": "前天晚上"}},
        events=(TicketEvent(at=at, kind="created", actor_role="operator",
                            actor_id=ws.operator_id),),
    )  # fmt: skip
    step = ticket.transition(
        Status.DISPATCHED, Role.OPERATOR, ws.operator_id, at + timedelta(minutes=4),
        main_unit=ticket.main_unit,
    )  # fmt: skip
    for hours, status in ((1, Status.SIGNED), (2, Status.CONTACTED), (3, Status.IN_PROGRESS)):
        step = step.transition(status, Role.HANDLER, "热力集团望京站", at + timedelta(hours=hours))
    reply = TicketEvent(
        at=at + timedelta(hours=7), kind="reply", actor_role="handler", actor_id="热力集团望京站",
        data={"text": "经查为5号楼供暖支线阀门故障，已于当日更换阀门并逐户排气，"
              "回访时室温二十度，来电人表示认可。"},
    )  # fmt: skip
    step = replace(step, events=(*step.events, reply))
    step = step.transition(Status.REPLIED, Role.HANDLER, "热力集团望京站", at + timedelta(hours=7))
    step = step.transition(Status.REVISIT, Role.SYSTEM, "system", at + timedelta(hours=8))
    ws.save_ticket(step)
    again_at = at + timedelta(hours=2)
    again = Ticket(
        id=Ticket.new_id(), number=f"{day}-{ws.seat}-0902", created_at=again_at,
        updated_at=again_at, seat=ws.seat, operator_id=ws.operator_id,
        caller=Caller("张红梅", (PHONE,)), description="再次反映望京西园三区5号楼暖气不热。",
        outcome=Outcome.MERGED, merged_into=step.number,
        events=(TicketEvent(at=again_at, kind="created", actor_role="operator",
                            actor_id=ws.operator_id),),
    )  # fmt: skip
    ws.save_ticket(
        again.transition(Status.MERGED_DUPLICATE, Role.OPERATOR, ws.operator_id, again_at)
    )
    return step


def save(widget: QWidget, target: Path) -> bool:
    QApplication.processEvents()
    QTest.qWait(300)
    ok = widget.grab().save(str(target), "PNG")
    print(target if ok else f"could not write {target}")  # noqa: T201
    return ok


def main() -> int:
    args = arguments(__doc__).parse_args()
    out = out_dir(args)
    application(args.lang)
    with operator_window("search-shots-") as (window, _panes, _tmp):
        detail: TicketDetailWindow | None = None
        try:
            ws = window.ctx.workstation
            seed_demo(ws.db, extra_tickets=60, seat=ws.seat, operator=ws.operator_id)
            ticket = whole_life(ws)
            window.resize(*SIZE)
            tab = window.search_tab
            window.side.setCurrentWidget(tab)
            tab.text.setText("暖气")
            tab.search()
            wait_until(lambda: tab.result() is not None, "the search results", 30)
            if not save(window, out / f"screenshot-search-{args.lang}-{SIZE[0]}x{SIZE[1]}.png"):
                return 1
            # as a shift lead sees it: 回访 → 办结 / 重办 are the lead's (the centre's) steps
            detail = TicketDetailWindow(window.ctx.runner, ws, Role.LEAD)
            detail.resize(*SIZE)
            detail.open(ticket.id)
            wait_until(lambda: detail is not None and detail.presenter.state.detail is not None,
                       "the ticket", 30)  # fmt: skip
            if not save(detail, out / f"screenshot-detail-{args.lang}-{SIZE[0]}x{SIZE[1]}.png"):
                return 1
        finally:
            if detail is not None:
                detail.close()
                detail.deleteLater()
    return 0


if __name__ == "__main__":
    sys.exit(main())
