"""Cold-start category suggestions from the catalogue alone (no historic tickets yet).

The catalogue is passed in as plain records ``(code, path names, keywords)`` so this module does
not depend on how the catalogue is stored.  A category scores by the catalogue words found in
the text: every keyword and the leaf name count in full, names of the upper levels count less,
and a word shared by many categories counts less than a rare one (an IDF weight).  Longer
matches count more than short ones.  Scores are normalised to sum to 1 over the returned list.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from agent_app.services.suggest.features import normalise

LEAF_WEIGHT = 1.0
KEYWORD_WEIGHT = 1.0
PARENT_WEIGHT = 0.35
MIN_TERM_CHARS = 2


@dataclass(frozen=True)
class CatalogueRecord:
    """One category: its code, its names from the top level down, and its keywords."""

    code: str
    path: tuple[str, ...]
    keywords: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.path[-1] if self.path else self.code


def _split_name(name: str) -> list[str]:
    """A catalogue name and its parts split at 和/与/及/、/punctuation (园林绿化环卫 stays)."""
    text = normalise(name)
    parts = [text]
    for sep in ("和", "与", "及", "、", "/", "，", ",", " ", "（", "("):
        parts = [p for chunk in parts for p in chunk.split(sep)]
    out = {text} | {p.strip("）)") for p in parts}
    return [p for p in out if len(p) >= MIN_TERM_CHARS]


class ColdStartSuggester:
    """Keyword scorer over catalogue records; :meth:`predict` returns ``(code, score)``."""

    def __init__(
        self, records: Iterable[CatalogueRecord | tuple[str, Sequence[str], Sequence[str]]]
    ):
        self.records: list[CatalogueRecord] = []
        for rec in records:
            if not isinstance(rec, CatalogueRecord):
                code, path, keywords = rec
                rec = CatalogueRecord(str(code), tuple(path), tuple(keywords))
            self.records.append(rec)
        # term -> list of (record index, weight)
        self._terms: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, rec in enumerate(self.records):
            weights: dict[str, float] = {}
            for term in _split_name(rec.name):
                weights[term] = max(weights.get(term, 0.0), LEAF_WEIGHT)
            for kw in rec.keywords:
                kw_n = normalise(kw)
                if len(kw_n) >= MIN_TERM_CHARS:
                    weights[kw_n] = max(weights.get(kw_n, 0.0), KEYWORD_WEIGHT)
            for parent in rec.path[:-1]:
                for term in _split_name(parent):
                    weights[term] = max(weights.get(term, 0.0), PARENT_WEIGHT)
            for term, w in weights.items():
                self._terms[term].append((i, w))
        n = max(1, len(self.records))
        self._idf = {t: math.log(1 + n / len(hits)) for t, hits in self._terms.items()}
        self._max_len = max((len(t) for t in self._terms), default=0)

    def scores(self, text: str) -> dict[int, float]:
        """Raw scores by record index for the catalogue terms found in ``text``."""
        folded = normalise(text)
        found: set[str] = set()
        for size in range(MIN_TERM_CHARS, self._max_len + 1):
            for start in range(0, len(folded) - size + 1):
                piece = folded[start : start + size]
                if piece in self._terms:
                    found.add(piece)
        totals: dict[int, float] = defaultdict(float)
        for term in found:
            gain = self._idf[term] * math.sqrt(len(term))
            for index, weight in self._terms[term]:
                totals[index] += weight * gain
        return totals

    def predict(self, text: str, top: int = 3) -> list[tuple[str, float]]:
        """The ``top`` category codes for ``text``; empty when no catalogue word occurs."""
        totals = self.scores(text)
        if not totals:
            return []
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[: max(1, top)]
        norm = sum(totals.values())
        return [(self.records[i].code, s / norm) for i, s in ranked]

    def priors(self, level: int | None = None) -> list[tuple[str, str]]:
        """``(label, text)`` pseudo-documents for :func:`~.model.train_from_records`.

        With ``level`` (1-based) the label is the record's name at that level of its path
        (e.g. level 1 trains a first-level classifier); otherwise it is the record's code.
        """
        docs: list[tuple[str, str]] = []
        for rec in self.records:
            if level is not None:
                if len(rec.path) < level:
                    continue
                label = rec.path[level - 1]
                text_parts = list(rec.path[level:]) + list(rec.keywords)
                if not text_parts:
                    text_parts = [rec.path[level - 1]]
            else:
                label = rec.code
                text_parts = list(rec.path) + list(rec.keywords)
            docs.append((label, " ".join(text_parts)))
        return docs
