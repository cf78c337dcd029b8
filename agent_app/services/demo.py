"""A realistic Beijing day for demo and training: tickets in every state, in Chinese.

The content comes from ``resources/demo/templates.json`` (invented calls written as operators
write them) and the divisions in ``knowledge_base/divisions.csv``.  The demo day's tickets are
marked ``is_demo`` and never enter the outbox, so they can never reach the centre.  ``extra``
tickets (``seed-demo --tickets N``) are ordinary unsynced tickets of a seat, for sync drills and
load tests.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from agent_app.domain.lifecycle import Status
from agent_app.domain.roles import Role
from agent_app.domain.ticket import (
    Caller,
    Channel,
    Outcome,
    Place,
    RequestType,
    Ticket,
    TicketEvent,
)
from agent_app.domain.timeutil import SHANGHAI
from agent_app.paths import knowledge_base_dir, resources_dir

DEMO_SEAT = "S01"
DEMO_OPERATOR = "op001"

# Simple calendar-time limits for demo history (the deadline calculator refines live tickets).
_TIER_DELTA = {
    "emergency": timedelta(hours=2),
    "utility": timedelta(hours=24),
    "ordinary": timedelta(days=7),
    "complex": timedelta(days=15),
}

# Handler-side paths after dispatch, in order (a ticket stops somewhere along one).
_HANDLER_PATH: tuple[tuple[Status, Role], ...] = (
    (Status.SIGNED, Role.HANDLER),
    (Status.CONTACTED, Role.HANDLER),
    (Status.IN_PROGRESS, Role.HANDLER),
    (Status.REPLIED, Role.HANDLER),
    (Status.REVISIT, Role.CENTER),
    (Status.CLOSED, Role.CENTER),
)

# Less common handler-side paths, so that a demo day shows every state of the lifecycle:
# a unit's objection (and its review), coordination between units, an extension request,
# and a ticket reopened after an unsatisfied callback.
_VARIANT_PATHS: tuple[tuple[tuple[Status, Role], ...], ...] = (
    ((Status.SIGNED, Role.HANDLER), (Status.DISPUTED, Role.HANDLER)),
    (
        (Status.SIGNED, Role.HANDLER),
        (Status.DISPUTED, Role.HANDLER),
        (Status.DISPUTE_REVIEW, Role.CENTER),
    ),
    (
        (Status.SIGNED, Role.HANDLER),
        (Status.CONTACTED, Role.HANDLER),
        (Status.IN_PROGRESS, Role.HANDLER),
        (Status.COORDINATING, Role.HANDLER),
    ),
    (
        (Status.SIGNED, Role.HANDLER),
        (Status.CONTACTED, Role.HANDLER),
        (Status.IN_PROGRESS, Role.HANDLER),
        (Status.EXTENSION_REQUESTED, Role.HANDLER),
    ),
    (*_HANDLER_PATH[:5], (Status.REOPENED, Role.CENTER)),
)


@dataclass(frozen=True)
class Township:
    district: str
    district_code: str
    name: str
    code: str
    kind: str
    lat: float
    lon: float


def load_townships(kb_dir: Path | None = None) -> list[Township]:
    path = (kb_dir or knowledge_base_dir()) / "divisions.csv"
    with path.open(encoding="utf-8") as fh:
        return [
            Township(
                district=r["district_name"],
                district_code=r["district_code"],
                name=r["township_name"],
                code=r["township_code"],
                kind=r["township_type"],
                lat=float(r["district_rep_lat"]),
                lon=float(r["district_rep_lon"]),
            )
            for r in csv.DictReader(fh)
            if r["is_admin_township"] == "Y"
        ]


def township_unit(t: Township) -> str:
    """The township's own government: 街道办事处, 地区办事处, 乡/镇人民政府."""
    if t.kind in ("街道", "地区"):
        return f"{t.name}办事处"
    return f"{t.name}人民政府"


def resolve_rule(rule: str, t: Township) -> str:
    if rule == "township":
        return township_unit(t)
    if rule == "district_gov":
        return f"{t.district}人民政府"
    kind, _, name = rule.partition(":")
    if kind == "district_dept":
        return f"{t.district}{name}"
    return name


class DemoGenerator:
    """Deterministic (seeded) generator of demo tickets."""

    def __init__(self, seed: int = 12345, kb_dir: Path | None = None) -> None:
        self.rng = random.Random(seed)
        path = resources_dir() / "demo" / "templates.json"
        self.content: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        self.townships = load_townships(kb_dir)

    def _fill(self, text: str, t: Township) -> tuple[str, str]:
        rng = self.rng
        compound = t.name.removesuffix("街道").removesuffix("地区").removesuffix("镇")
        compound += rng.choice(self.content["compounds"])
        values = {
            "district": t.district,
            "township": t.name,
            "compound": compound,
            "road": rng.choice(self.content["roads"]),
            "building": rng.randint(1, 24),
            "unit_no": rng.randint(1, 6),
            "temp": rng.randint(12, 17),
            "days": rng.randint(2, 10),
            "hour": rng.choice([7, 8, 9, 14, 22, 23]),
            "hours": rng.randint(2, 6),
            "years": rng.randint(3, 12),
            "amount": rng.choice([2000, 3600, 5800, 12000, 26000]),
            "meters": rng.choice([100, 200, 300, 500]),
            "bus": rng.randint(300, 999),
            "months": rng.randint(2, 6),
            "age": rng.randint(72, 91),
        }
        return text.format(**values), f"{t.district}{t.name}{compound}"

    def _caller(self) -> Caller:
        rng = self.rng
        surname = rng.choice(self.content["surnames"])
        name = surname + rng.choice(["先生", "女士"])
        phone = f"+861{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"
        return Caller(name=name, phones=(phone,), confidential=rng.random() < 0.08)

    def ticket(
        self,
        number: str,
        created: datetime,
        now: datetime,
        *,
        seat: str = DEMO_SEAT,
        operator: str = DEMO_OPERATOR,
        is_demo: bool = True,
        intake_only: bool = False,
    ) -> Ticket:
        rng = self.rng
        t = rng.choice(self.townships)
        ticket = Ticket(
            id=Ticket.new_id(),
            number=number,
            created_at=created,
            updated_at=created,
            seat=seat,
            operator_id=operator,
            channel=Channel.PHONE if rng.random() < 0.9 else Channel.WEB,
            caller=self._caller(),
            is_demo=is_demo,
            events=(
                TicketEvent(at=created, kind="created", actor_role="operator", actor_id=operator),
            ),
        )
        roll = rng.random()
        if intake_only:
            roll = 0.5  # a dispatched ticket, the common case
        if roll < 0.06:
            tr = rng.choice(self.content["transfers"])
            text, address = self._fill(tr["text"], t)
            ticket = replace(
                ticket,
                request_type=RequestType.HELP,
                description=text,
                urgency="emergency",
                place=self._place(address, t),
                outcome=Outcome.TRANSFERRED,
                outcome_detail=tr["line"],
            )
            return ticket.transition(
                Status.TRANSFERRED_EMERGENCY,
                Role.OPERATOR,
                operator,
                created + timedelta(minutes=1),
                line=tr["line"],
            )
        if roll < 0.10:
            na = rng.choice(self.content["not_accepted"])
            ticket = replace(
                ticket,
                request_type=RequestType.CONSULT,
                description=na["text"],
                outcome=Outcome.NOT_ACCEPTED,
                outcome_detail=na["channel"],
            )
            return ticket.transition(
                Status.NOT_ACCEPTED_INFORMED,
                Role.OPERATOR,
                operator,
                created + timedelta(minutes=3),
                channel=na["channel"],
            )
        tpl = rng.choice(self.content["templates"])
        text, address = self._fill(tpl["text"], t)
        main = resolve_rule(tpl["unit"], t)
        co = tuple(resolve_rule(c, t) for c in tpl["co"])
        if tpl["unit"] == "township":
            co = (*co, f"{t.district}人民政府")  # 条例 art.12(一): copy to the district
        ticket = replace(
            ticket,
            request_type=RequestType(tpl["type"]),
            category_name=tpl["category"],
            category_code=tpl.get("code", ""),
            description=text,
            place=self._place(address, t),
            urgency=tpl["urgency"],
        )
        after_call = created + timedelta(minutes=rng.randint(2, 6))
        if tpl["type"] == "consult" and roll < 0.45 and not intake_only:
            ticket = replace(ticket, outcome=Outcome.ANSWERED, outcome_detail="知识库答复")
            return ticket.transition(Status.ANSWERED, Role.OPERATOR, operator, after_call)
        if not intake_only and roll > 0.96:
            # A repeat of a matter already being handled: merged, not dispatched again.
            ticket = replace(ticket, outcome=Outcome.MERGED, outcome_detail="重复诉求")
            return ticket.transition(Status.MERGED_DUPLICATE, Role.OPERATOR, operator, after_call)
        if not intake_only and roll > 0.93:
            # Complex matter: the centre consults the units before dispatching.
            return ticket.transition(
                Status.PRE_DISPATCH_CONSULT, Role.OPERATOR, operator, after_call
            )
        ticket = replace(
            ticket,
            outcome=Outcome.DISPATCHED,
            main_unit=main,
            co_units=co,
            due_at=created + _TIER_DELTA[tpl["urgency"]],
        )
        ticket = ticket.transition(
            Status.DISPATCHED, Role.OPERATOR, operator, after_call, main_unit=main
        )
        if intake_only:
            return ticket
        # Older tickets have moved further along the handler's path.
        age_h = (now - created).total_seconds() / 3600
        path = _HANDLER_PATH
        steps = min(len(path), int(age_h / 8) + rng.randint(0, 2))
        if rng.random() < 0.15:
            path = rng.choice(_VARIANT_PATHS)
            steps = len(path)
        at = after_call
        # Steps fit between the call and now, so that a variant path is always complete.
        room_h = max(0.0, (now - after_call).total_seconds() / 3600) / (len(path) + 1)
        for status, role in path[:steps]:
            at = at + timedelta(hours=min(rng.uniform(0.5, 6), room_h))
            if at > now:
                break
            ticket = ticket.transition(status, role, "demo-unit", at)
        return ticket

    def _place(self, address: str, t: Township) -> Place:
        jitter = self.rng.uniform
        return Place(
            address=address,
            district=t.district,
            district_code=t.district_code,
            township=t.name,
            township_code=t.code,
            lat=round(t.lat + jitter(-0.03, 0.03), 6),
            lon=round(t.lon + jitter(-0.03, 0.03), 6),
            confidence=0.9,
        )


def demo_day_times(
    day: date, count: int, rng: random.Random, now: datetime | None = None
) -> Iterator[datetime]:
    """Call times during 13 hours of ``day``: 08:00–21:00, or the 13 hours up to ``now``
    when ``day`` is today (so a demo started at any hour has a busy shift behind it)."""
    start = datetime.combine(day, time(8, 0), SHANGHAI)
    if now is not None and now.date() == day:
        midnight = datetime.combine(day, time(0, 0), SHANGHAI)
        start = max(midnight, now - timedelta(hours=13))
        span = min(13 * 3600, (now - start).total_seconds())
    else:
        span = 13 * 3600
    stamps = sorted(rng.uniform(0, span) for _ in range(count))
    for s in stamps:
        yield start + timedelta(seconds=int(s))


def generate_history(
    gen: DemoGenerator,
    today: date,
    now: datetime,
    allocate: Callable[[str, date], str],
    *,
    days: int = 7,
    per_day: int = 45,
) -> Iterator[Ticket]:
    """A week of demo tickets ending ``today`` (today's calls only up to ``now``)."""
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        for when in demo_day_times(day, per_day, gen.rng, now):
            if when > now:
                continue
            yield gen.ticket(allocate(DEMO_SEAT, day), when, now)
