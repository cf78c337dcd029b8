"""The call-session presenter, without a window: the call's state, intents, proposals,
undo, transfers and saving, as an operator relies on them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from PySide6.QtCore import Qt

from agent_app.domain import timeutil
from agent_app.domain.intake import ProblemCode
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Outcome
from agent_app.paths import DataPaths
from agent_app.services.followup import handled_calls
from agent_app.services.intake import Chip, IntakeService
from agent_app.services.workstation import Workstation
from agent_app.storage import repository as repo
from agent_app.ui.call_session import CallSession, Phase
from agent_app.ui.caller_history import CallerHistory
from agent_app.workers.tasks import TaskRunner
from tests.helpers.pg import add_tickets

WAIT = 10_000
HEATING = "家里暖气不热，室温只有十五度，已经三天了，请供热公司来修"


@pytest.fixture(scope="module")
def service() -> IntakeService:
    return IntakeService.load()


@pytest.fixture
def session(qtbot, tmp_path, service):
    paths = DataPaths(tmp_path / "seat").ensure()
    ws = Workstation(paths, seat="S07", operator_id="op1", demo=False)
    runner = TaskRunner()
    s = CallSession(runner, ws, role=Role.OPERATOR, demo=False)
    s.set_service(service)
    yield s
    s.clear()
    runner.wait_idle()
    ws.close()


def wait_place(qtbot, session: CallSession) -> None:
    qtbot.waitUntil(lambda: bool(session.state.draft.place.get("district")), timeout=WAIT)


def test_typing_starts_a_call_and_every_change_is_a_new_immutable_state(qtbot, session):
    assert session.state.phase is Phase.IDLE
    first = session.state
    with qtbot.waitSignal(session.call_started):
        session.edit("description", HEATING)
    second = session.state
    assert second is not first
    assert second.phase is Phase.ACTIVE
    assert second.ticket_id
    assert second.draft.description == HEATING
    assert first.draft.description == ""  # the old value did not change
    assert second.dirty


def test_problems_are_codes_that_follow_the_draft(qtbot, session):
    session.new_call()
    codes = {p.code for p in session.problems(Outcome.DISPATCHED)}
    assert ProblemCode.PHONE_REQUIRED in codes
    assert ProblemCode.CATEGORY_REQUIRED in codes
    with qtbot.waitSignal(session.problems_changed) as blocker:
        session.set_phone("13812345678")
    assert ProblemCode.PHONE_REQUIRED not in {p.code for p in blocker.args[0]}


def test_phone_is_normalised_on_commit_and_unmasking_is_audited(qtbot, session):
    session.new_call()
    session.set_phone("138 1234 5678")
    session.commit_phone()
    assert session.state.phone_e164 == "+8613812345678"
    assert not session.state.unmasked
    session.toggle_unmask()
    qtbot.waitUntil(lambda: session.state.unmasked, timeout=5000)
    session.runner.wait_idle()
    with session.workstation.db.read() as s:
        from agent_app.storage.models import AuditRow  # noqa: PLC0415

        actions = [row.action for row in s.query(AuditRow).all()]
    assert actions == ["unmask_phone"]


def test_address_is_geocoded_and_units_follow_the_category(qtbot, session, service):
    session.new_call()
    session.edit("address", "朝阳区八里庄街道红庙北里3号楼")
    wait_place(qtbot, session)
    assert session.state.draft.place["township"] == "八里庄街道"
    code = service.category_code_for("公共服务/供暖/暖气不热")
    assert code == "02.01.001"
    assert session.pick_category(code)
    assert session.state.draft.main_unit  # proposed for the category at the place
    assert session.state.unit_reasons


def test_transcript_category_chip_with_a_path_sets_the_category(qtbot, session, service):
    cat = service.catalogue.categories[0]
    session.new_call()
    accepted = session.accept(
        {
            "kind": "category",
            "value": f"{cat.level1}/{cat.level2}/{cat.level3}",
            "source_text": "我家暖气",
        }
    )
    assert accepted
    assert session.state.draft.category_code == cat.code
    assert session.state.draft.sources["category"] == "我家暖气"
    assert session.undo()
    assert session.state.draft.category_code == ""


def test_a_proposal_never_replaces_a_typed_address_in_one_step(qtbot, session):
    session.new_call()
    session.edit("address", "朝阳区八里庄街道红庙北里3号楼")
    proposal = {"kind": "address", "value": "老人孩子走路", "source_text": "老人孩子走路"}
    assert not session.accept(proposal)
    assert session.state.draft.address == "朝阳区八里庄街道红庙北里3号楼"
    assert session.state.pending_overwrite == ("address", "老人孩子走路")
    assert session.accept(proposal)  # the second, explicit accept replaces it
    assert session.state.draft.address == "老人孩子走路"
    assert session.undo()
    assert session.state.draft.address == "朝阳区八里庄街道红庙北里3号楼"


def test_the_description_is_never_filled_from_the_transcript(qtbot, session):
    session.new_call()
    session.edit("description", HEATING)
    session.accept({"kind": "time", "value": "今天早上8点", "source_text": "早上八点"})
    assert session.state.draft.description == HEATING
    assert "今天早上8点" in session.state.draft.notes


def test_chips_come_from_the_text_and_enter_takes_the_top_ones(qtbot, session):
    session.new_call()
    session.edit("description", HEATING)
    done: list[bool] = []
    session.accept_top(then=lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT)
    s = session.state
    assert s.category_chips
    assert s.draft.category_code == s.category_chips[0].value
    assert s.draft.request_type


def test_request_type_chip_accept_and_undo(qtbot, session):
    session.new_call()
    session.accept(Chip("request_type", "complaint", "投诉", 0.8))
    assert session.state.draft.request_type == "complaint"
    session.undo()
    assert session.state.draft.request_type == ""


def test_transfer_key_from_idle_needs_a_second_press(qtbot, session):
    assert not session.transfer("119")
    assert session.state.phase is Phase.IDLE
    assert session.state.pending_transfer is not None
    with qtbot.waitSignal(session.finished, timeout=WAIT) as blocker:
        assert session.transfer("119")
    ticket = blocker.args[0]
    assert ticket.outcome == Outcome.TRANSFERRED.value
    assert ticket.outcome_detail == "119"


def test_transfer_in_a_call_can_be_undone_before_it_is_recorded(qtbot, session):
    session.new_call()
    session.edit("description", "燃气泄漏了，味道很大")
    assert session.transfer("119")
    assert session.state.phase is Phase.ACTIVE  # not recorded yet
    assert session.cancel_transfer()
    assert session.state.pending_transfer is None
    assert session.state.phase is Phase.ACTIVE
    session.transfer("119")
    with qtbot.waitSignal(session.finished, timeout=WAIT):
        session.commit_transfer()
    assert session.state.phase is Phase.FINISHED


def test_gas_leak_category_prompts_the_transfer(qtbot, session, service):
    hinted = next(c for c in service.catalogue.categories if c.transfer_hint)
    session.new_call()
    session.pick_category(hinted.code)
    assert session.state.transfer_hint == hinted.transfer_hint


def test_dispatch_saves_the_ticket_and_the_call_stays_read_only(qtbot, session, service):
    session.new_call("13812345678")
    session.edit("description", HEATING)
    session.edit("address", "朝阳区八里庄街道红庙北里3号楼")
    wait_place(qtbot, session)
    cat = service.category("02.01.001")
    assert cat is not None
    session.pick_category(cat.code)
    session.edit("request_type", cat.request_types[0])
    (missing,) = session.problems(Outcome.DISPATCHED)
    assert missing.field == "q:whole_building"  # asked of every heating call
    session.set_answer("whole_building", "home")
    assert session.problems(Outcome.DISPATCHED) == []
    with qtbot.waitSignal(session.finished, timeout=WAIT) as blocker:
        assert session.finish(Outcome.DISPATCHED)
    ticket = blocker.args[0]
    assert ticket.main_unit == session.state.draft.main_unit
    assert ticket.number
    assert session.state.phase is Phase.FINISHED
    session.edit("description", "changed after saving")
    assert session.state.draft.description == HEATING
    assert session.workstation.ticket(ticket.id) is not None


def test_finish_with_problems_names_the_field_to_fix(qtbot, session):
    session.new_call()
    with qtbot.waitSignal(session.focus_requested) as blocker:
        assert not session.finish(Outcome.DISPATCHED)
    assert blocker.args == ["phone"]
    assert session.state.phase is Phase.ACTIVE


def test_draft_is_saved_and_restored(qtbot, session):
    session.new_call("13812345678")
    session.edit("description", HEATING)
    with qtbot.waitSignal(session.draft_saved, timeout=WAIT):
        session.save_draft()
    assert not session.state.dirty
    ((draft_id, _at, payload),) = session.workstation.drafts()
    session.clear()
    from agent_app.domain.intake import IntakeDraft  # noqa: PLC0415

    session.restore(IntakeDraft.from_payload(payload))
    assert session.state.ticket_id == draft_id
    assert session.state.draft.description == HEATING
    assert session.state.phone_e164 == "+8613812345678"


# Progress and repeat calls from the caller's history --------------------------------------


def _caller_with_tickets(qtbot, session: CallSession, n: int = 2) -> list[str]:
    """``n`` tickets of one caller at the seat; a call from that caller with its history."""
    db = session.workstation.db
    ids = add_tickets(db, "S07", n, unit="朝阳区呼家楼街道办事处", operator="op1")
    numbers = []
    with db.write() as s:
        for ticket_id in ids:
            t = repo.get_ticket(s, ticket_id)
            assert t is not None
            caller = replace(t.caller, phones=("+8613812340000",))
            repo.save_ticket(s, replace(t, caller=caller), outbox=False)
            numbers.append(t.number)
    session.new_call()
    session.set_phone("13812340000")
    session.commit_phone()
    qtbot.waitUntil(lambda: len(session.state.history) == n, timeout=WAIT)
    return numbers


def _events(session: CallSession, number: str) -> list[Any]:

    with session.workstation.db.read() as s:
        t = repo.get_ticket_by_number(s, number)
        count = repo.count_tickets(s)
    assert t is not None
    assert count == 2  # a repeat call never makes a ticket
    return list(t.events)


def test_progress_call_is_recorded_on_the_existing_ticket_and_ends_the_call(qtbot, session):
    numbers = _caller_with_tickets(qtbot, session)
    call_id = session.state.ticket_id
    session.edit("notes", "已告知：街道已签收，正在协调")
    session.save_draft()
    session.runner.wait_idle()
    assert session.workstation.drafts()  # the call's draft, until it is recorded
    with qtbot.waitSignal(session.followed_up, timeout=WAIT) as blocker:
        assert session.tell_progress(numbers[0])
    assert blocker.args[0].number == numbers[0]
    s = session.state
    assert (s.phase, s.followup, s.saved.number) == (Phase.FINISHED, "progress_call", numbers[0])
    last = _events(session, numbers[0])[-1]
    assert (last.kind, last.actor_id, last.data["call_id"]) == ("progress_call", "op1", call_id)
    assert last.data["text"] == "已告知：街道已签收，正在协调"
    session.runner.wait_idle()
    assert session.workstation.drafts() == []  # the call is handled: no draft left over
    day = last.at.replace(hour=0, minute=0, second=0, microsecond=0)
    counts = handled_calls(session.workstation.paths.database, "op1", day, day + timedelta(1))
    assert counts["handled"] == counts["tickets"] + 1  # counted as a handled call
    # The call is over: a second action is refused, with what to do instead.
    with qtbot.waitSignal(session.save_failed) as refused:
        assert not session.chase(numbers[0], "快点")
    assert "Ctrl+N" in refused.args[0]


def test_supplement_and_chase_need_the_callers_words_and_reach_the_ticket(qtbot, session):
    numbers = _caller_with_tickets(qtbot, session)
    with qtbot.waitSignals([session.save_failed, session.focus_requested]) as refused:
        assert not session.add_supplement(numbers[1])
    assert session.state.phase is Phase.ACTIVE
    session.edit("description", "补充：漏水点在三单元二层楼道，电话13812345678")
    with qtbot.waitSignal(session.followed_up, timeout=WAIT):
        assert session.add_supplement(numbers[1])
    last = _events(session, numbers[1])[-1]
    assert last.kind == "supplement"
    assert last.data["text"] == "补充：漏水点在三单元二层楼道，电话138****5678"
    assert refused is not None
    session.new_call()
    session.set_phone("13812340000")
    session.commit_phone()
    qtbot.waitUntil(lambda: len(session.state.history) == 2, timeout=WAIT)
    with qtbot.waitSignal(session.followed_up, timeout=WAIT):
        assert session.chase(numbers[1], "来电人第三次催办，请尽快处理")
    kinds = [e.kind for e in _events(session, numbers[1])]
    assert kinds[-2:] == ["supplement", "chase"]
    assert session.state.followup == "chase"
    # Only the caller's own tickets: a number not in the history is refused.
    session.new_call()
    with qtbot.waitSignal(session.save_failed):
        assert not session.tell_progress(numbers[0])


def test_history_buttons_act_through_the_presenter_and_follow_the_selection(qtbot, session):

    numbers = _caller_with_tickets(qtbot, session)
    view = CallerHistory()
    qtbot.addWidget(view)
    view.followup_requested.connect(session.follow_up)
    rows = list(session.state.history)
    closed = replace(rows[1], status="CLOSED")
    view.set_rows([rows[0], closed], timeutil.now())
    buttons = (view.progress_button, view.supplement_button, view.chase_button)
    assert [b.isEnabled() for b in buttons] == [False, False, False]  # nothing selected
    shown = [view.model.row_at(i).number for i in range(view.model.rowCount())]
    view.select_row(shown.index(closed.number))
    assert [b.isEnabled() for b in buttons] == [True, False, False]  # no unit works on it
    view.select_row(shown.index(rows[0].number))
    assert [b.isEnabled() for b in buttons] == [True, True, True]
    session.edit("description", "来电人催促：已经一周了还没有人来")
    with qtbot.waitSignal(session.followed_up, timeout=WAIT):
        qtbot.mouseClick(view.chase_button, Qt.MouseButton.LeftButton)
    last = _events(session, rows[0].number)[-1]
    assert (last.kind, last.data["text"]) == ("chase", "来电人催促：已经一周了还没有人来")
    assert numbers
