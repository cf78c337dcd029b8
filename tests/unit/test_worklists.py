"""The worklists' rows from a seat database: what the lead rules on (with the unit's reason)
and which tickets wait for a callback (replied first, then overdue, with the re-handling
count), the extension's new due time as the ruling counts it, and where an upheld objection
may send the ticket."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from agent_app.domain import followup, timeutil
from agent_app.domain.lifecycle import Status, UnitAction
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Caller, Place, Ticket, TicketEvent
from agent_app.domain.unit_act import unit_act
from agent_app.errors import TransitionError, UsageError
from agent_app.paths import DataPaths
from agent_app.services.catalogue import Catalogue, load_work_calendar
from agent_app.services.worklists import (
    callbacks,
    extension_preview,
    lead_requests,
    redispatch_choices,
)
from agent_app.storage import repository as repo
from agent_app.storage.db import Database
from agent_app.storage.seat import open_database

UNIT = "呼家楼街道办事处"
NOW = timeutil.now()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(DataPaths(tmp_path / "seat"))
    yield database
    database.dispose()


def _ticket(n: int, *, hours_ago: float = 10, due_in: timedelta = timedelta(days=3)) -> Ticket:
    at = NOW - timedelta(hours=hours_ago)
    return Ticket(
        id=Ticket.new_id(), number=f"{at:%Y%m%d}-S01-{n:04d}", created_at=at, updated_at=at,
        seat="S01", operator_id="op1", caller=Caller("王芳", ("+8613812345678",)),
        description="垃圾没人清运", category_code="04.01.002",
        category_name="城市管理/市容环境卫生/垃圾清运不及时",
        place=Place(address="朝阳区呼家楼北街5号", district="朝阳区", district_code="110105",
                    township="呼家楼街道", township_code="110105003"),
        main_unit=UNIT, due_at=at + due_in,
        events=(TicketEvent(at=at, kind="created", actor_role="operator", actor_id="op1"),),
    ).transition(Status.DISPATCHED, Role.OPERATOR, "op1", at)  # fmt: skip


def _act(t: Ticket, *steps: tuple[UnitAction, dict[str, object]]) -> Ticket:
    at = t.created_at
    for action, args in steps:
        at += timedelta(minutes=30)
        t = unit_act(t, action, actor_id="unit", now=at, **args)
    return t


REPLY = (UnitAction.REPLY, {"text": "已清运", "result": "partly"})
WORKED = ((UnitAction.SIGN, {}), (UnitAction.CONTACT, {"text": "已联系"}))


def _save(db: Database, *tickets: Ticket) -> None:
    with db.write() as s:
        for t in tickets:
            repo.save_ticket(s, t, outbox=False, now=t.updated_at)


def test_the_leads_list_holds_objections_and_extension_requests_with_the_units_reason(
    db: Database,
) -> None:
    objected = _act(
        _ticket(1), (UnitAction.OBJECT, {"reason_code": "not_ours", "reason": "非我单位"})
    )
    extended = _act(_ticket(2), *WORKED, (UnitAction.EXTEND, {"days": 4, "reason": "需协调"}))
    _save(db, objected, extended, _act(_ticket(3), (UnitAction.SIGN, {})))
    rows = {r.number: r for r in lead_requests(db)}
    assert set(rows) == {objected.number, extended.number}
    o, e = rows[objected.number], rows[extended.number]
    assert (o.kind, o.reason_code, o.reason, o.unit) == ("objection", "not_ours", "非我单位", UNIT)
    assert (e.kind, e.days, e.reason) == ("extension", 4, "需协调")
    assert e.asked_at == extended.events[-1].at


def test_callbacks_list_replies_then_overdue_tickets_with_the_rehandling_count(
    db: Database,
) -> None:
    replied = _act(_ticket(1), *WORKED, REPLY)
    overdue = _ticket(2, hours_ago=30, due_in=timedelta(hours=2))
    waiting = _act(_ticket(3), *WORKED)  # within its limit: no callback yet
    again = followup.record_callback(
        _act(_ticket(4, hours_ago=20), *WORKED, REPLY), resolved=False, satisfaction="不满意",
        role=Role.LEAD, actor_id="lead", now=NOW - timedelta(hours=5),
    )  # fmt: skip
    again = _act(again, (UnitAction.SIGN, {}), *WORKED[1:], REPLY)
    _save(db, replied, overdue, waiting, again)
    rows = callbacks(db, NOW)
    assert [r.number for r in rows][-1] == overdue.number
    assert {r.number for r in rows} == {replied.number, overdue.number, again.number}
    by = {r.number: r for r in rows}
    assert (by[replied.number].why, by[replied.number].reply_text) == ("replied", "已清运")
    assert by[replied.number].reply_result == "partly"
    assert by[overdue.number].why == "overdue"
    assert by[overdue.number].replied_at is None
    assert by[again.number].rehandled == 1
    assert by[replied.number].caller == "王* 138****5678"
    assert "13812345678" not in repr(rows)  # the rows never carry the number


def test_the_extension_preview_is_the_due_time_the_ruling_gives(db: Database) -> None:
    extended = _act(_ticket(1), *WORKED, (UnitAction.EXTEND, {"days": 5, "reason": "需协调"}))
    calendar = load_work_calendar()
    preview = extension_preview(extended, calendar=calendar)
    ruled = followup.rule_extension(
        extended, approve=True, role=Role.LEAD, actor_id="lead", now=NOW, calendar=calendar
    )
    assert preview == ruled.due_at
    assert preview is not None
    assert preview > extended.due_at  # type: ignore[operator]


def test_an_upheld_objection_is_offered_the_catalogues_units_but_not_the_objecting_one() -> None:
    choices = redispatch_choices(Catalogue.load(), _ticket(1))
    assert UNIT not in choices.proposed
    assert choices.proposed[0] == "朝阳区人民政府"
    assert "朝阳区城市管理委员会" in choices.proposed
    assert len(choices.all_units) > 100
    assert "北京市热力集团有限责任公司" in choices.all_units


def test_a_reopened_ticket_is_re_dispatched_by_the_lead_with_a_new_limit() -> None:
    reopened = followup.record_callback(
        _act(_ticket(1, hours_ago=20), *WORKED, REPLY), resolved=False, satisfaction="不满意",
        role=Role.LEAD, actor_id="lead", now=NOW - timedelta(hours=1),
    )  # fmt: skip
    assert reopened.status is Status.REOPENED
    again = followup.redispatch_reopened(
        reopened, to_unit="朝阳区城市管理委员会", role=Role.LEAD, actor_id="lead", now=NOW
    )
    assert again.status is Status.DISPATCHED
    assert again.main_unit == "朝阳区城市管理委员会"
    assert again.events[-1].data["from_unit"] == UNIT
    assert again.due_at is not None
    assert again.due_at > NOW
    with pytest.raises(TransitionError):  # the centre's step: an operator may not take it
        followup.redispatch_reopened(
            reopened, to_unit=UNIT, role=Role.OPERATOR, actor_id="op1", now=NOW
        )
    with pytest.raises(UsageError):  # only a reopened ticket
        followup.redispatch_reopened(again, to_unit=UNIT, role=Role.LEAD, actor_id="lead", now=NOW)
