"""The intake form's content, the rules that end a call and the ticket it becomes (Qt-free).

:class:`IntakeDraft` is the form's content as plain data (the draft payload).
:func:`validate` lists what keeps an outcome from being recorded as :class:`Problem` values:
a field, a :class:`ProblemCode` and the numbers or labels the sentence needs.  The domain has
no words for them: the UI builds the sentence from the code and its parameters through Qt
Linguist (``agent_app.ui.domain_names.problem``).  :func:`build_ticket` turns a draft and an
outcome into a :class:`~agent_app.domain.ticket.Ticket` with its lifecycle events.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from agent_app.domain.catalogue import ExtraQuestion, validate_answers
from agent_app.domain.deadlines import UrgencyTier
from agent_app.domain.lifecycle import Status
from agent_app.domain.phones import check_phone
from agent_app.domain.roles import Role
from agent_app.domain.ticket import (
    EMERGENCY_LINES,
    NOT_ACCEPTED_CHANNELS,
    OUTCOME_TARGET,
    Caller,
    Channel,
    Outcome,
    Place,
    RequestType,
    Ticket,
    TicketEvent,
)

# Length limits (characters), the same as the database columns.
MAX_NAME = 64
MAX_ADDRESS = 256
MAX_DESCRIPTION = 2000
MAX_NOTES = 4000
MIN_DESCRIPTION = 5

PLACE_KEYS = (
    "district",
    "district_code",
    "township",
    "township_code",
    "lat",
    "lon",
    "confidence",
    "label",
)


class ProblemCode(StrEnum):
    """What keeps an outcome from being recorded; the parameters each code carries in
    :attr:`Problem.params` are named after the colon."""

    PHONE_NOT_A_NUMBER = "phone_not_a_number"  # letters or signs in a number
    PHONE_INVALID = "phone_invalid"  # wrong number of digits or prefix
    NAME_TOO_LONG = "name_too_long"  # max
    ADDRESS_TOO_LONG = "address_too_long"  # max
    DESCRIPTION_TOO_LONG = "description_too_long"  # max
    NOTES_TOO_LONG = "notes_too_long"  # max
    PHONE_REQUIRED = "phone_required"  # dispatching needs the caller number
    REQUEST_TYPE_REQUIRED = "request_type_required"
    CATEGORY_REQUIRED = "category_required"
    ADDRESS_REQUIRED = "address_required"
    ADDRESS_UNRESOLVED = "address_unresolved"  # the address gives no district
    DESCRIPTION_TOO_SHORT = "description_too_short"  # min
    MAIN_UNIT_REQUIRED = "main_unit_required"
    ANSWER_REQUIRED = "answer_required"  # label: a required extra question left blank
    ANSWER_INVALID = "answer_invalid"  # label, answer (an AnswerProblem code)
    REPLY_REQUIRED = "reply_required"  # answering needs a KB article or notes
    MERGE_TARGET_REQUIRED = "merge_target_required"


class AnswerProblem(StrEnum):
    """Why an extra-question answer is not valid: the ``answer`` parameter of
    :attr:`ProblemCode.ANSWER_INVALID` (codes of
    :func:`~agent_app.domain.catalogue.validate_answers`; ``required`` is
    :attr:`ProblemCode.ANSWER_REQUIRED` and answers to other questions are not checked)."""

    NOT_A_NUMBER = "not_a_number"
    TOO_SMALL = "too_small"
    TOO_LARGE = "too_large"
    NOT_A_DATETIME = "not_a_datetime"
    NOT_ONE_OPTION = "not_one_option"
    UNKNOWN_OPTION = "unknown_option"
    NOT_TEXT = "not_text"
    LINE_BREAK = "line_break"


@dataclass(frozen=True, init=False)
class Problem:
    """Why an outcome cannot be recorded yet: the form field, a :class:`ProblemCode` and its
    parameters (``Problem("address", "address_too_long", max=256)``).  Hashable: the
    parameters are kept as sorted ``(name, value)`` pairs; read them with :meth:`param` or
    :meth:`args`."""

    field: str
    code: ProblemCode
    params: tuple[tuple[str, Any], ...]

    def __init__(
        self,
        field: str,
        code: ProblemCode | str,
        params: Mapping[str, Any] | None = None,
        /,
        **more: Any,
    ) -> None:
        merged = {**(params or {}), **more}
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "code", ProblemCode(code))
        object.__setattr__(self, "params", tuple(sorted(merged.items())))

    def param(self, name: str, default: Any = None) -> Any:
        return next((value for key, value in self.params if key == name), default)

    def args(self) -> dict[str, Any]:
        """The parameters as a dict (for ``str.format``)."""
        return dict(self.params)


@dataclass
class IntakeDraft:
    """Everything the form holds, as plain data (stored as the draft payload)."""

    ticket_id: str = ""
    started_at: str = ""  # ISO 8601
    channel: str = Channel.PHONE.value
    phone: str = ""
    extra_phone: str = ""
    caller_name: str = ""
    confidential: bool = False
    company: bool = False
    request_type: str = ""
    category_code: str = ""
    category_name: str = ""
    urgency: str = UrgencyTier.ORDINARY.value
    address: str = ""
    place: dict[str, Any] = field(default_factory=dict)
    main_unit: str = ""
    co_units: list[str] = field(default_factory=list)
    description: str = ""
    notes: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    kb_article_id: str = ""
    merge_target: str = ""
    sources: dict[str, str] = field(default_factory=dict)

    def to_payload(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> IntakeDraft:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in payload.items() if k in names})

    def has_content(self) -> bool:
        return any(
            (
                self.phone.strip(),
                self.caller_name.strip(),
                self.category_code,
                self.address.strip(),
                self.description.strip(),
                self.notes.strip(),
            )
        )


# --- validation ---------------------------------------------------------------------------


def phone_problem(text: str, field: str = "phone") -> Problem | None:
    """The problem with a caller number (``field`` names the form field), or None when it is
    valid or blank (blank is not a problem)."""
    if not text.strip():
        return None
    check = check_phone(text)
    if check.ok:
        return None
    if check.problem == "not_a_number":
        return Problem(field, ProblemCode.PHONE_NOT_A_NUMBER)
    return Problem(field, ProblemCode.PHONE_INVALID)


def validate(
    draft: IntakeDraft,
    outcome: Outcome,
    questions: Sequence[ExtraQuestion] = (),
) -> list[Problem]:
    """What keeps ``outcome`` from being recorded, in the order of the form."""
    problems: list[Problem] = []
    for name, text in (("phone", draft.phone), ("extra_phone", draft.extra_phone)):
        problem = phone_problem(text, name)
        if problem:
            problems.append(problem)
    if len(draft.caller_name) > MAX_NAME:
        problems.append(Problem("caller_name", ProblemCode.NAME_TOO_LONG, max=MAX_NAME))
    if len(draft.address) > MAX_ADDRESS:
        problems.append(Problem("address", ProblemCode.ADDRESS_TOO_LONG, max=MAX_ADDRESS))
    if len(draft.description) > MAX_DESCRIPTION:
        problems.append(
            Problem("description", ProblemCode.DESCRIPTION_TOO_LONG, max=MAX_DESCRIPTION)
        )
    if len(draft.notes) > MAX_NOTES:
        problems.append(Problem("notes", ProblemCode.NOTES_TOO_LONG, max=MAX_NOTES))
    if outcome is Outcome.TRANSFERRED:
        return problems  # an emergency goes first: nothing else is required
    short = Problem("description", ProblemCode.DESCRIPTION_TOO_SHORT, min=MIN_DESCRIPTION)
    described = len(draft.description.strip()) >= MIN_DESCRIPTION
    if outcome is Outcome.DISPATCHED:
        if not draft.phone.strip():
            problems.append(Problem("phone", ProblemCode.PHONE_REQUIRED))
        if not draft.request_type:
            problems.append(Problem("request_type", ProblemCode.REQUEST_TYPE_REQUIRED))
        if not draft.category_code:
            problems.append(Problem("category", ProblemCode.CATEGORY_REQUIRED))
        if not draft.address.strip():
            problems.append(Problem("address", ProblemCode.ADDRESS_REQUIRED))
        elif not draft.place.get("district"):
            problems.append(Problem("address", ProblemCode.ADDRESS_UNRESOLVED))
        if not described:
            problems.append(short)
        if not draft.main_unit.strip():
            problems.append(Problem("main_unit", ProblemCode.MAIN_UNIT_REQUIRED))
        problems.extend(_answer_problems(draft, questions))
    elif outcome is Outcome.ANSWERED:
        if not described:
            problems.append(short)
        if not (draft.kb_article_id or draft.notes.strip()):
            problems.append(Problem("notes", ProblemCode.REPLY_REQUIRED))
    elif outcome is Outcome.NOT_ACCEPTED:
        if not described:
            problems.append(short)
    elif outcome is Outcome.MERGED:
        if not draft.merge_target:
            problems.append(Problem("merge", ProblemCode.MERGE_TARGET_REQUIRED))
    return problems


def _answer_problems(draft: IntakeDraft, questions: Sequence[ExtraQuestion]) -> list[Problem]:
    """The extra questions' problems (field ``q:<question code>``, ``label`` = the question)."""
    codes = {q.code for q in questions}
    answers = {k: v for k, v in draft.answers.items() if k in codes}
    problems = []
    for code, problem in validate_answers(questions, answers):
        q = next((x for x in questions if x.code == code), None)
        label = q.description if q else code
        if problem == "required":
            problems.append(Problem(f"q:{code}", ProblemCode.ANSWER_REQUIRED, label=label))
        else:
            problems.append(
                Problem(f"q:{code}", ProblemCode.ANSWER_INVALID, label=label, answer=problem)
            )
    return problems


# --- building the ticket ------------------------------------------------------------------


def build_ticket(
    draft: IntakeDraft,
    outcome: Outcome,
    *,
    at: datetime,
    seat: str,
    operator_id: str,
    role: Role,
    number: str = "",
    due: datetime | None = None,
    detail: str = "",
    is_demo: bool = False,
) -> Ticket:
    """The ticket for ``draft`` ended with ``outcome`` at ``at``: a ``created`` event, then
    the lifecycle transition (with the line and time of a transfer, the channel named when not
    accepted, the target when merged)."""
    phones = []
    for text in (draft.phone, draft.extra_phone):
        if text.strip():
            check = check_phone(text)
            phones.append(check.e164 if check.ok else text.strip())
    started = datetime.fromisoformat(draft.started_at) if draft.started_at else at
    place = draft.place or {}
    request_type = RequestType(draft.request_type) if draft.request_type else None
    extra: dict[str, Any] = {}
    if draft.answers:
        extra["answers"] = dict(draft.answers)
    if draft.sources:
        extra["sources"] = dict(draft.sources)
    ticket = Ticket(
        id=draft.ticket_id or Ticket.new_id(),
        number=number,
        created_at=started,
        seat=seat,
        operator_id=operator_id,
        channel=Channel(draft.channel or Channel.PHONE.value),
        caller=Caller(
            name=draft.caller_name.strip(),
            phones=tuple(phones),
            confidential=draft.confidential,
            is_company=draft.company,
        ),
        request_type=request_type,
        category_code=draft.category_code,
        category_name=draft.category_name,
        place=Place(
            address=draft.address.strip(),
            district=place.get("district") or "",
            district_code=place.get("district_code") or "",
            township=place.get("township") or "",
            township_code=place.get("township_code") or "",
            community=place.get("community") or "",
            lat=place.get("lat"),
            lon=place.get("lon"),
            confidence=place.get("confidence"),
        ),
        urgency=draft.urgency,
        main_unit=draft.main_unit.strip() if outcome is Outcome.DISPATCHED else "",
        co_units=tuple(u for u in draft.co_units if u) if outcome is Outcome.DISPATCHED else (),
        due_at=due if outcome is Outcome.DISPATCHED else None,
        description=draft.description.strip(),
        notes=draft.notes.strip(),
        outcome=outcome,
        outcome_detail=detail,
        kb_article_id=draft.kb_article_id,
        merged_into=draft.merge_target if outcome is Outcome.MERGED else "",
        extra=extra,
        is_demo=is_demo,
    )
    created = TicketEvent(
        at=started,
        kind="created",
        actor_role=role.value,
        actor_id=operator_id,
        to_status=Status.INTAKE.value,
        data={"channel": ticket.channel.value},
    )
    ticket = replace(ticket, events=(created,))
    data: dict[str, Any] = {"outcome": outcome.value}
    if outcome is Outcome.TRANSFERRED:
        data.update(
            line=detail, line_name=EMERGENCY_LINES.get(detail, ""), transferred_at=at.isoformat()
        )
    elif outcome is Outcome.NOT_ACCEPTED:
        data.update(channel=detail, channel_name=NOT_ACCEPTED_CHANNELS.get(detail, ""))
    elif outcome is Outcome.MERGED:
        data.update(merged_into=draft.merge_target)
    elif outcome is Outcome.DISPATCHED:
        data.update(main_unit=ticket.main_unit, co_units=list(ticket.co_units))
        if due is not None:
            data["due_at"] = due.isoformat()
    elif outcome is Outcome.ANSWERED and draft.kb_article_id:
        data.update(kb_article_id=draft.kb_article_id)
    return ticket.transition(OUTCOME_TARGET[outcome], role, operator_id, at, **data)


NEXT_FIELD_ORDER: dict[str, int] = {
    f: i
    for i, f in enumerate(
        ("phone", "extra_phone", "caller_name", "description", "request_type", "category")
        + ("address", "notes")
    )
}
"""Where Enter takes the operator next: the first missing field in the call's order."""


@dataclass(frozen=True)
class PlaceFix:
    """The call's place as resolved (from the address, or picked on the map): what the map
    and the unit proposals follow."""

    district: str = ""
    district_code: str = ""
    township: str = ""
    township_code: str = ""
    lat: float | None = None
    lon: float | None = None
    confidence: float | None = None
    label: str = ""
    source: str = ""  # "address" | "map"

    @classmethod
    def from_mapping(cls, place: Mapping[str, Any]) -> PlaceFix:
        """From a draft's place (keys of :data:`PLACE_KEYS`, None for unknown)."""

        def text(key: str) -> str:
            return str(place.get(key) or "")

        def number(key: str) -> float | None:
            value = place.get(key)
            return float(value) if isinstance(value, int | float) else None

        return cls(
            district=text("district"),
            district_code=text("district_code"),
            township=text("township"),
            township_code=text("township_code"),
            lat=number("lat"),
            lon=number("lon"),
            confidence=number("confidence"),
            label=text("label"),
            source=text("source"),
        )
