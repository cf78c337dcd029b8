"""Knowledge-base search (Qt-free).

Content lives as files (Markdown articles, CSV answer collections, a synonym list); the index
is a derived SQLite file rebuilt when the content changes.  Typical use::

    kb = KnowledgeBase(knowledge_base_dir(), DataPaths(root).kb_index)
    kb.warm_up()                       # optional: build/open the index, load jieba
    hits = kb.search("暖气不热", k=5)   # -> list[SearchHit]
    kb.article(hits[0].article_id)     # -> Article (also sample content, for display)
    kb.reply_text(hits[0].article_id)  # -> answer text for a ticket; refuses sample content
"""

from __future__ import annotations

from agent_app.services.kb.feedback import FLAG_KINDS, make_flag
from agent_app.services.kb.index import RankingParams
from agent_app.services.kb.loader import import_csv
from agent_app.services.kb.model import Article, IndexInfo, SearchHit
from agent_app.services.kb.service import KnowledgeBase, PlaceholderArticleError

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
