"""The seat's data services as one Qt-free facade that the UI calls through workers.

Opening the database (and importing SQLAlchemy, 0.3 s) happens on first use, in the worker
thread that needs it, so the window paints before the ORM is loaded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from agent_app.deferred import load as load_deferred
from agent_app.domain import timeutil
from agent_app.paths import DataPaths
from agent_app.storage import readmodel

if TYPE_CHECKING:
    from agent_app.domain.call_transcript import TranscriptLine
    from agent_app.domain.summary import TicketSummary
    from agent_app.domain.ticket import Ticket
    from agent_app.services.ticket_detail import TicketDetail
    from agent_app.services.ticket_search import SearchQuery, SearchResult, TicketSearcher
    from agent_app.services.undelivered import Delivery, UndeliveredItem
    from agent_app.storage.db import Database


class Undelivered(NamedTuple):
    """A ticket whose change did not reach the centre, and why (a reason code)."""

    ticket_id: str
    number: str
    reason: str


class Workstation:
    """Data access for one seat: tickets, drafts, history, outbox state."""

    def __init__(
        self,
        paths: DataPaths,
        *,
        seat: str,
        operator_id: str,
        demo: bool,
        nominatim_url: str = "",
    ) -> None:
        """``nominatim_url``: the seat's self-hosted Nominatim for intake ("" = offline)."""
        self.paths = paths
        self.seat = seat
        self.operator_id = operator_id
        self.demo = demo
        self.nominatim_url = "" if demo else nominatim_url
        self._db: Database | None = None
        self._searcher: TicketSearcher | None = None
        self._lock = threading.Lock()

    @property
    def db(self) -> Database:
        with self._lock:
            if self._db is None:
                from agent_app.storage.seat import open_database  # noqa: PLC0415 - lazy ORM

                self._db = open_database(self.paths)
            return self._db

    def _ready_for_reads(self) -> None:
        """Plain-SQL reads need the schema at head; only open the ORM (0.3 s of imports,
        contending with the first paint) when the cheap revision check says it is not."""
        from agent_app.storage import schema  # noqa: PLC0415 - light: alembic stays lazy

        if schema.check(self.paths.database) != "current":
            self.db  # noqa: B018 - opening migrates

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            if self._db is not None:
                self._db.dispose()
                self._db = None

    # Reads -------------------------------------------------------------------------------

    def today_tickets(
        self, now: datetime | None = None, *, mine: bool = True
    ) -> list[TicketSummary]:
        now = now or timeutil.now()
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        self._ready_for_reads()
        return readmodel.tickets_between(
            self.paths.database,
            start,
            start + timedelta(days=1),
            operator_id=self.operator_id if mine else None,
        )

    def caller_history(self, phone_e164: str) -> list[TicketSummary]:
        """This caller's tickets, open ones first."""
        self._ready_for_reads()
        return readmodel.caller_history(self.paths.database, phone_e164)

    def search_tickets(self, query: SearchQuery) -> SearchResult:
        """工单查询: one page of the seat's tickets matching ``query`` and the total, on the
        seat's search connection (its page cache makes the next search fast)."""
        self._ready_for_reads()
        with self._lock:
            if self._searcher is None:
                search = load_deferred("agent_app.services.ticket_search")  # first search
                self._searcher = search.TicketSearcher(self.paths.database)
            searcher = self._searcher
        return searcher.search(query)

    def ticket_detail(self, ticket_id: str) -> TicketDetail | None:
        """The ticket with its events and its related tickets (detail view)."""
        ticket = self.ticket(ticket_id)
        if ticket is None:
            return None
        detail = load_deferred("agent_app.services.ticket_detail")  # first detail view
        result: TicketDetail = detail.TicketDetail(
            ticket,
            detail.related_tickets(self.paths.database, ticket),
            detail.transcript_lines(self.paths.database, ticket.id),
            detail.repeat_call_lines(self.paths.database, ticket.number),
        )
        return result

    def ticket_detail_audited(self, ticket_id: str, role: str) -> TicketDetail | None:
        """:meth:`ticket_detail` after storing the opening on the audit trail (a lead's view)."""
        self.audit("view_ticket", role, ticket_id, "ticket detail opened", field="ticket")
        return self.ticket_detail(ticket_id)

    def ticket(self, ticket_id: str) -> Ticket | None:
        from agent_app.storage import repository as repo  # noqa: PLC0415

        with self.db.read() as s:
            return repo.get_ticket(s, ticket_id)

    def category_usage(self, days: int = 90) -> tuple[dict[str, int], list[str]]:
        """This operator's category picks (counts, recent first) for the type-ahead."""
        from agent_app.storage import repository as repo  # noqa: PLC0415

        since = timeutil.now() - timedelta(days=days)
        with self.db.read() as s:
            return repo.category_usage(s, self.operator_id, since)

    def pending_outbox(self) -> int:
        self._ready_for_reads()
        return readmodel.pending_outbox(self.paths.database)

    def undelivered(self) -> list[Undelivered]:
        """Tickets with a change that did not reach the centre ("未送达"), oldest first:
        the centre refused it or it was not valid here.  Each waits for :meth:`resend`
        (after correcting the ticket) or :meth:`renumber`; nothing else it blocks."""
        from agent_app.storage import repository as repo  # noqa: PLC0415

        with self.db.read() as s:
            return [
                Undelivered(u["ticket_id"], u["number"], u["reason"]) for u in repo.undelivered(s)
            ]

    def undelivered_items(
        self, acted: Sequence[str] = ()
    ) -> tuple[list[UndeliveredItem], dict[str, Delivery]]:
        """The undelivered list as the window shows it (kind, when refused, the ticket to
        open, whether a new number cures it) and, in the same read, where the changes sent
        again under the ``acted`` keys stand now (services.undelivered)."""
        from agent_app.services import undelivered  # noqa: PLC0415 - the ORM, on first use

        with self.db.read() as s:
            return undelivered.undelivered_items(s), undelivered.deliveries(s, acted)

    def undelivered_count(self) -> int:
        """How many tickets are undelivered (plain SQL, no ORM: for the status bar)."""
        self._ready_for_reads()
        return readmodel.undelivered_count(self.paths.database)

    def drafts(self) -> list[tuple[str, datetime, dict[str, Any]]]:
        from agent_app.storage import repository as repo  # noqa: PLC0415

        with self.db.read() as s:
            return repo.load_drafts(s, self.seat)

    # Writes ------------------------------------------------------------------------------

    def seed_demo(self) -> int:
        """Seed the demo week unless done already (checked without loading the ORM)."""
        if self.paths.database.exists() and (
            readmodel.state_value(self.paths.database, readmodel.SEEDED_KEY) is not None
        ):
            return 0
        from agent_app.services.seeding import seed_demo  # noqa: PLC0415

        report = seed_demo(self.db, seat=self.seat)
        return report.total

    def next_number(self, day: datetime) -> str:
        from agent_app.storage import repository as repo  # noqa: PLC0415

        with self.db.write() as s:
            return str(repo.next_number(s, self.seat, day.date()))

    def save_ticket(self, ticket: Ticket, *, draft_id: str | None = None) -> Ticket:
        """One transaction: ticket + events + outbox row; the draft goes."""
        from agent_app.storage import repository as repo  # noqa: PLC0415

        with self.db.write() as s:
            return repo.save_ticket(s, ticket, draft_id=draft_id, outbox=not self.demo)

    def finish_intake(
        self,
        build: Callable[[str], Ticket],
        *,
        draft_id: str | None,
        suggestions: Sequence[dict[str, Any]] = (),
        model_version: str = "",
        transcript: Sequence[TranscriptLine] = (),
    ) -> Ticket:
        """One transaction: allocate the ticket number, ``build(number)`` the ticket, save it
        with its events and outbox row and the call's ``transcript`` (redacted, queued for
        the centre), log the proposals and the operator's choices, and delete the draft."""
        from agent_app.storage import repository as repo  # noqa: PLC0415

        now = timeutil.now()
        with self.db.write() as s:
            number = repo.next_number(s, self.seat, now.date())
            ticket = build(str(number))
            repo.save_ticket(s, ticket, draft_id=draft_id, outbox=not self.demo)
            if transcript:  # queued for the centre after the ticket's own change
                repo.save_transcript(s, ticket.id, list(transcript), queue=not self.demo, now=now)
            if ticket.merged_into:  # the original records the merged call (both sides)
                from agent_app.services.followup import record_merge  # noqa: PLC0415

                ticket = record_merge(s, ticket, outbox=not self.demo)
            for entry in suggestions:
                repo.log_suggestion(
                    s,
                    at=now,
                    ticket_id=ticket.id,
                    kind=str(entry["kind"]),
                    proposed=[str(p) for p in entry.get("proposed", ())],
                    chosen=str(entry.get("chosen", "")),
                    model_version=model_version,
                )
            return ticket

    def resend(self, ticket_id: str) -> None:
        """Send an undelivered ticket again with its current (corrected) state, as
        ``agent-app sync --resend`` does (services.undelivered.send_again); raises
        :class:`~agent_app.storage.repository.InvalidTicketError` while it still breaks a rule."""
        from agent_app.services.undelivered import send_again  # noqa: PLC0415 - the ORM

        with self.db.write() as s:
            send_again(s, ticket_id, seat=self.seat, now=timeutil.now())

    def renumber(self, ticket_id: str) -> str:
        """Give an undelivered ticket (never accepted by the centre) a new number of this
        seat and send it again, as ``agent-app sync --renumber`` does; returns the new number."""
        from agent_app.services.undelivered import send_again  # noqa: PLC0415 - the ORM

        with self.db.write() as s:
            return send_again(s, ticket_id, seat=self.seat, now=timeutil.now(), renumber=True)

    def suggestion_log(self, ticket_id: str) -> list[dict[str, Any]]:
        from agent_app.storage import repository as repo  # noqa: PLC0415

        with self.db.read() as s:
            return repo.suggestion_log(s, ticket_id)

    def save_draft(self, draft_id: str, payload: dict[str, Any]) -> None:
        from agent_app.storage import repository as repo  # noqa: PLC0415

        with self.db.write() as s:
            repo.save_draft(s, draft_id, self.seat, payload, timeutil.now())

    def delete_draft(self, draft_id: str) -> None:
        from agent_app.storage import repository as repo  # noqa: PLC0415

        with self.db.write() as s:
            repo.delete_draft(s, draft_id)

    def audit(
        self, action: str, role: str, ticket_id: str = "", detail: str = "", field: str = ""
    ) -> None:
        """One access to personal data, on the seat's hash-chained trail (services.audit)."""
        from agent_app.services import audit  # noqa: PLC0415

        audit.record_access(
            self.db,
            action=action,
            ticket_id=ticket_id,
            field=field,
            actor=self.operator_id,
            role=role,
            reason=detail,
        )
