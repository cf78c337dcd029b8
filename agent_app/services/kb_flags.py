"""Operator feedback on the knowledge base, kept in the seat database (Qt-free).

The knowledge-base pane emits a flag as a plain dict (see
:func:`agent_app.services.kb.feedback.make_flag`): an article is wrong, or no article answers a
question.  :class:`KbFlagStore` stores it in the ``kb_flags`` table, lists the flags for the
shift lead and marks them resolved.  Every method opens its own short session and is meant to
run in a worker thread (``TaskRunner.run_mutation`` / ``run_query``), never on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from agent_app.errors import UsageError
from agent_app.services.kb.feedback import FLAG_KINDS, MAX_COMMENT

if TYPE_CHECKING:
    from agent_app.storage.db import Database
    from agent_app.storage.models import KbFlagRow


@dataclass(frozen=True)
class KbFlag:
    """One stored flag, as plain data for views."""

    id: int
    kind: str
    """``wrong`` (the article is wrong or out of date) or ``missing`` (no article answers)."""
    article_id: str
    comment: str
    seat: str
    operator_id: str
    created_at: datetime
    resolved: bool


def _to_flag(row: KbFlagRow) -> KbFlag:
    return KbFlag(
        id=row.id,
        kind=row.kind,
        article_id=row.article_id or "",
        comment=row.comment or "",
        seat=row.seat,
        operator_id=row.operator_id,
        created_at=row.created_at,
        resolved=bool(row.resolved),
    )


class KbFlagStore:
    """Adds, lists and resolves knowledge-base flags in one seat database.

    ``database`` returns the seat's :class:`~agent_app.storage.db.Database`; it is called on
    first use, in the worker thread, so the ORM is not loaded while the window paints.
    """

    def __init__(
        self,
        database: Callable[[], Database],
        *,
        seat: str = "",
        operator_id: str = "",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._database = database
        self.seat = seat
        self.operator_id = operator_id
        self._clock = clock or (lambda: datetime.now(UTC))

    def add(self, flag: Mapping[str, Any]) -> KbFlag:
        """Store one flag (a dict shaped like a ``kb_flags`` row) and return it with its id.

        Missing ``seat`` / ``operator_id`` / ``created_at`` are filled from the store.  Raises
        :class:`UsageError` for an unknown kind, a ``wrong`` flag without an article or a
        ``missing`` flag without a comment.
        """
        from agent_app.storage.models import KbFlagRow  # noqa: PLC0415 - lazy ORM

        kind = str(flag.get("kind", ""))
        if kind not in FLAG_KINDS:
            raise UsageError(f"Unknown flag kind {kind!r}; use one of: {', '.join(FLAG_KINDS)}.")
        article_id = str(flag.get("article_id") or "").strip()
        comment = str(flag.get("comment") or "").strip()[:MAX_COMMENT]
        if kind == "wrong" and not article_id:
            raise UsageError("A 'wrong' flag needs the id of the article it is about.")
        if kind == "missing" and not comment:
            raise UsageError("A 'missing' flag needs a comment or the query that found nothing.")
        created = flag.get("created_at")
        if not isinstance(created, datetime) or created.tzinfo is None:
            created = self._clock()
        row = KbFlagRow(
            kind=kind,
            article_id=article_id,
            comment=comment,
            seat=str(flag.get("seat") or self.seat),
            operator_id=str(flag.get("operator_id") or self.operator_id),
            created_at=created,
            resolved=False,
        )
        with self._database().write() as session:
            session.add(row)
            session.flush()
            return _to_flag(row)

    def list(self, *, include_resolved: bool = False, limit: int = 500) -> list[KbFlag]:
        """Flags, newest first; open ones only unless ``include_resolved``."""
        from sqlalchemy import select  # noqa: PLC0415 - lazy ORM

        from agent_app.storage.models import KbFlagRow  # noqa: PLC0415

        query = select(KbFlagRow).order_by(KbFlagRow.created_at.desc(), KbFlagRow.id.desc())
        if not include_resolved:
            query = query.where(KbFlagRow.resolved.is_(False))
        with self._database().read() as session:
            return [_to_flag(r) for r in session.scalars(query.limit(limit))]

    def resolve(self, flag_id: int, resolved: bool = True) -> bool:
        """Mark a flag resolved (or open again); False when there is no such flag."""
        from agent_app.storage.models import KbFlagRow  # noqa: PLC0415 - lazy ORM

        with self._database().write() as session:
            row = session.get(KbFlagRow, flag_id)
            if row is None:
                return False
            row.resolved = resolved
            return True

    def open_count(self) -> int:
        """How many flags are not resolved yet."""
        from sqlalchemy import func, select  # noqa: PLC0415 - lazy ORM

        from agent_app.storage.models import KbFlagRow  # noqa: PLC0415

        with self._database().read() as session:
            query = select(func.count(KbFlagRow.id)).where(KbFlagRow.resolved.is_(False))
            return int(session.scalar(query) or 0)
