"""催办 from the lead's 超时预警 list: select rows (or a unit's), a note naming the due time,
one chase event per ticket, the count and time on the row, a confirmation before chasing
again, 未送达 with its reason, the lights unchanged.  Through the seat (the desk of a demo
window) and at the centre (PostgreSQL: the unit sees the chase in its listing)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QWidget

from agent_app.cli import main
from agent_app.domain import timeutil
from agent_app.domain.followup import FollowupKind, follow_up_words
from agent_app.domain.lifecycle import Status
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Place, Ticket, TicketEvent
from agent_app.domain.timeutil import SHANGHAI
from agent_app.paths import DataPaths
from agent_app.services import units
from agent_app.services.chase import CentralChase, ChaseResult, MarkUndelivered, SeatChase
from agent_app.services.lead_desk import CentralReview, SeatReview, central_overdue_counts
from agent_app.services.review import ReviewFilter, ReviewRow
from agent_app.services.sync.identity import store_identity
from agent_app.storage import repository as repo
from agent_app.storage.models import OutboxRow
from agent_app.ui.lead_desk.chase import (
    DUE_FIELD,
    ChaseDialog,
    ChasePresenter,
    OverdueView,
    note_for,
)
from agent_app.ui.lead_desk.presenters import ReviewPresenter
from agent_app.workers.tasks import TaskRunner
from tests.helpers.cli import Cli
from tests.helpers.pg import CentralDb, add_tickets, new_seat, require_server
from tests.helpers.window import close_workbench, open_workbench

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=SHANGHAI)
UNIT_A = "东华门街道办事处"
UNIT_B = "景山街道办事处"
OVERDUE = ReviewFilter(overdue=True, sort="due")
WAIT = 15_000


def _ticket(n: int, unit: str, due: datetime, *, now: datetime = NOW) -> Ticket:
    at = due - timedelta(days=5)
    return Ticket(
        id=f"c{n:05d}-{unit[:2]}",
        number=f"20261115-S01-{n:04d}",
        created_at=at,
        seat="S01",
        operator_id="op1",
        category_code="04.05.001",
        category_name="城市管理/路灯照明/路灯不亮",
        place=Place(address="东城区某街1号", district="东城区", township=unit[:3]),
        main_unit=unit,
        due_at=due,
        status=Status.SIGNED,
        events=(TicketEvent(at, "transition", "operator", "op1", "INTAKE", "DISPATCHED", {}),),
    )


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    r = TaskRunner()
    yield r
    r.wait_idle()
    QApplication.processEvents()


class FakeChase:
    """Records what was asked; refuses the numbers in ``refuse``."""

    def __init__(self, refuse: dict[str, str] | None = None) -> None:
        self.calls: list[tuple[list[str], str]] = []
        self.refuse = refuse or {}

    def __call__(self, numbers: Sequence[str], text: str) -> list[ChaseResult]:
        self.calls.append((list(numbers), text))
        return [
            ChaseResult(n, "refused", self.refuse[n])
            if n in self.refuse
            else ChaseResult(n, "sent", at=NOW, chases=0)
            for n in numbers
        ]


def _loaded(qtbot: QtBot, presenter: ReviewPresenter) -> None:
    qtbot.waitUntil(
        lambda: not presenter.state.loading and bool(presenter.state.rows), timeout=WAIT
    )


def test_the_presenter_prefills_the_due_time_asks_before_a_second_chase_and_keeps_refusals(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    tickets = [
        _ticket(1, UNIT_A, NOW - timedelta(hours=5)),
        _ticket(2, UNIT_A, NOW - timedelta(hours=1)),
        _ticket(3, UNIT_B, NOW - timedelta(minutes=30)),
    ]
    rows = ReviewPresenter(runner, SeatReview(lambda: tickets, clock=lambda: NOW), base=OVERDUE)
    fake = FakeChase(refuse={tickets[2].number: "ticket is CLOSED: no unit works on it now"})
    chaser = ChasePresenter(runner, rows, fake, rows, seat=False, clock=lambda: NOW)
    qtbot.addWidget(holder := QWidget())
    rows.setParent(holder)
    rows.refresh()
    _loaded(qtbot, rows)
    ids = [r.id for r in rows.state.rows]
    assert "11-20 07:00" in chaser.template(ids[:1])  # the first ticket's due time, Beijing
    assert "现已超时" in chaser.template(ids[:1])
    assert DUE_FIELD in chaser.template(ids)  # several: each ticket's own due time
    assert chaser.chase(ids, "  ") == "invalid"  # a note is required
    assert chaser.state.error
    assert fake.calls == []

    assert chaser.chase(ids, chaser.template(ids)) == "started"
    qtbot.waitUntil(lambda: not chaser.state.busy, timeout=WAIT)
    sent = {n: text for numbers, text in fake.calls for n in numbers}
    assert set(sent) == {t.number for t in tickets}
    for t in tickets:  # the unit reads its ticket's own due time
        assert f"{t.due_at.astimezone(SHANGHAI):%m-%d %H:%M}" in sent[t.number]  # type: ignore[union-attr]
        assert DUE_FIELD not in sent[t.number]
    by_number = {r.number: r for r in rows.state.rows}
    assert by_number[tickets[0].number].chases == 1
    assert by_number[tickets[0].number].last_chase == NOW.isoformat()
    assert by_number[tickets[2].number].chases == 0  # refused: not counted, but kept
    refused = chaser.state.outcome(tickets[2].number)
    assert refused is not None
    assert refused.reason.startswith("ticket is CLOSED")
    assert "未送达 1 张" in chaser.state.message
    assert chaser.state.error

    # Chased minutes ago: the second chase waits for the lead's yes.
    calls = len(fake.calls)
    assert chaser.chase(ids[:1], "再次催办") == "confirm"
    assert len(fake.calls) == calls
    assert chaser.chase(ids[:1], "再次催办", confirmed=True) == "started"
    qtbot.waitUntil(lambda: not chaser.state.busy, timeout=WAIT)
    assert fake.calls[calls:] == [([tickets[0].number], "再次催办")]
    assert {r.number: r for r in rows.state.rows}[tickets[0].number].chases == 2


def test_the_note_dialog_chases_only_with_a_note_and_says_how_due_times_are_filled(
    qtbot: QtBot,
) -> None:
    dialog = ChaseDialog(["20261115-S01-0001", "20261115-S01-0002"], f"时限{DUE_FIELD}，请办理")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    hint = dialog.findChild(QLabel, "chaseHint")
    assert hint is not None
    assert DUE_FIELD in hint.text()
    dialog.note.setPlainText("   ")
    assert not ok.isEnabled()
    empty = ChaseDialog(["20261115-S01-0001"], "")
    qtbot.addWidget(empty)
    assert not empty.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert empty.findChild(QLabel, "chaseHint") is None
    # Many long numbers: each whole on one line (never wrapped at its hyphens), six named,
    # every one in the tooltip.
    numbers = [f"20261115-W{n:03d}-{n:04d}" for n in range(1, 9)]
    many = ChaseDialog(numbers, "请办理")
    qtbot.addWidget(many)
    many.resize(360, 300)
    many.show()
    qtbot.waitExposed(many)
    shown = [w for w in many.numbers.findChildren(QLabel) if w.objectName() != "chaseMore"]
    assert [w.text() for w in shown] == numbers[:6]
    for label in shown:
        assert not label.wordWrap()
        assert label.width() >= label.sizeHint().width()
        assert label.height() >= label.sizeHint().height()
    more = many.findChild(QLabel, "chaseMore")
    assert more is not None
    assert "8" in more.text()
    assert many.numbers.toolTip().split("\n") == numbers


def test_a_lead_chases_a_units_overdue_tickets_from_the_desk_at_the_seat(
    qtbot: QtBot, tmp_path: Path
) -> None:
    bench = open_workbench(tmp_path, role=Role.LEAD, demo=True)  # the seat's copy
    qtbot.addWidget(bench.window)
    handle = bench.lead_desk
    assert handle is not None
    desk = handle.desk
    try:
        now = timeutil.now()
        mine = [
            replace(_ticket(9101, UNIT_A, now - timedelta(hours=3)), is_demo=True),
            replace(_ticket(9102, UNIT_A, now - timedelta(hours=1)), is_demo=True),
            replace(_ticket(9103, UNIT_B, now - timedelta(hours=2)), is_demo=True),
        ]
        soon = replace(_ticket(9104, UNIT_B, now + timedelta(hours=5)), is_demo=True)
        for t in (*mine, soon):
            bench.workstation.save_ticket(t)
        with qtbot.waitSignal(desk.overdue.changed, timeout=WAIT) as counted:
            desk.data_changed("tickets")
        lights = counted.args[0]
        assert lights is not None
        assert lights.red >= 3
        view = desk.overdue_view
        desk.tabs.setCurrentWidget(view)
        qtbot.waitUntil(lambda: not view.presenter.state.loading, timeout=WAIT)
        numbers = {r.number for r in view.presenter.state.rows}
        assert {t.number for t in mine} <= numbers
        # One of UNIT_A's rows, then every listed row of that unit.
        first = next(i for i in range(view.proxy.rowCount()) if view.proxy.row_at(i).unit == UNIT_A)
        view.table.selectRow(first)
        view.select_same_unit()
        chosen = {r.number for r in view.chaser.rows_of(view.selected_ids())}
        assert chosen == {mine[0].number, mine[1].number} | {
            r.number for r in view.presenter.state.rows if r.unit == UNIT_A
        }
        assert view.chase_button.isEnabled()
        asked: list[tuple[list[str], str]] = []

        def note(_parent: QWidget, nums: Sequence[str], template: str) -> str:
            asked.append((list(nums), template))
            return template

        view.ask_note = note
        # The lights are read again after the chase, and count as before (a chase changes
        # no time limit).
        with qtbot.waitSignal(desk.overdue.changed, timeout=WAIT) as recounted:
            view.chase_button.click()
        qtbot.waitUntil(lambda: not view.chaser.state.busy, timeout=WAIT)
        assert recounted.args[0] == lights
        assert sorted(asked[0][0]) == sorted(chosen)
        assert "超时" in asked[0][1]
        ws = bench.workstation
        rows = {r.number: r for r in view.presenter.state.rows}
        for number in (mine[0].number, mine[1].number):
            with ws.db.read() as s:
                t = repo.get_ticket_by_number(s, number)
            assert t is not None
            chase = [e for e in t.events if e.kind == "chase"]
            assert len(chase) == 1
            assert chase[0].data["text"] == follow_up_words(
                FollowupKind.CHASE, note_for(rows[number], asked[0][1])
            )
            assert f"{t.due_at.astimezone(SHANGHAI):%m-%d %H:%M}" in chase[0].data["text"]  # type: ignore[union-attr]
            assert chase[0].data["unit"] == UNIT_A
        with ws.db.read() as s:
            other = repo.get_ticket_by_number(s, mine[2].number)
        assert other is not None
        assert not [e for e in other.events if e.kind == "chase"]
        # The rows say it.
        qtbot.waitUntil(
            lambda: all(r.chases == 1 for r in view.presenter.state.rows if r.number in chosen),
            timeout=WAIT,
        )
        row = next(
            i for i in range(view.proxy.rowCount()) if view.proxy.row_at(i).number == mine[0].number
        )
        cell = view.proxy.index(row, view.model.columnCount() - 1).data()
        assert cell.startswith("1 次，最近 ")
        # A second chase minutes later asks first; "no" records nothing.
        view.table.clearSelection()
        view.table.selectRow(row)
        confirmations: list[list[str]] = []

        def confirm(_parent: QWidget, recent: Sequence[ReviewRow]) -> bool:
            confirmations.append([r.number for r in recent])
            return False

        view.confirm = confirm
        view.chase_button.click()
        assert confirmations == [[mine[0].number]]
        bench.runner.wait_idle()
        with ws.db.read() as s:
            t = repo.get_ticket_by_number(s, mine[0].number)
        assert t is not None
        assert len([e for e in t.events if e.kind == "chase"]) == 1
        # The amber light lists the tickets due within 24 hours here (to chase them); red
        # the overdue ones again.
        desk.tabs.setCurrentIndex(0)
        desk.lights.buttons["amber"].click()
        assert desk.tabs.currentWidget() is view
        assert view.presenter.state.filter.due_within_hours == 24.0
        assert not view.presenter.state.filter.overdue
        qtbot.waitUntil(lambda: not view.presenter.state.loading, timeout=WAIT)
        due_soon = {r.number for r in view.presenter.state.rows}
        assert soon.number in due_soon
        assert not due_soon & {t.number for t in mine}
        ids = [r.id for r in view.presenter.state.rows if r.number == soon.number]
        assert "到期" in view.chaser.template(ids)
        desk.lights.buttons["red"].click()
        assert view.presenter.state.filter.overdue
        assert view.presenter.state.filter.due_within_hours is None
        # One unit's overdue tickets.
        view.unit_filter.setText(UNIT_B)
        view.unit_filter.editingFinished.emit()
        qtbot.waitUntil(lambda: not view.presenter.state.loading, timeout=WAIT)
        assert {r.unit for r in view.presenter.state.rows} == {UNIT_B}
        assert mine[2].number in {r.number for r in view.presenter.state.rows}
        bench.runner.wait_idle()
    finally:
        desk.shutdown()
        close_workbench(bench)


def test_the_amber_light_counts_what_its_click_lists_and_its_tooltip_says_the_rule(
    qtbot: QtBot, tmp_path: Path
) -> None:
    bench = open_workbench(tmp_path, role=Role.LEAD, demo=True)  # the seat's copy
    qtbot.addWidget(bench.window)
    handle = bench.lead_desk
    assert handle is not None
    desk = handle.desk
    try:
        now = timeutil.now()
        # A 7-day ticket with 30 hours left is in its limit's last quarter but not due within
        # 24 hours; a 2-hour emergency with 90 minutes left is the opposite.  One rule for
        # the light and the list: due within 24 hours.
        week = replace(_ticket(9201, UNIT_A, now + timedelta(hours=30)), is_demo=True)
        week = replace(week, created_at=week.due_at - timedelta(days=7))  # type: ignore[operator]
        urgent = replace(_ticket(9202, UNIT_B, now + timedelta(minutes=90)), is_demo=True)
        urgent = replace(urgent, created_at=now - timedelta(minutes=30))
        for t in (week, urgent):
            bench.workstation.save_ticket(t)
        with qtbot.waitSignal(desk.overdue.changed, timeout=WAIT) as counted:
            desk.data_changed("tickets")
        lights = counted.args[0]
        assert lights is not None
        amber = desk.lights.buttons["amber"]
        assert "24 小时内到期" in amber.toolTip()
        assert "尚未超时" in amber.toolTip()
        view = desk.overdue_view
        for light, expected in (("amber", lights.amber), ("red", lights.red)):
            desk.tabs.setCurrentIndex(0)
            desk.lights.buttons[light].click()
            assert desk.tabs.currentWidget() is view
            qtbot.waitUntil(lambda: not view.presenter.state.loading, timeout=WAIT)
            state = view.presenter.state
            assert state.total == expected, light
            assert len(state.rows) == min(expected, state.total)
        desk.lights.buttons["amber"].click()
        qtbot.waitUntil(lambda: not view.presenter.state.loading, timeout=WAIT)
        listed = {r.number for r in view.presenter.state.rows}
        assert urgent.number in listed
        assert week.number not in listed
        bench.runner.wait_idle()
    finally:
        desk.shutdown()
        close_workbench(bench)


def test_a_chase_the_centre_refuses_at_sync_time_shows_undelivered_on_its_row_and_can_be_resent(
    qtbot: QtBot, runner: TaskRunner, tmp_path: Path
) -> None:
    root = tmp_path / "lead"
    db = new_seat(root)
    try:
        store_identity(db, {"login": "lead1", "group": "lead"})
        elsewhere = _ticket(9301, UNIT_A, NOW - timedelta(hours=3))  # held at another seat
        other = _ticket(9302, UNIT_B, NOW - timedelta(hours=2))
        outbox = SeatChase(db, DataPaths(root), clock=lambda: NOW)
        (queued,) = outbox.chase([elsewhere.number], "请尽快办理")
        assert queued.outcome == "queued"
        # The sync delivers it; the centre refuses it (the engine's record of a refusal).
        with db.write() as s:
            key = s.scalar(
                select(OutboxRow.idempotency_key).where(OutboxRow.ticket_id == elsewhere.number)
            )
            assert key is not None
            repo.mark_undelivered(s, {key: "ticket_closed"}, NOW)
        review = SeatReview(lambda: [elsewhere, other], clock=lambda: NOW)
        rows = ReviewPresenter(runner, MarkUndelivered(review, outbox.undelivered), base=OVERDUE)
        chaser = ChasePresenter(runner, rows, outbox.chase, clock=lambda: NOW, resend=outbox.resend)
        view = OverdueView(rows, chaser)
        rows.setParent(view)
        chaser.setParent(view)
        qtbot.addWidget(view)
        rows.refresh()
        _loaded(qtbot, rows)
        by = {r.number: r for r in rows.state.rows}
        assert by[elsewhere.number].undelivered == "ticket_closed"
        assert by[other.number].undelivered == ""
        assert "undelivered" not in by[other.number].as_dict()  # the queue's JSON unchanged

        def cell(number: str) -> str:
            at = next(
                i for i in range(view.proxy.rowCount()) if view.proxy.row_at(i).number == number
            )
            return str(view.proxy.index(at, view.model.columnCount() - 1).data())

        assert cell(elsewhere.number) == "未送达：ticket_closed"
        assert cell(other.number) == ""
        assert not view.resend_button.isHidden()  # a listed row is undelivered
        # The way out, as sync --resend: only for a row with an undelivered record.
        assert not view.resend_button.isHidden()
        view.table.selectAll()
        assert view.resend_button.isEnabled()
        view.table.clearSelection()
        view.table.selectRow(
            next(
                i
                for i in range(view.proxy.rowCount())
                if view.proxy.row_at(i).number == other.number
            )
        )
        assert not view.resend_button.isEnabled()
        view.table.selectAll()
        view.resend_button.click()
        qtbot.waitUntil(lambda: not chaser.state.busy, timeout=WAIT)
        assert "已重新发送 1 张" in chaser.state.message
        assert cell(elsewhere.number) == "待同步送达"
        with db.read() as s:
            waiting = s.scalars(
                select(OutboxRow).where(
                    OutboxRow.ticket_id == elsewhere.number, OutboxRow.sent_at.is_(None)
                )
            ).all()
        assert [(r.op, r.undelivered_at) for r in waiting] == [(repo.FOLLOW_UP_OP, None)]
        assert waiting[0].payload["kind"] == "chase"
        assert waiting[0].idempotency_key != key
        assert outbox.undelivered() == {}
        # Read again: nothing undelivered on the row any more.
        rows.refresh()
        qtbot.waitUntil(lambda: not rows.state.loading, timeout=WAIT)
        assert not any(r.undelivered for r in rows.state.rows)
        assert view.resend_button.isHidden()  # nothing undelivered listed
        runner.wait_idle()
    finally:
        db.dispose()


# At the centre ----------------------------------------------------------------------------------

STREET = "朝阳区呼家楼街道办事处"


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    db = CentralDb(require_server()).create()
    try:
        yield db
    finally:
        db.drop()


def _no_password(_key: str) -> None:
    return None


@pytest.mark.postgres
def test_a_chase_at_the_centre_reaches_the_unit_and_a_refusal_shows_undelivered(
    qtbot: QtBot,
    runner: TaskRunner,
    central: CentralDb,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cli = Cli(capsys)
    op = central.add_login("ch_op", "operator")
    lead = central.add_login("ch_lead", "lead")
    street = central.add_login("ch_street", "handler", units=(STREET,))
    seat_dir = tmp_path / "op"
    seat_dir.mkdir()
    (seat_dir / "settings.ini").write_text("[options]\nseat=CH1\n", encoding="utf-8")
    db = new_seat(seat_dir)
    try:
        ids = add_tickets(db, "CH1", 3, unit=STREET, operator=op)
        with db.read() as s:
            numbers = [repo.get_ticket(s, i).number for i in ids]  # type: ignore[union-attr]
    finally:
        db.dispose()
    cli("sync", "--once", "--json", "--data-dir", str(seat_dir), "--central", central.url(op))
    # Two of them overdue, the third closed meanwhile (overdue by its date, not open).
    with central.admin() as conn:
        for number, hours in zip(numbers, (5, 2, 1), strict=True):
            due = (timeutil.now() - timedelta(hours=hours)).isoformat()
            conn.execute(
                "UPDATE central.tickets SET data = data || jsonb_build_object('due_at', %s::text),"
                " version = nextval('central.ticket_version_seq') WHERE number = %s",
                (due, number),
            )
    target = central.target(lead)
    review = CentralReview(target, password_lookup=_no_password)
    lights = central_overdue_counts(review)
    assert lights.red >= 3
    lead_dir = tmp_path / "lead"
    lead_db = new_seat(lead_dir)
    store_identity(lead_db, {"login": lead, "group": "lead"})
    fallback = SeatChase(lead_db, DataPaths(lead_dir))
    source = CentralChase(target, "CH9", fallback=fallback, password_lookup=_no_password)
    rows = ReviewPresenter(runner, review, base=replace(OVERDUE, unit=STREET))
    chaser = ChasePresenter(runner, rows, source.chase, seat=False)
    view = OverdueView(rows, chaser)
    rows.setParent(view)
    chaser.setParent(view)
    qtbot.addWidget(view)
    try:
        # A next page is read without counting again; the list keeps the first page's total.
        first = review.page(replace(OVERDUE, unit=STREET), limit=2, after=None)
        assert first.total == 3
        assert first.next is not None
        assert review.page(replace(OVERDUE, unit=STREET), limit=2, after=first.next).total == -1
        paged = ReviewPresenter(runner, review, base=replace(OVERDUE, unit=STREET), page=2)
        paged.setParent(view)
        paged.refresh()
        _loaded(qtbot, paged)
        paged.more()
        qtbot.waitUntil(lambda: len(paged.state.rows) == 3, timeout=WAIT)
        assert paged.state.total == 3
        rows.refresh()
        _loaded(qtbot, rows)
        assert {r.number for r in rows.state.rows} == set(numbers)
        # The third is closed at the centre after the list was read: the centre refuses it.
        with central.admin() as conn:
            conn.execute(
                "UPDATE central.tickets SET status = 'CLOSED', "
                'data = data || \'{"status": "CLOSED"}\', '
                "version = nextval('central.ticket_version_seq') WHERE number = %s",
                (numbers[2],),
            )
        view.table.selectAll()
        assert len(view.selected_ids()) == 3
        view.ask_note = lambda _p, _n, template: template + "（联系人电话13812345678）"
        view.chase_button.click()
        qtbot.waitUntil(lambda: not chaser.state.busy, timeout=WAIT)
        results = {n: chaser.state.outcome(n) for n in numbers}
        assert [results[n].outcome for n in numbers] == ["sent", "sent", "refused"]  # type: ignore[union-attr]
        assert "CLOSED" in results[numbers[2]].reason  # type: ignore[union-attr]
        # 未送达 with its reason on the row; the chased rows count one chase each.
        for i in range(view.proxy.rowCount()):
            r = view.proxy.row_at(i)
            cell = view.proxy.index(i, view.model.columnCount() - 1).data()
            if r.number == numbers[2]:
                assert cell.startswith("未送达：")
                assert "CLOSED" in cell
            else:
                assert r.chases == 1
                assert cell.startswith("1 次，最近 ")
        # The unit sees each chase with the note (the number masked), the lead as the actor.
        listed = {
            r["number"]: r
            for r in units.list_tickets(central.target(street), password_lookup=_no_password)
        }
        for number in numbers[:2]:
            assert listed[number]["chases"] == 1
            chase = [f for f in listed[number]["followups"] if f["kind"] == "chase"]
            assert len(chase) == 1
            assert "13812345678" not in json.dumps(chase, ensure_ascii=False)
        assert listed.get(numbers[2], {}).get("chases", 0) == 0
        with central.admin() as conn:
            actors = conn.execute(
                "SELECT e.actor_id, e.actor_role FROM central.ticket_events e JOIN central.tickets t"
                " ON t.id = e.ticket_id WHERE e.kind = 'chase' ORDER BY t.number"
            ).fetchall()
        assert actors == [(lead, "lead"), (lead, "lead")]
        # Read again from the centre, the rows still say so; the lights are unchanged but
        # for the ticket closed meanwhile.
        rows.refresh()
        qtbot.waitUntil(lambda: not rows.state.loading, timeout=WAIT)
        assert {r.number: r.chases for r in rows.state.rows} == {numbers[0]: 1, numbers[1]: 1}
        after = central_overdue_counts(review)
        assert (after.red, after.amber) == (lights.red - 1, lights.amber)
        # Nothing went through the seat: the centre answered.
        with lead_db.read() as s:
            assert s.scalar(select(func.count()).select_from(OutboxRow)) == 0
    finally:
        runner.wait_idle()
        lead_db.dispose()


@pytest.mark.postgres
def test_a_chase_queued_at_the_seat_and_refused_at_sync_time_shows_on_its_row(
    qtbot: QtBot,
    runner: TaskRunner,
    central: CentralDb,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cli = Cli(capsys)
    op = central.add_login("ch_op2", "operator")
    lead = central.add_login("ch_lead2", "lead")
    seat_dir = tmp_path / "op"
    seat_dir.mkdir()
    (seat_dir / "settings.ini").write_text("[options]\nseat=CH2\n", encoding="utf-8")
    db = new_seat(seat_dir)
    try:
        (tid,) = add_tickets(db, "CH2", 1, unit=STREET, operator=op)
        with db.read() as s:
            number = repo.get_ticket(s, tid).number  # type: ignore[union-attr]
    finally:
        db.dispose()
    cli("sync", "--once", "--json", "--data-dir", str(seat_dir), "--central", central.url(op))
    # The lead's seat chases through its outbox (the centre was not reached); the ticket is
    # closed at the centre before that seat syncs: the centre refuses the chase then.
    lead_dir = tmp_path / "lead"
    lead_dir.mkdir()
    (lead_dir / "settings.ini").write_text("[options]\nseat=CL2\n", encoding="utf-8")
    lead_db = new_seat(lead_dir)
    store_identity(lead_db, {"login": lead, "group": "lead"})
    outbox = SeatChase(lead_db, DataPaths(lead_dir))
    (queued,) = outbox.chase([number], "请尽快办理")
    assert queued.outcome == "queued"
    lead_db.dispose()
    with central.admin() as conn:
        conn.execute(
            "UPDATE central.tickets SET status = 'CLOSED', "
            'data = data || \'{"status": "CLOSED"}\', '
            "version = nextval('central.ticket_version_seq') WHERE number = %s",
            (number,),
        )
    argv = ("sync", "--once", "--json", "--data-dir", str(lead_dir), "--central", central.url(lead))
    code = main(list(argv))
    out, _err = capsys.readouterr()
    report = json.loads(out.strip().splitlines()[-1])
    assert report["undelivered"] == 1, (code, report)
    lead_db = new_seat(lead_dir)
    outbox = SeatChase(lead_db, DataPaths(lead_dir))
    try:
        reason = outbox.undelivered()[number]
        assert reason
        review = CentralReview(central.target(lead), password_lookup=_no_password)
        rows = ReviewPresenter(
            runner, MarkUndelivered(review, outbox.undelivered), base=ReviewFilter(unit=STREET)
        )
        chaser = ChasePresenter(runner, rows, outbox.chase, resend=outbox.resend)
        view = OverdueView(rows, chaser)
        rows.setParent(view)
        chaser.setParent(view)
        qtbot.addWidget(view)
        rows.refresh()
        _loaded(qtbot, rows)
        at = next(i for i in range(view.proxy.rowCount()) if view.proxy.row_at(i).number == number)
        cell = view.proxy.index(at, view.model.columnCount() - 1).data()
        assert cell == f"未送达：{reason}"
        # 重新发送 queues it again; the next sync sends it (and the closed ticket is refused
        # again, with its reason on the row once more).
        view.table.selectRow(at)
        assert view.resend_button.isEnabled()
        view.resend_button.click()
        qtbot.waitUntil(lambda: not chaser.state.busy, timeout=WAIT)
        assert outbox.undelivered() == {}
        runner.wait_idle()
    finally:
        lead_db.dispose()
    main(list(argv))
    capsys.readouterr()
    lead_db = new_seat(lead_dir)
    try:
        assert SeatChase(lead_db, DataPaths(lead_dir)).undelivered() == {number: reason}
    finally:
        lead_db.dispose()
