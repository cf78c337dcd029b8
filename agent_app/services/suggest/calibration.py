"""Calibrated abstention for category chips: one chip when the model is sure, three otherwise.

The operator reads the chips in the form; three chips when the first is almost always right cost
attention for nothing, one chip when the model is unsure hides the right answer.  A threshold on
the first proposal's probability decides, chosen on held-out predictions of the training data
(cross-validation) so that the single chips shown reach a target precision:
:func:`confident_threshold`.  :func:`chips_to_show` applies it to a ranking.  The measured
precision of what is shown is in ``docs/suggest.md`` (``benchmarks/eval_category_abstention.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

TARGET_PRECISION = 0.95
"""Share of single chips that must be right on the cross-validated predictions."""
MIN_SUPPORT = 20
"""Fewest predictions above the threshold for the precision to count as measured."""


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


def chips_to_show(
    ranking: Sequence[tuple[str, float]], threshold: float | None
) -> list[tuple[str, float]]:
    """The first proposal alone when its probability reaches ``threshold``, else all of them."""
    if threshold is not None and ranking and ranking[0][1] >= threshold:
        return [tuple(ranking[0])]  # type: ignore[list-item]
    return [tuple(r) for r in ranking]  # type: ignore[misc]


__all__ = ["MIN_SUPPORT", "TARGET_PRECISION", "chips_to_show", "confident_threshold"]
