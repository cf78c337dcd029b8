"""No app login reads callers from ``central.tickets`` (issue #20 item 4, centre step c0010):
a lead's or an operator's own SQL on the caller's column is refused; the masked view shows a
confidential caller masked to everyone; the lead's review list, ``ticket show --url`` and the
lead desk's centre-side detail show the confidential canary masked and never in clear; the
seats' pull (``central.pull_tickets``) still gives each login what it gave before."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb

from agent_app.cli import main
from agent_app.services import lead_desk, quality
from tests.helpers.pg import CentralDb
from tests.integration import test_confidential_lead as cf
from tests.integration.test_confidential_lead import (
    CANARY_NAME,
    CANARY_PHONE,
    CLEAR_NAME,
    CLEAR_PHONE,
)

pytestmark = pytest.mark.postgres

# The confidential canary's centre (an operator took it, the street replied), as
# test_confidential_lead.py builds it: its module-scoped fixtures, found here by name.
central = cf.central
world = cf.world

CANARIES = (CANARY_NAME, CANARY_PHONE, CANARY_PHONE[3:7] + CANARY_PHONE[-4:])


def _no_canary(text: str) -> None:
    assert [c for c in CANARIES if c in text] == []


def _other_columns(central: CentralDb) -> list[str]:
    with central.admin() as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = 'central.tickets'::regclass "
                "AND attnum > 0 AND NOT attisdropped AND attname <> 'data' ORDER BY attnum"
            ).fetchall()
        ]


@pytest.fixture(scope="module")
def logins(central: CentralDb, world: dict[str, Any]) -> dict[str, str]:
    return {"lead": central.add_login("lm_lead", "lead"), "op": world["op"]}


@pytest.mark.parametrize("who", ["lead", "op"])
@pytest.mark.parametrize(
    "sql",
    [
        "SELECT data FROM central.tickets",
        "SELECT data->'caller' FROM central.tickets",
        "SELECT data #>> '{caller,phones,0}' FROM central.tickets WHERE confidential",
        "SELECT * FROM central.tickets",
        "SELECT id FROM central.tickets WHERE data::text LIKE '%138%'",
    ],
)
def test_a_lead_or_operator_login_may_not_read_the_caller_column(
    central: CentralDb, logins: dict[str, str], who: str, sql: str
) -> None:
    with psycopg.connect(central.url(logins[who])) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            conn.execute(sql)


def test_every_other_column_is_readable_as_before(
    central: CentralDb, world: dict[str, Any], logins: dict[str, str]
) -> None:
    cols = _other_columns(central)
    assert "confidential" in cols
    assert "status" in cols
    with psycopg.connect(central.url(logins["lead"])) as conn:
        rows = conn.execute(f"SELECT {', '.join(cols)} FROM central.tickets").fetchall()
    assert len(rows) == 3
    with psycopg.connect(central.url(logins["op"])) as conn:
        own = conn.execute("SELECT id FROM central.tickets").fetchall()
    assert {r[0] for r in own} == {world["replied"], world["waiting"], world["ordinary"]}


def test_the_masked_view_masks_a_confidential_caller_for_everyone(
    central: CentralDb, world: dict[str, Any], logins: dict[str, str]
) -> None:
    for login in (logins["lead"], logins["op"]):
        with psycopg.connect(central.url(login)) as conn:
            name, phones, caller, dump = conn.execute(
                "SELECT caller_name, caller_phones, data->'caller', row_to_json(m)::text "
                "FROM central.tickets_masked m WHERE id = %s",
                (world["replied"],),
            ).fetchone()
            everything = conn.execute(
                "SELECT string_agg(row_to_json(m)::text, '') FROM central.tickets_masked m"
            ).fetchone()[0]
        assert (name, phones) == ("***", ["*" * 13])
        assert (caller["name"], caller["phones"], caller["confidential"]) == (
            "***",
            ["*" * 13],
            True,
        )
        _no_canary(dump)
        _no_canary(everything)
        assert CLEAR_NAME not in everything  # an ordinary caller is masked there too
        assert CLEAR_NAME[0] + "**" in everything


def test_the_pull_gives_each_login_what_it_gave_before(
    central: CentralDb, world: dict[str, Any], logins: dict[str, str]
) -> None:
    ids = [world["replied"], world["waiting"], world["ordinary"]]
    sql = "SELECT id, data->'caller' FROM central.pull_tickets(%s)"
    with psycopg.connect(central.url(logins["lead"])) as conn:
        lead = dict(conn.execute(sql, (ids,)).fetchall())
    assert (lead[world["replied"]]["name"], lead[world["replied"]]["phones"]) == (
        "***",
        ["*" * 13],
    )
    assert lead[world["ordinary"]]["name"] == CLEAR_NAME  # the lead's seat does callbacks
    assert lead[world["ordinary"]]["phones"] == ["+86" + CLEAR_PHONE]
    with psycopg.connect(central.url(logins["op"])) as conn:
        own = dict(conn.execute(sql, (ids,)).fetchall())
    assert own[world["replied"]]["name"] == CANARY_NAME  # the caller it took itself
    other_op = central.add_login("lm_op2", "operator")
    handler = central.add_login("lm_unit", "handler", units=("朝阳区呼家楼街道办事处",))
    auditor = central.add_login("lm_audit", "auditor")
    for login in (other_op, handler):
        with psycopg.connect(central.url(login)) as conn:
            assert conn.execute(sql, (ids,)).fetchall() == []
    with psycopg.connect(central.url(auditor)) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(sql, (ids,))


def test_the_reveal_still_gives_the_callback_role_the_clear_caller_audited(
    central: CentralDb, world: dict[str, Any], logins: dict[str, str]
) -> None:
    with psycopg.connect(central.url(logins["lead"])) as conn:
        (answer,) = conn.execute(
            "SELECT central.reveal_caller(%s, %s)", (world["replied"], "回访 c0010")
        ).fetchone()
    assert answer["name"] == CANARY_NAME
    assert answer["audit_seq"] >= 1


def test_review_list_as_a_lead_never_shows_the_canary(
    central: CentralDb, world: dict[str, Any], logins: dict[str, str], capsys: Any
) -> None:
    assert main(["review", "list", "--url", central.url(logins["lead"]), "--json"]) == 0
    out = capsys.readouterr().out
    _no_canary(out)
    assert CLEAR_NAME not in out
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    items = {i["id"]: i for r in rows for i in r.get("items", [r] if "id" in r else [])}
    assert world["replied"] in items
    shown = items[world["replied"]]
    assert shown["confidential"] is True
    assert shown["created_at"]  # the fields read through the masked view are there
    assert shown["category"]
    assert (
        main(["review", "list", "--url", central.url(logins["lead"]), "--confidential", "--json"])
        == 0
    )
    out = capsys.readouterr().out
    _no_canary(out)
    assert world["replied"] in out
    assert world["ordinary"] not in out


def test_ticket_show_url_as_a_lead_shows_the_canary_masked(
    central: CentralDb, world: dict[str, Any], logins: dict[str, str], capsys: Any
) -> None:
    with psycopg.connect(central.url(logins["lead"])) as conn:
        (number,) = conn.execute(
            "SELECT number FROM central.tickets WHERE id = %s", (world["replied"],)
        ).fetchone()
    assert main(["ticket", "show", "--url", central.url(logins["lead"]), number, "--json"]) == 0
    out = capsys.readouterr().out
    _no_canary(out)
    (shown,) = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert shown["number"] == number
    assert "***" in json.dumps(shown, ensure_ascii=False)


def test_the_lead_desks_centre_detail_shows_the_canary_masked(
    central: CentralDb, world: dict[str, Any], logins: dict[str, str]
) -> None:
    target = central.target(logins["lead"])
    ticket = lead_desk.central_ticket(target, world["replied"], password_lookup=None)
    assert ticket is not None
    assert (ticket.caller.name, ticket.caller.phones, ticket.caller.confidential) == (
        "***",
        ("*" * 13,),
        True,
    )
    _no_canary(repr(ticket))
    plain = lead_desk.central_ticket(target, world["ordinary"], password_lookup=None)
    assert plain is not None
    assert plain.caller.name == CLEAR_NAME[0] + "**"  # masked as the desk shows it
    assert CLEAR_PHONE not in repr(plain)
    assert ticket.events  # the events come as before


def test_the_quality_sample_reads_descriptions_through_the_masked_view(
    central: CentralDb, world: dict[str, Any], logins: dict[str, str]
) -> None:
    card = quality.load_scorecard()
    now = datetime.now(UTC)
    with psycopg.connect(central.url(logins["lead"])) as conn:
        (operator_id,) = conn.execute(
            "SELECT operator_id FROM central.tickets WHERE id = %s", (world["replied"],)
        ).fetchone()
        picked = quality.sample_shift(
            conn, operator_id, now - timedelta(days=400), now + timedelta(days=1), card=card
        )
    assert {p["ticket_id"] for p in picked} <= {
        world["replied"],
        world["waiting"],
        world["ordinary"],
    }
    assert picked


def test_a_conflict_on_a_confidential_caller_never_hands_a_lead_the_clear_caller(
    central: CentralDb, world: dict[str, Any], logins: dict[str, str], capsys: Any
) -> None:
    """A lead's change of the caller against an old base (an older app, or its own SQL) is a
    conflict: the answer's centre side, the conflict the lead reads and ``review conflicts``
    hold the caller masked; the centre's own row keeps it in clear (the positive control)."""
    lead = logins["lead"]
    with psycopg.connect(central.url(lead), autocommit=True) as conn:
        (data,) = conn.execute(
            "SELECT data FROM central.pull_tickets(%s)", ([world["waiting"]],)
        ).fetchone()
        data["caller"] = {**data["caller"], "name": "改名"}
        op = {"key": str(uuid.uuid4()), "ticket_id": world["waiting"], "op": "upsert_ticket",
              "payload": {**data, "events": []}, "base_version": 0, "changed": ["caller"],
              "notes_append": ""}  # fmt: skip
        (answer,) = conn.execute(
            "SELECT central.apply_batch(%s, %s, '{}'::jsonb)", ("LM9", Jsonb([op]))
        ).fetchone()
        (result,) = answer["results"]
        assert result["status"] == "conflict", result
        assert result["detail"]["remote"]["caller"]["name"] == "***"
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            conn.execute("SELECT remote FROM central.conflicts")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            conn.execute("SELECT local FROM central.conflicts")
        sides = conn.execute(
            "SELECT local, remote FROM central.conflicts_masked WHERE ticket_id = %s",
            (world["waiting"],),
        ).fetchall()
        assert conn.execute("SELECT count(*) FROM central.conflicts").fetchone() == (1,)
    # both sides are a confidential caller: masked entirely
    assert [(lo["caller"]["name"], re["caller"]["name"]) for lo, re in sides] == [("***", "***")]
    assert main(["review", "conflicts", "--url", central.url(lead), "--json"]) == 0
    out = capsys.readouterr().out
    assert "***" in out
    assert "孙鹡鸰" not in out
    assert "13700001111" not in out
    assert "37000011" not in out
    with central.admin() as conn:
        (remote,) = conn.execute(
            "SELECT remote FROM central.conflicts WHERE ticket_id = %s", (world["waiting"],)
        ).fetchone()
        (caller,) = conn.execute(
            "SELECT data->'caller' FROM central.tickets WHERE id = %s", (world["waiting"],)
        ).fetchone()
    assert remote["caller"]["name"] == "孙鹡鸰"
    assert caller["name"] == "孙鹡鸰"  # the conflicting change was not applied
