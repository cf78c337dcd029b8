"""The demo units simulator: valid lifecycle steps only, on its clock, demo seats only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from agent_app.domain.deadlines import SHANGHAI
from agent_app.domain.lifecycle import UNIT_ACTION_PATHS, Status, UnitAction, check_transition
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Caller, Ticket, TicketEvent
from agent_app.domain.unit_act import unit_act
from agent_app.errors import ConfigError, UsageError
from agent_app.paths import DataPaths
from agent_app.services import unit_sim
from agent_app.services.unit_sim import UnitSimulator
from agent_app.storage import repository as repo
from agent_app.storage.db import Database
from agent_app.storage.seat import open_database

START = datetime(2026, 12, 8, 9, 0, tzinfo=SHANGHAI)
CATEGORIES = ("城市管理/市容环境卫生/垃圾清运不及时", "公共服务/供暖/室温不达标", "其他/其他")


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def _dispatched(n: int, *, demo: bool = True) -> Ticket:
    created = START
    t = Ticket(
        id=Ticket.new_id(),
        number=f"20261208-S01-{n:04d}",
        created_at=created,
        updated_at=created,
        seat="S01",
        operator_id="op001",
        caller=Caller(name="王女士", phones=("+8613800000000",)),
        category_name=CATEGORIES[n % len(CATEGORIES)],
        main_unit="朝阳区呼家楼街道办事处",
        is_demo=demo,
        events=(TicketEvent(at=created, kind="created", actor_role="operator", actor_id="op001"),),
    )
    return t.transition(Status.DISPATCHED, Role.OPERATOR, "op001", created)


def _seat(tmp_path: Path, *, demo: bool = True) -> DataPaths:
    paths = DataPaths(tmp_path / "seat").ensure()
    if demo:
        paths.demo_marker.write_text("demo\n", encoding="utf-8")
    return paths


@pytest.fixture
def demo_db(tmp_path: Path) -> Iterator[tuple[DataPaths, Database]]:
    paths = _seat(tmp_path)
    db = open_database(paths)
    try:
        yield paths, db
    finally:
        db.dispose()


def _save(db: Database, tickets: list[Ticket]) -> None:
    with db.write() as s:
        for t in tickets:
            repo.save_ticket(s, t, outbox=False)


def _load(db: Database, tickets: list[Ticket]) -> list[Ticket]:
    with db.read() as s:
        loaded = [repo.get_ticket(s, t.id) for t in tickets]
    assert all(t is not None for t in loaded)
    return [t for t in loaded if t is not None]


def _assert_valid_life(ticket: Ticket) -> None:
    """Every status change follows the lifecycle table for the role that made it."""
    status = None
    for e in ticket.events:
        if e.kind != "transition":
            continue
        assert e.from_status is not None
        assert e.to_status is not None
        if status is not None:
            assert e.from_status == status
        check_transition(Status(e.from_status), Status(e.to_status), Role(e.actor_role))
        status = e.to_status
    assert status == ticket.status.value


def test_a_real_seat_is_refused(tmp_path: Path) -> None:
    paths = _seat(tmp_path, demo=False)
    with pytest.raises(ConfigError, match="demo data only"):
        UnitSimulator(paths, lambda: pytest.fail("no database is opened"))


def test_the_units_move_tickets_through_valid_steps_on_their_clock(demo_db) -> None:
    paths, db = demo_db
    tickets = [_dispatched(n) for n in range(1, 41)]
    real = _dispatched(99, demo=False)  # an ordinary ticket of the seat: never touched
    _save(db, [*tickets, real])
    clock = Clock(START)
    sim = UnitSimulator(paths, lambda: db, speed=60, seed=7, clock=clock)

    assert sim.step().acted == []  # nothing is due yet: the units take their time
    seen: set[str] = set()
    for _ in range(200):  # 200 steps of 10 s at 60x: about 33 hours of the units' work
        clock.at += timedelta(seconds=10)
        acted = sim.step().acted
        assert len(acted) <= unit_sim.MAX_ACTIONS
        seen.update(action for _number, action, _status in acted)
    after = _load(db, tickets)
    for t in after:
        _assert_valid_life(t)
        for e in t.events[2:]:
            assert e.actor_role == "handler"
            assert e.actor_id == unit_sim.SIM_ACTOR
            assert e.data["demo"] is True
            assert e.data.get("implied") or e.data["unit"] == t.main_unit
    statuses = {t.status for t in after}
    assert Status.DISPATCHED not in statuses  # every ticket was signed or objected to
    assert Status.REPLIED in statuses
    assert {"sign", "contact", "reply"} <= seen
    assert seen & {"object", "extend"}  # the lead gets work too
    replied = [t for t in after if t.status is Status.REPLIED]
    assert any("城管" in t.events[-1].data["text"] for t in replied)
    (untouched,) = _load(db, [real])
    assert untouched.status is Status.DISPATCHED
    assert len(untouched.events) == 2
    with db.read() as s:
        assert repo.pending_outbox_count(s) == 0


def test_the_same_seed_and_clock_give_the_same_actions(tmp_path: Path) -> None:
    runs = []
    tickets = [_dispatched(n) for n in range(1, 11)]
    for name in ("a", "b"):
        paths = _seat(tmp_path / name)
        db = open_database(paths)
        try:
            _save(db, tickets)
            clock = Clock(START)
            sim = UnitSimulator(paths, lambda db=db: db, speed=60, seed=3, clock=clock)
            acted = []
            for _ in range(60):
                clock.at += timedelta(seconds=10)
                acted += sim.step().acted
            runs.append(acted)
        finally:
            db.dispose()
    assert runs[0] == runs[1]
    assert runs[0]


def test_speed_scales_the_clock(demo_db) -> None:
    paths, db = demo_db
    ticket = _dispatched(1)
    _save(db, [ticket])
    slow = UnitSimulator(paths, lambda: db, speed=1, seed=1, clock=Clock(START))
    plan = slow.due(ticket, START + timedelta(days=1))
    assert plan is not None
    wait = timedelta(minutes=plan.after_minutes)
    sent = ticket.events[-1].at
    assert slow.due(ticket, sent + wait * 0.99) is None
    assert slow.due(ticket, sent + wait * 1.01) == plan
    fast = UnitSimulator(paths, lambda: db, speed=60, seed=1, clock=Clock(START))
    assert fast.due(ticket, sent + wait / 60 * 1.01) == plan
    assert fast.due(ticket, sent + wait / 60 * 0.99) is None


def test_unit_act_follows_the_action_paths() -> None:
    t = _dispatched(1)
    with pytest.raises(UsageError, match="not possible now"):
        unit_act(t, UnitAction.REPLY, actor_id="u", now=START, result="resolved", text="好")
    t = unit_act(t, UnitAction.SIGN, actor_id="u", now=START)
    t = unit_act(t, UnitAction.CONTACT, actor_id="u", now=START)
    t = unit_act(t, UnitAction.NOTE, actor_id="u", now=START, text="已到现场")
    assert t.status is Status.CONTACTED
    assert t.events[-1].kind == "note"
    with pytest.raises(UsageError, match="result"):
        unit_act(t, UnitAction.REPLY, actor_id="u", now=START, result="done", text="好")
    t = unit_act(t, UnitAction.REPLY, actor_id="u", now=START, result="resolved", text="已处理")
    assert [e.to_status for e in t.events[-2:]] == ["IN_PROGRESS", "REPLIED"]
    assert t.events[-2].data["implied"] is True
    assert t.events[-1].data == {
        "action": "reply",
        "unit": t.main_unit,
        "result": "resolved",
        "text": "已处理",
    }
    assert UNIT_ACTION_PATHS[UnitAction.REPLY][Status.CONTACTED] == (
        Status.IN_PROGRESS,
        Status.REPLIED,
    )
    _assert_valid_life(replace(t))
