"""The seat's purge masks the caller in a ticket's words with
``agent_app.domain.privacy.mask_caller_in_text``; the centre's with ``central.mask_free_text``
(c0012).  Both purges must leave the same words, so the two functions are run on one list of
cases (names, numbers written every way, full-width digits, confidential callers, dates) and
must agree character for character.  They do not differ on any case here; the cases where
they *could* differ and why they are not in the list: case-insensitive matching of non-Latin
letters that PostgreSQL folds by its locale and Python by Unicode (names in CJK have no case).
One deliberate difference between the copies: the seat's ``mask_caller_in_ticket_data`` also
masks a top-level ``text`` (the payload of a repeat call queued in the seat's outbox), which
no row at the centre holds (there it is an event's ``text``, masked by ``purge_mask_event``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from psycopg.types.json import Jsonb

from agent_app.domain.privacy import (
    mask_caller_in_event_data,
    mask_caller_in_text,
    mask_caller_in_ticket_data,
)
from tests.helpers.pg import CentralDb, throwaway_centre

pytestmark = pytest.mark.postgres

WANG = {"name": "王建国", "phones": ["13800138000", "010-87654321"], "confidential": False}
SECRET = {"name": "甄鹬鹕", "phones": ["+86 139 0013 9000"], "confidential": True}
LATIN = {"name": "Anna Li", "phones": ["0086 13712345678"], "confidential": "true"}
SHORT = {"name": "王", "phones": ["1234567"], "confidential": True}
EMPTY: dict[str, Any] = {"name": "", "phones": [], "confidential": False}

CASES: list[tuple[str, Any]] = [
    ("王建国反映楼下噪音", WANG),
    ("来电人王建国，电话13800138000，请回电", WANG),
    ("电话 138 0013 8000 或 138-0013-8000", WANG),
    ("座机(010) 8765-4321，或 010 87654321", WANG),
    ("座机 8765-4321", WANG),
    ("手机１３８００１３８０００", WANG),
    ("另一位 13911112222 也来电", WANG),
    ("身份证110105194912310021，卡号6222020200112233445", WANG),
    ("2026-12-06 10:30 发现漏水，2026.12.6 再次", WANG),
    ("2026-12-06 13800138000", WANG),
    ("门牌 12 号 3 单元 1201 室", WANG),
    ("编号20261206001", WANG),
    ("甄鹬鹕说甄先生和甄阿姨都在，电话13900139000", SECRET),
    ("+86 139 0013 9000，或 0139-0013-9000", SECRET),
    ("另一号 13712345678 和 88886666", SECRET),
    ("2026/12/06 甄老师来电", SECRET),
    ("ANNA LI and anna li called from 13712345678", LATIN),
    ("Anna Lis reply: 1371234 5678", LATIN),
    ("王先生说 1234567 与 12345678", SHORT),
    ("王先生 13800138000", EMPTY),
    ("", WANG),
    ("无个人信息的文字", None),
    ("电话１３８-００１３-８０００", None),
    ("a\\b 王建国 $1 \\1", WANG),
]


@pytest.fixture(scope="module")
def centre() -> Iterator[CentralDb]:
    with throwaway_centre() as c:
        yield c


@pytest.mark.parametrize(("text", "caller"), CASES)
def test_the_seat_and_the_centre_mask_a_caller_the_same(
    centre: CentralDb, text: str, caller: Any
) -> None:
    with centre.admin() as conn:
        (sql,) = conn.execute(
            "SELECT central.mask_free_text(%s, %s)",
            (text, Jsonb(caller) if caller is not None else None),
        ).fetchone()
    assert mask_caller_in_text(text, caller) == sql


def test_what_is_masked_and_what_is_kept() -> None:
    out = mask_caller_in_text("来电人王建国，电话13800138000，座机 8765-4321，2026-12-06", WANG)
    assert out == "来电人王**，电话*******8000，座机 ********，2026-12-06"
    secret = mask_caller_in_text("甄鹬鹕和甄先生，13900139000", SECRET)
    assert secret == "***和***，***********"


@pytest.mark.parametrize("caller", [WANG, SECRET, LATIN])
def test_the_purges_mask_a_ticket_and_its_events_the_same(
    centre: CentralDb, caller: dict[str, Any]
) -> None:
    """The seat's shadow, outbox and conflict copies (``mask_caller_in_ticket_data``) and
    events (``mask_caller_in_event_data``) against the centre's ``purge_mask_data`` and
    ``purge_mask_event`` (c0014): the same fields, the same words.  A copy whose own caller
    differs from the ticket's is masked with both."""
    texts = [t for t, _c in CASES]
    other = {"name": "李鹡鸰", "phones": ["13312345670"], "confidential": False}
    data = {
        "number": "20261206-S01-0001",
        "caller": other,
        "description": " ".join(texts[:6]) + " 李鹡鸰 13312345670",
        "notes": " ".join(texts[6:12]),
        "outcome_detail": texts[12],
        "place": {"address": "朝阳区" + texts[16], "district": "朝阳区"},
        "extra": {"note": texts[1]},
    }
    event = {"text": texts[1], "reason": texts[3], "callback": {"words": texts[12]}, "unit": "x"}
    with centre.admin() as conn:
        sql_data, sql_event = conn.execute(
            "SELECT central.purge_mask_data(%s, %s), central.purge_mask_event(%s, %s)",
            (Jsonb(data), Jsonb(caller), Jsonb(event), Jsonb(caller)),
        ).fetchone()
    assert mask_caller_in_ticket_data(data, caller) == sql_data
    assert mask_caller_in_event_data(event, caller) == sql_event
    assert sql_data["extra"] == data["extra"]  # not masked (docs/privacy.md)
    assert "李鹡鸰" not in sql_data["description"]
