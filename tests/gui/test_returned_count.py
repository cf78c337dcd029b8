"""The operator learns that a lead returned a ticket: after a sync cycle the 退回给我 tab's
title carries the count of open returned checks (退回给我（N）), and when it grows a notice in
the status bar says so and shows the tab on a click.  Offline: no count, nothing said.  The
real window and wiring; the count through a stand-in for the centre's quality checks, and
at a real centre (PostgreSQL)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pytestqt.qtbot import QtBot

from agent_app.domain import timeutil
from agent_app.services import quality
from agent_app.services.central_seed import seed_centre
from agent_app.ui import returned_to_me
from agent_app.ui.compose import Workbench
from agent_app.ui.returned_to_me import ReturnedToMe
from tests.helpers.pg import throwaway_centre
from tests.helpers.window import close_workbench, open_workbench

WAIT = 15_000
NOWHERE = "postgresql://op1@127.0.0.1:9/centre"  # a centre this test never reaches


def _cycle(*, online: bool = True) -> dict[str, Any]:
    """A finished cycle's state, as the sync worker emits it."""
    return {
        "online": online,
        "syncing": False,
        "queue": 0,
        "last_sync": timeutil.now().isoformat(),
        "last_error": "" if online else "connection refused",
        "pushed": 0,
        "pulled": 0,
        "conflicts": 0,
        "undelivered": 0,
        "undelivered_items": [],
    }


class FakeQuality:
    """The centre's quality checks of one operator: ``n`` open returned checks."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.counts = 0
        self.fail: Exception | None = None

    def returned_count(self) -> int:
        self.counts += 1
        if self.fail is not None:
            raise self.fail
        return self.n

    def returned(self) -> list[dict[str, Any]]:
        return [
            {
                "id": i + 1,
                "number": f"20261130-S01-{i + 1:04d}",
                "score": 70.0,
                "comment": "地址缺少门牌号，请补全",
                "items": [],
                "reviewed_at": "2026-11-30T10:00:00+08:00",
                "reviewer": "lead1",
            }
            for i in range(self.n)
        ]


def _tab(bench: Workbench) -> ReturnedToMe:
    tab = bench.window.side.findChild(ReturnedToMe)
    assert tab is not None
    return tab


def _title(tab: ReturnedToMe) -> str:
    return tab.tabs.tabText(tab.tabs.indexOf(tab.page))


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[Workbench]:
    bench = open_workbench(tmp_path, central=NOWHERE)  # an operator's seat with a centre
    qtbot.addWidget(bench.window)
    bench.window.resize(1366, 820)
    bench.window.show()
    qtbot.waitExposed(bench.window)
    try:
        yield bench
    finally:
        close_workbench(bench)


def test_the_tab_counts_the_returned_checks_after_a_sync_and_a_notice_shows_it(
    qtbot: QtBot,
    window: Workbench,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bench = window
    tab = _tab(bench)
    fake = FakeQuality(2)
    tab.quality = fake
    assert _title(tab) == "退回给我"
    assert tab.presenter is None  # the list is not read before the tab is shown
    assert tab.notice.isHidden()
    # A cycle that reached the centre: the count, on the title and in a notice.
    with qtbot.waitSignal(tab.count_changed, timeout=WAIT) as counted:
        bench.wiring.on_sync_state(_cycle())
    assert counted.args == [2]
    assert _title(tab) == "退回给我（2）"
    assert not tab.notice.isHidden()
    assert tab.notice.text() == "班长退回了 2 张工单（共 2 张待改正），点击查看"
    assert tab.presenter is None  # a count, not the list
    # The next cycles, seconds later, do not ask again (at most once a minute).
    bench.wiring.on_sync_state(_cycle())
    bench.runner.wait_idle()
    assert fake.counts == 1
    # A lead returns another: the next count (a minute on) says one more.
    monkeypatch.setattr(returned_to_me, "COUNT_GAP_MS", 0)
    fake.n = 3
    with qtbot.waitSignal(tab.count_changed, timeout=WAIT):
        bench.wiring.on_sync_state(_cycle())
    assert _title(tab) == "退回给我（3）"
    assert tab.notice.text() == "班长退回了 1 张工单（共 3 张待改正），点击查看"
    # Offline: no count and no noise (nothing asked, nothing logged above INFO).
    caplog.set_level(logging.INFO)
    asked = fake.counts
    bench.wiring.on_sync_state(_cycle(online=False))
    tab.timer.timeout.emit()  # the periodic count skips an unreachable centre
    bench.runner.wait_idle()
    assert fake.counts == asked
    assert _title(tab) == "退回给我"
    # A count that fails (the centre went away between the cycle and the count) says
    # nothing either; the title has no count.
    fake.fail = OSError("connection refused")
    bench.wiring.on_sync_state(_cycle())
    qtbot.waitUntil(lambda: fake.counts == asked + 1, timeout=WAIT)
    bench.runner.wait_idle()
    assert _title(tab) == "退回给我"
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert bench.window.banner.isHidden()
    # Back online: the count again, no new notice for the same three.
    fake.fail = None
    with qtbot.waitSignal(tab.count_changed, timeout=WAIT):
        tab.timer.timeout.emit()
    assert _title(tab) == "退回给我（3）"
    # The notice opens the tab; the list is read there, and the notice goes.
    tab.notice.click()
    assert tab.tabs.currentWidget() is tab.page
    assert tab.notice.isHidden()
    assert tab.presenter is not None
    qtbot.waitUntil(lambda: len(tab.presenter.state.rows) == 3, timeout=WAIT)  # type: ignore[union-attr]
    # With the tab in front, a new return comes into the list; no notice is needed.
    fake.n = 4
    with qtbot.waitSignal(tab.count_changed, timeout=WAIT):
        bench.wiring.on_sync_state(_cycle())
    qtbot.waitUntil(lambda: len(tab.presenter.state.rows) == 4, timeout=WAIT)  # type: ignore[union-attr]
    assert _title(tab) == "退回给我（4）"
    assert tab.notice.isHidden()
    # All corrected: the title has no count.
    fake.n = 0
    with qtbot.waitSignal(tab.count_changed, timeout=WAIT):
        bench.wiring.on_sync_state(_cycle())
    qtbot.waitUntil(lambda: _title(tab) == "退回给我", timeout=WAIT)
    bench.runner.wait_idle()


def test_without_a_centre_nothing_is_counted(qtbot: QtBot, tmp_path: Path) -> None:
    bench = open_workbench(tmp_path)  # an operator's seat with no centre
    qtbot.addWidget(bench.window)
    try:
        tab = _tab(bench)
        fake = FakeQuality(5)
        tab.quality = fake
        bench.wiring.on_sync_state(_cycle())
        tab.count_now()
        bench.runner.wait_idle()
        assert fake.counts == 0
        assert not tab.timer.isActive()
        assert _title(tab) == "退回给我"
        assert tab.notice.isHidden()
    finally:
        close_workbench(bench)


UNTIL = datetime.fromisoformat("2026-11-30T20:00+08:00")


@pytest.mark.postgres
def test_a_check_a_lead_returns_at_the_centre_is_counted_on_the_operators_tab(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with throwaway_centre() as central:
        seed_centre(
            central.admin_target(), tickets=60, months=1, seed=3, until=UNTIL, password_lookup=None
        )
        lead = central.add_login("rc_lead", "lead")
        op = central.add_login("rc_op", "operator")
        with central.admin() as conn:
            numbers = [
                r[0]
                for r in conn.execute(
                    "SELECT number FROM central.tickets ORDER BY created_at LIMIT 2"
                ).fetchall()
            ]
            conn.execute(
                "UPDATE central.tickets SET created_by = %s WHERE number = ANY(%s)", (op, numbers)
            )
        card = quality.load_scorecard()
        marks = {i.key: 1.0 for i in card.items} | {"address": 0.0}
        with psycopg.connect(central.url(op), autocommit=True) as conn:
            assert quality.returned_count(conn) == 0
        bench = open_workbench(tmp_path, central=central.url(op))
        qtbot.addWidget(bench.window)
        try:
            tab = _tab(bench)
            with qtbot.waitSignal(tab.count_changed, timeout=WAIT) as counted:
                bench.wiring.on_sync_state(_cycle())
            assert counted.args == [0]
            assert _title(tab) == "退回给我"
            assert tab.notice.isHidden()
            # The lead returns one ticket and passes the other.
            with psycopg.connect(central.url(lead), autocommit=True) as conn:
                quality.record_check(
                    conn, numbers[0], marks, comment="地址缺少门牌号", return_to_operator=True
                )
                quality.record_check(conn, numbers[1], {i.key: 1.0 for i in card.items})
            with psycopg.connect(central.url(op), autocommit=True) as conn:
                assert quality.returned_count(conn) == len(quality.returned_to_me(conn)) == 1
            monkeypatch.setattr(returned_to_me, "COUNT_GAP_MS", 0)  # a minute on
            tab.timer.timeout.emit()  # no cycle: the periodic count
            qtbot.waitUntil(lambda: _title(tab) == "退回给我（1）", timeout=WAIT)
            assert not tab.notice.isHidden()
            assert "1 张" in tab.notice.text()
            bench.runner.wait_idle()
        finally:
            close_workbench(bench)
