"""The centre's retention purge (``agent-app central purge``, c0011_centre_retention) against
the real PostgreSQL, with an injected clock: it erases the callers of exactly the tickets
closed (or merged into a closed one) before the policy's cutoff, masks their names and
numbers in those tickets' words (c0014: data, events, conflicts, apply answers), deletes
their calls' transcripts and nothing else; open, recent and held tickets (an open conflict, a quality
check returned) keep everything; ``--dry-run`` changes nothing and says the same counts; a
lead or operator login cannot run it; the report figures are the same before and after; the
centre's audit trail verifies; the transcripts stay append-only for every app login."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb

from agent_app.cli import main
from agent_app.domain import timeutil
from agent_app.domain.lifecycle import TERMINAL
from agent_app.domain.privacy import mask_caller_in_text
from agent_app.errors import ConfigError
from agent_app.services import audit
from agent_app.services.retention import parse_policy
from agent_app.services.sync.engine import SyncEngine
from tests.helpers.cli import Cli
from tests.helpers.pg import CentralDb, add_tickets, new_seat, throwaway_centre

pytestmark = pytest.mark.postgres

CLOSED = sorted(s.value for s in TERMINAL)
CENTRE_DAYS = 120
LINES = [{"start_ms": 0, "end_ms": 900, "speaker": "caller", "text": "我家楼下路灯坏了"}]
# Callers whose name and number the operator also typed into the ticket's words (c0014):
# role in the test -> (name, number, confidential); names and numbers found nowhere else.
CANARIES = {
    "purged": ("王鹪鹩", "13957268413", False),
    "secret": ("甄鹬鹕", "13662951874", True),
    "conflict_resolved": ("钱鹧鸪", "13551234987", False),
    "applied": ("孙鹌鹑", "13451239876", False),
    "recent": ("贾鸬鹚", "13312345670", False),
    "conflict_held": ("周鸿雁", "13112345678", False),
    "open": ("赵鸳鸯", "13212345678", False),
}


@dataclass
class World:
    centre: CentralDb
    until: datetime  # the seed's end (the centre's "today" for its history)
    now: datetime  # the injected clock
    cutoff: datetime
    policy: Path
    lead: str
    op: str
    auditor: str
    picked: dict[str, str]  # role in the test -> ticket id


def _canary(conn: Any, ticket_id: str, name: str, phone: str, confidential: bool) -> None:
    """The caller ``name``/``phone``, written into the ticket's words as operators do."""
    spaced = f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    conn.execute(
        "UPDATE central.tickets SET data = data || jsonb_build_object("
        "'caller', (data->'caller') || jsonb_build_object('name', %s::text, 'phones', "
        "jsonb_build_array(%s::text), 'confidential', %s::boolean), "
        "'description', %s::text, 'notes', %s::text, 'outcome_detail', %s::text, "
        "'place', (data->'place') || jsonb_build_object('address', %s::text)) WHERE id = %s",
        (
            name, "+86" + phone, confidential,
            f"来电人{name}，电话{spaced}，{name[0]}先生反映2026-11-02 10:30楼道灯不亮。",
            f"回拨{phone}未接；{name}另留座机 010-87654321。",
            f"已告知{name}",
            f"朝阳区呼家楼街道{name}家楼下",
            ticket_id,
        ),
    )  # fmt: skip
    for n, data in enumerate(
        (
            {"text": f"{name}补充：电话改为{phone}", "status": "CLOSED"},
            {"reason": f"与{name}（{phone}）核实", "callback": {"words": f"{name}说已解决"}},
        ),
        start=1,
    ):
        conn.execute(
            "INSERT INTO central.ticket_events (ticket_id, seq, origin_seq, op_key, version, "
            "at, kind, actor_role, actor_id, data) SELECT id, "
            "(SELECT max(seq) FROM central.ticket_events WHERE ticket_id = %s) + 1, %s, "
            "'canary-' || id, version, now(), %s, 'operator', 'op', %s "
            "FROM central.tickets WHERE id = %s",
            (ticket_id, n, "supplement" if n == 1 else "note", Jsonb(data), ticket_id),
        )


def _ids(c: CentralDb, sql: str, *params: Any) -> list[str]:
    with c.admin() as conn:
        return [r[0] for r in conn.execute(sql, params or None).fetchall()]


def _transcript(c: CentralDb, ticket_id: str, key: str) -> None:
    with c.admin() as conn:
        conn.execute(
            "INSERT INTO central.ticket_transcripts (op_key, ticket_id, seat, login, "
            "line_count, lines) VALUES (%s, %s, 'S01', 'seed', 1, %s)",
            (key, ticket_id, Jsonb(LINES)),
        )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("centre_retention")
    with throwaway_centre() as c:
        until = timeutil.now().replace(microsecond=0)
        assert (
            main(
                ["central", "seed", "--url", c.admin_url(), "--tickets", "400", "--months", "12"]
                + ["--until", until.isoformat(), "--json"]
            )
            == 0
        )
        now = until + timedelta(days=10)
        cutoff = now - timedelta(days=CENTRE_DAYS)
        policy = tmp / "retention.toml"
        policy.write_text(f"[seat]\ncaller_days = 90\n[centre]\ncaller_days = {CENTRE_DAYS}\n")
        op = c.add_login("ret_op", "operator")
        lead = c.add_login("ret_lead", "lead")
        auditor = c.add_login("ret_aud", "auditor")
        # A seat: open tickets taken now and audit rows, through the real sync.
        db = new_seat(tmp / "seat")
        try:
            open_ids = add_tickets(db, "RT1", 3, operator=op)
            for i in range(4):
                audit.record_access(
                    db,
                    action=audit.UNMASK,
                    ticket_id=open_ids[0],
                    field=audit.FIELD_PHONE,
                    actor=op,
                    role="operator",
                    reason=f"callback {i}",
                )
            report = SyncEngine(db, c.target(op), seat="RT1", password_lookup=None).sync_once()
            assert report.ok
            assert report.audit_pushed == 4
        finally:
            db.dispose()
        old_closed = _ids(
            c,
            "SELECT id FROM central.tickets WHERE status = ANY (%s) AND server_updated_at < %s "
            "ORDER BY id",
            CLOSED,
            cutoff,
        )
        recent_closed = _ids(
            c,
            "SELECT id FROM central.tickets WHERE status = ANY (%s) AND server_updated_at > %s "
            "ORDER BY id",
            CLOSED,
            cutoff,
        )
        merged = _ids(
            c, "SELECT id FROM central.tickets WHERE status = 'MERGED_DUPLICATE' ORDER BY id"
        )
        assert len(old_closed) > 20
        assert recent_closed
        assert len(merged) >= 2
        picked = {
            "purged": old_closed[0],
            "qa_held": old_closed[1],
            "conflict_held": old_closed[2],
            "conflict_resolved": old_closed[3],
            "applied": old_closed[4],
            "recent": recent_closed[0],
            "open": open_ids[0],
            "merged_due": merged[0],
            "merged_open": merged[1],
            "secret": old_closed[5],
        }
        with c.admin() as conn:
            for key, (name, phone, confidential) in CANARIES.items():
                _canary(conn, picked[key], name, phone, confidential)
            old = cutoff - timedelta(days=5)
            conn.execute(
                "INSERT INTO central.qa_results (ticket_id, operator_id, reviewer, score, "
                "passed, returned) VALUES (%s, 'op', 'lead', 50, false, true)",
                (picked["qa_held"],),
            )
            for key, resolved in (("conflict_held", None), ("conflict_resolved", old)):
                conn.execute(
                    "INSERT INTO central.conflicts (ticket_id, seat, login, op_key, fields, "
                    "local, remote, server_version, resolved_at, resolution) "
                    "SELECT id, 'S01', 'x', 'k-' || id, '[\"caller\"]', "
                    "jsonb_build_object('caller', data->'caller', 'notes', data->'notes'), "
                    "jsonb_build_object('caller', data->'caller', 'description', "
                    "data->'description'), version, %s, '' "
                    "FROM central.tickets WHERE id = %s",
                    (resolved, picked[key]),
                )
            conn.execute(
                "INSERT INTO central.applied_ops (key, seat, login, ticket_id, status, detail) "
                "SELECT 'a-' || id, 'S01', 'x', id, 'conflict', jsonb_build_object('remote', "
                "jsonb_build_object('caller', data->'caller', 'description', data->'description'))"
                " FROM central.tickets WHERE id = %s",
                (picked["applied"],),
            )
            # merged into an old closed ticket (due) / into an open one (not due), both old
            for key, into in (("merged_due", "purged"), ("merged_open", "open")):
                conn.execute(
                    "UPDATE central.tickets SET data = jsonb_set(data, '{merged_into}', "
                    "to_jsonb((SELECT number FROM central.tickets WHERE id = %s))), "
                    "server_updated_at = %s WHERE id = %s",
                    (picked[into], old, picked[key]),
                )
        for key in ("purged", "qa_held", "conflict_held", "recent", "open", "merged_due"):
            _transcript(c, picked[key], f"tr-{key}")
        yield World(c, until, now, cutoff, policy, lead, op, auditor, picked)


def _snapshot(c: CentralDb) -> dict[str, Any]:
    with c.admin() as conn:
        return {
            "tickets": {
                r[0]: r[1:]
                for r in conn.execute(
                    "SELECT id, data, version, server_updated_at, status FROM central.tickets"
                )
            },
            "transcripts": {
                r[0] for r in conn.execute("SELECT ticket_id FROM central.ticket_transcripts")
            },
            "events": conn.execute("SELECT count(*) FROM central.ticket_events").fetchone()[0],
            "audit": conn.execute("SELECT count(*), max(hash) FROM central.audit_log").fetchone(),
            "text": conn.execute(
                "SELECT (SELECT string_agg(local::text || remote::text, '') "
                "FROM central.conflicts) || (SELECT string_agg(detail::text, '') "
                "FROM central.applied_ops) || (SELECT string_agg(data::text, '') "
                "FROM central.ticket_events)"
            ).fetchone()[0],
        }


def _masked(data: dict[str, Any]) -> dict[str, Any]:
    """A ticket's data with its words masked by the seat's rule for its caller."""
    caller = data["caller"]
    out = {k: mask_caller_in_text(data[k], caller) for k in ("description", "notes")}
    out["outcome_detail"] = mask_caller_in_text(data["outcome_detail"], caller)
    place = {**data["place"], "address": mask_caller_in_text(data["place"]["address"], caller)}
    return {**data, **out, "place": place}


def _rows_of(c: CentralDb, ticket_ids: list[str]) -> dict[str, str]:
    """Every centre row of each ticket (its data, events, conflicts, apply answers,
    transcripts) as one text."""
    with c.admin() as conn:
        return {
            tid: conn.execute(
                "SELECT concat_ws('|', (SELECT data::text FROM central.tickets WHERE id = %(t)s), "
                "(SELECT string_agg(data::text, '|') FROM central.ticket_events "
                "WHERE ticket_id = %(t)s), (SELECT string_agg(local::text || remote::text, '|') "
                "FROM central.conflicts WHERE ticket_id = %(t)s), (SELECT string_agg("
                "detail::text, '|') FROM central.applied_ops WHERE ticket_id = %(t)s), "
                "(SELECT string_agg(lines::text, '|') FROM central.ticket_transcripts "
                "WHERE ticket_id = %(t)s))",
                {"t": tid},
            ).fetchone()[0]
            for tid in ticket_ids
        }


def _expected_due(w: World, snap: dict[str, Any]) -> set[str]:
    tickets = snap["tickets"]
    by_number = {data["number"]: (status, at) for data, _v, at, status in tickets.values()}
    held = {w.picked["qa_held"], w.picked["conflict_held"]}
    due = set()
    for tid, (data, _v, at, status) in tickets.items():
        if at >= w.cutoff or tid in held:
            continue
        original = by_number.get(data.get("merged_into") or "")
        if status in CLOSED or (
            status == "MERGED_DUPLICATE"
            and original is not None
            and original[0] in CLOSED
            and original[1] < w.cutoff
        ):
            due.add(tid)
    return due


def _purge(w: World, cli: Cli, *more: str, login: str | None = None, ok: bool = True) -> Any:
    url = w.centre.url(login) if login else w.centre.admin_url()
    code, out, err = cli(
        "central", "purge", "--url", url, "--now", w.now.isoformat(),
        "--policy", str(w.policy), "--json", *more, ok=ok,
    )  # fmt: skip
    return json.loads(out) if ok else err


def _rates(w: World, cli: Cli) -> str:
    _, out, _ = cli(
        "report", "rates", "--url", w.centre.url(w.lead), "--json",
        "--from", (w.until - timedelta(days=365)).date().isoformat(),
        "--to", w.until.date().isoformat(),
    )  # fmt: skip
    return out


def test_the_purge_erases_exactly_what_the_policy_names(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    w, cli = world, Cli(capsys)
    before = _snapshot(w.centre)
    rates_before = _rates(w, cli)
    due = _expected_due(w, before)
    assert w.picked["merged_due"] in due
    assert w.picked["merged_open"] not in due
    assert not {w.picked[k] for k in ("qa_held", "conflict_held", "recent", "open")} & due
    phones = {p for tid in due for p in before["tickets"][tid][0]["caller"]["phones"]}
    assert phones

    dry = _purge(w, cli, "--dry-run")
    assert dry["dry_run"] is True
    assert dry["caller_days"] == CENTRE_DAYS
    assert datetime.fromisoformat(dry["cutoff"]) == w.cutoff.replace(microsecond=0)
    assert (dry["due"], dry["tickets"], dry["held"]) == (len(due), len(due), 2)
    assert (dry["transcripts"], dry["conflicts"], dry["applied_ops"]) == (2, 1, 1)
    assert _snapshot(w.centre) == before  # a dry run changes nothing

    done = _purge(w, cli)
    assert {**done, "dry_run": True} == dry  # the same counts
    after = _snapshot(w.centre)
    for tid, (data, version, at, status) in before["tickets"].items():
        new_data, new_version, new_at, new_status = after["tickets"][tid]
        assert (new_version, new_at, new_status) == (version, at, status)
        if tid in due:
            caller = new_data["caller"]
            assert caller["name"] == ""
            assert caller["phones"] == []
            assert caller["purged"] is True
            assert caller["confidential"] == data["caller"]["confidential"]
            # the words are masked with the caller as it was (as the seat's purge masks
            # them); nothing else changed
            assert {**new_data, "caller": data["caller"]} == _masked(data), tid
        else:
            assert new_data == data, tid
    # transcripts of purged tickets are gone, the others kept
    assert after["transcripts"] == before["transcripts"] - due
    assert {w.picked[k] for k in ("qa_held", "conflict_held", "recent", "open")} <= after[
        "transcripts"
    ]
    # no number of a purged caller is left in the tickets, events, conflicts or answers
    text = json.dumps([after["tickets"][t][0] for t in due]) + after["text"]
    assert not [p for p in phones if p in text]
    assert after["events"] == before["events"]
    assert after["audit"] == before["audit"]
    # no row of a purged ticket holds its caller's name or number in any form; the words of
    # the tickets kept are as they were
    purged_rows = _rows_of(w.centre, [w.picked[k] for k in CANARIES])
    for key, (name, phone, _conf) in CANARIES.items():
        held = purged_rows[w.picked[key]]
        if w.picked[key] in due:
            assert name not in held, key
            assert name[0] + "先生" not in held or not CANARIES[key][2], key
            assert not re.search(r"(?:\D?)".join(phone[-8:]), held), key
            assert "87654321" not in held, key
            assert "8765-4321" not in held, key
        else:
            assert name in held, key
            assert phone in held, key
    # 4 tickets, their 8 events, 1 conflict, 1 apply answer
    assert done["texts_masked"] == 14
    assert (
        w.centre.scalar("SELECT texts_masked FROM central.purge_runs ORDER BY id DESC LIMIT 1")
        == 14
    )
    # the reports give the same figures
    assert _rates(w, cli) == rates_before
    # the centre's audit trail still verifies
    _, out, _ = cli("audit", "verify", "--url", w.centre.url(w.auditor), "--json")
    verdict = json.loads(out)
    assert verdict["ok"] is True
    assert verdict["rows"] == 4
    # a second run finds nothing left to erase
    again = _purge(w, cli)
    assert (again["tickets"], again["transcripts"], again["conflicts"]) == (0, 0, 0)
    assert again["texts_masked"] == 0
    assert again["due"] == len(due)


def test_only_the_administrator_may_purge(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    cli = Cli(capsys)
    for login in (world.lead, world.op, world.auditor):
        err = _purge(world, cli, "--dry-run", login=login, ok=False)
        assert "may not purge" in err
        assert "Traceback" not in err
    # nor call the function behind the command
    with world.centre.server.connect(world.centre.name, world.lead) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT central.purge_closed(now(), true)")


def test_transcripts_stay_append_only(world: World) -> None:
    c = world.centre
    kept = world.picked["recent"]
    for login in (world.lead, world.op):
        with c.server.connect(c.name, login) as conn:
            conn.execute("SELECT set_config('central.retention_purge', 'on', false)")
            for sql in (
                "UPDATE central.ticket_transcripts SET lines = '[]' WHERE ticket_id = %s",
                "DELETE FROM central.ticket_transcripts WHERE ticket_id = %s",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                    conn.execute(sql, (kept,))
    # even a superuser's own statements (not the owner's purge) are refused by the trigger
    with c.admin() as conn:
        conn.execute("SELECT set_config('central.retention_purge', 'on', false)")
        for sql in (
            "UPDATE central.ticket_transcripts SET lines = '[]' WHERE ticket_id = %s",
            "DELETE FROM central.ticket_transcripts WHERE ticket_id = %s",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                with conn.transaction():
                    conn.execute(sql, (kept,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
            conn.execute("TRUNCATE central.ticket_transcripts CASCADE")
    assert c.scalar("SELECT count(*) FROM central.ticket_transcripts WHERE ticket_id = %s", kept)


def test_events_stay_append_only_outside_the_purge(world: World) -> None:
    """c0014 lets the purge (the owner, with the flag on) rewrite an event's data; nobody
    else may change or delete an event, with the flag or without."""
    c = world.centre
    kept = world.picked["recent"]
    statements = (
        "UPDATE central.ticket_events SET data = '{}' WHERE ticket_id = %s",
        "DELETE FROM central.ticket_events WHERE ticket_id = %s",
    )
    for login in (world.lead, world.op):
        with c.server.connect(c.name, login) as conn:
            conn.execute("SELECT set_config('central.retention_purge', 'on', false)")
            for sql in statements:
                with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                    conn.execute(sql, (kept,))
    with c.admin() as conn:
        conn.execute("SELECT set_config('central.retention_purge', 'on', false)")
        for sql in statements:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                with conn.transaction():
                    conn.execute(sql, (kept,))
    assert c.scalar(
        "SELECT count(*) FROM central.ticket_events WHERE ticket_id = %s AND data <> '{}'", kept
    )


def test_the_centre_policy_defaults_to_the_seats_days_and_is_checked() -> None:
    assert parse_policy("[seat]\ncaller_days = 45\n", "t").centre_caller_days == 45
    both = parse_policy("[seat]\ncaller_days = 45\n[centre]\ncaller_days = 400\n", "t")
    assert (both.caller_days, both.centre_caller_days) == (45, 400)
    with pytest.raises(ConfigError, match="caller_days"):
        parse_policy("[centre]\ncaller_days = -1\n", "t")
