"""The centre owns the ticket: it validates every op in the transaction that applies it, takes
seat, operator and actor from the login, and no ticket is ever silently undelivered.

Runs against the real PostgreSQL (fails rather than skips under CI)."""

from __future__ import annotations

import copy
import json
import unicodedata
import uuid
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg.types.json import Jsonb

from agent_app.cli import main
from agent_app.domain import timeutil
from agent_app.domain.serialize import event_to_dict, ticket_to_dict
from agent_app.domain.validation import (
    RULES,
    clean_text,
    group_actor_rows,
    payload_problem,
    transition_rows,
)
from agent_app.paths import DataPaths
from agent_app.services.demo import DemoGenerator
from agent_app.services.sync.engine import SyncEngine
from agent_app.services.sync.identity import cached_identity, central_role, desk_for
from agent_app.services.workstation import Workstation
from agent_app.storage import cipher
from agent_app.storage import repository as repo
from tests.helpers.pg import CentralDb, add_tickets, edit_ticket, new_seat, require_server

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    db = CentralDb(require_server()).create()
    try:
        yield db
    finally:
        db.drop()


def _payload(seat: str, login: str, n: int, *, status_chain: bool = True) -> dict[str, Any]:
    """A valid first payload of ticket ``n`` made at ``seat`` by ``login`` (dispatched)."""
    now = timeutil.now()
    t = DemoGenerator(seed=n).ticket(
        f"20260101-{seat}-{n:04d}",
        now - timedelta(minutes=5),
        now,
        seat=seat,
        operator=login,
        is_demo=False,
        intake_only=True,
    )
    data = ticket_to_dict(t, with_events=False)
    data["events"] = [{**event_to_dict(e), "seq": i} for i, e in enumerate(t.events, start=1)]
    return data


def _op(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": str(uuid.uuid4()),
        "ticket_id": payload["id"],
        "op": "upsert_ticket",
        "payload": payload,
        "changed": [k for k in payload if k != "events"],
        "base_version": None,
        "notes_append": "",
    }


def _apply(central: CentralDb, login: str, seat: str, ops: list[dict[str, Any]]) -> list[Any]:
    with central.server.connect(central.name, login) as conn:
        row = conn.execute(
            "SELECT central.apply_batch(%s, %s, '{}')", (seat, Jsonb(ops))
        ).fetchone()
    return list(row[0]["results"])


def _settings(seat_dir: Path, seat: str) -> None:
    seat_dir.mkdir(parents=True, exist_ok=True)
    (seat_dir / "settings.ini").write_text(f"[options]\nseat={seat}\n", encoding="utf-8")


# The tables the centre checks against are the domain's ------------------------------------


def test_central_tables_equal_the_domain_tables(central: CentralDb) -> None:
    with central.admin() as conn:
        transitions = sorted(
            tuple(r)
            for r in conn.execute("SELECT source, target, actor FROM central.lifecycle_transitions")
        )
        actors = sorted(
            tuple(r) for r in conn.execute("SELECT grp, actor FROM central.group_actors")
        )
        rules = conn.execute(
            "SELECT scope, name, kind, nullable, max_len, min_len, max_items, choices, pattern, "
            "minimum, maximum, future FROM central.payload_rules ORDER BY ord"
        ).fetchall()
    assert transitions == transition_rows()
    assert len(transitions) == 34
    assert actors == group_actor_rows()

    def num(v: float | None) -> Decimal | None:
        return None if v is None else Decimal(str(v))

    assert [tuple(r) for r in rules] == [
        (
            r.scope,
            r.name,
            r.kind,
            r.nullable,
            r.max_len,
            r.min_len,
            r.max_items,
            list(r.choices),
            r.pattern,
            num(r.minimum),
            num(r.maximum),
            r.future,
        )
        for r in RULES
    ]


# Forgeries by an operator login: each rejected with a reason, none blocks the others -------


def test_operator_forgeries_are_rejected_with_a_reason_and_a_lead_pulls_the_rest(
    central: CentralDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    op = central.add_login("forger", "operator")
    other = central.add_login("victim", "operator")
    lead = central.add_login("fl", "lead")
    # The victim's seat exists and holds its numbers.
    assert _apply(central, other, "VS", [_op(_payload("VS", other, 1))])[0]["status"] == "applied"

    n = iter(range(100, 200))

    def good() -> dict[str, Any]:
        return _payload("FS", op, next(n))

    def with_event(p: dict[str, Any], **event: Any) -> dict[str, Any]:
        p["events"] = [{**p["events"][0], **event}, *p["events"][1:]]
        return p

    def closed_directly() -> dict[str, Any]:
        p = good()
        p["status"] = "CLOSED"
        p["events"] = p["events"][:1]  # created, then nothing: CLOSED out of thin air
        return p

    def closed_by_transition() -> dict[str, Any]:
        p = good()
        p["status"] = "CLOSED"
        p["events"] = [
            p["events"][0],
            {
                **p["events"][0],
                "kind": "transition",
                "from_status": "INTAKE",
                "to_status": "CLOSED",
                "seq": 2,
            },
        ]
        return p

    def over_long() -> dict[str, Any]:
        p = good()
        p["description"] = "长" * 4001
        return p

    cases: list[tuple[str, dict[str, Any], str]] = [
        ("invalid status", {**good(), "status": "BOGUS"}, "invalid:status"),
        ("forged actor", with_event(good(), actor_id=other), "actor_mismatch"),
        ("lead as actor", with_event(good(), actor_role="lead"), "actor_role_forbidden:lead"),
        ("forged seat", {**good(), "seat": "VS"}, "seat_mismatch"),
        ("forged operator", {**good(), "operator_id": other}, "operator_mismatch"),
        ("another seat's number", {**good(), "number": "20260101-VS-0002"}, "number_not_yours"),
        ("created directly CLOSED", closed_directly(), "status_without_transition"),
        ("INTAKE>CLOSED", closed_by_transition(), "transition_not_allowed:INTAKE>CLOSED"),
        (
            "2099 created_at",
            {**good(), "created_at": "2099-01-01T09:00:00+08:00"},
            "future_date:created_at",
        ),
        ("impossible date", {**good(), "created_at": "2026-13-45T99:00"}, "bad_date:created_at"),
        ("over-long field", over_long(), "too_long:description"),
    ]
    valid = [good() for _ in range(3)]
    ops = [_op(p) for _, p, _ in cases]
    # The valid tickets travel in the same batch, behind and between the bad ones.
    batch = [ops[0], _op(valid[0]), *ops[1:6], _op(valid[1]), *ops[6:], _op(valid[2])]
    results = {r["key"]: r for r in _apply(central, op, "FS", batch)}
    for (what, _doc, reason), o in zip(cases, ops, strict=True):
        assert results[o["key"]]["status"] == "rejected", what
        assert results[o["key"]]["detail"]["reason"] == reason, what
    for p in valid:
        (r,) = [
            r
            for r in results.values()
            if r["key"] in {o["key"] for o in batch if o["ticket_id"] == p["id"]}
        ]
        assert r["status"] == "applied"
    # Pushing under the victim's seat id is refused for the whole call, with one message.
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="registered to another login"):
        _apply(central, op, "VS", [_op(_payload("VS", op, 7))])
    with central.admin() as conn:
        seat, operator, created_by = conn.execute(
            "SELECT seat, operator_id, created_by FROM central.tickets WHERE id = %s",
            (valid[0]["id"],),
        ).fetchone()
        assert (seat, operator, created_by) == ("FS", op, op)
        actors = {r[0] for r in conn.execute("SELECT DISTINCT actor_id FROM central.ticket_events")}
        assert actors == {op, other}
        statuses = {r[0] for r in conn.execute("SELECT DISTINCT status FROM central.tickets")}
        total = conn.execute("SELECT count(*) FROM central.tickets").fetchone()[0]
    assert statuses == {"DISPATCHED"}
    # A shift lead's seat syncs afterwards: exit 0, every valid ticket pulled.
    lead_dir = tmp_path / "lead"
    _settings(lead_dir, "LS")
    code = main(["sync", "--once", "--data-dir", str(lead_dir), "--central", central.url(lead)])
    out = capsys.readouterr()
    assert code == 0, out.err
    con = cipher.connect(lead_dir / "agent.sqlite3")
    try:
        assert con.execute("SELECT count(*) FROM tickets").fetchone()[0] == total
    finally:
        con.close()


def test_a_lead_may_close_through_the_lifecycle_and_an_operator_may_not(central: CentralDb) -> None:
    op, lead = central.add_login("lc_op", "operator"), central.add_login("lc_lead", "lead")
    for login, seat, expected in ((op, "LO", "transition_not_allowed"), (lead, "LL", None)):
        p = _payload(seat, login, 1)
        created = p["events"][0]
        p["status"] = "CLOSED"
        p["events"] = [
            created,
            {
                **created,
                "kind": "transition",
                "from_status": "INTAKE",
                "to_status": "MERGED_DUPLICATE",
                "seq": 2,
            },
            {
                **created,
                "actor_role": "lead",
                "kind": "transition",
                "from_status": "MERGED_DUPLICATE",
                "to_status": "CLOSED",
                "seq": 3,
            },
        ]
        (r,) = _apply(central, login, seat, [_op(p)])
        if expected is None:
            assert r["status"] == "applied", r
        else:
            assert r["detail"]["reason"].startswith("actor_role_forbidden"), r


# Two seats configured alike ---------------------------------------------------------------


def test_two_seats_on_one_seat_id_never_lose_a_ticket_silently(
    central: CentralDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_login, b_login = (
        central.add_login("twin_a", "operator"),
        central.add_login("twin_b", "operator"),
    )
    dirs = {}
    for name, login in (("a", a_login), ("b", b_login)):
        d = tmp_path / name
        _settings(d, "S01")
        db = new_seat(d)
        add_tickets(db, "S01", 50, operator=login, seed=7 if name == "a" else 8)
        db.dispose()
        dirs[name] = d

    def sync(name: str, login: str, *extra: str) -> int:
        return main(
            [
                "sync",
                "--once",
                "--data-dir",
                str(dirs[name]),
                "--central",
                central.url(login),
                *extra,
            ]
        )

    assert sync("a", a_login) == 0
    capsys.readouterr()
    code = sync("b", b_login)
    err = capsys.readouterr().err.strip()
    assert code != 0
    assert len(err.splitlines()) == 1
    assert "seat id S01 is registered to another login" in err
    assert central.scalar("SELECT count(*) FROM central.tickets WHERE seat = 'S01'") == 50
    con = cipher.connect(dirs["b"] / "agent.sqlite3")
    try:  # nothing of the second seat was dropped: all 50 still wait to be sent
        assert con.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0] == 50
    finally:
        con.close()
    # The way out: the second seat gets its own id; its tickets, numbered S01, are refused for
    # their number (visible, exit != 0) until renumbered; then all 100 are at the centre.
    _settings(dirs["b"], "S02")
    assert sync("b", b_login) == 4
    out = capsys.readouterr()
    assert "50 ticket(s) not delivered" in out.err
    assert "seat_mismatch" in out.err
    assert sync("b", b_login, "--renumber") == 0
    capsys.readouterr()
    with central.admin() as conn:
        assert conn.execute(
            "SELECT count(*), count(DISTINCT number) FROM central.tickets WHERE seat IN ('S01', 'S02')"
        ).fetchone() == (100, 100)


# One corrupted outbox row -----------------------------------------------------------------


def test_a_corrupted_outbox_row_is_undelivered_and_blocks_nothing(
    central: CentralDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    login = central.add_login("corrupt", "operator")
    d = tmp_path / "seat"
    _settings(d, "CR")
    db = new_seat(d)
    ids = add_tickets(db, "CR", 20, operator=login)
    db.dispose()
    bad = ids[0]  # the FIRST row: everything behind it must still move
    con = cipher.connect(d / "agent.sqlite3")
    con.execute(
        "UPDATE outbox SET payload = json_set(payload, '$.created_at', '2026-13-45T99:00') "
        "WHERE ticket_id = ?",
        (bad,),
    )
    con.commit()
    con.close()
    argv = ["sync", "--once", "--data-dir", str(d), "--central", central.url(login), "--json"]
    assert main(argv) == 4
    out = capsys.readouterr()
    report = json.loads(out.out.strip().splitlines()[-1])
    assert (report["pushed"], report["quarantined"], report["undelivered"], report["queue"]) == (
        19,
        1,
        1,
        0,
    )
    assert "bad_date:created_at" in out.err
    assert len(out.err.strip().splitlines()) == 1
    assert central.scalar("SELECT count(*) FROM central.tickets WHERE seat = 'CR'") == 19
    ws = Workstation(DataPaths(d), seat="CR", operator_id=login, demo=False)
    try:
        (item,) = ws.undelivered()
        assert item.ticket_id == bad
        assert item.reason == "bad_date:created_at"
        assert ws.undelivered_count() == 1
        assert ws.pending_outbox() == 0
        ws.resend(bad)  # the ticket itself is fine: send its current state again
        assert ws.undelivered() == []
    finally:
        ws.close()
    assert main(argv) == 0
    capsys.readouterr()
    assert central.scalar("SELECT count(*) FROM central.tickets WHERE seat = 'CR'") == 20


def test_a_refused_ticket_holds_its_later_changes_and_resends_them_together(
    central: CentralDb, tmp_path: Path
) -> None:
    login = central.add_login("held", "operator")
    db = new_seat(tmp_path / "seat")
    try:
        first, second = add_tickets(db, "HD", 2, operator=login)
        # The first change carries a number of another seat: the centre refuses it.
        con = cipher.connect(tmp_path / "seat" / "agent.sqlite3")
        con.execute(
            "UPDATE outbox SET payload = json_set(payload, '$.number', '20260101-XX-0001') "
            "WHERE ticket_id = ?",
            (first,),
        )
        con.commit()
        con.close()
        engine = SyncEngine(db, central.target(login), seat="HD", password_lookup=None)
        r = engine.sync_once()
        assert (r.ok, r.rejected, r.applied, r.undelivered) == (True, 1, 1, 1)
        assert not r.complete
        (item,) = engine.undelivered()
        assert (item["ticket_id"], item["reason"]) == (first, "number_not_yours")

        edit_ticket(db, first, actor=login, notes_append="[later]")
        r = engine.sync_once()
        assert r.pushed == 0  # the later change waits behind the refused one
        assert r.queue == 0
        assert engine.resend_undelivered() == {"resent": 1, "renumbered": 0, "still_invalid": 0}
        r = engine.sync_once()
        assert r.complete, r
        with central.admin() as conn:
            number, notes, events = conn.execute(
                "SELECT t.number, t.data->>'notes', (SELECT count(*) FROM central.ticket_events e "
                "WHERE e.ticket_id = t.id) FROM central.tickets t WHERE id = %s",
                (first,),
            ).fetchone()
        with db.read() as s:
            local = repo.get_ticket(s, first)
        assert local is not None
        assert (number, notes) == (local.number, local.notes)
        assert notes.endswith("[later]")
        assert events == len(local.events)
        assert second
    finally:
        db.dispose()


# Pull never crashes ------------------------------------------------------------------------


def test_pull_quarantines_rows_it_cannot_apply_and_moves_on(
    central: CentralDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    op, lead = central.add_login("pq_op", "operator"), central.add_login("pq_lead", "lead")
    good = [_payload("PQ", op, i) for i in range(1, 6)]
    assert {r["status"] for r in _apply(central, op, "PQ", [_op(p) for p in good])} == {"applied"}
    lead_dir = tmp_path / "lead"
    _settings(lead_dir, "PL")
    lead_db = new_seat(lead_dir)
    (mine,) = add_tickets(lead_db, "PL", 1, operator=lead)
    with lead_db.read() as s:
        my_number = repo.get_ticket(s, mine).number  # type: ignore[union-attr]
    lead_db.dispose()
    # Rows written before the centre validated (or by hand): an unknown status, a number
    # this seat already uses for another ticket.
    bogus = {**_payload("PQ", op, 90), "status": "BOGUS"}
    clash = {**_payload("PQ", op, 91), "number": my_number}
    with central.admin() as conn:
        for p in (bogus, clash):
            data = {k: v for k, v in p.items() if k != "events"}
            conn.execute(
                "INSERT INTO central.tickets (id, number, seat, operator_id, created_at, status, "
                "version, data, created_by) VALUES (%s, %s, 'PQ', %s, now(), %s, "
                "nextval('central.ticket_version_seq'), %s, %s)",
                (p["id"], p["number"], op, p["status"], json.dumps(data), op),
            )
    argv = ["sync", "--once", "--data-dir", str(lead_dir), "--central", central.url(lead), "--json"]
    assert main(argv) == 4
    out = capsys.readouterr()
    report = json.loads(out.out.strip().splitlines()[-1])
    assert report["pull_quarantined"] == 2
    assert "quarantined" in out.err
    con = cipher.connect(lead_dir / "agent.sqlite3")
    try:
        have = {r[0] for r in con.execute("SELECT id FROM tickets")}
        reasons = sorted(r[0] for r in con.execute("SELECT reason FROM sync_quarantine"))
    finally:
        con.close()
    assert {p["id"] for p in good} <= have
    assert bogus["id"] not in have
    assert clash["id"] not in have
    assert reasons == ["invalid_row:ValueError", "number_collision"]
    # The seat's own ticket lost its number to the hand-written row: undelivered, visible.
    assert "number_taken" in out.err
    # The way out (renumber); the quarantined rows are not tripped over again.
    assert main([*argv, "--renumber"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out.strip().splitlines()[-1])["pull_quarantined"] == 0
    assert central.scalar("SELECT count(*) FROM central.tickets WHERE id = %s", mine) == 1


# Counts stay right when the link dies --------------------------------------------------------


def test_counts_after_a_disconnect_say_what_the_centre_applied(
    central: CentralDb, tmp_path: Path
) -> None:
    login = central.add_login("cut", "operator")
    db = new_seat(tmp_path / "seat")
    try:
        add_tickets(db, "CT", 50, operator=login)
        acks = []

        def fault(point: str) -> None:
            if point == "after_local_ack":
                acks.append(point)
                if len(acks) == 3:
                    raise psycopg.OperationalError("connection cut")

        engine = SyncEngine(
            db, central.target(login), seat="CT", batch_size=10, password_lookup=None, fault=fault
        )
        r = engine.sync_once()
        assert not r.ok
        assert (r.pushed, r.applied, r.batches, r.queue) == (30, 30, 3, 20)
        assert central.scalar("SELECT count(*) FROM central.tickets WHERE seat = 'CT'") == 30
    finally:
        db.dispose()


# Identity comes from the login ---------------------------------------------------------------


def test_the_seat_role_comes_from_the_central_login_and_is_cached(
    central: CentralDb, tmp_path: Path
) -> None:
    lead, op = central.add_login("who_lead", "lead"), central.add_login("who_op", "operator")
    for login, role in ((lead, "lead"), (op, "operator")):
        d = tmp_path / login
        db = new_seat(d)
        try:
            identity = central_role(db, central.target(login), password_lookup=lambda _k: None)
            assert identity is not None
            assert (identity.login, identity.group, identity.role.value, identity.source) == (
                login,
                role,
                role,
                "centre",
            )
            down = central.target(login).__class__(**{**central.target(login).__dict__, "port": 9})
            offline = central_role(db, down, password_lookup=lambda _k: None)
            assert offline is not None
            assert (offline.role.value, offline.source) == (role, "cache")
        finally:
            db.dispose()
        desk = desk_for(
            d / "agent.sqlite3", demo=False, central_url=central.url(login), operator_id="op001"
        )
        assert desk.role is not None
        assert (desk.role.value, desk.operator_id) == (role, login)
        assert cached_identity(d / "agent.sqlite3") is not None
    # Without a centre nobody is a lead; only demo/training data lets the dialog choose.
    nowhere = desk_for(tmp_path / "none.sqlite3", demo=False, central_url="", operator_id="op001")
    assert nowhere.role is not None
    assert nowhere.role.value == "operator"
    assert (
        desk_for(tmp_path / "none.sqlite3", demo=True, central_url="", operator_id="op001").role
        is None
    )


# R14: the seat and the centre decide alike ----------------------------------------------------

ALPHABET = st.sampled_from(
    list("abcXYZ09 -_:.+T长派单朝阳区")
    + [
        "e\u0301",
        "\u0301",
        "\u1100\u1161",
        "\uac00",
        "\u212b",
        "\u00c5",
        "\t",
        "\n",
        "\r",
        "\x07",
        "\x85",
        "\x9f",
        "\u00a0",
        "\U0001f600",
    ]
)


def _texts(max_size: int) -> st.SearchStrategy[str]:
    return st.lists(ALPHABET, max_size=max_size).map("".join)


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-1000, max_value=1000),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    _texts(8),
    st.sampled_from(
        [
            "INTAKE",
            "CLOSED",
            "BOGUS",
            "phone",
            "ordinary",
            "2026-01-01T10:00:00+08:00",
            "2026-01-01T10:00Z",
            "2026-02-30T10:00:00+08:00",
            "2026-13-45T99:00",
            "2099-01-01T00:00:00+08:00",
            "1999-12-31T23:59:59+00:00",
            "2026-01-01 10:00:00+08:00",
            "2026-01-01T24:00:00+08:00",
            "2026-01-01T10:00:00.1234567+08:00",
            "2026-01-01T10:00:00",
            "20260101-S1-0001",
            "c2d6a2e8-2f4e-4a51-9a53-0d6b7a1f0c11",
        ]
    ),
    st.lists(_texts(4), max_size=6),
    st.dictionaries(st.sampled_from(["name", "x"]), _texts(3), max_size=2),
)


@st.composite
def payloads(draw: st.DrawFn) -> dict[str, Any]:
    base = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        rule = draw(st.sampled_from(RULES))
        if rule.scope == "event":
            events = base.get("events")
            if not (isinstance(events, list) and events and isinstance(events[0], dict)):
                continue
            target = events[0]
        else:
            target = base
        *parents, leaf = rule.path
        for key in parents:
            nxt = target.get(key)
            if not isinstance(nxt, dict):
                break
            target = nxt
        else:
            choice = draw(st.integers(min_value=0, max_value=3))
            if choice == 0 and rule.max_len:  # around the length limit
                size = rule.max_len + draw(st.integers(min_value=-1, max_value=1))
                target[leaf] = draw(st.sampled_from(["长", "a", "e\u0301"])) * max(size, 0)
            elif choice == 1:
                target.pop(leaf, None)
            else:
                target[leaf] = draw(VALUES)
    return base


BASE: dict[str, Any] = _payload("DF", "someone", 1)


def test_seat_and_centre_validators_decide_alike(central: CentralDb) -> None:
    with central.admin() as conn:

        @settings(
            max_examples=400,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(payloads())
        def check(doc: dict[str, Any]) -> None:
            seat = payload_problem(doc)
            centre = conn.execute("SELECT central.payload_problem(%s)", (Jsonb(doc),)).fetchone()[0]
            assert seat == centre

        check()
        assert payload_problem(BASE) is None
        assert (
            conn.execute("SELECT central.payload_problem(%s)", (Jsonb(BASE),)).fetchone()[0] is None
        )


@given(st.text(max_size=50))
def test_cleaning_text_gives_nfc_without_control_characters_and_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    doc = {**BASE, "description": once}
    assert payload_problem(doc) in (None, "too_long:description")
