"""The lead's rulings and callbacks as lifecycle steps (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from agent_app.domain import followup
from agent_app.domain.deadlines import SHANGHAI, TimeLimit, WorkCalendar, due_at
from agent_app.domain.lifecycle import Status
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Ticket, TicketEvent
from agent_app.errors import TransitionError, UsageError

NOW = datetime(2026, 12, 8, 10, 0, tzinfo=SHANGHAI)


def _ticket(status: Status, **data: object) -> Ticket:
    event = TicketEvent(
        at=NOW - timedelta(hours=1),
        kind="transition",
        actor_role="handler",
        actor_id="h1",
        from_status="SIGNED",
        to_status=status.value,
        data=dict(data),
    )
    return Ticket(
        id=Ticket.new_id(),
        number="20261208-S01-0001",
        created_at=NOW - timedelta(days=1),
        seat="S01",
        operator_id="op1",
        main_unit="呼家楼街道",
        due_at=NOW + timedelta(days=2),
        status=status,
        events=(event,),
    )


def test_a_rejected_objection_leaves_the_ticket_with_its_unit() -> None:
    t = followup.rule_dispute(
        _ticket(Status.DISPUTED, reason_code="not_ours"),
        uphold=False,
        reason="属于辖区职责",
        role=Role.LEAD,
        actor_id="lead1",
        now=NOW,
    )
    assert (t.status, t.main_unit) == (Status.SIGNED, "呼家楼街道")
    assert [e.to_status for e in t.events[-2:]] == ["DISPUTE_REVIEW", "SIGNED"]
    assert t.events[-1].data["ruling"] == "rejected"


def test_an_upheld_objection_redispatches_with_a_new_limit() -> None:
    t = followup.rule_dispute(
        _ticket(Status.DISPUTED), uphold=True, to_unit="团结湖街道", role=Role.LEAD,
        actor_id="lead1", now=NOW,
    )  # fmt: skip
    assert (t.status, t.main_unit) == (Status.DISPATCHED, "团结湖街道")
    assert t.due_at == NOW + timedelta(days=7)  # ordinary: 7 calendar days
    with pytest.raises(UsageError, match="already with"):
        followup.rule_dispute(
            _ticket(Status.DISPUTED), uphold=True, to_unit="呼家楼街道", role=Role.LEAD,
            actor_id="lead1", now=NOW,
        )  # fmt: skip


def test_extensions_move_the_due_time_by_working_days_or_not_at_all() -> None:
    asked = _ticket(Status.EXTENSION_REQUESTED, days=5, reason="施工")
    cal = WorkCalendar()
    t = followup.rule_extension(
        asked, approve=True, role=Role.LEAD, actor_id="lead1", now=NOW, calendar=cal
    )
    assert t.status is Status.IN_PROGRESS
    assert t.due_at == due_at(asked.due_at or NOW, TimeLimit.working_days(5), cal).due
    t = followup.rule_extension(
        asked, approve=False, reason="可按期办结", role=Role.LEAD, actor_id="lead1", now=NOW
    )
    assert (t.status, t.due_at) == (Status.IN_PROGRESS, asked.due_at)


def test_callbacks_close_or_reopen_and_only_after_a_reply() -> None:
    replied = _ticket(Status.REPLIED, text="已处理", result="resolved")
    closed = followup.record_callback(
        replied, resolved=True, satisfaction="基本满意", role=Role.LEAD, actor_id="l", now=NOW
    )
    assert closed.status is Status.CLOSED
    again = followup.record_callback(
        replied, resolved=True, satisfaction="不满意", words="电话13812345678再联系",
        role=Role.LEAD, actor_id="l", now=NOW,
    )  # fmt: skip
    assert again.status is Status.REOPENED
    assert followup.rehandled(again) == 1
    assert "13812345678" not in again.events[-1].data["callback"]["words"]
    life = followup.life(again)
    assert life["feedback"]["text"] == "已处理"
    assert [c["outcome"] for c in life["callbacks"]] == ["REOPENED"]
    with pytest.raises(UsageError, match="REPLIED"):
        followup.record_callback(
            _ticket(Status.IN_PROGRESS), resolved=True, satisfaction="满意", role=Role.LEAD,
            actor_id="l", now=NOW,
        )  # fmt: skip
    with pytest.raises(TransitionError):
        followup.record_callback(
            replied, resolved=True, satisfaction="满意", role=Role.OPERATOR, actor_id="o", now=NOW
        )


def test_a_callback_is_due_after_a_reply_or_once_the_limit_passed() -> None:
    assert followup.callback_due(_ticket(Status.REPLIED), NOW) == "replied"
    late = replace(_ticket(Status.IN_PROGRESS), due_at=NOW - timedelta(hours=1))
    assert followup.callback_due(late, NOW) == "overdue"
    assert followup.callback_due(_ticket(Status.IN_PROGRESS), NOW) is None
