"""What a seat sends with each change: the changed fields against its merge base.

The base of a ticket is the centre's state the seat last saw (``sync_shadow``), or the
previous change of the same ticket in the same batch.  Notes are append-only: when the new
notes extend the base notes, only the appended text travels (``notes_append``) and the centre
appends it to whatever it has, so two seats adding notes never conflict.
"""

from __future__ import annotations

from typing import Any

# Payload keys that are not ticket fields.
NOT_FIELDS = frozenset({"events", "local_version"})


def ticket_fields(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k not in NOT_FIELDS}


def describe_change(payload: dict[str, Any], base: dict[str, Any] | None) -> tuple[list[str], str]:
    """(changed field names, appended notes) of ``payload`` against ``base`` (None: a create)."""
    fields = ticket_fields(payload)
    if base is None:
        return sorted(fields), ""
    changed = sorted(k for k, v in fields.items() if base.get(k) != v)
    append = ""
    if "notes" in changed:
        old = str(base.get("notes") or "")
        new = str(fields.get("notes") or "")
        if new.startswith(old):
            append = new[len(old) :]
            changed.remove("notes")
    return changed, append
