"""Category proposals from a call's transcript, and the transcript extractor's wiring (Qt-free).

The transcript strip proposes a category while the caller speaks.  The earlier proposal was one
catalogue keyword: the longest keyword of at least three characters found in the last segment
won.  A keyword said in passing then named the category: "天花板漏水 … 我身份证号是…" proposed
身份证管理 (漏水 was too short to count, 身份证 was long enough).  :class:`TranscriptCategorizer`
scores every catalogue category by all of its words heard *in the call so far* (keywords,
the leaf name and, weaker, the upper levels; a word many categories share counts less), leaves
out what callers say to identify themselves (身份证号, 电话, 名字 …), and proposes a category only
when it clearly leads: at least :data:`MIN_SCORE` of evidence and :data:`MIN_SHARE` of all
scores.  Otherwise it proposes nothing, and the operator's form keeps its own chips.

:func:`build_transcript_extractor` builds the :class:`~agent_app.services.speech.extract.Extractor`
the window uses (the place names and the geocoder of the gazetteer, this categorizer).
:func:`longest_keyword_lookup` is the earlier rule, kept for the benchmark's "before" row.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from agent_app.services.speech.extract import Extractor
from agent_app.services.suggest.coldstart import CatalogueRecord
from agent_app.services.suggest.features import normalise

MIN_KEYWORD_CHARS = 3
"""The earlier rule's shortest keyword (two-character words such as 孩子, 物业 name no category)."""

MIN_TERM_CHARS = 2
KEYWORD_WEIGHT = 1.0
LEAF_WEIGHT = 1.0
PARENT_WEIGHT = 0.35
MIN_SCORE = 2.0
"""Least evidence for a proposal (one catalogue word of two characters that a single category
has scores about 8; an upper-level name shared by many categories about 1)."""
MIN_SHARE = 0.4
"""Least share of the top category in the scores of all categories heard.  Both cut-offs were
chosen on the even half of the training scenarios (``benchmarks/eval_transcript_form.py
--grid``): 0.4 keeps every right proposal of that half and drops one wrong and one spurious."""

# What callers say to identify themselves or be called back; words in it name no request.
_PERSONAL = re.compile(
    r"(?:身份证(?:号码|号)?|证件号(?:码)?|手机号(?:码)?|电话(?:号码|号)?|联系方式|名字|姓名)"
    r"(?:是|为|叫)?[0-9xX零〇幺一二两三四五六七八九十]*"
)
_SPACE = re.compile(r"\s+")
MEMO_LINES = 2_000


def clean_for_category(text: str) -> str:
    """The words that may name the request: spaces removed, identity phrases left out."""
    return _PERSONAL.sub("，", _SPACE.sub("", normalise(text)))


def _split_name(name: str) -> list[str]:
    text = normalise(name)
    parts = [text]
    for sep in ("和", "与", "及", "、", "/", "，", ",", " ", "（", "(", "）", ")"):
        parts = [p for chunk in parts for p in chunk.split(sep)]
    out = {text} | {p for p in parts}
    return [p for p in out if len(p) >= MIN_TERM_CHARS]


@dataclass(frozen=True)
class CategoryGuess:
    """A category proposed from the transcript: its path, the words heard and a confidence."""

    code: str
    path: str
    """``一级/二级/三级``: how the transcript's proposals name a category."""
    words: tuple[str, ...]
    """The catalogue words heard that support it, strongest first."""
    confidence: float
    """Its share of the scores of all categories heard (0–1)."""


class TranscriptCategorizer:
    """Scores catalogue categories by the words of a whole call; abstains when unsure."""

    def __init__(
        self,
        records: Iterable[CatalogueRecord],
        *,
        min_score: float = MIN_SCORE,
        min_share: float = MIN_SHARE,
    ) -> None:
        self.records = list(records)
        self.min_score = min_score
        self.min_share = min_share
        terms: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, rec in enumerate(self.records):
            weights: dict[str, float] = {}
            for term in _split_name(rec.name):
                weights[term] = max(weights.get(term, 0.0), LEAF_WEIGHT)
            for keyword in rec.keywords:
                kw = normalise(keyword)
                if len(kw) >= MIN_TERM_CHARS and not kw.isdigit():
                    weights[kw] = max(weights.get(kw, 0.0), KEYWORD_WEIGHT)
            for parent in rec.path[:-1]:
                for term in _split_name(parent):
                    weights[term] = max(weights.get(term, 0.0), PARENT_WEIGHT)
            for term, weight in weights.items():
                terms[term].append((i, weight))
        n = max(1, len(self.records))
        self._terms = dict(terms)
        self._gain = {t: math.log(1 + n / len(h)) * math.sqrt(len(t)) for t, h in terms.items()}
        self._max_len = max((len(t) for t in terms), default=0)
        self._memo: dict[str, frozenset[str]] = {}

    def _found(self, text: str) -> set[str]:
        found: set[str] = set()
        for size in range(self._max_len, MIN_TERM_CHARS - 1, -1):
            for start in range(0, len(text) - size + 1):
                piece = text[start : start + size]
                if piece in self._terms:
                    found.add(piece)
        return found

    def _found_in(self, text: str) -> set[str]:
        """Catalogue words in ``text``, line by line (a call's lines are joined with "，", which
        no catalogue word holds); each line's words are remembered, so a long call costs only
        its new line."""
        found: set[str] = set()
        for line in text.split("，"):
            words = self._memo.get(line)
            if words is None:
                words = frozenset(self._found(clean_for_category(line)))
                if len(self._memo) >= MEMO_LINES:
                    self._memo.clear()
                self._memo[line] = words
            found |= words
        return found

    def rank(self, text: str, limit: int | None = None) -> list[tuple[CategoryGuess, float]]:
        """Categories with evidence in ``text`` (the best ``limit``, default all):
        (guess, raw score), best first."""
        found = self._found_in(text)
        totals: dict[int, float] = defaultdict(float)
        support: dict[int, list[tuple[float, str]]] = defaultdict(list)
        for term in found:
            for index, weight in self._terms[term]:
                gain = weight * self._gain[term]
                totals[index] += gain
                support[index].append((gain, term))
        norm = sum(totals.values()) or 1.0
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], self.records[kv[0]].code))
        ranked = ranked[:limit] if limit is not None else ranked
        out = []
        for index, score in ranked:
            rec = self.records[index]
            words = tuple(t for _, t in sorted(support[index], key=lambda gt: (-gt[0], gt[1])))
            guess = CategoryGuess(rec.code, "/".join(rec.path), words, round(score / norm, 3))
            out.append((guess, score))
        return out

    def guess(self, text: str) -> CategoryGuess | None:
        """The category ``text`` clearly names, or None (too little evidence, or no clear lead)."""
        ranked = self.rank(text, limit=1)
        if not ranked:
            return None
        best, score = ranked[0]
        if score < self.min_score or best.confidence < self.min_share:
            return None
        return best

    def __call__(self, segment: str, heard: str) -> list[tuple[str, str, float]]:
        """The extractor's categorizer: ``[(words, category path, confidence)]`` for the call
        so far (``heard``, including ``segment``); empty when unsure."""
        best = self.guess(heard)
        if best is None:
            return []
        in_segment = [w for w in best.words if w in _SPACE.sub("", segment)]
        words = in_segment[0] if in_segment else best.words[0]
        return [(words, best.path, best.confidence)]


def catalogue_records(categories: Iterable[Any]) -> list[CatalogueRecord]:
    """Catalogue categories (``code``, ``level1..3``, ``keywords``) as scorer records."""
    return [
        CatalogueRecord(c.code, (c.level1, c.level2, c.level3), tuple(c.keywords))
        for c in categories
    ]


def longest_keyword_lookup(categories: Iterable[Any]) -> Any:
    """The earlier rule (before): the longest catalogue keyword of ≥ 3 characters in a segment."""
    keywords: dict[str, str] = {}
    for category in categories:
        path = f"{category.level1}/{category.level2}/{category.level3}"
        for keyword in category.keywords:
            if len(keyword) >= MIN_KEYWORD_CHARS and not keyword.isdigit():
                keywords.setdefault(keyword, path)

    def lookup(text: str) -> Sequence[tuple[str, str]]:
        found = [(k, c) for k, c in keywords.items() if k in text]
        return sorted(found, key=lambda kc: -len(kc[0]))[:1]

    return lookup


def build_transcript_extractor(
    gazetteer: Any | None, categories: Sequence[Any] | None, **extractor_options: Any
) -> Extractor:
    """The transcript extractor: the gazetteer's places and geocoder, the call's categorizer."""
    places: list[str] = []
    geocoder = None
    if gazetteer is not None:
        gaz = gazetteer
        places = [d.name for d in gaz.districts.values()] + [t.name for t in gaz.townships.values()]

        def geocode(text: str) -> dict[str, object] | None:
            result = gaz.resolve(text)
            return result.as_dict() if result.district_code else None

        geocoder = geocode
    categorizer = TranscriptCategorizer(catalogue_records(categories)) if categories else None
    return Extractor(categorizer=categorizer, geocoder=geocoder, places=places, **extractor_options)


__all__ = [
    "CategoryGuess",
    "TranscriptCategorizer",
    "build_transcript_extractor",
    "catalogue_records",
    "clean_for_category",
    "longest_keyword_lookup",
]
