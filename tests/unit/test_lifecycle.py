"""The lifecycle transition table: every allowed transition, and forbidden ones refused."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from agent_app.domain.lifecycle import (
    BEYOND_REFERENCE,
    TERMINAL,
    TRANSITIONS,
    Status,
    allowed_targets,
    check_transition,
)
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Ticket
from agent_app.domain.timeutil import SHANGHAI
from agent_app.errors import TransitionError

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI)


def _ticket(status: Status = Status.INTAKE) -> Ticket:
    return Ticket(
        id=Ticket.new_id(),
        number="20261120-S01-0001",
        created_at=T0,
        seat="S01",
        operator_id="op1",
        status=status,
    )


def _actor_for(transition_actors: frozenset[Role]) -> Role:
    return sorted(transition_actors, key=lambda r: r.value)[0]


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: f"{t.source}->{t.target}")
def test_every_allowed_transition_moves_the_ticket_and_records_an_event(transition):
    role = _actor_for(transition.actors)
    moved = _ticket(transition.source).transition(
        transition.target, role, "actor-1", T0 + timedelta(minutes=5)
    )
    assert moved.status is transition.target
    event = moved.events[-1]
    assert (event.from_status, event.to_status) == (
        transition.source.value,
        transition.target.value,
    )
    assert event.actor_role == role.value


def test_transition_table_matches_the_reference_lifecycle(shared_dir):
    ref = json.loads(
        (shared_dir / "data/beijing/ticket_lifecycle.json").read_text(encoding="utf-8")
    )
    ours = {(t.source.value, t.target.value) for t in TRANSITIONS}
    theirs = {(a, b) for a, b, _ in ref["transitions"]}
    added = {(a.value, b.value) for a, b in BEYOND_REFERENCE}
    assert added == {("DISPATCHED", "DISPUTED"), ("REOPENED", "SIGNED")}
    assert not added & theirs
    assert ours == theirs | added
    assert {s.value for s in Status} == {s["id"] for s in ref["states"]}


@pytest.mark.parametrize(
    ("source", "target", "role", "code"),
    [
        (Status.INTAKE, Status.CLOSED, Role.OPERATOR, "not_allowed"),
        (Status.INTAKE, Status.SIGNED, Role.HANDLER, "not_allowed"),
        (Status.ANSWERED, Status.DISPATCHED, Role.OPERATOR, "not_allowed"),
        (Status.CLOSED, Status.REOPENED, Role.CENTER, "not_allowed"),
        (Status.DISPATCHED, Status.SIGNED, Role.OPERATOR, "wrong_role"),
        (Status.REVISIT, Status.CLOSED, Role.OPERATOR, "wrong_role"),
        (Status.DISPUTE_REVIEW, Status.DISPATCHED, Role.HANDLER, "wrong_role"),
        (Status.INTAKE, Status.DISPATCHED, Role.HANDLER, "wrong_role"),
    ],
)
def test_forbidden_transitions_are_refused_with_a_code(source, target, role, code):
    with pytest.raises(TransitionError) as err:
        check_transition(source, target, role)
    assert err.value.code == code
    with pytest.raises(TransitionError):
        _ticket(source).transition(target, role, "x", T0)


def test_terminal_states_have_no_way_out():
    for status in TERMINAL:
        for role in Role:
            assert allowed_targets(status, role) == []


def test_lead_acts_for_the_centre_and_trainer_only_as_operator():
    assert Status.CLOSED in allowed_targets(Status.REVISIT, Role.LEAD)
    assert Status.CLOSED not in allowed_targets(Status.REVISIT, Role.TRAINER)
    assert Status.DISPATCHED in allowed_targets(Status.INTAKE, Role.TRAINER)
