"""Knowledge-base search (Qt-free).

Content lives as files (Markdown articles, CSV answer collections, a synonym list); the index
is a derived SQLite file rebuilt when the content changes.  Typical use::

    kb = KnowledgeBase(knowledge_base_dir(), DataPaths(root).kb_index)
    kb.warm_up()                       # optional: build/open the index, load jieba
    hits = kb.search("暖气不热", k=5)   # -> list[SearchHit]
    kb.article(hits[0].article_id)     # -> Article (also sample content, for display)
    kb.reply_text(hits[0].article_id)  # -> answer text for a ticket; refuses sample content

The names below come from their submodules on first use (:func:`__getattr__`): the window
imports ``service`` (and ``feedback``, for the flag store) before its first paint; ``model``
comes with the first search or article, and the index, tokenizer and loader when the index is
opened (in a worker).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent_app.deferred import load as load_deferred

if TYPE_CHECKING:
    from agent_app.services.kb.feedback import FLAG_KINDS, make_flag
    from agent_app.services.kb.loader import import_csv
    from agent_app.services.kb.model import Article, IndexInfo, RankingParams, SearchHit
    from agent_app.services.kb.service import KnowledgeBase, PlaceholderArticleError

_SUBMODULE = {
    "FLAG_KINDS": "feedback",
    "make_flag": "feedback",
    "import_csv": "loader",
    "Article": "model",
    "IndexInfo": "model",
    "RankingParams": "model",
    "SearchHit": "model",
    "KnowledgeBase": "service",
    "PlaceholderArticleError": "service",
}

__all__ = [
    "FLAG_KINDS",
    "Article",
    "IndexInfo",
    "KnowledgeBase",
    "PlaceholderArticleError",
    "RankingParams",
    "SearchHit",
    "import_csv",
    "make_flag",
]


def __getattr__(name: str) -> object:
    """``from agent_app.services.kb import X``: X's submodule is imported now (PEP 562)."""
    submodule = _SUBMODULE.get(name)
    if submodule is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(load_deferred(f"{__name__}.{submodule}"), name)
