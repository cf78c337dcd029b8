"""Accepting a description drafted from the transcript in the call presenter: it fills an empty
description and is added after what the operator typed, never in its place; undo restores."""

from __future__ import annotations

import pytest

from agent_app.domain.description_draft import draft_description, proposal_for
from agent_app.domain.roles import Role
from agent_app.paths import DataPaths
from agent_app.services.intake import IntakeService
from agent_app.services.workstation import Workstation
from agent_app.ui.call_session import CallSession
from agent_app.workers.tasks import TaskRunner

LINES = [
    ("喂 你好 我 姓 王", 0.5, 2.0),
    ("家里 暖气 不热 室内 只有 十五 度 整栋楼 都 不热 已经 三天 了", 2.5, 7.0),
]


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


def test_a_drafted_description_fills_an_empty_field_and_can_be_undone(session):
    proposal = proposal_for(draft_description(LINES))
    assert session.accept(proposal)
    assert "暖气不热" in session.state.draft.description
    assert session.state.draft.sources["description"] == proposal["source_text"]
    assert session.undo()
    assert session.state.draft.description == ""


def test_a_drafted_description_goes_after_what_the_operator_typed(session):
    session.edit("description", "居民来电反映供暖问题")
    assert session.accept(proposal_for(draft_description(LINES)))
    text = session.state.draft.description
    assert text.startswith("居民来电反映供暖问题")
    assert "十五度" in text
