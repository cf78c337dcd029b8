"""Progress and repeat calls on an existing ticket, and merges on both sides, at the seat:
events on the ticket (no new ticket), queued for the centre; the original counts the calls
merged into it, and they close when it closes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from agent_app.domain import followup, timeutil
from agent_app.domain.followup import FollowupKind
from agent_app.domain.intake import IntakeDraft, build_ticket
from agent_app.domain.lifecycle import Status
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Outcome, Ticket
from agent_app.errors import UsageError
from agent_app.paths import DataPaths
from agent_app.services import followup as service
from agent_app.services.workstation import Workstation
from agent_app.storage import repository as repo
from agent_app.storage.models import OutboxRow
from tests.helpers.pg import add_tickets

STREET = "朝阳区呼家楼街道办事处"


@pytest.fixture
def ws(tmp_path: Path):  # type: ignore[no-untyped-def]
    w = Workstation(
        DataPaths(tmp_path / "seat").ensure(), seat="S01", operator_id="op1", demo=False
    )
    yield w
    w.close()


def _get(ws: Workstation, number: str) -> Ticket:
    with ws.db.read() as s:
        t = repo.get_ticket_by_number(s, number)
    assert t is not None
    return t


def _outbox(ws: Workstation) -> int:
    with ws.db.read() as s:
        return s.query(OutboxRow).count()


def _merge(ws: Workstation, into: str) -> Ticket:
    draft = IntakeDraft(phone="13900001111", description="同一处路灯不亮", merge_target=into)

    def build(number: str) -> Ticket:
        return build_ticket(
            draft, Outcome.MERGED, at=timeutil.now(), seat="S01", operator_id="op1",
            role=Role.OPERATOR, number=number,
        )  # fmt: skip

    return ws.finish_intake(build, draft_id=None)


def test_a_progress_call_supplement_and_chase_are_events_on_the_ticket_not_tickets(
    ws: Workstation,
) -> None:
    (tid,) = add_tickets(ws.db, "S01", 1, unit=STREET, operator="op1")
    with ws.db.read() as s:
        number = repo.get_ticket(s, tid).number  # type: ignore[union-attr]
    before, queued = _get(ws, number), _outbox(ws)
    for kind, text in (
        (FollowupKind.PROGRESS, "已告知：街道已签收，正在办理"),
        (FollowupKind.SUPPLEMENT, "灯杆编号 A-17，联系电话 13812345678"),
        (FollowupKind.CHASE, "来电人催促尽快修复"),
    ):
        service.follow_up(ws.db, number, kind, text=text, role=Role.OPERATOR, actor_id="op1")
    after = _get(ws, number)
    with ws.db.read() as s:
        assert repo.count_tickets(s) == 1  # no new ticket
    assert after.status is before.status
    assert [e.kind for e in after.events[len(before.events) :]] == [
        "progress_call", "supplement", "chase",
    ]  # fmt: skip
    shown = followup.life(after)
    assert [f["kind"] for f in shown["followups"]] == ["progress_call", "supplement", "chase"]
    assert "13812345678" not in shown["followups"][1]["text"]  # the unit reads it: masked
    assert "138****5678" in shown["followups"][1]["text"]
    assert shown["chases"] == 1
    assert _outbox(ws) == queued + 3  # each one goes to the centre
    day = timeutil.now().replace(hour=0, minute=0, second=0, microsecond=0)
    counts = service.handled_calls(ws.paths.database, "op1", day, day + timedelta(days=1))
    assert counts["progress_call"] == 1
    assert counts["handled"] == counts["tickets"] + 3


def test_a_supplement_needs_words_and_a_unit_and_a_retried_call_is_recorded_once(
    ws: Workstation,
) -> None:
    (tid,) = add_tickets(ws.db, "S01", 1, unit=STREET, operator="op1")
    number = _get_number(ws, tid)
    with pytest.raises(UsageError, match="needs a text"):
        service.follow_up(
            ws.db, number, FollowupKind.SUPPLEMENT, text=" ", role=Role.OPERATOR, actor_id="op1"
        )
    with pytest.raises(UsageError, match="does not take"):
        service.follow_up(
            ws.db, number, FollowupKind.CHASE, text="快", role=Role.HANDLER, actor_id="h1"
        )
    for _ in range(2):
        service.follow_up(
            ws.db, number, FollowupKind.PROGRESS, role=Role.OPERATOR, actor_id="op1",
            call_id="call-1",
        )  # fmt: skip
    assert len(followup.followups(_get(ws, number))) == 1
    with pytest.raises(UsageError, match="no ticket"):
        service.follow_up(
            ws.db, "20991231-S01-9999", FollowupKind.PROGRESS, role=Role.OPERATOR, actor_id="o"
        )
    closed = replace(_get(ws, number), status=Status.CLOSED)
    assert followup.follow_up_problem(closed, FollowupKind.CHASE)
    assert followup.follow_up_problem(closed, FollowupKind.PROGRESS) is None


def _get_number(ws: Workstation, tid: str) -> str:
    with ws.db.read() as s:
        t = repo.get_ticket(s, tid)
    assert t is not None
    return t.number


def test_the_original_counts_each_merged_call_and_closes_them_when_it_closes(
    ws: Workstation,
) -> None:
    (tid,) = add_tickets(ws.db, "S01", 1, unit=STREET, operator="op1")
    original = _get_number(ws, tid)
    first, second = _merge(ws, original), _merge(ws, original)
    assert first.status is second.status is Status.MERGED_DUPLICATE
    t = _get(ws, original)
    shown = followup.life(t)
    assert shown["merged"] == [first.number, second.number]
    assert shown["callers"] == 3
    assert [e.data["callers"] for e in t.events if e.kind == "merged_call"] == [2, 3]
    with pytest.raises(UsageError, match="merged into"):
        service.follow_up(
            ws.db, first.number, FollowupKind.CHASE, text="催", role=Role.OPERATOR, actor_id="op1"
        )
    # The lead closes the original (here: straight to CLOSED); both merged tickets follow.
    now = timeutil.now()
    with ws.db.write() as s:
        done = replace(t, status=Status.REVISIT).transition(
            Status.CLOSED, Role.LEAD, "lead1", now, action="callback"
        )
        repo.save_ticket(s, done, now=now)
        closed = service.close_merged(s, done, role=Role.LEAD, actor_id="lead1", now=now)
    assert {c.number for c in closed} == {first.number, second.number}
    for number in (first.number, second.number):
        m = _get(ws, number)
        assert m.status is Status.CLOSED
        assert m.events[-1].data == {
            "action": "merged_close", "original": original, "original_status": "CLOSED",
        }  # fmt: skip
    # A call merged into a ticket that is closed already closes at once.
    late = _merge(ws, original)
    assert late.status is Status.CLOSED
    assert followup.callers(_get(ws, original)) == 4


def test_the_command_line_says_in_one_line_what_to_do_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from agent_app.cli import main  # noqa: PLC0415 - the whole command line, on use
    from tests.helpers.pg import new_seat  # noqa: PLC0415

    missing = tmp_path / "nowhere"
    assert main(["ticket", "chase", "X", "--text", "催", "--data-dir", str(missing)]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "no seat database" in err
    seat = tmp_path / "seat"
    new_seat(seat).dispose()
    assert main(["ticket", "progress", "X", "--text", "已告知", "--data-dir", str(seat)]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "sync --once" in err  # who acts comes from the centre
