"""三率, 四类排名 and hotspot statistics: the definitions and the arithmetic, no I/O besides
reading the definitions file, no SQL, no Qt.

The centre counts (``central.report_*`` functions, migration c0007); this module turns the
counts into rates, scores, ranks, classes and robust growth figures, from the working
definitions in ``knowledge_base/reports/rates.toml`` (docs/reports.md).
"""

from __future__ import annotations

import math
import statistics
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from agent_app.errors import ConfigError

CLASSES: tuple[str, ...] = ("先进类", "进步类", "整改类", "治理类")
TABLES: tuple[str, ...] = ("township", "district", "department", "utility")
GROUPINGS: tuple[str, ...] = ("unit", "township", "district", "department", "utility")
RATE_NAMES: tuple[str, str, str] = ("响应率", "解决率", "满意率")


@dataclass(frozen=True)
class HotspotDefinitions:
    baseline_months: int = 6
    min_count: int = 5
    z_threshold: float = 3.0
    repeat_min: int = 2
    candidates: int = 10
    samples: int = 3


@dataclass(frozen=True)
class RateDefinitions:
    """The working definitions (``rates.toml``); the defaults are the issue's."""

    response_window: timedelta = timedelta(hours=1)
    count_rehandling: bool = True
    basic_satisfied_weight: float = 1.0
    weights: tuple[float, float, float] = (0.30, 0.35, 0.35)
    groups: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: {
            "township": ("township", "zone"),
            "department": ("municipal_dept",),
            "utility": ("utility", "central_enterprise"),
        }
    )
    min_dispatches: int = 1
    class_sizes: Mapping[str, Mapping[str, int]] = field(
        default_factory=lambda: {t: dict.fromkeys(CLASSES, 10) for t in TABLES}
    )
    hotspots: HotspotDefinitions = HotspotDefinitions()
    source: str = "defaults"

    def as_rows(self) -> list[tuple[str, str]]:
        """(term, definition) rows for a definitions sheet."""
        w = self.weights
        rows = [
            (
                "响应率",
                "dispatches signed by the unit within "
                f"{self.response_window.total_seconds() / 3600:g} h of the dispatch ÷ dispatches "
                "to the unit, not counting dispatches whose objection was upheld"
                + (
                    "; a re-handled ticket (二次办理) counts as another dispatch"
                    if self.count_rehandling
                    else ""
                ),
            ),
            ("解决率", "tickets whose latest callback says resolved ÷ tickets with a callback"),
            (
                "满意率",
                f"(满意 + {self.basic_satisfied_weight:g} × 基本满意, latest callback) ÷ "
                "tickets with a callback",
            ),
            (
                "score",
                f"{w[0] * 100:g} % 响应率 + {w[1] * 100:g} % 解决率 + {w[2] * 100:g} % 满意率 "
                "(0-100); no score without all three denominators",
            ),
            ("rank", "by score, best first; equal scores share a rank"),
            ("tickets", "tickets newly dispatched to the unit in the period"),
            ("callbacks", "tickets whose latest callback falls in the period"),
            ("先进类", "the best scores of the month"),
            ("进步类", "the largest score gain over the previous month (not already 先进类)"),
            ("整改类", "the lowest scores of the month"),
            (
                "治理类",
                "the most requests (districts: 万人诉求比, per 10,000 residents, 2020 census)",
            ),
            (
                "hotspot",
                f"robust z = (count − median) ÷ max(1.4826 × MAD, √max(median, 1)) over the "
                f"previous {self.hotspots.baseline_months} months at the same township; hot when "
                f"count ≥ {self.hotspots.min_count} and z ≥ {self.hotspots.z_threshold:g}",
            ),
            ("source", self.source),
        ]
        return rows


def _number(table: Mapping[str, Any], key: str, where: str, *, low: float, high: float) -> float:
    value = table.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where}: {key} must be a number")
    if not low <= float(value) <= high:
        raise ConfigError(f"{where}: {key} must be between {low:g} and {high:g}")
    return float(value)


def _section(doc: Mapping[str, Any], name: str, where: str) -> Mapping[str, Any]:
    value = doc.get(name, {})
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: [{name}] must be a table")
    return value


def parse_definitions(doc: Mapping[str, Any], where: str = "rates.toml") -> RateDefinitions:
    """Definitions from a parsed TOML document; one clear line naming the key when wrong."""
    d = RateDefinitions()
    resp = _section(doc, "response", where)
    window = (
        _number(resp, "window_hours", where + " [response]", low=0.01, high=24 * 30)
        if ("window_hours" in resp)
        else 1.0
    )
    rehandling = resp.get("count_rehandling", True)
    if not isinstance(rehandling, bool):
        raise ConfigError(f"{where} [response]: count_rehandling must be true or false")
    sat = _section(doc, "satisfaction", where)
    basic = (
        _number(sat, "basic_satisfied_weight", where + " [satisfaction]", low=0, high=1)
        if "basic_satisfied_weight" in sat
        else 1.0
    )
    score = _section(doc, "score", where)
    weights = tuple(
        _number(score, k, where + " [score]", low=0, high=1) if k in score else default
        for k, default in zip(("response", "resolution", "satisfaction"), d.weights, strict=True)
    )
    if abs(sum(weights) - 1.0) > 1e-6:
        raise ConfigError(f"{where} [score]: the three weights must add up to 1")
    groups_doc = _section(doc, "groups", where)
    groups = dict(d.groups)
    for name, kinds in groups_doc.items():
        if name not in ("township", "department", "utility"):
            raise ConfigError(f"{where} [groups]: unknown group {name!r}")
        if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
            raise ConfigError(f"{where} [groups]: {name} must be a list of unit kinds")
        groups[name] = tuple(kinds)
    ranks = _section(doc, "rankings", where)
    min_dispatches = int(
        _number(ranks, "min_dispatches", where + " [rankings]", low=0, high=1e9)
        if "min_dispatches" in ranks
        else 1
    )
    sizes: dict[str, dict[str, int]] = {t: dict(d.class_sizes[t]) for t in TABLES}
    sizes_doc = ranks.get("sizes", {})
    if not isinstance(sizes_doc, Mapping):
        raise ConfigError(f"{where} [rankings.sizes] must be a table")
    for table, by_class in sizes_doc.items():
        if table not in TABLES or not isinstance(by_class, Mapping):
            raise ConfigError(f"{where} [rankings.sizes]: unknown table {table!r}")
        for cls in by_class:
            if cls not in CLASSES:
                raise ConfigError(f"{where} [rankings.sizes.{table}]: unknown class {cls!r}")
            sizes[table][cls] = int(
                _number(by_class, cls, f"{where} [rankings.sizes.{table}]", low=0, high=1000)
            )
    hot = _section(doc, "hotspots", where)
    h = d.hotspots

    def hv(key: str, default: float, low: float, high: float) -> float:
        if key not in hot:
            return default
        return _number(hot, key, where + " [hotspots]", low=low, high=high)

    hotspots = HotspotDefinitions(
        baseline_months=int(hv("baseline_months", h.baseline_months, 1, 36)),
        min_count=int(hv("min_count", h.min_count, 1, 1e6)),
        z_threshold=hv("z_threshold", h.z_threshold, 0, 100),
        repeat_min=int(hv("repeat_min", h.repeat_min, 2, 1000)),
        candidates=int(hv("candidates", h.candidates, 1, 1000)),
        samples=int(hv("samples", h.samples, 0, 20)),
    )
    return RateDefinitions(
        response_window=timedelta(hours=window),
        count_rehandling=rehandling,
        basic_satisfied_weight=basic,
        weights=(weights[0], weights[1], weights[2]),
        groups=groups,
        min_dispatches=min_dispatches,
        class_sizes=sizes,
        hotspots=hotspots,
        source=where,
    )


def load_definitions(path: Path) -> RateDefinitions:
    """Read ``rates.toml``; a missing or malformed file is one line naming it."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path} is missing; restore it from the release") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}); fix the file") from None
    return parse_definitions(doc, str(path))


# Rates ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateCounts:
    """What the centre counted for one row (a unit, a district, ...)."""

    name: str
    kind: str = ""
    tickets: int = 0  # tickets newly dispatched to the unit in the period
    dispatches: int = 0  # 响应率's denominator (upheld objections left out)
    signed_in_time: int = 0  # 响应率's numerator
    upheld_objections: int = 0  # dispatches left out: the objection was upheld
    callbacks: int = 0  # 解决率's and 满意率's denominator (tickets, latest callback)
    resolved: int = 0
    satisfied_full: int = 0  # latest callback 满意
    satisfied_basic: int = 0  # latest callback 基本满意

    def __add__(self, other: RateCounts) -> RateCounts:
        return RateCounts(
            self.name,
            self.kind,
            *(
                getattr(self, f) + getattr(other, f)
                for f in (
                    "tickets",
                    "dispatches",
                    "signed_in_time",
                    "upheld_objections",
                    "callbacks",
                    "resolved",
                    "satisfied_full",
                    "satisfied_basic",
                )
            ),
        )


@dataclass(frozen=True)
class RateRow:
    """One row of the three rates: counts, rates (0..1, None without a denominator),
    score (0..100) and rank (1 = best; None when not scored)."""

    counts: RateCounts
    satisfied: float
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    score: float | None
    rank: int | None = None

    @property
    def name(self) -> str:
        return self.counts.name

    def as_json(self) -> dict[str, Any]:
        """The command line's keys (the contract of issue 17), then the extra ones."""
        c = self.counts
        return {
            "name": c.name,
            "tickets": c.tickets,
            "signed_in_time": c.signed_in_time,
            "callbacks": c.callbacks,
            "resolved": c.resolved,
            "satisfied": _round(self.satisfied, 4),
            "响应率": _round(self.response_rate, 4),
            "解决率": _round(self.resolution_rate, 4),
            "满意率": _round(self.satisfaction_rate, 4),
            "score": _round(self.score, 2),
            "rank": self.rank,
            "kind": c.kind,
            "dispatches": c.dispatches,
            "upheld_objections": c.upheld_objections,
            "satisfied_full": c.satisfied_full,
            "satisfied_basic": c.satisfied_basic,
            "响应率_of": ["signed_in_time", "dispatches"],
            "解决率_of": ["resolved", "callbacks"],
            "满意率_of": ["satisfied", "callbacks"],
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _ratio(num: float, den: int) -> float | None:
    return num / den if den > 0 else None


def rate_row(counts: RateCounts, defs: RateDefinitions) -> RateRow:
    satisfied = counts.satisfied_full + defs.basic_satisfied_weight * counts.satisfied_basic
    r = _ratio(counts.signed_in_time, counts.dispatches)
    s = _ratio(counts.resolved, counts.callbacks)
    m = _ratio(satisfied, counts.callbacks)
    score = None
    if r is not None and s is not None and m is not None:
        w = defs.weights
        score = 100.0 * (w[0] * r + w[1] * s + w[2] * m)
    return RateRow(counts, satisfied, r, s, m, score)


def ranked(rows: Iterable[RateRow]) -> list[RateRow]:
    """Rows by score, best first (equal scores share a rank: 1, 2, 2, 4), unscored last by name."""
    scored = sorted(
        (r for r in rows if r.score is not None),
        key=lambda r: (-round(r.score or 0.0, 9), r.name),
    )
    out: list[RateRow] = []
    last: float | None = None
    rank = 0
    for i, row in enumerate(scored, start=1):
        key = round(row.score or 0.0, 9)
        if key != last:
            rank, last = i, key
        out.append(replace(row, rank=rank))
    unscored = sorted((r for r in rows if r.score is None), key=lambda r: r.name)
    return out + unscored


def compute_rates(counts: Iterable[RateCounts], defs: RateDefinitions) -> list[RateRow]:
    return ranked([rate_row(c, defs) for c in counts])


# 四类排名 --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankingRow:
    """One row of a 四类排名 table: the class, this month's figures and last month's."""

    table: str
    cls: str
    position: int  # 1.. within the class
    row: RateRow
    volume: float  # requests (治理类's measure): tickets, or 万人诉求比 for districts
    previous: RateRow | None
    previous_classes: tuple[str, ...]
    gain: float | None  # score − previous score

    def as_json(self) -> dict[str, Any]:
        prev = self.previous
        return {
            "name": self.row.name,
            "class": self.cls,
            "table": self.table,
            "position": self.position,
            "score": _round(self.row.score, 2),
            "rank": self.row.rank,
            "tickets": self.row.counts.tickets,
            "volume": _round(self.volume, 4),
            "gain": _round(self.gain, 2),
            "响应率": _round(self.row.response_rate, 4),
            "解决率": _round(self.row.resolution_rate, 4),
            "满意率": _round(self.row.satisfaction_rate, 4),
            "previous_score": _round(prev.score, 2) if prev else None,
            "previous_rank": prev.rank if prev else None,
            "previous_tickets": prev.counts.tickets if prev else None,
            "previous_class": list(self.previous_classes),
        }


def _classes_of(
    table: str,
    rows: Sequence[RateRow],
    previous: Mapping[str, RateRow],
    volume: Mapping[str, float],
    sizes: Mapping[str, int],
    min_dispatches: int,
) -> dict[str, list[tuple[RateRow, float | None]]]:
    eligible = [
        r for r in rows if r.score is not None and r.counts.dispatches >= max(min_dispatches, 0)
    ]
    best = sorted(eligible, key=lambda r: (-(r.score or 0.0), r.name))
    out: dict[str, list[tuple[RateRow, float | None]]] = {}
    top = best[: sizes.get("先进类", 0)]
    out["先进类"] = [(r, _gain(r, previous)) for r in top]
    top_names = {r.name for r in top}
    gains: list[tuple[RateRow, float | None]] = [
        (r, g)
        for r in eligible
        if r.name not in top_names and (g := _gain(r, previous)) is not None and g > 0
    ]
    gains.sort(key=lambda rg: (-(rg[1] or 0.0), rg[0].name))
    out["进步类"] = gains[: sizes.get("进步类", 0)]
    n_bottom = sizes.get("整改类", 0)
    bottom = [r for r in reversed(best) if r.name not in top_names][:n_bottom]
    out["整改类"] = [(r, _gain(r, previous)) for r in bottom]
    by_volume = sorted(
        (r for r in rows if volume.get(r.name, 0) > 0),
        key=lambda r: (-volume.get(r.name, 0.0), r.name),
    )
    out["治理类"] = [(r, _gain(r, previous)) for r in by_volume[: sizes.get("治理类", 0)]]
    return out


def _gain(row: RateRow, previous: Mapping[str, RateRow]) -> float | None:
    prev = previous.get(row.name)
    if prev is None or prev.score is None or row.score is None:
        return None
    return row.score - prev.score


def classify(
    table: str,
    rows: Sequence[RateRow],
    previous_rows: Sequence[RateRow],
    defs: RateDefinitions,
    *,
    volume: Mapping[str, float] | None = None,
    previous_volume: Mapping[str, float] | None = None,
) -> list[RankingRow]:
    """The four classes of one table for a month, with the previous month beside each row
    (its score, rank and the classes it was in)."""
    sizes = defs.class_sizes.get(table, {})
    vol = volume if volume is not None else {r.name: float(r.counts.tickets) for r in rows}
    pvol = (
        previous_volume
        if previous_volume is not None
        else {r.name: float(r.counts.tickets) for r in previous_rows}
    )
    previous = {r.name: r for r in previous_rows}
    before = _classes_of(table, previous_rows, {}, pvol, sizes, defs.min_dispatches)
    before_classes: dict[str, list[str]] = {}
    for cls in CLASSES:
        for r, _ in before.get(cls, []):
            before_classes.setdefault(r.name, []).append(cls)
    now = _classes_of(table, rows, previous, vol, sizes, defs.min_dispatches)
    out = []
    for cls in CLASSES:
        for i, (r, gain) in enumerate(now.get(cls, []), start=1):
            out.append(
                RankingRow(
                    table=table,
                    cls=cls,
                    position=i,
                    row=r,
                    volume=vol.get(r.name, 0.0),
                    previous=previous.get(r.name),
                    previous_classes=tuple(before_classes.get(r.name, ())),
                    gain=gain,
                )
            )
    return out


def per_10k(requests: int, population: int) -> float:
    """万人诉求比: requests per 10,000 residents."""
    return requests * 10_000 / population if population > 0 else 0.0


# Hotspots --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Growth:
    count: int
    median: float
    mad: float
    scale: float
    z: float
    growth: float  # (count − median) ÷ max(median, 1)


def robust_growth(count: int, baseline: Sequence[int]) -> Growth:
    """The month's count against the place's own baseline months (zeros included).

    median and MAD (median absolute deviation, × 1.4826 to match a standard deviation under
    a normal law) resist a single unusual month in the baseline, which would inflate a mean
    and a standard deviation; the scale never drops below √median (the spread of a Poisson
    count), so a place whose baseline is flat (MAD 0) is not flagged for one ticket more.
    """
    base = list(baseline) or [0]
    med = float(statistics.median(base))
    mad = float(statistics.median([abs(x - med) for x in base]))
    scale = max(1.4826 * mad, math.sqrt(max(med, 1.0)))
    return Growth(
        count=count,
        median=med,
        mad=mad,
        scale=scale,
        z=(count - med) / scale,
        growth=(count - med) / max(med, 1.0),
    )


# The same facts the centre folds (c0007 report_refresh), from one ticket's events: the seat's
# own copy uses them when the centre is unreachable. -------------------------------------------


@dataclass(frozen=True)
class DispatchFact:
    unit: str
    at: datetime
    signed_at: datetime | None
    upheld: bool
    rehandling: bool
    first_to_unit: bool
    first_dispatch: bool


@dataclass(frozen=True)
class CallbackFact:
    at: datetime
    unit: str
    resolved: bool
    satisfaction: str


def ticket_facts(
    events: Sequence[Mapping[str, Any]], main_unit: str
) -> tuple[list[DispatchFact], CallbackFact | None]:
    """Dispatches (with their first signing by the unit and whether the unit's objection was
    upheld) and the latest callback of one ticket; ``events`` are dicts with ``seq``, ``at``,
    ``kind``, ``actor_role``, ``to_status`` and ``data``, in any order."""
    evs = sorted((e for e in events if e.get("kind") == "transition"), key=lambda e: e["seq"])
    idx = [i for i, e in enumerate(evs) if e.get("to_status") in ("DISPATCHED", "REOPENED")]
    out: list[DispatchFact] = []
    seen_units: set[str] = set()
    for n, i in enumerate(idx):
        e = evs[i]
        data = e.get("data") or {}
        unit = next(
            (str(data[k]) for k in ("to_unit", "unit", "main_unit") if data.get(k)), main_unit
        )
        end = idx[n + 1] if n + 1 < len(idx) else len(evs)
        signed = next(
            (
                x["at"]
                for x in evs[i + 1 : end]
                if x.get("to_status") == "SIGNED" and x.get("actor_role") == "handler"
            ),
            None,
        )
        nxt = evs[idx[n + 1]].get("data") or {} if n + 1 < len(idx) else {}
        out.append(
            DispatchFact(
                unit=unit,
                at=e["at"],
                signed_at=signed,
                upheld=nxt.get("ruling") == "upheld",
                rehandling=e.get("to_status") == "REOPENED",
                first_to_unit=unit not in seen_units,
                first_dispatch=n == 0,
            )
        )
        seen_units.add(unit)
    callback: CallbackFact | None = None
    for i in range(len(evs) - 1, -1, -1):
        record = (evs[i].get("data") or {}).get("callback")
        if isinstance(record, Mapping):
            reply = next((x for x in reversed(evs[:i]) if x.get("to_status") == "REPLIED"), None)
            replier = str(((reply or {}).get("data") or {}).get("unit") or "") or main_unit
            callback = CallbackFact(
                at=evs[i]["at"],
                unit=replier,
                resolved=bool(record.get("resolved")),
                satisfaction=str(record.get("satisfaction") or ""),
            )
            break
    return out, callback


def count_facts(
    tickets: Iterable[tuple[str, list[DispatchFact], CallbackFact | None]],
    start: datetime,
    end: datetime,
    defs: RateDefinitions,
) -> list[tuple[str, str, RateCounts, int]]:
    """(unit, district, counts, tickets first dispatched) for [start, end), as the centre's
    ``report_rate_counts`` counts them; ``tickets`` are (district, dispatches, callback)."""
    sums: dict[tuple[str, str], list[int]] = {}
    window = defs.response_window
    for district, dispatches, callback in tickets:
        for d in dispatches:
            if not start <= d.at < end:
                continue
            s = sums.setdefault((d.unit, district), [0] * 9)
            counted = not d.upheld and (defs.count_rehandling or not d.rehandling)
            s[0] += d.first_to_unit
            s[1] += counted
            s[2] += counted and d.signed_at is not None and d.signed_at - d.at <= window
            s[3] += d.upheld
            s[8] += d.first_dispatch
        if callback is not None and start <= callback.at < end:
            s = sums.setdefault((callback.unit, district), [0] * 9)
            s[4] += 1
            s[5] += callback.resolved
            s[6] += callback.satisfaction == "满意"
            s[7] += callback.satisfaction == "基本满意"
    return [
        (unit, district, RateCounts(unit, "", *s[:8]), s[8]) for (unit, district), s in sums.items()
    ]
