"""Repeat calls across seats, against the real PostgreSQL: a citizen calls back and reaches
another operator, whose seat does not hold the ticket.  The caller's history comes from the
whole centre (masked), a supplement and a chase recorded there offline reach the unit once
``sync`` delivers them (exactly once, even when delivered twice), and a chase on a closed
ticket is refused in one line and shown as undelivered (未送达)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from agent_app.domain import timeutil
from agent_app.paths import DataPaths
from agent_app.services import caller_history
from agent_app.services.demo import DemoGenerator
from agent_app.services.workstation import Workstation
from agent_app.storage import repository as repo
from agent_app.storage.models import OutboxRow
from tests.helpers.cli import Cli, seat_root
from tests.helpers.pg import CentralDb, new_seat, throwaway_centre

pytestmark = pytest.mark.postgres

STREET = "朝阳区呼家楼街道办事处"
PHONE = "+8613900002222"


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    with throwaway_centre() as db:
        yield db


def _caller_tickets(root: Path, seat: str, operator: str, n: int) -> list[str]:
    """``n`` tickets of the caller ``PHONE`` dispatched to ``STREET`` at ``seat``."""
    db = new_seat(root)
    gen = DemoGenerator(seed=7)
    now = timeutil.now()
    numbers = []
    try:
        with db.write() as s:
            for i in range(n):
                created = now - timedelta(minutes=n - i)
                number = str(repo.next_number(s, seat, created.date()))
                t = gen.ticket(
                    number, created, now, seat=seat, operator=operator, is_demo=False,
                    intake_only=True,
                )  # fmt: skip
                caller = dataclasses.replace(t.caller, phones=(PHONE,), confidential=False)
                t = dataclasses.replace(
                    t, caller=caller, main_unit=STREET, description="楼下路灯不亮，电话13812345678"
                )
                repo.save_ticket(s, t, now=created)
                numbers.append(number)
    finally:
        db.dispose()
    return numbers


def test_a_caller_reaches_another_seat(
    central: CentralDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(capsys)
    op_a = central.add_login("xs_a", "operator")
    op_b = central.add_login("xs_b", "operator")
    street = central.add_login("xs_street", "handler", units=(STREET,))
    seat_a, seat_b = seat_root(tmp_path / "a", "XA1"), seat_root(tmp_path / "b", "XB1")

    def sync(seat_dir: Path, login: str, *, ok: bool = True) -> tuple[dict[str, Any], str]:
        return cli.sync(seat_dir, central.url(login), ok=ok)

    def unit_rows() -> dict[str, dict[str, Any]]:
        rows = cli.json_lines("unit", "list", "--url", central.url(street), "--json")
        return {r["number"]: r for r in rows}

    def events(number: str) -> list[tuple[str, str]]:
        with central.admin() as conn:
            return [
                (r[0], r[1])
                for r in conn.execute(
                    "SELECT e.kind, e.actor_id FROM central.ticket_events e JOIN central.tickets t "
                    "ON t.id = e.ticket_id WHERE t.number = %s ORDER BY e.seq",
                    (number,),
                )
            ]

    # Seat A's operator takes the first calls and syncs; one of them is closed since.
    open_one, closed_one = _caller_tickets(seat_a, "XA1", op_a, 2)
    report, _ = sync(seat_a, op_a)
    assert report["rejected"] == 0
    with central.admin() as conn:
        conn.execute(
            "UPDATE central.tickets SET status = 'CLOSED', "
            'data = data || \'{"status": "CLOSED"}\', '
            "version = nextval('central.ticket_version_seq') WHERE number = %s",
            (closed_one,),
        )

    # Seat B (another operator login) holds none of them: its own history is empty, the
    # centre's has both, open first, the caller and the description's number masked.
    ws_b = Workstation(DataPaths(seat_b), seat="XB1", operator_id=op_b, demo=False)
    try:
        assert ws_b.caller_history(PHONE) == []
    finally:
        ws_b.close()
    rows = caller_history.centre_rows(central.url(op_b), PHONE)
    assert [r.number for r in rows] == [open_one, closed_one]
    assert rows[0].caller_phone == "139****2222"
    assert "13812345678" not in rows[0].description
    assert "5678" in rows[0].description
    assert all(PHONE[3:] not in json.dumps(dataclasses.asdict(r), default=str) for r in rows)
    merged = caller_history.merge([], rows)
    assert merged.remote == {open_one, closed_one}
    # A handler login may not read a caller's history.
    with pytest.raises(caller_history.CentreUnavailable):
        caller_history.centre_rows(central.url(street), PHONE)

    # Seat B (synced at the start of the shift, so it knows its login) records a supplement
    # and a chase offline (nothing contacts the centre) and a chase on the closed ticket,
    # which it cannot check offline.
    sync(seat_b, op_b)
    _, out, _ = cli(
        "ticket", "supplement", open_one, "--text", "灯杆编号B-9，物业电话13700001234",
        "--data-dir", str(seat_b),
    )  # fmt: skip
    assert out.startswith(f"{open_one}: supplement queued for the centre")
    cli("ticket", "chase", open_one, "--text", "来电人催促尽快修好", "--data-dir", str(seat_b))
    cli("ticket", "chase", closed_one, "--text", "再次催办", "--data-dir", str(seat_b))
    before = len(events(open_one))

    # The sync delivers them; the closed ticket's chase is refused in one line, undelivered.
    report, err = sync(seat_b, op_b, ok=False)
    assert (report["pushed"], report["applied"], report["rejected"]) == (3, 2, 1)
    assert report["undelivered"] == 1
    assert f"{closed_one} (ticket is CLOSED: no unit works on it now)" in err
    assert events(open_one)[before:] == [("supplement", op_b), ("chase", op_b)]
    assert [k for k, _ in events(closed_one)].count("chase") == 0

    # The unit sees them, numbers masked, with the count of chases.
    row = unit_rows()[open_one]
    texts = [(f["kind"], f["text"]) for f in row["followups"]]
    assert texts == [
        ("supplement", "灯杆编号B-9，物业电话137****1234"),
        ("chase", "来电人催促尽快修好"),
    ]
    assert row["chases"] == 1

    # A second delivery of the same ops (the acknowledgement lost) appends nothing.
    db_b = new_seat(seat_b)
    try:
        with db_b.write() as s:
            s.execute(
                update(OutboxRow)
                .where(OutboxRow.op == repo.FOLLOW_UP_OP, OutboxRow.undelivered_at.is_(None))
                .values(sent_at=None)
            )
    finally:
        db_b.dispose()
    report, _ = sync(seat_b, op_b, ok=False)  # the closed ticket's chase stays undelivered
    assert (report["pushed"], report["replayed"], report["applied"]) == (2, 2, 2)
    assert len(events(open_one)) == before + 2
    assert unit_rows()[open_one]["chases"] == 1

    # Seat A, which holds the ticket, pulls them: one ticket, the calls on its timeline.
    sync(seat_a, op_a)
    (shown,) = cli.json_lines("ticket", "show", open_one, "--data-dir", str(seat_a), "--json")
    assert [f["kind"] for f in shown["followups"]] == ["supplement", "chase"]
    assert shown["chases"] == 1
    # Seat A's history merges its own row with the centre's: one row per ticket.
    ws_a = Workstation(DataPaths(seat_a), seat="XA1", operator_id=op_a, demo=False)
    try:
        own = ws_a.caller_history(PHONE)
    finally:
        ws_a.close()
    both = caller_history.merge(own, caller_history.centre_rows(central.url(op_a), PHONE))
    assert [r.number for r in both.rows] == [open_one, closed_one]
    assert both.remote == frozenset()

    # The operator's way out: resending does not help a closed ticket; it stays undelivered.
    cli(
        "sync", "--once", "--resend", "--data-dir", str(seat_b), "--central", central.url(op_b),
        ok=False,
    )  # fmt: skip
    assert [k for k, _ in events(closed_one)].count("chase") == 0
