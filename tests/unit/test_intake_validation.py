"""The intake rules (agent_app.domain.intake): each rule gives a code and its parameters, in
the order of the form; the sentences are the UI's business (tests/gui/test_i18n.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from agent_app.domain.catalogue import Datatype, ExtraQuestion
from agent_app.domain.intake import (
    MAX_ADDRESS,
    MAX_DESCRIPTION,
    MAX_NAME,
    MAX_NOTES,
    MIN_DESCRIPTION,
    AnswerProblem,
    IntakeDraft,
    Problem,
    ProblemCode,
    build_ticket,
    phone_problem,
    validate,
)
from agent_app.domain.roles import Role
from agent_app.domain.ticket import OUTCOME_TARGET, Outcome
from agent_app.domain.timeutil import SHANGHAI

FLOOR = ExtraQuestion("floor", Datatype.NUMBER, "楼层", required=True, order=1)
SCOPE = ExtraQuestion(
    "scope", Datatype.SINGLEVALUELIST, "影响范围", order=2, values=(("home", "仅本户"),)
)
QUESTIONS = (FLOOR, SCOPE)


def complete() -> IntakeDraft:
    """A draft that every outcome accepts."""
    return IntakeDraft(
        phone="13812345678",
        request_type="complaint",
        category_code="010101",
        address="朝阳区望京街道某小区",
        place={"district": "朝阳区"},
        description="楼下施工噪音很大",
        main_unit="朝阳区城管委",
        notes="已告知办理流程",
        answers={"floor": "3"},
        merge_target="T-1",
    )


def codes(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in problems]


def test_problem_is_a_hashable_value_with_named_parameters() -> None:
    p = Problem("address", "address_too_long", max=256)
    assert p == Problem("address", ProblemCode.ADDRESS_TOO_LONG, {"max": 256})
    assert hash(p) == hash(Problem("address", ProblemCode.ADDRESS_TOO_LONG, max=256))
    assert p.code is ProblemCode.ADDRESS_TOO_LONG
    assert p.param("max") == 256
    assert p.param("min") is None
    assert p.args() == {"max": 256}
    assert Problem("merge", ProblemCode.MERGE_TARGET_REQUIRED).params == ()
    with pytest.raises(ValueError, match="no_such_code"):
        Problem("address", "no_such_code")


@pytest.mark.parametrize("outcome", list(Outcome))
def test_a_complete_draft_has_no_problems(outcome: Outcome) -> None:
    assert validate(complete(), outcome, QUESTIONS) == []


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        (IntakeDraft(caller_name="名" * 65), Problem("caller_name", "name_too_long", max=MAX_NAME)),
        (IntakeDraft(address="址" * 300), Problem("address", "address_too_long", max=MAX_ADDRESS)),
        (
            IntakeDraft(description="诉" * 2001),
            Problem("description", "description_too_long", max=MAX_DESCRIPTION),
        ),
        (IntakeDraft(notes="注" * 4001), Problem("notes", "notes_too_long", max=MAX_NOTES)),
    ],
)
def test_length_limits(draft: IntakeDraft, expected: Problem) -> None:
    assert validate(draft, Outcome.TRANSFERRED) == [expected]
    assert expected in validate(draft, Outcome.DISPATCHED)
    assert (MAX_NAME, MAX_ADDRESS, MAX_DESCRIPTION, MAX_NOTES) == (64, 256, 2000, 4000)


def test_phone_problems() -> None:
    assert phone_problem("") is None
    assert phone_problem("   ") is None
    assert phone_problem("13812345678") is None
    assert phone_problem("abc") == Problem("phone", ProblemCode.PHONE_NOT_A_NUMBER)
    assert phone_problem("12") == Problem("phone", ProblemCode.PHONE_INVALID)
    assert phone_problem("12", field="extra_phone") == Problem("extra_phone", "phone_invalid")
    draft = IntakeDraft(phone="abc", extra_phone="12")
    assert validate(draft, Outcome.TRANSFERRED) == [
        Problem("phone", ProblemCode.PHONE_NOT_A_NUMBER),
        Problem("extra_phone", ProblemCode.PHONE_INVALID),
    ]


def test_transferred_needs_nothing_but_format_checks() -> None:
    assert validate(IntakeDraft(), Outcome.TRANSFERRED, QUESTIONS) == []
    bad = IntakeDraft(phone="12", caller_name="名" * 100)
    assert codes(validate(bad, Outcome.TRANSFERRED, QUESTIONS)) == [
        ("phone", "phone_invalid"),
        ("caller_name", "name_too_long"),
    ]


def test_dispatch_rules_follow_the_form() -> None:
    problems = validate(IntakeDraft(), Outcome.DISPATCHED, QUESTIONS)
    assert problems == [
        Problem("phone", ProblemCode.PHONE_REQUIRED),
        Problem("request_type", ProblemCode.REQUEST_TYPE_REQUIRED),
        Problem("category", ProblemCode.CATEGORY_REQUIRED),
        Problem("address", ProblemCode.ADDRESS_REQUIRED),
        Problem("description", ProblemCode.DESCRIPTION_TOO_SHORT, min=MIN_DESCRIPTION),
        Problem("main_unit", ProblemCode.MAIN_UNIT_REQUIRED),
        Problem("q:floor", ProblemCode.ANSWER_REQUIRED, label="楼层"),
    ]


def test_format_problems_come_before_the_required_fields() -> None:
    draft = IntakeDraft(phone="abc", address="址" * 300, description="短")
    assert codes(validate(draft, Outcome.DISPATCHED)) == [
        ("phone", "phone_not_a_number"),
        ("address", "address_too_long"),
        ("request_type", "request_type_required"),
        ("category", "category_required"),
        ("address", "address_unresolved"),
        ("description", "description_too_short"),
        ("main_unit", "main_unit_required"),
    ]


def test_an_address_without_a_district_is_unresolved() -> None:
    draft = complete()
    draft.place = {}
    assert validate(draft, Outcome.DISPATCHED, QUESTIONS) == [
        Problem("address", ProblemCode.ADDRESS_UNRESOLVED)
    ]


def test_extra_question_answers() -> None:
    draft = complete()
    draft.answers = {"floor": "three", "scope": "street", "other": "ignored"}
    assert validate(draft, Outcome.DISPATCHED, QUESTIONS) == [
        Problem("q:floor", ProblemCode.ANSWER_INVALID, label="楼层", answer="not_a_number"),
        Problem("q:scope", ProblemCode.ANSWER_INVALID, label="影响范围", answer="unknown_option"),
    ]
    assert validate(draft, Outcome.DISPATCHED, QUESTIONS)[0].param("answer") == (
        AnswerProblem.NOT_A_NUMBER
    )
    # only dispatching asks for them
    assert validate(draft, Outcome.ANSWERED, QUESTIONS) == []


def test_answered_needs_a_description_and_a_reply() -> None:
    assert validate(IntakeDraft(), Outcome.ANSWERED) == [
        Problem("description", ProblemCode.DESCRIPTION_TOO_SHORT, min=MIN_DESCRIPTION),
        Problem("notes", ProblemCode.REPLY_REQUIRED),
    ]
    kb = IntakeDraft(description="怎么办理居住证", kb_article_id="kb-1")
    assert validate(kb, Outcome.ANSWERED) == []


def test_not_accepted_needs_a_description_and_merged_a_target() -> None:
    assert validate(IntakeDraft(description="短"), Outcome.NOT_ACCEPTED) == [
        Problem("description", ProblemCode.DESCRIPTION_TOO_SHORT, min=MIN_DESCRIPTION)
    ]
    assert validate(IntakeDraft(), Outcome.MERGED) == [
        Problem("merge", ProblemCode.MERGE_TARGET_REQUIRED)
    ]


def test_build_ticket_records_the_draft_and_the_transition() -> None:
    at = datetime(2026, 1, 5, 9, 30, tzinfo=SHANGHAI)
    draft = complete()
    draft.started_at = (at - timedelta(minutes=4)).isoformat()
    draft.extra_phone = "010-65123456"
    due = at + timedelta(days=7)
    ticket = build_ticket(
        draft, Outcome.DISPATCHED, at=at, seat="S1", operator_id="op1", role=Role.OPERATOR,
        number="N1", due=due,
    )  # fmt: skip
    assert ticket.caller.phones == ("+8613812345678", "+861065123456")
    assert ticket.created_at == at - timedelta(minutes=4)
    assert ticket.place.district == "朝阳区"
    assert (ticket.main_unit, ticket.due_at, ticket.merged_into) == ("朝阳区城管委", due, "")
    assert ticket.extra == {"answers": {"floor": "3"}}
    assert ticket.events[0].kind == "created"
    assert ticket.events[-1].data["main_unit"] == "朝阳区城管委"
    assert ticket.status is OUTCOME_TARGET[Outcome.DISPATCHED]

    merged = build_ticket(
        draft, Outcome.MERGED, at=at, seat="S1", operator_id="op1", role=Role.OPERATOR
    )
    assert (merged.main_unit, merged.due_at, merged.merged_into) == ("", None, "T-1")
    assert merged.events[-1].data == {"outcome": "merged", "merged_into": "T-1"}
