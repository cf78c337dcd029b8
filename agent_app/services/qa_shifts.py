"""The centre's shifts (班次) for quality checks: data in ``knowledge_base/qa/shifts.toml``.

Centres run different rosters, so the shifts are read from the file, checked once on load
(unknown fields, duplicate or reserved keys, times that are not times, shifts that overlap) and
held in a :class:`Roster`.  A shift may end after midnight (夜班 22:00 to 06:00 the next day): it
belongs to the day it starts on, and at 02:00 the night shift started the evening before is the
running one.  ``all`` (全天, the calendar day) is always there and is not in the file.

No Qt here: the 质检 tab and ``agent-app qa sample`` share it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from agent_app.domain import timeutil
from agent_app.errors import ConfigError, UsageError
from agent_app.paths import knowledge_base_dir

SHIFTS_FILE = "qa/shifts.toml"
ALL = "all"
DAY_MINUTES = 24 * 60
FIELDS = ("key", "name", "start", "end")
_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
_HHMM = re.compile(r"(\d{1,2}):(\d{2})")


@dataclass(frozen=True)
class Shift:
    """One shift: ``start`` in minutes after its day's midnight, ``end`` after the same
    midnight (more than 1440: it ends on the next day)."""

    key: str
    name: str
    start: int
    end: int

    @property
    def overnight(self) -> bool:
        """Whether it ends after midnight, on the day after it starts."""
        return self.end > DAY_MINUTES

    @property
    def start_text(self) -> str:
        return _hhmm(self.start)

    @property
    def end_text(self) -> str:
        """The end's clock time ("24:00" at the start day's midnight, "06:00" the next day's)."""
        return _hhmm(self.end if self.end <= DAY_MINUTES else self.end - DAY_MINUTES)

    def span(self) -> str:
        """ "08:00–16:00", "22:00–next day 06:00": for messages and the command line."""
        return f"{self.start_text}–{'next day ' if self.overnight else ''}{self.end_text}"

    def range(self, day: date) -> tuple[datetime, datetime]:
        """[start, end) of the shift starting on ``day``, Shanghai time."""
        midnight = datetime.combine(day, time(), timeutil.SHANGHAI)
        return midnight + timedelta(minutes=self.start), midnight + timedelta(minutes=self.end)


WHOLE_DAY = Shift(ALL, "全天", 0, DAY_MINUTES)


@dataclass(frozen=True)
class Roster:
    """The centre's shifts in the file's order, then ``all``."""

    shifts: tuple[Shift, ...]
    source: str = ""  # the file they came from

    @property
    def every(self) -> tuple[Shift, ...]:
        """The shifts and the whole day, as the 质检 tab lists them."""
        return (*self.shifts, WHOLE_DAY)

    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.every)

    def get(self, key: str) -> Shift:
        for s in self.every:
            if s.key == key:
                return s
        raise UsageError(f"unknown shift {key!r}; use one of {', '.join(self.keys())}")

    def range(self, day: date, key: str) -> tuple[datetime, datetime]:
        """[start, end) of shift ``key`` starting on ``day``, Shanghai time."""
        return self.get(key).range(day)

    def current(self, at: datetime) -> tuple[date, str]:
        """(the day it started, key) of the shift running at ``at``: one started the day before
        and ending after midnight counts; at a time no shift covers, the day's ``all``."""
        local = at.astimezone(timeutil.SHANGHAI)
        today = local.date()
        for day in (today, today - timedelta(days=1)):
            for s in self.shifts:
                start, end = s.range(day)
                if start <= local < end:
                    return day, s.key
        return today, ALL

    def latest(self, key: str, at: datetime) -> date:
        """The day the latest shift ``key`` started on at or before ``at`` (the running one,
        or the last one ended)."""
        shift = self.get(key)
        today = at.astimezone(timeutil.SHANGHAI).date()
        return today if shift.range(today)[0] <= at else today - timedelta(days=1)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(value: Any, *, end: bool) -> int | None:
    """Minutes after midnight of "HH:MM" (or a TOML local time); "24:00" only as an end."""
    if isinstance(value, time):
        if value.second or value.microsecond or value.tzinfo is not None:
            return None
        return value.hour * 60 + value.minute
    if not isinstance(value, str):
        return None
    m = _HHMM.fullmatch(value.strip())
    if m is None:
        return None
    hours, minutes = int(m[1]), int(m[2])
    if minutes > 59 or hours > 24 or (hours == 24 and (minutes or not end)):
        return None
    return hours * 60 + minutes


def parse_roster(doc: dict[str, Any]) -> Roster:
    """A :class:`Roster` from the file's tables; :class:`ValueError` says what is wrong."""
    extra = sorted(set(doc) - {"shifts"})
    if extra:
        raise ValueError(f"unknown setting(s) {', '.join(extra)}; only [[shifts]] tables go here")
    tables = doc.get("shifts")
    if not isinstance(tables, list) or not tables:
        raise ValueError("no shifts; give one [[shifts]] table (key, name, start, end) per shift")
    shifts: list[Shift] = []
    for n, table in enumerate(tables, start=1):
        if not isinstance(table, dict):
            raise ValueError(f"shift {n} is not a table; write it as [[shifts]]")
        label = f"shift {n}" + (f" ({table['key']!r})" if isinstance(table.get("key"), str) else "")
        unknown = sorted(set(table) - set(FIELDS))
        if unknown:
            raise ValueError(
                f"{label}: unknown field(s) {', '.join(unknown)}; use {', '.join(FIELDS)}"
            )
        missing = [f for f in FIELDS if f not in table]
        if missing:
            raise ValueError(f"{label}: missing {', '.join(missing)}")
        key, name = table["key"], table["name"]
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise ValueError(
                f"{label}: key {key!r} is not a short id (a-z, 0-9, _ or -, up to 32 characters)"
            )
        if key == ALL:
            raise ValueError(f"{label}: the key 'all' is taken by the whole day (全天)")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{label}: name must be a non-empty text")
        start = _minutes(table["start"], end=False)
        if start is None:
            raise ValueError(
                f"{label}: start {table['start']!r} is not a time; use HH:MM, 00:00-23:59"
            )
        end = _minutes(table["end"], end=True)
        if end is None:
            raise ValueError(f"{label}: end {table['end']!r} is not a time; use HH:MM, 00:00-24:00")
        if end % DAY_MINUTES == start:
            raise ValueError(
                f"{label}: it starts and ends at {_hhmm(start)}; a shift is shorter than a day "
                "(the whole day is 'all')"
            )
        if end <= start:
            end += DAY_MINUTES  # ends the next day
        shifts.append(Shift(key, name.strip(), start, end))
    for kind in ("key", "name"):
        seen: set[str] = set()
        for s in shifts:
            value = getattr(s, kind)
            if value in seen:
                raise ValueError(f"two shifts have the {kind} {value!r}; give each its own")
            seen.add(value)
    for i, a in enumerate(shifts):
        for b in shifts[i + 1 :]:
            if _overlap(a, b):
                raise ValueError(
                    f"shifts {a.key!r} ({a.span()}) and {b.key!r} ({b.span()}) overlap; "
                    "a time belongs to one shift at most"
                )
    return Roster(tuple(shifts))


def _overlap(a: Shift, b: Shift) -> bool:
    """Whether the two shifts share a minute on any day (one may start the day before)."""
    return any(a.start < b.end + k and b.start + k < a.end for k in (-DAY_MINUTES, 0, DAY_MINUTES))


def shifts_file() -> Path:
    """The shipped shifts file (under ``AGENT_APP_KB_DIR`` when set)."""
    return knowledge_base_dir() / SHIFTS_FILE


def load_roster(path: Path | None = None) -> Roster:
    """The shifts of ``path`` (default: the shipped file), checked; :class:`ConfigError` with
    one line naming the file and the problem."""
    path = path or shifts_file()
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: the shifts file is missing; reinstall the app or restore it."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"{path}: the shifts file cannot be read ({exc}); fix the file."
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not a valid TOML file ({exc}); fix the file.") from None
    try:
        roster = parse_roster(doc)
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}; fix the file.") from None
    return Roster(roster.shifts, str(path))
