"""Confidential (保密) callers at a shift lead's seat: mask the clear copies it still holds.

A lead's seat pulls every ticket; since ``c0009_confidential`` the centre's pull
(``central.pull_tickets``) gives the caller of a confidential ticket masked unless the login
took the call itself.  A seat that pulled before that holds such callers in clear: in the
ticket row, in its sync shadow (the merge base), in the payload of its own outbox rows for the
ticket and in a conflict's two sides.  :func:`mask_held_callers` masks every one of those
copies, in one write transaction with ``secure_delete`` on (the old cells are zeroed in their
pages, not only unlinked), exactly as the centre masks them
(:func:`agent_app.domain.privacy.mask_confidential_caller`), so the next edit of such a
ticket compares equal to its merge base and never sends a masked caller back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_app.domain.privacy import (
    CONFIDENTIAL_NAME,
    caller_held_masked,
    mask_confidential_caller,
    mask_confidential_phone,
)
from agent_app.storage.models import ConflictRow, OutboxRow, SyncShadowRow, TicketRow


def _masked(value: Any) -> Any:
    return mask_confidential_caller(value) if isinstance(value, dict) else value


def _needs(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    phones = value.get("phones")
    return not caller_held_masked(
        str(value.get("name") or ""),
        [str(p) for p in phones] if isinstance(phones, list) else [],
        True,
    ) and bool(str(value.get("name") or "").strip() or phones)


def mask_held_callers(session: Session, login: str) -> int:
    """Mask every clear copy of a confidential caller of a ticket ``login`` did not take
    (``operator_id``); returns how many ticket rows held one in clear (their shadows, outbox
    payloads and conflicts are masked too, also where the row itself already was).  ``session`` is a write session."""
    session.connection().exec_driver_sql("PRAGMA secure_delete=ON")
    rows = session.scalars(
        select(TicketRow).where(TicketRow.confidential.is_(True), TicketRow.operator_id != login)
    ).all()
    ids: list[str] = []
    changed = 0
    for row in rows:
        phones = list(row.caller_phones or ())
        if not caller_held_masked(row.caller_name, phones, True) and (
            row.caller_name.strip() or phones
        ):
            row.caller_name = CONFIDENTIAL_NAME if row.caller_name.strip() else ""
            row.caller_phones = [mask_confidential_phone(p) for p in phones]
            row.caller_phone = row.caller_phones[0] if row.caller_phones else ""
            changed += 1
        ids.append(row.id)
    if not ids:
        return 0
    for shadow in session.scalars(select(SyncShadowRow).where(SyncShadowRow.ticket_id.in_(ids))):
        caller = (shadow.data or {}).get("caller")
        if _needs(caller):
            shadow.data = {**shadow.data, "caller": _masked(caller)}
    for out in session.scalars(select(OutboxRow).where(OutboxRow.ticket_id.in_(ids))):
        caller = (out.payload or {}).get("caller")
        if _needs(caller):
            out.payload = {**out.payload, "caller": _masked(caller)}
    for conflict in session.scalars(select(ConflictRow).where(ConflictRow.ticket_id.in_(ids))):
        for side in ("local", "remote"):
            data = getattr(conflict, side) or {}
            if _needs(data.get("caller")):
                setattr(conflict, side, {**data, "caller": _masked(data["caller"])})
    session.flush()
    return changed
