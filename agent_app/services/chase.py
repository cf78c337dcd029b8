"""催办 from the lead's desk: a chase event on each chosen ticket, with a note to its unit.

The same rules and the same way in as ``agent-app ticket chase NUMBER --text T``:

* at the centre (:class:`CentralChase`, when the desk reads the centre): one
  ``central.follow_up(seat, key, number, 'chase', text, at)`` per ticket, as the lead's login;
  the centre appends the event wherever the ticket was taken (the unit sees it in
  ``central.unit_tickets``, ``agent-app unit list``) or refuses with a one-line reason;
* at the seat (:class:`SeatChase`: the desk reads the seat's copy, or the centre cannot be
  reached): :func:`agent_app.services.followup.record_follow_up`, the event and one outbox
  row in one write for a ticket the seat holds, else the chase queued for
  ``central.follow_up``; ``agent-app sync`` delivers either, and a refusal by the centre
  then shows as undelivered (未送达) with its reason in the sync status, and on the ticket's
  row of the 超时预警 list (:class:`MarkUndelivered` reads the seat's undelivered records with
  the rows); :meth:`SeatChase.resend` is the way out ``agent-app sync --resend`` offers (the
  change queued again under a new key, delivered by the next sync).

Each ticket gets a :class:`ChaseResult`: ``sent`` (at the centre), ``queued`` (at the seat,
waiting for the sync), ``recorded`` (a demo seat: kept here, never synced) or ``refused``
with its reason (未送达).  Nothing here logs the note (it may name people and places).
No Qt.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from agent_app.domain import timeutil
from agent_app.domain.followup import FollowupKind, chases, follow_up_words
from agent_app.errors import KnownError, UnreachableError

if TYPE_CHECKING:
    from agent_app.paths import DataPaths
    from agent_app.services.followup import Actor
    from agent_app.services.review import ReviewFilter, ReviewPage
    from agent_app.storage.central.connect import CentralTarget, PasswordLookup
    from agent_app.storage.central.link import CentralLink
    from agent_app.storage.db import Database

log = logging.getLogger("agent_app.services")

CHASE_AGAIN = timedelta(hours=2)
"""A second chase of a ticket within this time asks the lead to confirm."""
OUTCOMES = ("sent", "queued", "recorded", "refused")
_CHASES_SQL = (
    "SELECT count(*) FROM central.ticket_events e JOIN central.tickets t ON t.id = e.ticket_id "
    "WHERE t.number = %s AND e.kind = 'chase'"
)


@dataclass(frozen=True)
class ChaseResult:
    """What became of the chase of one ticket."""

    number: str
    outcome: str  # one of OUTCOMES
    reason: str = ""  # why it was refused (one line)
    at: datetime | None = None  # when the chase was recorded (None: refused)
    chases: int = 0  # the ticket's chases with this one, when known (0: not known)

    @property
    def delivered(self) -> bool:
        """Recorded somewhere (the centre or the seat): not refused."""
        return self.outcome != "refused"


def chased_recently(
    last_chase: str | datetime | None, now: datetime, within: timedelta = CHASE_AGAIN
) -> bool:
    """Whether the ticket was chased less than ``within`` before ``now``."""
    if not last_chase:
        return False
    at = last_chase if isinstance(last_chase, datetime) else datetime.fromisoformat(last_chase)
    if at.tzinfo is None:
        at = at.replace(tzinfo=timeutil.SHANGHAI)
    return now - at < within


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


class SeatChase:
    """Through the seat, as ``agent-app ticket chase`` does: the seat's central login acts
    (``actor``: a demo window's operator and role, whose data never syncs)."""

    def __init__(
        self,
        db: Database,
        paths: DataPaths,
        *,
        actor: Actor | None = None,
        clock: Callable[[], datetime] = timeutil.now,
    ) -> None:
        self.db = db
        self.paths = paths
        self.actor = actor
        self.clock = clock

    def chase(self, numbers: Sequence[str], text: str) -> list[ChaseResult]:
        from agent_app.services import followup  # noqa: PLC0415 - the ORM, on first use

        follow_up_words(FollowupKind.CHASE, text)  # an empty or too long note: nothing done
        try:
            login, role = followup.seat_login(self.paths, self.actor)
        except KnownError as exc:
            return [ChaseResult(n, "refused", _first_line(exc)) for n in numbers]
        demo = self.paths.is_demo
        out = []
        for number in numbers:
            at = self.clock()
            try:
                done = followup.record_follow_up(
                    self.db, number, FollowupKind.CHASE, text=text, role=role, actor_id=login,
                    outbox=not demo, now=at,
                )  # fmt: skip
            except KnownError as exc:
                out.append(ChaseResult(number, "refused", _first_line(exc)))
                continue
            if isinstance(done, followup.QueuedFollowUp):
                out.append(ChaseResult(number, "queued", at=at))
            else:
                outcome = "recorded" if demo else "queued"
                out.append(ChaseResult(number, outcome, at=at, chases=chases(done)))
        log.info(
            "chase at the seat: %d tickets, %d refused",
            len(out),
            sum(1 for r in out if not r.delivered),
        )
        return out

    def undelivered(self) -> dict[str, str]:
        """The seat's undelivered records (未送达) by ticket number: the reason of the first
        change the centre refused (or the seat could not send), as the sync status lists them."""
        from agent_app.storage import repository as repo  # noqa: PLC0415 - the ORM, on first use

        with self.db.read() as s:
            return {str(u["number"]): str(u["reason"] or "") for u in repo.undelivered(s)}

    def resend(self, numbers: Sequence[str]) -> list[ChaseResult]:
        """Queue the undelivered change of each ticket again, as ``agent-app sync --resend``
        does (a chase queued for a ticket held elsewhere goes again under a new key; a ticket
        this seat holds goes with its current state): ``queued``, or ``refused`` with why
        (nothing undelivered, or the ticket still breaks a rule here)."""
        from agent_app.storage import repository as repo  # noqa: PLC0415 - the ORM, on first use

        with self.db.read() as s:
            ids = {str(u["number"]): str(u["ticket_id"]) for u in repo.undelivered(s)}
        out = []
        for number in numbers:
            ticket_id = ids.get(number)
            if ticket_id is None:
                out.append(ChaseResult(number, "refused", "nothing undelivered to send again"))
                continue
            at = self.clock()
            try:
                with self.db.write() as s:
                    repo.resend(s, ticket_id, at)
            except KnownError as exc:
                out.append(ChaseResult(number, "refused", _first_line(exc)))
                continue
            out.append(ChaseResult(number, "queued", at=at))
        log.info(
            "resend at the seat: %d tickets, %d refused",
            len(out),
            sum(1 for r in out if not r.delivered),
        )
        return out


class MarkUndelivered:
    """A review source whose rows also carry the seat's undelivered record (未送达) and its
    reason (``read``: :meth:`SeatChase.undelivered`), read with each page: a chase the centre
    refused at sync time shows on its row, not only in the sync status."""

    def __init__(self, source: Any, read: Callable[[], dict[str, str]]) -> None:
        self.source = source
        self.read = read
        self.partial: bool = source.partial

    def page(self, flt: ReviewFilter, *, limit: int, after: str | None) -> ReviewPage:
        page = self.source.page(flt, limit=limit, after=after)
        marks = self.read()
        if not marks and not any(r.undelivered for r in page.rows):
            return page
        rows = tuple(replace(r, undelivered=marks.get(r.number, "")) for r in page.rows)
        return replace(page, rows=rows)


class CentralChase:
    """At the centre as the lead's login (``central.follow_up``, ``seat`` the seat's id);
    when the centre cannot be reached, through ``fallback`` (the seat's outbox)."""

    def __init__(
        self,
        target: CentralTarget,
        seat: str,
        *,
        fallback: SeatChase | None = None,
        password_lookup: PasswordLookup | None = None,
        clock: Callable[[], datetime] = timeutil.now,
        link: CentralLink | None = None,
    ) -> None:
        self.link = link
        """The desk's reused connections (None: a new connection per chase); a chase is
        never sent twice, on a broken connection either."""
        self.target = target
        self.seat = seat
        self.fallback = fallback
        self.password_lookup = password_lookup
        self.clock = clock

    def _offline(self, numbers: Sequence[str], text: str, why: str) -> list[ChaseResult]:
        if self.fallback is None:
            raise UnreachableError(f"the centre {self.target.display} cannot be reached ({why})")
        log.warning("chase: the centre cannot be reached; through the seat's outbox")
        return self.fallback.chase(numbers, text)

    def chase(self, numbers: Sequence[str], text: str) -> list[ChaseResult]:
        import psycopg  # noqa: PLC0415 - only at the centre

        from agent_app.storage.central.connect import connect  # noqa: PLC0415

        words = follow_up_words(FollowupKind.CHASE, text)
        kw: dict[str, Any] = {}
        if self.password_lookup is not None:
            kw["password_lookup"] = self.password_lookup
        link = self.link
        try:
            conn = link.take() if link is not None else connect(self.target, **kw)
        except psycopg.OperationalError as exc:
            return self._offline(numbers, text, _first_line(exc))
        out: list[ChaseResult] = []
        try:
            for i, number in enumerate(numbers):
                at = self.clock()
                try:
                    row = conn.execute(
                        "SELECT central.follow_up(%s, %s, %s, 'chase', %s, %s, '')",
                        (self.seat, str(uuid.uuid4()), number, words, at),
                    ).fetchone()
                except psycopg.OperationalError:
                    # The answer is lost: whether the centre recorded this one is not known,
                    # so it is not sent again on its own; the rest go through the seat.
                    out.append(
                        ChaseResult(
                            number,
                            "refused",
                            "the connection to the centre broke; open the ticket to see "
                            "whether this chase arrived",
                        )
                    )
                    rest = list(numbers[i + 1 :])
                    if rest:
                        out += self._offline(rest, text, "connection lost")
                    break
                except psycopg.Error as exc:  # a refusal of the login or the seat id
                    out.append(ChaseResult(number, "refused", _first_line(exc)))
                    continue
                result = (row[0] if row else None) or {}
                if result.get("status") == "applied":
                    count = conn.execute(_CHASES_SQL, (number,)).fetchone()
                    n = int(count[0] or 0) if count else 0
                    out.append(ChaseResult(number, "sent", at=at, chases=n))
                else:
                    reason = str((result.get("detail") or {}).get("reason") or "refused")
                    out.append(ChaseResult(number, "refused", reason))
        finally:
            if link is not None:
                link.give(conn)
            else:
                conn.close()
        log.info(
            "chase at the centre: %d tickets, %d refused",
            len(out),
            sum(1 for r in out if not r.delivered),
        )
        return out
