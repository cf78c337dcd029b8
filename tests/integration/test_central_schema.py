"""The central schema: migration, least privilege (role x operation matrix), demo refusal."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb

from agent_app.cli import main
from agent_app.domain import timeutil
from agent_app.domain.serialize import event_to_dict, ticket_to_dict
from agent_app.services.demo import DemoGenerator
from agent_app.storage.central import schema
from agent_app.storage.central.models import metadata
from tests.helpers.pg import CentralDb, require_server

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    db = CentralDb(require_server()).create()
    try:
        yield db
    finally:
        db.drop()


def _ticket(seat: str, unit: str, n: int, login: str = "x") -> dict[str, Any]:
    """A valid first payload of a ticket made at ``seat`` by ``login``."""
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
    data["main_unit"] = unit
    data["events"] = [{**event_to_dict(e), "seq": i} for i, e in enumerate(t.events, start=1)]
    return data


def _op(
    payload: dict[str, Any], changed: list[str] | None = None, base: int | None = None
) -> dict[str, Any]:
    return {
        "key": str(uuid.uuid4()),
        "ticket_id": payload["id"],
        "op": "upsert_ticket",
        "payload": payload,
        "changed": changed if changed is not None else [k for k in payload if k != "events"],
        "base_version": base,
        "notes_append": "",
    }


def _apply(
    central: CentralDb,
    login: str,
    ops: list[dict[str, Any]],
    meta: dict[str, Any] | None = None,
    seat: str | None = None,
) -> list[dict[str, Any]]:
    """``apply_batch`` as ``login`` from ``seat`` (default: a seat id of the login's own)."""
    with central.server.connect(central.name, login) as conn:
        row = conn.execute(
            "SELECT central.apply_batch(%s, %s, %s)",
            (seat or login[-32:], Jsonb(ops), Jsonb(meta or {})),
        ).fetchone()
    return list(row[0]["results"])


@pytest.fixture(scope="module")
def world(central: CentralDb) -> dict[str, Any]:
    roles = {
        "op_a": central.add_login("op_a", "operator"),
        "op_b": central.add_login("op_b", "operator"),
        "lead": central.add_login("lead", "lead"),
        "handler": central.add_login("handler", "handler", units=("U1",)),
    }
    with central.admin() as conn:
        conn.execute(f"CREATE ROLE {central.prefix}_nobody LOGIN")
    central.logins.append(f"{central.prefix}_nobody")
    roles["nobody"] = f"{central.prefix}_nobody"
    a, b = _ticket("SA", "U1", 1, roles["op_a"]), _ticket("SB", "U2", 2, roles["op_b"])
    assert _apply(central, roles["op_a"], [_op(a)], seat="SA")[0]["status"] == "applied"
    assert _apply(central, roles["op_b"], [_op(b)], seat="SB")[0]["status"] == "applied"
    return {"roles": roles, "a": a, "b": b}


def _run(central: CentralDb, login: str, sql: str) -> tuple[bool, Any]:
    with central.server.connect(central.name, login) as conn:
        try:
            cur = conn.execute(sql)
            rows = cur.fetchall() if cur.description else cur.rowcount
        except psycopg.errors.InsufficientPrivilege:
            return False, None
    return True, rows


def test_migration_is_idempotent_and_matches_models(central: CentralDb) -> None:
    assert schema.upgrade(central.admin_target(), password_lookup=None) == schema.HEAD
    with central.admin() as conn:
        for table in metadata.sorted_tables:
            cols = {
                r[0]
                for r in conn.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'central' AND table_name = %s",
                    (table.name,),
                )
            }
            assert cols == {c.name for c in table.columns}, table.name


def test_roles_are_least_privileged(central: CentralDb, world: dict[str, Any]) -> None:
    p = central.prefix
    with central.admin() as conn:
        for role in [
            *world["roles"].values(),
            f"{p}_owner",
            f"{p}_operator",
            f"{p}_lead",
            f"{p}_handler",
        ]:
            sup, bypass = conn.execute(
                "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", (role,)
            ).fetchone()
            assert not sup, role
            assert not bypass, role
        assert (
            conn.execute(
                "SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (f"{p}_owner",)
            ).fetchone()[0]
            is False
        )
        owners = {
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'central'"
            )
        }
        assert owners == {f"{p}_owner"}
        forced = dict(
            conn.execute(
                "SELECT relname, relforcerowsecurity AND relrowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'central' AND relkind = 'r' AND relname <> 'alembic_version'"
            ).fetchall()
        )
        assert forced
        assert all(forced.values()), forced


# Allowed (True) or denied (False) for each login role; SELECT results are checked separately.
MATRIX: dict[str, dict[str, bool]] = {
    # Handlers read through central.unit_tickets() only (the caller masked).
    "SELECT id FROM central.tickets": {
        "op_a": True,
        "op_b": True,
        "lead": True,
        "handler": False,
        "nobody": False,
    },
    "SELECT id FROM central.ticket_events": {
        "op_a": True,
        "op_b": True,
        "lead": True,
        "handler": False,
        "nobody": False,
    },
    "SELECT id FROM central.conflicts": {
        "op_a": False,
        "op_b": False,
        "lead": True,
        "handler": False,
        "nobody": False,
    },
    # Leads resolve through central.resolve_conflict() only (c0005): once, as themselves.
    "UPDATE central.conflicts SET resolution = 'x'": {
        "op_a": False,
        "op_b": False,
        "lead": False,
        "handler": False,
        "nobody": False,
    },
    "DELETE FROM central.conflicts": {
        r: False for r in ("op_a", "op_b", "lead", "handler", "nobody")
    },
    "SELECT key FROM central.applied_ops": {
        r: False for r in ("op_a", "op_b", "lead", "handler", "nobody")
    },
    "SELECT * FROM central.handler_units": {
        r: False for r in ("op_a", "op_b", "lead", "handler", "nobody")
    },
    "UPDATE central.tickets SET status = 'CLOSED'": {
        r: False for r in ("op_a", "op_b", "lead", "handler", "nobody")
    },
    "DELETE FROM central.tickets": {
        r: False for r in ("op_a", "op_b", "lead", "handler", "nobody")
    },
    "INSERT INTO central.applied_ops (key, seat, ticket_id) VALUES ('k', 's', 't')": {
        r: False for r in ("op_a", "op_b", "lead", "handler", "nobody")
    },
    "INSERT INTO central.ticket_events (ticket_id, seq, origin_seq, op_key, version, at, kind, actor_role, actor_id) VALUES ('t', 1, 1, 'k', 1, now(), 'x', 'x', 'x')": {
        r: False for r in ("op_a", "op_b", "lead", "handler", "nobody")
    },
    "SELECT central.apply_batch(right(session_user, 32), '[]'::jsonb)": {
        "op_a": True,
        "op_b": True,
        "lead": True,
        "handler": True,
        "nobody": False,
    },
    "SELECT central.my_units()": {
        "op_a": False,
        "op_b": False,
        "lead": False,
        "handler": True,
        "nobody": False,
    },
}


@pytest.mark.parametrize("sql", list(MATRIX))
def test_permission_matrix(central: CentralDb, world: dict[str, Any], sql: str) -> None:
    for short, allowed in MATRIX[sql].items():
        ok, _ = _run(central, world["roles"][short], sql)
        assert ok is allowed, (short, sql)


def test_row_level_visibility(central: CentralDb, world: dict[str, Any]) -> None:
    a, b = world["a"]["id"], world["b"]["id"]
    expected = {"op_a": {a}, "op_b": {b}, "lead": {a, b}}
    for short, ids in expected.items():
        _, rows = _run(central, world["roles"][short], "SELECT id FROM central.tickets")
        assert {r[0] for r in rows} == ids, short
        _, rows = _run(
            central, world["roles"][short], "SELECT DISTINCT ticket_id FROM central.ticket_events"
        )
        assert {r[0] for r in rows} == ids, short
    # A handler reads its units' tickets through central.unit_tickets(), the caller masked.
    _, rows = _run(central, world["roles"]["handler"], "SELECT central.unit_tickets()")
    assert [r[0]["number"] for r in rows] == [world["a"]["number"]]
    phones = world["a"]["caller"]["phones"]
    assert all("****" in p or p.count("*") >= 3 for p in rows[0][0]["caller"]["phones"])
    assert not any(p[-8:] in json.dumps(rows[0][0]) for p in phones if len(p) >= 8)


def test_cannot_widen_visibility(central: CentralDb, world: dict[str, Any]) -> None:
    with central.server.connect(central.name, world["roles"]["op_a"]) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"SET ROLE {central.prefix}_lead")
        conn.execute("SET app.role = 'lead'")
        assert {r[0] for r in conn.execute("SELECT id FROM central.tickets")} == {world["a"]["id"]}


def test_apply_batch_enforces_who_may_change_what(
    central: CentralDb, world: dict[str, Any]
) -> None:
    roles = world["roles"]
    a = {**world["a"], "events": [], "outcome_detail": "by b"}
    assert (
        _apply(central, roles["op_b"], [_op(a, ["outcome_detail"], 1)])[0]["status"] == "rejected"
    )
    a2 = {**world["a"], "events": [], "outcome_detail": "by handler"}
    assert (
        _apply(central, roles["handler"], [_op(a2, ["outcome_detail"], 10**6)])[0]["status"]
        == "applied"
    )
    b2 = {**world["b"], "events": [], "outcome_detail": "by handler"}
    assert (
        _apply(central, roles["handler"], [_op(b2, ["outcome_detail"], 10**6)])[0]["status"]
        == "rejected"
    )
    new = _ticket("SH", "U1", 3, roles["handler"])
    assert _apply(central, roles["handler"], [_op(new)], seat="SH")[0]["status"] == "rejected"
    b3 = {**world["b"], "events": [], "outcome_detail": "by lead"}
    assert (
        _apply(central, roles["lead"], [_op(b3, ["outcome_detail"], 10**6)])[0]["status"]
        == "applied"
    )
    assert (
        central.scalar(
            "SELECT data->>'outcome_detail' FROM central.tickets WHERE id = %s", world["a"]["id"]
        )
        == "by handler"
    )
    assert central.scalar("SELECT count(*) FROM central.tickets WHERE id = %s", new["id"]) == 0


def test_demo_data_never_reaches_the_centre(central: CentralDb, world: dict[str, Any]) -> None:
    lead = world["roles"]["lead"]
    demo = {**_ticket("SD", "U1", 4, lead), "is_demo": True}
    with pytest.raises(psycopg.errors.InvalidParameterValue):
        _apply(central, lead, [_op(demo)], seat="SD")
    with pytest.raises(psycopg.errors.InvalidParameterValue):
        _apply(central, lead, [_op(_ticket("SD", "U1", 5, lead))], meta={"demo": True}, seat="SD")
    with central.admin() as conn, pytest.raises(psycopg.errors.CheckViolation):
        conn.execute(
            "INSERT INTO central.tickets (id, number, seat, operator_id, created_at, status, is_demo, version, data) "
            "VALUES ('d', 'd', 's', 'o', now(), 'INTAKE', true, 999999, '{}')"
        )
    assert central.scalar("SELECT count(*) FROM central.tickets WHERE is_demo") == 0
    assert (
        central.scalar("SELECT count(*) FROM central.applied_ops WHERE ticket_id = %s", demo["id"])
        == 0
    )


def test_central_cli_stats_and_errors(
    central: CentralDb, world: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["central", "stats", "--url", central.admin_url(), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert stats["tickets"] == central.scalar("SELECT count(*) FROM central.tickets") >= 2
    assert stats["applied_keys"] >= stats["tickets"]
    assert main(["central", "stats", "--url", central.url(world["roles"]["op_a"]), "--json"]) == 0
    mine = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert mine["tickets"] == 1
    assert mine["applied_keys"] is None
    assert main(["central", "stats", "--url", "postgresql://u:secret@127.0.0.1/x"]) == 2
    err = capsys.readouterr().err
    assert "must not hold a password" in err
    assert "secret" not in err
    assert len(err.strip().splitlines()) == 1


def test_create_role_offers_the_reporting_group(
    central: CentralDb, world: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    name = f"{central.prefix}_u_rep"
    central.logins.append(name)
    args = ["central", "create-role", name, "--group", "report", "--url", central.admin_url()]
    assert main(args) == 0
    assert capsys.readouterr().out.strip() == f"{name}: login role in group report"
    # it reads the figures and the export (no caller in them), and neither tickets nor audit
    ok, rows = _run(
        central,
        name,
        "SELECT count(*) FROM central.report_export(now() - interval '30 days', now())",
    )
    assert ok
    assert rows[0][0] >= 2
    for sql in ("SELECT 1 FROM central.tickets", "SELECT 1 FROM central.audit_log"):
        assert _run(central, name, sql) == (False, None)
