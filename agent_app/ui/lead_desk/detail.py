"""The desk's ticket detail: the seat's copy, else the centre's ticket (a lead reads every
ticket of the city there).  Every opening is written to the seat's audit trail first, as the
ticket detail does for a lead.  With the centre as source, the calls' transcripts the centre
holds are read on a worker after the detail is shown (offline: the detail at once, then a
notice): the first call's when this seat did not take it, so the scorecard can point at a
moment of it, and the repeat calls of every seat."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QObject

from agent_app.domain.roles import Role
from agent_app.domain.ticket import Ticket
from agent_app.services.call_transcripts import CallTranscript
from agent_app.services.ticket_detail import TicketDetail
from agent_app.services.workstation import Workstation
from agent_app.ui.ticket_detail import DetailState, TicketDetailPresenter
from agent_app.ui.worklists_actions import FollowupActions
from agent_app.workers.tasks import Change, TaskRunner

log = logging.getLogger("agent_app.ui")


class DeskDetailPresenter(TicketDetailPresenter):
    """:class:`TicketDetailPresenter` that falls back to ``central`` (a ticket id → the
    centre's ticket, or None) when the seat does not hold the ticket, and the calls'
    transcripts from ``transcript`` (a ticket id → the centre's calls): the first call's when
    the seat has none saved, and every seat's repeat calls."""

    def __init__(
        self,
        runner: TaskRunner,
        workstation: Workstation,
        parent: QObject | None = None,
        *,
        actions: FollowupActions | None = None,
        central: Callable[[str], Ticket | None] | None = None,
        transcript: Callable[[str], list[CallTranscript]] | None = None,
    ) -> None:
        super().__init__(runner, workstation, Role.LEAD, parent, actions=actions)
        self.central = central
        self.transcript = transcript
        self.from_centre = False

    def _loaded(self, ticket_id: str, detail: TicketDetail | None) -> None:
        super()._loaded(ticket_id, detail)  # shown at once; the centre's calls follow
        source = self.transcript
        if source is None or detail is None:
            return
        if self.state.ticket_id != ticket_id or self.state.detail is not detail:
            return

        def current() -> bool:
            return self.state.ticket_id == ticket_id and self.state.detail is not None

        def arrived(calls: list[CallTranscript]) -> None:
            shown = self.state.detail
            if not current() or shown is None or not calls:
                return
            first = next((c.lines for c in calls if not c.call_id), ())
            repeat = tuple(c for c in calls if c.call_id)
            self._set(
                replace(
                    self.state,
                    detail=replace(
                        shown,
                        transcript=shown.transcript or tuple(first),
                        repeat_calls=repeat or shown.repeat_calls,
                    ),
                )
            )

        def failed(error: BaseException) -> None:  # the detail stays, without the words
            log.warning("the centre's transcripts were not read: %s", type(error).__name__)
            if current():
                text = QCoreApplication.translate(
                    "LeadDesk", "未能从中心读取通话记录，请稍后重新打开"
                )
                self._set(replace(self.state, notice=text, notice_error=True))

        self.runner.run_query(  # the centre's calls, on a reader
            lambda: source(detail.ticket.id), arrived, failed, owner=self
        )

    def _read(self, ticket_id: str, *, opening: bool = False) -> None:
        if self.central is None:
            self.from_centre = False
            super()._read(ticket_id, opening=opening)
            return
        self._set(DetailState(ticket_id=ticket_id, loading=True))
        ws, central = self.workstation, self.central

        def seat_read(detail: TicketDetail | None) -> None:
            if detail is not None or ticket_id != self.state.ticket_id:
                self.from_centre = False
                self._loaded(ticket_id, detail)
                return
            # Not at the seat: the centre's copy, on a reader (never the seat's writer).
            self.runner.run_query(
                lambda: central(ticket_id),
                lambda ticket: self._centre_read(ticket_id, ticket),
                lambda error: self._failed(ticket_id, error),
                owner=self,
            )

        if not opening:  # a reload after an action: read again, not audited again
            self.runner.run_query(
                lambda: ws.ticket_detail(ticket_id),
                seat_read,
                lambda error: self._failed(ticket_id, error),
                owner=self,
            )
            return
        self.runner.run_mutation(  # a lead's every opening: audited before it is shown
            lambda: ws.ticket_detail_audited(ticket_id, Role.LEAD.value),
            seat_read,
            lambda error: self._failed(ticket_id, error),
            change=Change.AUDIT,
            owner=self,
        )

    def _centre_read(self, ticket_id: str, ticket: Ticket | None) -> None:
        self.from_centre = ticket is not None
        self._loaded(ticket_id, TicketDetail(ticket) if ticket is not None else None)
