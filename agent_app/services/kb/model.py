"""Plain data of the knowledge base: articles, search hits, feedback flags and the ranking
parameters."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date

Span = tuple[int, int]


@dataclass(frozen=True)
class Article:
    """One searchable document: a Markdown article or a row of an answer collection."""

    id: str
    title: str
    body: str
    answer: str
    """The text an operator reads out or inserts into the reply (a section of the body)."""
    keywords: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    unit: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    updated: date | None = None
    source: str = ""
    sample: bool = False
    """The front matter says ``sample: true``."""
    kind: str = "article"
    """``article`` (Markdown file) or ``answer`` (row of a CSV collection)."""
    path: str = ""
    """File the document comes from, relative to the knowledge-base directory."""
    placeholder: bool = False
    """Sample content (示例内容), not a verified answer: shown so the operator sees that the
    topic exists, never inserted into a ticket or read to a caller (rule:
    :func:`agent_app.services.kb.loader.is_placeholder`)."""

    @property
    def answerable(self) -> bool:
        """True when the answer may go into a ticket or be read to a caller."""
        return not self.placeholder

    def is_valid_on(self, day: date) -> bool:
        """True when ``day`` lies inside the article's validity period."""
        if self.valid_from is not None and day < self.valid_from:
            return False
        return not (self.valid_to is not None and day > self.valid_to)


@dataclass(frozen=True)
class SearchHit:
    """One result of a search, with a snippet and the spans of the matched text."""

    article_id: str
    title: str
    snippet: str
    snippet_spans: tuple[Span, ...]
    """Half-open ``(start, end)`` character offsets of matches inside ``snippet``."""
    title_spans: tuple[Span, ...]
    score: float
    categories: tuple[str, ...] = ()
    kind: str = "article"
    sample: bool = False
    placeholder: bool = False
    """The article is sample content (see :attr:`Article.placeholder`)."""

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.article_id,
            "title": self.title,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "snippet_spans": [list(s) for s in self.snippet_spans],
            "title_spans": [list(s) for s in self.title_spans],
            "categories": list(self.categories),
            "kind": self.kind,
            "sample": self.sample,
            "placeholder": self.placeholder,
        }


@dataclass(frozen=True)
class IndexInfo:
    """What the current index holds."""

    path: str
    documents: int
    terms: int
    fingerprint: str
    format_version: int
    built_at: str
    build_seconds: float = 0.0
    rebuilt: bool = False
    warnings: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RankingParams:
    """Ranking parameters.  The index-time ones are part of the index fingerprint.

    The score of a document is ``cosine_weight × cosine + bm25_weight × bm25 / best bm25``:
    the TF-IDF cosine (0…1) plus, optionally, the BM25F score relative to the query's best.
    ``k1``, ``body_b``, ``bigram_weight``, ``k3`` and the two mixing weights were chosen by a
    grid search on the even-id half of the message → reply pairs
    (``benchmarks/eval_kb_pairs.py --tune``); the odd-id half is never used for tuning.
    """

    k1: float = 1.2
    title_weight: float = 3.0
    keywords_weight: float = 2.0
    body_weight: float = 1.0
    title_b: float = 0.5
    keywords_b: float = 0.3
    body_b: float = 0.9
    # query time
    word_weight: float = 1.0
    bigram_weight: float = 0.5
    k3: float = 100.0
    max_df_ratio: float = 0.5
    """Terms in more than this share of the documents are ignored (once there are 50+)."""
    cosine_weight: float = 1.0
    bm25_weight: float = 0.0

    def index_key(self) -> str:
        d = asdict(self)
        keys = (
            "k1",
            "title_weight",
            "keywords_weight",
            "body_weight",
            "title_b",
            "keywords_b",
            "body_b",
            "max_df_ratio",
        )
        return json.dumps({k: d[k] for k in keys}, sort_keys=True)
