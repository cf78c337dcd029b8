"""Related tickets and near-duplicate detection."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

from agent_app.services.suggest.related import (
    DUPLICATE_THRESHOLD,
    TicketRecord,
    count_repeats,
    distance_m,
    find_related,
    text_similarity,
)

DATA = Path(__file__).resolve().parents[1] / "data"
NOW = datetime(2024, 6, 1, 10, 0)


def _ticket(tid: str, text: str, **kw: object) -> TicketRecord:
    kw.setdefault("created_at", NOW)
    return TicketRecord(tid, text, **kw)  # type: ignore[arg-type]


def test_retold_problem_is_more_similar_than_an_unrelated_one() -> None:
    a = "望京西园三区5号楼楼下的川菜馆排油烟直冲居民窗户"
    b = "望京西园三区5号楼底商饭馆油烟太大，窗户一开全是油烟味"
    c = "回龙观西大街公交站候车亭玻璃碎了"
    assert text_similarity(a, b) >= DUPLICATE_THRESHOLD > text_similarity(a, c)
    assert text_similarity(a, a) == 1.0


def test_find_related_flags_caller_place_and_text() -> None:
    ticket = _ticket(
        "new",
        "芳城园一区门口人行道井盖缺失，晚上很危险",
        caller_key="k1",
        category="井盖",
        lat=39.8600,
        lon=116.4300,
    )
    pool = [
        _ticket(
            "dup",
            "芳城园一区小区门口人行道上有一个井盖没了，有人差点掉下去",
            category="井盖",
            lat=39.8601,
            lon=116.4302,
        ),
        _ticket("caller", "咨询社保转移怎么办理", caller_key="k1"),
        _ticket(
            "far",
            "芳城园一区门口人行道井盖缺失",
            category="井盖",
            created_at=NOW - timedelta(days=90),
        ),
        _ticket("other", "海淀区某健身房不退会员费", category="预付卡"),
    ]
    got = {r.ticket_id: r for r in find_related(ticket, pool, days=30)}
    assert set(got) == {"dup", "caller"}
    assert got["dup"].is_duplicate
    assert {"nearby_same_category", "similar_text"} <= got["dup"].kinds
    assert got["dup"].distance_m is not None
    assert got["dup"].distance_m < 50
    assert got["caller"].kinds == {"same_caller"}
    assert not got["caller"].is_duplicate
    assert list(got)[0] == "dup"


def test_repeat_counters_count_caller_and_place_within_the_window() -> None:
    ticket = _ticket("t", "油烟扰民", caller_key="k", category="油烟", lat=39.9, lon=116.4)
    history = [
        _ticket("1", "油烟", caller_key="k", category="油烟", created_at=NOW - timedelta(days=3)),
        _ticket("2", "噪音", caller_key="k", category="噪音", created_at=NOW - timedelta(days=5)),
        _ticket(
            "3", "油烟", category="油烟", lat=39.9005, lon=116.4, created_at=NOW - timedelta(days=1)
        ),
        _ticket("4", "油烟", caller_key="k", category="油烟", created_at=NOW - timedelta(days=60)),
    ]
    counts = count_repeats(ticket, history, days=30)
    assert (counts.caller_tickets, counts.caller_same_category, counts.place_same_category) == (
        2,
        1,
        1,
    )


def test_haversine_distance_is_metres() -> None:
    # 0.001 degree of latitude is about 111 m
    assert 105 < distance_m(39.9, 116.4, 39.901, 116.4) < 117


def test_hand_labelled_test_pairs_reach_a_useful_recall() -> None:
    with (DATA / "duplicates_test.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    dups = [r for r in rows if r["is_duplicate"] == "1"]
    found = sum(text_similarity(r["text_a"], r["text_b"]) >= DUPLICATE_THRESHOLD for r in dups)
    assert len(rows) >= 30
    assert found / len(dups) >= 0.85
