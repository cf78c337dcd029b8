"""Calibrated abstention for category chips: one chip when the model is sure, several when
it hesitates, none when even its first three are unlikely to hold the right one.

The operator reads the chips in the form; three chips when the first is almost always right cost
attention for nothing, one chip when the model is unsure hides the right answer, and chips that
are mostly wrong lead the operator astray.  Two thresholds on the first proposal's probability
decide, chosen on cross-validated predictions of the training data (the dev half of the labelled
messages): :func:`confident_threshold` (single chips reach a target precision) and
:func:`unsure_threshold` (below it the chips shown were right less often than a floor).
:class:`Calibration` holds them with the precision each kind of display reached on held-out
messages, as measured by ``benchmarks/eval_category_abstention.py --write`` and stored in
``knowledge_base/suggest/category_abstention.json`` (data, not code); :func:`decide` applies it
to a ranking.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TARGET_PRECISION = 0.95
"""Share of single chips that must be right on the cross-validated predictions."""
MIN_SUPPORT = 20
"""Fewest predictions above the threshold for the precision to count as measured."""
UNSURE_FLOOR = 0.5
"""Below the unsure threshold the chips shown held the right category less often than this."""
UNSURE_MIN_SUPPORT = 10
"""Fewest predictions below the unsure threshold for it to count as measured."""

SINGLE, SEVERAL, NONE = "single", "several", "none"
"""The three displays: one confident chip, several candidates, no chip (the operator picks)."""


def confident_threshold(
    top1_probabilities: Sequence[float],
    correct: Sequence[bool],
    *,
    target: float = TARGET_PRECISION,
    min_support: int = MIN_SUPPORT,
) -> float | None:
    """The lowest first-proposal probability above which the proposals were right at least
    ``target`` of the time (over at least ``min_support`` of them), or None when no threshold
    reaches it (then every ranking keeps all its chips)."""
    if len(top1_probabilities) != len(correct):
        raise ValueError("top1_probabilities and correct must have the same length")
    pairs = sorted(zip(top1_probabilities, correct, strict=True), key=lambda pc: -pc[0])
    best: float | None = None
    right = 0
    for count, (probability, ok) in enumerate(pairs, start=1):
        right += bool(ok)
        next_differs = count == len(pairs) or pairs[count][0] < probability
        if next_differs and count >= min_support and right / count >= target:
            best = probability
    return best


def unsure_threshold(
    top1_probabilities: Sequence[float],
    shown_correct: Sequence[bool],
    *,
    floor: float = UNSURE_FLOOR,
    min_support: int = UNSURE_MIN_SUPPORT,
) -> float | None:
    """The highest first-proposal probability below which the chips shown (``shown_correct``:
    the right category among them) were right less than ``floor`` of the time, over at least
    ``min_support`` predictions; None when no such threshold exists (no ranking is hidden)."""
    if len(top1_probabilities) != len(shown_correct):
        raise ValueError("top1_probabilities and shown_correct must have the same length")
    pairs = sorted(zip(top1_probabilities, shown_correct, strict=True), key=lambda pc: pc[0])
    best: float | None = None
    right = 0
    for count, (probability, ok) in enumerate(pairs, start=1):
        right += bool(ok)
        if count == len(pairs):
            break  # hiding every ranking is not a threshold
        upper = pairs[count][0]
        if upper > probability and count >= min_support and right / count < floor:
            best = upper  # everything strictly below ``upper`` is hidden
    return best


@dataclass(frozen=True)
class Band:
    """What one display reached on the held-out messages: how many, their share, and how often
    the right category was among the chips shown (None: nothing shown or never measured)."""

    n: int = 0
    share: float = 0.0
    precision: float | None = None


@dataclass(frozen=True)
class Calibration:
    """Thresholds for one scorer and the held-out precision of each display.

    ``labels``: the number of labels of the model it was measured with; a model with another
    number of labels (a seat's leaf model) is not calibrated by it.
    """

    single_at: float | None = None
    none_below: float | None = None
    labels: int = 0
    bands: Mapping[str, Band] = field(default_factory=dict)
    source: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Calibration:
        bands = {
            str(kind): Band(
                int(b.get("n", 0)),
                float(b.get("share", 0.0)),
                None if b.get("precision") is None else float(b["precision"]),
            )
            for kind, b in dict(data.get("heldout", {})).items()
            if kind in (SINGLE, SEVERAL, NONE)
        }
        single, unsure = data.get("single_at"), data.get("none_below")
        return cls(
            None if single is None else float(single),
            None if unsure is None else float(unsure),
            int(data.get("labels", 0)),
            bands,
            str(data.get("source", "")),
        )

    def applies_to(self, labels: int) -> bool:
        return self.labels == labels


@dataclass(frozen=True)
class ChipDecision:
    """The display for one ranking: its ``mode``, the proposals shown, and the held-out
    precision of that display (None when not calibrated)."""

    mode: str
    shown: tuple[tuple[str, float], ...]
    precision: float | None = None
    measured_n: int = 0


def decide(ranking: Sequence[tuple[str, float]], calibration: Calibration | None) -> ChipDecision:
    """One chip, several or none for ``ranking`` (best first) under ``calibration``; without a
    calibration every proposal is shown (``several``), and an empty ranking is ``none``."""
    shown = tuple((str(code), float(score)) for code, score in ranking)
    if not shown:
        return ChipDecision(NONE, ())
    if calibration is None:
        return ChipDecision(SEVERAL, shown)
    top = shown[0][1]
    if calibration.single_at is not None and top >= calibration.single_at:
        mode, shown = SINGLE, shown[:1]
    elif calibration.none_below is not None and top < calibration.none_below:
        mode, shown = NONE, ()
    else:
        mode = SEVERAL
    band = calibration.bands.get(mode, Band())
    return ChipDecision(mode, shown, band.precision, band.n)


def measure_bands(
    top1_probabilities: Sequence[float],
    first_right: Sequence[bool],
    shown_right: Sequence[bool],
    single_at: float | None,
    none_below: float | None,
) -> dict[str, dict[str, Any]]:
    """How many rankings each display gets under the thresholds, their share and how often
    what it shows holds the right category (one chip: the first right; several and none: the
    right one among the first three), as stored in the calibration file's ``heldout``."""
    out: dict[str, dict[str, Any]] = {}
    total = len(top1_probabilities)
    groups: dict[str, list[bool]] = {SINGLE: [], SEVERAL: [], NONE: []}
    for p, first, shown in zip(top1_probabilities, first_right, shown_right, strict=True):
        if single_at is not None and p >= single_at:
            groups[SINGLE].append(bool(first))
        elif none_below is not None and p < none_below:
            groups[NONE].append(bool(shown))
        else:
            groups[SEVERAL].append(bool(shown))
    for kind, rights in groups.items():
        out[kind] = {
            "n": len(rights),
            "share": round(len(rights) / total, 3) if total else 0.0,
            "precision": round(sum(rights) / len(rights), 3) if rights else None,
        }
    return out


def load_calibrations(path: Path) -> dict[str, Calibration]:
    """The calibrations by scorer (``model``, ``coldstart`` …) in ``path``; {} when the file
    is missing or unreadable (then every ranking shows all its chips)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        source = str(data.get("source", ""))
        return {
            str(name): Calibration.from_mapping({"source": source, **entry})
            for name, entry in dict(data.get("scorers", {})).items()
        }
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def chips_to_show(
    ranking: Sequence[tuple[str, float]], threshold: float | None
) -> list[tuple[str, float]]:
    """The first proposal alone when its probability reaches ``threshold``, else all of them."""
    if threshold is not None and ranking and ranking[0][1] >= threshold:
        return [tuple(ranking[0])]  # type: ignore[list-item]
    return [tuple(r) for r in ranking]  # type: ignore[misc]


__all__ = [
    "MIN_SUPPORT",
    "NONE",
    "SEVERAL",
    "SINGLE",
    "TARGET_PRECISION",
    "UNSURE_FLOOR",
    "Band",
    "Calibration",
    "ChipDecision",
    "chips_to_show",
    "confident_threshold",
    "decide",
    "load_calibrations",
    "measure_bands",
    "unsure_threshold",
]
