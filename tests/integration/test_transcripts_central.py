"""Call transcripts reach the centre, against the real PostgreSQL: a dispatched call's
transcript arrives exactly once after sync (also after a lost answer and after a resend), a
repeat call's transcript arrives linked to its follow-up event, a forged or oversized
transcript is refused with a reason and shown as undelivered (未送达) without holding the
ticket back, and only leads, auditors and the ticket's own seat read transcripts: a handling
unit's login cannot."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import select, update

from agent_app.domain import timeutil
from agent_app.domain.call_transcript import MAX_LINES, TranscriptLine, wire_problem
from agent_app.domain.followup import FollowupKind
from agent_app.domain.intake import IntakeDraft, build_ticket
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Outcome, Ticket
from agent_app.paths import DataPaths
from agent_app.services import followup
from agent_app.services.workstation import Workstation
from agent_app.storage import repository as repo
from agent_app.storage.models import OutboxRow
from tests.helpers.cli import Cli, seat_root
from tests.helpers.pg import CentralDb, new_seat, throwaway_centre

pytestmark = pytest.mark.postgres

STREET = "朝阳区呼家楼街道办事处"
LINES = (
    TranscriptLine(0, 2400, "您好，12345热线。", "agent"),
    TranscriptLine(2600, 7100, "我家楼下路灯坏了，我电话13812345678。", "caller"),
    TranscriptLine(7300, 9000, "好的，给您派到街道。", "agent"),
)


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    with throwaway_centre() as db:
        yield db


def _dispatch(root: Path, seat: str, operator: str, lines: tuple[TranscriptLine, ...]) -> Ticket:
    """A call dispatched at the seat as the window saves it: ticket and transcript at once."""
    ws = Workstation(DataPaths(root), seat=seat, operator_id=operator, demo=False)
    draft = IntakeDraft(
        ticket_id=Ticket.new_id(),
        phone="13900003333",
        description="楼下路灯不亮",
        main_unit=STREET,
        address="朝阳区呼家楼",
    )
    at = timeutil.now()

    def build(number: str) -> Ticket:
        return build_ticket(
            draft, Outcome.DISPATCHED, at=at, seat=seat, operator_id=operator,
            role=Role.OPERATOR, number=number, due=at + timedelta(days=5),
        )  # fmt: skip

    try:
        return ws.finish_intake(build, draft_id=None, transcript=lines)
    finally:
        ws.close()


def _rows(central: CentralDb, number: str) -> list[tuple[Any, ...]]:
    with central.admin() as conn:
        return conn.execute(
            "SELECT x.event_id, x.line_count, x.lines, x.seat, x.login, x.call_id "
            "FROM central.ticket_transcripts x JOIN central.tickets t ON t.id = x.ticket_id "
            "WHERE t.number = %s ORDER BY x.id",
            (number,),
        ).fetchall()


def test_transcripts_reach_the_centre_once_and_only_leads_read_them(
    central: CentralDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(capsys)
    op_a = central.add_login("tr_a", "operator")
    op_b = central.add_login("tr_b", "operator")
    lead = central.add_login("tr_lead", "lead")
    street = central.add_login("tr_street", "handler", units=(STREET,))
    auditor = central.add_login("tr_audit", "auditor")
    seat_a, seat_b = seat_root(tmp_path / "a", "TA1"), seat_root(tmp_path / "b", "TB1")

    def sync(seat_dir: Path, login: str, *, ok: bool = True) -> tuple[dict[str, Any], str]:
        return cli.sync(seat_dir, central.url(login), ok=ok)

    # A dispatched call: its transcript arrives with the ticket's sync, redacted, once.
    ticket = _dispatch(seat_a, "TA1", op_a, LINES)
    report, _ = sync(seat_a, op_a)
    assert (report["undelivered"], report["queue"]) == (0, 0), report
    (row,) = _rows(central, ticket.number)
    event_id, count, lines, seat, login, call_id = row
    assert (event_id, count, seat, login, call_id) == (None, 3, "TA1", op_a, "")
    assert [x["text"] for x in lines][0] == "您好，12345热线。"
    assert "13812345678" not in json.dumps(lines, ensure_ascii=False)
    assert "138****5678" in lines[1]["text"]
    assert [x["start_ms"] for x in lines] == [0, 2600, 7300]
    seat_copy = new_seat(seat_a)
    try:  # acknowledged: the outbox keeps its key, not the words (the seat's table has them)
        with seat_copy.read() as s:
            (acked,) = s.scalars(select(OutboxRow).where(OutboxRow.op == repo.TRANSCRIPT_OP))
            kept = repo.transcript(s, ticket.id)
        assert acked.sent_at is not None
        assert acked.payload["lines"] == []
        assert acked.payload["call_id"] == ""
        assert len(kept) == 3
    finally:
        seat_copy.dispose()

    # The answer lost: the same key again stores nothing; a resend under a new key neither.
    db = Workstation(DataPaths(seat_a), seat="TA1", operator_id=op_a, demo=False)
    try:
        with db.db.write() as s:
            key = s.scalar(
                select(OutboxRow.idempotency_key).where(OutboxRow.op == repo.TRANSCRIPT_OP)
            )
            s.execute(
                update(OutboxRow)
                .where(OutboxRow.idempotency_key == key)
                .values(
                    sent_at=None,
                    payload={
                        "ticket_id": ticket.id,
                        "number": ticket.number,
                        "call_id": "",
                        "lines": [{"start_ms": 0, "end_ms": 1, "speaker": "", "text": "重放"}],
                    },
                )
            )
        report, _ = sync(seat_a, op_a)
        assert (report["replayed"], report["undelivered"]) == (1, 0), report
        with db.db.write() as s:  # the operator sends the call again (a new key)
            repo.save_transcript(s, ticket.id, list(LINES), queue=True)
        report, _ = sync(seat_a, op_a)
        assert (report["undelivered"], report["queue"]) == (0, 0), report
    finally:
        db.close()
    assert len(_rows(central, ticket.number)) == 1

    # Forged: a transcript for a ticket another seat took is refused and shown as undelivered;
    # an oversized one is never sent; neither holds the seat's own ticket changes back.
    other = _dispatch(seat_b, "TB1", op_b, LINES[:1])
    sync(seat_b, op_b)
    ws_a = Workstation(DataPaths(seat_a), seat="TA1", operator_id=op_a, demo=False)
    try:
        with ws_a.db.write() as s:
            s.add(
                OutboxRow(
                    idempotency_key="forged-" + other.id[:8],
                    ticket_id=ticket.id,
                    op=repo.TRANSCRIPT_OP,
                    payload={
                        "ticket_id": other.id,
                        "number": other.number,
                        "call_id": "",
                        "lines": [{"start_ms": 0, "end_ms": 5, "speaker": "", "text": "伪造"}],
                    },
                    created_at=timeutil.now(),
                )
            )
            s.add(
                OutboxRow(
                    idempotency_key="oversized-" + ticket.id[:8],
                    ticket_id=ticket.id,
                    op=repo.TRANSCRIPT_OP,
                    payload={
                        "ticket_id": ticket.id,
                        "number": ticket.number,
                        "call_id": "",
                        "lines": [
                            {"start_ms": i, "end_ms": i, "speaker": "", "text": "嗯"}
                            for i in range(MAX_LINES + 1)
                        ],
                    },
                    created_at=timeutil.now(),
                )
            )
        report, err = sync(seat_a, op_a, ok=False)
        assert (report["rejected"], report["quarantined"]) == (1, 1), report
        reasons = {(u.number, u.reason) for u in ws_a.undelivered()}
        assert reasons == {(ticket.number, "ticket_not_yours")}  # its first undelivered one
        with ws_a.db.read() as s:
            stuck = dict(
                s.execute(
                    select(OutboxRow.idempotency_key, OutboxRow.reason).where(
                        OutboxRow.undelivered_at.is_not(None)
                    )
                ).all()
            )
        assert stuck == {
            "forged-" + other.id[:8]: "ticket_not_yours",
            "oversized-" + ticket.id[:8]: "too_many:transcript",
        }
        assert ticket.number in err
        # The ticket itself still syncs: a note added now reaches the centre.
        with ws_a.db.write() as s:
            t = repo.get_ticket(s, ticket.id)
            assert t is not None
            at = timeutil.now()
            repo.save_ticket(s, dataclasses.replace(t, notes="回访前补记", updated_at=at), now=at)
        report, _ = sync(seat_a, op_a, ok=False)
        assert report["applied"] == 1, report
        # The way out: resend rebuilds each from the lines the seat holds for its own ticket;
        # the centre holds that call already, so nothing is stored twice and nothing is left.
        ws_a.resend(ticket.id)
        report, _ = sync(seat_a, op_a)
        assert (report["applied"], report["undelivered"], report["queue"]) == (2, 0, 0), report
        assert ws_a.undelivered() == []
    finally:
        ws_a.close()
    assert len(_rows(central, ticket.number)) == 1
    assert (
        central.scalar(
            "SELECT data->>'notes' FROM central.tickets WHERE number = %s", ticket.number
        )
        == "回访前补记"
    )
    assert len(_rows(central, other.number)) == 1  # the forged lines were not stored

    # A repeat call (a chase) on seat B's ticket from seat A: its transcript arrives linked
    # to the chase event, once.
    seat_db = new_seat(seat_a)
    try:
        followup.record_follow_up(
            seat_db, other.number, FollowupKind.CHASE, text="还没修", role=Role.OPERATOR,
            actor_id=op_a, call_id="call-chase-1",
            transcript=(TranscriptLine(0, 3000, "我又打来催一下，路灯还没修。"),),
        )  # fmt: skip
    finally:
        seat_db.dispose()
    sync(seat_a, op_a)
    rows = _rows(central, other.number)
    assert len(rows) == 2
    event_id, count, lines, seat, login, call_id = rows[1]
    assert (count, seat, login, call_id) == (1, "TA1", op_a, "call-chase-1")
    assert central.scalar("SELECT kind FROM central.ticket_events WHERE id = %s", event_id) == (
        "chase"
    )

    # A progress call on seat A's own ticket travels with the ticket's change (apply_batch);
    # its transcript follows and is linked to that event.
    seat_db = new_seat(seat_a)
    try:
        followup.record_follow_up(
            seat_db, ticket.number, FollowupKind.PROGRESS, role=Role.OPERATOR, actor_id=op_a,
            call_id="call-progress-1", transcript=(TranscriptLine(0, 1500, "我想问问进展"),),
        )  # fmt: skip
    finally:
        seat_db.dispose()
    sync(seat_a, op_a)
    rows = _rows(central, ticket.number)
    assert [(r[5], r[1]) for r in rows] == [("", 3), ("call-progress-1", 1)]
    assert central.scalar("SELECT kind FROM central.ticket_events WHERE id = %s", rows[1][0]) == (
        "progress_call"
    )

    # Who reads: the lead and the auditor everything, the operator its own tickets' calls,
    # the unit nothing.
    def visible(login: str) -> int:
        with psycopg.connect(central.url(login)) as conn:
            return int(
                conn.execute("SELECT count(*) FROM central.ticket_transcripts").fetchone()[0]
            )

    assert visible(lead) == 4
    assert visible(auditor) == 4
    assert visible(op_a) == 3  # its ticket's two calls and the chase it sent
    assert visible(op_b) == 2  # its ticket's first call and the chase on it
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        visible(street)
    with (
        pytest.raises(psycopg.errors.InsufficientPrivilege),
        psycopg.connect(central.url(lead)) as conn,
    ):
        conn.execute("DELETE FROM central.ticket_transcripts")
    with (
        pytest.raises(psycopg.errors.InsufficientPrivilege),
        psycopg.connect(central.url(street)) as conn,
    ):
        conn.execute(
            "SELECT central.push_transcript('TA1', 'handler-key-1', %s, '', '', '[]')",
            (ticket.id,),
        )

    # ticket show --url: the centre's ticket with its transcript (the lead's login).
    (shown,) = cli.json_lines("ticket", "show", "--url", central.url(lead), other.number, "--json")
    assert [x["text"] for x in shown["transcript"]] == ["您好，12345热线。"]
    assert [(c["kind"], c["call_id"]) for c in shown["followup_transcripts"]] == [
        ("chase", "call-chase-1")
    ]
    assert shown["followup_transcripts"][0]["transcript"][0]["text"].startswith("我又打来催")
    assert "13900003333" not in json.dumps(shown, ensure_ascii=False)  # the caller masked


def test_the_centre_and_the_seat_refuse_the_same_transcripts(central: CentralDb) -> None:
    """central.transcript_problem gives the reason wire_problem gives, case by case."""
    from psycopg.types.json import Jsonb  # noqa: PLC0415

    from tests.unit.test_call_transcripts import CASES  # noqa: PLC0415

    with central.admin() as conn:
        for lines, problem in CASES:
            (got,) = conn.execute(
                "SELECT central.transcript_problem(%s)", (Jsonb(lines),)
            ).fetchone()
            assert got == problem == wire_problem(lines), lines


class _Crash(Exception):
    pass


def test_a_crash_after_the_centre_committed_the_transcripts_replays_them_once(
    central: CentralDb, tmp_path: Path
) -> None:
    """R1/R3 for transcripts: the seat dies after the centre committed a batch of transcripts
    and before it acknowledged them; the next cycle sends them again and the centre answers
    from its stored results, storing nothing twice."""
    from agent_app.services.sync.engine import SyncEngine  # noqa: PLC0415

    op = central.add_login("tr_crash", "operator")
    root = seat_root(tmp_path / "crash", "TC1")
    tickets = [_dispatch(root, "TC1", op, LINES) for _ in range(3)]
    commits: list[str] = []

    def fault(point: str) -> None:
        if point == "after_server_commit":
            commits.append(point)
            if len(commits) == 2:  # 1: the tickets' batch; 2: the transcripts' batch
                raise _Crash

    db = new_seat(root)
    try:
        engine = SyncEngine(db, central.target(op), seat="TC1", password_lookup=None, fault=fault)
        with pytest.raises(_Crash):
            engine.sync_once()
        assert engine.queue_length() == 3  # committed at the centre, not acknowledged here
        report = engine.sync_once()
        assert (report.replayed, report.applied, report.queue) == (3, 3, 0), report
    finally:
        db.dispose()
    for t in tickets:
        assert len(_rows(central, t.number)) == 1
