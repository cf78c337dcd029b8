"""Scoring a trainee's finished ticket against a training scenario's expected answer (Qt-free).

A scenario (``resources/scenarios/*.json``) states what a correct ticket holds: the outcome
(with the emergency line, the channel named or the ticket merged into), the request type, the
category, the place, the units, the urgency tier, the privacy flags and the facts the
description must contain.  :func:`score_ticket` compares a saved :class:`Ticket` with it, item
by item, with partial credit (the right level-2 category with a wrong leaf, the right district
with a wrong township, some of the co-units) and a reason code for each item.  Only the items
the expected answer names are scored; the score is their points over their maximum, 0–100.

The domain has no words for the reasons: each :class:`ScoreItem` carries a ``why`` code and
parameters.  :data:`WHY_EN` renders them in English for the command line; the window renders
them through Qt Linguist (``agent_app.ui.training_view``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from agent_app.domain.ticket import (
    EMERGENCY_LINES,
    NOT_ACCEPTED_CHANNELS,
    Outcome,
    RequestType,
    Ticket,
)

# Maximum points of each item (an item is scored only when the expected answer names it).
ITEM_POINTS: dict[str, int] = {
    "outcome": 25,
    "category": 20,
    "units": 15,
    "request_type": 10,
    "place": 10,
    "facts": 10,
    "tier": 5,
    "privacy": 5,
}
ITEM_ORDER: tuple[str, ...] = (
    "outcome",
    "request_type",
    "category",
    "place",
    "units",
    "tier",
    "privacy",
    "facts",
)

DUE_TOLERANCE_S = 120.0
"""The saved due time may differ this much from the one the expected tier gives."""

EXPECTED_KEYS = frozenset(
    {
        "outcome",
        "line",
        "channel",
        "merged_into",
        "kb_article",
        "request_type",
        "category",
        "address",
        "district",
        "township",
        "main_unit",
        "co_units",
        "units_override",
        "tier",
        "confidential",
        "company",
        "facts",
    }
)


@dataclass(frozen=True)
class Expected:
    """A scenario's expected answer (see ``resources/scenarios/README.md``)."""

    outcome: str
    line: str = ""  # transferred: 110 / 119 / 120 / 122
    channel: str = ""  # not accepted: a key of NOT_ACCEPTED_CHANNELS
    merged_into: str = ""  # merged: the open ticket's number
    kb_article: str = ""  # answered: the knowledge-base article (optional)
    request_type: str = ""
    category: str = ""
    address: str = ""
    district: str = ""
    township: str | None = None  # None: not scored; "": the township cannot be known
    main_unit: str = ""
    co_units: tuple[str, ...] | None = None
    units_override: bool = False
    tier: str = ""
    confidential: bool = False
    company: bool = False
    facts: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Expected:
        unknown = set(data) - EXPECTED_KEYS
        if unknown:
            raise ValueError(f"unknown expected keys: {', '.join(sorted(unknown))}")
        if "outcome" not in data:
            raise ValueError("expected.outcome is required")
        co = data.get("co_units")
        township = data.get("township")
        return cls(
            outcome=str(Outcome(str(data["outcome"]))),
            line=str(data.get("line") or ""),
            channel=str(data.get("channel") or ""),
            merged_into=str(data.get("merged_into") or ""),
            kb_article=str(data.get("kb_article") or ""),
            request_type=str(RequestType(data["request_type"])) if data.get("request_type") else "",
            category=str(data.get("category") or ""),
            address=str(data.get("address") or ""),
            district=str(data.get("district") or ""),
            township=None if township is None else str(township),
            main_unit=str(data.get("main_unit") or ""),
            co_units=None if co is None else tuple(str(u) for u in co),
            units_override=bool(data.get("units_override", False)),
            tier=str(data.get("tier") or ""),
            confidential=bool(data.get("confidential", False)),
            company=bool(data.get("company", False)),
            facts=tuple(str(f) for f in data.get("facts") or ()),
        )

    def to_dict(self) -> dict[str, Any]:
        """The expected answer as JSON-able data (what ``training list --json`` prints)."""
        data: dict[str, Any] = {"outcome": self.outcome}
        for key in ("line", "channel", "merged_into", "kb_article", "request_type", "category"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        for key in ("address", "district"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.township is not None:
            data["township"] = self.township
        if self.main_unit:
            data["main_unit"] = self.main_unit
        if self.co_units is not None:
            data["co_units"] = list(self.co_units)
        if self.units_override:
            data["units_override"] = True
        if self.tier:
            data["tier"] = self.tier
        data["confidential"] = self.confidential
        data["company"] = self.company
        data["facts"] = list(self.facts)
        return data


@dataclass(frozen=True)
class ScoreItem:
    """One scored item: what was expected, what the ticket has, the points and why."""

    item: str
    expected: str
    got: str
    points: float
    max: int
    why: str  # a code of WHY_EN
    params: tuple[tuple[str, str], ...] = ()

    def args(self) -> dict[str, str]:
        return dict(self.params)

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "expected": self.expected,
            "got": self.got,
            "points": round(self.points, 1),
            "max": self.max,
            "why": WHY_EN[self.why].format(**self.args()),
            "why_code": self.why,
        }


@dataclass(frozen=True)
class ScoreCard:
    """The scored ticket: the items, the score 0–100, the time to the outcome."""

    scenario_id: str
    ticket_number: str
    items: tuple[ScoreItem, ...]
    seconds: float | None = None  # from the call's start to its outcome
    actions: int | None = None  # the trainee's actions (the window counts them)
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def points(self) -> float:
        return sum(i.points for i in self.items)

    @property
    def max_points(self) -> int:
        return sum(i.max for i in self.items)

    @property
    def score(self) -> int:
        if not self.max_points:
            return 0
        return round(100 * self.points / self.max_points)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "scenario": self.scenario_id,
            "ticket": self.ticket_number,
            "score": self.score,
            "items": [i.to_dict() for i in self.items],
        }
        if self.seconds is not None:
            data["seconds"] = round(self.seconds, 1)
        if self.actions is not None:
            data["actions"] = self.actions
        return data


# English reasons (the command line); the window has its own translated sentences per code.
WHY_EN: dict[str, str] = {
    "match": "correct",
    "abandoned": "the call was left unfinished (a new call was started)",
    "outcome_wrong": "expected {expected}, the ticket was {got}",
    "missed_transfer": (
        "an emergency must be transferred to {line} ({line_name}) at once; the ticket was {got}"
    ),
    "needless_transfer": "no emergency: this call is not for {got}; expected {expected}",
    "wrong_line": "transferred to {got}, but this emergency is for {expected}",
    "wrong_channel": "the caller should have been told the channel {expected}, not {got}",
    "wrong_merge_target": "merged into {got}, but the caller's open ticket is {expected}",
    "type_wrong": "request type {got}, expected {expected}",
    "type_missing": "no request type chosen; expected {expected}",
    "same_l2": "right level 1 and 2 ({l2}), wrong leaf",
    "same_l1": "right level 1 ({l1}) only",
    "category_wrong": "a different category",
    "category_missing": "no category chosen",
    "district_wrong": "district {got}, expected {expected}",
    "township_wrong": "right district, wrong street/township ({got}, expected {expected})",
    "township_unknown": (
        "right district; the address does not give the street/township, leave it to the district"
    ),
    "township_missing": "right district, street/township not resolved (expected {expected})",
    "place_missing": "no place resolved; expected {expected}",
    "main_unit_wrong": "main unit {got}, expected {expected}",
    "co_units_partial": "co-units: missing {missing}; not expected {extra}",
    "units_partial": "main unit {main}; co-units: missing {missing}; not expected {extra}",
    "tier_wrong": "urgency {got}, expected {expected}",
    "due_differs": "right urgency, but the due time {got} is not the {expected} the limit gives",
    "confidential_missed": "the caller asked for confidentiality: 保密 must be ticked",
    "confidential_wrong": "保密 ticked, but the caller did not ask for it",
    "company_missed": "the caller speaks for a company: 企业诉求人 must be ticked",
    "company_wrong": "企业诉求人 ticked, but the caller is a private person",
    "facts_missing": "the description lacks: {missing}",
}


def _norm(text: str) -> str:
    """Text compared for facts: no spaces or punctuation, digits as written."""
    return re.sub(r"[\s，。、；：,.;:!！?？“”\"'（）()\-]", "", text)


def fact_present(fact: str, text: str) -> bool:
    """A fact ("十五度|15度": alternatives) is in ``text``."""
    hay = _norm(text)
    return any(_norm(alt) and _norm(alt) in hay for alt in fact.split("|"))


def _item(
    name: str, shown: str, found: str, points: float, code: str, /, **params: Any
) -> ScoreItem:
    return ScoreItem(
        name,
        shown,
        found,
        points,
        ITEM_POINTS[name],
        code,
        tuple(sorted((k, str(v)) for k, v in params.items())),
    )


def _outcome_label(outcome: str, detail: str) -> str:
    return f"{outcome}:{detail}" if detail else outcome


def _score_outcome(exp: Expected, t: Ticket) -> ScoreItem:
    got_outcome = t.outcome.value if t.outcome else ""
    detail = {
        Outcome.TRANSFERRED.value: exp.line,
        Outcome.NOT_ACCEPTED.value: exp.channel,
        Outcome.MERGED.value: exp.merged_into,
        Outcome.ANSWERED.value: exp.kb_article,
    }.get(exp.outcome, "")
    got_detail = {
        Outcome.TRANSFERRED.value: t.outcome_detail,
        Outcome.NOT_ACCEPTED.value: t.outcome_detail,
        Outcome.MERGED.value: t.merged_into,
        Outcome.ANSWERED.value: t.kb_article_id,
    }.get(got_outcome, "")
    expected_text = _outcome_label(exp.outcome, detail)
    got_text = _outcome_label(got_outcome or "none", got_detail)
    full = ITEM_POINTS["outcome"]
    if got_outcome != exp.outcome:
        if exp.outcome == Outcome.TRANSFERRED.value:
            return _item(
                "outcome", expected_text, got_text, 0, "missed_transfer",
                line=exp.line, line_name=EMERGENCY_LINES.get(exp.line, ""), got=got_text,
            )  # fmt: skip
        if got_outcome == Outcome.TRANSFERRED.value:
            return _item(
                "outcome", expected_text, got_text, 0, "needless_transfer",
                expected=expected_text, got=got_text,
            )  # fmt: skip
        return _item(
            "outcome", expected_text, got_text, 0, "outcome_wrong",
            expected=expected_text, got=got_text,
        )  # fmt: skip
    if detail and got_detail != detail:
        if exp.outcome == Outcome.ANSWERED.value:
            # Answering from another article (or the notes) is still answering: most points.
            return _item(
                "outcome", expected_text, got_text, full * 0.8, "outcome_wrong",
                expected=expected_text, got=got_text,
            )  # fmt: skip
        why = {
            Outcome.TRANSFERRED.value: "wrong_line",
            Outcome.NOT_ACCEPTED.value: "wrong_channel",
            Outcome.MERGED.value: "wrong_merge_target",
        }[exp.outcome]
        return _item(
            "outcome",
            expected_text,
            got_text,
            full / 2,
            why,
            expected=detail,
            got=got_detail or "-",
        )
    return _item("outcome", expected_text, got_text, full, "match")


def _score_category(exp: Expected, t: Ticket, names: Mapping[str, str]) -> ScoreItem:
    want, got = exp.category, t.category_code
    expected_text = f"{want} {names.get(want, '')}".strip()
    got_text = f"{got} {names.get(got, t.category_name)}".strip() if got else ""
    full = ITEM_POINTS["category"]
    if not got:
        return _item("category", expected_text, got_text, 0, "category_missing")
    if got == want:
        return _item("category", expected_text, got_text, full, "match")
    if got[:5] == want[:5]:
        l2 = "/".join(names.get(want, "").split("/")[:2])
        return _item("category", expected_text, got_text, 12, "same_l2", l2=l2 or want[:5])
    if got[:2] == want[:2]:
        l1 = names.get(want, "").split("/")[0]
        return _item("category", expected_text, got_text, 5, "same_l1", l1=l1 or want[:2])
    return _item("category", expected_text, got_text, 0, "category_wrong")


def _score_place(exp: Expected, t: Ticket) -> ScoreItem:
    township = exp.township
    expected_text = f"{exp.district}{township or ''}"
    got_text = f"{t.place.district}{t.place.township}"
    if not t.place.district:
        return _item("place", expected_text, got_text, 0, "place_missing", expected=expected_text)
    if t.place.district != exp.district:
        return _item(
            "place", expected_text, got_text, 0, "district_wrong",
            expected=exp.district, got=t.place.district,
        )  # fmt: skip
    if township is None or t.place.township == township:
        return _item("place", expected_text, got_text, ITEM_POINTS["place"], "match")
    if not township:
        return _item("place", expected_text, got_text, 6, "township_unknown")
    if not t.place.township:
        return _item("place", expected_text, got_text, 6, "township_missing", expected=township)
    return _item(
        "place", expected_text, got_text, 6, "township_wrong",
        expected=township, got=t.place.township,
    )  # fmt: skip


def _score_units(exp: Expected, t: Ticket) -> ScoreItem:
    want_co = set(exp.co_units or ())
    got_co = set(t.co_units)
    expected_text = " + ".join([exp.main_unit, *sorted(want_co)]) if exp.main_unit else ""
    got_text = " + ".join([t.main_unit, *sorted(got_co)]) if t.main_unit else ""
    main_ok = t.main_unit == exp.main_unit
    union = want_co | got_co
    co_share = 1.0 if not union else len(want_co & got_co) / len(union)
    points = (10 if main_ok else 0) + 5 * co_share
    missing = "、".join(sorted(want_co - got_co)) or "-"
    extra = "、".join(sorted(got_co - want_co)) or "-"
    if main_ok and co_share == 1.0:
        return _item("units", expected_text, got_text, points, "match")
    if main_ok:
        return _item(
            "units", expected_text, got_text, points, "co_units_partial",
            missing=missing, extra=extra,
        )  # fmt: skip
    if co_share == 1.0:
        return _item(
            "units", expected_text, got_text, points, "main_unit_wrong",
            expected=exp.main_unit, got=t.main_unit or "-",
        )  # fmt: skip
    return _item(
        "units", expected_text, got_text, points, "units_partial",
        main=t.main_unit or "-", missing=missing, extra=extra,
    )  # fmt: skip


def _finished_at(t: Ticket) -> datetime | None:
    moves = [e for e in t.events if e.kind == "transition"]
    return moves[-1].at if moves else t.updated_at


def _score_tier(
    exp: Expected, t: Ticket, due: Callable[[datetime, str], datetime] | None
) -> ScoreItem:
    if t.urgency != exp.tier:
        return _item("tier", exp.tier, t.urgency, 0, "tier_wrong", expected=exp.tier, got=t.urgency)
    at = _finished_at(t)
    if due is not None and at is not None and t.due_at is not None:
        want = due(at, exp.tier)
        if abs((t.due_at - want).total_seconds()) > DUE_TOLERANCE_S:
            return _item(
                "tier", f"{exp.tier} {want:%m-%d %H:%M}", f"{t.urgency} {t.due_at:%m-%d %H:%M}",
                3, "due_differs", expected=f"{want:%m-%d %H:%M}", got=f"{t.due_at:%m-%d %H:%M}",
            )  # fmt: skip
        return _item(
            "tier", f"{exp.tier} {want:%m-%d %H:%M}", f"{t.urgency} {t.due_at:%m-%d %H:%M}",
            ITEM_POINTS["tier"], "match",
        )  # fmt: skip
    return _item("tier", exp.tier, t.urgency, ITEM_POINTS["tier"], "match")


def _score_privacy(exp: Expected, t: Ticket) -> ScoreItem:
    expected_text = f"confidential={exp.confidential} company={exp.company}"
    got_text = f"confidential={t.caller.confidential} company={t.caller.is_company}"
    if t.caller.confidential != exp.confidential:
        why = "confidential_missed" if exp.confidential else "confidential_wrong"
        points = 2 if t.caller.is_company == exp.company else 0
        return _item("privacy", expected_text, got_text, points, why)
    if t.caller.is_company != exp.company:
        why = "company_missed" if exp.company else "company_wrong"
        return _item("privacy", expected_text, got_text, 3, why)
    return _item("privacy", expected_text, got_text, ITEM_POINTS["privacy"], "match")


def _score_facts(exp: Expected, t: Ticket) -> ScoreItem:
    text = t.description
    found = [f for f in exp.facts if fact_present(f, text)]
    missing = [f.split("|")[0] for f in exp.facts if f not in found]
    points = ITEM_POINTS["facts"] * len(found) / len(exp.facts)
    expected_text = "、".join(f.split("|")[0] for f in exp.facts)
    got_text = "、".join(f.split("|")[0] for f in found)
    if missing:
        return _item("facts", expected_text, got_text, points, "facts_missing",
                     missing="、".join(missing))  # fmt: skip
    return _item("facts", expected_text, got_text, points, "match")


def abandoned_card(scenario_id: str) -> ScoreCard:
    """The card of a training call the trainee left unfinished: nothing scored, every item
    says why."""
    items = tuple(ScoreItem(name, "", "", 0, ITEM_POINTS[name], "abandoned") for name in ITEM_ORDER)
    return ScoreCard(scenario_id, "", items)


def score_ticket(
    scenario_id: str,
    expected: Expected,
    ticket: Ticket,
    *,
    category_names: Mapping[str, str] | None = None,
    due: Callable[[datetime, str], datetime] | None = None,
    actions: int | None = None,
) -> ScoreCard:
    """Score ``ticket`` against ``expected``.

    ``category_names``: code → "一级/二级/三级" (for the reasons); ``due(start, tier)``: the due
    time the seat's time limits and calendar give (the tier item checks the saved due time).
    Items the expected answer does not name are not scored: a transfer is scored on its
    outcome (and category and facts when named), not on units it never gets.
    """
    names = category_names or {}
    dispatched = expected.outcome == Outcome.DISPATCHED.value
    items: list[ScoreItem] = [_score_outcome(expected, ticket)]
    if expected.request_type:
        got = ticket.request_type.value if ticket.request_type else ""
        if got == expected.request_type:
            items.append(
                _item(
                    "request_type", expected.request_type, got, ITEM_POINTS["request_type"], "match"
                )  # fmt: skip
            )
        else:
            why = "type_wrong" if got else "type_missing"
            items.append(
                _item(
                    "request_type",
                    expected.request_type,
                    got,
                    0,
                    why,
                    expected=expected.request_type,
                    got=got,
                )  # fmt: skip
            )
    if expected.category:
        items.append(_score_category(expected, ticket, names))
    if expected.district:
        items.append(_score_place(expected, ticket))
    if dispatched and expected.main_unit:
        items.append(_score_units(expected, ticket))
    if dispatched and expected.tier:
        items.append(_score_tier(expected, ticket, due))
    items.append(_score_privacy(expected, ticket))
    if expected.facts:
        items.append(_score_facts(expected, ticket))
    finished = _finished_at(ticket)
    seconds = (finished - ticket.created_at).total_seconds() if finished else None
    return ScoreCard(scenario_id, ticket.number, tuple(items), seconds, actions)


def expected_ticket_fields(expected: Expected) -> dict[str, Any]:
    """What a ticket answering ``expected`` exactly holds (for tests and the report's key)."""
    detail = {
        Outcome.TRANSFERRED.value: expected.line,
        Outcome.NOT_ACCEPTED.value: expected.channel,
    }.get(expected.outcome, "")
    return {
        "outcome": expected.outcome,
        "outcome_detail": detail,
        "merged_into": expected.merged_into,
        "kb_article_id": expected.kb_article,
        "request_type": expected.request_type or None,
        "category_code": expected.category,
        "district": expected.district,
        "township": expected.township or "",
        "main_unit": expected.main_unit,
        "co_units": list(expected.co_units or ()),
        "urgency": expected.tier or "ordinary",
        "confidential": expected.confidential,
        "company": expected.company,
        "description": "；".join(f.split("|")[0] for f in expected.facts),
    }


def summarize(cards: Sequence[ScoreCard]) -> dict[str, Any]:
    """A session's totals: the mean score, the mean time and the actions over its calls."""
    if not cards:
        return {"calls": 0, "mean_score": 0, "mean_seconds": None, "actions": 0}
    times = [c.seconds for c in cards if c.seconds is not None]
    return {
        "calls": len(cards),
        "mean_score": round(sum(c.score for c in cards) / len(cards)),
        "mean_seconds": round(sum(times) / len(times), 1) if times else None,
        "actions": sum(c.actions or 0 for c in cards),
    }


__all__ = [
    "EMERGENCY_LINES",
    "NOT_ACCEPTED_CHANNELS",
    "Expected",
    "ScoreCard",
    "ScoreItem",
    "WHY_EN",
    "expected_ticket_fields",
    "fact_present",
    "score_ticket",
    "summarize",
]
