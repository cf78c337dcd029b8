"""Type-ahead over the catalogue: names, keywords, pinyin, recent and frequent first."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_app.services.catalogue import Catalogue, CatalogueIndex

KB = Path(__file__).resolve().parents[2] / "knowledge_base" / "catalogue"


@pytest.fixture(scope="module")
def index() -> CatalogueIndex:
    return Catalogue.load(KB).index()


def names(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [h.category.level3 for h in hits]


def code_of(index: CatalogueIndex, level3: str) -> str:
    return next(c.code for c in index.categories if c.level3 == level3)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("暖气", "暖气不热"),  # name prefix
        ("井盖", "井盖缺失"),
        ("扰民 夜间", "夜间施工扰民"),  # every term must match
        ("煤气味", "燃气泄漏"),  # keyword
        ("nq", "暖气不热"),  # pinyin initials of the name
        ("gr", "暖气不热"),  # initials of the keyword 供热
        ("jgqs", "井盖缺失"),
        ("tingshui", "停水"),  # full-pinyin
        ("TingDian", "停电"),  # case does not matter
    ],
)
def test_query_finds_the_leaf_first(index: CatalogueIndex, query: str, expected: str) -> None:
    assert names(index.search(query, limit=3))[0] == expected


def test_path_matches_rank_below_name_matches(index: CatalogueIndex) -> None:
    hits = index.search("供暖", limit=50)
    assert hits[0].matched in ("name", "keyword")
    path_only = [h for h in hits if h.matched == "path"]
    assert path_only
    assert all(h.score < hits[0].score for h in path_only)


def test_frequent_category_moves_up(index: CatalogueIndex) -> None:
    plain = names(index.search("nq", limit=5))
    leak = code_of(index, "暖气漏水")
    assert plain[0] != "暖气漏水"
    boosted = names(index.search("nq", limit=5, usage={leak: 50}))
    assert boosted[0] == "暖气漏水"


def test_recent_category_moves_up(index: CatalogueIndex) -> None:
    target = code_of(index, "个人所得税")
    assert names(index.search("gr", limit=3))[0] != "个人所得税"
    assert names(index.search("gr", limit=3, recent=[target]))[0] == "个人所得税"


def test_empty_query_lists_recent_then_frequent(index: CatalogueIndex) -> None:
    a, b, c = code_of(index, "停水"), code_of(index, "停电"), code_of(index, "占道经营")
    hits = index.search("", usage={c: 3}, recent=[a, b])
    assert [h.category.code for h in hits] == [a, b, c]
    assert [h.matched for h in hits] == ["recent", "recent", "frequent"]
    assert index.search("  ") == []


def test_no_match_and_limit(index: CatalogueIndex) -> None:
    assert index.search("zzzzqqqq") == []
    assert index.search("不存在的诉求类型") == []
    assert len(index.search("z", limit=7)) == 7
