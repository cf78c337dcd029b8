"""A handling unit reads no caller's name or number in a ticket's words (centre step c0012,
docs/privacy.md): an operator wrote the caller's name and numbers into the description,
notes and a supplement; the street's login lists its tickets with ``agent-app unit list``
and reads ``central.tickets_masked``: the name masked (a confidential caller's not at all),
no number of the caller, the rest of the words intact; leads and the centre's own row are
unchanged.  And a centre at c0011 upgraded by ``agent-app central upgrade`` masks the same."""

from __future__ import annotations

import dataclasses
import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb

from agent_app.domain.ticket import Caller
from agent_app.storage import repository as repo
from agent_app.storage.central import schema
from agent_app.storage.db import Database
from tests.helpers.cli import Cli, seat_root
from tests.helpers.pg import CentralDb, add_tickets, centre_at, new_seat, throwaway_centre

pytestmark = pytest.mark.postgres

STREET = "朝阳区呼家楼街道办事处"
NAME = "王鹪鹩"  # an ordinary caller
PHONE, LANDLINE = "13957268413", "01087654321"
SECRET_NAME = "甄鹬鹕"  # a confidential caller: nothing of the name may show
SECRET_PHONE = "13662951874"
WORDS = "楼道灯坏了一个月"
# What `agent-app unit list --json` gives for each ticket (c0003, c0004): unchanged by c0012.
KEYS = {
    "number", "status", "unit", "urgency", "category", "description", "address", "district",
    "township", "created_at", "due_at", "caller", "rehandled", "callback_words", "followups",
    "chases", "callers",
}  # fmt: skip


def _digit_windows(phone: str, width: int = 5) -> list[str]:
    return [phone[i : i + width] for i in range(len(phone) - width + 1)]


def _texts(row: dict[str, Any]) -> str:
    """Every free text of a listed ticket: what a person at the unit reads."""
    return "\n".join(
        [
            row["description"] or "",
            row["address"] or "",
            row["callback_words"] or "",
            *(f["text"] for f in row["followups"]),
        ]
    )


def _set(db: Database, ticket_id: str, **changes: Any) -> str:
    with db.write() as s:
        t = repo.get_ticket(s, ticket_id)
        assert t is not None
        repo.save_ticket(s, dataclasses.replace(t, **changes))
        return str(t.number)


def _seat_tickets(central: CentralDb, root: Path, seat: str, op: str, cli: Cli) -> dict[str, str]:
    """Two tickets dispatched to the street, the caller's name and numbers in their words;
    synced to the centre by the operator's seat.  Their numbers by kind."""
    db = new_seat(seat_root(root, seat))
    try:
        plain, secret = add_tickets(db, seat, 2, unit=STREET, operator=op, seed=3)
        numbers = {
            "plain": _set(
                db,
                plain,
                caller=Caller(NAME, ("+86" + PHONE, "+86" + LANDLINE[1:])),
                description=f"{NAME}（电话{PHONE}，也可打 139-5726-8413 或 8765-4321）反映{WORDS}",
                notes=f"{NAME}要求回电 {PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}",
            ),
            "secret": _set(
                db,
                secret,
                caller=Caller(SECRET_NAME, ("+86" + SECRET_PHONE,), confidential=True),
                description=f"{SECRET_NAME}反映{WORDS}，甄先生电话{SECRET_PHONE}",
                notes=f"回电 {SECRET_NAME}",
            ),
        }
    finally:
        db.dispose()
    cli.clean_sync(root, central.url(op))
    return numbers


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    with throwaway_centre() as db:
        yield db


@pytest.fixture(scope="module")
def logins(central: CentralDb) -> dict[str, str]:
    return {
        "op": central.add_login("um_op", "operator"),
        "lead": central.add_login("um_lead", "lead"),
        "street": central.add_login("um_street", "handler", units=(STREET,)),
    }


def _check_masked(listed: list[dict[str, Any]], numbers: dict[str, str]) -> None:
    by_number = {r["number"]: r for r in listed}
    assert set(by_number) == set(numbers.values())
    for row in listed:
        assert set(row) == KEYS
    dump = json.dumps(listed, ensure_ascii=False)
    # The ordinary caller: the name masked wherever it was written, no run of its numbers.
    plain = by_number[numbers["plain"]]
    assert NAME not in dump
    assert plain["description"].startswith(NAME[0] + "**")
    assert WORDS in plain["description"]
    texts = _texts(plain)
    leaked = [w for p in (PHONE, LANDLINE[1:]) for w in _digit_windows(p) if w in texts]
    assert leaked == []
    assert not any(w in dump for w in _digit_windows(PHONE)[:-1])
    assert plain["caller"]["name"] == NAME[0] + "**"
    # The confidential caller: nothing of the name (not even the surname), no digit at all.
    secret = by_number[numbers["secret"]]
    assert not any(ch in dump for ch in SECRET_NAME)
    assert WORDS in secret["description"]
    assert not re.search(r"\d{3}", _texts(secret))
    assert secret["caller"]["name"] == "***"
    assert secret["caller"]["phones"] == ["*" * 13]
    assert not any(w in dump for w in _digit_windows(SECRET_PHONE, 4))


def test_the_unit_reads_no_callers_name_or_number(
    central: CentralDb,
    logins: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cli = Cli(capsys)
    numbers = _seat_tickets(central, tmp_path / "op", "UM1", logins["op"], cli)
    # A supplement from the caller, their name and a number in it, reaches the unit.
    with psycopg.connect(central.url(logins["op"]), autocommit=True) as conn:
        (answer,) = conn.execute(
            "SELECT central.follow_up('UM1', %s, %s, 'supplement', %s)",
            (uuid.uuid4().hex, numbers["plain"], f"{NAME}补充：晚上也可打 8765 4321"),
        ).fetchone()
    assert answer["status"] == "applied", answer

    listed = cli.json_lines("unit", "list", "--url", central.url(logins["street"]), "--json")
    _check_masked(listed, numbers)
    (plain,) = [r for r in listed if r["number"] == numbers["plain"]]
    assert [f["text"] for f in plain["followups"]] == [NAME[0] + "**补充：晚上也可打 ********"]

    # The same through the masked view the handler's group may read.
    with psycopg.connect(central.url(logins["street"])) as conn:
        rows = conn.execute(
            "SELECT number, data FROM central.tickets_masked ORDER BY number"
        ).fetchall()
    view = json.dumps([r[1] for r in rows], ensure_ascii=False)
    assert len(rows) == 2
    assert NAME not in view
    assert not any(ch in view for ch in SECRET_NAME)
    assert not any(w in view for w in _digit_windows(PHONE)[:-1])
    assert not any(w in view for w in _digit_windows(SECRET_PHONE, 4))
    assert WORDS in view

    # A lead reads the view as before (the words in clear, the callers masked), and the
    # centre's own row is untouched: the masking is in what the unit is given.
    with psycopg.connect(central.url(logins["lead"])) as conn:
        lead_view = dict(
            conn.execute("SELECT number, data->>'description' FROM central.tickets_masked")
        )
    assert NAME in lead_view[numbers["plain"]]
    with central.admin() as conn:
        (clear,) = conn.execute(
            "SELECT data->>'description' FROM central.tickets WHERE number = %s",
            (numbers["secret"],),
        ).fetchone()
    assert SECRET_NAME in clear
    assert SECRET_PHONE in clear


@pytest.mark.parametrize(
    ("text", "caller", "expected"),
    [
        # dates, times, house and room numbers, counts: kept
        ("2026-12-06 下午3点 3号楼201室，已持续20天", {"name": NAME}, "2026-12-06 下午3点 3号楼201室，已持续20天"),
        # a date with the hour in one digit run is a date, not a number
        ("2026-12-06 10:30 停水，2026.12.6 开始", {"name": NAME}, "2026-12-06 10:30 停水，2026.12.6 开始"),
        ("2026/12/06，电话13957268413", {"name": NAME}, "2026/12/06，电话*******8413"),
        # part of the caller's number that mask_digits leaves: no digit of it
        ("139 5726，另 8413", {"name": NAME, "phones": ["+86" + PHONE]}, "*******，另 8413"),
        ("１３９５７２６８４１３", {"name": NAME}, "*******8413"),
        ("电话13957268413", {"name": NAME, "confidential": True}, "电话***********"),
        # a one-character name would hit ordinary words: kept
        ("王府井大街", {"name": "王"}, "王府井大街"),
        ("li na called; LI NA again", {"name": "Li Na"}, "L**** called; L**** again"),
        ("x.y 与 xay", {"name": "x.y"}, "x** 与 xay"),
        ("王阿姨说王者", {"name": "王建国", "confidential": True}, "***说王者"),
        (None, {"name": NAME}, None),
        ("13957268413", None, "*******8413"),
    ],
)  # fmt: skip
def test_mask_free_text(central: CentralDb, text: str | None, caller: Any, expected: str) -> None:
    with central.admin() as conn:
        (masked,) = conn.execute(
            "SELECT central.mask_free_text(%s, %s)",
            (text, None if caller is None else Jsonb(caller)),
        ).fetchone()
    assert masked == expected


def test_central_upgrade_of_a_c0011_centre_masks_what_units_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(capsys)
    db = centre_at("c0011_centre_retention")
    try:
        op = db.add_login("up_op", "operator")
        street = db.add_login("up_street", "handler", units=(STREET,))
        numbers = _seat_tickets(db, tmp_path / "op", "UP1", op, cli)
        # Before the step the unit read the caller's name and number in the description.
        before = cli.json_lines("unit", "list", "--url", db.url(street), "--json")
        assert NAME in json.dumps(before, ensure_ascii=False)
        assert PHONE in json.dumps(before, ensure_ascii=False)

        _, out, _ = cli("central", "upgrade", "--url", db.admin_url())
        assert schema.HEAD in out
        assert schema.current_revision(db.admin_target(), password_lookup=None) == schema.HEAD
        _check_masked(cli.json_lines("unit", "list", "--url", db.url(street), "--json"), numbers)
        # A second upgrade has nothing to do and fails nothing.
        cli("central", "upgrade", "--url", db.admin_url())
    finally:
        db.drop()
