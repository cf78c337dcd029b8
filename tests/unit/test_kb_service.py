"""Knowledge-base service: loading, index freshness, ranking, snippets, flags."""

from __future__ import annotations

import os
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from agent_app.errors import ConfigError, KnownError, UsageError
from agent_app.services.kb import KnowledgeBase, PlaceholderArticleError, import_csv, make_flag
from agent_app.services.kb.loader import (
    answer_section,
    load_articles,
    parse_article,
    split_front_matter,
)

HEATING = """---
id: heating-temp
title: 供暖期室温标准
keywords: [暖气不热, 室温]
categories:
  - 公共服务/供暖
unit: 供热企业
valid_from: 2020-01-01
updated: 2025-01-10
source: 北京市供热采暖管理办法
---
# 供暖期室温标准

## 适用情形
居民反映家里暖气不热、室温低。

## 答复口径
供暖期间居民住宅室内温度应不低于18℃，可先联系供热单位报修。
"""

WATER = """---
id: water-outage
title: 停水咨询
keywords: [停水, 自来水]
categories: [公共服务/供水]
---
计划停水一般提前发布公告；突发停水可向供水企业报修。
"""

EXPIRED = """---
id: old-policy
title: 旧版停车收费标准
categories: [交通管理/停车管理]
valid_to: 2001-01-01
---
旧的停车收费标准，已经废止。
"""

PARKING = """---
id: parking
title: 小区停车收费
keywords: 停车; 车位
categories: [交通管理/停车管理]
---
小区停车收费由业主大会决定，物业不得擅自提高停车费。
"""


def write_kb(root: Path, synonyms: str = "供暖 暖气 采暖\n") -> Path:
    kb = root / "kb"
    (kb / "articles" / "sub").mkdir(parents=True)
    (kb / "articles" / "heating.md").write_text(HEATING, encoding="utf-8")
    (kb / "articles" / "water.md").write_text(WATER, encoding="utf-8")
    (kb / "articles" / "sub" / "old.md").write_text(EXPIRED, encoding="utf-8")
    (kb / "articles" / "sub" / "parking.md").write_text(PARKING, encoding="utf-8")
    (kb / "kb_synonyms.txt").write_text(synonyms, encoding="utf-8")
    return kb


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    kb_dir = write_kb(tmp_path)
    return KnowledgeBase(kb_dir, tmp_path / "index.sqlite3", check_interval=0)


def test_front_matter_inline_and_block_lists() -> None:
    meta, body = split_front_matter(HEATING)
    assert meta["keywords"] == ["暖气不热", "室温"]
    assert meta["categories"] == ["公共服务/供暖"]
    assert body.startswith("# 供暖期室温标准")


def test_article_answer_is_the_answer_section() -> None:
    article = parse_article(HEATING, "articles/heating.md")
    assert article.id == "heating-temp"
    assert article.answer == "供暖期间居民住宅室内温度应不低于18℃，可先联系供热单位报修。"
    assert article.valid_from == date(2020, 1, 1)
    assert article.source == "北京市供热采暖管理办法"
    assert not article.sample
    assert "暖气不热、室温低" in article.body
    assert "适用情形" not in article.body


def test_answer_section_falls_back_to_whole_body() -> None:
    assert answer_section("## 说明\n**全部**内容\n> 注") == "全部内容\n注"


def test_bad_front_matter_names_the_file(tmp_path: Path) -> None:
    kb_dir = write_kb(tmp_path)
    (kb_dir / "articles" / "bad.md").write_text("---\ntitle: x\nvalid_to: someday\n---\nx", "utf-8")
    with pytest.raises(ConfigError, match="bad.md"):
        KnowledgeBase(kb_dir, tmp_path / "i.sqlite3").ensure_index()


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    kb_dir = write_kb(tmp_path)
    (kb_dir / "articles" / "copy.md").write_text(WATER, encoding="utf-8")
    with pytest.raises(ConfigError, match="water-outage"):
        KnowledgeBase(kb_dir, tmp_path / "i.sqlite3").ensure_index()


def test_search_finds_heating_for_a_colloquial_query(kb: KnowledgeBase) -> None:
    hits = kb.search("我家暖气一点都不热，屋里才十几度", k=3)
    assert hits[0].article_id == "heating-temp"
    assert hits[0].score > 0
    # 暖气 is highlighted in the title's keywords and the body
    assert any(hits[0].title[a:b] for a, b in hits[0].title_spans) or hits[0].snippet_spans


def test_synonyms_match_across_words(kb: KnowledgeBase) -> None:
    # the query says 采暖; the article says 暖气/供暖
    hits = kb.search("采暖", k=3)
    assert [h.article_id for h in hits] == ["heating-temp"]


def test_snippet_spans_point_at_matched_text(kb: KnowledgeBase) -> None:
    hit = kb.search("物业擅自提高停车费", k=1)[0]
    assert hit.article_id == "parking"
    marked = [hit.snippet[a:b] for a, b in hit.snippet_spans]
    assert "停车费" in "".join(marked)
    assert all(0 <= a < b <= len(hit.snippet) for a, b in hit.snippet_spans)


def test_category_filter_keeps_that_branch(kb: KnowledgeBase) -> None:
    query = "停水 停车 暖气"
    assert {h.article_id for h in kb.search(query, k=5)} == {
        "heating-temp",
        "water-outage",
        "parking",
    }
    assert [h.article_id for h in kb.search(query, category="交通管理")] == ["parking"]
    assert [h.article_id for h in kb.search(query, category="公共服务/供水")] == ["water-outage"]


def test_expired_articles_are_left_out_unless_asked(kb: KnowledgeBase) -> None:
    assert "old-policy" not in [h.article_id for h in kb.search("旧的停车收费标准废止")]
    found = kb.search("旧的停车收费标准废止", include_expired=True)
    assert found[0].article_id == "old-policy"


def test_no_match_gives_no_hits(kb: KnowledgeBase) -> None:
    assert kb.search("量子计算机", k=5) == []
    assert kb.search("，。！", k=5) == []


def test_article_lookup(kb: KnowledgeBase) -> None:
    article = kb.article("water-outage")
    assert article.title == "停水咨询"
    assert article.categories == ("公共服务/供水",)
    with pytest.raises(UsageError):
        kb.article("nope")


SAMPLE_FLAGGED = """---
id: heating-fee
title: 供暖费缴纳
sample: true
---
## 答复口径
供暖费一般在供暖季开始前缴纳，可到供热单位营业厅缴费。
"""

SAMPLE_NOTED = """---
id: dog-license
title: 养犬登记
---
## 答复口径
携带犬只到所在地派出所办理养犬登记。

> 示例内容：依据公开规则编写，上线前须由主管单位核实。
"""


def test_placeholder_rule() -> None:
    """Sample content: ``sample: true``, or a paragraph/source opening with 示例内容."""
    assert parse_article(SAMPLE_FLAGGED, "a.md").placeholder
    noted = parse_article(SAMPLE_NOTED, "b.md")
    assert noted.placeholder
    assert not noted.answerable
    by_source = parse_article(WATER.replace("---\n计划", "source: 示例内容\n---\n计划"), "c.md")
    assert by_source.placeholder
    for text in (HEATING, WATER, PARKING):
        assert parse_article(text, "d.md").answerable
    # a mention inside a sentence is not the marker
    mention = parse_article(WATER.replace("计划停水", "本条不是示例内容。计划停水"), "e.md")
    assert mention.answerable


def test_placeholder_articles_are_found_but_never_give_reply_text(tmp_path: Path) -> None:
    kb_dir = write_kb(tmp_path)
    (kb_dir / "articles" / "fee.md").write_text(SAMPLE_FLAGGED, encoding="utf-8")
    (kb_dir / "articles" / "dog.md").write_text(SAMPLE_NOTED, encoding="utf-8")
    (kb_dir / "answers").mkdir()
    (kb_dir / "answers" / "faq.csv").write_text(
        "id,title,body\nA1,犬只免疫,示例内容：犬只每年须接种狂犬疫苗。\n", encoding="utf-8"
    )
    kb = KnowledgeBase(kb_dir, tmp_path / "index.sqlite3", check_interval=0)

    hit = kb.search("供暖费缴纳", k=1)[0]  # search still finds the topic
    assert (hit.article_id, hit.placeholder) == ("heating-fee", True)
    assert hit.to_dict()["placeholder"] is True
    assert kb.article("heating-fee").placeholder  # readable for display
    for ident in ("heating-fee", "dog-license", "A1"):
        with pytest.raises(PlaceholderArticleError) as refused:
            kb.reply_text(ident)
        assert isinstance(refused.value, KnownError)
        assert "示例内容" in str(refused.value)

    assert not kb.search("暖气不热", k=1)[0].placeholder
    assert kb.reply_text("heating-temp") == kb.article("heating-temp").answer
    assert "18℃" in kb.reply_text("heating-temp")
    with pytest.raises(UsageError):
        kb.reply_text("nope")


def test_shipped_sample_articles_are_all_placeholders() -> None:
    """Every shipped article that carries 示例内容 is marked as sample content."""
    kb_dir = Path(__file__).resolve().parents[2] / "knowledge_base"
    articles = load_articles(kb_dir)
    noted = {a.id for a in articles if "示例内容" in a.body or "示例内容" in a.source}
    assert len(noted) >= 50
    assert noted <= {a.id for a in articles if a.placeholder}
    assert any(a.answerable for a in articles)


def test_index_rebuilds_when_content_changes(tmp_path: Path) -> None:
    kb_dir = write_kb(tmp_path)
    index = tmp_path / "index.sqlite3"
    kb = KnowledgeBase(kb_dir, index, check_interval=0)
    first = kb.ensure_index()
    assert first.rebuilt
    assert first.documents == 4
    # a second service on the same index reuses it
    again = KnowledgeBase(kb_dir, index).ensure_index()
    assert not again.rebuilt
    # new content is found without any explicit rebuild
    new = kb_dir / "articles" / "dog.md"
    new.write_text("---\ntitle: 养犬登记\n---\n犬只需办理养犬登记证。", encoding="utf-8")
    os.utime(new, ns=(1, 1))
    hits = kb.search("养犬登记", k=1)
    assert hits[0].article_id == "dog"
    assert kb.ensure_index().documents == 5


def test_missing_kb_dir_is_a_known_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        KnowledgeBase(tmp_path / "nope", tmp_path / "i.sqlite3").search("x")


def test_search_is_safe_from_several_threads(kb: KnowledgeBase) -> None:
    kb.warm_up()
    errors: list[BaseException] = []
    results: list[str] = []

    def worker() -> None:
        try:
            for _ in range(20):
                results.append(kb.search("暖气不热", k=1)[0].article_id)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert set(results) == {"heating-temp"}


def test_import_csv_makes_searchable_answers(tmp_path: Path) -> None:
    src = tmp_path / "faq.csv"
    src.write_text("编号,问题,答复\nA1,犬证怎么办,携带犬只到派出所办理养犬登记。\nA2,,\n", "utf-8")
    kb_dir = tmp_path / "kb"
    target, count = import_csv(
        src, kb_dir, id_column="编号", body_column="答复", title_column="问题"
    )
    assert count == 1
    assert target == kb_dir / "answers" / "faq.csv"
    kb = KnowledgeBase(kb_dir, kb_dir / ".index.sqlite3")
    hit = kb.search("办理养犬登记", k=1)[0]
    assert (hit.article_id, hit.title, hit.kind) == ("A1", "犬证怎么办", "answer")
    assert "faq.csv row 2" in kb.article("A1").source


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id,body\n1,a\n1,b\n", "repeats the id"),
        ("id,body\n,text\n", "empty id"),
        ("id,text\n1,a\n", "no column 'body'"),
    ],
)
def test_import_csv_rejects_bad_input(tmp_path: Path, content: str, message: str) -> None:
    src = tmp_path / "bad.csv"
    src.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        import_csv(src, tmp_path / "kb", id_column="id", body_column="body")


def test_flags_are_plain_rows() -> None:
    now = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    flag = make_flag(
        "wrong", article_id="heating-temp", comment=" 标准已更新 ", seat="A01", now=now
    )
    assert flag == {
        "article_id": "heating-temp",
        "kind": "wrong",
        "comment": "标准已更新",
        "seat": "A01",
        "operator_id": "",
        "created_at": now,
    }
    missing = make_flag("missing", query="电动自行车上牌")
    assert missing["comment"] == "电动自行车上牌"
    with pytest.raises(UsageError):
        make_flag("wrong")
    with pytest.raises(UsageError):
        make_flag("other", article_id="x")
