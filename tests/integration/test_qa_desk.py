"""The lead's 质检 tab's reads at the centre: the shift's sample per operator with each row's
reasons and its latest check, and the scores per operator over weeks or days."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import psycopg
import pytest

from agent_app.domain import timeutil
from agent_app.services import qa_desk, quality
from agent_app.services.central_seed import seed_centre
from tests.helpers.pg import CentralDb, require_server

pytestmark = pytest.mark.postgres

UNTIL = datetime.fromisoformat("2026-11-30T20:00+08:00")


def _no_password(_key: str) -> str | None:
    return None


@pytest.fixture(scope="module")
def centre() -> Iterator[dict[str, Any]]:
    db = CentralDb(require_server()).create()
    try:
        seed_centre(
            db.admin_target(), tickets=400, months=1, seed=11, until=UNTIL, password_lookup=None
        )
        lead = db.add_login("qs_lead", "lead")
        yield {"db": db, "lead": lead}
    finally:
        db.drop()


def _source(c: dict[str, Any]) -> qa_desk.CentralQA:
    return qa_desk.CentralQA(c["db"].target(c["lead"]), password_lookup=_no_password)


def test_the_sample_marks_a_row_checked_once_scored(centre: dict[str, Any]) -> None:
    src = _source(centre)
    start, end = UNTIL - timedelta(days=20), UNTIL
    with psycopg.connect(centre["db"].url(centre["lead"]), autocommit=True) as conn:
        op = conn.execute(
            "SELECT operator_id FROM central.tickets WHERE created_at >= %s AND created_at < %s "
            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
            (start, end),
        ).fetchone()[0]
        in_shift = conn.execute(
            "SELECT count(*) FROM central.tickets WHERE operator_id = %s "
            "AND created_at >= %s AND created_at < %s",
            (op, start, end),
        ).fetchone()[0]
        direct = quality.sample_shift(conn, op, start, end, seed=4)
    sample = src.sample([op], start, end, seed=4)
    assert not sample.partial
    assert sample.tickets == in_shift
    assert [(r.number, list(r.reasons)) for r in sample.rows] == [
        (p["number"], p["reasons"]) for p in direct
    ]
    assert sum(1 for r in sample.rows if r.reasons == ("random",)) == 2
    assert all(r.operator == op for r in sample.rows)
    assert all(start <= datetime.fromisoformat(r.created_at) < end for r in sample.rows)
    unchecked = next(r for r in sample.rows if not r.checked)
    card = quality.load_scorecard()
    marks = {i.key: 1.0 for i in card.items} | {"address": 0.0}
    with psycopg.connect(centre["db"].url(centre["lead"]), autocommit=True) as conn:
        quality.record_check(
            conn, unchecked.number, marks, comment="缺门牌号", return_to_operator=True
        )
    again = src.sample([op], start, end, seed=4)
    row = next(r for r in again.rows if r.number == unchecked.number)
    assert (row.checked, row.score, row.passed, row.returned) == (True, 80.0, True, True)
    assert again.checked == sample.checked + 1
    # Every operator of the shift, when none is named.
    everyone = src.sample([], start, end, seed=4)
    assert len(everyone.operators) >= 2
    assert {r.operator for r in everyone.rows} == set(everyone.operators)
    assert everyone.tickets > in_shift

    today = timeutil.now().astimezone(timeutil.SHANGHAI).date()
    weeks = src.scores(today - timedelta(days=13), today, "week")
    mine = next(s for s in weeks.rows if s.operator == op)
    assert mine.checks >= 1
    assert mine.returned >= 1
    assert weeks.series[op][-1] is not None
    days = src.scores(today, today, "day")
    assert days.periods == (today.isoformat(),)
    assert any(s.operator == op for s in days.rows)


def test_the_scores_count_the_seeded_checks_per_operator(centre: dict[str, Any]) -> None:
    with psycopg.connect(centre["db"].url(centre["lead"]), autocommit=True) as conn:
        expected = dict(
            conn.execute(
                "SELECT operator_id, round(avg(score), 1) FROM central.qa_results "
                "WHERE reviewed_at >= %s AND reviewed_at < %s GROUP BY 1",
                (UNTIL - timedelta(days=40), UNTIL + timedelta(days=1)),
            ).fetchall()
        )
    assert expected, "the seeded centre has checks"
    scores = _source(centre).scores((UNTIL - timedelta(days=40)).date(), UNTIL.date(), "week")
    got = {s.operator: s.mean for s in scores.rows}
    assert got == {k: float(v) for k, v in expected.items()}
    assert all(len(v) == len(scores.periods) for v in scores.series.values())
    assert scores.periods[0] <= (UNTIL - timedelta(days=40)).date().isoformat()
    assert date.fromisoformat(scores.periods[0]).weekday() == 0
