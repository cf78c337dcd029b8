"""The transcript's category proposal: judged on the whole call, identity words ignored, silent
when unsure (agent_app.services.suggest.transcript)."""

from __future__ import annotations

import pytest

from agent_app.services.catalogue import catalogue_dir, load_categories
from agent_app.services.suggest.transcript import (
    TranscriptCategorizer,
    build_transcript_extractor,
    catalogue_records,
    clean_for_category,
    longest_keyword_lookup,
)


@pytest.fixture(scope="module")
def categories() -> list:
    return load_categories(catalogue_dir() / "categories.csv")


def _categories_of(extractor, segments: list[tuple[float, str]]) -> list[str]:
    out = []
    for start, text in segments:
        out += [
            p.value
            for p in extractor.extract(text, start, start + 2).proposals
            if p.kind == "category"
        ]
    return out


def test_a_leaking_ceiling_is_not_proposed_as_identity_cards(categories) -> None:
    call = [
        (0.5, "我 家 天花板 漏水 了 楼上 一直 往 下 滴"),
        (3.0, "我 身份证 号 是 幺幺零幺零五幺九八零零幺零幺幺二三四"),
    ]
    old = longest_keyword_lookup(categories)
    assert old("我家天花板漏水了楼上一直往下滴我身份证号是")[0][1].endswith(
        "身份证管理"
    )  # the misfire

    proposed = _categories_of(build_transcript_extractor(None, categories), call)
    assert proposed, "the leak names a category"
    assert not any("身份证" in p for p in proposed)
    assert all(p.startswith("城乡建设/") or p.startswith("住房保障/") for p in proposed)


def test_identity_phrases_are_left_out_of_the_words_scored() -> None:
    assert "身份证" not in clean_for_category("我 身份证 号码 是 110105")
    assert "电话" not in clean_for_category("我 电话 是 幺三八")
    assert "暖气不热" in clean_for_category("暖气 不热")


def test_the_category_is_judged_on_the_whole_call_and_proposed_once(categories) -> None:
    extractor = build_transcript_extractor(None, categories)
    proposed = _categories_of(
        extractor,
        [(0.5, "喂 你好"), (2.0, "家里 暖气 不热"), (4.0, "整栋楼 暖气 都 不热 已经 三天 了")],
    )
    assert proposed == ["公共服务/供暖/暖气不热"]
    # a new call (its audio clock starts again) is judged on its own words
    again = _categories_of(extractor, [(0.5, "家里 暖气 不热")])
    assert again == ["公共服务/供暖/暖气不热"]


def test_nothing_is_proposed_without_a_clear_lead(categories) -> None:
    categorizer = TranscriptCategorizer(catalogue_records(categories))
    assert categorizer.guess("喂 你好 我 想 问 一下") is None
    strict = TranscriptCategorizer(catalogue_records(categories), min_share=0.99)
    # two categories share the evidence: the strict cut-off proposes neither
    assert strict.guess("积水") is None
    assert categorizer.guess("家里 停水 了 一点 水 都 没有") is not None
