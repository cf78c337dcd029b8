"""``agent-app central seed``: realistic central data, reproducible, consistent with the
lifecycle, loaded into an empty centre only (small sizes here; 1M in the benchmarks)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from agent_app.cli import main
from agent_app.domain.lifecycle import Status, find_transition
from agent_app.services.central_seed import seed_centre
from tests.helpers.pg import CentralDb, require_server

pytestmark = pytest.mark.postgres

UNTIL = "2026-11-30T20:00+08:00"
N = 2000


@pytest.fixture(scope="module")
def seeded() -> Iterator[tuple[CentralDb, dict[str, Any]]]:
    db = CentralDb(require_server()).create()
    try:
        report = seed_centre(
            db.admin_target(),
            tickets=N,
            months=3,
            seed=7,
            until=datetime.fromisoformat(UNTIL),
            password_lookup=None,
        )
        yield db, report.as_dict()
    finally:
        db.drop()


def _rows(db: CentralDb, sql: str) -> list[tuple[Any, ...]]:
    with db.admin() as conn:
        return list(conn.execute(sql).fetchall())


def test_seed_fills_the_centre_with_every_stage_of_the_lifecycle(
    seeded: tuple[CentralDb, dict[str, Any]],
) -> None:
    db, report = seeded
    assert report["tickets"] == N
    assert db.scalar("SELECT count(*) FROM central.tickets") == N
    assert db.scalar("SELECT count(*) FROM central.ticket_events") == report["events"]
    assert report["events"] > 4 * N
    statuses = dict(_rows(db, "SELECT status, count(*) FROM central.tickets GROUP BY 1"))
    for status in ("CLOSED", "ANSWERED", "TRANSFERRED_EMERGENCY", "NOT_ACCEPTED_INFORMED"):
        assert statuses.get(status, 0) > 0, statuses
    # Recent tickets are still with their units.
    assert sum(statuses.get(s, 0) for s in ("CONTACTED", "IN_PROGRESS", "REPLIED", "SIGNED")) > 0
    kinds = {
        r[0]
        for r in _rows(
            db, "SELECT DISTINCT data->>'action' FROM central.ticket_events WHERE data ? 'action'"
        )
    }
    assert {"sign", "contact", "reply", "callback", "object", "extend"} <= kinds
    # Units come from the catalogue's rules, places from the divisions.
    assert (
        db.scalar("SELECT count(DISTINCT main_unit) FROM central.tickets WHERE main_unit <> ''")
        > 50
    )
    assert db.scalar("SELECT count(DISTINCT data#>>'{place,district}') FROM central.tickets") == 16
    assert db.scalar("SELECT count(*) FROM central.qa_results") == report["qa_results"] > 0
    assert db.scalar("SELECT count(*) FROM central.seats") == report["seats"]
    # The centre's version sequence continues after the seed (a sync gets fresh versions).
    assert db.scalar("SELECT last_value FROM central.ticket_version_seq") >= N


def test_every_seeded_ticket_is_a_legal_walk_ending_in_its_status(
    seeded: tuple[CentralDb, dict[str, Any]],
) -> None:
    db, _ = seeded
    events: dict[str, list[tuple[Any, ...]]] = {}
    for row in _rows(
        db,
        "SELECT ticket_id, seq, from_status, to_status, at FROM central.ticket_events "
        "WHERE kind = 'transition' ORDER BY ticket_id, seq",
    ):
        events.setdefault(row[0], []).append(row)
    tickets = _rows(db, "SELECT id, status, data->>'status', created_at FROM central.tickets")
    for tid, status, data_status, created in tickets:
        assert status == data_status
        cur = "INTAKE"
        last = created
        for _tid, _seq, src, dst, at in events.get(tid, []):
            assert src == cur, (tid, src, cur)
            assert find_transition(Status(src), Status(dst)) is not None, (src, dst)
            assert at >= last
            cur, last = dst, at
        assert cur == status


def test_rates_are_plausible_for_the_reports(seeded: tuple[CentralDb, dict[str, Any]]) -> None:
    db, _ = seeded
    within, signed = _rows(
        db,
        """
        WITH s AS (
            SELECT ticket_id,
                   min(at) FILTER (WHERE to_status = 'DISPATCHED') AS d,
                   min(at) FILTER (WHERE to_status = 'SIGNED') AS g
            FROM central.ticket_events GROUP BY 1)
        SELECT count(*) FILTER (WHERE g - d <= interval '1 hour'), count(g) FROM s
        WHERE d IS NOT NULL AND g IS NOT NULL
        """,
    )[0]
    assert 0.7 < within / signed < 0.95
    satisfied, callbacks = _rows(
        db,
        "SELECT count(*) FILTER (WHERE data#>>'{callback,satisfaction}' <> '不满意'), count(*) "
        "FROM central.ticket_events WHERE data ? 'callback'",
    )[0]
    assert callbacks > 300
    assert 0.78 < satisfied / callbacks < 0.93


def test_seed_is_reproducible_and_refuses_a_centre_with_tickets(
    seeded: tuple[CentralDb, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = seeded
    other = CentralDb(require_server()).create()
    try:
        argv = ["central", "seed", "--url", other.admin_url(), "--tickets", str(N)]
        argv += ["--months", "3", "--seed", "7", "--until", UNTIL, "--json"]
        assert main(argv) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["tickets"] == N
        digest = (
            "SELECT md5(string_agg(id || number || status || main_unit || data::text, ',' "
            "ORDER BY id)) FROM central.tickets"
        )
        ev_digest = (
            "SELECT md5(string_agg(ticket_id || seq || kind || coalesce(to_status, '') || "
            "at::text || data::text, ',' ORDER BY ticket_id, seq)) FROM central.ticket_events"
        )
        assert other.scalar(digest) == db.scalar(digest)
        assert other.scalar(ev_digest) == db.scalar(ev_digest)
        # A second seed into the same centre is refused in one line, nothing added.
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "already holds 2000 tickets" in err
        assert len(err.strip().splitlines()) == 1
        assert other.scalar("SELECT count(*) FROM central.tickets") == N
    finally:
        other.drop()


def test_seeded_flags_match_the_event_log(seeded: tuple[CentralDb, dict[str, Any]]) -> None:
    db, _ = seeded
    mismatched = db.scalar(
        """
        SELECT count(*) FROM central.tickets t
        WHERE t.rehandled <> (SELECT count(*) FROM central.ticket_events e
                              WHERE e.ticket_id = t.id AND e.kind = 'transition'
                                AND e.to_status = 'REOPENED')
           OR t.dissatisfied <> EXISTS (SELECT 1 FROM central.ticket_events e
                                        WHERE e.ticket_id = t.id
                                          AND e.data #>> '{callback,satisfaction}' = '不满意')
        """
    )
    assert mismatched == 0
    assert db.scalar("SELECT count(*) FROM central.tickets WHERE rehandled > 0") > 0
    # The due time of every open ticket is its latest limit (dispatch, extension, reopening).
    stale = db.scalar(
        """
        SELECT count(*) FROM central.tickets t
        WHERE t.status IN ('SIGNED', 'CONTACTED', 'IN_PROGRESS', 'REOPENED') AND t.due_at
              < (SELECT max((e.data ->> 'due_at')::timestamptz) FROM central.ticket_events e
                 WHERE e.ticket_id = t.id AND e.data ? 'due_at')
        """
    )
    assert stale == 0
