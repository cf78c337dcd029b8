"""The request catalogue, its dispatch rules, the handling units and per-category questions.

Pure data and rules; the files live in ``knowledge_base/catalogue/`` and are read by
``agent_app.services.catalogue``.  The rule language of ``unit_rule`` (documented for reviewers
in ``knowledge_base/catalogue/README.md``)::

    rule   := term ("+" term)*          first term: main unit; the others: co-units
    term   := "township"                the 街道/乡镇 of the place (条例 art.12(一))
            | "district_gov"            the district government of the place (兜底, art.12(二))
            | "district_dept:" KIND     a department of the place's district, e.g. 城市管理委员会
            | "dept:" NAME              a named municipal department
            | "utility:" NAME           a named utility or public-service company
            | "none"                    no dispatch (answered on the spot, transferred or informed)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from agent_app.domain.deadlines import UrgencyTier


class RuleKind(StrEnum):
    TOWNSHIP = "township"
    DISTRICT_GOV = "district_gov"
    DISTRICT_DEPT = "district_dept"
    DEPT = "dept"
    UTILITY = "utility"
    NONE = "none"


_NEEDS_ARG = {RuleKind.DISTRICT_DEPT, RuleKind.DEPT, RuleKind.UTILITY}


@dataclass(frozen=True)
class RuleTerm:
    kind: RuleKind
    arg: str = ""

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.arg}" if self.arg else self.kind.value


@dataclass(frozen=True)
class UnitRule:
    """Who handles a category: a main term and co-handling terms (协办)."""

    main: RuleTerm
    co: tuple[RuleTerm, ...] = ()

    @classmethod
    def parse(cls, text: str) -> UnitRule:
        """Parse ``township+district_dept:城市管理委员会``; raise ValueError when malformed."""
        parts = [p.strip() for p in text.split("+")]
        if not text.strip() or any(not p for p in parts):
            raise ValueError(f"empty term in unit rule {text!r}")
        terms: list[RuleTerm] = []
        for part in parts:
            name, _, arg = part.partition(":")
            try:
                kind = RuleKind(name.strip())
            except ValueError:
                allowed = ", ".join(k.value for k in RuleKind)
                raise ValueError(f"unknown rule term {name!r} (allowed: {allowed})") from None
            arg = arg.strip()
            if (kind in _NEEDS_ARG) != bool(arg):
                need = "needs" if kind in _NEEDS_ARG else "takes no"
                raise ValueError(f"rule term {kind.value!r} {need} a ':NAME' argument")
            terms.append(RuleTerm(kind, arg))
        if any(t.kind is RuleKind.NONE for t in terms) and len(terms) > 1:
            raise ValueError("'none' cannot be combined with other terms")
        return cls(terms[0], tuple(terms[1:]))

    @property
    def dispatches(self) -> bool:
        return self.main.kind is not RuleKind.NONE

    def __str__(self) -> str:
        return "+".join(str(t) for t in (self.main, *self.co))


@dataclass(frozen=True)
class Category:
    """One leaf of the 3-level catalogue (or, with ``level3`` empty, never: leaves only)."""

    code: str  # "03.02.005": level-1 . level-2 . leaf
    level1: str
    level2: str
    level3: str
    keywords: tuple[str, ...]
    default_tier: UrgencyTier
    unit_rule: UnitRule
    request_types: tuple[str, ...] = ()  # hint: consult, help, complaint, report, suggestion
    transfer_hint: str = ""  # "119" etc.: transfer or three-way call first
    provenance: str = ""
    source: str = ""
    notes: str = ""

    @property
    def name(self) -> str:
        return self.level3

    @property
    def path(self) -> str:
        return f"{self.level1} / {self.level2} / {self.level3}"

    @property
    def level2_code(self) -> str:
        return self.code.rsplit(".", 1)[0]


class UnitKind(StrEnum):
    CENTRE = "centre"  # 市民热线服务中心, 政务服务和数据管理局
    DISTRICT_GOV = "district_gov"
    TOWNSHIP = "township"  # 街道办事处 / 乡镇人民政府 / 地区办事处
    ZONE = "zone"  # development zone administration (not an administrative township)
    MUNICIPAL_DEPT = "municipal_dept"
    DISTRICT_DEPT = "district_dept"
    UTILITY = "utility"
    CENTRAL_ENTERPRISE = "central_enterprise"  # 在京中央企业 (条例 art.22)


@dataclass(frozen=True)
class Unit:
    """A handling unit (承办单位) of the directory."""

    code: str
    name: str
    kind: UnitKind
    district_code: str = ""
    district: str = ""
    township_code: str = ""
    hotline: str = ""
    aliases: tuple[str, ...] = ()
    provenance: str = ""
    source: str = ""
    notes: str = ""


class DispatchReason(StrEnum):
    """Why a unit was proposed; the UI maps each code to a translated sentence."""

    TOWNSHIP_OF_PLACE = "township_of_place"  # the place's 街道/乡镇 (art.12(一))
    COPY_TO_DISTRICT = "copy_to_district"  # direct dispatch to a township also goes to its district
    DISTRICT_FALLBACK = "district_fallback"  # township unknown: the district government (兜底)
    DISTRICT_GOV = "district_gov"  # the rule names the district government
    DISTRICT_DEPT = "district_dept"  # the district's department
    MUNICIPAL_FALLBACK = "municipal_fallback"  # district unknown: the municipal department
    NAMED_UNIT = "named_unit"  # a named department or utility
    PLACE_UNKNOWN = "place_unknown"  # the rule needs a district the place does not give
    NO_DISPATCH = "no_dispatch"  # category is answered, transferred or informed


REASON_TEXT: Mapping[DispatchReason, str] = {
    DispatchReason.TOWNSHIP_OF_PLACE: "属地街道（乡镇）承办",
    DispatchReason.COPY_TO_DISTRICT: "直派街乡镇的工单同时派送区政府（条例第十二条）",
    DispatchReason.DISTRICT_FALLBACK: "未能确定街道（乡镇），由区政府兜底",
    DispatchReason.DISTRICT_GOV: "由区政府承办",
    DispatchReason.DISTRICT_DEPT: "由区行业部门承办",
    DispatchReason.MUNICIPAL_FALLBACK: "未能确定区，由市级行业部门承办",
    DispatchReason.NAMED_UNIT: "派单目录指定的承办单位",
    DispatchReason.PLACE_UNKNOWN: "地点不明，请先确定区",
    DispatchReason.NO_DISPATCH: "此类诉求不派单",
}


@dataclass(frozen=True)
class Reason:
    code: DispatchReason
    unit: str = ""  # unit name, or the rule term when no unit was found

    @property
    def text(self) -> str:
        return REASON_TEXT[self.code]


class Dispatch(NamedTuple):
    """Proposed main unit (or None), co-units and why; unpacks as ``main, co, reasons``."""

    main_unit: Unit | None
    co_units: tuple[Unit, ...] = ()
    reasons: tuple[Reason, ...] = ()


# --- Extra questions (Open311 GeoReport v2 service-definition attributes) -------------------


class Datatype(StrEnum):
    STRING = "string"
    NUMBER = "number"
    DATETIME = "datetime"
    TEXT = "text"
    SINGLEVALUELIST = "singlevaluelist"
    MULTIVALUELIST = "multivaluelist"


LIST_TYPES = frozenset({Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST})


@dataclass(frozen=True)
class ExtraQuestion:
    """One attribute of a GeoReport v2 service definition.

    ``variable`` False means the attribute only informs the operator (no answer is taken).
    ``values`` are ``(key, name)`` pairs for list types.
    """

    code: str
    datatype: Datatype
    description: str
    required: bool = False
    variable: bool = True
    datatype_description: str = ""
    order: int = 0
    values: tuple[tuple[str, str], ...] = ()
    min_value: float | None = None  # our extension for numbers (e.g. indoor temperature)
    max_value: float | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.values)


AnswerValue = str | int | float | datetime | Sequence[str] | None

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | frozenset):
        return len(value) == 0
    return False


def _check(q: ExtraQuestion, value: object) -> str | None:
    """The problem with one non-blank answer, or None."""
    if q.datatype is Datatype.NUMBER:
        if isinstance(value, bool):
            return "not_a_number"
        if isinstance(value, int | float):
            number = float(value)
        elif isinstance(value, str) and _NUMBER.match(value.strip()):
            number = float(value.strip())
        else:
            return "not_a_number"
        if not math.isfinite(number):
            return "not_a_number"
        if q.min_value is not None and number < q.min_value:
            return "too_small"
        if q.max_value is not None and number > q.max_value:
            return "too_large"
        return None
    if q.datatype is Datatype.DATETIME:
        if isinstance(value, datetime):
            return None
        if isinstance(value, str):
            try:
                datetime.fromisoformat(value.strip())
            except ValueError:
                return "not_a_datetime"
            return None
        return "not_a_datetime"
    if q.datatype is Datatype.SINGLEVALUELIST:
        if not isinstance(value, str):
            return "not_one_option"
        return None if value in q.keys else "unknown_option"
    if q.datatype is Datatype.MULTIVALUELIST:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list | tuple | set | frozenset):
            return "unknown_option"
        return None if all(isinstance(v, str) and v in q.keys for v in items) else "unknown_option"
    if not isinstance(value, str):
        return "not_text"
    if q.datatype is Datatype.STRING and ("\n" in value or "\r" in value):
        return "line_break"
    return None


def validate_answers(
    questions: Iterable[ExtraQuestion], answers: Mapping[str, object]
) -> list[tuple[str, str]]:
    """Problems as ``(question code, problem code)``, in question order.

    Problem codes: ``required``, ``not_a_number``, ``too_small``, ``too_large``,
    ``not_a_datetime``, ``not_one_option``, ``unknown_option``, ``not_text``, ``line_break``
    (a ``string`` answer must be one line), ``unknown_question`` (an answer to no question).
    """
    problems: list[tuple[str, str]] = []
    qs = sorted(questions, key=lambda q: q.order)
    codes = {q.code for q in qs}
    for q in qs:
        if not q.variable:
            continue
        value = answers.get(q.code)
        if _blank(value):
            if q.required:
                problems.append((q.code, "required"))
            continue
        problem = _check(q, value)
        if problem:
            problems.append((q.code, problem))
    problems.extend((code, "unknown_question") for code in answers if code not in codes)
    return problems
