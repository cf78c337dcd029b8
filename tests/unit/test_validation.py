"""The seat's half of the centre's rules: payload reason codes and lifecycle checks per login."""

from __future__ import annotations

from datetime import timedelta

from agent_app.domain import timeutil
from agent_app.domain.serialize import event_to_dict, ticket_to_dict
from agent_app.domain.validation import (
    clean_text,
    number_belongs_to_seat,
    payload_problem,
    transition_problem,
)
from agent_app.services.demo import DemoGenerator


def _doc() -> dict:
    now = timeutil.now()
    t = DemoGenerator(seed=3).ticket(
        "20260101-S7-0001",
        now - timedelta(minutes=1),
        now,
        seat="S7",
        operator="op7",
        is_demo=False,
        intake_only=True,
    )
    doc = ticket_to_dict(t, with_events=False)
    doc["events"] = [{**event_to_dict(e), "seq": i} for i, e in enumerate(t.events, 1)]
    return doc


def test_payload_problems_name_the_first_broken_rule() -> None:
    doc = _doc()
    assert payload_problem(doc) is None
    assert payload_problem({**doc, "status": "BOGUS"}) == "invalid:status"
    assert (
        payload_problem({**doc, "created_at": "2099-01-01T00:00:00+08:00"})
        == "future_date:created_at"
    )
    assert payload_problem({**doc, "created_at": "2026-13-45T99:00"}) == "bad_date:created_at"
    assert payload_problem({**doc, "description": "x" * 4001}) == "too_long:description"
    assert payload_problem({**doc, "notes": "a\x07"}) == "control_char:notes"
    assert (
        payload_problem({**doc, "caller": {**doc["caller"], "name": "e\u0301"}})
        == "not_nfc:caller.name"
    )
    assert payload_problem({**doc, "place": {**doc["place"], "lat": 91}}) == "invalid:place.lat"
    assert payload_problem({**doc, "events": [{**doc["events"][0], "to_status": "X"}]}) == (
        "invalid:events.to_status"
    )
    del doc["number"]
    assert payload_problem(doc) == "missing:number"


def test_numbers_belong_to_their_seat() -> None:
    assert number_belongs_to_seat("20260101-S7-0001", "S7")
    assert not number_belongs_to_seat("20260101-S8-0001", "S7")
    assert not number_belongs_to_seat("20260101-S7-0001\n", "S7")


def test_transitions_are_checked_against_the_table_for_the_login_group() -> None:
    created = {
        "kind": "created",
        "actor_role": "operator",
        "actor_id": "op7",
        "to_status": "INTAKE",
    }

    def step(src: str, dst: str, role: str = "operator") -> dict:
        return {
            "kind": "transition",
            "actor_role": role,
            "actor_id": "op7",
            "from_status": src,
            "to_status": dst,
        }

    dispatched = [created, step("INTAKE", "DISPATCHED")]
    assert transition_problem(dispatched, "INTAKE", "operator", "op7", final="DISPATCHED") is None
    assert transition_problem([created], "INTAKE", "operator", "op7", final="CLOSED") == (
        "status_without_transition"
    )
    assert transition_problem([created, step("INTAKE", "CLOSED")], "INTAKE", "operator", "op7") == (
        "transition_not_allowed:INTAKE>CLOSED"
    )
    assert transition_problem([created], "INTAKE", "operator", "someone else") == "actor_mismatch"
    lead_close = [
        created,
        step("INTAKE", "MERGED_DUPLICATE"),
        step("MERGED_DUPLICATE", "CLOSED", "lead"),
    ]
    assert (
        transition_problem(lead_close, "INTAKE", "operator", "op7") == "actor_role_forbidden:lead"
    )
    assert transition_problem(lead_close, "INTAKE", "lead", "op7", final="CLOSED") is None
    assert (
        transition_problem([step("DISPATCHED", "SIGNED", "handler")], None, "handler", "op7")
        is None
    )
    assert transition_problem([step("DISPATCHED", "SIGNED")], None, "operator", "op7") == (
        "transition_not_allowed:DISPATCHED>SIGNED"
    )


def test_clean_text_normalises_and_strips_controls() -> None:
    assert clean_text("e\u0301\r\n\x07ok\t") == "\u00e9\nok\t"
