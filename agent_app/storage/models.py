"""SQLAlchemy 2 typed models of the seat database.

Times are stored as timezone-aware ISO strings in UTC-independent form by SQLAlchemy's
``UtcDateTime()``; JSON columns hold small structured values (phones, co-units, event
data).  Every model has a ``__repr__`` without personal data.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from agent_app.domain.timeutil import SHANGHAI

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as UTC (SQLite keeps no offset); read back in Beijing time."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UtcDateTime column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC).astimezone(SHANGHAI)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class TicketRow(Base):
    __tablename__ = "tickets"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    seat: Mapped[str] = mapped_column(String(32))
    operator_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    caller_name: Mapped[str] = mapped_column(String(64), default="")
    caller_phone: Mapped[str] = mapped_column(String(32), default="", index=True)
    caller_phones: Mapped[list[str]] = mapped_column(default=list)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    company_caller: Mapped[bool] = mapped_column(Boolean, default=False)
    request_type: Mapped[str | None] = mapped_column(String(16))
    category_code: Mapped[str] = mapped_column(String(32), default="")
    category_name: Mapped[str] = mapped_column(String(128), default="")
    address: Mapped[str] = mapped_column(String(256), default="")
    district: Mapped[str] = mapped_column(String(32), default="")
    district_code: Mapped[str] = mapped_column(String(12), default="")
    township: Mapped[str] = mapped_column(String(64), default="")
    township_code: Mapped[str] = mapped_column(String(12), default="")
    community: Mapped[str] = mapped_column(String(64), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    place_confidence: Mapped[float | None] = mapped_column(Float)
    urgency: Mapped[str] = mapped_column(String(16), default="ordinary")
    main_unit: Mapped[str] = mapped_column(String(128), default="", index=True)
    co_units: Mapped[list[str]] = mapped_column(default=list)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    description: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str | None] = mapped_column(String(16))
    outcome_detail: Mapped[str] = mapped_column(String(256), default="")
    kb_article_id: Mapped[str] = mapped_column(String(64), default="")
    merged_into: Mapped[str] = mapped_column(String(40), default="", index=True)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(32), index=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # Version assigned by the centre on the last sync (None until the centre has it).
    server_version: Mapped[int | None] = mapped_column(Integer)
    # Local edit counter: bumped by every local change (optimistic merge base for sync).
    local_version: Mapped[int] = mapped_column(Integer, default=1)

    events: Mapped[list[EventRow]] = relationship(
        back_populates="ticket", order_by="EventRow.seq", cascade="all, delete-orphan"
    )

    __table_args__ = (Index("ix_tickets_category_created", "category_code", "created_at"),)

    def __repr__(self) -> str:
        return f"TicketRow(number={self.number!r}, status={self.status!r})"


class EventRow(Base):
    """Append-only history; triggers in the migration forbid UPDATE and DELETE."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    kind: Mapped[str] = mapped_column(String(32))
    actor_role: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str] = mapped_column(String(64))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    ticket: Mapped[TicketRow] = relationship(back_populates="events")

    __table_args__ = (UniqueConstraint("ticket_id", "seq"),)

    def __repr__(self) -> str:
        return f"EventRow(ticket_id={self.ticket_id!r}, seq={self.seq}, kind={self.kind!r})"


class TranscriptLineRow(Base):
    """A final line of the call's transcript, saved with the ticket the call made (redacted:
    phone, ID-card and bank-card numbers masked).  Sent to the centre through the outbox."""

    __tablename__ = "ticket_transcripts"

    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    start_ms: Mapped[int] = mapped_column(Integer)
    end_ms: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(16), default="")
    text: Mapped[str] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"TranscriptLineRow(ticket_id={self.ticket_id!r}, seq={self.seq})"


class FollowupTranscriptLineRow(Base):
    """A final line of a repeat call's transcript (告知进展, 补充, 催办 on an existing ticket,
    held here or by another seat), redacted; ``call_id`` is the id its follow-up event
    carries, ``number`` the ticket's number.  Sent to the centre through the outbox."""

    __tablename__ = "followup_transcripts"

    call_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime())
    start_ms: Mapped[int] = mapped_column(Integer)
    end_ms: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(16), default="")
    text: Mapped[str] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"FollowupTranscriptLineRow(call_id={self.call_id!r}, seq={self.seq})"


class DraftRow(Base):
    """The form being filled at a seat, autosaved; deleted when the ticket is saved."""

    __tablename__ = "drafts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seat: Mapped[str] = mapped_column(String(32), index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)

    def __repr__(self) -> str:
        return f"DraftRow(id={self.id!r}, seat={self.seat!r})"


class SeatCounterRow(Base):
    """Per-seat, per-day ticket number sequence."""

    __tablename__ = "seat_counters"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    seat: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"SeatCounterRow(day={self.day!r}, seat={self.seat!r}, last_seq={self.last_seq})"


class OutboxRow(Base):
    """A local change waiting to reach the centre, written in the same transaction."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    ticket_id: Mapped[str] = mapped_column(String(36), index=True)
    op: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(256), default="")
    # Set when the change cannot be delivered (refused by the centre, or invalid at the seat);
    # ``reason`` is the code.  Such a row waits for the operator: correct and resend, renumber.
    undelivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    reason: Mapped[str] = mapped_column(String(64), default="", server_default="")

    def __repr__(self) -> str:
        return f"OutboxRow(id={self.id}, op={self.op!r}, sent={self.sent_at is not None})"


class SyncStateRow(Base):
    """Key/value state of the sync worker (pull cursor, last success)."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))

    def __repr__(self) -> str:
        return f"SyncStateRow(key={self.key!r})"


class SyncShadowRow(Base):
    """The centre's state of a ticket as this seat last saw it: the base of field merges."""

    __tablename__ = "sync_shadow"

    ticket_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    def __repr__(self) -> str:
        return f"SyncShadowRow(ticket_id={self.ticket_id!r}, version={self.version})"


class SyncQuarantineRow(Base):
    """A ticket version from the centre that this seat could not apply (reported, skipped)."""

    __tablename__ = "sync_quarantine"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (UniqueConstraint("ticket_id", "version"),)

    def __repr__(self) -> str:
        return f"SyncQuarantineRow(ticket_id={self.ticket_id!r}, version={self.version})"


class ConflictRow(Base):
    """Concurrent edits that could not be merged; a shift lead decides."""

    __tablename__ = "conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(String(36), index=True)
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime())
    fields: Mapped[list[str]] = mapped_column(default=list)
    local: Mapped[dict[str, Any]] = mapped_column(default=dict)
    remote: Mapped[dict[str, Any]] = mapped_column(default=dict)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    resolution: Mapped[str] = mapped_column(String(32), default="")

    def __repr__(self) -> str:
        return f"ConflictRow(id={self.id}, ticket_id={self.ticket_id!r})"


class KbFlagRow(Base):
    """An operator's flag on a knowledge-base article (wrong) or a missing answer."""

    __tablename__ = "kb_flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(16))  # wrong | missing
    comment: Mapped[str] = mapped_column(Text, default="")
    seat: Mapped[str] = mapped_column(String(32))
    operator_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)

    def __repr__(self) -> str:
        return f"KbFlagRow(id={self.id}, kind={self.kind!r}, article_id={self.article_id!r})"


class AuditRow(Base):
    """Append-only, hash-chained audit of every access to personal data (unmask, detail, export).

    Written only through :func:`agent_app.services.audit.record_access`; triggers refuse
    UPDATE and DELETE; ``id`` is the row's ``seq`` in the seat's chain."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor_id: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    ticket_id: Mapped[str] = mapped_column(String(36), default="")
    detail: Mapped[str] = mapped_column(String(256), default="")
    # 0007_privacy: which field was shown, and the seat's hash chain (domain.audit_chain).
    field: Mapped[str] = mapped_column(String(32), default="", server_default="")
    prev_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    hash: Mapped[str] = mapped_column(String(64), default="", server_default="")

    def __repr__(self) -> str:
        return f"AuditRow(id={self.id}, action={self.action!r})"


class SuggestionLogRow(Base):
    """What the app proposed and what the operator chose (accuracy tracking, retraining)."""

    __tablename__ = "suggestion_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    ticket_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    proposed: Mapped[list[str]] = mapped_column(default=list)
    chosen: Mapped[str] = mapped_column(String(128), default="")
    model_version: Mapped[str] = mapped_column(String(64), default="")

    def __repr__(self) -> str:
        return f"SuggestionLogRow(id={self.id}, kind={self.kind!r})"
