"""The shift's sample over the seat's own copy (SQLite): every ticket a scorecard rule flags,
with the rule's name, plus a few random others per operator; only the shift's tickets; the
same seed draws the same sample; the shift's times; the scores need the centre."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from agent_app.domain import timeutil
from agent_app.domain.lifecycle import Status
from agent_app.domain.ticket import Caller, Place, Ticket, TicketEvent
from agent_app.errors import UsageError
from agent_app.paths import DataPaths
from agent_app.services import qa_desk, quality
from agent_app.storage import repository as repo
from agent_app.storage.db import Database
from agent_app.storage.seat import open_database

START = datetime(2026, 11, 30, 8, tzinfo=timeutil.SHANGHAI)
END = START + timedelta(hours=8)
LONG = "小区东门外路灯连续三晚不亮，居民夜间出行不便，请尽快维修"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(DataPaths(tmp_path / "seat"))
    yield database
    database.dispose()


def _ticket(
    n: int,
    op: str,
    minutes: int,
    *,
    description: str = LONG,
    extra: tuple[TicketEvent, ...] = (),
    after_call: int = 3,
) -> Ticket:
    at = START + timedelta(minutes=minutes)
    done = at + timedelta(minutes=after_call)
    return Ticket(
        id=f"qa{n:04d}",
        number=f"20261130-S01-{n:04d}",
        created_at=at,
        updated_at=done,
        seat="S01",
        operator_id=op,
        caller=Caller("王芳", ("+8613812345678",)),
        description=description,
        category_code="04.05.001",
        category_name="城市管理/路灯照明/路灯不亮",
        place=Place(address="东城区某街1号", district="东城区", township="东华门街道"),
        main_unit="东华门街道办事处",
        status=Status.DISPATCHED,
        events=(
            TicketEvent(at, "created", "operator", op),
            TicketEvent(done, "transition", "operator", op, "INTAKE", "DISPATCHED", {}),
            *extra,
        ),
    )


def _save(db: Database, tickets: list[Ticket]) -> None:
    with db.write() as s:
        for t in tickets:
            repo.save_ticket(s, t, outbox=False, now=t.updated_at)


def _shift(db: Database) -> dict[str, Ticket]:
    """op1: a short description, a long after-call, an unmasked number, an upheld objection,
    five plain ones; op2: three plain ones; one of op1's tickets before the shift."""
    later = START + timedelta(hours=1)
    flagged = {
        "short": _ticket(1, "op1", 10, description="路灯坏了"),
        "slow": _ticket(2, "op1", 20, after_call=25),
        "unmask": _ticket(3, "op1", 30, extra=(TicketEvent(later, "unmask", "operator", "op1"),)),
        "upheld": _ticket(
            4,
            "op1",
            40,
            extra=(
                TicketEvent(
                    later,
                    "transition",
                    "lead",
                    "l1",
                    "OBJECTION",
                    "DISPATCHED",
                    {"ruling": "upheld", "to_unit": "景山街道办事处"},
                ),  # fmt: skip
            ),
        ),
    }
    plain = [_ticket(10 + i, "op1", 60 + 20 * i) for i in range(5)]
    other = [_ticket(20 + i, "op2", 70 + 20 * i) for i in range(3)]
    before = _ticket(30, "op1", -120, description="短")
    _save(db, [*flagged.values(), *plain, *other, before])
    return flagged


def test_the_sample_has_every_flagged_ticket_with_its_rule_and_two_random(db: Database) -> None:
    flagged = _shift(db)
    sample = qa_desk.SeatQA(db).sample(["op1"], START, END, seed=3)
    assert sample.partial
    assert sample.operators == ("op1",)
    assert sample.tickets == 9  # the shift's tickets of op1, not the one before it
    reasons = {r.number: r.reasons for r in sample.rows}
    assert reasons[flagged["short"].number] == ("short_description",)
    assert reasons[flagged["slow"].number] == ("long_after_call",)
    assert reasons[flagged["unmask"].number] == ("unmasked_number",)
    assert reasons[flagged["upheld"].number] == ("objection_upheld",)
    randoms = [r for r in sample.rows if r.reasons == ("random",)]
    assert len(randoms) == quality.load_scorecard().random_per_shift == 2
    assert {r.operator for r in sample.rows} == {"op1"}
    assert "20261130-S01-0030" not in reasons
    assert all(r.checked is None for r in sample.rows)  # checks are kept at the centre
    again = qa_desk.SeatQA(db).sample(["op1"], START, END, seed=3)
    assert again.rows == sample.rows


def test_without_operators_every_operator_of_the_shift_is_sampled(db: Database) -> None:
    _shift(db)
    sample = qa_desk.SeatQA(db).sample([], START, END, seed=1)
    assert sample.operators == ("op1", "op2")
    assert sample.tickets == 12
    op2 = [r for r in sample.rows if r.operator == "op2"]
    assert len(op2) == 2
    assert all(r.reasons == ("random",) for r in op2)
    data = sample.as_dict()
    assert data["sampled"] == len(sample.rows)
    assert data["checked"] is None
    assert "王芳" not in str(data)
    assert "13812345678" not in str(data)


def test_shifts_and_ranges(db: Database) -> None:
    start, end = qa_desk.shift_range(date(2026, 11, 30), "evening")
    assert (start.hour, (end - start).total_seconds()) == (16, 8 * 3600)
    assert start.utcoffset() == timedelta(hours=8)
    night = qa_desk.shift_range(date(2026, 11, 30), "night")
    assert night[0].hour == 0
    assert night[1] == START
    with pytest.raises(UsageError):
        qa_desk.shift_range(date(2026, 11, 30), "brunch")
    with pytest.raises(UsageError, match="ends before"):
        qa_desk.SeatQA(db).sample([], END, START)
    with pytest.raises(UsageError, match="centre"):
        qa_desk.SeatQA(db).scores(date(2026, 11, 1), date(2026, 11, 30))


def test_scores_sum_the_periods_and_fill_the_weeks_without_checks() -> None:
    rows = [
        {"operator": "op1", "period": "2026-11-02", "checks": 2, "average": 90.0,
         "failed": 0, "returned": 0, "total": 180.0},
        {"operator": "op1", "period": "2026-11-16", "checks": 1, "average": 60.0,
         "failed": 1, "returned": 1, "total": 60.0},
    ]  # fmt: skip
    scores = qa_desk.summarise(rows, date(2026, 11, 1), date(2026, 11, 20), "week")
    assert scores.periods == ("2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16")
    (op1,) = scores.rows
    assert (op1.checks, op1.mean, op1.failed, op1.returned) == (3, 80.0, 1, 1)
    assert scores.series["op1"] == (None, 90.0, None, 60.0)
    assert len(qa_desk.periods(date(2026, 11, 1), date(2026, 11, 3), "day")) == 3
