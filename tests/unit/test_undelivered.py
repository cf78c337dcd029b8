"""The undelivered list (未送达) and its way out at the seat, without a window or a centre:
what each undelivered change is, which ones a new number cures, where a change sent again
stands, and that the window's resend/renumber and ``agent-app sync --resend/--renumber``
take the same step (``services.undelivered.send_again``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from agent_app.domain import timeutil
from agent_app.domain.call_transcript import TranscriptLine
from agent_app.domain.followup import FollowupKind
from agent_app.domain.roles import Role
from agent_app.errors import UsageError
from agent_app.paths import DataPaths
from agent_app.services import audit, followup
from agent_app.services import undelivered as service
from agent_app.services.sync.engine import SyncEngine
from agent_app.services.workstation import Workstation
from agent_app.storage import repository as repo
from agent_app.storage.central.connect import parse_url
from agent_app.storage.models import OutboxRow, TicketRow
from tests.helpers.pg import add_tickets

ELSEWHERE = "20261205-S09-0003"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workstation]:
    w = Workstation(
        DataPaths(tmp_path / "seat").ensure(), seat="S01", operator_id="op1", demo=False
    )
    yield w
    w.close()


def _refuse(ws: Workstation, key: str, reason: str, *, op: str | None = None) -> None:
    """What the sync engine records when the centre refuses the changes filed under ``key``."""
    with ws.db.write() as s:
        query = select(OutboxRow.idempotency_key).where(
            OutboxRow.ticket_id == key, OutboxRow.sent_at.is_(None)
        )
        if op is not None:
            query = query.where(OutboxRow.op == op)
        keys = list(s.scalars(query))
        assert keys, key
        repo.mark_undelivered(s, {k: reason for k in keys}, timeutil.now())


def _deliver(ws: Workstation, key: str) -> None:
    """What the sync engine records when the centre accepts everything filed under ``key``."""
    with ws.db.write() as s:
        s.execute(
            update(OutboxRow)
            .where(OutboxRow.ticket_id == key, OutboxRow.sent_at.is_(None))
            .values(sent_at=timeutil.now())
        )
        s.execute(update(TicketRow).where(TicketRow.id == key).values(server_version=7))


def test_each_undelivered_change_says_what_it_is_and_whether_a_new_number_cures_it(ws):
    clash, closed, at_centre = add_tickets(ws.db, "S01", 3, operator="op1")
    _deliver(ws, at_centre)
    _deliver(ws, closed)  # the ticket's own change arrives; its transcript will not
    with ws.db.write() as s:  # an edit of a ticket the centre holds; a transcript of another
        ticket = repo.get_ticket(s, at_centre)
        assert ticket is not None
        repo.save_ticket(s, ticket, now=timeutil.now())
        repo.save_transcript(
            s, closed, [TranscriptLine(0, 1200, "喂，您好")], queue=True, now=timeutil.now()
        )
    followup.record_follow_up(
        ws.db, ELSEWHERE, FollowupKind.CHASE, text="请尽快处理", role=Role.OPERATOR,
        actor_id="op1", call_id="call-9",
    )  # fmt: skip
    _refuse(ws, clash, "number_taken")
    _refuse(ws, closed, "ticket_unknown", op=repo.TRANSCRIPT_OP)
    _refuse(ws, at_centre, "seat_mismatch")
    _refuse(ws, ELSEWHERE, "ticket is CLOSED: no unit works on it now")

    items, _ = ws.undelivered_items()
    by = {i.key: i for i in items}
    assert [i.key for i in items] == [clash, at_centre, closed, ELSEWHERE]  # queued first
    assert [(i.kind, i.reason) for i in items] == [
        ("ticket", "number_taken"),
        ("ticket", "seat_mismatch"),
        ("transcript", "ticket_unknown"),
        ("chase", "ticket is CLOSED: no unit works on it now"),
    ]
    # The same tickets, reasons and order as the status bar and `agent-app sync` list them.
    assert [(i.key, i.number, i.reason) for i in items] == [tuple(u) for u in ws.undelivered()]
    assert by[clash].renumberable
    assert not by[at_centre].renumberable  # the centre holds it: its number cannot change
    assert not by[closed].renumberable
    assert not by[ELSEWHERE].renumberable
    assert by[clash].ticket_id == clash
    assert not by[clash].at_centre
    assert by[ELSEWHERE].ticket_id == ""  # held at another seat: nothing to open here
    assert by[ELSEWHERE].number == ELSEWHERE
    assert all(i.since is not None and i.since.tzinfo is not None for i in items)
    assert by[clash].changes == 1


def test_a_repeat_call_on_a_ticket_the_seat_holds_opens_that_ticket(ws):
    (held,) = add_tickets(ws.db, "S01", 1, operator="op1")
    with ws.db.read() as s:
        number = s.scalar(select(TicketRow.number).where(TicketRow.id == held))
    _deliver(ws, held)
    # queued while the seat did not hold the ticket; a copy came with a later pull
    with ws.db.write() as s:
        repo.queue_follow_up(
            s, {"number": number, "kind": "supplement", "text": "补充", "at": None}, timeutil.now()
        )
    _refuse(ws, number, f"no ticket {number} at the centre")
    (item,) = ws.undelivered_items()[0]
    assert (item.kind, item.ticket_id, item.number) == ("supplement", held, number)


def test_where_a_change_sent_again_stands(ws):
    first, second = add_tickets(ws.db, "S01", 2, operator="op1")
    _refuse(ws, first, "number_taken")
    _refuse(ws, second, "number_not_yours")
    ws.resend(second)
    new_number = ws.renumber(first)
    assert new_number.endswith("-0003")
    items, states = ws.undelivered_items([first, second, "nothing-here"])
    assert items == []
    assert states[first] == service.Delivery(first, new_number, service.PENDING)
    assert states[second].state == service.PENDING
    assert states["nothing-here"].state == service.DELIVERED  # nothing waits under it
    _deliver(ws, second)
    _refuse(ws, first, "number_taken")  # refused again: the new reason is the row's
    items, states = ws.undelivered_items([first, second])
    assert [(i.key, i.number, i.reason) for i in items] == [(first, new_number, "number_taken")]
    assert states[first] == service.Delivery(first, new_number, service.UNDELIVERED, "number_taken")
    assert states[second] == service.Delivery(second, states[second].number, service.DELIVERED)


def test_a_ticket_that_still_breaks_a_rule_is_not_sent_and_says_which(ws):
    (tid,) = add_tickets(ws.db, "S01", 1, operator="op1")
    _refuse(ws, tid, "number_not_yours")
    with ws.db.write() as s:
        s.execute(update(TicketRow).where(TicketRow.id == tid).values(description="长" * 4001))
    with pytest.raises(repo.InvalidTicketError) as raised:
        ws.resend(tid)
    assert raised.value.code == "too_long:description"
    (item,) = ws.undelivered_items()[0]
    assert item.reason == "number_not_yours"  # nothing changed
    with pytest.raises(UsageError, match="no undelivered change"):
        with ws.db.write() as s:
            service.send_again(s, "not-a-ticket", seat="S01", now=timeutil.now())


def test_the_command_line_takes_the_same_step_for_every_ticket(ws, monkeypatch):
    a, b, c = add_tickets(ws.db, "S01", 3, operator="op1")
    _refuse(ws, a, "number_taken")
    _refuse(ws, b, "earlier_change_rejected")
    _refuse(ws, c, "number_not_yours")
    with ws.db.write() as s:  # c still breaks a rule: it stays undelivered
        s.execute(update(TicketRow).where(TicketRow.id == c).values(description="长" * 4001))
    steps: list[tuple[str, bool]] = []
    real = service.send_again

    def spy(session, key, *, seat, now, renumber=False):  # type: ignore[no-untyped-def]
        steps.append((key, renumber))
        return real(session, key, seat=seat, now=now, renumber=renumber)

    monkeypatch.setattr("agent_app.services.sync.engine.send_again", spy)
    engine = SyncEngine(ws.db, parse_url("postgresql://op1@127.0.0.1:9/central"), seat="S01")
    assert engine.resend_undelivered(renumber=True) == {
        "resent": 2,
        "renumbered": 1,
        "still_invalid": 1,
    }
    assert steps == [(a, True), (b, False), (c, True)]
    (left,) = ws.undelivered_items()[0]
    assert (left.key, left.reason) == (c, "number_not_yours")
    with ws.db.read() as s:
        numbers = {i: n for i, n in s.execute(select(TicketRow.id, TicketRow.number))}
    assert numbers[a].endswith("-0004")
    assert numbers[b].endswith("-0002")


# 更正: correcting a ticket refused for its content ----------------------------------------------


def _too_long(ws: Workstation, tid: str) -> None:
    """The ticket's description breaks a rule and its change was refused for it."""
    with ws.db.write() as s:
        s.execute(update(TicketRow).where(TicketRow.id == tid).values(description="长" * 4001))
    _refuse(ws, tid, "too_long:description")


def test_content_reasons_name_their_field() -> None:
    assert service.content_field("too_long:description") == "description"
    assert service.content_field("missing:place.address") == "place.address"
    assert service.content_field("future_date:created_at") == "created_at"
    assert service.content_field("number_taken") is None
    assert service.content_field("immutable_changed:number") is None
    assert service.content_field("transition_not_allowed:INTAKE>CLOSED") is None
    assert service.content_field("") is None


def test_field_problems_name_every_broken_field_with_the_centres_rules(ws: Workstation) -> None:
    (tid,) = add_tickets(ws.db, "S01", 1, operator="op1")
    ticket = ws.ticket(tid)
    assert ticket is not None
    assert service.field_problems(ticket, {"description": "路灯不亮"}) == {}
    problems = service.field_problems(
        ticket, {"description": "长" * 4001, "place.address": "路" * 257, "notes": "ok"}
    )
    assert problems == {
        "description": "too_long:description",
        "place.address": "too_long:place.address",
    }
    # control characters and unnormalised text are cleaned as a save cleans them
    assert service.field_problems(ticket, {"description": "灯\x07不亮"}) == {}
    assert service.field_problems(ticket, {"caller.phones": ["1"] * 6}) == {
        "caller.phones": "too_many:caller.phones"
    }


def test_a_correction_is_one_field_change_and_one_change_sent(ws: Workstation) -> None:
    (tid,) = add_tickets(ws.db, "S01", 1, operator="op1")
    _too_long(ws, tid)
    with ws.db.read() as s:
        found = service.correction(s, tid)
    assert found is not None
    assert (found.at_centre, found.undelivered, found.reason) == (
        False,
        True,
        "too_long:description",
    )
    before = ws.ticket(tid)
    assert before is not None
    # still broken: nothing written, the code says what
    with pytest.raises(repo.InvalidTicketError) as broken:
        service.save_correction(
            ws.db, tid, {"description": "长" * 4001}, actor_id="op1", role="operator",
            now=timeutil.now(),
        )  # fmt: skip
    assert broken.value.code == "too_long:description"
    assert ws.ticket(tid) == before
    changed = service.save_correction(
        ws.db, tid, {"description": "楼道灯不亮，请尽快维修。", "notes": before.notes},
        actor_id="op1", role="operator", now=timeutil.now(),
    )  # fmt: skip
    assert changed == ["description"]
    after = ws.ticket(tid)
    assert after is not None
    assert after.description == "楼道灯不亮，请尽快维修。"
    event = after.events[-1]
    assert (event.kind, event.actor_id, event.actor_role, event.data) == (
        "field_change",
        "op1",
        "operator",
        {"fields": ["description"]},
    )
    with ws.db.read() as s:
        waiting = list(
            s.scalars(
                select(OutboxRow).where(OutboxRow.ticket_id == tid, OutboxRow.sent_at.is_(None))
            )
        )
    assert len(waiting) == 1  # exactly one change goes
    assert waiting[0].undelivered_at is None
    assert waiting[0].payload["description"] == "楼道灯不亮，请尽快维修。"
    assert waiting[0].payload["events"][-1]["kind"] == "field_change"
    assert ws.undelivered() == []
    with pytest.raises(UsageError):  # nothing undelivered any more
        service.save_correction(
            ws.db, tid, {"description": "x"}, actor_id="op1", role="operator", now=timeutil.now()
        )


def test_a_ticket_the_centre_accepted_is_not_corrected_here(ws: Workstation) -> None:
    (tid,) = add_tickets(ws.db, "S01", 1, operator="op1")
    with ws.db.write() as s:
        repo.mark_synced(s, tid, 7)
    _too_long(ws, tid)
    (item,) = ws.undelivered_items()[0]
    assert item.at_centre
    assert item.about_content
    with pytest.raises(service.AcceptedTicketError):
        service.save_correction(
            ws.db, tid, {"description": "短"}, actor_id="op1", role="operator", now=timeutil.now()
        )
    assert ws.ticket(tid).description == "长" * 4001  # type: ignore[union-attr]


def test_the_callers_data_is_shown_for_correction_only_when_refused_for_it_and_audited(
    ws: Workstation,
) -> None:
    first, second = add_tickets(ws.db, "S01", 2, operator="op1")
    _too_long(ws, first)
    _refuse(ws, second, "too_long:caller.name")
    plain = service.open_correction(
        ws.db, first, "too_long:description", actor="op1", role="operator"
    )
    assert plain is not None
    assert not plain.revealed
    assert audit.entries(ws.db) == []
    shown = service.open_correction(
        ws.db, second, "too_long:caller.name", actor="op1", role="operator"
    )
    assert shown is not None
    assert shown.revealed
    (entry,) = audit.entries(ws.db)
    assert (entry.action, entry.ticket_id, entry.field, entry.actor_id) == (
        audit.UNMASK,
        second,
        audit.FIELD_CALLER,
        "op1",
    )
