"""The lead's desk after a sync cycle: what the cycle changed shows on the list in sight
without 刷新 — a chase the centre refused at sync time says 未送达 on its 超时预警 row, a
ticket the sync pulled appears in the shown list — once per cycle, keeping the selection and
the scroll position when the rows are the same.  The real desk and wiring of a lead's window;
the sync's states are the ones its worker emits (``SyncController.state_changed``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from PySide6.QtWidgets import QWidget

from agent_app.cli import main
from agent_app.domain import timeutil
from agent_app.domain.lifecycle import Status
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Place, Ticket, TicketEvent
from agent_app.services.review import ReviewFilter, ReviewPage
from agent_app.services.sync.identity import store_identity
from agent_app.storage import repository as repo
from agent_app.storage.models import OutboxRow
from agent_app.ui.compose import Workbench
from agent_app.ui.lead_desk.desk import SYNC_SETTLE_MS, LeadDesk
from agent_app.ui.lead_desk.presenters import ReviewPresenter
from agent_app.ui.lead_desk.views import ReviewView
from tests.helpers.pg import CentralDb, add_tickets, new_seat, throwaway_centre
from tests.helpers.window import close_workbench, open_workbench

UNIT = "东华门街道办事处"
WAIT = 15_000


def _ticket(n: int, due: datetime) -> Ticket:
    at = due - timedelta(days=5)
    return Ticket(
        id=f"00000000-0000-4000-8000-{n:012d}",
        number=f"20261115-S01-{n:04d}",
        created_at=at,
        seat="S01",
        operator_id="op1",
        category_code="04.05.001",
        category_name="城市管理/路灯照明/路灯不亮",
        place=Place(address="东城区某街1号", district="东城区", township="东华门"),
        main_unit=UNIT,
        due_at=due,
        status=Status.SIGNED,
        events=(TicketEvent(at, "transition", "operator", "op1", "INTAKE", "DISPATCHED", {}),),
    )


def _cycle(*, pulled: int = 0, undelivered: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    """A finished cycle's state, as the sync worker emits it."""
    return {
        "online": True,
        "syncing": False,
        "queue": 0,
        "last_sync": timeutil.now().isoformat(),
        "last_error": "",
        "pushed": 0,
        "pulled": pulled,
        "conflicts": 0,
        "undelivered": len(undelivered),
        "undelivered_items": [{"number": n, "reason": r} for n, r in undelivered],
    }


class CountingSource:
    """The list's source, counting its reads."""

    def __init__(self, source: Any) -> None:
        self.source = source
        self.partial = source.partial
        self.reads = 0

    def page(self, flt: ReviewFilter, *, limit: int, after: str | None) -> ReviewPage:
        self.reads += 1
        return self.source.page(flt, limit=limit, after=after)


def _loaded(qtbot: QtBot, presenter: ReviewPresenter) -> None:
    qtbot.waitUntil(lambda: not presenter.state.loading, timeout=WAIT)
    assert not presenter.state.error, presenter.state.error


def _cell(view: ReviewView, number: str) -> str:
    at = next(i for i in range(view.proxy.rowCount()) if view.proxy.row_at(i).number == number)
    return str(view.proxy.index(at, view.model.columnCount() - 1).data())


def _selected(view: ReviewView) -> list[str]:
    rows = view.table.selectionModel().selectedRows()
    return sorted(view.proxy.row_at(i.row()).number for i in rows)


def _lead_window(qtbot: QtBot, tmp_path: Path) -> tuple[Workbench, LeadDesk]:
    # A lead's seat with no centre: the desk reads the seat's copy; its changes go through
    # the seat's outbox, as a synced seat's do.
    bench = open_workbench(tmp_path, role=Role.LEAD)
    qtbot.addWidget(bench.window)
    store_identity(bench.workstation.db, {"login": "lead1", "group": "lead"})  # a synced seat
    bench.window.resize(1366, 820)
    bench.window.show()
    qtbot.waitExposed(bench.window)
    assert bench.lead_desk is not None
    return bench, bench.lead_desk.desk


def test_a_chase_refused_at_sync_time_shows_undelivered_on_its_row_without_refresh(
    qtbot: QtBot, tmp_path: Path
) -> None:
    bench, desk = _lead_window(qtbot, tmp_path)
    wiring = bench.wiring
    try:
        now = timeutil.now()
        tickets = [_ticket(9400 + i, now - timedelta(hours=1 + i)) for i in range(40)]
        for t in tickets:
            bench.workstation.save_ticket(t)
        wiring.on_sync_state(_cycle())  # the last cycle: nothing undelivered
        view = desk.overdue_view
        desk.tabs.setCurrentWidget(view)
        desk.data_changed("tickets")  # as the runner says after a save
        _loaded(qtbot, view.presenter)
        assert len(view.presenter.state.rows) >= 40
        # The lead scrolls down and chases one ticket; the seat's outbox holds the chase.
        target = tickets[25]
        row = next(
            i for i in range(view.proxy.rowCount()) if view.proxy.row_at(i).number == target.number
        )
        view.table.scrollTo(view.proxy.index(row - 5, 0), view.table.ScrollHint.PositionAtTop)
        view.table.selectRow(row)

        def note(_parent: QWidget, _numbers: Sequence[str], template: str) -> str:
            return template

        view.ask_note = note
        view.chase_button.click()
        qtbot.waitUntil(lambda: not view.chaser.state.busy, timeout=WAIT)
        _loaded(qtbot, view.presenter)  # the seat's tickets changed: the list was read again
        bench.runner.wait_idle()
        qtbot.waitUntil(lambda: not view.presenter.state.loading, timeout=WAIT)
        assert not _cell(view, target.number).startswith("未送达")
        scrolled = view.table.verticalScrollBar().value()
        assert scrolled > 0
        assert _selected(view) == [target.number]
        # The sync sends it and the centre refuses it (the engine's record of the refusal).
        with bench.workstation.db.write() as s:
            key = s.scalars(
                select(OutboxRow.idempotency_key)
                .where(OutboxRow.ticket_id == target.id)
                .order_by(OutboxRow.id.desc())
            ).first()
            assert key is not None
            repo.mark_undelivered(s, {key: "ticket_closed"}, now)
        source = CountingSource(view.presenter.source)
        view.presenter.source = source
        # The cycle's state: the list in sight is read again by itself, once, even when
        # the cycle's notices come in a burst.
        refused = [(target.number, "ticket_closed")]
        wiring.on_sync_state(_cycle(undelivered=refused))
        wiring.on_sync_state(_cycle(pulled=2, undelivered=refused))
        wiring.on_sync_state(_cycle(undelivered=refused))
        qtbot.waitUntil(lambda: _cell(view, target.number) == "未送达：ticket_closed", timeout=WAIT)
        bench.runner.wait_idle()
        qtbot.wait(SYNC_SETTLE_MS * 3)
        bench.runner.wait_idle()
        assert source.reads == 1
        # The same rows: the lead's selection and scroll position are kept.
        assert _selected(view) == [target.number]
        assert view.table.verticalScrollBar().value() == scrolled
        assert not view.resend_button.isHidden()
        # A cycle that changes nothing reads nothing.
        wiring.on_sync_state(_cycle(undelivered=refused))
        qtbot.wait(SYNC_SETTLE_MS * 3)
        bench.runner.wait_idle()
        assert source.reads == 1
    finally:
        desk.shutdown()
        close_workbench(bench)


def test_a_ticket_pulled_by_a_sync_appears_in_the_shown_list_and_the_lights(
    qtbot: QtBot, tmp_path: Path
) -> None:
    bench, desk = _lead_window(qtbot, tmp_path)
    wiring = bench.wiring
    try:
        now = timeutil.now()
        mine = [_ticket(9500 + i, now - timedelta(hours=2 + i)) for i in range(3)]
        for t in mine:
            bench.workstation.save_ticket(t)
        view = desk.review_view
        desk.tabs.setCurrentWidget(view)
        desk.data_changed("tickets")
        _loaded(qtbot, view.presenter)
        qtbot.waitUntil(lambda: desk.overdue.counts is not None, timeout=WAIT)
        bench.runner.wait_idle()
        assert desk.overdue.counts is not None
        red = desk.overdue.counts.red
        assert {t.number for t in mine} <= {r.number for r in view.presenter.state.rows}
        first = next(
            i for i in range(view.proxy.rowCount()) if view.proxy.row_at(i).number == mine[1].number
        )
        view.table.selectRow(first)
        assert _selected(view) == [mine[1].number]
        # The sync writes a ticket another seat took (no change of this window's own).
        pulled = replace(_ticket(9600, now - timedelta(minutes=30)), seat="S02")
        bench.workstation.save_ticket(pulled)
        qtbot.wait(SYNC_SETTLE_MS * 2)
        assert pulled.number not in {r.number for r in view.presenter.state.rows}
        wiring.on_sync_state(_cycle(pulled=1))
        qtbot.waitUntil(
            lambda: pulled.number in {r.number for r in view.presenter.state.rows}, timeout=WAIT
        )
        _loaded(qtbot, view.presenter)
        assert pulled.number in {view.proxy.row_at(i).number for i in range(view.proxy.rowCount())}
        # The lead's selected ticket is still selected among the new rows; the lights count
        # the pulled ticket too.
        assert _selected(view) == [mine[1].number]
        qtbot.waitUntil(
            lambda: desk.overdue.counts is not None and desk.overdue.counts.red == red + 1,
            timeout=WAIT,
        )
        # The other lists are read again when next shown.
        overdue = desk.overdue_view
        desk.tabs.setCurrentWidget(overdue)
        _loaded(qtbot, overdue.presenter)
        assert pulled.number in {r.number for r in overdue.presenter.state.rows}
        bench.runner.wait_idle()
    finally:
        desk.shutdown()
        close_workbench(bench)


# A desk reading the centre ----------------------------------------------------------------------

STREET = "朝阳区呼家楼街道办事处"


def _overdue_at_centre(central: CentralDb, numbers: Sequence[str]) -> None:
    with central.admin() as conn:
        for number in numbers:
            due = (timeutil.now() - timedelta(hours=3)).isoformat()
            conn.execute(
                "UPDATE central.tickets SET data = data || jsonb_build_object('due_at', %s::text),"
                " version = nextval('central.ticket_version_seq') WHERE number = %s",
                (due, number),
            )


def _synced_tickets(
    central: CentralDb,
    seat_dir: Path,
    op: str,
    n: int,
    capsys: pytest.CaptureFixture[str],
    *,
    seed: int,
) -> list[str]:
    """``n`` new tickets of the operator's seat (``seed``: another for each call), synced to
    the centre and overdue there."""
    db = new_seat(seat_dir)
    try:
        ids = add_tickets(db, "CS1", n, unit=STREET, operator=op, seed=seed)
        with db.read() as s:
            numbers = [repo.get_ticket(s, i).number for i in ids]  # type: ignore[union-attr]
    finally:
        db.dispose()
    argv = ["sync", "--once", "--json", "--data-dir", str(seat_dir), "--central", central.url(op)]
    assert main(argv) == 0, capsys.readouterr()
    capsys.readouterr()
    _overdue_at_centre(central, numbers)
    return numbers


@pytest.mark.postgres
def test_a_desk_reading_the_centre_shows_a_refused_chase_and_a_new_ticket_after_a_sync(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with throwaway_centre() as central:
        op = central.add_login("ds_op", "operator")
        lead = central.add_login("ds_lead", "lead")
        seat_dir = tmp_path / "op"
        seat_dir.mkdir()
        (seat_dir / "settings.ini").write_text("[options]\nseat=CS1\n", encoding="utf-8")
        first = _synced_tickets(central, seat_dir, op, 2, capsys, seed=11)
        bench = open_workbench(tmp_path / "lead", role=Role.LEAD, central=central.url(lead))
        qtbot.addWidget(bench.window)
        assert bench.lead_desk is not None
        desk = bench.lead_desk.desk
        assert not desk.sources.partial  # the centre
        store_identity(bench.workstation.db, {"login": lead, "group": "lead"})
        wiring = bench.wiring
        try:
            wiring.on_sync_state(_cycle())
            view = desk.overdue_view
            desk.tabs.setCurrentWidget(view)
            qtbot.waitUntil(
                lambda: set(first) <= {r.number for r in view.presenter.state.rows}, timeout=WAIT
            )
            # A chase that went through the seat's outbox (the centre was out of reach) is
            # refused by the centre when the seat syncs.
            outbox = desk.sources.outbox
            assert outbox is not None
            (queued,) = outbox.chase([first[0]], "请尽快办理")
            assert queued.outcome == "queued"
            with bench.workstation.db.write() as s:
                key = s.scalar(
                    select(OutboxRow.idempotency_key).where(OutboxRow.ticket_id == first[0])
                )
                assert key is not None
                repo.mark_undelivered(s, {key: "ticket_closed"}, timeutil.now())
            refused = [(first[0], "ticket_closed")]
            wiring.on_sync_state(_cycle(undelivered=refused))
            qtbot.waitUntil(lambda: _cell(view, first[0]) == "未送达：ticket_closed", timeout=WAIT)
            assert _cell(view, first[1]) == ""
            # Another seat's ticket reached the centre; the lead's next cycle pulls.
            (later,) = _synced_tickets(central, seat_dir, op, 1, capsys, seed=12)
            wiring.on_sync_state(_cycle(pulled=1, undelivered=refused))
            qtbot.waitUntil(
                lambda: later in {r.number for r in view.presenter.state.rows}, timeout=WAIT
            )
            assert _cell(view, first[0]) == "未送达：ticket_closed"
            bench.runner.wait_idle()
        finally:
            desk.shutdown()
            close_workbench(bench)
