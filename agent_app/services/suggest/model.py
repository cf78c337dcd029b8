"""The learned category suggester: training, persistence and prediction.

A model directory holds ``model.joblib`` (the fitted :class:`~.features.FieldVectorizer` and
classifier) and ``meta.json`` (format version, labels, sizes, feature configuration, library
versions, creation time).  A directory written by another format version, or by another
scikit-learn minor version, is refused with a message to retrain: pickles are not portable
across those.  Only load model directories the app wrote itself (joblib files are pickles).

Catalogue entries can be added to the training set as short pseudo-documents ("priors"): the
names and keywords of every category under a label.  On the development set (199 messages, 7
classes) plain 5×5-fold CV gives about 0.64 top-1 without them and 0.80 with them, and the
nested CV of ``benchmarks/eval_suggest.py`` keeps them in every fold (figures and the other
candidates measured in ``docs/suggest.md``); with no historic tickets at all they give a usable
cold start.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent_app.errors import ConfigError, UsageError
from agent_app.services.suggest.features import FeatureConfig, FieldVectorizer, TextInput

FORMAT_VERSION = 1
MODEL_FILE = "model.joblib"
META_FILE = "meta.json"
CLASSIFIERS = ("cnb", "svc")
FAST_ROWS = 16
"""Up to this many texts per call go through the per-row path (no scikit-learn overhead)."""

Ranking = list[tuple[str, float]]


class ModelFormatError(ConfigError):
    """The model directory was written by an incompatible version; it must be retrained."""


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides how a model is trained."""

    features: FeatureConfig = field(default_factory=FeatureConfig)
    classifier: str = "cnb"
    alpha: float = 0.3
    """Smoothing of ComplementNB (or 1/C of the linear SVM)."""
    prior_weight: float = 1.0
    """Sample weight of each catalogue pseudo-document relative to a real ticket."""

    def to_json(self) -> dict[str, Any]:
        return {
            "features": self.features.to_json(),
            "classifier": self.classifier,
            "alpha": self.alpha,
            "prior_weight": self.prior_weight,
        }


def _n_fields(texts: Sequence[TextInput]) -> int:
    widest = 1
    for t in texts:
        if not isinstance(t, str):
            widest = max(widest, len(t))
    return widest


def _make_classifier(config: TrainConfig) -> Any:
    if config.classifier == "cnb":
        from sklearn.naive_bayes import ComplementNB  # noqa: PLC0415 - heavy

        return ComplementNB(alpha=config.alpha)
    if config.classifier == "svc":
        from sklearn.svm import LinearSVC  # noqa: PLC0415 - heavy

        return LinearSVC(C=1.0 / max(config.alpha, 1e-6))
    raise UsageError(
        f"Unknown classifier {config.classifier!r}; choose one of {', '.join(CLASSIFIERS)}."
    )


def _softmax_rows(scores: Any) -> Any:
    import numpy as np  # noqa: PLC0415 - heavy

    z = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class CategorySuggester:
    """A fitted model: texts in, ranked ``(label, score)`` lists out (scores sum to 1)."""

    def __init__(self, vectorizer: FieldVectorizer, classifier: Any, meta: dict[str, Any]):
        self._vectorizer = vectorizer
        self._classifier = classifier
        self.meta = meta

    @property
    def labels(self) -> list[str]:
        return [str(c) for c in self._classifier.classes_]

    def probabilities(self, texts: Sequence[TextInput]) -> Any:
        """An ``n × labels`` array of scores in the order of :attr:`labels`."""
        linear = self._linear()
        if linear is not None and len(texts) <= FAST_ROWS:
            import numpy as np  # noqa: PLC0415 - heavy

            weights, bias, scale = linear
            rows = []
            for text in texts:
                idx, val = self._vectorizer.transform_one(text)
                rows.append((val @ weights[idx] + bias) * scale)
            return _softmax_rows(np.vstack(rows))
        x = self._vectorizer.transform(texts)
        if hasattr(self._classifier, "predict_proba"):
            return self._classifier.predict_proba(x)
        return _softmax_rows(self._classifier.decision_function(x) * 5.0)

    def _linear(self) -> tuple[Any, Any, float] | None:
        """``(weights[n_features, labels], bias[labels], scale)`` when the classifier's scores
        are a linear function of the features followed by a softmax (cached), else None.

        ComplementNB's probabilities are the softmax of ``X @ feature_log_prob_.T``; the
        linear SVM's scores here are the softmax of 5 × its decision function.  Computing
        them over the few hundred non-zero columns of one ticket avoids scikit-learn's input
        validation and a product with the whole (features × labels) matrix on every call.
        """
        if "_linear_cache" in self.__dict__:
            return self.__dict__["_linear_cache"]
        import numpy as np  # noqa: PLC0415 - heavy

        clf = self._classifier
        n_labels = len(clf.classes_)
        found: tuple[Any, Any, float] | None = None
        if type(clf).__name__ == "ComplementNB":
            bias = clf.class_log_prior_ if n_labels == 1 else np.zeros(n_labels)
            found = (np.ascontiguousarray(clf.feature_log_prob_.T), np.asarray(bias), 1.0)
        elif type(clf).__name__ == "LinearSVC" and clf.coef_.shape[0] == n_labels > 2:
            found = (np.ascontiguousarray(clf.coef_.T), np.asarray(clf.intercept_), 5.0)
        self.__dict__["_linear_cache"] = found
        return found

    def predict(self, texts: Sequence[TextInput], top: int = 3) -> list[Ranking]:
        """For each text, the ``top`` labels with their scores, best first."""
        if not texts:
            return []
        import numpy as np  # noqa: PLC0415 - heavy

        probs = self.probabilities(texts)
        labels = self.labels
        k = max(1, min(top, len(labels)))
        order = np.argsort(-probs, axis=1, kind="stable")[:, :k]
        return [
            [(labels[j], float(row[j])) for j in idx] for row, idx in zip(probs, order, strict=True)
        ]

    def predict_one(self, text: TextInput, top: int = 3) -> Ranking:
        return self.predict([text], top=top)[0]

    def save(self, out_dir: str | Path) -> Path:
        import joblib  # noqa: PLC0415 - heavy

        path = Path(out_dir)
        try:
            path.mkdir(parents=True, exist_ok=True)
            tmp = path / (MODEL_FILE + ".tmp")
            joblib.dump({"vectorizer": self._vectorizer, "classifier": self._classifier}, tmp)
            tmp.replace(path / MODEL_FILE)
            (path / META_FILE).write_text(
                json.dumps(self.meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
        except OSError as exc:
            raise ConfigError(
                f"Cannot write the model to {path} ({exc.strerror or exc}); "
                "choose another --model-out or fix its permissions."
            ) from exc
        return path

    @classmethod
    def load(cls, model_dir: str | Path) -> CategorySuggester:
        """Load a model directory, or raise a :class:`KnownError` that says what to do."""
        path = Path(model_dir)
        meta = read_meta(path)
        import joblib  # noqa: PLC0415 - heavy

        try:
            payload = joblib.load(path / MODEL_FILE)
        except FileNotFoundError as exc:
            raise ConfigError(
                f"The model directory {path} has no {MODEL_FILE}; retrain it with "
                "'agent-app suggest train'."
            ) from exc
        except Exception as exc:  # any unpickling failure means: retrain
            raise ModelFormatError(
                f"The model in {path} cannot be read ({type(exc).__name__}); retrain it with "
                "'agent-app suggest train'."
            ) from exc
        return cls(payload["vectorizer"], payload["classifier"], meta)


def read_meta(model_dir: Path) -> dict[str, Any]:
    """Read and check ``meta.json``: format version and scikit-learn version must match."""
    meta_path = model_dir / META_FILE
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(
            f"No suggestion model in {model_dir} ({META_FILE} is missing); train one with "
            "'agent-app suggest train'."
        ) from exc
    except (OSError, ValueError) as exc:
        raise ModelFormatError(
            f"The model metadata {meta_path} is unreadable; retrain the model with "
            "'agent-app suggest train'."
        ) from exc
    version = meta.get("format_version") if isinstance(meta, dict) else None
    if version != FORMAT_VERSION:
        raise ModelFormatError(
            f"The model in {model_dir} has format version {version}, this app reads "
            f"version {FORMAT_VERSION}; retrain it with 'agent-app suggest train'."
        )
    import sklearn  # noqa: PLC0415 - heavy

    saved = str(meta.get("sklearn_version", ""))
    if saved.split(".")[:2] != sklearn.__version__.split(".")[:2]:
        raise ModelFormatError(
            f"The model in {model_dir} was trained with scikit-learn {saved}, this app has "
            f"{sklearn.__version__}; retrain it with 'agent-app suggest train'."
        )
    return meta


def _slim(classifier: Any) -> None:
    """Keep only what prediction needs, in float32 (a model over a few hundred leaf categories
    and 100,000 features is otherwise about 1 GB, twice over in memory).

    ComplementNB predicts from ``feature_log_prob_`` alone; the training counts are dropped
    (the model cannot be updated with ``partial_fit``, it is retrained instead).  The log
    probabilities are stored column-major so that the per-ticket path's transposed view needs
    no copy.
    """
    import numpy as np  # noqa: PLC0415 - heavy

    if type(classifier).__name__ == "ComplementNB":
        classifier.feature_log_prob_ = np.asfortranarray(
            classifier.feature_log_prob_, dtype=np.float32
        )
        for name in ("feature_count_", "feature_all_"):
            if hasattr(classifier, name):
                delattr(classifier, name)


def train_from_records(
    texts: Sequence[TextInput],
    labels: Sequence[str],
    out_dir: str | Path | None = None,
    *,
    priors: Sequence[tuple[str, TextInput]] = (),
    config: TrainConfig | None = None,
    priors_known_labels_only: bool = False,
    extra_meta: dict[str, Any] | None = None,
    unlabelled: Sequence[TextInput] = (),
) -> CategorySuggester:
    """Fit a suggester on labelled texts (plus optional catalogue priors) and save it.

    ``texts`` are strings or tuples of fields (subject, details, ...); ``priors`` are
    ``(label, text)`` pseudo-documents built from the catalogue.  With ``out_dir`` the model is
    written there (``model.joblib`` + ``meta.json``).  With ``priors_known_labels_only`` the
    priors of labels that no ticket carries are left out (the model then only proposes labels
    the centre has used).  ``unlabelled`` texts (tickets without a trusted label) only shape
    the features: the character n-gram vocabulary and IDF are fitted over them as well, so that
    n-grams the few labelled texts lack still count, with a document frequency measured on
    thousands of texts instead of a few hundred (+0.05 top-1 on the development half, see
    ``docs/suggest.md``).  Their labels are never guessed (self-training lowered accuracy).
    """
    import numpy as np  # noqa: PLC0415 - heavy
    import sklearn  # noqa: PLC0415 - heavy

    config = config or TrainConfig()
    if len(texts) != len(labels):
        raise UsageError(f"Got {len(texts)} texts but {len(labels)} labels; they must match.")
    if priors_known_labels_only:
        known = {str(lab) for lab in labels}
        priors = [(lab, t) for lab, t in priors if str(lab) in known]
    rows = list(texts) + [t for _, t in priors]
    y = [str(lab) for lab in labels] + [str(lab) for lab, _ in priors]
    if len(set(y)) < 2:
        raise UsageError("Training needs at least two different labels; check the label column.")
    weights = np.concatenate(
        [np.ones(len(texts)), np.full(len(priors), float(config.prior_weight))]
    )
    fit_rows = rows + list(unlabelled)
    vectorizer = FieldVectorizer(config.features, _n_fields(fit_rows)).fit(fit_rows)
    x = vectorizer.transform(rows)
    classifier = _make_classifier(config)
    classifier.fit(x, np.asarray(y), sample_weight=weights)
    _slim(classifier)
    meta: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "kind": "category",
        "labels": [str(c) for c in classifier.classes_],
        "training_size": len(texts),
        "prior_size": len(priors),
        "unlabelled_size": len(unlabelled),
        "n_fields": vectorizer.n_fields,
        "n_features": vectorizer.n_features,
        "config": config.to_json(),
        "sklearn_version": sklearn.__version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    meta.update(extra_meta or {})
    model = CategorySuggester(vectorizer, classifier, meta)
    if out_dir is not None:
        model.save(out_dir)
    return model


def blend(rankings: Sequence[tuple[Ranking, float]], top: int = 3) -> Ranking:
    """Weighted sum of several rankings (e.g. learned + cold start), renormalised."""
    total: dict[str, float] = {}
    for ranking, weight in rankings:
        for label, score in ranking:
            total[label] = total.get(label, 0.0) + weight * score
    norm = sum(total.values())
    if norm <= 0 or not math.isfinite(norm):
        return []
    ranked = sorted(total.items(), key=lambda kv: -kv[1])[:top]
    return [(label, score / norm) for label, score in ranked]


__all__ = [
    "CategorySuggester",
    "ModelFormatError",
    "TrainConfig",
    "blend",
    "read_meta",
    "train_from_records",
]
