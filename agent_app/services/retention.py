"""Retention purge at the seat: callers' data of closed tickets, delivered outbox copies, old
drafts (``agent-app db purge``; the policy in ``knowledge_base/retention.toml``).

What is removed is exactly what the policy names:

* the caller columns (``caller_fields``) of each ticket whose status is one of
  ``closed_statuses`` and whose last change is older than ``caller_days``, together with the
  caller in its sync shadow (the merge base: the centre's copy as the seat last saw it);
* the caller in the payload of every outbox row the centre acknowledged
  (``strip_delivered_outbox``);
* drafts not saved for ``draft_days``;
* in the words of each ticket whose caller is erased (its description, notes, outcome
  detail, address, its events' texts, reasons and callback words, its shadow, its outbox
  payloads, its conflicts), the caller's name and numbers, masked first with the caller as it
  was (``mask_caller_in_text``: the same rule as the centre's purge);
* the transcript of each such ticket's calls (its first call and its repeat calls), and the
  transcript of a repeat call on a ticket another seat holds once the centre acknowledged it
  and it is older than ``caller_days`` (the words name people and places).

Never touched: a ticket in an open status, a ticket with any outbox row not acknowledged
(pending or undelivered), a ticket the centre never had (``server_version`` unset), the
audit trail.  The purge runs with ``PRAGMA secure_delete=ON``, then checkpoints the WAL
(TRUNCATE) and VACUUMs, so the erased values are gone from the file's pages, not only
from its rows.
"""

from __future__ import annotations

import json
import logging
import tomllib
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import String, and_, delete, exists, select, type_coerce, update

from agent_app.domain import timeutil
from agent_app.domain.lifecycle import TERMINAL, Status
from agent_app.domain.privacy import (
    mask_caller_in_event_data,
    mask_caller_in_text,
    mask_caller_in_ticket_data,
)
from agent_app.errors import ConfigError
from agent_app.paths import PROJECT_DIR, DataPaths, knowledge_base_dir
from agent_app.storage import cipher
from agent_app.storage.db import BUSY_TIMEOUT_MS, Database
from agent_app.storage.models import (
    ConflictRow,
    DraftRow,
    EventRow,
    FollowupTranscriptLineRow,
    OutboxRow,
    SyncShadowRow,
    SyncStateRow,
    TicketRow,
    TranscriptLineRow,
)
from agent_app.storage.repository import TRANSCRIPT_OP

log = logging.getLogger("agent_app.retention")

POLICY_FILE = "retention.toml"
CALLER_COLUMNS = {"caller_name": "", "caller_phone": "", "caller_phones": []}
CLOSABLE = frozenset({*TERMINAL, Status.MERGED_DUPLICATE})
MIN_LOG_MONTHS = 6
MIN_RECORD_YEARS = 3


@dataclass(frozen=True)
class RetentionPolicy:
    caller_days: int = 90
    caller_fields: tuple[str, ...] = tuple(CALLER_COLUMNS)
    closed_statuses: tuple[str, ...] = tuple(sorted(CLOSABLE))
    strip_delivered_outbox: bool = True
    draft_days: int = 30
    log_months: int = MIN_LOG_MONTHS
    processing_record_years: int = MIN_RECORD_YEARS
    source: str = ""
    # [centre] caller_days: the centre's purge (agent-app central purge,
    # services/central_retention.py); absent from the file, the seat's caller_days.
    centre_caller_days: int = 90


def _whole(value: Any, name: str, where: str, minimum: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ConfigError(f"{where}: {name} must be a whole number of at least {minimum}.")
    return value


def parse_policy(text: str, where: str) -> RetentionPolicy:
    """The policy in TOML ``text`` (``where`` names it in errors); refuses what is unsafe."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where} is not valid TOML ({exc}); fix or remove it.") from None
    seat, centre = doc.get("seat", {}), doc.get("centre", {})
    default = RetentionPolicy()
    fields = tuple(seat.get("caller_fields", default.caller_fields))
    unknown = [f for f in fields if f not in CALLER_COLUMNS]
    if unknown or not fields:
        raise ConfigError(
            f"{where}: caller_fields may name only {', '.join(CALLER_COLUMNS)} "
            f"(not {', '.join(map(str, unknown)) or 'nothing'})."
        )
    statuses = tuple(seat.get("closed_statuses", default.closed_statuses))
    open_ones = [s for s in statuses if s not in {c.value for c in CLOSABLE}]
    if open_ones:
        raise ConfigError(
            f"{where}: closed_statuses may name only closed statuses; "
            f"{', '.join(map(str, open_ones))} is not one."
        )
    strip = seat.get("strip_delivered_outbox", default.strip_delivered_outbox)
    if not isinstance(strip, bool):
        raise ConfigError(f"{where}: strip_delivered_outbox must be true or false.")
    caller_days = _whole(seat.get("caller_days", default.caller_days), "caller_days", where)
    return RetentionPolicy(
        caller_days=caller_days,
        centre_caller_days=_whole(
            centre.get("caller_days", caller_days), "[centre] caller_days", where
        ),
        caller_fields=fields,
        closed_statuses=statuses,
        strip_delivered_outbox=strip,
        draft_days=_whole(seat.get("draft_days", default.draft_days), "draft_days", where, 1),
        log_months=_whole(
            centre.get("log_months", default.log_months), "log_months", where, MIN_LOG_MONTHS
        ),
        processing_record_years=_whole(
            centre.get("processing_record_years", default.processing_record_years),
            "processing_record_years",
            where,
            MIN_RECORD_YEARS,
        ),
        source=where,
    )


def policy_file(paths: DataPaths) -> Path:
    """The seat's own ``retention.toml`` when it has one, else the shipped one."""
    for candidate in (
        paths.root / POLICY_FILE,
        knowledge_base_dir() / POLICY_FILE,
        PROJECT_DIR / "knowledge_base" / POLICY_FILE,
    ):
        if candidate.is_file():
            return candidate
    raise ConfigError(
        f"No retention policy: put {POLICY_FILE} in {paths.root} or reinstall the app."
    )


def load_policy(path: Path) -> RetentionPolicy:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"The retention policy {path} cannot be read ({exc}).") from None
    return parse_policy(text, str(path))


@dataclass(frozen=True)
class PurgeReport:
    dry_run: bool
    policy: str
    cutoff: str  # callers of tickets closed and unchanged since before this are erased
    tickets: int  # tickets whose caller data was (or would be) erased
    shadows: int  # their sync shadows
    outbox: int  # delivered outbox rows whose caller copy was (or would be) dropped
    drafts: int  # abandoned drafts deleted
    vacuumed: bool
    transcripts: int = 0  # transcript lines deleted (those tickets' calls, old repeat calls)
    # rows (ticket, event, shadow, outbox, conflict) of those tickets whose words named the
    # caller and were (or would be) masked
    texts_masked: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _due_repeat_calls(session: Any, due_ids: list[str], cutoff: datetime) -> list[str]:
    """The call ids of the repeat calls' transcripts to delete: those on a ticket purged now,
    and those on a ticket this seat does not hold, saved before ``cutoff`` and delivered."""
    due_numbers = set(session.scalars(select(TicketRow.number).where(TicketRow.id.in_(due_ids))))
    held = select(TicketRow.id).where(TicketRow.number == FollowupTranscriptLineRow.number)
    waiting = {
        str((payload or {}).get("call_id") or "")
        for payload in session.scalars(
            select(OutboxRow.payload).where(
                OutboxRow.op == TRANSCRIPT_OP, OutboxRow.sent_at.is_(None)
            )
        )
        if isinstance(payload, dict)
    }
    calls = session.execute(
        select(
            FollowupTranscriptLineRow.call_id,
            FollowupTranscriptLineRow.number,
            FollowupTranscriptLineRow.saved_at,
            held.exists(),
        ).where(FollowupTranscriptLineRow.seq == 1)
    ).all()
    return [
        call_id
        for call_id, number, saved_at, is_held in calls
        if number in due_numbers or (not is_held and saved_at < cutoff and call_id not in waiting)
    ]


# The seat's copy of a ticket's words that may name its caller (as the centre's c0014 purge).
TEXT_COLUMNS = ("description", "notes", "outcome_detail", "address")
EVENTS_NO_UPDATE = "ticket_events_no_update"


def _json(raw: Any) -> Any:
    return json.loads(raw) if isinstance(raw, str) else raw


def _mask_texts(s: Any, ids: list[str], *, apply: bool) -> int:
    """Mask the caller in the words of the tickets ``ids`` (whose caller the purge erases
    now), with the caller as it still is: the ticket's text columns, its events' words, its
    sync shadow, its outbox payloads and its conflicts' two sides
    (:func:`~agent_app.domain.privacy.mask_caller_in_text`, the centre's rule).  Returns the
    rows whose words changed (or would change); writes them only when ``apply``."""
    if not ids:
        return 0
    callers: dict[str, dict[str, Any]] = {}
    numbers: dict[str, str] = {}
    changed = 0
    rows = s.execute(
        select(
            TicketRow.id,
            TicketRow.number,
            TicketRow.caller_name,
            TicketRow.caller_phone,
            TicketRow.caller_phones,
            TicketRow.confidential,
            *(getattr(TicketRow, c) for c in TEXT_COLUMNS),
        ).where(TicketRow.id.in_(ids))
    ).all()
    for tid, number, name, phone, phones, confidential, *texts in rows:
        all_phones = [str(p) for p in phones or ()]
        if phone and phone not in all_phones:
            all_phones.append(phone)
        caller = {"name": name or "", "phones": all_phones, "confidential": bool(confidential)}
        callers[tid], numbers[number] = caller, tid
        masked = {
            c: mask_caller_in_text(t or "", caller)
            for c, t in zip(TEXT_COLUMNS, texts, strict=True)
        }
        if any(masked[c] != (t or "") for c, t in zip(TEXT_COLUMNS, texts, strict=True)):
            changed += 1
            if apply:
                s.execute(update(TicketRow).where(TicketRow.id == tid).values(**masked))
    events = []
    for event_id, tid, data in s.execute(
        select(EventRow.id, EventRow.ticket_id, type_coerce(EventRow.data, String)).where(
            EventRow.ticket_id.in_(ids)
        )
    ):
        data = _json(data)
        if isinstance(data, dict):
            new = mask_caller_in_event_data(data, callers[tid])
            if new != data:
                events.append((event_id, new))
    changed += len(events)
    if apply and events:
        # ticket_events is append-only (0001): its UPDATE trigger steps aside for these rows
        # only, in this transaction, and is put back as it was before the commit.
        conn = s.connection()
        trigger = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            (EVENTS_NO_UPDATE,),
        ).scalar()
        if trigger:
            conn.exec_driver_sql(f"DROP TRIGGER {EVENTS_NO_UPDATE}")
        for event_id, new in events:
            s.execute(update(EventRow).where(EventRow.id == event_id).values(data=new))
        if trigger:
            conn.exec_driver_sql(trigger)
    for tid, data in s.execute(
        select(SyncShadowRow.ticket_id, type_coerce(SyncShadowRow.data, String)).where(
            SyncShadowRow.ticket_id.in_(ids)
        )
    ):
        data = _json(data)
        if isinstance(data, dict):
            new = mask_caller_in_ticket_data(data, callers[tid])
            if new != data:
                changed += 1
                if apply:
                    s.execute(
                        update(SyncShadowRow).where(SyncShadowRow.ticket_id == tid).values(data=new)
                    )
    for row_id, key, payload in s.execute(
        select(OutboxRow.id, OutboxRow.ticket_id, type_coerce(OutboxRow.payload, String)).where(
            OutboxRow.ticket_id.in_([*ids, *numbers])
        )
    ):
        payload = _json(payload)
        if isinstance(payload, dict):
            new = mask_caller_in_ticket_data(payload, callers[numbers.get(key, key)])
            if new != payload:
                changed += 1
                if apply:
                    s.execute(update(OutboxRow).where(OutboxRow.id == row_id).values(payload=new))
    for conflict_id, tid, local, remote in s.execute(
        select(
            ConflictRow.id,
            ConflictRow.ticket_id,
            type_coerce(ConflictRow.local, String),
            type_coerce(ConflictRow.remote, String),
        ).where(ConflictRow.ticket_id.in_(ids))
    ):
        sides = [_json(local), _json(remote)]
        new_sides = [
            mask_caller_in_ticket_data(x, callers[tid]) if isinstance(x, dict) else x for x in sides
        ]
        if new_sides != sides:
            changed += 1
            if apply:
                s.execute(
                    update(ConflictRow)
                    .where(ConflictRow.id == conflict_id)
                    .values(local=new_sides[0], remote=new_sides[1])
                )
    return changed


def _empty_caller(caller: Any) -> Any:
    if not isinstance(caller, dict):
        return caller
    return {**caller, "name": "", "phones": []}


def _has_caller(caller: Any) -> bool:
    return isinstance(caller, dict) and bool(caller.get("name") or caller.get("phones"))


def purge(
    db: Database,
    policy: RetentionPolicy,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    vacuum: bool = True,
) -> PurgeReport:
    """Apply ``policy`` at time ``now`` (default: the clock); see the module doc.

    ``vacuum=False`` (the window's daily run, beside the operator's work) only checkpoints
    what the WAL allows without waiting; ``secure_delete`` has zeroed the erased cells in
    their pages either way, and the next ``agent-app db purge`` compacts the file."""
    now = now or timeutil.now()
    cutoff = now - timedelta(days=policy.caller_days)
    draft_cutoff = now - timedelta(days=policy.draft_days)
    unsent = exists().where(and_(OutboxRow.ticket_id == TicketRow.id, OutboxRow.sent_at.is_(None)))
    fields = {name: CALLER_COLUMNS[name] for name in policy.caller_fields}
    columns = [getattr(TicketRow, name) for name in fields]
    due = select(TicketRow.id, *columns).where(
        TicketRow.status.in_(policy.closed_statuses),
        TicketRow.updated_at < cutoff,
        TicketRow.server_version.is_not(None),
        ~unsent,
    )
    with db.write() as s:
        s.connection().exec_driver_sql("PRAGMA secure_delete=ON")
        due_rows = list(s.execute(due))
        ids = [row[0] for row in due_rows if any(row[1:])]
        # The caller's name and numbers typed into those tickets' words go first, masked
        # with the caller as it still is (the centre's purge does the same, c0014).
        texts_masked = _mask_texts(s, ids, apply=not dry_run)
        # The call's words name people and places even when numbers are masked: a closed
        # ticket past the policy keeps no transcript either.
        transcript_count = len(
            list(
                s.scalars(
                    select(TranscriptLineRow.seq).where(
                        TranscriptLineRow.ticket_id.in_([row[0] for row in due_rows])
                    )
                )
            )
        )
        # A repeat call's words: with its ticket when that is due here; on a ticket another
        # seat holds, once the centre has them and the call is older than the policy.
        repeat_calls = _due_repeat_calls(s, [row[0] for row in due_rows], cutoff)
        transcript_count += len(
            list(
                s.scalars(
                    select(FollowupTranscriptLineRow.seq).where(
                        FollowupTranscriptLineRow.call_id.in_(repeat_calls)
                    )
                )
            )
        )
        shadows = [
            row
            for row in s.scalars(select(SyncShadowRow).where(SyncShadowRow.ticket_id.in_(ids)))
            if _has_caller((row.data or {}).get("caller"))
        ]
        delivered: list[tuple[int, dict[str, Any]]] = []
        if policy.strip_delivered_outbox:
            for row_id, raw in s.execute(
                select(OutboxRow.id, type_coerce(OutboxRow.payload, String)).where(
                    OutboxRow.sent_at.is_not(None)
                )
            ):
                payload = json.loads(raw) if isinstance(raw, str) else None
                if isinstance(payload, dict) and _has_caller(payload.get("caller")):
                    delivered.append((row_id, payload))
        draft_count = len(
            list(s.scalars(select(DraftRow.id).where(DraftRow.updated_at < draft_cutoff)))
        )
        if not dry_run:
            if ids:
                s.execute(update(TicketRow).where(TicketRow.id.in_(ids)).values(**fields))
            for row in shadows:
                row.data = {**row.data, "caller": _empty_caller(row.data.get("caller"))}
            for row_id, payload in delivered:
                s.execute(
                    update(OutboxRow)
                    .where(OutboxRow.id == row_id)
                    .values(payload={**payload, "caller": _empty_caller(payload.get("caller"))})
                )
            s.execute(delete(DraftRow).where(DraftRow.updated_at < draft_cutoff))
            if transcript_count:
                s.execute(
                    delete(TranscriptLineRow).where(
                        TranscriptLineRow.ticket_id.in_([row[0] for row in due_rows])
                    )
                )
            if repeat_calls:
                s.execute(
                    delete(FollowupTranscriptLineRow).where(
                        FollowupTranscriptLineRow.call_id.in_(repeat_calls)
                    )
                )
    report = PurgeReport(
        dry_run=dry_run,
        policy=policy.source,
        cutoff=cutoff.isoformat(timespec="seconds"),
        tickets=len(ids),
        shadows=len(shadows),
        outbox=len(delivered),
        drafts=draft_count,
        vacuumed=False,
        transcripts=transcript_count,
        texts_masked=texts_masked,
    )
    if not dry_run and vacuum:
        compact(db.path)
        report = PurgeReport(**{**report.as_dict(), "vacuumed": True})
    elif not dry_run:
        checkpoint(db.path)
    log.info(
        "retention purge%s: %d tickets' callers, %d shadows, %d outbox copies, %d drafts, "
        "%d texts masked",
        " (dry run)" if dry_run else "",
        report.tickets,
        report.shadows,
        report.outbox,
        report.drafts,
        report.texts_masked,
    )
    return report


def checkpoint(path: Path) -> None:
    """Copy what the WAL holds into the file as far as readers allow, without waiting."""
    conn = cipher.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.isolation_level = None
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        conn.close()


LAST_PURGE_KEY = "last_retention_purge"
DEFAULT_EVERY = timedelta(hours=24)


def maybe_purge(
    db: Database,
    paths: DataPaths,
    *,
    every: timedelta = DEFAULT_EVERY,
    now: datetime | None = None,
) -> PurgeReport | None:
    """The window's retention job: purge (without VACUUM) when the last purge is older than
    ``every``, or there was none; returns what it did, or None when nothing was due."""
    now = now or timeutil.now()
    with db.read() as s:
        last = s.scalar(select(SyncStateRow.value).where(SyncStateRow.key == LAST_PURGE_KEY))
    try:
        if last and now - datetime.fromisoformat(last) < every:
            return None
    except ValueError:
        pass  # an unreadable mark: purge now, and write a good one
    report = purge(db, load_policy(policy_file(paths)), now=now, vacuum=False)
    with db.write() as s:
        s.merge(SyncStateRow(key=LAST_PURGE_KEY, value=now.isoformat()))
    return report


def compact(path: Path) -> None:
    """Checkpoint the WAL into the file, rewrite the file without free pages, and truncate
    the WAL again, with ``secure_delete`` on: erased values leave no copy in the pages."""
    conn = cipher.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.isolation_level = None
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA secure_delete=ON")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
