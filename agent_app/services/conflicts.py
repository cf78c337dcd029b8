"""The sync's conflicts at the centre, for the shift lead: list them (both sides, field by
field) and settle one, once, through ``central.resolve_conflict`` (``c0005_lead_desk``).

The centre takes the resolver from the login, never from the client, refuses a second
resolution of the same conflict, and gives leads no direct ``UPDATE`` on the table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent_app.errors import KnownError, UsageError
from agent_app.storage.central.connect import CentralTarget, PasswordLookup, connect, keyring_lookup

if TYPE_CHECKING:
    from agent_app.storage.central.link import CentralLink

KEEP = ("local", "remote", "edited")


class ConflictRefused(KnownError):
    """The centre refused the resolution (already resolved, unknown id, not a lead)."""


def list_conflicts(
    target: CentralTarget,
    *,
    include_resolved: bool = False,
    limit: int = 50,
    password_lookup: PasswordLookup | None = keyring_lookup,
    link: CentralLink | None = None,
) -> list[dict[str, Any]]:
    """Conflicts, open ones first, newest first; each with both sides of every field (a
    caller masked: ``central.conflicts_masked``, c0010).  With ``link``: on its reused
    connections (the lead's desk)."""
    where = "" if include_resolved else "WHERE c.resolved_at IS NULL"

    def read(conn: Any) -> list[Any]:
        return conn.execute(
            "SELECT c.id, t.number, c.ticket_id, c.detected_at, c.seat, c.login, c.fields, "
            "c.local, c.remote, c.resolved_at, c.resolved_by, c.resolution "
            f"FROM central.conflicts_masked c JOIN central.tickets t ON t.id = c.ticket_id {where} "
            "ORDER BY c.resolved_at IS NOT NULL, c.detected_at DESC, c.id DESC LIMIT %s",
            (limit,),
        ).fetchall()

    if link is not None:
        rows = link.read(read)
    else:
        with connect(target, password_lookup=password_lookup) as conn:
            rows = read(conn)
    out = []
    for r in rows:
        fields = list(r[6] or [])
        out.append(
            {
                "id": r[0],
                "number": r[1],
                "ticket_id": r[2],
                "detected_at": r[3].isoformat(),
                "seat": r[4],
                "login": r[5],
                "fields": fields,
                "sides": [
                    {"field": f, "local": (r[7] or {}).get(f), "remote": (r[8] or {}).get(f)}
                    for f in fields
                ],
                "resolved_at": r[9].isoformat() if r[9] else None,
                "resolved_by": r[10],
                "resolution": r[11],
            }
        )
    return out


def resolve(
    target: CentralTarget,
    conflict_id: int,
    keep: str,
    value: Any = None,
    *,
    password_lookup: PasswordLookup | None = keyring_lookup,
    link: CentralLink | None = None,
) -> dict[str, Any]:
    """Keep the seat's side (``local``), the centre's (``remote``) or an edited ``value``
    (with ``link``: on one of its connections, never sent twice)."""
    import psycopg  # noqa: PLC0415 - heavy; only when talking to the centre
    from psycopg.types.json import Jsonb  # noqa: PLC0415

    if keep not in KEEP:
        raise UsageError(f"keep must be one of {', '.join(KEEP)}")
    if (keep == "edited") != (value is not None):
        raise UsageError("an edited value goes with --keep edited, and only with it")
    held = link.connection() if link is not None else None
    with held or connect(target, password_lookup=password_lookup) as conn:
        try:
            row = conn.execute(
                "SELECT central.resolve_conflict(%s, %s, %s)",
                (conflict_id, keep, Jsonb(value) if value is not None else None),
            ).fetchone()
        except (
            psycopg.errors.ObjectNotInPrerequisiteState,
            psycopg.errors.NoDataFound,
            psycopg.errors.InsufficientPrivilege,
            psycopg.errors.InvalidParameterValue,
        ) as exc:
            detail = exc.diag.message_primary or str(exc).splitlines()[0]
            raise ConflictRefused(f"The centre refused: {detail}.") from None
    return dict(row[0]) if row else {}
