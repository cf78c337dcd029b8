"""The log redactor never shows more of a mainland number than its mask allows.

A mobile keeps its first 3 and last 4 digits, a landline its area code and last 4 digits,
however the number is written: full-width digits, spaces, dashes, dots, brackets, ``+86``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_app import log as applog
from agent_app.domain.privacy import ascii_digits, redact_text

FULLWIDTH = str.maketrans("0123456789+-", "０１２３４５６７８９＋－")
SEPARATORS = ["", " ", "-", "  ", "\u3000", ".", "－", " - "]

digit = st.sampled_from("0123456789")


@st.composite
def mobiles(draw: st.DrawFn) -> tuple[list[str], str]:
    """(groups of the written number, digits the mask may show)"""
    number = (
        "1"
        + draw(st.sampled_from("3456789"))
        + "".join(draw(st.lists(digit, min_size=9, max_size=9)))
    )
    split = draw(st.sampled_from([(3, 7), (3, 8), (7,), (5,), ()]))
    groups, last = [], 0
    for cut in split:
        groups.append(number[last:cut])
        last = cut
    groups.append(number[last:])
    if draw(st.booleans()):
        groups.insert(0, draw(st.sampled_from(["+86", "86", "+86"])))
    return groups, number[:3] + number[-4:]


@st.composite
def landlines(draw: st.DrawFn) -> tuple[list[str], str]:
    area = draw(
        st.one_of(
            st.just("010"),
            st.builds(lambda d: "02" + d, digit),
            st.builds(lambda a, b, c: "0" + a + b + c, st.sampled_from("3456789"), digit, digit),
        )
    )
    first = draw(st.sampled_from("2345678"))
    local = first + "".join(draw(st.lists(digit, min_size=7, max_size=7)))
    if len(area) == 4 and draw(st.booleans()):
        local = local[:7]  # 7-digit local numbers behind 4-digit area codes
    style = draw(st.sampled_from(["plain", "split", "bracket", "local-split"]))
    if style == "plain":
        groups = [area + local]
    elif style == "split":
        groups = [area, local]
    elif style == "bracket":
        groups = [f"({area})", local]
    else:
        groups = [area, local[:-4], local[-4:]]
    return groups, area + local[-4:]


surrounding = st.text(
    alphabet=st.characters(
        blacklist_categories=["Nd", "No", "Nl", "Cs", "Cc"], blacklist_characters="+＋"
    ),
    max_size=12,
)


def _written(groups: list[str], seps: list[str], fullwidth: bool) -> str:
    out = groups[0]
    for group, sep in zip(groups[1:], seps, strict=False):
        out += sep + group
    return out.translate(FULLWIDTH) if fullwidth else out


def _shown_digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", ascii_digits(text))


@settings(max_examples=400, deadline=None)
@given(
    number=st.one_of(mobiles(), landlines()),
    seps=st.lists(st.sampled_from(SEPARATORS), min_size=3, max_size=3),
    fullwidth=st.booleans(),
    before=surrounding,
    after=surrounding,
)
def test_masking_never_shows_more_than_the_allowed_digits(
    number: tuple[list[str], str], seps: list[str], fullwidth: bool, before: str, after: str
) -> None:
    groups, allowed = number
    written = _written(groups, seps, fullwidth)
    masked = redact_text(f"{before}{written}{after}")
    shown = _shown_digits(masked)
    assert len(shown) <= len(allowed), (written, masked)
    assert allowed.startswith(shown[: len(allowed) - 4]), (written, masked)
    assert not shown or shown.endswith(allowed[-4:]) or len(shown) <= 4


def test_the_issue_examples_are_masked() -> None:
    for written in (
        "１３８１２３４５６７８",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
    ):
        assert redact_text(f"来电{written}。") == "来电138****5678。"
    assert redact_text("座机 (010) 8765-4321") == "座机 (010-****4321"
    assert redact_text("2026-12-06 02:40:51,870 ticket 20261122-S01-0001") == (
        "2026-12-06 02:40:51,870 ticket 20261122-S01-0001"
    )


def test_the_log_file_holds_no_spaced_or_full_width_number(tmp_path: Path) -> None:
    applog.setup(tmp_path / "logs")
    try:
        logger = logging.getLogger("agent_app.test")
        logger.info("caller %s", "１３８１２３４５６７８")
        logger.info("caller %s", "138 1234 5678")
        logger.warning("caller 138-1234-5678 again")
        for handler in logging.getLogger(applog.ROOT).handlers:
            handler.flush()
    finally:
        applog.setup(None)
    written = (tmp_path / "logs" / "agent-app.log").read_text(encoding="utf-8")
    assert "1234" not in written
    assert written.count("138****5678") == 3
