"""A description drafted from the caller's words: short, readable, each sentence with its source,
never in place of what the operator typed (agent_app.domain.description_draft)."""

from __future__ import annotations

import json
from pathlib import Path

from agent_app.domain.description_draft import (
    MAX_CHARS,
    MAX_SENTENCES,
    draft_description,
    merge_description,
    new_sentences,
    proposal_for,
    select,
    sentence_for,
)

SCENARIOS = Path(__file__).resolve().parents[2] / "resources" / "scenarios"


def _segments(name: str) -> list[tuple[str, float, float]]:
    data = json.loads((SCENARIOS / f"{name}.json").read_text(encoding="utf-8"))
    return [(s["text"], s["start"], s["end"]) for s in data["segments"]]


def test_the_draft_keeps_the_request_and_drops_greetings_and_identity() -> None:
    draft = draft_description(_segments("heating_whole_building"))
    assert "暖气不热" in draft.text
    assert "十五度" in draft.text
    assert "喂" not in draft.text
    assert "你好" not in draft.text
    assert "姓王" not in draft.text  # the name has its own field
    assert " " not in draft.text  # written Chinese, not recognised words


def test_every_sentence_names_the_line_it_came_from() -> None:
    segments = _segments("night_construction_noise")
    draft = draft_description(segments)
    assert draft
    for sentence in draft.sentences:
        words, start, end = segments[sentence.segment]
        assert (sentence.start, sentence.end) == (start, end)
        assert sentence.text.rstrip("。") in words.replace(" ", "")
    assert draft.sources.count("\n") == len(draft.sentences) - 1


def test_numbers_the_caller_gives_stay_out_of_the_draft() -> None:
    draft = draft_description(_segments("streetlight_out"))
    assert "路灯" in draft.text
    assert "幺三八" not in draft.text
    assert "幺三八" not in draft.sources
    assert "138" not in draft.text


def test_a_rambling_call_gives_a_short_draft_about_the_problem() -> None:
    draft = draft_description(_segments("rambling_heating_leak"))
    assert len(draft.sentences) <= MAX_SENTENCES
    assert len(draft.text) <= MAX_CHARS
    assert "滴水" in draft.text
    assert "七十多" not in draft.text  # the preamble is the first to go


def test_merging_never_replaces_what_the_operator_typed() -> None:
    typed = "居民反映：暖气不热"
    merged = merge_description(typed, "家里暖气不热。整栋楼都不热。")
    assert merged.startswith(typed)
    assert "整栋楼都不热。" in merged
    # accepting the same or a longer draft again adds only what is new
    assert merge_description(merged, "家里暖气不热。整栋楼都不热。") == merged
    again = merge_description(merged, "家里暖气不热。整栋楼都不热。已经三天了。")
    assert again.startswith(merged)
    assert again.endswith("已经三天了。")
    assert merge_description("", "家里暖气不热。") == "家里暖气不热。"


def test_the_proposal_carries_the_sources() -> None:
    proposal = proposal_for(draft_description(_segments("power_outage")))
    assert proposal["kind"] == "description"
    assert "停电" in str(proposal["value"])
    assert "“" in str(proposal["source_text"])


def test_the_draft_kept_line_by_line_is_the_draft_of_the_whole_call() -> None:
    segments = _segments("rambling_heating_leak")
    kept = []
    for index, (words, start, end) in enumerate(segments):
        sentence = sentence_for(words, index, start, end)
        if sentence is not None:
            kept.append(sentence)
    assert select(kept) == draft_description(segments)
    assert sentence_for("喂 你好", 0, 0.0, 1.0) is None


def test_what_is_left_to_offer_is_what_merging_would_add() -> None:
    draft = draft_description(_segments("heating_whole_building"))
    assert new_sentences("", draft) == draft.sentences
    merged = merge_description("居民反映供暖问题", draft.text)
    assert new_sentences(merged, draft) == ()
    first = draft.sentences[0].text
    assert new_sentences(first, draft) == draft.sentences[1:]
