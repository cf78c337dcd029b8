"""The extractor and the redaction on Chinese call transcripts as Vosk writes them:
no punctuation, spaces between words, numbers spoken digit by digit."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from agent_app.services.speech.extract import Extractor, Proposal, place_names
from agent_app.services.speech.numerals import chinese_number, normalize
from agent_app.services.speech.redact import (
    BANK_MASK,
    ID_MASK,
    NUMBER_MASK,
    PHONE_MASK,
    id_card_valid,
    luhn_valid,
    redact,
)

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2024, 5, 20, 15, 0)
KEYWORDS = {
    "噪音": "环境保护/噪声污染/施工噪声",
    "施工": "城乡建设/施工管理/夜间施工",
    "漏水": "住房保障/物业管理/房屋漏水",
    "路灯": "城市管理/市政设施/路灯",
}

# Written as a Chinese Vosk model outputs a call: words separated by spaces, no punctuation.
CALL = [
    "喂 你好 我 叫 张伟 我 家 住 在 朝阳区 望京 街道 望京西园 四 区 三 号楼 二 单元 五 零 一",
    "昨天 晚上 十一 点 多 楼下 工地 还在 施工 噪音 特别 大 孩子 都 睡不着",
    "我的 电话 是 幺 三 八 幺 二 三 四 五 六 七 八 你们 尽快 处理 一下",
]


def divisions() -> list[str]:
    path = ROOT / "knowledge_base" / "divisions.csv"
    if not path.exists():
        pytest.skip(f"{path} is not there")
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r["district_name"] for r in rows] + [r["township_name"] for r in rows]


@pytest.fixture
def extractor() -> Extractor:
    return Extractor(keywords=KEYWORDS, places=divisions(), now=lambda: NOW)


def by_kind(proposals: list[Proposal], kind: str) -> list[Proposal]:
    return [p for p in proposals if p.kind == kind]


def test_spoken_digits_become_digits_and_map_back_to_the_words() -> None:
    norm = normalize("电话 是 幺 三 八 幺 二 三 四 五 六 七 八")
    assert norm.text == "电话是13812345678"
    a, b = norm.span(3, 14)
    assert "电话 是 幺 三 八 幺 二 三 四 五 六 七 八"[a:b] == "幺 三 八 幺 二 三 四 五 六 七 八"
    assert (
        normalize("等 一下 三 号楼 两个 人").text == "等一下三号楼两个人"
    )  # short runs stay words
    assert chinese_number("二十三") == 23
    assert chinese_number("十一") == 11
    assert chinese_number("两") == 2


def test_check_digits() -> None:
    assert id_card_valid("11010519491231002X")  # the example in GB 11643-1999
    assert not id_card_valid("110105194912310021")
    assert luhn_valid("6222020200112345679")
    assert not luhn_valid("6222020200112345678")


def test_id_card_bank_card_and_phone_are_masked_in_the_stored_text() -> None:
    text = (
        "我 身份证 号 幺 幺 零 幺 零 五 幺 九 四 九 幺 二 三 幺 零 零 二 叉 "
        "卡号 六 二 二 二 零 二 零 二 零 零 幺 幺 二 三 四 五 六 七 九 "
        "手机 13812345678"
    )
    result = redact(text)
    assert ID_MASK in result.text
    assert BANK_MASK in result.text
    assert PHONE_MASK in result.text
    assert not any(ch.isdigit() for ch in result.text)
    assert "幺 幺 零" not in result.text
    assert result.text.startswith("我 身份证 号 [身份证号已隐去] 卡号")
    assert result.phones == ["13812345678"]


def test_a_misheard_long_number_is_masked_too() -> None:
    # 18 digits with a wrong check digit: still personal data, masked as a number
    result = redact("身份证 幺 幺 零 幺 零 五 幺 九 四 九 幺 二 三 幺 零 零 二 幺")
    assert NUMBER_MASK in result.text
    assert (
        redact("三 号楼 二 单元 五 零 一").text == "三 号楼 二 单元 五 零 一"
    )  # room numbers stay


def test_a_whole_call_gives_the_operator_proposals(extractor: Extractor) -> None:
    found = [extractor.extract(text, i * 5.0, i * 5.0 + 4.0) for i, text in enumerate(CALL)]
    proposals = [p for e in found for p in e.proposals]

    (name,) = by_kind(proposals, "name")
    assert name.value == "张伟"
    assert name.source_text == "我 叫 张伟"

    (address,) = by_kind(proposals, "address")
    assert address.value == "朝阳区望京街道望京西园四区三号楼二单元501"
    assert address.source_text.startswith("朝阳区 望京 街道")
    assert CALL[0][address.span[0] : address.span[1]] == address.source_text

    (when,) = by_kind(proposals, "time")
    assert when.value == "2024-05-19T23:00"
    assert when.start == 5.0
    assert when.end == 9.0

    assert {p.value for p in by_kind(proposals, "category")} == {
        KEYWORDS["噪音"],
        KEYWORDS["施工"],
    }

    (phone,) = by_kind(proposals, "phone")
    assert phone.value == "13812345678"
    assert "13812345678" not in phone.source_text  # the chip shows it masked
    # the number goes only to the caller field: never into the stored transcript
    assert found[2].text == f"我的 电话 是 {PHONE_MASK} 你们 尽快 处理 一下"
    assert all("1381234" not in normalize(e.text).text for e in found)


def test_addresses_go_to_the_injected_geocoder(extractor: Extractor) -> None:
    asked: list[str] = []

    def resolve(text: str) -> dict[str, str] | None:
        asked.append(text)
        return {"district": "海淀区", "township": "中关村街道"} if "海淀" in text else None

    geo = Extractor(places=divisions(), geocoder=resolve, now=lambda: NOW)
    (found,) = by_kind(
        geo.extract("海淀区 中关村 大街 二十七 号 门口 的 路灯 坏 了 好几 天 了").proposals,
        "address",
    )
    assert found.value == "海淀区中关村大街二十七号"
    assert found.resolved == {"district": "海淀区", "township": "中关村街道"}
    assert asked == ["海淀区中关村大街二十七号"]
    (unresolved,) = by_kind(geo.extract("我 住在 回龙观 东大街 八 号院").proposals, "address")
    assert unresolved.resolved is None
    assert found.confidence > unresolved.confidence


def test_landline_and_local_numbers(extractor: Extractor) -> None:
    spoken = extractor.extract("家里 座机 零 幺 零 六 五 幺 二 三 四 五 六")
    (phone,) = by_kind(spoken.proposals, "phone")
    assert phone.value == "010-65123456"
    local = extractor.extract("打 这个 六 五 幺 二 三 四 五 六 也 行")
    assert by_kind(local.proposals, "phone")[0].value == "010-65123456"
    assert PHONE_MASK in local.text


def test_names_from_surname_and_title(extractor: Extractor) -> None:
    (surname,) = by_kind(extractor.extract("我 姓 王 王 女士 我 想 反映 个 事").proposals, "name")
    assert surname.value == "王女士"
    (title,) = by_kind(extractor.extract("好的 刘 先生 您 说").proposals, "name")
    assert title.value == "刘先生"
    assert by_kind(extractor.extract("这位 先生 您 好").proposals, "name") == []


def test_times_dates_and_vague_spans(extractor: Extractor) -> None:
    def times(text: str) -> list[str]:
        return [p.value for p in by_kind(extractor.extract(text).proposals, "time")]

    assert times("五 月 三 号 下午 三 点 半 开始 停水") == ["2024-05-03T15:30"]
    assert times("今天 早上 八 点") == ["2024-05-20T08:00"]
    assert times("这个 问题 已经 三 个 月 了") == ["三个月了"]


def test_keywords_from_a_callable_and_kb_suggestions() -> None:
    def lookup(text: str) -> list[tuple[str, str]]:
        return [("漏水", "住房保障/物业管理/房屋漏水")] if "漏水" in text else []

    ex = Extractor(keywords=lookup, kb_lookup=lambda text: ["楼上漏水的处理口径"], now=lambda: NOW)
    props = ex.extract("楼上 漏水 漏 到 我 家 了").proposals
    (category,) = by_kind(props, "category")
    assert category.value == "住房保障/物业管理/房屋漏水"
    assert category.source_text == "漏水"
    assert [p.value for p in by_kind(props, "kb")] == ["楼上漏水的处理口径"]


def test_ordinary_talk_proposes_nothing(extractor: Extractor) -> None:
    result = extractor.extract("好的 好的 谢谢 您 这边 已经 记录 下来 了 再见")
    assert result.proposals == []
    assert result.text == "好的 好的 谢谢 您 这边 已经 记录 下来 了 再见"


def test_place_short_forms() -> None:
    names = place_names(["朝阳区", "望京街道", "延庆镇", "区"])
    assert {"朝阳区", "朝阳", "望京街道", "望京", "延庆"} <= set(names)
    assert "" not in names
