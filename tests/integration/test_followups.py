"""Repeat calls and merges on both sides, command by command against the real PostgreSQL: an
operator's seat records a progress call, a supplement and a chase on tickets it dispatched;
they reach the centre and the handling unit sees them.  A call merged into an original is
counted on it, and closes when the lead's callback closes the original: closed by the lead's
seat, by the centre (when the seat does not hold the merged ticket) or at once (when it is
merged after its original closed); every seat converges on one close."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent_app.domain import timeutil
from agent_app.domain.intake import IntakeDraft, build_ticket
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Outcome, Ticket
from agent_app.paths import DataPaths
from agent_app.services.workstation import Workstation
from agent_app.storage import repository as repo
from tests.helpers.cli import Cli, seat_root
from tests.helpers.pg import CentralDb, add_tickets, new_seat, throwaway_centre

pytestmark = pytest.mark.postgres

STREET = "朝阳区呼家楼街道办事处"


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    with throwaway_centre() as db:
        yield db


def _merge(root: Path, seat: str, operator: str, into: str) -> str:
    """A call taken at the seat and merged into ``into`` (as the window does it)."""
    ws = Workstation(DataPaths(root), seat=seat, operator_id=operator, demo=False)
    draft = IntakeDraft(
        phone="13900001111", description="同一处路灯不亮，又来电反映", merge_target=into
    )

    def build(number: str) -> Ticket:
        return build_ticket(
            draft, Outcome.MERGED, at=timeutil.now(), seat=seat, operator_id=operator,
            role=Role.OPERATOR, number=number,
        )  # fmt: skip

    try:
        return ws.finish_intake(build, draft_id=None).number
    finally:
        ws.close()


def _close_events(central: CentralDb, number: str) -> list[tuple[str, str]]:
    with central.admin() as conn:
        return [
            (r[0], r[1])
            for r in conn.execute(
                "SELECT e.actor_role, e.data->>'original' FROM central.ticket_events e "
                "JOIN central.tickets t ON t.id = e.ticket_id WHERE t.number = %s "
                "AND e.from_status = 'MERGED_DUPLICATE' AND e.to_status = 'CLOSED'",
                (number,),
            )
        ]


def test_repeat_calls_reach_the_unit_and_merged_calls_close_with_their_original(
    central: CentralDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(capsys)
    op = central.add_login("fu_op", "operator")
    lead = central.add_login("fu_lead", "lead")
    street = central.add_login("fu_street", "handler", units=(STREET,))
    op_dir, lead_dir = seat_root(tmp_path / "op", "FU1"), seat_root(tmp_path / "lead", "FU2")

    def sync(seat_dir: Path, login: str, *more: str) -> dict[str, Any]:
        return cli.clean_sync(seat_dir, central.url(login), *more)

    show = cli.show

    def unit(*argv: str) -> None:
        cli("unit", argv[0], *argv[1:], "--url", central.url(street))

    def listed() -> dict[str, dict[str, Any]]:
        rows = cli.json_lines("unit", "list", "--url", central.url(street), "--json")
        return {r["number"]: r for r in rows}

    # The operator's seat dispatches 4 tickets; a second caller's call is merged into the first.
    db = new_seat(op_dir)
    try:
        ids = add_tickets(db, "FU1", 4, unit=STREET, operator=op)
        with db.read() as s:
            numbers = [repo.get_ticket(s, i).number for i in ids]  # type: ignore[union-attr]
    finally:
        db.dispose()
    original, chased, original2, original3 = numbers
    merged = _merge(op_dir, "FU1", op, original)
    sync(op_dir, op)
    t = show(op_dir, original)
    assert (t["merged"], t["callers"]) == ([merged], 2)
    assert [e["kind"] for e in t["events"]][-1] == "merged_call"
    assert show(op_dir, merged)["status"] == "MERGED_DUPLICATE"
    for number in (original, chased, original2, original3):
        unit("sign", number)
        unit("contact", number)

    # 1. Repeat calls at the seat, from the command line: no new ticket, events that sync.
    cli(
        "ticket",
        "progress",
        original,
        "--text",
        "已告知：街道已签收并联系",
        "--data-dir",
        str(op_dir),
    )
    cli(
        "ticket", "supplement", original, "--text", "灯杆编号A-17，可打13812345678联系物业",
        "--data-dir", str(op_dir),
    )  # fmt: skip
    _, out, _ = cli(
        "ticket", "chase", chased, "--text", "来电人催促尽快处理", "--data-dir", str(op_dir)
    )
    assert out.startswith(f"{chased}: chase recorded")
    # One clear line when it cannot be done: a supplement must say something.
    _, _, err = cli(
        "ticket", "supplement", original, "--text", " ", "--data-dir", str(op_dir), ok=False
    )
    assert "needs a text" in err
    _, _, err = cli("ticket", "chase", merged, "--text", "催", "--data-dir", str(op_dir), ok=False)
    assert f"merged into {original}" in err
    report = sync(op_dir, op)
    assert report["pushed"] == 3
    with central.admin() as conn:
        kinds = [
            r[0]
            for r in conn.execute(
                "SELECT e.kind FROM central.ticket_events e JOIN central.tickets t "
                "ON t.id = e.ticket_id WHERE t.number = %s ORDER BY e.seq",
                (original,),
            )
        ]
        count = conn.execute("SELECT count(*) FROM central.tickets").fetchone()[0]
    assert kinds[-2:] == ["progress_call", "supplement"]
    assert kinds.count("merged_call") == 1
    assert count == 5  # four tickets and the merged call: the repeat calls made none

    # 2. The unit sees them (the caller's number masked), with its count of chases and callers.
    rows = listed()
    followups = rows[original]["followups"]
    assert [f["kind"] for f in followups] == ["progress_call", "supplement"]
    assert followups[1]["text"] == "灯杆编号A-17，可打138****5678联系物业"
    assert (rows[original]["callers"], rows[original]["chases"]) == (2, 0)
    assert rows[chased]["followups"][0]["text"] == "来电人催促尽快处理"
    assert rows[chased]["chases"] == 1
    assert "13812345678" not in json.dumps(rows, ensure_ascii=False)

    # 3. The lead's seat pulls everything; a second call is merged into original2 after that,
    #    so the lead's seat never holds it.
    unit("reply", original, "--text", "已更换灯具", "--result", "resolved")
    unit("reply", original2, "--text", "已修复", "--result", "resolved")
    sync(lead_dir, lead)
    merged2 = _merge(op_dir, "FU1", op, original2)
    sync(op_dir, op)

    # 4. The callbacks close both originals; the merged calls close with them.
    for number in (original, original2):
        cli(
            "callback", "record", number, "--resolved", "yes", "--satisfaction", "满意",
            "--data-dir", str(lead_dir),
        )  # fmt: skip
    assert show(lead_dir, merged)["status"] == "CLOSED"  # closed by the lead's seat itself
    sync(lead_dir, lead)
    with central.admin() as conn:
        status = dict(
            conn.execute(
                "SELECT number, status FROM central.tickets WHERE number = ANY(%s)",
                ([merged, merged2],),
            ).fetchall()
        )
    assert status == {merged: "CLOSED", merged2: "CLOSED"}
    assert _close_events(central, merged) == [("lead", original)]  # one close: the seat's
    assert _close_events(central, merged2) == [("system", original2)]  # the centre's
    assert show(lead_dir, merged2)["status"] == "CLOSED"  # pulled

    # 5. A third call merged at the operator's seat, which does not know the original closed:
    #    the centre closes it on arrival.
    late = _merge(op_dir, "FU1", op, original)
    assert show(op_dir, late)["status"] == "MERGED_DUPLICATE"
    sync(op_dir, op)
    assert _close_events(central, late) == [("system", original)]
    sync(op_dir, op)
    for number in (merged, merged2, late, original, original2):
        t = show(op_dir, number)
        assert t["status"] == "CLOSED", number
        closes = [e for e in t["events"] if e["from_status"] == "MERGED_DUPLICATE"]
        assert len(closes) == (number in (merged, merged2, late)), number
    t = show(op_dir, original)
    assert (sorted(t["merged"]), t["callers"]) == (sorted([merged, late]), 3)

    # 6. The lead's seat closes a merged ticket itself but sends one change per batch: the
    #    centre closes it when the original's batch commits, and drops the seat's second close.
    unit("reply", original3, "--text", "已处理", "--result", "resolved")
    merged3 = _merge(op_dir, "FU1", op, original3)
    sync(op_dir, op)
    sync(lead_dir, lead)
    cli(
        "callback", "record", original3, "--resolved", "yes", "--satisfaction", "基本满意",
        "--data-dir", str(lead_dir),
    )  # fmt: skip
    assert show(lead_dir, merged3)["status"] == "CLOSED"
    assert sync(lead_dir, lead, "--batch", "1")["batches"] >= 2
    assert _close_events(central, merged3) == [("system", original3)]
    sync(op_dir, op)
    assert show(op_dir, merged3)["status"] == "CLOSED"
    with central.admin() as conn:
        rejected = conn.execute(
            "SELECT count(*) FROM central.applied_ops WHERE status = 'rejected'"
        ).fetchone()[0]
    assert rejected == 0
