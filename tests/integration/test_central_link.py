"""The lead's desk keeps its connections to the centre (storage/central/link.py): many reads
on one connection with one login check, a terminated backend replaced on the next read (a
read run again once, a write never), and the desk's close leaves no connection behind."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import psycopg
import pytest

from agent_app.services import call_transcripts, qa_desk, review
from agent_app.services import lead_desk as sources
from agent_app.services.central_seed import seed_centre
from agent_app.storage.central import link as link_mod
from agent_app.storage.central.link import CentralLink
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
            db.admin_target(), tickets=200, months=1, seed=5, until=UNTIL, password_lookup=None
        )
        lead = db.add_login("lk_lead", "lead")
        op = db.add_login("lk_op", "operator")
        yield {"db": db, "lead": lead, "op": op}
    finally:
        db.drop()


def _backends(db: CentralDb, login: str) -> list[int]:
    with db.admin() as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND usename = %s",
                (db.name, login),
            ).fetchall()
        ]


def _wait_backends(db: CentralDb, login: str, n: int) -> list[int]:
    deadline = time.monotonic() + 10
    while (pids := _backends(db, login)) and len(pids) != n and time.monotonic() < deadline:
        time.sleep(0.05)
    return pids


def _terminate(db: CentralDb, pid: int, login: str) -> None:
    with db.admin() as conn:
        assert conn.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)
    deadline = time.monotonic() + 10
    while pid in _backends(db, login) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)  # the server's goodbye has reached the client's socket


def _link(c: dict[str, Any], login: str = "", checks: list[Any] | None = None) -> CentralLink:
    def check(conn: Any) -> dict[str, Any]:
        identity = review.whoami(conn)
        if checks is not None:
            checks.append(identity)
        return identity

    target = c["db"].target(login or c["lead"])
    return CentralLink(target, password_lookup=_no_password, check=check)


def _blind(monkeypatch: pytest.MonkeyPatch) -> None:
    """The socket check sees nothing (a connection that broke without a word)."""
    monkeypatch.setattr(link_mod, "usable", lambda conn: not conn.closed and not conn.broken)


def _pid(link: CentralLink) -> int:
    return int(link.read(lambda conn: conn.execute("SELECT pg_backend_pid()").fetchone()[0]))


def test_the_desks_reads_share_one_connection_and_one_login_check(
    centre: dict[str, Any],
) -> None:
    db, lead = centre["db"], centre["lead"]
    checks: list[Any] = []
    link = _link(centre, checks=checks)
    target = link.target
    assert _backends(db, lead) == []
    queue = sources.CentralReview(target, link=link)
    figures = sources.CentralFigures(target, link=link)
    conflicts = sources.CentralConflicts(target, link=link)
    qa = qa_desk.CentralQA(target, link=link)
    try:
        assert link.opened == 0  # lazily: nothing before the first read
        first = queue.page(review.ReviewFilter(), limit=20, after=None)
        assert first.total > 20
        assert first.next is not None
        ticket_id = first.rows[0].id
        reads = 0
        for _ in range(5):
            assert queue.page(review.ReviewFilter(), limit=20, after=first.next).rows
            assert figures.rates(date(2026, 11, 1), date(2026, 11, 30), "district")
            assert sources.central_ticket(target, ticket_id, link=link) is not None
            assert sources.central_ticket_id(target, first.rows[0].number, link=link)
            call_transcripts.centre_calls(target, ticket_id, link=link)
            conflicts.list()
            qa.scores(date(2026, 11, 1), date(2026, 11, 30))
            reads += 7
        assert reads == 35
        assert link.opened == 1
        assert len(checks) == 1
        assert checks[0]["group"] == "lead"
        pids = _backends(db, lead)
        assert len(pids) == 1
        assert _pid(link) == pids[0]
        # Each read committed: nothing left open on the kept connection (PgBouncer may
        # hand its server connection on between reads).
        with db.admin() as conn:
            state = conn.execute(
                "SELECT state FROM pg_stat_activity WHERE pid = %s", (pids[0],)
            ).fetchone()
        assert state == ("idle",)
    finally:
        link.close()
    assert _wait_backends(db, lead, 0) == []
    assert link.opened == 1


def test_two_reads_at_once_use_two_connections_and_keep_at_most_two(
    centre: dict[str, Any],
) -> None:
    db, lead = centre["db"], centre["lead"]
    link = _link(centre)
    try:
        with link.connection() as a, link.connection() as b, link.connection() as c:
            assert len({a.info.backend_pid, b.info.backend_pid, c.info.backend_pid}) == 3
        assert link.opened == 3
        assert len(_wait_backends(db, lead, 2)) == 2  # the third closed on its return
        for _ in range(5):
            _pid(link)
        assert link.opened == 3
    finally:
        link.close()
    assert _wait_backends(db, lead, 0) == []


def test_a_terminated_backend_is_replaced_before_the_next_read(centre: dict[str, Any]) -> None:
    db, lead = centre["db"], centre["lead"]
    link = _link(centre)
    queue = sources.CentralReview(link.target, link=link)
    try:
        before = _pid(link)
        _terminate(db, before, lead)
        page = queue.page(review.ReviewFilter(), limit=5, after=None)
        assert len(page.rows) == 5
        assert link.opened == 2
        assert link.retried == 0
        after = _backends(db, lead)
        assert len(after) == 1
        assert after[0] != before
    finally:
        link.close()


def test_a_read_on_a_connection_that_broke_unseen_is_run_once_more(
    centre: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A connection whose end is not seen before use (a network drop: no FIN arrives): the
    read fails on it, runs again once on a new connection and answers."""
    db, lead = centre["db"], centre["lead"]
    link = _link(centre)
    figures = sources.CentralFigures(link.target, link=link)
    try:
        before = _pid(link)
        _terminate(db, before, lead)
        _blind(monkeypatch)
        rows = figures.rates(date(2026, 11, 1), date(2026, 11, 30), "district")
        assert rows
        assert (link.opened, link.retried) == (2, 1)
        assert _backends(db, lead) != [before]
        # Once only: a read that breaks twice fails (the centre really is gone).
        broken = 0

        def breaks(conn: Any) -> None:
            nonlocal broken
            broken += 1
            _terminate(db, conn.info.backend_pid, lead)
            conn.execute("SELECT 1")

        with pytest.raises(psycopg.OperationalError):
            link.read(breaks)
        assert broken == 2
        assert _pid(link) > 0  # the next read opens a new connection
    finally:
        link.close()


def test_a_write_is_never_sent_twice(
    centre: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, lead = centre["db"], centre["lead"]
    link = _link(centre)
    try:
        _terminate(db, _pid(link), lead)
        _blind(monkeypatch)
        sent: list[int] = []

        def write(conn: Any) -> Any:
            sent.append(1)
            return conn.execute("SELECT 1").fetchone()

        with pytest.raises(psycopg.OperationalError):
            link.write(write)
        assert sent == [1]
        assert link.retried == 0
        assert link.write(write) == (1,)  # the broken one was dropped; a new one answers
        assert link.opened == 2
    finally:
        link.close()


def test_identity_is_the_logins_and_a_non_lead_gets_no_queue(centre: dict[str, Any]) -> None:
    op_link = _link(centre, login=centre["op"])
    try:
        who = op_link.read(lambda conn: conn.execute("SELECT session_user").fetchone()[0])
        assert who == centre["op"]
        queue = sources.CentralReview(op_link.target, link=op_link)
        with pytest.raises(Exception, match="not a shift lead's login"):
            queue.page(review.ReviewFilter(), limit=5, after=None)
        assert op_link.opened == 1
    finally:
        op_link.close()


def test_the_desks_sources_close_their_connections(centre: dict[str, Any]) -> None:
    """What LeadDesk.shutdown calls: the centre keeps no connection of the lead's desk."""
    from agent_app.ui.lead_desk.desk import central_sources  # noqa: PLC0415

    db, lead = centre["db"], centre["lead"]
    srcs = central_sources(db.url(lead))
    assert srcs.close is not None
    assert srcs.review.page(review.ReviewFilter(), limit=5, after=None).rows
    assert srcs.overdue().open >= 0
    assert srcs.figures.rankings(date(2026, 11, 1))
    assert len(_backends(db, lead)) == 1
    srcs.close()
    assert _wait_backends(db, lead, 0) == []
    # A read after the close (a worker finishing late) still answers and keeps nothing.
    assert srcs.review.page(review.ReviewFilter(), limit=5, after=None).rows
    assert _wait_backends(db, lead, 0) == []
