"""Demo window: the simulated handling units sign the seat's dispatched ticket, and today's
tickets show it; a real seat's window has no simulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_app.domain import timeutil
from agent_app.domain.lifecycle import Status, UnitAction
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Caller, Ticket, TicketEvent
from agent_app.paths import DataPaths
from agent_app.services.unit_sim import SIM_ACTOR, plan
from agent_app.settings import Settings
from tests.helpers.window import close_workbench, open_workbench

pytestmark = pytest.mark.gui


def _dispatched_ticket(operator: str, sim: object) -> Ticket:
    """A demo ticket dispatched now whose unit will sign it (not object to it) first."""
    now = timeutil.now()
    for i in range(100):
        t = Ticket(
            id=f"00000000-0000-4000-8000-{i:012d}",
            number=f"{now:%Y%m%d}-S01-{9000 + i:04d}",
            created_at=now,
            updated_at=now,
            seat="S01",
            operator_id=operator,
            caller=Caller(name="王女士", phones=("+8613800000000",)),
            category_name="城市管理/市容环境卫生/垃圾清运不及时",
            main_unit="朝阳区呼家楼街道办事处",
            is_demo=True,
            events=(TicketEvent(at=now, kind="created", actor_role="operator", actor_id=operator),),
        ).transition(Status.DISPATCHED, Role.OPERATOR, operator, now)
        step = plan(t, sim.rng_for(t))  # type: ignore[attr-defined]
        if step is not None and step.action is UnitAction.SIGN:
            return t
    raise AssertionError("no ticket id the unit signs first")


def test_a_demo_windows_dispatched_ticket_is_signed_by_the_simulated_unit(
    qtbot, tmp_path: Path
) -> None:
    seat = DataPaths(tmp_path / "seat").ensure()
    Settings(seat.settings_file).unit_sim_speed = 100_000  # minutes of work in milliseconds
    bench = open_workbench(tmp_path, role=Role.TRAINER, demo=True)
    qtbot.addWidget(bench.window)
    try:
        driver = bench.unit_sim
        assert driver is not None
        assert driver.simulator.speed == 100_000
        driver.timer.setInterval(200)
        ws = bench.workstation
        ticket = _dispatched_ticket(ws.operator_id, driver.simulator)
        ws.save_ticket(ticket)
        bench.window.load_tickets()

        def shown_status() -> str:
            model = bench.window.today.model
            rows = [model.row_at(r) for r in range(model.rowCount())]
            return next((r.status for r in rows if r.id == ticket.id), "")

        qtbot.waitUntil(lambda: shown_status() not in ("", "DISPATCHED"), timeout=20_000)
        bench.runner.wait_idle()
        saved = ws.ticket(ticket.id)
        assert saved is not None
        signed = [e for e in saved.events if e.to_status == "SIGNED"]
        assert signed[0].actor_role == "handler"
        assert signed[0].actor_id == SIM_ACTOR
        assert signed[0].data["demo"] is True
        assert ws.pending_outbox() == 0
    finally:
        close_workbench(bench)


def test_a_real_seats_window_has_no_simulated_units(qtbot, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("AGENT_APP_CENTRAL_URL", raising=False)
    bench = open_workbench(tmp_path, role=Role.OPERATOR, demo=False)
    qtbot.addWidget(bench.window)
    try:
        assert bench.unit_sim is None
    finally:
        close_workbench(bench)
