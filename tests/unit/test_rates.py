"""The arithmetic of 三率, 四类排名 and hotspot growth (domain/rates.py), by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent_app.domain.rates import (
    RateCounts,
    RateDefinitions,
    classify,
    compute_rates,
    count_facts,
    load_definitions,
    parse_definitions,
    per_10k,
    rate_row,
    robust_growth,
    ticket_facts,
)
from agent_app.errors import ConfigError
from agent_app.paths import knowledge_base_dir

DEFAULTS = RateDefinitions()


def counts(name: str, d: int, s: int, cb: int, r: int, full: int, basic: int = 0) -> RateCounts:
    return RateCounts(name, "township", d, d, s, 0, cb, r, full, basic)


def test_the_shipped_definitions_are_the_issue_defaults() -> None:
    defs = load_definitions(knowledge_base_dir() / "reports" / "rates.toml")
    assert defs.response_window == timedelta(hours=1)
    assert defs.basic_satisfied_weight == 1.0
    assert defs.weights == (0.30, 0.35, 0.35)
    assert defs.count_rehandling is True
    assert defs.class_sizes["township"] == {"先进类": 10, "进步类": 10, "整改类": 10, "治理类": 10}
    assert defs.hotspots.baseline_months == 6


def test_score_is_the_weighted_sum_and_basic_satisfaction_has_its_weight() -> None:
    row = rate_row(counts("x", 10, 8, 4, 3, 2, 2), DEFAULTS)
    assert (row.response_rate, row.resolution_rate, row.satisfaction_rate) == (0.8, 0.75, 1.0)
    assert row.score == pytest.approx(30 * 0.8 + 35 * 0.75 + 35 * 1.0)
    half = rate_row(counts("x", 10, 8, 4, 3, 2, 2), RateDefinitions(basic_satisfied_weight=0.5))
    assert half.satisfied == 3.0
    assert half.satisfaction_rate == 0.75


def test_no_denominator_means_no_rate_no_score_and_no_rank() -> None:
    rows = compute_rates([counts("a", 2, 1, 0, 0, 0), counts("b", 1, 1, 1, 1, 1)], DEFAULTS)
    assert [r.name for r in rows] == ["b", "a"]
    a = rows[1]
    assert (a.response_rate, a.resolution_rate, a.score, a.rank) == (0.5, None, None, None)
    assert rows[0].rank == 1


def test_equal_scores_share_a_rank() -> None:
    rows = compute_rates(
        [counts("a", 1, 1, 1, 1, 1), counts("b", 1, 1, 1, 1, 1), counts("c", 2, 1, 1, 1, 1)],
        DEFAULTS,
    )
    assert [(r.name, r.rank) for r in rows] == [("a", 1), ("b", 1), ("c", 3)]


def test_four_classes_with_the_previous_month() -> None:
    sizes = {t: {"先进类": 1, "进步类": 1, "整改类": 1, "治理类": 1}
             for t in ("township", "district", "department", "utility")}  # fmt: skip
    defs = RateDefinitions(class_sizes=sizes)
    # Scores: top 100, mid 50 (was 0: +50), low 0 (was 50), busy 50 with 50 tickets.
    now = compute_rates(
        [counts("top", 4, 4, 2, 2, 2), counts("mid", 2, 1, 2, 1, 1),
         counts("low", 2, 0, 2, 0, 0), counts("busy", 50, 25, 2, 1, 1)],
        defs,
    )  # fmt: skip
    before = compute_rates(
        [counts("top", 4, 4, 2, 2, 2), counts("mid", 2, 0, 2, 0, 0),
         counts("low", 2, 1, 2, 1, 1)],
        defs,
    )  # fmt: skip
    rows = {(r.cls, r.row.name): r for r in classify("township", now, before, defs)}
    assert set(rows) == {
        ("先进类", "top"),
        ("进步类", "mid"),
        ("整改类", "low"),
        ("治理类", "busy"),
    }
    mid = rows[("进步类", "mid")]
    assert mid.gain == pytest.approx(50.0)
    assert mid.previous is not None
    assert mid.previous.score == pytest.approx(0.0)
    assert mid.previous_classes == ("整改类",)
    assert rows[("先进类", "top")].previous_classes == ("先进类", "治理类")
    assert rows[("治理类", "busy")].previous is None
    assert rows[("治理类", "busy")].as_json()["class"] == "治理类"


def test_per_10k() -> None:
    assert per_10k(345, 3_452_460) == pytest.approx(0.99928, abs=1e-5)
    assert per_10k(5, 0) == 0.0


def test_robust_growth_ignores_one_unusual_baseline_month() -> None:
    # One spike (40) in the baseline: a mean/sd test would call 12 normal (mean 10.8,
    # sd 13.1); median 5, MAD 0.5 → scale max(1.48, √5) = 2.24, z = 7 / 2.24 = 3.13: hot.
    g = robust_growth(12, [4, 5, 6, 5, 40, 5])
    assert (g.median, g.mad) == (5.0, 0.5)
    assert g.scale == pytest.approx(5**0.5)
    assert g.z == pytest.approx(7 / 5**0.5)
    assert g.growth == pytest.approx(7 / 5)
    # A flat baseline of zeros: one ticket is not a hotspot (scale ≥ √1).
    assert robust_growth(1, [0] * 6).z == 1.0
    assert robust_growth(8, [1] * 6).z == 7.0


def test_a_malformed_definitions_file_is_one_line_naming_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="add up to 1"):
        parse_definitions({"score": {"response": 0.5, "resolution": 0.5, "satisfaction": 0.5}})
    with pytest.raises(ConfigError, match="window_hours must be a number"):
        parse_definitions({"response": {"window_hours": "1h"}})
    with pytest.raises(ConfigError, match="unknown class"):
        parse_definitions({"rankings": {"sizes": {"township": {"优秀类": 3}}}})
    bad = tmp_path / "rates.toml"
    bad.write_text("[response\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_definitions(bad)


def _ev(seq: int, minute: int, to: str, role: str = "handler", **data: object) -> dict[str, object]:
    at = datetime(2026, 11, 2, 9, 0, tzinfo=UTC) + timedelta(minutes=minute)
    return {"seq": seq, "at": at, "kind": "transition", "actor_role": role, "to_status": to,
            "data": data}  # fmt: skip


def test_ticket_facts_split_dispatches_and_take_the_latest_callback() -> None:
    # Dispatched to A, A objects, upheld → B signs 10 min later, replies, callback 不满意 →
    # reopened to B, B signs 2 h later, replies, callback 基本满意.
    events = [
        _ev(1, 0, "DISPATCHED", "operator", main_unit="A"),
        _ev(2, 5, "DISPUTED", unit="A"),
        _ev(3, 20, "DISPUTE_REVIEW", "lead"),
        _ev(4, 20, "DISPATCHED", "lead", ruling="upheld", from_unit="A", to_unit="B"),
        _ev(5, 30, "SIGNED", unit="B"),
        _ev(6, 40, "REPLIED", unit="B", result="resolved"),
        _ev(
            7,
            50,
            "REOPENED",
            "lead",
            unit="B",
            callback={"resolved": False, "satisfaction": "不满意"},
        ),  # fmt: skip
        _ev(8, 170, "SIGNED", unit="B"),
        _ev(9, 180, "REPLIED", unit="B"),
        _ev(10, 200, "CLOSED", "lead", callback={"resolved": True, "satisfaction": "基本满意"}),
    ]
    dispatches, callback = ticket_facts(list(reversed(events)), "B")
    assert [(d.unit, d.upheld, d.rehandling, d.first_to_unit, d.first_dispatch) for d in
            dispatches] == [("A", True, False, True, True), ("B", False, False, True, False),
                            ("B", False, True, False, False)]  # fmt: skip
    assert [d.signed_at - d.at if d.signed_at else None for d in dispatches] == [
        None, timedelta(minutes=10), timedelta(minutes=120)
    ]  # fmt: skip
    assert callback is not None
    assert (callback.unit, callback.resolved, callback.satisfaction) == ("B", True, "基本满意")
    start = datetime(2026, 11, 1, tzinfo=UTC)
    (row,) = [
        c for u, _, c, _ in count_facts([("朝阳区", dispatches, callback)], start,
                                        start + timedelta(days=30), DEFAULTS) if u == "B"
    ]  # fmt: skip
    # B: two dispatches (one re-handling), one signed within the hour; one ticket, one callback.
    assert (row.tickets, row.dispatches, row.signed_in_time) == (1, 2, 1)
    assert (row.callbacks, row.resolved, row.satisfied_basic) == (1, 1, 1)
