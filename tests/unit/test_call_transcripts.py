"""Calls' transcripts at the seat: the limits the centre applies (checked before sending),
a repeat call's lines saved under its call id and queued after the call itself, never
holding the ticket's changes back, and the retention purge of repeat calls' words."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from agent_app.domain import timeutil
from agent_app.domain.call_transcript import (
    MAX_LINE_CHARS,
    MAX_LINES,
    MAX_TOTAL_CHARS,
    TranscriptLine,
    prepared,
    to_wire,
    wire_problem,
)
from agent_app.domain.followup import FollowupKind
from agent_app.domain.roles import Role
from agent_app.paths import DataPaths
from agent_app.services import followup, retention
from agent_app.services.workstation import Workstation
from agent_app.storage import repository as repo
from agent_app.storage.models import FollowupTranscriptLineRow, OutboxRow
from tests.helpers.pg import add_tickets

STREET = "朝阳区呼家楼街道办事处"


def _line(start: int, text: str = "好的") -> dict[str, object]:
    return {"start_ms": start, "end_ms": start + 500, "speaker": "", "text": text}


CASES: list[tuple[object, str | None]] = [
    ([_line(0), _line(600)], None),
    ("not a list", "type:transcript"),
    ([], "empty:transcript"),
    ([_line(0, "  ")], "empty:transcript"),
    ([_line(0)] * (MAX_LINES + 1), "too_many:transcript"),
    ([_line(0, "字" * (MAX_LINE_CHARS + 1))], "too_long:transcript"),
    (
        [_line(i, "字" * MAX_LINE_CHARS) for i in range(MAX_TOTAL_CHARS // MAX_LINE_CHARS + 1)],
        "too_large:transcript",
    ),
    ([_line(0, "一\n二")], "control_char:transcript"),
    ([_line(0, "e\u0301")], "not_nfc:transcript"),
    ([_line(600), _line(0)], "not_monotonic:transcript"),
    ([{"start_ms": 10, "end_ms": 5, "speaker": "", "text": "x"}], "not_monotonic:transcript"),
    ([{"start_ms": 1.5, "end_ms": 5, "speaker": "", "text": "x"}], "type:transcript"),
    ([{"start_ms": True, "end_ms": 5, "speaker": "", "text": "x"}], "type:transcript"),
]
"""Lines and the reason the centre gives for them (the same cases run against
``central.transcript_problem`` in tests/integration/test_transcripts_central.py)."""


@pytest.mark.parametrize(("lines", "problem"), CASES)
def test_the_limits_the_centre_applies(lines: object, problem: str | None) -> None:
    assert wire_problem(lines) == problem


def test_stored_lines_are_redacted_clean_and_within_the_limits() -> None:
    lines = prepared(
        [TranscriptLine(0, 900, "电话 138 1234 5678\t好"), TranscriptLine(1000, 1200, "   ")]
    )
    assert [x.text for x in lines] == ["电话 138****5678 好"]
    assert wire_problem(to_wire(lines)) is None


@pytest.fixture
def ws(tmp_path: Path):  # type: ignore[no-untyped-def]
    w = Workstation(
        DataPaths(tmp_path / "seat").ensure(), seat="S01", operator_id="op1", demo=False
    )
    yield w
    w.close()


def test_a_repeat_call_keeps_its_words_and_queues_them_after_the_call(ws: Workstation) -> None:
    (tid,) = add_tickets(ws.db, "S01", 1, unit=STREET, operator="op1")
    with ws.db.read() as s:
        number = repo.get_ticket(s, tid).number  # type: ignore[union-attr]
    words = (TranscriptLine(0, 2000, "我来催办，电话13812345678"),)
    for _ in range(2):  # a retry of the same call stores and queues nothing more
        followup.follow_up(
            ws.db, number, FollowupKind.CHASE, text="还没修", role=Role.OPERATOR,
            actor_id="op1", call_id="call-1", transcript=words,
        )  # fmt: skip
    with ws.db.read() as s:
        calls = repo.followup_transcripts(s, number)
        ops = [
            (r.op, (r.payload or {}).get("call_id"))
            for r in s.scalars(
                select(OutboxRow).where(OutboxRow.ticket_id == tid).order_by(OutboxRow.id)
            )
        ]
    assert [(c["kind"], c["call_id"]) for c in calls] == [("chase", "call-1")]
    assert calls[0]["lines"][0].text == "我来催办，电话138****5678"
    assert ops == [("upsert_ticket", None), ("upsert_ticket", None), ("transcript", "call-1")]
    # A refused transcript does not hold the ticket's own changes back, and is listed.
    with ws.db.write() as s:
        repo.mark_undelivered(
            s,
            {s.scalar(select(OutboxRow.idempotency_key).where(OutboxRow.op == "transcript")): "x"},
            timeutil.now(),
        )
        pending = repo.pending_outbox_count(s)
    assert pending == ws.pending_outbox() == 2  # the call and the chase, not held back
    assert [(u.number, u.reason) for u in ws.undelivered()] == [(number, "x")]
    ws.resend(tid)  # sent again under a new key, with the lines the seat holds
    with ws.db.read() as s:
        again = s.scalars(
            select(OutboxRow).where(OutboxRow.op == "transcript", OutboxRow.sent_at.is_(None))
        ).all()
    assert len(again) == 1
    assert again[0].undelivered_at is None
    assert again[0].payload["lines"][0]["text"] == "我来催办，电话138****5678"


def test_a_repeat_call_on_a_ticket_held_elsewhere_is_purged_once_delivered_and_old(
    ws: Workstation,
) -> None:
    now = timeutil.now()
    for call_id in ("sent", "waiting"):
        followup.record_follow_up(
            ws.db, "20261201-S09-0001", FollowupKind.PROGRESS, role=Role.OPERATOR,
            actor_id="op1", call_id=call_id, now=now,
            transcript=(TranscriptLine(0, 1000, "我问一下进展"),),
        )  # fmt: skip
    with ws.db.write() as s:  # the centre acknowledged one call and its words
        for row in s.scalars(select(OutboxRow)):
            if (row.payload or {}).get("call_id") == "sent":
                row.sent_at = now
        s.execute(update(OutboxRow).values(created_at=now))
    policy = retention.RetentionPolicy()
    kept = retention.purge(ws.db, policy, now=now + timedelta(days=policy.caller_days - 1))
    assert kept.transcripts == 0
    report = retention.purge(ws.db, policy, now=now + timedelta(days=policy.caller_days + 1))
    assert report.transcripts == 1
    with ws.db.read() as s:
        left = set(s.scalars(select(FollowupTranscriptLineRow.call_id)))
    assert left == {"waiting"}  # not at the centre yet: kept


def test_a_resend_rebuilds_from_the_seat_and_withdraws_what_it_does_not_hold(
    ws: Workstation,
) -> None:
    (tid,) = add_tickets(ws.db, "S01", 1, unit=STREET, operator="op1")
    now = timeutil.now()
    with ws.db.write() as s:
        repo.save_transcript(s, tid, [TranscriptLine(0, 900, "您好")], queue=True, now=now)
        s.add(  # a change whose call this seat never saved (a damaged or foreign copy)
            OutboxRow(
                idempotency_key="ghost-call",
                ticket_id=tid,
                op=repo.TRANSCRIPT_OP,
                payload={"ticket_id": tid, "number": "", "call_id": "ghost", "lines": []},
                created_at=now,
            )
        )
        s.flush()
        keys = list(
            s.scalars(select(OutboxRow.idempotency_key).where(OutboxRow.op == "transcript"))
        )
        repo.mark_undelivered(s, dict.fromkeys(keys, "too_many:transcript"), now)
    ws.resend(tid)
    with ws.db.read() as s:
        rows = s.scalars(select(OutboxRow).where(OutboxRow.op == "transcript")).all()
    pending = [r for r in rows if r.sent_at is None]
    assert [r.payload["lines"][0]["text"] for r in pending] == ["您好"]
    (ghost,) = [r for r in rows if r.idempotency_key == "ghost-call"]
    assert ghost.last_error.startswith("withdrawn")
    assert ws.undelivered() == []
