"""Migrating, inspecting and provisioning the central database.

``upgrade`` runs the central Alembic history (``migrations/`` beside this module) over a
psycopg connection; it must run as an administrator that may create roles (once per cluster)
and tables.  ``create_login_role`` provisions one person's login role as a member of a group.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from agent_app.errors import ConfigError, UsageError
from agent_app.storage.central.connect import CentralTarget, PasswordLookup, connect, keyring_lookup
from agent_app.storage.central.models import GROUPS, SCHEMA

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
REVISIONS: tuple[str, ...] = (
    "c0001_central",
    "c0002_validation",
    "c0003_after_dispatch",
    "c0004_followups",
    "c0005_lead_desk",
    "c0006_privacy",
    "c0007_reports",
    "c0008_transcripts",
    "c0009_confidential",
    "c0010_lead_masking",
    "c0011_centre_retention",
    "c0012_unit_text_masking",
    "c0013_purge_runs",
    "c0014_purge_masks_texts",
)
HEAD = REVISIONS[-1]
DEFAULT_PREFIX = "hotline"
# ``stats`` warns (``purge_warning``) when the centre's retention purge last ran longer ago.
PURGE_MAX_AGE = timedelta(days=2)
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


def _check_name(name: str, what: str) -> str:
    if not _NAME.match(name):
        raise UsageError(
            f"The {what} {name!r} is not allowed; use lower-case letters, digits and '_', "
            "starting with a letter."
        )
    return name


def _engine(target: CentralTarget, password_lookup: PasswordLookup | None) -> Any:
    from sqlalchemy import create_engine  # noqa: PLC0415
    from sqlalchemy.pool import NullPool  # noqa: PLC0415

    return create_engine(
        "postgresql+psycopg://",
        creator=lambda: connect(target, password_lookup=password_lookup, autocommit=False),
        poolclass=NullPool,
        hide_parameters=True,
    )


def current_revision(
    target: CentralTarget, *, password_lookup: PasswordLookup | None = keyring_lookup
) -> str | None:
    with connect(target, password_lookup=password_lookup) as conn:
        row = conn.execute(
            "SELECT to_regclass(%s) IS NOT NULL", (f"{SCHEMA}.alembic_version",)
        ).fetchone()
        if not row or not row[0]:
            return None
        rev = conn.execute(f"SELECT version_num FROM {SCHEMA}.alembic_version").fetchone()
        return str(rev[0]) if rev else None


def upgrade(
    target: CentralTarget,
    *,
    role_prefix: str = DEFAULT_PREFIX,
    password_lookup: PasswordLookup | None = keyring_lookup,
) -> str:
    """Bring the central schema to HEAD; create the group roles ``<prefix>_*`` if missing."""
    from alembic import command  # noqa: PLC0415 - heavy
    from alembic.config import Config  # noqa: PLC0415

    _check_name(role_prefix, "role prefix")
    rev = current_revision(target, password_lookup=password_lookup)
    if rev is not None and rev not in REVISIONS:
        raise ConfigError(
            f"The central database {target.display} has schema {rev}, newer than this app "
            f"knows ({HEAD}); update the app."
        )
    if rev is not None:
        with connect(target, password_lookup=password_lookup) as conn:
            row = conn.execute(
                f"SELECT value FROM {SCHEMA}.meta WHERE key = 'role_prefix'"
            ).fetchone()
            role_prefix = str(row[0]) if row else role_prefix
    engine = _engine(target, password_lookup)
    try:
        with engine.begin() as connection:
            cfg = Config()
            cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
            cfg.attributes["connection"] = connection
            cfg.attributes["role_prefix"] = role_prefix
            command.upgrade(cfg, "head")
    finally:
        engine.dispose()
    return HEAD


def role_prefix(conn: Any) -> str:
    row = conn.execute(f"SELECT value FROM {SCHEMA}.meta WHERE key = 'role_prefix'").fetchone()
    if row is None:
        raise ConfigError(
            "The central database has no schema yet; run 'agent-app central upgrade'."
        )
    return str(row[0])


def stats(
    target: CentralTarget, *, password_lookup: PasswordLookup | None = keyring_lookup
) -> dict[str, Any]:
    """Counts as the connecting role sees them (row-level security applies)."""
    import psycopg  # noqa: PLC0415

    with connect(target, password_lookup=password_lookup) as conn:
        out: dict[str, Any] = {"schema": None}
        try:
            rev = conn.execute(f"SELECT version_num FROM {SCHEMA}.alembic_version").fetchone()
        except psycopg.errors.UndefinedTable:
            raise ConfigError(
                f"The central database {target.display} has no schema; run 'agent-app central upgrade'."
            ) from None
        except psycopg.errors.InsufficientPrivilege:
            rev = None
        out["schema"] = str(rev[0]) if rev else None
        for name, sql in (
            ("tickets", "SELECT count(*) FROM central.tickets"),
            ("events", "SELECT count(*) FROM central.ticket_events"),
            ("applied_keys", "SELECT count(*) FROM central.applied_ops"),
            ("conflicts", "SELECT count(*) FROM central.conflicts"),
            ("open_conflicts", "SELECT count(*) FROM central.conflicts WHERE resolved_at IS NULL"),
            ("max_version", "SELECT coalesce(max(version), 0) FROM central.tickets"),
            ("duplicate_numbers", "SELECT count(*) - count(DISTINCT number) FROM central.tickets"),
            ("demo_tickets", "SELECT count(*) FROM central.tickets WHERE is_demo"),
            ("rejected_ops", "SELECT count(*) FROM central.applied_ops WHERE status = 'rejected'"),
            ("seats", "SELECT count(*) FROM central.seats"),
        ):
            try:
                with conn.transaction():
                    row = conn.execute(sql).fetchone()
                out[name] = int(row[0]) if row else 0
            except (psycopg.errors.InsufficientPrivilege, psycopg.errors.UndefinedTable):
                out[name] = None
        out.update(_last_purge(conn))
        return out


def _last_purge(conn: Any) -> dict[str, Any]:
    """``last_purge`` (the newest row of ``central.purge_runs``, c0013) and ``purge_warning``
    (one line when it is older than :data:`PURGE_MAX_AGE` or missing, else None); both None
    when the login may not read it or the schema is older."""
    import psycopg  # noqa: PLC0415

    try:
        with conn.transaction():
            row = conn.execute("SELECT central.last_purge(), now()").fetchone()
    except (psycopg.errors.InsufficientPrivilege, psycopg.errors.UndefinedFunction):
        return {"last_purge": None, "purge_warning": None}
    assert row is not None  # one row: a SELECT without FROM
    return {"last_purge": row[0], "purge_warning": purge_warning(row[0], row[1])}


def purge_warning(last: dict[str, Any] | None, now: datetime) -> str | None:
    """The warning for the newest purge run ``last`` (``at`` ISO 8601) at ``now``, or None."""
    schedule = (
        "schedule 'agent-app central purge' daily with the administrator's login "
        "(scripts/centre-purge.timer, docs/privacy.md)"
    )
    if not last or not last.get("at"):
        return f"The centre's retention purge has never run; {schedule}."
    at = datetime.fromisoformat(str(last["at"]))
    age = now - at
    if age <= PURGE_MAX_AGE:
        return None
    return (
        f"The centre's retention purge last ran {age.total_seconds() / 86400:.1f} days ago "
        f"({at.isoformat(timespec='seconds')}); {schedule}."
    )


def create_login_role(
    target: CentralTarget,
    name: str,
    group: str,
    *,
    units: tuple[str, ...] = (),
    password: str | None = None,
    password_lookup: PasswordLookup | None = keyring_lookup,
) -> None:
    """Create (or update) one person's LOGIN role as a member of ``<prefix>_<group>``."""
    from psycopg import sql  # noqa: PLC0415

    _check_name(name, "role name")
    if group not in GROUPS:
        raise UsageError(f"Unknown group {group!r}; use one of {', '.join(GROUPS)}.")
    with connect(target, password_lookup=password_lookup) as conn, conn.transaction():
        prefix = role_prefix(conn)
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        ident = sql.Identifier(name)
        if exists is None:
            conn.execute(
                sql.SQL(
                    "CREATE ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"
                ).format(ident)
            )
        if password is not None:
            conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(ident, sql.Literal(password)))
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(f"{prefix}_{group}"), ident))
        for unit in units:
            conn.execute(
                "INSERT INTO central.handler_units (role_name, unit) VALUES (%s, %s) "
                "ON CONFLICT DO NOTHING",
                (name, unit),
            )
