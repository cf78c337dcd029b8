"""Calibrated abstention for category chips (agent_app.services.suggest.calibration): one chip
only where the cross-validated proposals were right often enough, none where even three were
mostly wrong, several otherwise; the intake service applies the shipped calibration."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_app.paths import knowledge_base_dir
from agent_app.services.catalogue import Catalogue
from agent_app.services.geo.gazetteer import Gazetteer
from agent_app.services.intake import IntakeService
from agent_app.services.suggest.calibration import (
    NONE,
    SEVERAL,
    SINGLE,
    Band,
    Calibration,
    chips_to_show,
    confident_threshold,
    decide,
    load_calibrations,
    unsure_threshold,
)
from agent_app.services.suggest.retrain import CALIBRATION_FILE, retrain_from_db
from agent_app.services.suggest.versions import current_model_dir
from tests.unit.test_suggest import _catalogue_codes, _seat_with_tickets


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


def test_the_unsure_threshold_hides_rankings_whose_chips_were_mostly_wrong() -> None:
    # 10 unsure rankings right 3 times among their chips, then 30 surer ones always right
    probs = [0.15] * 10 + [0.4] * 30
    shown_right = [True] * 3 + [False] * 7 + [True] * 30
    assert unsure_threshold(probs, shown_right, floor=0.5, min_support=10) == 0.4
    assert unsure_threshold(probs, shown_right, floor=0.3, min_support=10) is None
    assert unsure_threshold(probs, shown_right, floor=0.5, min_support=11) is None
    assert unsure_threshold([0.2] * 20, [False] * 20) is None  # never hide everything


def calibration() -> Calibration:
    return Calibration(
        single_at=0.3,
        none_below=0.2,
        labels=7,
        bands={SINGLE: Band(60, 0.6, 0.95), SEVERAL: Band(30, 0.3, 0.94), NONE: Band(7, 0.07, 0.4)},
    )


def test_decide_shows_one_chip_several_or_none_with_the_precision_of_that_display() -> None:
    sure = [("城乡建设", 0.6), ("环境保护", 0.3), ("交通运输", 0.1)]
    hesitant = [("城乡建设", 0.25), ("环境保护", 0.24), ("交通运输", 0.2)]
    lost = [("城乡建设", 0.19), ("环境保护", 0.18), ("交通运输", 0.17)]
    one = decide(sure, calibration())
    assert (one.mode, one.shown, one.precision, one.measured_n) == (
        SINGLE,
        (("城乡建设", 0.6),),
        0.95,
        60,
    )
    several = decide(hesitant, calibration())
    assert (several.mode, len(several.shown), several.precision) == (SEVERAL, 3, 0.94)
    none = decide(lost, calibration())
    assert (none.mode, none.shown) == (NONE, ())
    # at the threshold itself: one chip; without a calibration: all, no precision
    assert decide([("城乡建设", 0.3)], calibration()).mode == SINGLE
    plain = decide(sure, None)
    assert (plain.mode, len(plain.shown), plain.precision) == (SEVERAL, 3, None)
    assert decide([], calibration()).mode == NONE


def test_the_shipped_calibration_is_the_benchmarks_measurement(tmp_path: Path) -> None:
    shipped = load_calibrations(knowledge_base_dir() / "suggest" / "category_abstention.json")
    model = shipped["model"]
    assert model.labels == 7
    assert model.applies_to(7)
    assert not model.applies_to(494)
    assert model.single_at is not None
    assert 0.0 < model.single_at < 1.0
    single = model.bands[SINGLE]
    assert single.n > 0
    assert single.precision is not None
    assert single.precision >= 0.9
    assert "eval_category_abstention.py" in model.source
    assert load_calibrations(tmp_path / "missing.json") == {}
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert load_calibrations(tmp_path / "bad.json") == {}


class _Model:
    """A stand-in for a trained 7-label model: fixed rankings by text."""

    labels = tuple(f"L{i}" for i in range(7))

    def __init__(self, rankings: dict[str, list[tuple[str, float]]]) -> None:
        self.rankings = rankings

    def predict_one(self, text: str, top: int = 3) -> list[tuple[str, float]]:
        return self.rankings.get(text, [])[:top]


def test_the_intake_service_shows_what_the_calibration_decides() -> None:
    service = IntakeService(
        Catalogue.load(), Gazetteer.default(), calibrations={"model": calibration()}
    )
    a, b, c = (cat.code for cat in service.catalogue.categories[:3])
    service.model = _Model(
        {"sure": [(a, 0.6), (b, 0.3), (c, 0.1)], "lost": [(a, 0.19), (b, 0.18), (c, 0.17)]}
    )
    sure = service.category_proposal("sure")
    assert sure.mode == SINGLE
    assert [ch.value for ch in sure.chips] == [a]
    assert sure.chips[0].precision == 0.95
    assert sure.chips[0].measured_n == 60
    lost = service.category_proposal("lost")
    assert lost.mode == NONE
    assert lost.chips == ()
    assert len(service.category_chips("lost")) == 3  # the raw ranking is still there
    # nothing understood: no chip once the operator has written a description, nothing
    # said while the first characters are typed
    assert service.category_proposal("喂喂喂，听得到吗").mode == NONE
    assert service.category_proposal("喂").mode == SEVERAL
    assert service.category_proposal("喂").chips == ()
    # a model with another label set (a seat's leaf model) is not calibrated by it
    service.model.labels = tuple(f"L{i}" for i in range(494))
    assert service.category_proposal("lost").mode == SEVERAL
    assert service.category_proposal("lost").chips[0].precision is None


def test_retraining_calibrates_the_new_model_on_held_back_tickets(tmp_path: Path) -> None:
    paths = _seat_with_tickets(tmp_path / "seat", _catalogue_codes(), per_topic=12)
    report = retrain_from_db(paths, min_tickets=15)
    assert report.trained
    assert report.model_dir is not None
    own = load_calibrations(report.model_dir / CALIBRATION_FILE)["model"]
    assert "held back" in own.source
    service = IntakeService(
        Catalogue.load(), Gazetteer.default(), model_dir=current_model_dir(report.model_dir.parent)
    )
    assert own.applies_to(len(service.model.labels))  # the leaf model's own label count
    assert service.calibrations["model"] == own
    bands = own.bands
    assert sum(b.n for b in bands.values()) > 0
    proposal = service.category_proposal("老板拖欠我们三个月工资不发")
    assert proposal.mode in {SINGLE, SEVERAL, NONE}
