"""After dispatch, the ticket's whole life (一单到底, 双反馈, 回访, 二次办理), command by command
against the real PostgreSQL: an operator's seat dispatches 20 tickets to one street; the
street's handler login signs, objects, asks for more time and replies at the centre; the
seats pull it; the shift lead rules and calls back; three dissatisfied citizens send their
tickets back to the unit, which replies again, and every replied ticket ends CLOSED."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from agent_app.domain.deadlines import TimeLimit, WorkCalendar, due_at
from tests.helpers.cli import Cli, seat_root
from tests.helpers.pg import CentralDb, add_tickets, new_seat, throwaway_centre

pytestmark = pytest.mark.postgres

STREET = "朝阳区呼家楼街道办事处"
OTHER = "朝阳区团结湖街道办事处"


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    with throwaway_centre() as db:
        yield db


def test_twenty_tickets_from_dispatch_to_closed(
    central: CentralDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(capsys)
    op = central.add_login("ad_op", "operator")
    lead = central.add_login("ad_lead", "lead")
    street = central.add_login("ad_street", "handler", units=(STREET,))
    other = central.add_login("ad_other", "handler", units=(OTHER,))
    op_dir, lead_dir = seat_root(tmp_path / "op", "AD1"), seat_root(tmp_path / "lead", "AD2")

    def sync(seat_dir: Path, login: str) -> dict[str, Any]:
        (report,) = cli.json_lines(
            "sync", "--once", "--json", "--data-dir", str(seat_dir), "--central", central.url(login)
        )
        assert report["rejected"] == report["conflicts"] == report["undelivered"] == 0, report
        return report

    def show(seat_dir: Path, number: str) -> dict[str, Any]:
        (ticket,) = cli.json_lines("ticket", "show", number, "--data-dir", str(seat_dir), "--json")
        return ticket

    def unit(login: str, *argv: str, ok: bool = True) -> tuple[int, str, str]:
        return cli("unit", argv[0], *argv[1:], "--url", central.url(login), ok=ok)

    # 1. The operator's seat dispatches 20 tickets to the street and syncs.  A fixed seed:
    #    add_tickets' default seed is hash(seat), which changes with every interpreter
    #    (PYTHONHASHSEED), and so would the callers marked confidential; with this one the
    #    objected ticket's caller is confidential (step 4), as are four replied tickets' callers.
    db = new_seat(op_dir)
    try:
        add_tickets(db, "AD1", 20, unit=STREET, operator=op, seed=1)
    finally:
        db.dispose()
    assert sync(op_dir, op)["applied"] == 20
    listed = cli.json_lines("unit", "list", "--url", central.url(street), "--json")
    assert len(listed) == 20
    assert {r["status"] for r in listed} == {"DISPATCHED"}
    numbers = sorted(r["number"] for r in listed)
    replied, extended, objected, untouched = numbers[:17], numbers[17], numbers[18], numbers[19]
    with central.admin() as conn:
        rows = conn.execute("SELECT data#>'{caller,phones}' FROM central.tickets").fetchall()
    raw_phones = [p for (phones,) in rows for p in phones]
    listing = json.dumps(listed, ensure_ascii=False)
    assert not any(p in listing for p in raw_phones)  # handlers see callers masked

    # 2. The street signs 18, objects to 1, asks for more time on 1, replies to 17.
    for number in [*replied, extended]:
        unit(street, "sign", number)
    unit(street, "object", objected, "--reason-code", "wrong_place", "--reason", "地址属团结湖街道")
    unit(street, "contact", extended)
    unit(street, "extend", extended, "--days", "3", "--reason", "需协调燃气公司施工")
    for i, number in enumerate(replied):
        unit(street, "contact", number)
        unit(street, "reply", number, "--text", f"已现场处理完毕 {i}", "--result", "resolved")
    # Another unit cannot touch them; nothing the street did is visible to it.
    unit(other, "sign", untouched, ok=False)

    # 3. The operator's seat pulls it all: each status and the feedback text.
    sync(op_dir, op)
    for i, number in enumerate(replied):
        t = show(op_dir, number)
        assert t["status"] == "REPLIED"
        assert t["feedback"]["text"] == f"已现场处理完毕 {i}"
        assert t["feedback"]["result"] == "resolved"
        assert t["feedback"]["by"] == street
        assert t["units"] == [STREET, *t["co_units"]]
        assert [e["to_status"] for e in t["events"] if e["actor_role"] == "handler"] == [
            "SIGNED",
            "CONTACTED",
            "IN_PROGRESS",
            "REPLIED",
        ]
        assert (t["callbacks"], t["rehandled"]) == ([], 0)
    t = show(op_dir, extended)
    assert t["status"] == "EXTENSION_REQUESTED"
    old_due = datetime.fromisoformat(t["due_at"])
    assert show(op_dir, objected)["status"] == "DISPUTED"
    assert show(op_dir, untouched)["status"] == "DISPATCHED"
    # An operator login may not rule for the centre (the lifecycle says so, at the seat).
    _, _, err = cli("lead", "extension", extended, "--approve", "--data-dir", str(op_dir), ok=False)
    assert "operator role may not" in err

    # 4. The lead's seat pulls every ticket, upholds the objection, approves the extension.
    assert sync(lead_dir, lead)["pulled"] == 20
    _, out, _ = cli(
        "lead", "dispute", objected, "--uphold", "--to", OTHER, "--data-dir", str(lead_dir)
    )
    assert f"re-dispatched to {OTHER}" in out
    cli("lead", "extension", extended, "--approve", "--data-dir", str(lead_dir))
    # A change of a ticket whose caller is confidential comes back `merged`, not `applied`:
    # the lead's seat holds that caller masked (central.pull_tickets, c0009) and does not
    # send it, the centre keeps the clear one, so its row is not what the seat sent; the
    # same cycle's pull brings it back (docs/privacy.md: "Nothing masked is sent back").
    masked = sum(show(lead_dir, n)["caller"]["confidential"] for n in (objected, extended))
    report = sync(lead_dir, lead)
    assert (report["applied"], report["merged"], report["pulled"]) == (2 - masked, masked, masked)
    with central.admin() as conn:
        unit_now, status_now = conn.execute(
            "SELECT main_unit, status FROM central.tickets WHERE number = %s", (objected,)
        ).fetchone()
        ext_status, ext_due = conn.execute(
            "SELECT status, data->>'due_at' FROM central.tickets WHERE number = %s", (extended,)
        ).fetchone()
    assert (unit_now, status_now) == (OTHER, "DISPATCHED")
    assert ext_status == "IN_PROGRESS"
    expected = due_at(old_due, TimeLimit.working_days(3), WorkCalendar()).due
    assert datetime.fromisoformat(ext_due) == expected
    # Re-dispatched (改派): the street no longer sees it, the other unit does, with a new limit.
    street_numbers = {
        r["number"] for r in cli.json_lines("unit", "list", "--url", central.url(street), "--json")
    }
    assert objected not in street_numbers
    (moved,) = cli.json_lines("unit", "list", "--url", central.url(other), "--json")
    assert (moved["number"], moved["status"]) == (objected, "DISPATCHED")
    unit(other, "sign", objected)

    # 5. Callbacks on the 17 replied: 14 satisfied → CLOSED, 3 dissatisfied → REOPENED.
    due = cli.json_lines("callback", "list", "--data-dir", str(lead_dir), "--json")
    assert sorted(r["number"] for r in due if r["reason"] == "replied") == replied
    satisfied, unhappy = replied[:14], replied[14:]
    for i, number in enumerate(satisfied):
        cli(
            "callback", "record", number, "--resolved", "yes",
            "--satisfaction", "满意" if i % 2 else "基本满意", "--data-dir", str(lead_dir),
        )  # fmt: skip
    for number in unhappy:
        cli(
            "callback", "record", number, "--resolved", "no", "--satisfaction", "不满意",
            "--words", "路灯还是不亮，晚上很危险", "--data-dir", str(lead_dir),
        )  # fmt: skip
    sync(lead_dir, lead)
    for number in satisfied:
        assert show(lead_dir, number)["status"] == "CLOSED"
    for number in unhappy:
        t = show(lead_dir, number)
        assert (t["status"], t["rehandled"]) == ("REOPENED", 1)
        assert t["callbacks"][0]["satisfaction"] == "不满意"
        assert t["callbacks"][0]["outcome"] == "REOPENED"

    # 6. Back at the unit with the citizen's words; it replies again.
    reopened = cli.json_lines(
        "unit", "list", "--status", "REOPENED", "--url", central.url(street), "--json"
    )
    assert sorted(r["number"] for r in reopened) == unhappy
    assert {(r["rehandled"], r["callback_words"]) for r in reopened} == {
        (1, "路灯还是不亮，晚上很危险")
    }
    for number in unhappy:
        unit(street, "sign", number)
        unit(street, "contact", number)
        unit(street, "reply", number, "--text", "已更换灯具并复查", "--result", "resolved")

    # 7. The lead's seat pulls the second replies; satisfied callbacks close them.
    sync(lead_dir, lead)
    due = cli.json_lines("callback", "list", "--data-dir", str(lead_dir), "--json")
    assert sorted(r["number"] for r in due if r["reason"] == "replied") == unhappy
    for number in unhappy:
        cli(
            "callback", "record", number, "--resolved", "yes", "--satisfaction", "满意",
            "--data-dir", str(lead_dir),
        )  # fmt: skip
    sync(lead_dir, lead)

    # Everyone agrees: the centre, the lead's seat and the operator's seat.
    with central.admin() as conn:
        closed = {
            r[0]
            for r in conn.execute(
                "SELECT number FROM central.tickets WHERE status = 'CLOSED' AND number = ANY(%s)",
                (replied,),
            )
        }
        rejected = conn.execute(
            "SELECT count(*) FROM central.applied_ops WHERE status = 'rejected'"
        ).fetchone()[0]
    assert closed == set(replied)
    assert rejected == 0
    sync(op_dir, op)
    for number in replied:
        t = show(op_dir, number)
        assert t["status"] == "CLOSED"
        assert t["rehandled"] == (1 if number in unhappy else 0)
        assert len(t["callbacks"]) == (2 if number in unhappy else 1)
    t = show(op_dir, unhappy[0])
    assert t["feedback"]["text"] == "已更换灯具并复查"
    assert [c["outcome"] for c in t["callbacks"]] == ["REOPENED", "CLOSED"]
    assert show(op_dir, extended)["status"] == "IN_PROGRESS"
    assert show(op_dir, objected)["main_unit"] == OTHER
    assert show(op_dir, objected)["status"] == "SIGNED"
    assert cli.json_lines("callback", "list", "--data-dir", str(lead_dir), "--json") == []
