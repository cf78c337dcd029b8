"""The audit trail's hash chain: one canonical serialisation, shared by the seat and the centre.

Each audit row carries ``prev_hash`` (the ``hash`` of the row before it at the same seat; 64
zeros for the first) and ``hash`` = SHA-256 over the canonical bytes of the row's fields plus
``prev_hash``.  Changing, removing or reordering any row breaks the chain at that row.  The
centre recomputes the same hash in SQL (``central.audit_hash``), so the serialisation is
deliberately plain: each field as ``<byte length>:<utf-8 text>;`` in a fixed order, the time
as UTC with microseconds (``2026-12-06T05:00:00.000000Z``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
FIELDS = ("seq", "at", "actor_id", "role", "action", "ticket_id", "field", "detail", "prev_hash")


def canonical_time(at: datetime) -> str:
    """``at`` in UTC with microseconds and a ``Z`` (naive datetimes are taken as UTC)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(row: Mapping[str, Any]) -> bytes:
    """The bytes the hash is taken over (``row`` holds every name of :data:`FIELDS`)."""
    out = []
    for name in FIELDS:
        value = row[name]
        text = canonical_time(value) if isinstance(value, datetime) else str(value)
        out.append(f"{len(text.encode())}:{text};")
    return "".join(out).encode()


def row_hash(row: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(row)).hexdigest()


@dataclass(frozen=True)
class Break:
    """The first broken link: where (seat, seq) and what is wrong."""

    seat: str
    seq: int
    problem: str  # hash_mismatch | prev_hash_mismatch | missing_rows | not_first

    def as_dict(self) -> dict[str, Any]:
        return {"seat": self.seat, "seq": self.seq, "problem": self.problem}


def verify(rows: Iterable[Mapping[str, Any]], seat: str = "") -> tuple[int, Break | None]:
    """Walk one seat's rows in ``seq`` order: (rows seen, the first break or None).

    A changed row fails its own hash (``hash_mismatch`` at that row); a changed row whose
    hash was recomputed fails the link of the row after it (``hash_rewritten``, named at the
    changed row); a removed row shows as a gap (``missing_rows`` at the first missing seq).
    Removing the newest rows cannot be seen from the rows alone: the centre holds a copy.
    """
    prev_hash, expected, count = GENESIS, 1, 0
    first: Break | None = None
    for row in rows:
        count += 1
        if first is not None:
            continue
        seq = int(row["seq"])
        if seq != expected:
            first = Break(seat, expected, "missing_rows")
        elif row_hash(row) != row["hash"]:
            first = Break(seat, seq, "hash_mismatch")
        elif row["prev_hash"] != prev_hash:
            first = (
                Break(seat, seq, "not_first")
                if seq == 1
                else Break(seat, seq - 1, "hash_rewritten")
            )
        prev_hash, expected = str(row["hash"]), seq + 1
    return count, first
