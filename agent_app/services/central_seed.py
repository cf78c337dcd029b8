"""Realistic central data at city scale (``agent-app central seed``), loaded with COPY.

A seeded centre holds ``tickets`` tickets created over ``months`` months up to ``until``
(default: the current hour), as Beijing's 12345 would: every request type and outcome of the
intake (answered, transferred, not accepted, merged, consulted before dispatch, dispatched);
dispatched tickets go to the units the catalogue's rule gives for their category and township
(``knowledge_base/catalogue``, ``knowledge_base/divisions.csv``) and move along the lifecycle
as far as their age allows: signing (most within the hour, units differ), objections and the
lead's rulings, contact, extensions, the reply (in time or late), the callback (回访) with
resolved and satisfaction (about 85 % satisfied, units and categories differ) and re-handling
(二次办理) after a dissatisfied callback.  Volumes vary by district, township, category, hour,
weekday and season; a few categories of Beijing's 每月一题 topics
(``resources/central_seed/meiyueyiti_topics.csv``) are heavier, and two of them grow month by
month in a handful of townships (hotspots).  Some tickets get a quality check
(``central.qa_results``) and a few a sync conflict (some still open).

The same ``seed`` and ``until`` give the same rows; ``seed`` alone gives the same tickets at
times relative to ``until``.  Rows go in with COPY inside one transaction; the tables' indexes
and keys are dropped first and built again after (much faster than maintaining them row by
row), the tables' own triggers are off during the load (the generated rows are already
consistent), then the tables are analysed and vacuumed so that index-only scans work at once.
"""

from __future__ import annotations

import bisect
import csv
import itertools
import json
import math
import random
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any, cast

from agent_app.domain.catalogue import Category
from agent_app.domain.timeutil import SHANGHAI
from agent_app.errors import ConfigError, UsageError
from agent_app.paths import resources_dir
from agent_app.services.catalogue import Catalogue
from agent_app.services.demo import Township, load_townships
from agent_app.services.quality import load_scorecard
from agent_app.storage.central.connect import CentralTarget, PasswordLookup, connect, keyring_lookup

SEEDED_TABLES = ("tickets", "ticket_events", "conflicts", "qa_results", "seats", "review_counts")
MAX_TICKETS = 50_000_000
NULL = "\\N"  # COPY text format
HOTSPOT_TOPICS = ("电动自行车充电设施建设", "餐饮油烟治理")
TOPICS_FILE = "central_seed/meiyueyiti_topics.csv"

# Calendar-time limits by tier (as the demo history uses; the live deadline calculator refines
# working days, which does not matter for volumes and rates).
_TIER_HOURS = {"emergency": 2.0, "utility": 24.0, "ordinary": 7 * 24.0, "complex": 15 * 24.0}
# Calls by hour of day (Beijing time), relative (also the load test's peak-hour share).
HOURLY_PROFILE = (
    0.25, 0.15, 0.1, 0.08, 0.08, 0.15, 0.4, 0.9, 1.6, 2.0, 2.0, 1.8,
    1.4, 1.5, 1.8, 1.8, 1.7, 1.5, 1.2, 1.0, 0.9, 0.8, 0.6, 0.4,
)  # fmt: skip
_WEEKDAY = (1.1, 1.05, 1.0, 1.0, 1.0, 0.8, 0.75)
_SATISFACTION_WORDS = {
    "满意": ("问题已解决，很满意", "处理及时，谢谢", "已经修好了"),
    "基本满意": ("基本解决了，还要观察", "处理了但是慢了点", ""),
    "不满意": ("问题还在，没有人来处理", "单位只打了电话，没有解决", "答复不认可"),
}
_REPLY_TEXT = {
    "resolved": "已现场核实并处理完毕，已与诉求人沟通。",
    "partly": "已协调相关单位，部分问题已解决，剩余问题持续跟进。",
    "unresolved": "经核实不属于本单位可解决范围，已向诉求人解释说明。",
}


class _Now(Exception):
    """The history ends before this step."""


@dataclass(frozen=True)
class SeedReport:
    tickets: int
    events: int
    conflicts: int
    qa_results: int
    seats: int
    until: str
    months: int
    seed: int
    seconds: float
    generate_seconds: float
    index_seconds: float

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class _Unit:
    name: str
    sign_factor: float  # multiplies the signing delay
    satisfaction: float  # probability a callback is satisfied


def load_topics(path: Path | None = None) -> list[tuple[int, str]]:
    """(year, topic) of Beijing's 每月一题 list as shipped in ``resources``."""
    path = path or resources_dir() / TOPICS_FILE
    with path.open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return [(int(r["year"]), r["topic"]) for r in rows]


def _cum(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _pick(rng: random.Random, items: list[Any], cum: list[float]) -> Any:
    return items[bisect.bisect_right(cum, rng.random() * cum[-1])]


def _esc(text: str) -> str:
    """A value for COPY's text format."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


class _Clock:
    """Formats epoch seconds as ISO 8601 in Beijing time, fast (days are cached)."""

    def __init__(self) -> None:
        self._days: dict[int, str] = {}

    def iso(self, ts: float) -> str:
        s = int(ts) + 8 * 3600
        day, rem = divmod(s, 86400)
        prefix = self._days.get(day)
        if prefix is None:
            prefix = (date(1970, 1, 1) + timedelta(days=day)).isoformat()
            self._days[day] = prefix
        h, rem = divmod(rem, 3600)
        m, sec = divmod(rem, 60)
        return f"{prefix}T{h:02d}:{m:02d}:{sec:02d}+08:00"

    def day_key(self, ts: float) -> str:
        return self.iso(ts)[:10].replace("-", "")


class CentralSeeder:
    """Generates the rows; :func:`seed_centre` loads them."""

    def __init__(
        self,
        *,
        tickets: int,
        months: int = 12,
        seed: int = 1,
        until: datetime | None = None,
        catalogue: Catalogue | None = None,
    ) -> None:
        if not 1 <= tickets <= MAX_TICKETS:
            raise UsageError(f"--tickets must be from 1 to {MAX_TICKETS}")
        if not 1 <= months <= 120:
            raise UsageError("--months must be from 1 to 120")
        self.n = tickets
        self.months = months
        self.seed = seed
        now = until or datetime.now(SHANGHAI).replace(minute=0, second=0, microsecond=0)
        if now.tzinfo is None:
            now = now.replace(tzinfo=SHANGHAI)
        self.until = now
        self.end = now.timestamp()
        self.days = max(1, round(months * 30.44))
        self.start = self.end - self.days * 86400
        self.rng = random.Random(seed)
        self.clock = _Clock()
        self.catalogue = catalogue or Catalogue.load()
        self.scorecard = load_scorecard()
        self._content = json.loads(
            (resources_dir() / "demo" / "templates.json").read_text(encoding="utf-8")
        )
        self._setup()

    # Set-up ------------------------------------------------------------------------------

    def _setup(self) -> None:
        rng = self.rng
        self.townships: list[Township] = load_townships()
        districts = sorted({t.district_code for t in self.townships})
        self.district_names = {t.district_code: t.district for t in self.townships}
        # Townships differ a lot in population and so in calls.
        self.tw_weight = {t.code: rng.lognormvariate(0, 0.7) for t in self.townships}
        self.by_district = {
            d: [t for t in self.townships if t.district_code == d] for d in districts
        }
        self.district_cum = _cum(
            [sum(self.tw_weight[t.code] for t in self.by_district[d]) for d in districts]
        )
        self.district_codes = districts
        self.tw_cum = {
            d: _cum([self.tw_weight[t.code] for t in ts]) for d, ts in self.by_district.items()
        }
        cats = [c for c in self.catalogue.categories if c.unit_rule.dispatches]
        self.categories = cats
        topics = {topic for _year, topic in load_topics()}
        self.topic_codes = {c.code for c in cats if c.level3 in topics}
        base = []
        for rank, c in enumerate(rng.sample(cats, len(cats))):
            w = 1.0 / (rank + 8) ** 0.9  # a long tail of rare categories
            if c.code in self.topic_codes:
                w *= 3.0
            base.append(w)
        self.cat_base = dict(zip([c.code for c in rng.sample(cats, len(cats))], base, strict=True))
        # Category x district variation (the same category is common in one district, rare
        # in another); per-district cumulative weights.
        self.cat_cum: dict[str, list[float]] = {}
        for d in districts:
            self.cat_cum[d] = _cum(
                [self.cat_base[c.code] * rng.lognormvariate(0, 0.6) for c in cats]
            )
        self.heating = {c.code for c in cats if c.level2 == "供暖"}
        # Hotspots: two topics growing month after month in three townships each.
        self.hotspots: list[tuple[Category, list[Township]]] = []
        for topic in HOTSPOT_TOPICS:
            cat = next((c for c in cats if c.level3 == topic), None)
            if cat is not None:
                self.hotspots.append((cat, rng.sample(self.townships, 3)))
        self.units: dict[str, _Unit] = {}
        self._dispatch_cache: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}
        n_ops = max(20, min(400, self.n // 2500))
        self.operators = [f"op{i:04d}" for i in range(1, n_ops + 1)]
        self.seats = [f"W{i:03d}" for i in range(1, n_ops + 1)]
        self.op_cum = _cum([rng.lognormvariate(0, 0.3) for _ in self.operators])
        self.leads = [f"lead{i:02d}" for i in range(1, 13)]

    def _unit(self, name: str) -> _Unit:
        unit = self.units.get(name)
        if unit is None:
            r = random.Random(f"{self.seed}:{name}")
            unit = _Unit(
                name,
                sign_factor=r.lognormvariate(0, 0.35),
                satisfaction=min(0.98, max(0.65, r.gauss(0.9, 0.05))),
            )
            self.units[name] = unit
        return unit

    def _dispatch(self, cat: Category, tw: Township) -> tuple[str, tuple[str, ...]]:
        key = (cat.code, tw.code)
        found = self._dispatch_cache.get(key)
        if found is None:
            place = {
                "district": tw.district,
                "district_code": tw.district_code,
                "township": tw.name,
                "township_code": tw.code,
            }
            d = self.catalogue.resolve_units(cat, place)
            main = d.main_unit.name if d.main_unit is not None else f"{tw.district}人民政府"
            found = (main, tuple(u.name for u in d.co_units))
            self._dispatch_cache[key] = found
        return found

    # Volumes -----------------------------------------------------------------------------

    def _day_counts(self) -> list[int]:
        weights = []
        for i in range(self.days):
            day = datetime.fromtimestamp(self.start + i * 86400, SHANGHAI)
            w = _WEEKDAY[day.weekday()] * (1 + 0.15 * math.sin(i / 58.0))
            weights.append(w * (1 + 0.2 * i / self.days))  # calls grow over the period
        total = sum(weights)
        counts = [int(self.n * w / total) for w in weights]
        for i in range(self.n - sum(counts)):
            counts[-1 - (i % self.days)] += 1
        return counts

    def _hotspot_share(self, frac: float) -> float:
        """Share of a day's calls that go to the hotspots at ``frac`` of the period."""
        if not self.hotspots:
            return 0.0
        return 0.002 + 0.03 * frac**2  # from 0.2 % to over 3 % of all calls

    # Rows --------------------------------------------------------------------------------

    def generate(
        self, tickets_out: Callable[[str], None], events_out: Callable[[str], None]
    ) -> dict[str, int]:
        """Write tickets and events as COPY text lines; return counts and the extra rows."""
        rng = self.rng
        counts = self._day_counts()
        hourly_cum = _cum(list(HOURLY_PROFILE))
        version = 0
        event_id = 0
        self.conflict_rows: list[str] = []
        self.qa_rows: list[str] = []
        day_seq: dict[tuple[str, str], int] = {}
        for day_index, count in enumerate(counts):
            day_start = self.start + day_index * 86400
            frac = day_index / self.days
            local = datetime.fromtimestamp(day_start, SHANGHAI)
            winter = local.month in (11, 12, 1, 2, 3)
            # Calls of the day by hour, in time order.
            stamps = sorted(
                day_start
                - (local.hour * 3600 + local.minute * 60 + local.second)
                + bisect.bisect_right(hourly_cum, rng.random() * hourly_cum[-1]) * 3600
                + rng.random() * 3600
                for _ in range(count)
            )
            hot_share = self._hotspot_share(frac)
            for ts in stamps:
                if ts > self.end - 60:
                    ts = self.end - 60 - rng.random() * 3600
                version += 1
                row, events = self._ticket(ts, version, winter, hot_share, day_seq)
                tickets_out(row)
                for ev in events:
                    event_id += 1
                    events_out(f"{event_id}\t{ev}")
        self.last_version = version
        self.last_event_id = event_id
        return {"tickets": version, "events": event_id}

    def _ticket(
        self,
        ts: float,
        version: int,
        winter: bool,
        hot_share: float,
        day_seq: dict[tuple[str, str], int],
    ) -> tuple[str, list[str]]:
        rng = self.rng
        iso = self.clock.iso
        end = self.end
        oi = bisect.bisect_right(self.op_cum, rng.random() * self.op_cum[-1])
        operator, seat = self.operators[oi], self.seats[oi]
        dk = self.clock.day_key(ts)
        seq = day_seq.get((dk, seat), 0) + 1
        day_seq[(dk, seat)] = seq
        number = f"{dk}-{seat}-{seq:04d}"
        tid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        hot = hot_share and rng.random() < hot_share
        if hot:
            cat, tws = rng.choice(self.hotspots)
            tw = rng.choice(tws)
        else:
            d = _pick(rng, self.district_codes, self.district_cum)
            tw = _pick(rng, self.by_district[d], self.tw_cum[d])
            cat = _pick(rng, self.categories, self.cat_cum[d])
            if cat.code in self.heating and not winter and rng.random() < 0.85:
                cat = _pick(rng, self.categories, self.cat_cum[d])
        tier = str(cat.default_tier.value)
        roll = rng.random()
        events: list[tuple[float, str, str, str, str | None, str | None, str]] = []
        ev = events.append
        ev((ts, "created", "operator", operator, None, None, "{}"))
        after_call = ts + rng.uniform(90, 480)
        status = "INTAKE"
        main_unit, co_units = "", cast(tuple[str, ...], ())
        due: float | None = None
        outcome: str | None = None
        rehandled, dissatisfied = 0, False
        rtype = rng.choice(cat.request_types) if cat.request_types else "help"

        def step(at: float, target: str, role: str, actor: str, data: dict[str, Any]) -> None:
            nonlocal status
            if at >= end:
                raise _Now
            ev(
                (
                    at,
                    "transition",
                    role,
                    actor,
                    status,
                    target,
                    json.dumps(data, ensure_ascii=False),
                )
            )
            status = target

        try:
            if roll < 0.05:
                outcome = "transferred"
                tier = "emergency"
                line = rng.choice(("110", "119", "120", "122"))
                step(after_call, "TRANSFERRED_EMERGENCY", "operator", operator, {"line": line})
            elif roll < 0.08:
                outcome = "not_accepted"
                informed = {"channel": "法定途径"}
                step(after_call, "NOT_ACCEPTED_INFORMED", "operator", operator, informed)
            elif roll < 0.30:
                outcome = "answered"
                rtype = "consult"
                step(after_call, "ANSWERED", "operator", operator, {})
            elif roll < 0.33:
                outcome = "merged"
                step(after_call, "MERGED_DUPLICATE", "operator", operator, {})
                if rng.random() < 0.9:
                    closed = after_call + rng.uniform(60, 7200)
                    step(closed, "CLOSED", "system", "sync", {"action": "merge"})
            else:
                outcome = "dispatched"
                main_unit, co_units = self._dispatch(cat, tw)
                at = after_call
                if roll > 0.985:
                    step(at, "PRE_DISPATCH_CONSULT", "operator", operator, {})
                    at += rng.uniform(2, 30) * 3600
                    lead = rng.choice(self.leads)
                    consulted = {"action": "consult", "main_unit": main_unit}
                    step(at, "DISPATCHED", "lead", lead, consulted)
                else:
                    step(at, "DISPATCHED", "operator", operator, {"main_unit": main_unit})
                due = at + _TIER_HOURS[tier] * 3600
                state = self._handling(at, due, tier, main_unit, tw, step, bool(hot))
                due, main_unit = state["due"], state["unit"]
                rehandled, dissatisfied = state["rehandled"], state["dissatisfied"]
        except _Now:
            pass
        if status == "INTAKE" and outcome != "dispatched":
            outcome = None
        caller_name = rng.choice(self._content["surnames"]) + rng.choice(("先生", "女士"))
        phone = f"+861{rng.choice('3456789')}{rng.randrange(1_000_000_000):09d}"
        road = rng.choice(self._content["roads"])
        desc_len = rng.random()
        desc = f"来电人反映{tw.district}{tw.name}{road}附近{cat.level3}问题"
        if desc_len > 0.08:
            desc += f"，已持续{rng.randint(1, 30)}天，影响居民正常生活，诉求相关部门尽快核实处理。"
        if desc_len > 0.7:
            desc += "来电人表示此前已多次反映，希望给予明确答复。"
        updated = events[-1][0]
        data: dict[str, Any] = {
            "id": tid,
            "number": number,
            "created_at": iso(ts),
            "updated_at": iso(updated),
            "seat": seat,
            "operator_id": operator,
            "channel": "phone" if rng.random() < 0.88 else "web",
            "caller": {
                "name": caller_name,
                "phones": [phone],
                "confidential": rng.random() < 0.04,
                "is_company": rng.random() < 0.03,
            },
            "request_type": rtype,
            "category_code": cat.code,
            "category_name": f"{cat.level1}/{cat.level2}/{cat.level3}",
            "place": {
                "address": f"{tw.district}{tw.name}{road}{rng.randint(1, 200)}号",
                "district": tw.district,
                "district_code": tw.district_code,
                "township": tw.name,
                "township_code": tw.code,
                "community": "",
                "lat": round(tw.lat + rng.uniform(-0.04, 0.04), 6),
                "lon": round(tw.lon + rng.uniform(-0.04, 0.04), 6),
                "confidence": 0.9,
            },
            "urgency": tier,
            "main_unit": main_unit,
            "co_units": list(co_units),
            "due_at": iso(due) if due is not None else None,
            "description": desc,
            "notes": "",
            "outcome": outcome,
            "outcome_detail": "",
            "kb_article_id": "",
            "merged_into": "",
            "extra": {},
            "status": status,
            "is_demo": False,
        }
        data_json = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        received = iso(updated + 2)
        row = "\t".join(
            (
                tid,
                number,
                seat,
                operator,
                iso(ts),
                iso(updated),
                status,
                main_unit,
                _esc(json.dumps(list(co_units), ensure_ascii=False)),
                "f",
                str(version),
                _esc(data_json),
                operator,
                events[-1][3] if events[-1][2] == "operator" else operator,
                iso(ts + 1),
                received,
                str(rehandled),
                "t" if dissatisfied else "f",
            )
        )
        key = f"seed:{version}"
        lines = []
        for seq, (at, kind, role, actor, src, dst, evdata) in enumerate(events, 1):
            lines.append(
                f"{tid}\t{seq}\t{seq}\t{key}\t{version}\t{iso(at)}\t{kind}\t{role}\t{actor}\t"
                f"{src or NULL}\t{dst or NULL}\t{_esc(evdata)}\t{iso(min(at + 1, end))}"
            )
        self._extras(tid, operator, ts, status, outcome, seat, version)
        return row, lines

    def _handling(
        self,
        at: float,
        due: float,
        tier: str,
        unit_name: str,
        tw: Township,
        step: Callable[[float, str, str, str, dict[str, Any]], object],
        hot: bool,
    ) -> dict[str, Any]:
        """A dispatched ticket with its unit, as far as its age allows (``step`` raises
        :class:`_Now` at the end of the history); returns the due time, the main unit, how
        many times it was re-handled and whether a callback was dissatisfied, at the end."""
        state: dict[str, Any] = {
            "due": due,
            "unit": unit_name,
            "rehandled": 0,
            "dissatisfied": False,
        }
        try:
            self._rounds(at, tier, tw, step, hot, state)
        except _Now:
            pass
        return state

    def _objection(
        self,
        at: float,
        limit: float,
        tw: Township,
        step: Callable[[float, str, str, str, dict[str, Any]], object],
        state: dict[str, Any],
    ) -> float:
        """An objection before or after signing, and the lead's ruling; returns the time."""
        rng = self.rng
        unit_name = state["unit"]
        actor = f"unit:{unit_name}"
        if rng.random() < 0.5:
            step(at, "SIGNED", "handler", actor, {"action": "sign", "unit": unit_name})
        objected = at + rng.uniform(300, 7200)
        reason = rng.choice(("not_ours", "wrong_place", "not_actionable", "other"))
        step(
            objected,
            "DISPUTED",
            "handler",
            actor,
            {
                "action": "object",
                "unit": unit_name,
                "reason_code": reason,
                "reason": "不属于本单位职责",
            },
        )
        at += rng.uniform(1, 20) * 3600
        lead = rng.choice(self.leads)
        step(at, "DISPUTE_REVIEW", "lead", lead, {"action": "dispute_review"})
        if rng.random() < 0.55:  # upheld: to the district government
            new_unit = f"{tw.district}人民政府"
            if new_unit == unit_name:
                new_unit = self._dispatch(rng.choice(self.categories), tw)[0]
            new_due = at + limit
            ruling = {
                "action": "dispute_ruling",
                "ruling": "upheld",
                "from_unit": unit_name,
                "to_unit": new_unit,
                "due_at": self.clock.iso(new_due),
            }
            step(at + 60, "DISPATCHED", "lead", lead, ruling)
            state["due"] = new_due
            state["unit"] = new_unit
            unit = self._unit(new_unit)
            at += rng.lognormvariate(math.log(1500), 0.75) * unit.sign_factor
            step(at, "SIGNED", "handler", f"unit:{new_unit}", {"action": "sign", "unit": new_unit})
        else:
            ruling = {
                "action": "dispute_ruling",
                "ruling": "rejected",
                "unit": unit_name,
                "reason": "属于本单位职责",
            }
            step(at + 60, "SIGNED", "lead", lead, ruling)
        return at

    def _rounds(
        self,
        at: float,
        tier: str,
        tw: Township,
        step: Callable[[float, str, str, str, dict[str, Any]], object],
        hot: bool,
        state: dict[str, Any],
    ) -> None:
        rng = self.rng
        iso = self.clock.iso
        limit = _TIER_HOURS[tier] * 3600
        rehandled = 0
        rounds = 0
        while True:
            rounds += 1
            unit = self._unit(state["unit"])
            # Signing: a log-normal delay around half an hour; most within the hour.
            delay = rng.lognormvariate(math.log(1500), 0.75) * unit.sign_factor
            if tier == "emergency":
                delay *= 0.3
            at += delay
            if rounds == 1 and rng.random() < 0.035:
                at = self._objection(at, limit, tw, step, state)
                unit = self._unit(state["unit"])
            else:
                step(
                    at,
                    "SIGNED",
                    "handler",
                    f"unit:{unit.name}",
                    {"action": "sign", "unit": unit.name},
                )
            name = unit.name
            actor = f"unit:{name}"
            in_progress = False
            at += min(limit * 0.2, rng.uniform(0.2, 12) * 3600)
            step(at, "CONTACTED", "handler", actor, {"action": "contact", "unit": name})
            if tier == "complex" and rng.random() < 0.3:
                at += rng.uniform(1, 48) * 3600
                step(at, "IN_PROGRESS", "handler", actor, {"action": "extend", "implied": True})
                days = rng.choice((3, 5, 7, 10))
                asked = {"action": "extend", "unit": name, "days": days, "reason": "需协调多个部门"}
                step(at, "EXTENSION_REQUESTED", "handler", actor, asked)
                at += rng.uniform(1, 24) * 3600
                approved = rng.random() < 0.8
                ruling: dict[str, Any] = {
                    "action": "extension_ruling",
                    "ruling": "approved" if approved else "denied",
                    "days": days,
                }
                extended = state["due"] + days * 86400 * 1.4  # working days, roughly
                if approved:
                    ruling["due_at"] = iso(extended)
                step(at, "IN_PROGRESS", "lead", rng.choice(self.leads), ruling)
                if approved:
                    state["due"] = extended
                in_progress = True
            # The reply: mostly well within the limit, some late.
            left = max(600.0, state["due"] - at)
            at += left * (rng.uniform(0.15, 0.95) if rng.random() < 0.9 else rng.uniform(1.0, 1.6))
            result = rng.choices(("resolved", "partly", "unresolved"), (0.8, 0.14, 0.06))[0]
            # CONTACTED -> IN_PROGRESS (implied by the reply) -> REPLIED, as unit_act() does.
            if not in_progress:
                step(at, "IN_PROGRESS", "handler", actor, {"action": "reply", "implied": True})
            reply = {"action": "reply", "unit": name, "result": result, "text": _REPLY_TEXT[result]}
            step(at, "REPLIED", "handler", actor, reply)
            # The callback (回访), a few hours to two days after the reply.
            at += rng.uniform(2, 48) * 3600
            lead = rng.choice(self.leads)
            step(at, "REVISIT", "lead", lead, {"action": "callback"})
            p = unit.satisfaction * (0.8 if hot else 1.0) * (1.0 if result == "resolved" else 0.7)
            if rounds > 1:  # re-handled under supervision: mostly settled
                p = 1.0 if rounds >= 3 else max(p, 0.9)
            roll = rng.random()
            satisfaction = "满意" if roll < p * 0.72 else "基本满意" if roll < p else "不满意"
            resolved = (result != "unresolved" or rounds >= 3) and satisfaction != "不满意"
            callback = {
                "resolved": resolved,
                "satisfaction": satisfaction,
                "words": rng.choice(_SATISFACTION_WORDS[satisfaction]),
                "at": iso(at),
            }
            if resolved:
                step(at + 30, "CLOSED", "lead", lead, {"action": "callback", "callback": callback})
                return
            rehandled += 1
            new_due = at + limit
            reopened = {
                "action": "callback",
                "callback": callback,
                "rehandled": rehandled,
                "unit": name,
                "due_at": iso(new_due),
            }
            step(at + 30, "REOPENED", "lead", lead, reopened)
            state["due"] = new_due
            state["rehandled"] = rehandled
            state["dissatisfied"] = state["dissatisfied"] or satisfaction == "不满意"
            if rounds >= 3:
                return

    def _extras(
        self,
        tid: str,
        operator: str,
        ts: float,
        status: str,
        outcome: str | None,
        seat: str,
        version: int,
    ) -> None:
        rng = self.rng
        iso = self.clock.iso
        if status != "INTAKE" and rng.random() < 0.03:
            marks = {}
            for item in self.scorecard.items:
                ok = rng.random() < 0.93
                marks[item.key] = 1.0 if ok else rng.choice((0.0, 0.5))
            total, passed, items = self.scorecard.score(marks)
            returned = not passed and rng.random() < 0.7
            at = min(ts + rng.uniform(1, 72) * 3600, self.end - 1)
            self.qa_rows.append(
                "\t".join(
                    (
                        tid,
                        operator,
                        rng.choice(self.leads),
                        iso(at),
                        f"{total:.1f}",
                        "t" if passed else "f",
                        json.dumps(items, ensure_ascii=False, separators=(",", ":")),
                        "" if passed else "描述不完整，请补充地址与诉求要点",
                        "t" if returned else "f",
                        iso(min(at + 3600 * 4, self.end - 1))
                        if returned and rng.random() < 0.6
                        else "\\N",
                    )
                )
            )
        if outcome == "dispatched" and rng.random() < 0.0005:
            resolved = rng.random() < 0.7
            at = min(ts + rng.uniform(1, 96) * 3600, self.end - 1)
            fields = rng.choice(
                (["description"], ["place"], ["urgency"], ["description", "urgency"])
            )
            local = {f: "本地修改" for f in fields}
            remote = {f: "中心版本" for f in fields}
            self.conflict_rows.append(
                "\t".join(
                    (
                        tid,
                        iso(at),
                        seat,
                        operator,
                        f"seed-conflict:{version}",
                        json.dumps(fields),
                        json.dumps(local, ensure_ascii=False),
                        json.dumps(remote, ensure_ascii=False),
                        str(max(1, version - 1)),
                        str(version),
                        iso(min(at + 7200, self.end - 1)) if resolved else "\\N",
                        json.dumps({"keep": "remote"}) if resolved else "",
                        rng.choice(self.leads) if resolved else "\\N",
                    )
                )
            )


TICKET_COLUMNS = (
    "id, number, seat, operator_id, created_at, updated_at, status, main_unit, co_units, "
    "is_demo, version, data, created_by, updated_by, server_created_at, server_updated_at, "
    "rehandled, dissatisfied"
)
EVENT_COLUMNS = (
    "id, ticket_id, seq, origin_seq, op_key, version, at, kind, actor_role, actor_id, "
    "from_status, to_status, data, received_at"
)
QA_COLUMNS = (
    "ticket_id, operator_id, reviewer, reviewed_at, score, passed, items, comment, returned, "
    "resubmitted_at"
)
CONFLICT_COLUMNS = (
    "ticket_id, detected_at, seat, login, op_key, fields, local, remote, base_version, "
    "server_version, resolved_at, resolution, resolved_by"
)


class _Buffered:
    """Collects lines and hands them on in blocks of about ``size`` bytes."""

    def __init__(self, sink: Callable[[bytes], Any], size: int = 1 << 20) -> None:
        self.sink = sink
        self.size = size
        self.parts: list[str] = []
        self.length = 0

    def __call__(self, line: str) -> None:
        self.parts.append(line)
        self.length += len(line)
        if self.length >= self.size:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            self.sink(("\n".join(self.parts) + "\n").encode("utf-8"))
            self.parts = []
            self.length = 0


def _drop_keys_and_indexes(cur: Any, tables: tuple[str, ...]) -> list[str]:
    """Drop the tables' keys, foreign keys (also those pointing at them) and indexes; return
    the statements that create them again, in order."""
    regs = [f"central.{t}" for t in tables]
    fks = cur.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND (conrelid = ANY(%s::regclass[]) OR confrelid = ANY(%s::regclass[]))",
        (regs, regs),
    ).fetchall()
    keys = cur.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype IN ('p', 'u') AND conrelid = ANY(%s::regclass[])",
        (regs,),
    ).fetchall()
    indexes = cur.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        (regs,),
    ).fetchall()
    for table, name, _ in fks:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for table, name, _ in keys:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cur.execute(f"DROP INDEX {name}")
    return [
        *(f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d in keys),
        *(d for _, d in indexes),
        *(f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d in fks),
    ]


def seed_centre(
    target: CentralTarget,
    *,
    tickets: int,
    months: int = 12,
    seed: int = 1,
    until: datetime | None = None,
    password_lookup: PasswordLookup | None = keyring_lookup,
    progress: Callable[[str], None] | None = None,
) -> SeedReport:
    """Fill an empty centre with ``tickets`` realistic tickets (see the module's doc)."""
    import psycopg  # noqa: PLC0415 - heavy; only when seeding

    say = progress or (lambda _text: None)
    started = time.perf_counter()
    seeder = CentralSeeder(tickets=tickets, months=months, seed=seed, until=until)
    conn = connect(target, password_lookup=password_lookup, autocommit=False)
    try:
        cur = conn.cursor()
        try:
            held = cur.execute("SELECT count(*) FROM central.tickets").fetchone()
            cur.execute("SELECT 1 FROM central.qa_results LIMIT 1")
        except psycopg.errors.UndefinedTable as exc:
            raise ConfigError(
                f"The central database {target.display} has no lead-desk schema; run "
                "'agent-app central upgrade' with an administrator login first."
            ) from exc
        if held and held[0]:
            raise UsageError(
                f"The central database {target.display} already holds {held[0]} tickets; "
                "seed an empty central database (create a new one and run 'central upgrade')."
            )
        cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cur.execute("SET LOCAL synchronous_commit = off")
        recreate = _drop_keys_and_indexes(cur, SEEDED_TABLES[:4])
        # The rows are consistent as generated; triggers that keep derived state for live
        # syncs (closing merged duplicates, skipping repeated events) would only slow the load.
        for table in SEEDED_TABLES:
            cur.execute(f"ALTER TABLE central.{table} DISABLE TRIGGER USER")
        say(f"generating {tickets} tickets over {seeder.days} days")
        with tempfile.TemporaryFile() as spool:
            gen_started = time.perf_counter()
            with cur.copy(f"COPY central.tickets ({TICKET_COLUMNS}) FROM STDIN") as copy:
                t_out = _Buffered(copy.write)
                e_out = _Buffered(spool.write)
                counts = seeder.generate(t_out, e_out)
                t_out.flush()
                e_out.flush()
            generate_seconds = time.perf_counter() - gen_started
            say(f"tickets loaded ({generate_seconds:.1f} s); loading {counts['events']} events")
            spool.seek(0)
            _copy_file(cur, f"COPY central.ticket_events ({EVENT_COLUMNS}) FROM STDIN", spool)
        with cur.copy(f"COPY central.qa_results ({QA_COLUMNS}) FROM STDIN") as copy:
            for line in seeder.qa_rows:
                copy.write((line + "\n").encode("utf-8"))
        with cur.copy(f"COPY central.conflicts ({CONFLICT_COLUMNS}) FROM STDIN") as copy:
            for line in seeder.conflict_rows:
                copy.write((line + "\n").encode("utf-8"))
        cur.execute(
            "INSERT INTO central.seats (seat, login) SELECT s, o FROM unnest(%s::text[], %s::text[]) "
            "AS x(s, o) ON CONFLICT (seat) DO NOTHING",
            (seeder.seats, seeder.operators),
        )
        say("building indexes and keys")
        index_started = time.perf_counter()
        for statement in recreate:
            cur.execute(statement)
        index_seconds = time.perf_counter() - index_started
        for table in SEEDED_TABLES:
            cur.execute(f"ALTER TABLE central.{table} ENABLE TRIGGER USER")
        # What the tickets' triggers would have counted (the review queue's totals).
        cur.execute(
            "INSERT INTO central.review_counts (status, district, day, n) "
            "SELECT status, coalesce(district, ''), "
            "(created_at AT TIME ZONE 'Asia/Shanghai')::date, count(*) "
            "FROM central.tickets GROUP BY 1, 2, 3"
        )
        cur.execute(
            "SELECT setval('central.ticket_version_seq', greatest(%s, "
            "(SELECT coalesce(max(version), 1) FROM central.tickets)))",
            (max(1, seeder.last_version),),
        )
        cur.execute(
            "SELECT setval('central.ticket_events_id_seq', %s)", (max(1, seeder.last_event_id),)
        )
        conn.commit()
    finally:
        conn.close()
    say("analysing")
    with connect(target, password_lookup=password_lookup, autocommit=True) as conn:
        for table in SEEDED_TABLES:
            conn.execute(f"VACUUM (ANALYZE) central.{table}")
    return SeedReport(
        tickets=counts["tickets"],
        events=counts["events"],
        conflicts=len(seeder.conflict_rows),
        qa_results=len(seeder.qa_rows),
        seats=len(seeder.seats),
        until=seeder.until.isoformat(),
        months=months,
        seed=seed,
        seconds=round(time.perf_counter() - started, 1),
        generate_seconds=round(generate_seconds, 1),
        index_seconds=round(index_seconds, 1),
    )


def _copy_file(cur: Any, sql: str, fh: IO[bytes], block: int = 1 << 20) -> None:
    with cur.copy(sql) as copy:
        while chunk := fh.read(block):
            copy.write(chunk)
