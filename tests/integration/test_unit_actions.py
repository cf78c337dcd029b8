"""Handling units act through the centre: only on their units' tickets, only along the
lifecycle, and they see callers masked.  Runs against the real PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from agent_app.cli import main
from agent_app.domain.lifecycle import UNIT_ACTION_PATHS, check_transition, unit_action_rows
from agent_app.domain.privacy import mask_name, mask_phone
from agent_app.domain.roles import Role
from agent_app.services.sync.engine import SyncEngine
from tests.helpers.pg import CentralDb, add_tickets, new_seat, require_server

pytestmark = pytest.mark.postgres

UNIT = "朝阳区呼家楼街道办事处"


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    db = CentralDb(require_server()).create()
    try:
        yield db
    finally:
        db.drop()


@pytest.fixture(scope="module")
def world(central: CentralDb, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    op = central.add_login("ua_op", "operator")
    handler = central.add_login("ua_h", "handler", units=(UNIT,))
    other = central.add_login("ua_other", "handler", units=("其他街道办事处",))
    db = new_seat(tmp_path_factory.mktemp("seat"))
    try:
        ids = add_tickets(db, "UA", 4, unit=UNIT, operator=op)
        report = SyncEngine(db, central.target(op), seat="UA").sync_once()
        assert report.ok, report
        assert report.applied == 4, report
    finally:
        db.dispose()
    numbers = [central.scalar("SELECT number FROM central.tickets WHERE id = %s", i) for i in ids]
    return {"op": op, "handler": handler, "other": other, "numbers": numbers}


def _unit(
    central: CentralDb, login: str, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str, str]:
    code = main(["unit", argv[0], *argv[1:], "--url", central.url(login)])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_centre_tables_equal_the_domain_and_every_step_is_a_handler_transition(
    central: CentralDb,
) -> None:
    with central.admin() as conn:
        rows = sorted(
            (a, s, list(p))
            for a, s, p in conn.execute(
                "SELECT action, source, path FROM central.unit_action_paths"
            )
        )
    assert rows == unit_action_rows()
    for by_source in UNIT_ACTION_PATHS.values():
        for source, path in by_source.items():
            current = source
            for target in path:
                check_transition(current, target, Role.HANDLER)
                current = target


@pytest.mark.parametrize(
    "value",
    ["13812345678", "+86 138-1234-5678", "010-66778899", "0571-8765-4321", "12345", "", "9876543"],
)
def test_the_centre_masks_like_the_seat(central: CentralDb, value: str) -> None:
    assert central.scalar("SELECT central.mask_phone(%s)", value) == mask_phone(value)
    assert central.scalar("SELECT central.mask_name(%s)", value or "张三") == mask_name(
        value or "张三"
    )


def test_a_unit_acts_only_on_its_tickets_and_only_along_the_lifecycle(
    central: CentralDb, world: dict[str, Any], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    n1, n2 = world["numbers"][:2]
    h, other = world["handler"], world["other"]
    code, out, _ = _unit(central, h, capsys, "list", "--json")
    assert code == 0
    listed = [json.loads(line) for line in out.strip().splitlines()]
    assert {r["number"] for r in listed} == set(world["numbers"])
    raw = central.scalar("SELECT data->'caller' FROM central.tickets WHERE number = %s", n1)
    for row in listed:
        assert row["caller"]["phones"] == [mask_phone(p) for p in raw["phones"]] or (
            row["number"] != n1
        )
    assert all(p not in out for p in raw["phones"])
    # Another unit sees none of them and may not touch them.
    code, out, _ = _unit(central, other, capsys, "list", "--json")
    assert (code, out) == (0, "")
    code, _, err = _unit(central, other, capsys, "sign", n1)
    assert code != 0
    assert "is dispatched to your unit" in err
    assert len(err.splitlines()) == 1
    # An operator login is no unit.
    code, _, err = _unit(central, world["op"], capsys, "sign", n1)
    assert code != 0
    assert "may not act for a handling unit" in err
    # The lifecycle decides: reply needs a contact first; signing twice is refused.
    assert _unit(central, h, capsys, "sign", n1)[0] == 0
    code, _, err = _unit(central, h, capsys, "sign", n1)
    assert code != 0
    assert "is SIGNED" in err
    code, _, err = _unit(central, h, capsys, "reply", n1, "--text", "已修复")
    assert code != 0
    assert "reply is not possible now" in err
    # Arguments are checked at the centre too (bad days, empty text).
    code, _, err = _unit(central, h, capsys, "extend", n1, "--days", "99", "--reason", "x")
    assert code != 0
    assert "--days" in err
    code, _, err = _unit(central, h, capsys, "note", n1, "--text", "  ")
    assert code != 0
    assert "empty" in err
    assert _unit(central, h, capsys, "contact", n1)[0] == 0
    assert _unit(central, h, capsys, "note", n1, "--text", "已派人查看")[0] == 0
    code, out, _ = _unit(central, h, capsys, "reply", n1, "--text", "已修复", "--result", "partly")
    assert code == 0
    assert "CONTACTED -> REPLIED" in out
    events = central.scalar(
        "SELECT jsonb_agg(jsonb_build_array(e.kind, e.from_status, e.to_status, e.actor_role, "
        "e.actor_id, e.data->>'action') ORDER BY e.seq) FROM central.ticket_events e JOIN central.tickets t "
        "ON t.id = e.ticket_id WHERE t.number = %s AND e.actor_role = 'handler'",
        n1,
    )
    assert events == [
        ["transition", "DISPATCHED", "SIGNED", "handler", h, "sign"],
        ["transition", "SIGNED", "CONTACTED", "handler", h, "contact"],
        ["note", None, None, "handler", h, "note"],
        ["transition", "CONTACTED", "IN_PROGRESS", "handler", h, "reply"],
        ["transition", "IN_PROGRESS", "REPLIED", "handler", h, "reply"],
    ]
    # An objection before signing; the ticket number of another unit stays unknown.
    with pytest.raises(SystemExit) as exit_info:
        _unit(central, h, capsys, "object", n2, "--reason-code", "nope", "--reason", "x")
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    code, out, _ = _unit(
        central, h, capsys, "object", n2, "--reason-code", "wrong_place", "--reason", "不在辖区"
    )
    assert code == 0
    assert "DISPATCHED -> DISPUTED" in out
    code, out, _ = _unit(central, h, capsys, "list", "--status", "DISPUTED", "--json")
    assert [json.loads(line)["number"] for line in out.strip().splitlines()] == [n2]
    # Direct reads stay impossible for a handler.
    with central.server.connect(central.name, h) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT data FROM central.tickets")
