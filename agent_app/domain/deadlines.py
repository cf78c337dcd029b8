"""Time limits (办理时限) of dispatched tickets, and the working-day calendar they count on.

Each urgency tier has a :class:`TimeLimit`: an amount and a unit, which is one of

* ``hours``: clock hours; the handling units work 7×24 (条例 art.19: 水电气热 全天候服务), so
  2 hours from 23:30 is 01:30 the next day;
* ``calendar_days``: the same clock time N calendar days later;
* ``working_days``: the same clock time on the N-th working day after the start day.  Working
  days follow the official holiday and make-up-workday calendar (``chinesecalendar``); an
  override table (admin file) adds or corrects days, e.g. a year the installed package does not
  know yet.  A day in a year neither knows is a working day when it is Monday to Friday, and
  the result carries a warning naming that year.

The default tiers come from the consultation draft of DB11/T 2021—2022 (北京日报 2021-12-28):
emergencies 2 h, 水电气热 24 h, ordinary requests 7 days, complex requests 15 days.  The draft
says "天" without "工作日", so the defaults count calendar days; every tier can be configured
otherwise in ``knowledge_base/catalogue/time_limits.ini``.

Times are aware datetimes; naive ones are taken as Beijing time.  Results are in Beijing time
(Asia/Shanghai, +08:00, no daylight saving).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Literal

from agent_app.domain.timeutil import SHANGHAI


class UrgencyTier(StrEnum):
    """How fast a dispatched ticket must be handled; the values match ``Ticket.urgency``."""

    EMERGENCY = "emergency"  # 紧急: threat to life or property
    UTILITY = "utility"  # 水电气热 and other time-sensitive requests
    ORDINARY = "ordinary"  # 一般诉求
    COMPLEX = "complex"  # 复杂疑难诉求


class LimitUnit(StrEnum):
    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"


_UNIT_NAMES = {
    LimitUnit.HOURS: "小时",
    LimitUnit.CALENDAR_DAYS: "天",
    LimitUnit.WORKING_DAYS: "个工作日",
}


@dataclass(frozen=True)
class TimeLimit:
    """An amount of time: ``amount`` hours (may be fractional) or whole days."""

    amount: float
    unit: LimitUnit

    def __post_init__(self) -> None:
        if not math.isfinite(self.amount) or self.amount < 0:
            raise ValueError(f"a time limit cannot be negative or infinite: {self.amount}")
        if self.unit is not LimitUnit.HOURS and self.amount != int(self.amount):
            raise ValueError(f"{self.unit.value} must be a whole number: {self.amount}")

    @classmethod
    def hours(cls, amount: float) -> TimeLimit:
        return cls(amount, LimitUnit.HOURS)

    @classmethod
    def calendar_days(cls, amount: int) -> TimeLimit:
        return cls(amount, LimitUnit.CALENDAR_DAYS)

    @classmethod
    def working_days(cls, amount: int) -> TimeLimit:
        return cls(amount, LimitUnit.WORKING_DAYS)

    def label(self) -> str:
        """Chinese label for the form, e.g. ``2小时``, ``7天``, ``5个工作日``."""
        amount = int(self.amount) if self.amount == int(self.amount) else self.amount
        return f"{amount}{_UNIT_NAMES[self.unit]}"


# DB11/T 2021—2022 consultation draft (北京日报 2021-12-28); see the module docstring.
DEFAULT_LIMITS: Mapping[UrgencyTier, TimeLimit] = {
    UrgencyTier.EMERGENCY: TimeLimit.hours(2),
    UrgencyTier.UTILITY: TimeLimit.hours(24),
    UrgencyTier.ORDINARY: TimeLimit.calendar_days(7),
    UrgencyTier.COMPLEX: TimeLimit.calendar_days(15),
}


@dataclass(frozen=True)
class CalendarOverride:
    """One admin-entered day: ``workday`` True for a make-up workday, False for a day off."""

    day: date
    workday: bool
    name: str = ""


@dataclass(frozen=True)
class DueResult:
    """A due time, with warnings (English, one sentence each) and the years they concern."""

    due: datetime
    warnings: tuple[str, ...] = ()
    beyond_years: tuple[int, ...] = field(default=())


class WorkCalendar:
    """Working days of the Chinese official calendar, corrected by admin overrides.

    ``chinesecalendar`` is imported on first use, so building a calendar stays cheap.
    A year that appears in the overrides counts as known: the admin is expected to enter the
    whole official arrangement for it (holidays and make-up workdays), and weekends fill in the
    rest.
    """

    def __init__(self, overrides: Iterable[CalendarOverride] = ()) -> None:
        self._overrides: dict[date, bool] = {o.day: o.workday for o in overrides}
        self._override_years = frozenset(d.year for d in self._overrides)
        self._known: tuple[int, int] | None = None

    @property
    def known_years(self) -> tuple[int, int]:
        """First and last year of the installed ``chinesecalendar`` tables."""
        if self._known is None:
            from chinese_calendar import constants  # noqa: PLC0415 - lazy: start-up budget

            years = [d.year for d in constants.holidays]
            self._known = (min(years), max(years))
        return self._known

    def is_known_year(self, year: int) -> bool:
        first, last = self.known_years
        return first <= year <= last or year in self._override_years

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day (overrides first, then the official calendar)."""
        if day in self._overrides:
            return self._overrides[day]
        first, last = self.known_years
        if first <= day.year <= last:
            import chinese_calendar  # noqa: PLC0415 - lazy: start-up budget

            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def add_working_days(self, start: date, count: int) -> tuple[date, tuple[int, ...]]:
        """The ``count``-th working day after ``start`` (``start`` itself when count is 0).

        Also returns the years it crossed that neither the package nor the overrides know.
        """
        day = start
        unknown: set[int] = set()
        remaining = count
        while remaining > 0:
            day += timedelta(days=1)
            if not self.is_known_year(day.year):
                unknown.add(day.year)
            if self.is_workday(day):
                remaining -= 1
        return day, tuple(sorted(unknown))


def to_beijing(moment: datetime) -> datetime:
    """The same instant in Beijing time; a naive datetime is taken as Beijing time already."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(SHANGHAI)


def beyond_years_warning(years: Iterable[int], known: tuple[int, int]) -> str:
    listed = ", ".join(str(y) for y in years)
    return (
        f"{listed} is beyond the official holiday calendar known to chinesecalendar "
        f"({known[0]}–{known[1]}): counted weekends only; add that year's official holidays "
        "and make-up workdays to the calendar override file (calendar_overrides.csv)"
    )


def due_at(start: datetime, limit: TimeLimit, calendar: WorkCalendar | None = None) -> DueResult:
    """When a ticket started at ``start`` with ``limit`` is due (see the module docstring)."""
    begin = to_beijing(start)
    if limit.unit is LimitUnit.HOURS:
        return DueResult(to_beijing(begin + timedelta(hours=limit.amount)))
    if limit.unit is LimitUnit.CALENDAR_DAYS:
        day = begin.date() + timedelta(days=int(limit.amount))
        return DueResult(_at_day(begin, day))
    cal = calendar if calendar is not None else WorkCalendar()
    day, unknown = cal.add_working_days(begin.date(), int(limit.amount))
    warnings = (beyond_years_warning(unknown, cal.known_years),) if unknown else ()
    return DueResult(_at_day(begin, day), warnings, unknown)


def _at_day(begin: datetime, day: date) -> datetime:
    """``begin``'s wall-clock time on ``day``, in Beijing time (no DST, so always valid)."""
    return datetime.combine(day, begin.timetz().replace(tzinfo=None), tzinfo=SHANGHAI)


Light = Literal["green", "amber", "red"]

AMBER_FRACTION = 0.25
"""With a known start: amber once at most a quarter of the time limit is left."""

AMBER_WINDOW = timedelta(hours=24)
"""Without a start: amber once at most 24 hours are left."""


DUE_SOON_HOURS = 24
"""The shift lead's desk: a ticket is due soon (amber) when its time limit ends within this
many hours and has not passed yet."""


def due_light(due: datetime, now: datetime, within_hours: float = DUE_SOON_HOURS) -> Light:
    """The light of an open ticket on the lead's desk, one rule for its counts and its lists:
    red when overdue (``due < now``, as the centre's queue filters it), amber when due within
    ``within_hours`` (``now <= due < now + within_hours``), green otherwise.

    The desk counts and lists by the clock, not by the share of the limit left (unlike
    :func:`traffic_light` on a ticket's own row): the lead plans the next day's chases, and the
    centre filters the same range on its index of due times.
    """
    if due < now:
        return "red"
    return "amber" if due < now + timedelta(hours=within_hours) else "green"


def traffic_light(due: datetime, now: datetime, start: datetime | None = None) -> Light:
    """Red when overdue (``now >= due``); amber when due soon; green otherwise.

    "Due soon" is the last quarter of the time limit when ``start`` is given (so a 2-hour
    emergency turns amber 30 minutes before its due time and a 7-day ticket 42 hours before),
    else the last 24 hours.
    """
    due_b, now_b = to_beijing(due), to_beijing(now)
    left = due_b - now_b
    if left <= timedelta(0):
        return "red"
    window = AMBER_WINDOW
    if start is not None:
        window = (due_b - to_beijing(start)) * AMBER_FRACTION
    return "amber" if left <= window else "green"
