"""Quality checks at the centre: the shift's sample, the scorecard, return to the operator and
the resubmission, as lead and operator logins over a small seeded centre."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from agent_app.errors import ConfigError, UsageError
from agent_app.services import quality
from agent_app.services.central_seed import seed_centre
from tests.helpers.pg import CentralDb, require_server

pytestmark = pytest.mark.postgres

UNTIL = datetime.fromisoformat("2026-11-30T20:00+08:00")


@pytest.fixture(scope="module")
def centre() -> Iterator[dict[str, Any]]:
    db = CentralDb(require_server()).create()
    try:
        seed_centre(
            db.admin_target(), tickets=600, months=1, seed=5, until=UNTIL, password_lookup=None
        )
        lead = db.add_login("qa_lead", "lead")
        op = db.add_login("qa_op", "operator")
        other = db.add_login("qa_other", "operator")
        with db.admin() as conn:
            # Two of op0001's tickets belong to the operator login; one is very short.
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM central.tickets WHERE operator_id = 'op0001' "
                    "ORDER BY created_at LIMIT 2"
                ).fetchall()
            ]
            conn.execute("UPDATE central.tickets SET created_by = %s WHERE id = ANY(%s)", (op, ids))
            conn.execute(
                "UPDATE central.tickets SET data = jsonb_set(data, '{description}', '\"噪音\"') "
                "WHERE id = %s",
                (ids[0],),
            )
        yield {"db": db, "lead": lead, "op": op, "other": other, "ids": ids}
    finally:
        db.drop()


def _conn(c: dict[str, Any], login: str) -> Any:
    return psycopg.connect(c["db"].url(c[login]), autocommit=True)


def test_the_shipped_scorecard_adds_up_and_a_broken_one_is_one_line(tmp_path: Path) -> None:
    card = quality.load_scorecard()
    assert sum(i.weight for i in card.items) == 100
    assert {i.key for i in card.items} >= {"category", "address", "units", "privacy"}
    score, passed, items = card.score(dict.fromkeys((i.key for i in card.items), 1.0))
    assert (score, passed) == (100, True)
    marks = {i.key: 1.0 for i in card.items} | {"category": 0.0}
    assert card.score(marks)[:2] == (75, False)
    with pytest.raises(UsageError):
        card.score({"category": 2.0})
    bad = tmp_path / "card.toml"
    bad.write_text('pass_mark = 80\n[[items]]\nkey = "a"\nname = "a"\nweight = 60\n')
    with pytest.raises(ConfigError, match="add up to 100"):
        quality.load_scorecard(bad)


def test_the_shift_sample_has_every_flagged_ticket_and_a_few_random(
    centre: dict[str, Any],
) -> None:
    with _conn(centre, "lead") as conn:
        start = UNTIL - timedelta(days=40)
        picked = quality.sample_shift(conn, "op0001", start, UNTIL, seed=1)
        number = conn.execute(
            "SELECT number FROM central.tickets WHERE id = %s", (centre["ids"][0],)
        ).fetchone()[0]
        upheld = {
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT t.number FROM central.tickets t JOIN central.ticket_events e "
                "ON e.ticket_id = t.id WHERE t.operator_id = 'op0001' "
                "AND e.data ->> 'ruling' = 'upheld'"
            ).fetchall()
        }
    by_number = {p["number"]: p["reasons"] for p in picked}
    assert "short_description" in by_number[number]
    assert all("objection_upheld" in by_number[n] for n in upheld)
    assert sum(1 for p in picked if p["reasons"] == ["random"]) == 2


def test_a_returned_ticket_reaches_its_operator_until_resubmitted(
    centre: dict[str, Any],
) -> None:
    card = quality.load_scorecard()
    marks = {i.key: 1.0 for i in card.items} | {"description": 0.0, "address": 0.5}
    with _conn(centre, "lead") as conn:
        number = conn.execute(
            "SELECT number FROM central.tickets WHERE id = %s", (centre["ids"][0],)
        ).fetchone()[0]
        with pytest.raises(UsageError):
            quality.record_check(conn, number, marks, return_to_operator=True)
        check = quality.record_check(
            conn,
            number,
            marks,
            comment="补充诉求要点",
            return_to_operator=True,
            moments={"description": 12.5},
        )
    assert check["reviewer"] == centre["lead"]
    assert check["score"] == 75
    assert check["passed"] is False
    with _conn(centre, "other") as conn:
        assert quality.returned_to_me(conn) == []
        with pytest.raises(UsageError, match="no quality check"):
            quality.resubmit(conn, check["id"])
    with _conn(centre, "op") as conn:
        mine = quality.returned_to_me(conn)
        assert [m["id"] for m in mine] == [check["id"]]
        assert mine[0]["comment"] == "补充诉求要点"
        moment = next(i for i in mine[0]["items"] if i["item"] == "description")
        assert moment["moment_s"] == 12.5
        quality.resubmit(conn, check["id"])
        assert quality.returned_to_me(conn) == []
        with pytest.raises(UsageError, match="not waiting"):
            quality.resubmit(conn, check["id"])
    with _conn(centre, "lead") as conn:
        weeks = quality.scores_by_operator(conn, UNTIL - timedelta(days=60))
    assert any(w["operator"] == "op0001" and w["failed"] >= 1 for w in weeks)
