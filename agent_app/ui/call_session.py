"""The call-session presenter: one owner for the state of the call being taken.

:class:`CallSession` holds one call as an immutable :class:`CallState` (the typed draft, the
place, the units, the proposals with the words they came from, the undo stack, the caller's
history, probable duplicates) and takes the operator's intents (``edit``, ``set_phone``,
``pick_category``, ``accept``, ``undo``, ``finish`` …).  Geocoding, proposals, duplicate
checks, caller history, drafts and saving run through the task runner; results come back as
a new state.  Views (the ticket form, the dispatch panel, the map, the knowledge base, the
duplicate bar) render :attr:`CallSession.state` on ``state_changed`` and send intents back;
none of them keeps call state of its own.  No widget is built here: the call logic is tested
without a window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from agent_app.deferred import load as load_deferred
from agent_app.domain import timeutil
from agent_app.domain.call_transcript import TranscriptLine
from agent_app.domain.call_transcript import line as transcript_line_for
from agent_app.domain.catalogue import ExtraQuestion
from agent_app.domain.description_draft import (
    DescriptionDraft,
    DraftSentence,
    merge_description,
    new_sentences,
    proposal_for,
    select,
    sentence_for,
)
from agent_app.domain.followup import REACHES_UNIT, FollowupKind
from agent_app.domain.intake import (
    IntakeDraft,
    PlaceFix,
    Problem,
    ProblemCode,
    build_ticket,
    phone_problem,
    validate,
)
from agent_app.domain.phones import check_phone, display_number
from agent_app.domain.roles import Role
from agent_app.domain.summary import TicketSummary
from agent_app.domain.ticket import Channel, Outcome, RequestType, Ticket
from agent_app.errors import KnownError
from agent_app.services import caller_history as history_scope
from agent_app.services.intake import (
    CategoryProposal,
    Chip,
    IntakeService,
    place_label,
    propose_answers,
)
from agent_app.workers.tasks import Change, Latest, TaskRunner

if TYPE_CHECKING:
    from agent_app.services import followup as followup_service
    from agent_app.services.duplicate_check import DuplicateHint
    from agent_app.services.workstation import Workstation

log = logging.getLogger("agent_app.ui")

GEOCODE_DELAY_MS = 250
SUGGEST_DELAY_MS = 350
DUPLICATE_DELAY_MS = 700
TRANSFER_UNDO_MS = 5_000
"""A transfer is recorded this long after the key: time to undo a wrong key."""
IDLE_CONFIRM_MS = 5_000
"""From idle, a transfer key is confirmed by pressing it again within this time."""

# Draft fields the operator types; a proposal never replaces one of them without a second,
# explicit accept.
TEXT_FIELDS = ("caller_name", "extra_phone", "address", "description", "notes")
CHOICE_FIELDS = ("channel", "request_type", "urgency", "confidential", "company")
NO_DRAFT = DescriptionDraft(())


class Phase(StrEnum):
    IDLE = "idle"  # no call
    ACTIVE = "active"  # a call is being taken
    SAVING = "saving"  # its outcome is being written
    FINISHED = "finished"  # saved: shown read-only until the next call


@dataclass(frozen=True)
class UndoStep:
    """An accepted proposal: the fields it changed and the draft before it."""

    kind: str
    fields: tuple[str, ...]
    before: IntakeDraft


@dataclass(frozen=True)
class PendingTransfer:
    """A transfer key pressed: recorded when the undo time is over (or confirmed from idle)."""

    line: str
    confirmed: bool  # False: pressed while idle, waiting for the second press


@dataclass(frozen=True)
class CallState:
    """One call, as an immutable value (every change makes a new one)."""

    phase: Phase = Phase.IDLE
    draft: IntakeDraft = field(default_factory=IntakeDraft)
    questions: tuple[ExtraQuestion, ...] = ()
    prefilled: Mapping[str, Any] = field(default_factory=dict)
    """Extra answers filled from the caller's words (code → value), to be checked."""
    category_chips: tuple[Chip, ...] = ()
    category_unsure: bool = False
    """The category model is unsure of this text: no chip, the operator picks the category."""
    type_chips: tuple[Chip, ...] = ()
    unit_reasons: tuple[str, ...] = ()
    typed: frozenset[str] = frozenset()
    """Draft fields the operator typed or chose (a proposal never overwrites them silently)."""
    undo: tuple[UndoStep, ...] = ()
    phone_e164: str = ""
    extra_e164: str = ""
    unmasked: bool = False
    history: tuple[TicketSummary, ...] = ()
    history_scope: str = ""
    """Where the history comes from (:mod:`agent_app.services.caller_history`): ``local``
    (demo), ``checking`` (the seat's rows, the centre asked), ``centre`` (merged with the
    whole centre's) or ``seat_only`` (the centre could not be asked: 仅本席记录)."""
    history_remote: frozenset[str] = frozenset()
    """Numbers in the history that this seat does not hold (taken at another seat)."""
    duplicates: tuple[DuplicateHint, ...] = ()
    ignored_duplicates: frozenset[str] = frozenset()
    transfer_hint: str = ""
    """The category asks to transfer (or three-way call) this line first, e.g. "119"."""
    pending_transfer: PendingTransfer | None = None
    pending_overwrite: tuple[str, str] = ("", "")
    """(field, value) of a proposal that would replace what the operator typed."""
    saved: Ticket | None = None
    followup: str = ""
    """The repeat call this call was recorded as (a :class:`FollowupKind` value; then
    ``saved`` is the existing ticket it was recorded on), "" for a call that made a ticket."""
    heard: tuple[DraftSentence, ...] = ()
    """The sentence each transcript line of the call gives (lines that say something about
    the request, in the order of their segments), kept as the call is transcribed."""
    lines: tuple[tuple[int, TranscriptLine], ...] = ()
    """Every final transcript line of the call (segment, line), in segment order: saved with
    the ticket the call makes (redacted, with its time offsets)."""
    description_draft: DescriptionDraft = NO_DRAFT
    """The description drafted from :attr:`heard` (short: at most 4 sentences, 140 characters)."""
    draft_dismissed: frozenset[str] = frozenset()
    """Drafted sentences the operator dismissed (忽略): not offered again in this call."""
    dirty: bool = False

    @property
    def ticket_id(self) -> str:
        return self.draft.ticket_id

    @property
    def started_at(self) -> datetime | None:
        return datetime.fromisoformat(self.draft.started_at) if self.draft.started_at else None

    @property
    def active(self) -> bool:
        return self.phase is Phase.ACTIVE

    @property
    def place(self) -> Mapping[str, Any]:
        return self.draft.place

    @property
    def text(self) -> str:
        """Description and notes: what proposals and the knowledge base read."""
        return f"{self.draft.description}\n{self.draft.notes}".strip()

    @property
    def description_offer(self) -> DescriptionDraft:
        """What the drafted description would add now: its sentences that are neither in the
        description yet nor dismissed; nothing while the call is being saved or is finished."""
        if self.phase not in (Phase.IDLE, Phase.ACTIVE) or not self.description_draft:
            return NO_DRAFT
        fresh = new_sentences(self.draft.description, self.description_draft)
        return DescriptionDraft(tuple(x for x in fresh if x.text not in self.draft_dismissed))


def _proposal_value(proposal: Any) -> tuple[str, str, str]:
    """(kind, value, source words) of a chip, a transcript proposal or its dict."""
    if isinstance(proposal, Chip):
        return proposal.kind, proposal.value, proposal.reason
    if isinstance(proposal, Mapping):
        return (
            str(proposal.get("kind", "")),
            str(proposal.get("value", "")),
            str(proposal.get("source_text", "")),
        )
    return (
        str(getattr(proposal, "kind", "")),
        str(getattr(proposal, "value", "")),
        str(getattr(proposal, "source_text", "")),
    )


class CallSession(QObject):
    """Owns the call being taken; see the module docstring.

    Signals:
        state_changed(object): the new :class:`CallState`.
        problems_changed(object): what keeps the call from being dispatched (``Problem``s).
        text_changed(str): description + notes changed (the knowledge base follows it).
        place_resolved(object): the call's :class:`PlaceFix` (the map follows it).
        call_started(str): a call began (ticket id).
        finished(object): the call was saved; the :class:`Ticket`.
        save_failed(str): saving failed; a sentence for the operator (the call stays).
        message(str): something to tell the operator in passing (status bar).
        focus_requested(str): the view should put the cursor on this field.
        category_hits(str, object): the catalogue's answer to a category search.
        draft_saved(str): the draft was written (ticket id).
        followed_up(object): the call was recorded on an existing ticket (告知进展, 补充,
            催办) instead of making one; the updated :class:`Ticket`.
    """

    state_changed = Signal(object)
    problems_changed = Signal(object)
    text_changed = Signal(str)
    place_resolved = Signal(object)
    call_started = Signal(str)
    finished = Signal(object)
    save_failed = Signal(str)
    message = Signal(str)
    focus_requested = Signal(str)
    category_hits = Signal(str, object)
    draft_saved = Signal(str)
    followed_up = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        workstation: Workstation,
        *,
        role: Role,
        demo: bool,
        parent: QObject | None = None,
        suggest_delay_ms: int = SUGGEST_DELAY_MS,
        transfer_undo_ms: int = TRANSFER_UNDO_MS,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.workstation = workstation
        self.role = role
        self.demo = demo
        self.service: IntakeService | None = None
        self.usage: dict[str, int] = {}
        self.recent: list[str] = []
        self._state = CallState()
        self._saving_draft = False
        self._geocode = Latest(runner, self, delay_ms=GEOCODE_DELAY_MS)
        self._suggest = Latest(runner, self, delay_ms=suggest_delay_ms)
        self._duplicates = Latest(runner, self, delay_ms=DUPLICATE_DELAY_MS)
        self._search = Latest(runner, self)
        self._history = Latest(runner, self)
        self._centre_history = Latest(runner, self)
        self.central_url = ""
        self._after_suggest: list[Callable[[], None]] = []
        self._after_geocode: list[Callable[[], None]] = []
        self.transfer_undo_ms = transfer_undo_ms
        self._transfer_timer = QTimer(self, singleShot=True)
        self._transfer_timer.timeout.connect(self._transfer_due)

    # State ------------------------------------------------------------------------------

    @property
    def state(self) -> CallState:
        return self._state

    def _set(self, state: CallState, *, dirty: bool = True) -> None:
        if dirty and state.phase is Phase.ACTIVE:
            state = replace(state, dirty=True)
        old, self._state = self._state, state
        self.state_changed.emit(state)
        if old.draft != state.draft or old.questions != state.questions:
            self.problems_changed.emit(tuple(self.problems()))
        if old.text != state.text:
            self.text_changed.emit(state.text)

    def _update(self, *, typed: str = "", **changes: Any) -> CallState:
        """The current call with draft fields ``changes``; starts a call when idle."""
        self._ensure_call()
        s = self._state
        draft = replace(s.draft, **changes)
        marked = s.typed | {typed} if typed else s.typed
        new = replace(s, draft=draft, typed=marked, pending_overwrite=("", ""))
        self._set(new)
        return new

    def problems(self, outcome: Outcome = Outcome.DISPATCHED) -> list[Problem]:
        """What keeps ``outcome`` from being recorded now."""
        s = self._state
        return validate(s.draft, outcome, s.questions)

    # Set-up -----------------------------------------------------------------------------

    def set_service(
        self,
        service: IntakeService,
        usage: Mapping[str, int] | None = None,
        recent: Sequence[str] = (),
    ) -> None:
        """The proposals are available (loaded in a worker), or a new model version."""
        self.service = service
        self.usage = dict(usage or {})
        self.recent = list(recent)
        s = self._state
        if s.phase is not Phase.ACTIVE:
            self._set(s, dirty=False)
            return
        if s.draft.category_code and not s.questions:
            self._set(replace(s, questions=service.questions(s.draft.category_code)), dirty=False)
        if s.draft.address.strip() and not s.draft.place.get("district"):
            self.geocode_now()
        if s.text:
            self._request_suggestions(now=True)
        self._propose_units()

    # Call -------------------------------------------------------------------------------

    def new_call(self, number: str | None = None) -> None:
        """Start a new call (the previous one, if unfinished, stays a saved draft)."""
        if self._state.phase is Phase.ACTIVE and self._state.dirty:
            self.save_draft()
        self._cancel_work()
        self._start(IntakeDraft())
        if number:
            self.set_phone(number, source="telephony")
            self.commit_phone()
            self.focus_requested.emit("description")
        else:
            self.focus_requested.emit("phone")

    def _ensure_call(self) -> None:
        if self._state.phase is not Phase.ACTIVE:
            # started by the first field typed or proposal taken: the transcript heard so far
            # belongs to this call (the strip keeps it too; only an explicit new call clears)
            self._start(IntakeDraft(), keep_heard=True)

    def _start(self, draft: IntakeDraft, *, keep_heard: bool = False) -> None:
        self._cancel_work()
        draft = replace(
            draft,
            ticket_id=draft.ticket_id or Ticket.new_id(),
            started_at=draft.started_at or timeutil.now().isoformat(),
        )
        old = self._state
        self._state = CallState(phase=Phase.ACTIVE, draft=draft)
        if keep_heard and (old.heard or old.lines):
            self._state = replace(
                self._state,
                heard=old.heard,
                # a finished call's lines were saved with its ticket: never another's
                lines=old.lines if old.phase is not Phase.FINISHED else (),
                description_draft=old.description_draft,
            )
        self.call_started.emit(draft.ticket_id)
        self._set(self._state, dirty=False)

    def restore(self, draft: IntakeDraft) -> None:
        """Put a saved draft back (crash recovery); the operator checks it and goes on."""
        self._start(draft)
        s = self._state
        phone = check_phone(draft.phone) if draft.phone.strip() else None
        extra = check_phone(draft.extra_phone) if draft.extra_phone.strip() else None
        questions = self.service.questions(draft.category_code) if self.service else ()
        typed = frozenset(
            f for f in (*TEXT_FIELDS, *CHOICE_FIELDS) if getattr(draft, f, None) not in ("", None)
        )
        self._set(
            replace(
                s,
                questions=questions,
                phone_e164=phone.e164 if phone is not None and phone.ok else "",
                extra_e164=extra.e164 if extra is not None and extra.ok else "",
                typed=typed | ({"phone"} if draft.phone else set()),
            ),
            dirty=False,
        )
        self._set_category_hint(draft.category_code)
        if draft.place.get("district"):
            self.place_resolved.emit(PlaceFix.from_mapping(draft.place))
        if self._state.phone_e164:
            self._load_history(self._state.phone_e164)
        if self._state.text:
            self._request_suggestions()

    def clear(self) -> None:
        """Back to idle: no call."""
        self._cancel_work()
        self._set(CallState(), dirty=False)

    def _cancel_work(self) -> None:
        for latest in (
            self._geocode,
            self._suggest,
            self._duplicates,
            self._history,
            self._centre_history,
        ):
            latest.cancel()
        self._after_suggest.clear()
        self._after_geocode.clear()
        self._transfer_timer.stop()

    # Editing ----------------------------------------------------------------------------

    def edit(self, name: str, value: Any) -> None:
        """The operator typed or chose ``value`` for the draft field ``name``."""
        if self._state.phase in (Phase.SAVING, Phase.FINISHED) and name in TEXT_FIELDS:
            return  # a finished call is read-only
        if getattr(self._state.draft, name) == value and self._state.phase is Phase.ACTIVE:
            return
        if name == "extra_phone":
            self._update(typed=name, extra_phone=value)
            self._set(replace(self._state, extra_e164=""))
            return
        self._update(typed=name if value not in ("", None, False) else "", **{name: value})
        if name == "address":
            self._set_place_pending()
            self._request_geocode()
        elif name in ("description", "notes"):
            self._request_suggestions()
            self._request_duplicates()

    def set_phone(self, text: str, *, source: str = "") -> None:
        """The caller number as typed (or from telephony); checked by :meth:`commit_phone`."""
        sources = dict(self._state.draft.sources)
        if source:
            sources["phone"] = source
        self._update(typed="phone", phone=text.strip(), sources=sources)
        self._set(
            replace(
                self._state, phone_e164="", history=(), history_scope="", history_remote=frozenset()
            )
        )

    def commit_phone(self) -> None:
        """The number is complete: when valid it is stored normalised, masked on screen, and
        the caller's history is looked up."""
        s = self._state
        text = s.draft.phone
        if not text or phone_problem(text) is not None or s.phone_e164:
            return
        e164 = check_phone(text).e164
        self._set(replace(s, phone_e164=e164, draft=replace(s.draft, phone=display_number(e164))))
        self._load_history(e164)
        self._request_duplicates()

    def commit_extra_phone(self) -> None:
        s = self._state
        text = s.draft.extra_phone
        if not text or phone_problem(text) is not None or s.extra_e164:
            return
        e164 = check_phone(text).e164
        self._set(
            replace(s, extra_e164=e164, draft=replace(s.draft, extra_phone=display_number(e164)))
        )

    def clear_phone(self) -> None:
        self._update(phone="")
        self._set(
            replace(
                self._state,
                phone_e164="",
                unmasked=False,
                history=(),
                history_scope="",
                history_remote=frozenset(),
            )
        )

    def toggle_unmask(self) -> None:
        """Show the caller's numbers in full (audited) or mask them again."""
        s = self._state
        if not (s.phone_e164 or s.extra_e164):
            return
        if s.unmasked:
            self._set(replace(s, unmasked=False), dirty=False)
            return
        # The audit row is stored first; the number is shown only once it is (R10).
        ws, role, ticket_id = self.workstation, self.role.value, s.ticket_id
        phone = s.phone_e164

        def shown(_result: object) -> None:
            now = self._state
            if now.ticket_id == ticket_id and now.phone_e164 == phone:
                self._set(replace(now, unmasked=True), dirty=False)

        self.runner.run_mutation(
            lambda: ws.audit(
                "unmask_phone", role, ticket_id, "caller number shown", field="caller.phones"
            ),
            shown,
            change=Change.AUDIT,
        )

    def pick_category(self, code: str) -> bool:
        """The operator (or an accepted proposal) chose the category ``code``."""
        service = self.service
        cat = service.category(code) if service is not None else None
        if service is None or cat is None:
            return False
        s = self._state
        changes: dict[str, Any] = {
            "category_code": cat.code,
            "category_name": f"{cat.level1}/{cat.level2}/{cat.level3}",
            "urgency": cat.default_tier.value,
        }
        if not s.draft.request_type and len(cat.request_types) == 1:
            changes["request_type"] = cat.request_types[0]
        keep = {k: v for k, v in s.draft.answers.items() if k in s.prefilled}
        self._update(typed="category_code", answers=keep, **changes)
        self._set(replace(self._state, questions=service.questions(cat.code), prefilled={}))
        self._set_category_hint(cat.code)
        self._propose_answers()
        self._propose_units()
        self._request_duplicates()
        return True

    def _set_category_hint(self, code: str) -> None:
        cat = self.service.category(code) if self.service is not None and code else None
        hint = cat.transfer_hint if cat is not None else ""
        if hint != self._state.transfer_hint:
            self._set(replace(self._state, transfer_hint=hint), dirty=False)

    def set_answer(self, code: str, value: Any) -> None:
        answers = dict(self._state.draft.answers)
        if value in (None, "", []):
            answers.pop(code, None)
        else:
            answers[code] = value
        prefilled = {k: v for k, v in self._state.prefilled.items() if k != code}
        self._update(answers=answers)
        self._set(replace(self._state, prefilled=prefilled))

    def set_units(self, main: str, co: Sequence[str]) -> None:
        """The operator edited the units (dispatch panel)."""
        self._update(
            typed="main_unit", main_unit=main.strip(), co_units=[u for u in co if u.strip()]
        )

    def set_merge_target(self, number: str) -> None:
        self._update(merge_target=number)

    def ignore_duplicate(self, number: str) -> None:
        s = self._state
        self._set(replace(s, ignored_duplicates=s.ignored_duplicates | {number}), dirty=False)

    def insert_answer(self, text: str, article_id: str = "") -> None:
        """Append a knowledge-base answer to the notes (the answer field)."""
        self._ensure_call()
        notes = self._state.draft.notes.rstrip()
        changes: dict[str, Any] = {"notes": f"{notes}\n{text}".strip() if notes else text}
        if article_id:
            changes["kb_article_id"] = article_id
        self._update(**changes)
        self._request_suggestions()

    # Place and units --------------------------------------------------------------------

    def _set_place_pending(self) -> None:
        s = self._state
        if s.draft.place.get("source") == "map":
            return  # a township picked on the map stays until the operator picks again
        if s.draft.place:
            self._set(replace(s, draft=replace(s.draft, place={})))

    def _request_geocode(self, *, now: bool = False) -> None:
        service = self.service
        text = self._state.draft.address.strip()
        if service is None or not text:
            self._geocode.cancel()
            return
        ticket_id = self._state.ticket_id

        def done(place: dict[str, Any]) -> None:
            s = self._state
            if s.ticket_id != ticket_id or s.draft.address.strip() != text:
                return
            self._set_place(place, source="address")
            waiting, self._after_geocode = self._after_geocode, []
            for then in waiting:
                then()

        self._geocode.request(
            lambda: service.resolve_place(text), done, self._log("geocode"), now=now
        )

    def geocode_now(self, then: Callable[[], None] | None = None) -> None:
        """Look the address up now (Enter in the address, Ctrl+L)."""
        if then is not None:
            self._after_geocode.append(then)
        self._request_geocode(now=True)

    @property
    def geocoding(self) -> bool:
        return self._geocode.busy

    @property
    def suggesting(self) -> bool:
        """The proposals (and proposed answers) for the current text are not in yet."""
        return self._suggest.busy

    def set_jurisdiction(self, proposal: Mapping[str, Any]) -> None:
        """A township picked on the map: it becomes the place; the units are proposed again."""
        self._ensure_call()
        place = dict(self._state.draft.place)
        for key in ("district", "district_code", "township", "township_code", "lat", "lon"):
            if key in proposal:
                place[key] = proposal[key]
        if proposal.get("township_code") and not proposal.get("district_code"):
            place["district_code"] = str(proposal["township_code"])[:6]
        place["confidence"] = 1.0
        place["label"] = place_label(place.get("district"), place.get("township"))
        place["candidates"] = []
        self._set_place(place, source="map")

    def _set_place(self, place: Mapping[str, Any], *, source: str) -> None:
        place = {**place, "source": source}
        self._update(place=place)
        if place.get("district"):
            self.place_resolved.emit(PlaceFix.from_mapping(place))
        self._propose_units()
        self._request_duplicates()

    def _propose_units(self) -> None:
        service, s = self.service, self._state
        if service is None or not s.draft.category_code or s.phase is not Phase.ACTIVE:
            return
        proposal = service.propose_units(s.draft.category_code, s.draft.place)
        draft = replace(s.draft, main_unit=proposal.main, co_units=list(proposal.co))
        self._set(
            replace(s, draft=draft, unit_reasons=proposal.reasons, typed=s.typed - {"main_unit"})
        )

    # Proposals --------------------------------------------------------------------------

    def _request_suggestions(self, *, now: bool = False) -> None:
        service = self.service
        text = self._state.text
        if service is None:
            return
        if not text:
            self._suggest.cancel()
            self._set(
                replace(self._state, category_chips=(), category_unsure=False, type_chips=()),
                dirty=False,
            )
            self._run_after_suggest()
            return
        ticket_id = self._state.ticket_id

        def op() -> tuple[CategoryProposal, list[Chip]]:
            return service.category_proposal(text), service.request_type_chips(text)

        def done(result: tuple[CategoryProposal, list[Chip]]) -> None:
            if self._state.ticket_id != ticket_id:
                return
            cats, types = result
            self._set(
                replace(
                    self._state,
                    category_chips=cats.chips,
                    category_unsure=cats.mode == "none",
                    type_chips=tuple(types),
                ),
                dirty=False,
            )
            self._propose_answers()
            self._run_after_suggest()

        self._suggest.request(op, done, self._log("proposals"), now=now)

    def _run_after_suggest(self) -> None:
        waiting, self._after_suggest = self._after_suggest, []
        for then in waiting:
            then()

    @property
    def chips(self) -> list[Chip]:
        """The proposals shown, in the order of their keys (Alt+1 …)."""
        return [*self._state.category_chips, *self._state.type_chips]

    def accept_chip_number(self, number: int) -> bool:
        chips = self.chips
        if not 1 <= number <= len(chips):
            return False
        self.accept(chips[number - 1])
        return True

    def accept_top(self, then: Callable[[], None] | None = None) -> None:
        """Enter in the description: take the first category and request-type proposals for
        what is still undecided (computing them for the latest text first), then ``then()``."""

        def take() -> None:
            s = self._state
            if not s.draft.category_code and s.category_chips:
                self.accept(s.category_chips[0])
            s = self._state
            if not s.draft.request_type and s.type_chips:
                cat = self.service.category(s.draft.category_code) if self.service else None
                allowed = set(cat.request_types) if cat is not None else set()
                top = next((c for c in s.type_chips if c.value in allowed), s.type_chips[0])
                self.accept(top)
            if then is not None:
                then()

        if self.service is not None and self._suggest.busy:
            self._after_suggest.append(take)
            self._suggest.flush()
            return
        take()

    def accept(self, proposal: Any) -> bool:
        """Accept a proposal (a chip, or a transcript proposal / its dict): it fills its field
        and can be undone.  It never replaces what the operator typed in one step: the first
        accept asks (``pending_overwrite``), a second accept of the same value replaces."""
        kind, value, words = _proposal_value(proposal)
        if not value:
            return False
        self._ensure_call()
        s = self._state
        before = s.draft
        fields: tuple[str, ...]
        if kind == "category":
            code = self.service.category_code_for(value) if self.service else None
            if code is None:
                self.message.emit(
                    QCoreApplication.translate(
                        "CallSession", "分类「{0}」不在目录中，请手动选择"
                    ).format(value)
                )
                return False
            fields = ("category_code", "category_name", "urgency", "request_type")
            self.pick_category(code)
        elif kind == "request_type":
            fields = ("request_type",)
            self._update(request_type=RequestType(value).value)
        elif kind in ("phone", "address", "name"):
            name = {"phone": "phone", "address": "address", "name": "caller_name"}[kind]
            current = str(getattr(s.draft, name))
            if current and current != value and name in s.typed:
                if s.pending_overwrite != (name, value):
                    self._set(replace(s, pending_overwrite=(name, value)), dirty=False)
                    self.message.emit(
                        QCoreApplication.translate(
                            "CallSession", "已填写「{0}」：再次采用将替换为「{1}」"
                        ).format(current, value)
                    )
                    return False
            fields = (name,)
            if name == "phone":
                self.set_phone(value)
                self.commit_phone()
            else:
                self._update(**{name: value})
                if name == "address":
                    self._set_place_pending()
                    self._request_geocode(now=True)
        elif kind == "description":
            # a drafted description goes after what the operator typed, never in its place
            fields = ("description",)
            self._update(description=merge_description(s.draft.description, value))
        elif kind in ("time", "kb"):
            # the caller's words go to the notes; the description is the operator's own
            fields = ("notes",)
            line = (
                QCoreApplication.translate("CallSession", "时间：{0}").format(value)
                if kind == "time"
                else value
            )
            notes = s.draft.notes.rstrip()
            self._update(notes=f"{notes}\n{line}".strip() if notes else line)
        else:
            return False
        s = self._state
        sources = dict(s.draft.sources)
        if words:
            sources[kind] = words
        self._set(
            replace(
                s,
                draft=replace(s.draft, sources=sources),
                undo=(*s.undo, UndoStep(kind, fields, before)),
                pending_overwrite=("", ""),
            )
        )
        return True

    # Description drafted from the transcript --------------------------------------------

    def transcript_line(self, segment: int, text: str, start: float, end: float) -> None:
        """A final transcript line, or the operator's correction of one (``segment``: its row
        in the transcript): the drafted description follows.  The line is cleaned once and
        the kept sentences sorted once, cheap enough for the GUI thread (about a millisecond a
        line at most, on a call of 1,000 lines: benchmarks/bench_description_draft.py)."""
        s = self._state
        kept = transcript_line_for(text, start, end)
        lines = tuple(x for x in s.lines if x[0] != segment)
        if kept is not None:
            lines = tuple(sorted((*lines, (segment, kept)), key=lambda x: x[0]))
        if lines != s.lines:
            s = replace(s, lines=lines)
            self._state = s
        sentence = sentence_for(text, segment, start, end)
        heard = tuple(h for h in s.heard if h.segment != segment)
        if sentence is not None:
            heard = tuple(sorted((*heard, sentence), key=lambda h: h.segment))
        if heard == s.heard:
            return
        self._set(replace(s, heard=heard, description_draft=select(heard)), dirty=False)

    def accept_description_draft(self) -> bool:
        """采用 the drafted description (Alt+D): the sentences offered go after what the
        operator typed, through :meth:`accept` (so Ctrl+Shift+Z undoes it).  False when
        nothing is offered."""
        offer = self._state.description_offer
        if not offer:
            return False
        return self.accept(proposal_for(offer))

    def dismiss_description_draft(self) -> None:
        """忽略: the sentences offered now are not offered again in this call (a line heard
        later is)."""
        s = self._state
        offer = s.description_offer
        if offer:
            dismissed = s.draft_dismissed | {x.text for x in offer.sentences}
            self._set(replace(s, draft_dismissed=dismissed), dirty=False)

    def undo(self) -> bool:
        """Undo the last accepted proposal."""
        s = self._state
        if not s.undo:
            return False
        step = s.undo[-1]
        restored = {f: getattr(step.before, f) for f in step.fields}
        sources = dict(s.draft.sources)
        sources.pop(step.kind, None)
        draft = replace(s.draft, sources=sources, **restored)
        new = replace(s, draft=draft, undo=s.undo[:-1])
        if "phone" in step.fields:
            new = replace(
                new, phone_e164="", history=(), history_scope="", history_remote=frozenset()
            )
        if "category_code" in step.fields:
            code = draft.category_code
            questions = self.service.questions(code) if self.service and code else ()
            new = replace(new, questions=questions)
        if "address" in step.fields:
            new = replace(new, draft=replace(new.draft, place=dict(step.before.place)))
        self._set(new)
        if "phone" in step.fields:
            self.commit_phone()
        if "category_code" in step.fields:
            self._set_category_hint(draft.category_code)
            self._propose_units()
        return True

    def _propose_answers(self) -> None:
        """Fill the extra questions the caller's words answer; an answer the operator gave or
        changed is never replaced."""
        s = self._state
        if not s.questions or s.phase is not Phase.ACTIVE:
            return
        start = s.started_at or timeutil.now()
        answers = dict(s.draft.answers)
        prefilled = dict(s.prefilled)
        sources = dict(s.draft.sources)
        for code, (value, words) in propose_answers(s.questions, s.text, start).items():
            mine = code in answers and prefilled.get(code) != answers[code]
            if mine or answers.get(code) == value:
                continue
            answers[code] = value
            prefilled[code] = value
            sources[f"answer:{code}"] = words
        if answers != s.draft.answers:
            draft = replace(s.draft, answers=answers, sources=sources)
            self._set(replace(s, draft=draft, prefilled=prefilled))

    def search_categories(self, query: str) -> None:
        service = self.service
        if service is None:
            return
        usage, recent = dict(self.usage), list(self.recent)
        self._search.request(
            lambda: service.search(query, usage, recent),
            lambda hits: self.category_hits.emit(query, hits),
            self._log("category search"),
        )

    def suggestion_log(self) -> list[dict[str, Any]]:
        """What was proposed and what the operator chose, per kind."""
        s = self._state
        log_rows: list[dict[str, Any]] = []
        for kind, chips, chosen in (
            ("category", s.category_chips, s.draft.category_code),
            ("request_type", s.type_chips, s.draft.request_type),
        ):
            if chips:
                log_rows.append(
                    {"kind": kind, "proposed": [c.value for c in chips], "chosen": chosen}
                )
        if s.unit_reasons:
            proposed = [u for u in (s.draft.main_unit, *s.draft.co_units) if u]
            log_rows.append({"kind": "units", "proposed": proposed, "chosen": s.draft.main_unit})
        return log_rows

    # Caller history and duplicates ------------------------------------------------------

    def set_centre(self, url: str) -> None:
        """The centre's URL (a live seat): the caller's history also comes from the whole
        centre, since a citizen calling back may reach any operator in the hall."""
        self.central_url = "" if self.demo else url

    def _load_history(self, e164: str) -> None:
        """The seat's own rows at once; then, with a centre, the whole centre's (a worker,
        short timeout) merged in, or the seat's rows marked 仅本席记录 when it cannot say."""
        ws, ticket_id, url = self.workstation, self._state.ticket_id, self.central_url
        parts: dict[str, Any] = {"seat": None, "centre": None, "failed": not url}

        def show() -> None:
            s = self._state
            seat = parts["seat"]
            if s.ticket_id != ticket_id or s.phone_e164 != e164 or seat is None:
                return
            if self.demo:
                scope, merged = history_scope.LOCAL, history_scope.merge(seat, [])
            elif parts["centre"] is not None:
                scope, merged = history_scope.CENTRE, history_scope.merge(seat, parts["centre"])
            else:
                scope = history_scope.SEAT_ONLY if parts["failed"] else history_scope.CHECKING
                merged = history_scope.merge(seat, [])
            self._set(
                replace(s, history=merged.rows, history_scope=scope, history_remote=merged.remote),
                dirty=False,
            )

        def seat_done(rows: list[TicketSummary]) -> None:
            parts["seat"] = rows
            show()

        def centre_done(rows: list[TicketSummary]) -> None:
            parts["centre"] = rows
            show()

        def centre_failed(error: BaseException) -> None:
            if not isinstance(error, KnownError):
                log.error("caller history from the centre failed", exc_info=error)
            parts["failed"] = True
            show()

        self._history.request(
            lambda: ws.caller_history(e164), seat_done, self._log("caller history")
        )
        if url:
            self._centre_history.request(
                lambda: history_scope.centre_rows(url, e164), centre_done, centre_failed
            )

    def _request_duplicates(self) -> None:
        from agent_app.services.duplicate_check import MIN_TEXT_CHARS  # noqa: PLC0415

        s = self._state
        text = s.draft.description.strip()
        if s.phase is not Phase.ACTIVE or len(text) < MIN_TEXT_CHARS:
            self._duplicates.cancel()
            if s.duplicates:
                self._set(replace(s, duplicates=()), dirty=False)
            return
        place = dict(s.draft.place)
        category, phone, ticket_id = s.draft.category_code or None, s.phone_e164, s.ticket_id
        database = self.workstation.paths.database

        def op() -> Any:
            from agent_app.services import duplicate_check as dc  # noqa: PLC0415
            from agent_app.services.suggest.related import TicketRecord  # noqa: PLC0415

            record = TicketRecord(
                ticket_id=ticket_id,
                text=text,
                created_at=datetime.now(UTC),
                caller_key=dc.caller_key(phone),
                category=category,
                lat=place.get("lat"),
                lon=place.get("lon"),
                district=place.get("district") or None,
                township=place.get("township") or None,
            )
            return dc.probable_duplicates(record, dc.open_tickets(database, exclude_id=ticket_id))

        def done(hints: Any) -> None:
            cur = self._state
            if cur.ticket_id == ticket_id:
                self._set(replace(cur, duplicates=tuple(hints)), dirty=False)

        self._duplicates.request(op, done, self._log("duplicate check"))

    @property
    def checking_duplicates(self) -> bool:
        return self._duplicates.busy

    def check_duplicates_now(self) -> None:
        self._request_duplicates()
        self._duplicates.flush()

    def merge_into(self, number: str) -> None:
        self.set_merge_target(number)
        self.message.emit(
            QCoreApplication.translate(
                "CallSession", "已设为并单目标：工单 {0}；按 Ctrl+M 并单。"
            ).format(number)
        )

    def link(self, number: str) -> None:
        self.insert_answer(
            QCoreApplication.translate("CallSession", "关联工单：{0}").format(number)
        )

    # Progress and repeat calls ----------------------------------------------------------

    def tell_progress(self, number: str, text: str = "") -> bool:
        """告知进展: the caller was told where ticket ``number`` is; the call ends as handled,
        recorded on that ticket (no new ticket)."""
        return self.follow_up(FollowupKind.PROGRESS.value, number, text)

    def add_supplement(self, number: str, text: str = "") -> bool:
        """补充: what the caller adds (``text``, else the description) goes to the ticket and
        its unit; the call ends as handled."""
        return self.follow_up(FollowupKind.SUPPLEMENT.value, number, text)

    def chase(self, number: str, text: str = "") -> bool:
        """催办: the caller chases the ticket; the note (``text``, else the description) goes
        to the ticket and its unit; the call ends as handled."""
        return self.follow_up(FollowupKind.CHASE.value, number, text)

    def follow_up(self, kind: str, number: str, text: str = "") -> bool:
        """Record this call on ``number``, one of the caller's earlier tickets (the history),
        as ``kind`` (a :class:`FollowupKind` value): saved in a worker with the call's draft
        removed, then ``followed_up(ticket)``.  False (``save_failed`` says why) when not
        possible now."""
        s = self._state
        what = FollowupKind(kind)
        if s.phase is not Phase.ACTIVE:
            self.save_failed.emit(
                QCoreApplication.translate("CallSession", "本次来电已结束：按 Ctrl+N 开始下一通")
                if s.phase in (Phase.SAVING, Phase.FINISHED)
                else QCoreApplication.translate("CallSession", "尚未开始受理：按 Ctrl+N 新来电")
            )
            return False
        row = next((r for r in s.history if r.number == number), None)
        if row is None:
            self.save_failed.emit(
                QCoreApplication.translate("CallSession", "请先在来电历史中选中该来电人的工单")
            )
            return False
        words = text.strip() or s.draft.description.strip() or s.draft.notes.strip()
        if what in REACHES_UNIT and not words:
            self.save_failed.emit(
                QCoreApplication.translate(
                    "CallSession", "请先在诉求描述中记下来电人补充或催办的内容，再按「{0}」"
                ).format(followup_label(what))
            )
            self.focus_requested.emit("description")
            return False
        ws, role, demo, draft = self.workstation, self.role, self.demo, s.draft
        known = row if number in s.history_remote else None
        transcript = [line for _, line in s.lines]
        service = load_deferred("agent_app.services.followup")  # not needed before the paint

        def op() -> Ticket | followup_service.QueuedFollowUp:
            return service.record_follow_up(
                ws.db,
                number,
                what,
                text=words,
                role=role,
                actor_id=ws.operator_id,
                call_id=draft.ticket_id,
                draft_id=draft.ticket_id,
                outbox=not demo,
                known=known,
                transcript=transcript,
            )

        def done(result: Ticket | followup_service.QueuedFollowUp) -> None:
            queued = isinstance(result, service.QueuedFollowUp)
            ticket = service.stand_in(row) if queued else result
            assert isinstance(ticket, Ticket)
            self._set(
                replace(
                    self._state,
                    phase=Phase.FINISHED,
                    saved=ticket,
                    followup=what.value,
                    dirty=False,
                    undo=(),
                ),
                dirty=False,
            )
            if queued:  # another seat took the first call: the centre gets it by sync
                text = QCoreApplication.translate(
                    "CallSession",
                    "工单 {0}：已记录{1}，同步后送达中心（该工单由其他席位受理；本次来电已办结）",
                ).format(ticket.number, followup_label(what))
            else:
                text = QCoreApplication.translate(
                    "CallSession", "工单 {0}：已记录{1}（本次来电已办结，未新建工单）"
                ).format(ticket.number, followup_label(what))
            self.message.emit(text)
            self.followed_up.emit(ticket)

        def failed(error: BaseException) -> None:
            self._set(replace(self._state, phase=Phase.ACTIVE), dirty=False)
            if isinstance(error, KnownError):
                text = QCoreApplication.translate("CallSession", "未能记录{0}：{1}").format(
                    followup_label(what), error
                )
            else:
                log.error("recording a repeat call failed", exc_info=error)
                text = QCoreApplication.translate(
                    "CallSession", "未能记录{0}（程序内部错误，已记录到日志），请重试。"
                ).format(followup_label(what))
            self.save_failed.emit(text)

        self._cancel_work()
        self._set(replace(s, phase=Phase.SAVING), dirty=False)
        self.runner.run_mutation(op, done, failed, change=Change.TICKETS, owner=self)
        return True

    # Finishing --------------------------------------------------------------------------

    def transfer(self, line: str) -> bool:
        """A transfer key (F9–F12).  In a call it is recorded after a few seconds (undo with
        :meth:`cancel_transfer`); from idle the same key must be pressed again to confirm, so
        one stray key press records nothing."""
        s = self._state
        pending = s.pending_transfer
        if s.phase is not Phase.ACTIVE:
            if pending is not None and pending.line == line and not pending.confirmed:
                self._transfer_timer.stop()
                self._ensure_call()
                self._set(replace(self._state, pending_transfer=None), dirty=False)
                return self.finish(Outcome.TRANSFERRED, line)
            self._set(replace(s, pending_transfer=PendingTransfer(line, False)), dirty=False)
            self._transfer_timer.start(IDLE_CONFIRM_MS)
            return False
        self._set(replace(s, pending_transfer=PendingTransfer(line, True)), dirty=False)
        self._transfer_timer.start(self.transfer_undo_ms)
        return True

    def cancel_transfer(self) -> bool:
        if self._state.pending_transfer is None:
            return False
        self._transfer_timer.stop()
        self._set(replace(self._state, pending_transfer=None), dirty=False)
        return True

    def commit_transfer(self) -> bool:
        """Record a pending transfer now (the undo time is not waited for)."""
        pending = self._state.pending_transfer
        if pending is None or not pending.confirmed:
            return False
        self._transfer_timer.stop()
        self._set(replace(self._state, pending_transfer=None), dirty=False)
        return self.finish(Outcome.TRANSFERRED, pending.line)

    def _transfer_due(self) -> None:
        pending = self._state.pending_transfer
        if pending is None:
            return
        if pending.confirmed:
            self.commit_transfer()
        else:
            self._set(replace(self._state, pending_transfer=None), dirty=False)

    def finish(self, outcome: Outcome, detail: str = "") -> bool:
        """End the call with ``outcome``: saved in a worker, then ``finished(ticket)``.  False
        (with ``problems_changed`` / ``save_failed`` telling why) when not possible."""
        s = self._state
        if s.phase is Phase.SAVING:
            return False
        if s.phase is not Phase.ACTIVE:
            if outcome is not Outcome.ANSWERED:
                self.save_failed.emit(
                    QCoreApplication.translate("CallSession", "尚未开始受理：按 Ctrl+N 新来电")
                )
                return False
            self._ensure_call()
            s = self._state
        if outcome is Outcome.DISPATCHED and self.service is None:
            self.save_failed.emit(
                QCoreApplication.translate("CallSession", "正在加载分类目录和地址库，请稍候再派单")
            )
            return False
        problems = self.problems(outcome)
        if problems:
            self.problems_changed.emit(tuple(problems))
            self.focus_requested.emit(problems[0].field)
            return False
        at = timeutil.now()
        service = self.service
        draft = s.draft
        due = (
            service.due(at, draft.urgency)
            if outcome is Outcome.DISPATCHED and service is not None
            else None
        )
        ws, role, demo = self.workstation, self.role, self.demo
        suggestions = self.suggestion_log()
        version = service.model_version if service is not None else ""
        transcript = [line for _, line in s.lines]

        def build(number: str) -> Ticket:
            return build_ticket(
                draft,
                outcome,
                at=at,
                seat=ws.seat,
                operator_id=ws.operator_id,
                role=role,
                number=number,
                due=due,
                detail=detail,
                is_demo=demo,
            )

        def op() -> Ticket:
            return ws.finish_intake(
                build,
                draft_id=draft.ticket_id,
                suggestions=suggestions,
                model_version=version,
                transcript=transcript,
            )

        def done(ticket: Ticket) -> None:
            if ticket.category_code:
                self.usage[ticket.category_code] = self.usage.get(ticket.category_code, 0) + 1
                recent = [c for c in self.recent if c != ticket.category_code]
                self.recent = [ticket.category_code, *recent][:10]
            self._set(
                replace(self._state, phase=Phase.FINISHED, saved=ticket, dirty=False, undo=()),
                dirty=False,
            )
            self.finished.emit(ticket)

        def failed(error: BaseException) -> None:
            self._set(replace(self._state, phase=Phase.ACTIVE), dirty=False)
            if isinstance(error, KnownError):
                text = QCoreApplication.translate(
                    "CallSession", "保存失败：{0}。表单内容仍在，请重试。"
                ).format(error)
            else:
                log.error("finishing the call failed", exc_info=error)
                text = QCoreApplication.translate(
                    "CallSession",
                    "保存失败（程序内部错误，已记录到日志）。表单内容仍在，请重试或联系技术支持。",
                )
            self.save_failed.emit(text)

        self._cancel_work()
        self._set(replace(s, phase=Phase.SAVING), dirty=False)
        self.runner.run_mutation(op, done, failed, change=Change.TICKETS, owner=self)
        return True

    def answer_directly(self, article_id: str, answer_text: str) -> bool:
        """The knowledge-base answer was read out: record it and end as answered directly."""
        self._ensure_call()
        self.insert_answer(answer_text, article_id)
        if not self._state.draft.request_type:
            self._update(request_type=RequestType.CONSULT.value)
        return self.finish(Outcome.ANSWERED)

    # Drafts -----------------------------------------------------------------------------

    def save_draft(self) -> None:
        """Write the call's draft now (autosave, focus change, Ctrl+S, a new call)."""
        s = self._state
        if s.phase is not Phase.ACTIVE or self._saving_draft:
            return
        if not s.draft.has_content():
            self._set(replace(s, dirty=False), dirty=False)
            return
        self._set(replace(s, dirty=False), dirty=False)
        self._saving_draft = True
        ws, draft = self.workstation, s.draft
        payload = draft.to_payload()

        def done(_result: object) -> None:
            self._saving_draft = False
            self.draft_saved.emit(draft.ticket_id)

        def failed(error: BaseException) -> None:
            self._saving_draft = False
            if self._state.ticket_id == draft.ticket_id:
                self._set(replace(self._state, dirty=True), dirty=False)
            self.save_failed.emit(
                QCoreApplication.translate(
                    "CallSession", "草稿自动保存失败（{0}），请检查磁盘空间；表单内容仍在。"
                ).format(error)
            )

        self.runner.run_mutation(
            lambda: ws.save_draft(draft.ticket_id, payload),
            done,
            failed,
            change=Change.DRAFTS,
            owner=self,
        )

    # Helpers ----------------------------------------------------------------------------

    @staticmethod
    def _log(what: str) -> Callable[[BaseException], None]:
        def failed(error: BaseException) -> None:
            log.warning("%s unavailable: %s", what, type(error).__name__)

        return failed

    def elapsed_seconds(self) -> float:
        started = self._state.started_at
        return 0.0 if started is None else (timeutil.now() - started).total_seconds()

    def channel(self) -> Channel:
        return Channel(self._state.draft.channel or Channel.PHONE.value)


def followup_label(kind: FollowupKind) -> str:
    """告知进展 / 补充 / 催办, in the interface language."""
    labels = {
        FollowupKind.PROGRESS: QCoreApplication.translate("CallSession", "告知进展"),
        FollowupKind.SUPPLEMENT: QCoreApplication.translate("CallSession", "补充"),
        FollowupKind.CHASE: QCoreApplication.translate("CallSession", "催办"),
    }
    return labels[kind]


__all__ = [
    "CallSession",
    "CallState",
    "Phase",
    "PendingTransfer",
    "Problem",
    "ProblemCode",
    "UndoStep",
]
