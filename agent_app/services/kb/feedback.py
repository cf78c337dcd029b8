"""Operator feedback on the knowledge base: an article is wrong, or an answer is missing.

The service does not store flags; it validates one and hands back a plain dict shaped like a
row of the seat database's ``kb_flags`` table, so the UI or a repository can persist it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from agent_app.errors import UsageError

FLAG_KINDS = ("wrong", "missing")
MAX_COMMENT = 2000


def make_flag(
    kind: str,
    *,
    article_id: str | None = None,
    comment: str = "",
    seat: str = "",
    operator_id: str = "",
    query: str = "",
    now: datetime | None = None,
) -> dict[str, object]:
    """Validate a flag and return it as a plain dict.

    ``kind`` is ``wrong`` (the article ``article_id`` is wrong or out of date) or ``missing``
    (no article answers ``query``; ``article_id`` may be empty).  The comment is kept as typed,
    trimmed to :data:`MAX_COMMENT` characters.  The keys match the columns of ``kb_flags``
    (``created_at`` is an aware UTC datetime).
    """
    if kind not in FLAG_KINDS:
        raise UsageError(f"Unknown flag kind {kind!r}; use one of: {', '.join(FLAG_KINDS)}.")
    article_id = (article_id or "").strip()
    comment = comment.strip()[:MAX_COMMENT]
    if kind == "wrong" and not article_id:
        raise UsageError("A 'wrong' flag needs the id of the article it is about.")
    if kind == "missing" and not (comment or query.strip()):
        raise UsageError("A 'missing' flag needs a comment or the query that found nothing.")
    created = (now or datetime.now(UTC)).astimezone(UTC)
    if kind == "missing" and query.strip() and not comment:
        comment = query.strip()[:MAX_COMMENT]
    return {
        "article_id": article_id,
        "kind": kind,
        "comment": comment,
        "seat": seat,
        "operator_id": operator_id,
        "created_at": created,
    }
