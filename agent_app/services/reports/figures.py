"""Report service functions over the centre's report functions (migration c0007)."""

from __future__ import annotations

import csv
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from agent_app.domain.rates import (
    GROUPINGS,
    RankingRow,
    RateCounts,
    RateDefinitions,
    RateRow,
    classify,
    compute_rates,
    load_definitions,
    per_10k,
    robust_growth,
)
from agent_app.errors import ConfigError, KnownError, UnreachableError, UsageError
from agent_app.paths import knowledge_base_dir
from agent_app.services.catalogue import catalogue_dir, load_units

if TYPE_CHECKING:
    from agent_app.storage.central.connect import CentralTarget, PasswordLookup
    from agent_app.storage.central.link import CentralLink

T = TypeVar("T")

BEIJING = ZoneInfo("Asia/Shanghai")
MEASURES = (
    "tickets",
    "dispatches",
    "signed_in_time",
    "upheld_objections",
    "callbacks",
    "resolved",
    "satisfied",
)


def reports_dir() -> Path:
    return knowledge_base_dir() / "reports"


@functools.cache
def _definitions(path: Path) -> RateDefinitions:
    return load_definitions(path)


def definitions(path: Path | None = None) -> RateDefinitions:
    """The working definitions (``knowledge_base/reports/rates.toml`` unless ``path``)."""
    return _definitions(path or reports_dir() / "rates.toml")


@functools.cache
def unit_kinds() -> dict[str, str]:
    """Unit name (and alias) → kind from ``units.csv`` (township, municipal_dept, utility…)."""
    kinds: dict[str, str] = {}
    for unit in load_units(catalogue_dir() / "units.csv"):
        kinds[unit.name] = str(unit.kind)
        for alias in unit.aliases:
            kinds.setdefault(alias, str(unit.kind))
    return kinds


@functools.cache
def district_population() -> dict[str, int]:
    """District → resident population (2020 census), from ``district_population_2020.csv``."""
    path = reports_dir() / "district_population_2020.csv"
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return {
                row["district"]: int(row["resident_population_2020"]) for row in csv.DictReader(fh)
            }
    except (OSError, KeyError, ValueError) as exc:
        raise ConfigError(f"{path} cannot be read ({exc}); restore it from the release") from None


@functools.cache
def past_topics() -> dict[str, str]:
    """每月一题 topics (2021-2025) → "year topic", for marking a candidate already chosen."""
    path = reports_dir() / "meiyueyiti_topics.csv"
    out: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["topic"], f"{row['year']} {row['topic']}")
    return out


# Periods ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """[start, end) in Beijing time; ``label`` for humans (2026-11, 2026-11-01..2026-11-30)."""

    start: datetime
    end: datetime
    label: str


def parse_date(text: str, what: str = "date") -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{what} {text!r} is not a date; write YYYY-MM-DD") from None


def parse_month(text: str) -> date:
    m = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise UsageError(f"--month {text!r} is not a month; write YYYY-MM")
    return date(int(m.group(1)), int(m.group(2)), 1)


def period(first: date, last: date) -> Period:
    """The days ``first`` to ``last`` inclusive."""
    if last < first:
        raise UsageError(f"--to {last} is before --from {first}")
    start = datetime.combine(first, time(), BEIJING)
    end = datetime.combine(last + timedelta(days=1), time(), BEIJING)
    return Period(start, end, f"{first.isoformat()}..{last.isoformat()}")


def add_months(month: date, n: int) -> date:
    k = month.year * 12 + month.month - 1 + n
    return date(k // 12, k % 12 + 1, 1)


def month_period(month: date) -> Period:
    nxt = add_months(month, 1)
    p = period(month, nxt - timedelta(days=1))
    return Period(p.start, p.end, month.strftime("%Y-%m"))


# The centre ------------------------------------------------------------------------------------


@contextmanager
def _mapped(target: CentralTarget) -> Iterator[None]:
    """The centre's errors as the app's: a refused login, an old schema, no network."""
    import psycopg  # noqa: PLC0415 - heavy, only when talking to the centre

    try:
        yield
    except psycopg.errors.InsufficientPrivilege:
        raise ConfigError(
            f"The login {target.user} may not read reports at {target.display}; use a shift "
            "lead's login or one granted the reporting group (<prefix>_report)."
        ) from None
    except psycopg.errors.UndefinedFunction:
        raise ConfigError(
            f"The central database {target.display} has no report functions; run "
            "'agent-app central upgrade' with an administrator login."
        ) from None
    except psycopg.OperationalError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise UnreachableError(
            f"cannot reach the central database {target.display}: {' '.join(first.split())}"
        ) from None
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise KnownError(f"the centre could not compute the report: {first}") from None


@contextmanager
def centre(target: CentralTarget, password_lookup: PasswordLookup | None) -> Iterator[Any]:
    """A new connection to the centre for the block (a command's), errors mapped."""
    from agent_app.storage.central.connect import connect, keyring_lookup  # noqa: PLC0415

    with (
        _mapped(target),
        connect(target, password_lookup=password_lookup or keyring_lookup) as conn,
    ):
        yield conn


def centre_read(
    target: CentralTarget,
    password_lookup: PasswordLookup | None,
    read: Callable[[Any], T],
    *,
    link: CentralLink | None = None,
) -> T:
    """``read(conn)`` at the centre, errors mapped: on ``link``'s reused connections (the
    lead's desk: one transaction, run once more if the connection broke), else on a new one."""
    if link is None:
        with centre(target, password_lookup) as conn:
            return read(conn)
    with _mapped(target):
        return link.read(read)


def refresh(target: CentralTarget, *, password_lookup: PasswordLookup | None = None) -> int:
    """Fold the tickets changed since the last report into the report facts now (every
    report does it first; a scheduled refresh keeps that step small on a busy centre).
    Returns how many tickets were folded in."""
    with centre(target, password_lookup) as conn:
        row = conn.execute("SELECT central.report_refresh()").fetchone()
    return int(row[0]) if row else 0


def _counts(conn: Any, p: Period, defs: RateDefinitions) -> list[tuple[str, str, RateCounts, int]]:
    """The centre's counts per (unit, district of the place).  For the district grouping the
    ``tickets`` figure is the tickets first dispatched in the period (a ticket re-dispatched
    to another unit of the same district counts once)."""
    rows = conn.execute(
        "SELECT * FROM central.report_rate_counts(%s, %s, %s, %s)",
        (p.start, p.end, defs.response_window, defs.count_rehandling),
    ).fetchall()
    out = []
    for unit, district, *rest in rows:
        numbers = [int(x) for x in rest]
        counts = RateCounts(unit or "", "", *numbers[:8])
        out.append((unit or "", district or "", counts, numbers[8]))
    return out


def _district_volume(conn: Any, p: Period) -> dict[str, int]:
    rows = conn.execute(
        "SELECT * FROM central.report_district_volume(%s, %s)", (p.start, p.end)
    ).fetchall()
    return {d: int(n) for d, n in rows}


def group_counts(
    raw: Sequence[tuple[str, str, RateCounts, int]], by: str, defs: RateDefinitions
) -> list[RateCounts]:
    """Sum the centre's (unit, district) counts into the rows of one grouping."""
    if by not in GROUPINGS:
        raise UsageError(f"--by must be one of {', '.join(GROUPINGS)}")
    kinds = unit_kinds()
    wanted = set(defs.groups.get(by, ())) if by not in ("unit", "district") else set()
    sums: dict[str, RateCounts] = {}
    for unit, district, counts, new_tickets in raw:
        kind = kinds.get(unit, "")
        if by == "district":
            if not district:
                continue
            key, kind = district, "district"
            counts = replace(counts, tickets=new_tickets)
        elif by == "unit":
            key = unit
        else:
            if kind not in wanted:
                continue
            key = unit
        base = sums.get(key) or RateCounts(key, kind)
        sums[key] = base + counts
    return list(sums.values())


def rates(
    target: CentralTarget,
    first: date,
    last: date,
    by: str = "unit",
    *,
    defs: RateDefinitions | None = None,
    password_lookup: PasswordLookup | None = None,
    link: CentralLink | None = None,
) -> list[RateRow]:
    """The three rates and the score for every row of ``by`` (unit, township, district,
    department, utility) over the days ``first``..``last``, ranked by score."""
    d = defs or definitions()
    p = period(first, last)
    raw = centre_read(target, password_lookup, lambda conn: _counts(conn, p, d), link=link)
    return compute_rates(group_counts(raw, by, d), d)


@dataclass(frozen=True)
class TicketRef:
    number: str
    unit: str
    district: str
    at: datetime


def rate_tickets(
    target: CentralTarget,
    first: date,
    last: date,
    measure: str,
    unit: str | None = None,
    *,
    defs: RateDefinitions | None = None,
    password_lookup: PasswordLookup | None = None,
    link: CentralLink | None = None,
) -> list[TicketRef]:
    """The tickets behind one figure of :func:`rates` (a unit's ``signed_in_time``, ...)."""
    if measure not in MEASURES:
        raise UsageError(f"measure must be one of {', '.join(MEASURES)}")
    d = defs or definitions()
    p = period(first, last)

    def read(conn: Any) -> list[Any]:
        return conn.execute(
            "SELECT * FROM central.report_rate_tickets(%s, %s, %s, %s, %s, %s)",
            (p.start, p.end, d.response_window, d.count_rehandling, unit, measure),
        ).fetchall()

    rows = centre_read(target, password_lookup, read, link=link)
    return [TicketRef(n, u or "", dist or "", at) for n, u, dist, at in rows]


# 四类排名 ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankingTable:
    """One table of 四类排名 (township, district, department, utility) for a month."""

    table: str
    month: str
    previous_month: str
    rows: tuple[RankingRow, ...]
    scored: tuple[RateRow, ...]  # every row of the month, ranked (for a full table)


def rankings(
    target: CentralTarget,
    month: date,
    *,
    defs: RateDefinitions | None = None,
    password_lookup: PasswordLookup | None = None,
    link: CentralLink | None = None,
) -> list[RankingTable]:
    """四类排名 for the month, with the previous month beside: townships, districts
    (治理类 by 万人诉求比), municipal departments and utilities."""
    d = defs or definitions()
    cur_p, prev_p = month_period(month), month_period(add_months(month, -1))

    def read(conn: Any) -> tuple[Any, Any, dict[str, int], dict[str, int]]:
        return (
            _counts(conn, cur_p, d),
            _counts(conn, prev_p, d),
            _district_volume(conn, cur_p),
            _district_volume(conn, prev_p),
        )

    cur_raw, prev_raw, cur_vol, prev_vol = centre_read(target, password_lookup, read, link=link)
    population = district_population()
    out = []
    for table in ("township", "district", "department", "utility"):
        cur = compute_rates(group_counts(cur_raw, table, d), d)
        prev = compute_rates(group_counts(prev_raw, table, d), d)
        volume = prev_volume = None
        if table == "district":
            # 万人诉求比: every request of the district's places, per 10,000 residents.
            volume = {k: per_10k(n, population.get(k, 0)) for k, n in cur_vol.items()}
            prev_volume = {k: per_10k(n, population.get(k, 0)) for k, n in prev_vol.items()}
        rows = classify(table, cur, prev, d, volume=volume, previous_volume=prev_volume)
        out.append(RankingTable(table, cur_p.label, prev_p.label, tuple(rows), tuple(cur)))
    return out


# Hotspots and 每月一题 -----------------------------------------------------------------------


@dataclass(frozen=True)
class Hotspot:
    """A category at a township growing against the township's own recent months."""

    category_code: str
    category_name: str
    district: str
    township: str
    tickets: int
    baseline: tuple[int, ...]  # the previous months, oldest first (0 where none)
    median: float
    mad: float
    z: float
    growth: float

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": "hotspot",
            "category_code": self.category_code,
            "category": self.category_name,
            "district": self.district,
            "township": self.township,
            "tickets": self.tickets,
            "baseline": list(self.baseline),
            "median": self.median,
            "mad": self.mad,
            "z": round(self.z, 2),
            "growth": round(self.growth, 3),
        }


@dataclass(frozen=True)
class Repeat:
    """Repeat complaints: the same place (building-level address) and category."""

    category_code: str
    category_name: str
    district: str
    township: str
    place: str
    tickets: int
    numbers: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": "repeat",
            "category_code": self.category_code,
            "category": self.category_name,
            "district": self.district,
            "township": self.township,
            "place": self.place,
            "tickets": self.tickets,
            "numbers": list(self.numbers),
        }


@dataclass(frozen=True)
class Candidate:
    """A 每月一题 candidate: a category citywide, its growth, hot places and repeats."""

    rank: int
    category_code: str
    category_name: str
    tickets: int
    median: float
    excess: float  # tickets above the baseline median
    z: float
    growth: float
    hot_places: int
    repeats: int
    samples: tuple[str, ...]
    past_topic: str  # "2024 物业服务规范管理" when already a 每月一题 topic, else ""

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": "candidate",
            "rank": self.rank,
            "category_code": self.category_code,
            "category": self.category_name,
            "tickets": self.tickets,
            "median": self.median,
            "excess": self.excess,
            "z": round(self.z, 2),
            "growth": round(self.growth, 3),
            "hot_places": self.hot_places,
            "repeats": self.repeats,
            "samples": list(self.samples),
            "past_topic": self.past_topic,
        }


@dataclass(frozen=True)
class HotspotReport:
    month: str
    baseline_months: int
    hotspots: tuple[Hotspot, ...]
    repeats: tuple[Repeat, ...]
    candidates: tuple[Candidate, ...]


def _zero_filled(month: date, k: int, months: Sequence[date], counts: Sequence[int]) -> list[int]:
    by_month = dict(zip(months, counts, strict=False))
    return [int(by_month.get(add_months(month, i - k), 0)) for i in range(k)]


def _leaf(name: str) -> str:
    return name.rsplit("/", 1)[-1]


def hotspots(
    target: CentralTarget,
    month: date,
    *,
    defs: RateDefinitions | None = None,
    password_lookup: PasswordLookup | None = None,
    link: CentralLink | None = None,
) -> HotspotReport:
    """Hot (category x township) cells, repeat complaints and 每月一题 candidates of a month."""
    d = defs or definitions()
    h = d.hotspots
    k = h.baseline_months

    def read(conn: Any) -> HotspotReport:
        cells = conn.execute(
            "SELECT * FROM central.report_hot_cells(%s, %s, %s)", (month, k, h.min_count)
        ).fetchall()
        cats = conn.execute(
            "SELECT * FROM central.report_category_months(%s, %s)", (month, k)
        ).fetchall()
        reps = conn.execute(
            "SELECT * FROM central.report_repeats(%s, %s, %s)", (month, h.repeat_min, h.samples)
        ).fetchall()
        hot: list[Hotspot] = []
        for code, name, district, township, n, months, counts in cells:
            base = _zero_filled(month, k, months, counts)
            g = robust_growth(int(n), base)
            if g.z >= h.z_threshold:
                hot.append(
                    Hotspot(
                        code,
                        name,
                        district,
                        township,
                        int(n),
                        tuple(base),
                        g.median,
                        g.mad,
                        g.z,
                        g.growth,
                    )  # fmt: skip
                )
        hot.sort(key=lambda x: (-x.z, -x.tickets, x.category_code, x.district, x.township))
        repeats = sorted(
            (
                Repeat(c, nm, dist, town, place, int(n), tuple(nums or ()))
                for c, nm, dist, town, place, n, nums in reps
            ),
            key=lambda r: (-r.tickets, r.category_code, r.place),
        )
        per_cat: dict[str, dict[date, int]] = defaultdict(dict)
        names: dict[str, str] = {}
        for code, name, m, n in cats:
            per_cat[code][m] = int(n)
            names[code] = name
        hot_by_cat: dict[str, int] = defaultdict(int)
        for x in hot:
            hot_by_cat[x.category_code] += 1
        rep_by_cat: dict[str, int] = defaultdict(int)
        for r in repeats:
            rep_by_cat[r.category_code] += 1
        topics = past_topics()
        scored = []
        for code, by_month in per_cat.items():
            n = by_month.get(month, 0)
            if n < h.min_count:
                continue
            base = [by_month.get(add_months(month, i - k), 0) for i in range(k)]
            g = robust_growth(n, base)
            scored.append((code, n, g))
        # The most tickets above the category's own normal level first: a 每月一题 is both
        # frequent and growing (or stubbornly high and repeated).
        scored.sort(key=lambda t: (-(t[1] - t[2].median), -t[2].z, t[0]))
        chosen = scored[: h.candidates]
        samples: dict[str, list[str]] = {}
        if chosen and h.samples:
            for code, nums in conn.execute(
                "SELECT * FROM central.report_samples(%s, %s, %s)",
                (month, [c for c, _, _ in chosen], h.samples),
            ).fetchall():
                samples[code] = list(nums or ())
        candidates = tuple(
            Candidate(
                rank=i,
                category_code=code,
                category_name=names.get(code, ""),
                tickets=n,
                median=g.median,
                excess=n - g.median,
                z=g.z,
                growth=g.growth,
                hot_places=hot_by_cat.get(code, 0),
                repeats=rep_by_cat.get(code, 0),
                samples=tuple(samples.get(code, ())),
                past_topic=topics.get(_leaf(names.get(code, "")), ""),
            )
            for i, (code, n, g) in enumerate(chosen, start=1)
        )
        return HotspotReport(month.strftime("%Y-%m"), k, tuple(hot), tuple(repeats), candidates)

    return centre_read(target, password_lookup, read, link=link)
