"""Who the person at this seat is for the centre: login, group (role) and bound seat ids.

The role at a seat comes from the person's central login (membership of the
``<prefix>_operator`` / ``_lead`` / ``_handler`` groups), never from a dialog: ask the centre
(:func:`central_role`, ``central.whoami()``) when online, and use the answer cached in the
seat database (``sync_state.central_identity``, refreshed by every sync cycle) when offline.
Only demo/training data directories pick a role freely.  No Qt here.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agent_app.domain import timeutil
from agent_app.domain.roles import Role

if TYPE_CHECKING:
    from pathlib import Path

    from agent_app.storage.central.connect import CentralTarget, PasswordLookup

log = logging.getLogger("agent_app.sync")

IDENTITY_KEY = "central_identity"  # the same key the sync engine refreshes
_GROUP_ROLE = {"lead": Role.LEAD, "operator": Role.OPERATOR}


@dataclass(frozen=True)
class CentralIdentity:
    """What the centre said about a login (``source``: ``centre`` now, or ``cache``)."""

    login: str
    group: str | None
    seats: tuple[str, ...] = ()
    checked_at: str = ""
    source: str = "centre"

    @property
    def role(self) -> Role:
        """The desk role: shift lead for the lead group, operator otherwise (least privilege)."""
        return _GROUP_ROLE.get(self.group or "", Role.OPERATOR)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str) -> CentralIdentity:
        return cls(
            login=str(data.get("login") or ""),
            group=str(data["group"]) if data.get("group") else None,
            seats=tuple(str(s) for s in data.get("seats") or ()),
            checked_at=str(data.get("checked_at") or ""),
            source=source,
        )


def cached_identity(database: Path) -> CentralIdentity | None:
    """The identity the last sync cycle (or :func:`central_role`) stored; None if never."""
    from agent_app.storage import readmodel  # noqa: PLC0415

    if not database.exists():
        return None
    try:
        raw = readmodel.state_value(database, IDENTITY_KEY)
    except Exception:  # noqa: BLE001 - an unreadable cache is no cache
        return None
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return CentralIdentity.from_dict(data, "cache") if isinstance(data, dict) else None


def store_identity(db: Any, identity: dict[str, Any]) -> None:
    """Cache what ``central.whoami()``/``claim_seat`` answered in the seat database."""
    from sqlalchemy.dialects.sqlite import insert  # noqa: PLC0415

    from agent_app.storage.models import SyncStateRow  # noqa: PLC0415

    record = {
        "login": identity.get("login"),
        "group": identity.get("group"),
        "seats": list(identity.get("seats") or ())[:8],
        "checked_at": timeutil.now().isoformat(timespec="seconds"),
    }
    value = json.dumps(record, ensure_ascii=False)[:256]
    with db.write() as s:
        stmt = insert(SyncStateRow).values(key=IDENTITY_KEY, value=value)
        s.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def central_role(
    db: Any,
    target: CentralTarget,
    *,
    password_lookup: PasswordLookup | None = None,
) -> CentralIdentity | None:
    """Ask the centre who this login is (online) and cache the answer; offline, the cached
    answer (``source == "cache"``); None when the centre was never reached from this seat.

    ``password_lookup`` defaults to the OS keyring.
    """
    import psycopg  # noqa: PLC0415

    from agent_app.storage.central.connect import connect, keyring_lookup  # noqa: PLC0415

    try:
        with connect(target, password_lookup=password_lookup or keyring_lookup) as conn:
            row = conn.execute("SELECT central.whoami()").fetchone()
    except psycopg.OperationalError:
        return cached_identity(db.path)
    answer = row[0] if row else None
    if not isinstance(answer, dict):
        return cached_identity(db.path)
    store_identity(db, answer)
    return CentralIdentity.from_dict(answer, "centre")


@dataclass(frozen=True)
class Desk:
    """How a seat starts: ``role`` None means "ask" (demo/training only)."""

    role: Role | None
    operator_id: str
    identity: CentralIdentity | None = None


def desk_for(
    database: Path,
    *,
    demo: bool,
    central_url: str,
    operator_id: str,
    requested: Role | None = None,
) -> Desk:
    """The role and operator id a seat starts with, without touching the network.

    Demo/training: the requested role, or None (the dialog asks).  A seat with a centre: the
    login of its central URL is the operator id; the role is the cached central group (operator
    until the centre has answered once).  A seat without a centre: operator.
    """
    if demo:
        return Desk(role=requested, operator_id=operator_id)
    login = ""
    if central_url:
        from agent_app.errors import ConfigError  # noqa: PLC0415
        from agent_app.storage.central.connect import parse_url  # noqa: PLC0415

        try:
            login = parse_url(central_url).user
        except ConfigError:
            login = ""
    identity = cached_identity(database) if login else None
    if identity is not None and identity.login != login:
        identity = None  # another person's answer: not theirs to use
    role = identity.role if identity is not None else Role.OPERATOR
    if requested is not None and requested is not role:
        log.warning("role %s requested; the centre's login decides: %s", requested, role)
    return Desk(role=role, operator_id=login or operator_id, identity=identity)
