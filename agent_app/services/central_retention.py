"""Retention purge at the centre (``agent-app central purge``; docs/privacy.md, Retention).

The centre erases the callers of tickets closed for longer than ``[centre] caller_days``
(``knowledge_base/retention.toml``), masks the caller in those tickets' words (c0014) and
deletes their calls' transcripts, through
``central.purge_closed(before, dry_run)`` (migration ``c0011_centre_retention``: what is due,
what is held, what changes).  Only the centre's administrator may run it (the owner role or
a superuser); any other login is refused by the database.  ``now`` is injectable (tests).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from agent_app.domain import timeutil
from agent_app.errors import ConfigError
from agent_app.paths import PROJECT_DIR, knowledge_base_dir
from agent_app.services.retention import POLICY_FILE, RetentionPolicy, load_policy
from agent_app.storage.central.connect import CentralTarget, PasswordLookup, connect, keyring_lookup

log = logging.getLogger("agent_app.retention.centre")


@dataclass(frozen=True)
class CentrePurgeReport:
    dry_run: bool
    policy: str
    caller_days: int
    cutoff: str  # callers of tickets closed (last changed at the centre) before this go
    due: int  # closed tickets past the cutoff and not held
    tickets: int  # of those, tickets whose caller was (or would be) erased now
    transcripts: int  # calls' transcripts deleted (or that would be)
    conflicts: int  # conflicts whose two sides' caller was (or would be) erased
    applied_ops: int  # stored apply answers whose caller was (or would be) erased
    held: int  # closed past the cutoff but kept: open conflict, quality check returned
    # rows (ticket, event, conflict, apply answer) whose words named the caller and were (or
    # would be) masked (c0014); 0 from a centre older than c0014
    texts_masked: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def shipped_policy_file() -> Path:
    """The centre's policy: the shipped ``knowledge_base/retention.toml``."""
    for candidate in (
        knowledge_base_dir() / POLICY_FILE,
        PROJECT_DIR / "knowledge_base" / POLICY_FILE,
    ):
        if candidate.is_file():
            return candidate
    raise ConfigError(f"No retention policy: {POLICY_FILE} is missing; reinstall the app.")


def purge_centre(
    target: CentralTarget,
    policy: RetentionPolicy,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    password_lookup: PasswordLookup | None = keyring_lookup,
) -> CentrePurgeReport:
    """Run ``central.purge_closed`` at ``now`` (default: the clock) minus the centre's
    ``caller_days``, in one transaction; psycopg errors propagate (the CLI words them)."""
    import psycopg  # noqa: PLC0415 - heavy; only for the centre

    now = now or timeutil.now()
    cutoff = now - timedelta(days=policy.centre_caller_days)
    with connect(target, password_lookup=password_lookup, autocommit=False) as conn:
        try:
            row = conn.execute("SELECT central.purge_closed(%s, %s)", (cutoff, dry_run)).fetchone()
        except psycopg.errors.UndefinedFunction:
            raise ConfigError(
                f"The central database {target.display} has no retention purge yet "
                "(schema older than c0011_centre_retention); run 'agent-app central upgrade' "
                "with an administrator login first."
            ) from None
        conn.commit()
    result: dict[str, Any] = row[0] if row else {}
    report = CentrePurgeReport(
        dry_run=dry_run,
        policy=policy.source,
        caller_days=policy.centre_caller_days,
        cutoff=cutoff.isoformat(timespec="seconds"),
        due=int(result.get("due", 0)),
        tickets=int(result.get("tickets", 0)),
        transcripts=int(result.get("transcripts", 0)),
        conflicts=int(result.get("conflicts", 0)),
        applied_ops=int(result.get("applied_ops", 0)),
        held=int(result.get("held", 0)),
        texts_masked=int(result.get("texts_masked", 0)),
    )
    log.info(
        "centre retention purge%s: %d tickets' callers, %d transcripts, %d texts masked, %d held",
        " (dry run)" if dry_run else "",
        report.tickets,
        report.transcripts,
        report.texts_masked,
        report.held,
    )
    return report


def load_centre_policy(path: Path | None = None) -> RetentionPolicy:
    return load_policy(path or shipped_policy_file())
