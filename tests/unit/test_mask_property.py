"""R10: the masks the views and the centre use never show more of a mainland number than
allowed (a mobile: its first 3 and last 4 digits; a landline: its area code and last 4),
nor more of a name than its first character, however the number is written."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_app.domain.privacy import mask_name, mask_phone
from tests.unit.test_redaction_property import landlines, mobiles

SEPARATORS = ["", " ", "-", "  ", " - ", "."]


def _shown(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


def _written(groups: list[str], seps: list[str]) -> str:
    out = groups[0]
    for group, sep in zip(groups[1:], seps, strict=False):
        out += sep + group
    return out


@settings(max_examples=200, deadline=None)
@given(
    number=st.one_of(mobiles(), landlines()),
    seps=st.lists(st.sampled_from(SEPARATORS), min_size=3, max_size=3),
)
def test_mask_phone_shows_at_most_the_allowed_digits(
    number: tuple[list[str], str], seps: list[str]
) -> None:
    groups, allowed = number
    written = _written(groups, seps)
    masked = mask_phone(written)
    shown = _shown(masked)
    # "+86"/"86" before a mobile is the country, not the number: never shown either
    assert shown == allowed, (written, masked)
    assert masked.count("*") >= 3, (written, masked)  # 7-digit locals hide 3


@settings(max_examples=200, deadline=None)
@given(digits=st.text(alphabet="0123456789", min_size=0, max_size=20))
def test_any_digit_string_keeps_at_least_three_digits_hidden(digits: str) -> None:
    masked = mask_phone(digits)
    shown = _shown(masked)
    assert masked.count("*") >= min(len(digits), 3), (digits, masked)
    assert len(shown) <= 8, (digits, masked)  # a 4-digit area code and the last 4 at most
    assert len(shown) <= max(len(digits) - 3, 0), (digits, masked)


@given(name=st.text(min_size=1, max_size=12).filter(lambda t: t.strip()))
def test_mask_name_shows_only_the_first_character(name: str) -> None:
    masked = mask_name(name)
    assert masked[0] == name.strip()[0]
    assert set(masked[1:]) == {"*"}
