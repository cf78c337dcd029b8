"""The lead's review queue and conflict resolution at the centre, as lead logins over a small
seeded centre (``agent-app review list|conflicts|resolve``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import psycopg
import pytest

from agent_app.cli import main
from agent_app.services import review
from agent_app.services.central_seed import seed_centre
from tests.helpers.pg import CentralDb, require_server

pytestmark = pytest.mark.postgres

UNTIL = datetime.fromisoformat("2026-11-30T20:00+08:00")
NOW = "2026-11-30T20:00:00+08:00"


@pytest.fixture(scope="module")
def centre() -> Iterator[dict[str, Any]]:
    db = CentralDb(require_server()).create()
    try:
        seed_centre(
            db.admin_target(), tickets=2000, months=2, seed=11, until=UNTIL, password_lookup=None
        )
        lead_a = db.add_login("rv_a", "lead")
        lead_b = db.add_login("rv_b", "lead")
        operator = db.add_login("rv_op", "operator")
        yield {"db": db, "a": lead_a, "b": lead_b, "op": operator}
    finally:
        db.drop()


def _cli(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _list(
    c: dict[str, Any], capsys: pytest.CaptureFixture[str], *args: str, login: str = "a"
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    code, out, err = _cli(
        "review", "list", "--url", c["db"].url(c[login]), *args, "--json", capsys=capsys
    )
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    return lines[:-1], lines[-1]


def test_pages_cover_the_filtered_queue_once_in_order_with_the_total(
    centre: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    db = centre["db"]
    district = db.scalar(
        "SELECT data#>>'{place,district}' FROM central.tickets GROUP BY 1 ORDER BY count(*) DESC "
        "LIMIT 1"
    )
    expected = db.scalar(
        "SELECT count(*) FROM central.tickets WHERE data#>>'{place,district}' = %s", district
    )
    seen: list[dict[str, Any]] = []
    after: list[str] = []
    while True:
        rows, tail = _list(centre, capsys, "--district", district, "--limit", "40", *after)
        assert set(tail) == {"next", "total"}
        assert tail["total"] == expected
        seen += rows
        if tail["next"] is None:
            break
        after = ["--after", tail["next"]]
    assert len(seen) == expected
    assert len({r["id"] for r in seen}) == expected
    assert all(r["district"] == district for r in seen)
    keys = [datetime.fromisoformat(r["created_at"]) for r in seen]
    assert keys == sorted(keys, reverse=True)


def test_filters_return_only_matching_tickets(
    centre: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    db = centre["db"]
    rows, tail = _list(centre, capsys, "--status", "CLOSED", "--limit", "20")
    assert tail["total"] == db.scalar(
        "SELECT count(*) FROM central.tickets WHERE status = 'CLOSED'"
    )
    assert {r["status"] for r in rows} == {"CLOSED"}
    rows, tail = _list(centre, capsys, "--dissatisfied", "--limit", "500")
    assert tail["total"] > 0
    assert all(r["dissatisfied"] for r in rows)
    rows, tail = _list(centre, capsys, "--rehandled", "--limit", "500")
    assert tail["total"] > 0
    assert all(r["rehandled"] >= 1 for r in rows)
    unit = rows[0]["unit"]
    rows, tail = _list(centre, capsys, "--unit", unit, "--rehandled", "--limit", "500")
    assert all(r["unit"] == unit and r["rehandled"] for r in rows)
    rows, _ = _list(centre, capsys, "--confidential", "--limit", "500")
    assert rows
    assert all(r["confidential"] for r in rows)


def test_overdue_and_due_soon_use_the_time_limit_of_open_tickets(centre: dict[str, Any]) -> None:
    db = centre["db"]
    now = datetime.fromisoformat(NOW)
    with psycopg.connect(db.url(centre["a"]), autocommit=True) as conn:
        overdue = review.review_page(conn, review.ReviewFilter(overdue=True), limit=500, now=now)
        soon = review.review_page(
            conn, review.ReviewFilter(due_within_hours=72, sort="due"), limit=500, now=now
        )
    assert overdue.total > 0
    for r in overdue.rows:
        assert r.overdue
        assert r.status in review.OPEN_STATUSES
        assert r.due_at is not None
        assert datetime.fromisoformat(r.due_at) < now
    assert soon.total > 0
    dues = [datetime.fromisoformat(r.due_at or "") for r in soon.rows]
    assert dues == sorted(dues)
    assert all(now <= d for d in dues)
    assert not any(r.overdue for r in soon.rows)


def test_only_a_lead_reads_the_queue_and_bad_input_is_one_line(
    centre: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    url = centre["db"].url(centre["op"])
    code, out, err = _cli("review", "list", "--url", url, "--json", capsys=capsys)
    assert code == 2
    assert out == ""
    assert "not a shift lead's login" in err
    assert len(err.strip().splitlines()) == 1
    lead = centre["db"].url(centre["a"])
    for bad in (["--after", "nonsense"], ["--status", "DONE"], ["--limit", "0"]):
        code, _, err = _cli("review", "list", "--url", lead, *bad, "--json", capsys=capsys)
        assert code == 2, bad
        assert len(err.strip().splitlines()) == 1, err
        assert "Traceback" not in err


def _conflict(db: CentralDb) -> int:
    tid = db.scalar("SELECT id FROM central.tickets ORDER BY number LIMIT 1")
    return int(
        db.scalar(
            "INSERT INTO central.conflicts (ticket_id, seat, login, op_key, fields, local, remote, "
            "server_version) VALUES (%s, 'W001', 'op0001', 'k-' || gen_random_uuid(), "
            """'["urgency"]', '{"urgency": "utility"}', '{"urgency": "ordinary"}', 1) """
            "RETURNING id",
            tid,
        )
    )


def test_a_resolution_is_the_logins_and_final(
    centre: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    db = centre["db"]
    cid = _conflict(db)
    url_a, url_b = db.url(centre["a"]), db.url(centre["b"])
    code, out, _ = _cli("review", "conflicts", "--url", url_b, "--json", capsys=capsys)
    assert code == 0
    listed = [json.loads(line) for line in out.splitlines()]
    mine = next(c for c in listed if c["id"] == cid)
    assert mine["sides"] == [{"field": "urgency", "local": "utility", "remote": "ordinary"}]
    code, out, err = _cli(
        "review", "resolve", str(cid), "--url", url_a, "--keep", "remote", capsys=capsys
    )
    assert code == 0, err
    assert json.loads(out)["resolved_by"] == centre["a"]
    assert db.scalar("SELECT resolved_by FROM central.conflicts WHERE id = %s", cid) == centre["a"]
    # Another lead cannot resolve it again, through the function or directly.
    code, _, err = _cli(
        "review",
        "resolve",
        str(cid),
        "--url",
        url_b,
        "--keep",
        "edited",
        "--value",
        '"complex"',
        capsys=capsys,
    )
    assert code == 2
    assert f"resolved by {centre['a']}" in err
    for login in (centre["b"], centre["a"]):
        with psycopg.connect(db.url(login), autocommit=True) as conn:
            for sql in (
                "UPDATE central.conflicts SET resolved_by = 'someone' WHERE id = %s",
                "UPDATE central.conflicts SET resolved_at = NULL WHERE id = %s",
                "DELETE FROM central.conflicts WHERE id = %s",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(sql, (cid,))
    with db.admin() as conn:
        row = conn.execute(
            "SELECT resolved_by, resolution FROM central.conflicts WHERE id = %s", (cid,)
        ).fetchone()
    assert row == (centre["a"], '{"keep": "remote"}')


def test_an_edited_value_is_kept_and_an_operator_cannot_resolve(
    centre: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    db = centre["db"]
    cid = _conflict(db)
    code, _, err = _cli(
        "review",
        "resolve",
        str(cid),
        "--url",
        db.url(centre["op"]),
        "--keep",
        "local",
        capsys=capsys,
    )
    assert code == 2
    assert "refused" in err
    assert db.scalar("SELECT resolved_at FROM central.conflicts WHERE id = %s", cid) is None
    code, out, err = _cli(
        "review",
        "resolve",
        str(cid),
        "--url",
        db.url(centre["b"]),
        "--keep",
        "edited",
        "--value",
        '"complex"',
        capsys=capsys,
    )
    assert code == 0, err
    resolution = json.loads(
        db.scalar("SELECT resolution FROM central.conflicts WHERE id = %s", cid)
    )
    assert resolution == {"keep": "edited", "value": "complex"}


def test_the_counts_behind_the_totals_follow_every_change(centre: dict[str, Any]) -> None:
    db = centre["db"]
    per_group = (
        "SELECT status, district, (created_at AT TIME ZONE 'Asia/Shanghai')::date, count(*) "
        "FROM central.tickets GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
    )
    summary = (
        "SELECT status, district, day, n FROM central.review_counts WHERE n > 0 ORDER BY 1, 2, 3"
    )
    with db.admin() as conn:
        assert conn.execute(per_group).fetchall() == conn.execute(summary).fetchall()
        tid = conn.execute("SELECT id FROM central.tickets ORDER BY number LIMIT 1").fetchone()[0]
        conn.execute(
            "UPDATE central.tickets SET status = 'REOPENED', "
            "data = jsonb_set(data, '{place,district}', '\"延庆区\"') WHERE id = %s",
            (tid,),
        )
        assert conn.execute(per_group).fetchall() == conn.execute(summary).fetchall()


def test_events_keep_the_tickets_flags(centre: dict[str, Any]) -> None:
    db = centre["db"]
    with db.admin() as conn:
        tid, rehandled = conn.execute(
            "SELECT id, rehandled FROM central.tickets WHERE NOT dissatisfied "
            "ORDER BY number LIMIT 1"
        ).fetchone()
        conn.execute(
            "INSERT INTO central.ticket_events (ticket_id, seq, origin_seq, op_key, version, at, "
            "kind, actor_role, actor_id, from_status, to_status, data) VALUES (%s, 900, 1, "
            "'t-flags', 1, now(), 'transition', 'lead', 'x', 'REVISIT', 'REOPENED', "
            """'{"callback": {"satisfaction": "不满意", "resolved": false}}')""",
            (tid,),
        )
        assert conn.execute(
            "SELECT rehandled, dissatisfied FROM central.tickets WHERE id = %s", (tid,)
        ).fetchone() == (rehandled + 1, True)


@pytest.mark.parametrize("narrow", [False, True])
def test_due_order_pages_cross_tickets_without_a_limit(
    centre: dict[str, Any], capsys: pytest.CaptureFixture[str], narrow: bool
) -> None:
    """By due time, tickets without a limit (answered, transferred) come last; the cursor
    carries 'infinity' across them, with and without a narrow filter."""
    db = centre["db"]
    district = db.scalar(
        "SELECT district FROM central.tickets GROUP BY 1 ORDER BY count(*) LIMIT 1"
    )
    seat = db.scalar(
        "SELECT seat FROM central.tickets WHERE district = %s GROUP BY 1 "
        "ORDER BY count(*) DESC LIMIT 1",
        district,
    )
    extra = ["--seat", seat] if narrow else []
    args = ["--district", district, "--sort", "due", "--limit", "7", *extra]
    seen: list[dict[str, Any]] = []
    after: list[str] = []
    while True:
        rows, tail = _list(centre, capsys, *args, *after)
        seen += rows
        if tail["next"] is None:
            break
        after = ["--after", tail["next"]]
    expected = db.scalar(
        "SELECT count(*) FROM central.tickets WHERE district = %s AND (%s OR seat = %s)",
        district,
        not narrow,
        seat,
    )
    assert len(seen) == len({r["id"] for r in seen}) == tail["total"] == expected
    dues = [r["due_at"] for r in seen]
    with_limit = [datetime.fromisoformat(d) for d in dues if d]
    assert with_limit == sorted(with_limit)
    assert None not in dues[: len(with_limit)]  # those without a limit come last
    assert 0 < len(with_limit) < len(seen) > 7  # several pages, across both kinds
