"""Plain data of the knowledge base: articles, search hits and feedback flags."""

from __future__ import annotations

from dataclasses import dataclass, field
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
