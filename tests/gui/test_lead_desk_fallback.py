"""The lead's desk keeps working when the centre goes away mid-shift: a real throwaway centre
behind a TCP proxy (tests/helpers/proxy.py); the desk shows the centre's rows; the proxy
cuts the link; the next read shows the seat's own rows marked 本席数据（中心暂不可达，HH:MM
起）with the reason in the tooltip, the lights too, and the centre is not asked again on
every read; a sync cycle that reached the centre brings the centre's rows back and the mark
goes; a refusal by the centre (the login is no longer a lead's) is shown as it is, never
covered by the seat's rows; a link that swallows the reads is answered by the seat within
the policy's bound."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from agent_app.domain import timeutil
from agent_app.domain.lifecycle import Status
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Place, Ticket, TicketEvent
from agent_app.services.central_seed import seed_centre
from agent_app.ui.compose import Workbench
from agent_app.ui.lead_desk.desk import LeadDesk
from agent_app.ui.lead_desk.presenters import ReviewPresenter
from tests.helpers.pg import CentralDb, throwaway_centre
from tests.helpers.proxy import FaultProxy
from tests.helpers.window import close_workbench, open_workbench

pytestmark = pytest.mark.postgres

WAIT = 20_000
MARK = re.compile(r"^本席数据（中心暂不可达，\d\d:\d\d 起）$")


@pytest.fixture(scope="module")
def central() -> Iterator[dict[str, Any]]:
    with throwaway_centre() as db:
        now = timeutil.now()
        seed_centre(
            db.admin_target(), tickets=80, months=1, seed=11, until=now, password_lookup=None
        )
        lead = db.add_login("fb_lead", "lead")
        with db.admin() as conn:
            numbers = {r[0] for r in conn.execute("SELECT number FROM central.tickets")}
        yield {"db": db, "lead": lead, "numbers": numbers}


def seat_ticket(n: int, due: datetime) -> Ticket:
    """One of the lead seat's own tickets (never synced: the centre does not hold it)."""
    at = due - timedelta(days=3)
    return Ticket(
        id=f"00000000-0000-4000-8000-{n:012d}",
        number=f"20261115-FB1-{n:04d}",
        created_at=at,
        seat="FB1",
        operator_id="op1",
        category_code="04.05.001",
        category_name="城市管理/路灯照明/路灯不亮",
        place=Place(address="东城区某街1号", district="东城区", township="东华门"),
        main_unit="东华门街道办事处",
        due_at=due,
        status=Status.SIGNED,
        events=(TicketEvent(at, "transition", "operator", "op1", "INTAKE", "DISPATCHED", {}),),
    )


def _read(qtbot: QtBot, presenter: ReviewPresenter) -> None:
    presenter.reload()
    qtbot.waitUntil(lambda: not presenter.state.loading, timeout=WAIT)


def _numbers(presenter: ReviewPresenter) -> set[str]:
    return {r.number for r in presenter.state.rows}


def _lead_desk(qtbot: QtBot, tmp_path: Path, url: str) -> tuple[Workbench, LeadDesk]:
    bench = open_workbench(tmp_path, role=Role.LEAD, central=url)
    qtbot.addWidget(bench.window)
    bench.window.resize(1366, 820)
    bench.window.show()
    qtbot.waitExposed(bench.window)
    assert bench.lead_desk is not None
    return bench, bench.lead_desk.desk


def test_the_desk_reads_the_seat_while_the_centre_is_cut_and_switches_back(
    qtbot: QtBot, tmp_path: Path, central: dict[str, Any]
) -> None:
    db: CentralDb = central["db"]
    lead: str = central["lead"]
    with FaultProxy(db.server.port) as proxy:
        url = f"postgresql://{lead}@127.0.0.1:{proxy.port}/{db.name}?connect_timeout=2"
        bench, desk = _lead_desk(qtbot, tmp_path, url)
        try:
            now = timeutil.now()
            mine = [seat_ticket(7100 + i, now - timedelta(hours=1 + i)) for i in range(4)]
            for t in mine:
                bench.workstation.save_ticket(t)
            seat_numbers = {t.number for t in mine}
            view = desk.review_view
            queue = view.presenter
            assert desk.tabs.currentWidget() is view
            # The centre answers: its rows, no mark.
            _read(qtbot, queue)
            assert not queue.state.error, queue.state.error
            assert _numbers(queue)
            assert _numbers(queue) <= central["numbers"]
            assert queue.state.outage is None
            assert view.seat_mark.isHidden()
            assert desk.source_label.text().startswith("中心数据")
            # The link is cut: the next read is the seat's copy, marked, with the reason.
            proxy.set_mode("reset")
            _read(qtbot, queue)
            assert not queue.state.error, queue.state.error
            assert _numbers(queue) == seat_numbers
            assert queue.state.total == len(mine)
            assert view.seat_mark.isVisible()
            assert MARK.match(view.seat_mark.text()), view.seat_mark.text()
            tip = view.seat_mark.toolTip()
            assert f"127.0.0.1:{proxy.port}" in tip
            assert "可能不完整" in tip
            qtbot.waitUntil(lambda: MARK.match(desk.source_label.text()) is not None, timeout=WAIT)
            assert desk.source_label.toolTip() == tip
            # The lights count the seat's open tickets too (all four overdue).
            desk.overdue.refresh(now=True)
            qtbot.waitUntil(lambda: desk.overdue.outage is not None, timeout=WAIT)
            assert desk.overdue.counts is not None
            assert desk.overdue.counts.red == len(mine)
            assert desk.lights.count("red") == f"● 已超时 {len(mine)}"
            # The figures too: the seat's tickets' rates, marked.
            desk.tabs.setCurrentWidget(desk.figures_view)
            qtbot.waitUntil(
                lambda: not desk.figures.state.loading and desk.figures_view.seat_mark.isVisible(),
                timeout=WAIT,
            )
            assert not desk.figures.state.error, desk.figures.state.error
            assert desk.figures.state.outage is not None
            assert MARK.match(desk.figures_view.seat_mark.text())
            desk.tabs.setCurrentWidget(view)
            # No retry storm: within 30 s the reads do not knock at the centre again.
            knocks = proxy.accepted
            for _ in range(3):
                _read(qtbot, queue)
                assert _numbers(queue) == seat_numbers
            desk.overdue.refresh(now=True)
            bench.runner.wait_idle()
            assert proxy.accepted == knocks
            # The link heals and a sync cycle reaches the centre: the desk reads the centre
            # again by itself; the marks go.
            proxy.set_mode("pass")
            bench.wiring.signals.cycle_ended.emit(True)
            qtbot.waitUntil(
                lambda: not queue.state.loading and queue.state.outage is None, timeout=WAIT
            )
            qtbot.waitUntil(lambda: desk.source_label.text().startswith("中心数据"), timeout=WAIT)
            assert not queue.state.error, queue.state.error
            assert _numbers(queue) <= central["numbers"]
            assert not _numbers(queue) & seat_numbers
            assert view.seat_mark.isHidden()
            assert desk.source_label.toolTip() == ""
            qtbot.waitUntil(lambda: desk.overdue.outage is None, timeout=WAIT)
            assert proxy.accepted > knocks
            # The figures read from the seat are read again from the centre when next shown.
            desk.tabs.setCurrentWidget(desk.figures_view)
            qtbot.waitUntil(
                lambda: not desk.figures.state.loading and desk.figures.state.outage is None,
                timeout=WAIT,
            )
            assert not desk.figures.state.error, desk.figures.state.error
            assert desk.figures_view.seat_mark.isHidden()
        finally:
            bench.runner.wait_idle()
            desk.shutdown()
            close_workbench(bench)


def test_a_refusal_by_the_centre_is_shown_not_covered_by_the_seats_rows(
    qtbot: QtBot, tmp_path: Path, central: dict[str, Any]
) -> None:
    db: CentralDb = central["db"]
    lead: str = central["lead"]
    with FaultProxy(db.server.port) as proxy:
        url = f"postgresql://{lead}@127.0.0.1:{proxy.port}/{db.name}?connect_timeout=2"
        bench, desk = _lead_desk(qtbot, tmp_path, url)
        try:
            now = timeutil.now()
            for i in range(3):
                bench.workstation.save_ticket(seat_ticket(7200 + i, now - timedelta(hours=2)))
            view = desk.review_view
            queue = view.presenter
            _read(qtbot, queue)
            assert queue.state.outage is None
            proxy.set_mode("reset")
            _read(qtbot, queue)
            assert queue.state.outage is not None
            assert len(queue.state.rows) == 3
            # The link comes back, but the login is no longer a lead's: the centre refuses.
            proxy.set_mode("pass")
            with db.admin() as conn:
                conn.execute(f"REVOKE {db.prefix}_lead FROM {lead}")
            try:
                bench.wiring.signals.cycle_ended.emit(True)
                qtbot.waitUntil(lambda: bool(queue.state.error), timeout=WAIT)
                assert "may not read the review queue" in queue.state.error
                assert queue.state.rows == ()  # no seat rows beside the refusal
                assert queue.state.outage is None
                assert view.seat_mark.isHidden()
                assert view.message.text() == queue.state.error
                qtbot.waitUntil(
                    lambda: desk.source_label.text().startswith("中心数据"), timeout=WAIT
                )
            finally:
                with db.admin() as conn:
                    conn.execute(f"GRANT {db.prefix}_lead TO {lead}")
        finally:
            bench.runner.wait_idle()
            desk.shutdown()
            close_workbench(bench)


def test_a_centre_that_swallows_the_reads_is_answered_by_the_seat_in_seconds(
    qtbot: QtBot, tmp_path: Path, central: dict[str, Any]
) -> None:
    """A link that takes the packets and never answers (no error for a long while): after
    the policy's bound the seat answers, the worker is freed, the stuck read ends when the
    connection does; the healed link brings the centre back."""
    db: CentralDb = central["db"]
    lead: str = central["lead"]
    proxy = FaultProxy(db.server.port)
    url = f"postgresql://{lead}@127.0.0.1:{proxy.port}/{db.name}?connect_timeout=2"
    bench, desk = _lead_desk(qtbot, tmp_path, url)
    policy = desk.sources.policy
    assert policy is not None
    policy.answer_within = 2.0
    try:
        now = timeutil.now()
        mine = [seat_ticket(7300 + i, now - timedelta(hours=3)) for i in range(2)]
        for t in mine:
            bench.workstation.save_ticket(t)
        queue = desk.review_view.presenter
        _read(qtbot, queue)
        assert queue.state.outage is None
        proxy.set_mode("blackhole")
        started = time.monotonic()
        _read(qtbot, queue)
        assert time.monotonic() - started < 10
        assert _numbers(queue) == {t.number for t in mine}
        assert queue.state.outage is not None
        assert "did not answer within 2 s" in desk.review_view.seat_mark.toolTip()
        assert policy.stuck >= 1
        proxy.set_mode("pass")
        bench.wiring.signals.cycle_ended.emit(True)
        qtbot.waitUntil(
            lambda: not queue.state.loading and queue.state.outage is None, timeout=WAIT
        )
        assert _numbers(queue) <= central["numbers"]
        assert desk.review_view.seat_mark.isHidden()
    finally:
        bench.runner.wait_idle()
        desk.shutdown()
        close_workbench(bench)
        proxy.close()  # the swallowed read's connection is reset: its thread ends
        qtbot.waitUntil(lambda: policy.stuck == 0, timeout=WAIT)
