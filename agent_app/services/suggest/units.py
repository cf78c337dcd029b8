"""Handling-unit proposals: main unit and co-units, each with the reason it is proposed.

Three sources, combined:

1. the category's dispatch rule (:class:`DispatchRuleRecord`): either territorial (属地, the
   township of the place, or the district government when the township is not known well
   enough: "unknown beats wrong"), or a named unit, possibly a template such as
   ``"{district}城市管理委员会"`` filled from the place; plus the rule's co-units;
2. the jurisdiction of the place (:class:`PlaceRecord`, from the geocoder);
3. who handled similar tickets (:class:`HandledRecord`, from the ticket history): a unit that
   closed most similar tickets in the same district is proposed too, or confirms the rule.

All inputs are plain records so this module depends neither on the catalogue's storage nor on
the geocoder.  Reasons are short Simplified Chinese sentences for the form.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

MIN_TOWNSHIP_CONFIDENCE = 0.6
MIN_HISTORY = 3
HISTORY_SHARE = 0.5


@dataclass(frozen=True)
class DispatchRuleRecord:
    """What the catalogue says about a category's dispatch."""

    category_code: str
    category_name: str = ""
    territorial: bool = True
    main_unit: str = ""
    """A unit name or template with ``{district}`` / ``{township}`` (used when not territorial)."""
    co_units: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlaceRecord:
    """The geocoder's answer for the ticket's place."""

    district: str = ""
    township: str = ""
    district_unit: str = ""
    """The district government, e.g. 朝阳区人民政府."""
    township_unit: str = ""
    """The township-level unit, e.g. 望京街道办事处."""
    confidence: float = 0.0
    """Confidence of the township (0–1)."""


@dataclass(frozen=True)
class HandledRecord:
    """A past ticket of the same (or a similar) category and who handled it."""

    category_code: str
    main_unit: str
    district: str = ""
    township: str = ""
    satisfied: bool | None = None


@dataclass
class UnitProposal:
    """A proposed unit, its role (``main`` or ``co``), a score and the reasons."""

    unit: str
    role: str
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)


def _fill(template: str, place: PlaceRecord) -> str | None:
    if "{district}" in template and not place.district:
        return None
    if "{township}" in template and not place.township:
        return None
    return template.replace("{district}", place.district).replace("{township}", place.township)


def _territorial_unit(place: PlaceRecord) -> tuple[str, str] | None:
    if place.township_unit and place.confidence >= MIN_TOWNSHIP_CONFIDENCE:
        return place.township_unit, f"属地派单：地址位于{place.township or place.township_unit}"
    if place.district_unit:
        why = (
            "属地派单：街乡不确定，由区政府兜底"
            if place.township_unit
            else ("属地派单：只确定到区，由区政府兜底")
        )
        return place.district_unit, why
    return None


def propose_units(
    rule: DispatchRuleRecord | None,
    place: PlaceRecord | None,
    history: Iterable[HandledRecord] = (),
) -> list[UnitProposal]:
    """Main unit first (at most one), then co-units by score.  Empty when nothing is known."""
    place = place or PlaceRecord()
    proposals: dict[str, UnitProposal] = {}

    def add(unit: str, role: str, score: float, reason: str) -> None:
        if not unit:
            return
        prop = proposals.get(unit)
        if prop is None:
            proposals[unit] = UnitProposal(unit, role, score, [reason])
            return
        prop.score = min(1.0, max(prop.score, score) + 0.1)
        if role == "main":
            prop.role = "main"
        if reason not in prop.reasons:
            prop.reasons.append(reason)

    if rule is not None:
        label = rule.category_name or rule.category_code
        if rule.territorial:
            found = _territorial_unit(place)
            if found:
                add(found[0], "main", 0.8, f"分类「{label}」{found[1]}")
        elif rule.main_unit:
            unit = _fill(rule.main_unit, place)
            if unit:
                add(unit, "main", 0.8, f"分类「{label}」的派单规则指定主办单位")
            else:
                fallback = _territorial_unit(place)
                if fallback:
                    add(
                        fallback[0],
                        "main",
                        0.5,
                        f"分类「{label}」需按区确定主办单位，{fallback[1]}",
                    )
        for co in rule.co_units:
            unit = _fill(co, place)
            if unit:
                add(unit, "co", 0.6, f"分类「{label}」的派单规则列为协办单位")

    _add_history(list(history), rule, place, add)

    ranked = sorted(proposals.values(), key=lambda p: (p.role != "main", -p.score, p.unit))
    mains = [p for p in ranked if p.role == "main"]
    for extra in mains[1:]:
        extra.role = "co"
    return sorted(ranked, key=lambda p: (p.role != "main", -p.score, p.unit))


def _add_history(
    history: Sequence[HandledRecord],
    rule: DispatchRuleRecord | None,
    place: PlaceRecord,
    add: Callable[[str, str, float, str], None],
) -> None:
    if not history:
        return
    relevant = [
        h
        for h in history
        if (rule is None or h.category_code == rule.category_code)
        and (not place.district or not h.district or h.district == place.district)
    ]
    if len(relevant) < MIN_HISTORY:
        return
    counts = Counter(h.main_unit for h in relevant if h.main_unit)
    total = sum(counts.values())
    if not total:
        return
    has_main = rule is not None
    for unit, n in counts.most_common(3):
        share = n / total
        if n < MIN_HISTORY and share < HISTORY_SHARE:
            continue
        reason = f"近期{total}件同类工单中{n}件由该单位办理"
        role = "main" if (not has_main and share >= HISTORY_SHARE) else "co"
        add(unit, role, round(0.4 + 0.5 * share, 3), reason)
        if role == "main":
            has_main = True
