"""The QA shifts are data (knowledge_base/qa/shifts.toml): the shipped file loads; a wrong file
stops with one line naming the file and the problem; a night shift ending after midnight
belongs to the day it starts and is the running one at 02:00."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from agent_app.domain import timeutil
from agent_app.errors import ConfigError, UsageError
from agent_app.services import qa_desk, qa_shifts

NIGHT_ROSTER = """
[[shifts]]
key = "early"
name = "早班"
start = "06:00"
end = "14:00"

[[shifts]]
key = "late"
name = "晚班"
start = "14:00"
end = "22:00"

[[shifts]]
key = "night"
name = "夜班"
start = "22:00"
end = "06:00"
"""


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=timeutil.SHANGHAI)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "shifts.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def night(tmp_path: Path) -> qa_shifts.Roster:
    return qa_shifts.load_roster(_write(tmp_path, NIGHT_ROSTER))


def test_the_shipped_file_has_the_centres_three_shifts_and_the_whole_day() -> None:
    roster = qa_shifts.load_roster()
    assert roster.keys() == ("day", "evening", "night", "all")
    assert [(s.name, s.span()) for s in roster.every] == [
        ("白班", "08:00–16:00"),
        ("中班", "16:00–24:00"),
        ("夜班", "00:00–08:00"),
        ("全天", "00:00–24:00"),
    ]
    assert roster.source.endswith("shifts.toml")
    start, end = qa_desk.shift_range(date(2026, 11, 30), "evening")
    assert (start, end) == (_at(1, 16) - timedelta(days=1), _at(1, 0))


def test_a_night_shift_ends_on_the_next_morning(night: qa_shifts.Roster) -> None:
    shift = night.get("night")
    assert shift.overnight
    assert (shift.start_text, shift.end_text) == ("22:00", "06:00")
    assert night.range(date(2026, 12, 6), "night") == (_at(6, 22), _at(7, 6))
    assert qa_desk.shift_range(date(2026, 12, 6), "night", night) == (_at(6, 22), _at(7, 6))
    assert night.range(date(2026, 12, 6), "all") == (_at(6, 0), _at(7, 0))


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (_at(7, 2), (date(2026, 12, 6), "night")),  # started yesterday evening
        (_at(6, 21, 59), (date(2026, 12, 6), "late")),
        (_at(6, 22), (date(2026, 12, 6), "night")),
        (_at(7, 5, 59), (date(2026, 12, 6), "night")),
        (_at(7, 6), (date(2026, 12, 7), "early")),
        (_at(7, 0), (date(2026, 12, 6), "night")),
    ],
)
def test_the_running_shift(
    night: qa_shifts.Roster, at: datetime, expected: tuple[date, str]
) -> None:
    assert night.current(at) == expected
    assert night.current(at.astimezone(UTC)) == expected  # the centre's clock in UTC


def test_the_running_shift_of_the_shipped_roster_and_a_gap(tmp_path: Path) -> None:
    shipped = qa_shifts.load_roster()
    assert shipped.current(_at(7, 2)) == (date(2026, 12, 7), "night")
    assert shipped.current(_at(6, 21, 59)) == (date(2026, 12, 6), "evening")
    days = NIGHT_ROSTER[: NIGHT_ROSTER.index('[[shifts]]\nkey = "night"')]
    days_only = qa_shifts.load_roster(_write(tmp_path, days))
    assert days_only.current(_at(7, 2)) == (date(2026, 12, 7), "all")  # no shift then


def test_the_latest_start_of_a_shift(night: qa_shifts.Roster) -> None:
    assert night.latest("night", _at(7, 2)) == date(2026, 12, 6)
    assert night.latest("night", _at(7, 23)) == date(2026, 12, 7)
    assert night.latest("early", _at(7, 5)) == date(2026, 12, 6)


def test_an_unknown_shift_names_the_ones_to_use(night: qa_shifts.Roster) -> None:
    with pytest.raises(
        UsageError, match="unknown shift 'brunch'; use one of early, late, night, all"
    ):
        night.get("brunch")


BAD = [
    ("not toml = [", "not a valid TOML file"),
    ("", "no shifts"),
    ("title = 'x'\n" + NIGHT_ROSTER, "unknown setting(s) title"),
    (
        NIGHT_ROSTER.replace('start = "06:00"', 'strat = "06:00"'),
        "shift 1 ('early'): unknown field(s) strat",
    ),
    (NIGHT_ROSTER.replace('name = "晚班"\n', ""), "shift 2 ('late'): missing name"),
    (NIGHT_ROSTER.replace('"late"', '"Late shift"'), "key 'Late shift' is not a short id"),
    (NIGHT_ROSTER.replace('"late"', '"all"'), "the key 'all' is taken"),
    (NIGHT_ROSTER.replace('"late"', '"early"'), "two shifts have the key 'early'"),
    (NIGHT_ROSTER.replace("晚班", "早班"), "two shifts have the name '早班'"),
    (NIGHT_ROSTER.replace('start = "22:00"', 'start = "25:00"'), "start '25:00' is not a time"),
    (NIGHT_ROSTER.replace('start = "22:00"', 'start = "24:00"'), "start '24:00' is not a time"),
    (NIGHT_ROSTER.replace('end = "14:00"', 'end = "14:75"'), "end '14:75' is not a time"),
    (NIGHT_ROSTER.replace('end = "14:00"', "end = 14"), "end 14 is not a time"),
    (NIGHT_ROSTER.replace('end = "14:00"', 'end = "06:00"'), "starts and ends at 06:00"),
    (
        NIGHT_ROSTER.replace('end = "22:00"', 'end = "23:00"'),
        "shifts 'late' (14:00–23:00) and 'night' (22:00–next day 06:00) overlap",
    ),
    (  # the night's morning runs into the early shift of the next day
        NIGHT_ROSTER.replace('end = "06:00"', 'end = "07:00"'),
        "shifts 'early' (06:00–14:00) and 'night' (22:00–next day 07:00) overlap",
    ),
]


@pytest.mark.parametrize(("text", "problem"), BAD)
def test_a_wrong_file_is_one_line_naming_the_file_and_the_problem(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        qa_shifts.load_roster(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert problem in message
    assert message.endswith("; fix the file.")
    assert "\n" not in message


def test_a_missing_file_says_to_restore_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="shifts file is missing"):
        qa_shifts.load_roster(tmp_path / "none.toml")


def test_toml_local_times_and_the_end_of_the_day(tmp_path: Path) -> None:
    text = '[[shifts]]\nkey = "d"\nname = "日班"\nstart = 09:00:00\nend = "24:00"\n'
    (shift,) = qa_shifts.load_roster(_write(tmp_path, text)).shifts
    assert (shift.start, shift.end, shift.overnight, shift.span()) == (
        540,
        1440,
        False,
        "09:00–24:00",
    )
