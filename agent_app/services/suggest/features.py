"""Text features for the category suggester.

A ticket is one or more text fields (subject, details, the operator's notes).  Each field gets
its own TF-IDF vectoriser over character n-grams (Chinese needs no word segmentation for this,
and character 1–3-grams beat jieba words on the development set), the first field can weigh
more than the others, and the row is L2-normalised.  The class is picklable so a fitted
instance is saved with the model.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

Fields = Sequence[str]
TextInput = str | Fields

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold full-width forms and case and collapse white space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text or "")).strip().lower()


def as_fields(text: TextInput, n_fields: int) -> list[str]:
    """One row as exactly ``n_fields`` strings (a plain string is the first field)."""
    values = [text] if isinstance(text, str) else list(text)
    values = values[:n_fields] + [""] * (n_fields - len(values))
    return [normalise(v) for v in values]


@dataclass(frozen=True)
class FeatureConfig:
    """How texts become features; stored in the model's ``meta.json``."""

    ngram_min: int = 1
    ngram_max: int = 3
    field_weights: tuple[float, ...] = (1.0, 1.0)
    min_df: int = 1
    max_features: int | None = 300_000
    body_chars: int = 0
    """Keep only the first ``body_chars`` characters of each field after the first (0: all)."""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["field_weights"] = list(self.field_weights)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeatureConfig:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if "field_weights" in known:
            known["field_weights"] = tuple(float(w) for w in known["field_weights"])
        return cls(**known)


@dataclass
class FieldVectorizer:
    """Per-field TF-IDF over character n-grams, weighted, concatenated, L2-normalised."""

    config: FeatureConfig
    n_fields: int
    vectorizers: list[Any] = field(default_factory=list)

    def _rows(self, texts: Sequence[TextInput]) -> list[list[str]]:
        rows = [as_fields(t, self.n_fields) for t in texts]
        cut = self.config.body_chars
        if cut > 0:
            rows = [[r[0]] + [v[:cut] for v in r[1:]] for r in rows]
        return rows

    def fit(self, texts: Sequence[TextInput]) -> FieldVectorizer:
        from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415 - heavy

        rows = self._rows(texts)
        self.vectorizers = []
        for i in range(self.n_fields):
            column = [r[i] for r in rows]
            vec = TfidfVectorizer(
                analyzer="char",
                ngram_range=(self.config.ngram_min, self.config.ngram_max),
                sublinear_tf=True,
                min_df=self.config.min_df if len(column) > 50 else 1,
                max_features=self.config.max_features,
                dtype=_float32(),
            )
            if any(column):
                vec.fit(column)
                self.vectorizers.append(vec)
            else:
                self.vectorizers.append(None)
        return self

    def transform(self, texts: Sequence[TextInput]) -> Any:
        from scipy.sparse import csr_matrix, hstack  # noqa: PLC0415 - heavy
        from sklearn.preprocessing import normalize  # noqa: PLC0415 - heavy

        rows = self._rows(texts)
        blocks = []
        for i, vec in enumerate(self.vectorizers):
            if vec is None:
                continue
            weight = self.weight(i)
            block = vec.transform([r[i] for r in rows])
            blocks.append(block * weight if weight != 1.0 else block)
        if not blocks:
            return csr_matrix((len(rows), 1))
        return normalize(hstack(blocks, format="csr"))

    def weight(self, index: int) -> float:
        weights = self.config.field_weights
        if not weights:
            return 1.0
        return float(weights[index] if index < len(weights) else weights[-1])

    @property
    def n_features(self) -> int:
        return sum(len(v.vocabulary_) for v in self.vectorizers if v is not None)


def _float32() -> Any:
    import numpy as np  # noqa: PLC0415 - heavy

    return np.float32
