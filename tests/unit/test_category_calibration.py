"""Calibrated abstention for category chips (agent_app.services.suggest.calibration): one chip
only where the cross-validated proposals were right often enough, all chips otherwise."""

from __future__ import annotations

import pytest

from agent_app.services.suggest.calibration import chips_to_show, confident_threshold


def test_the_threshold_is_the_lowest_probability_that_keeps_the_target_precision() -> None:
    # 30 sure and right, then 10 less sure of which half are wrong
    probs = [0.9] * 30 + [0.5] * 10
    correct = [True] * 30 + [True, False] * 5
    assert confident_threshold(probs, correct, target=0.95, min_support=20) == 0.9
    # a laxer target lets the less sure ones through too (35 right of 40)
    assert confident_threshold(probs, correct, target=0.85, min_support=20) == 0.5


def test_no_threshold_when_the_target_is_never_reached_or_too_few_are_above() -> None:
    assert confident_threshold([0.9] * 10 + [0.5] * 30, [False] * 40) is None
    assert confident_threshold([0.9] * 5, [True] * 5, min_support=20) is None
    with pytest.raises(ValueError, match="same length"):
        confident_threshold([0.9], [True, False])


def test_a_sure_ranking_shows_one_chip_and_an_unsure_one_all() -> None:
    ranking = [("城乡建设", 0.6), ("环境保护", 0.3), ("交通运输", 0.1)]
    assert chips_to_show(ranking, 0.5) == [("城乡建设", 0.6)]
    assert chips_to_show(ranking, 0.7) == ranking
    assert chips_to_show(ranking, None) == ranking
    assert chips_to_show([], 0.5) == []
