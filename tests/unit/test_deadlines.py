"""Time limits: working days over the official calendar, hours, overrides, the deadline CLI."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from agent_app.cli import main
from agent_app.domain.deadlines import (
    DEFAULT_LIMITS,
    DUE_SOON_HOURS,
    CalendarOverride,
    LimitUnit,
    TimeLimit,
    UrgencyTier,
    WorkCalendar,
    due_at,
    due_light,
    traffic_light,
)
from agent_app.errors import ConfigError
from agent_app.services.catalogue import load_calendar_overrides, load_time_limits

BJ = timezone(timedelta(hours=8))


def first_unknown_year() -> int:
    return WorkCalendar().known_years[1] + 1


# --- domain -----------------------------------------------------------------------------


def test_working_days_skip_national_day_and_count_the_make_up_saturday() -> None:
    start = datetime(2026, 9, 30, 10, 0, tzinfo=BJ)
    result = due_at(start, TimeLimit.working_days(5), WorkCalendar())
    # 10-01..10-07 off; 10-08, 10-09, Saturday 10-10 (make-up), 10-12, 10-13.
    assert result.due.date() == date(2026, 10, 13)
    assert result.due.isoformat() == "2026-10-13T10:00:00+08:00"
    assert result.warnings == ()


def test_make_up_saturday_is_a_working_day_and_the_holiday_is_not() -> None:
    cal = WorkCalendar()
    assert cal.is_workday(date(2026, 10, 10))  # Saturday, make-up workday
    assert not cal.is_workday(date(2026, 10, 5))  # Monday inside the holiday
    assert not cal.is_workday(date(2026, 10, 11))  # ordinary Sunday


def test_hours_are_clock_hours_even_on_a_holiday() -> None:
    result = due_at(datetime(2026, 10, 1, 8, 0, tzinfo=BJ), TimeLimit.hours(2))
    assert result.due.isoformat() == "2026-10-01T10:00:00+08:00"
    overnight = due_at(datetime(2026, 10, 1, 23, 30, tzinfo=BJ), TimeLimit.hours(24))
    assert overnight.due == datetime(2026, 10, 2, 23, 30, tzinfo=BJ)


def test_naive_start_is_beijing_time_and_utc_is_converted() -> None:
    naive = due_at(datetime(2026, 3, 2, 9, 0), TimeLimit.hours(1)).due
    assert naive.isoformat() == "2026-03-02T10:00:00+08:00"
    utc = due_at(datetime(2026, 3, 2, 1, 0, tzinfo=UTC), TimeLimit.hours(1)).due
    assert utc.isoformat() == "2026-03-02T10:00:00+08:00"


def test_calendar_days_keep_the_clock_time() -> None:
    due = due_at(datetime(2026, 9, 28, 14, 5, tzinfo=BJ), TimeLimit.calendar_days(7)).due
    assert due.isoformat() == "2026-10-05T14:05:00+08:00"


def test_default_tiers_follow_the_db11_draft() -> None:
    assert DEFAULT_LIMITS[UrgencyTier.EMERGENCY] == TimeLimit.hours(2)
    assert DEFAULT_LIMITS[UrgencyTier.UTILITY] == TimeLimit.hours(24)
    assert DEFAULT_LIMITS[UrgencyTier.ORDINARY] == TimeLimit(7, LimitUnit.CALENDAR_DAYS)
    assert DEFAULT_LIMITS[UrgencyTier.COMPLEX] == TimeLimit(15, LimitUnit.CALENDAR_DAYS)
    assert [t.value for t in UrgencyTier] == ["emergency", "utility", "ordinary", "complex"]


def test_year_beyond_the_package_counts_weekends_only_with_a_warning() -> None:
    year = first_unknown_year()
    monday = date(year, 1, 4) + timedelta(days=(7 - date(year, 1, 4).weekday()) % 7)
    start = datetime.combine(monday, datetime.min.time(), tzinfo=BJ).replace(hour=9)
    result = due_at(start, TimeLimit.working_days(5), WorkCalendar())
    assert result.due.date() == monday + timedelta(days=7)  # Tue..Fri + next Monday
    assert result.beyond_years == (year,)
    assert len(result.warnings) == 1
    assert str(year) in result.warnings[0]
    assert "weekends only" in result.warnings[0]


def test_override_file_entries_are_honoured_and_silence_the_warning() -> None:
    year = first_unknown_year()
    monday = date(year, 3, 1) + timedelta(days=(7 - date(year, 3, 1).weekday()) % 7)
    tuesday, saturday = monday + timedelta(days=1), monday + timedelta(days=5)
    cal = WorkCalendar(
        [CalendarOverride(tuesday, workday=False), CalendarOverride(saturday, workday=True)]
    )
    start = datetime.combine(monday, datetime.min.time(), tzinfo=BJ).replace(hour=10)
    result = due_at(start, TimeLimit.working_days(4), cal)
    # Tue off; Wed, Thu, Fri, and the make-up Saturday.
    assert result.due.date() == saturday
    assert result.warnings == ()


def test_time_limit_rejects_negative_and_fractional_days() -> None:
    with pytest.raises(ValueError, match="negative"):
        TimeLimit.hours(-1)
    with pytest.raises(ValueError, match="infinite"):
        TimeLimit.hours(float("nan"))
    with pytest.raises(ValueError, match="whole"):
        TimeLimit(1.5, LimitUnit.WORKING_DAYS)
    assert TimeLimit.working_days(5).label() == "5个工作日"
    assert TimeLimit.hours(2).label() == "2小时"


@pytest.mark.parametrize(
    ("minutes_left", "expected"),
    [(-1, "red"), (0, "red"), (29, "amber"), (31, "green")],
)
def test_traffic_light_uses_the_last_quarter_of_the_limit(minutes_left: int, expected: str) -> None:
    start = datetime(2026, 5, 6, 8, 0, tzinfo=BJ)
    due = start + timedelta(hours=2)
    now = due - timedelta(minutes=minutes_left)
    assert traffic_light(due, now, start=start) == expected


def test_traffic_light_without_start_is_amber_in_the_last_day() -> None:
    due = datetime(2026, 5, 10, 8, 0, tzinfo=BJ)
    assert traffic_light(due, due - timedelta(hours=23)) == "amber"
    assert traffic_light(due, due - timedelta(hours=25)) == "green"


# --- files ------------------------------------------------------------------------------


def test_the_lead_desks_light_is_red_past_the_limit_amber_within_24_hours() -> None:
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    assert DUE_SOON_HOURS == 24
    assert due_light(now - timedelta(seconds=1), now) == "red"
    assert due_light(now, now) == "amber"  # as the centre filters: overdue is due < now
    assert due_light(now + timedelta(hours=23, minutes=59), now) == "amber"
    assert due_light(now + timedelta(hours=24), now) == "green"
    assert due_light(now + timedelta(hours=3), now, within_hours=4) == "amber"


def test_time_limits_file_can_switch_a_tier_to_working_days(tmp_path: Path) -> None:
    ini = tmp_path / "time_limits.ini"
    ini.write_text("[ordinary]\namount = 5\nunit = working_days\n", encoding="utf-8")
    limits = load_time_limits(ini)
    assert limits[UrgencyTier.ORDINARY] == TimeLimit.working_days(5)
    assert limits[UrgencyTier.EMERGENCY] == TimeLimit.hours(2)  # untouched tiers keep defaults


def test_bad_time_limits_file_names_the_section(tmp_path: Path) -> None:
    ini = tmp_path / "time_limits.ini"
    ini.write_text("[complex]\namount = 15\nunit = fortnights\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[complex\].*unit"):
        load_time_limits(ini)


def test_bad_override_line_names_file_and_line(tmp_path: Path) -> None:
    csv_file = tmp_path / "calendar_overrides.csv"
    csv_file.write_text(
        "# comment\ndate,kind,name,source\n2027-01-01,holiday,元旦,\n2027-02-30,holiday,x,\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"calendar_overrides.csv line 4"):
        load_calendar_overrides(csv_file)


def test_shipped_files_load() -> None:
    assert load_time_limits(
        Path(__file__).resolve().parents[2] / "knowledge_base/catalogue/time_limits.ini"
    )[UrgencyTier.UTILITY] == TimeLimit.hours(24)


# --- CLI --------------------------------------------------------------------------------


def test_cli_working_days_over_national_day(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["deadline", "--from", "2026-09-30T10:00:00+08:00", "--working-days", "5"])
    out, err = capsys.readouterr()
    assert code == 0
    assert out.strip() == "2026-10-13T10:00:00+08:00"
    assert err == ""


def test_cli_hours(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "--from", "2026-10-01T08:00:00+08:00", "--hours", "2"]) == 0
    assert capsys.readouterr().out.strip() == "2026-10-01T10:00:00+08:00"


def test_cli_unknown_year_answers_and_warns(capsys: pytest.CaptureFixture[str]) -> None:
    year = first_unknown_year()
    code = main(["deadline", "--from", f"{year}-06-01T09:00:00+08:00", "--working-days", "3"])
    out, err = capsys.readouterr()
    assert code == 0
    assert out.strip().startswith(f"{year}-06-")
    assert "warning" in err
    assert str(year) in err
    assert len(err.strip().splitlines()) == 1


def test_cli_override_file_for_the_unknown_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    year = first_unknown_year()
    first = date(year, 1, 1)
    days_off = [
        first + timedelta(days=i) for i in range(3) if (first + timedelta(days=i)).weekday() < 5
    ]
    overrides = tmp_path / "overrides.csv"
    overrides.write_text(
        "date,kind,name,source\n" + "".join(f"{d},holiday,元旦,test\n" for d in days_off),
        encoding="utf-8",
    )
    start = f"{year - 1}-12-31T09:00:00+08:00"
    args = ["deadline", "--from", start, "--working-days", "1", "--json"]
    assert main([*args, "--overrides", str(overrides)]) == 0
    with_file = json.loads(capsys.readouterr().out)
    assert main(args) == 0
    without = json.loads(capsys.readouterr().out)
    assert with_file["warnings"] == []
    assert without["warnings"]
    expected = first
    while expected.weekday() >= 5 or expected in days_off:
        expected += timedelta(days=1)
    assert with_file["due"].startswith(expected.isoformat())
    assert without["due"] < with_file["due"] or not days_off


def test_cli_tier_uses_the_tier_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "--from", "2026-03-02T09:00", "--tier", "emergency", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["due"] == "2026-03-02T11:00:00+08:00"
    assert record["unit"] == "hours"
    assert record["tier"] == "emergency"


@pytest.mark.parametrize(
    "args",
    [
        ["--from", "yesterday", "--hours", "2"],
        ["--from", "2026-01-01T00:00", "--hours", "-2"],
        ["--from", "2026-01-01T00:00", "--working-days", "-1"],
        ["--from", "2026-01-01T00:00", "--hours", "1", "--working-days", "1"],
        ["--from", "2026-01-01T00:00"],
        ["--from", "2026-01-01T00:00", "--tier", "urgent"],
        ["--from", "2026-01-01T00:00", "--hours", "1e300"],
    ],
)
def test_cli_bad_input_is_one_line_and_non_zero(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(["deadline", *args])
    except SystemExit as exc:  # argparse errors exit from the parser
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert code != 0
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
