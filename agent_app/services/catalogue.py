"""Load the request catalogue and its dispatch rules, resolve units, search categories.

Reads the reviewable files of ``knowledge_base/catalogue/`` (see its README):
``categories.csv``, ``units.csv``, ``district_departments.csv``, ``extra_questions.json``,
``time_limits.ini`` and ``calendar_overrides.csv``.  A malformed file raises
:class:`~agent_app.errors.ConfigError` naming the file and line.  No Qt here.

:class:`CatalogueIndex` is the category picker's type-ahead: by level-3 name, full path,
keywords, pinyin initials (``nq`` → 暖气) and full-pinyin prefix (``nuanqi``), recent and
frequent categories first.  Pinyin is computed on the first Latin-letter query (or by
:meth:`CatalogueIndex.warm`) and cached.
"""

from __future__ import annotations

import configparser
import csv
import io
import itertools
import json
import math
import re
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from agent_app.domain.catalogue import (
    LIST_TYPES,
    Category,
    Datatype,
    Dispatch,
    DispatchReason,
    ExtraQuestion,
    Reason,
    RuleKind,
    RuleTerm,
    Unit,
    UnitKind,
    UnitRule,
)
from agent_app.domain.deadlines import (
    DEFAULT_LIMITS,
    CalendarOverride,
    LimitUnit,
    TimeLimit,
    UrgencyTier,
    WorkCalendar,
)
from agent_app.errors import ConfigError
from agent_app.paths import knowledge_base_dir

CATEGORIES_FILE = "categories.csv"
UNITS_FILE = "units.csv"
DISTRICT_DEPTS_FILE = "district_departments.csv"
QUESTIONS_FILE = "extra_questions.json"
TIME_LIMITS_FILE = "time_limits.ini"
CALENDAR_OVERRIDES_FILE = "calendar_overrides.csv"

REQUEST_TYPES = frozenset({"consult", "help", "complaint", "report", "suggestion"})
TRANSFER_LINES = frozenset({"110", "119", "120", "122"})
_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{3}$")


def catalogue_dir() -> Path:
    return knowledge_base_dir() / "catalogue"


# --- reading files ------------------------------------------------------------------------


def _read_csv(path: Path, required: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows with their 1-based line numbers; lines starting with ``#`` are comments."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(
            f"{path} is missing; restore it from the application's knowledge base."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"{path} cannot be read as UTF-8 text ({exc}); fix or restore it."
        ) from exc
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if not line.startswith("#")]
    if not lines:
        raise ConfigError(f"{path} has no header line; restore it from the knowledge base.")
    numbers = [n for n, _ in lines]
    reader = csv.DictReader(io.StringIO("\n".join(line for _, line in lines)))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise ConfigError(
            f"{path} line {numbers[0]}: missing column(s) {', '.join(missing)}; "
            "fix the header line."
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for record in reader:
        # line_num counts physical lines read so far: the record's last line (quoted newlines
        # are not used in these files, so it is the record's line).
        line_no = numbers[min(reader.line_num, len(numbers)) - 1]
        if None in record:
            raise ConfigError(f"{path} line {line_no}: too many fields; quote commas in values.")
        rows.append((line_no, {k: (v or "").strip() for k, v in record.items()}))
    return rows


def _split(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.split(";") if p.strip())


def load_units(path: Path) -> list[Unit]:
    rows = _read_csv(path, ("code", "name", "kind"))
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for line, r in rows:
        try:
            kind = UnitKind(r["kind"])
        except ValueError:
            allowed = ", ".join(k.value for k in UnitKind)
            raise ConfigError(
                f"{path} line {line}: unknown kind {r['kind']!r} (allowed: {allowed})."
            ) from None
        if not r["code"] or not r["name"]:
            raise ConfigError(f"{path} line {line}: code and name must not be empty.")
        if r["code"] in seen:
            raise ConfigError(
                f"{path} line {line}: code {r['code']} repeats line {seen[r['code']]}; "
                "give each unit its own code."
            )
        seen[r["code"]] = line
        units.append(
            Unit(
                code=r["code"],
                name=r["name"],
                kind=kind,
                district_code=r.get("district_code", ""),
                district=r.get("district", ""),
                township_code=r.get("township_code", ""),
                hotline=r.get("hotline", ""),
                aliases=_split(r.get("aliases", "")),
                provenance=r.get("provenance", ""),
                source=r.get("source", ""),
                notes=r.get("notes", ""),
            )
        )
    return units


def load_district_departments(path: Path) -> dict[str, str]:
    """Department kinds of a district (``城市管理委员会`` …) → their municipal unit's name."""
    rows = _read_csv(path, ("kind", "name_template", "municipal_unit"))
    return {r["kind"]: r["municipal_unit"] for _, r in rows}


class UnitDirectory:
    """The handling units, looked up by code, name, alias, township or district."""

    def __init__(self, units: Iterable[Unit], district_dept_kinds: Mapping[str, str]) -> None:
        self.units: tuple[Unit, ...] = tuple(units)
        self.district_dept_kinds = dict(district_dept_kinds)
        self._by_code = {u.code: u for u in self.units}
        self._by_name: dict[str, Unit] = {}
        for u in self.units:
            for name in (*u.aliases, u.name):  # the unit's own name wins over an alias
                self._by_name[name] = u
        self._township_by_code = {
            u.township_code: u for u in self.units if u.township_code and u.kind in _LOCAL_KINDS
        }
        self._township_by_name: dict[tuple[str, str], Unit] = {}
        for u in self.units:
            if u.kind in _LOCAL_KINDS:
                for name in (u.name, *u.aliases):
                    self._township_by_name[(u.district_code, name)] = u
        self._district_gov = {
            u.district_code: u for u in self.units if u.kind is UnitKind.DISTRICT_GOV
        }
        self._district_code_by_name = {
            u.district: u.district_code for u in self._district_gov.values()
        }
        self._district_dept: dict[tuple[str, str], Unit] = {}
        for u in self.units:
            if u.kind is UnitKind.DISTRICT_DEPT:
                kind = u.notes.removeprefix("kind=") if u.notes.startswith("kind=") else ""
                self._district_dept[(u.district_code, kind)] = u

    def __len__(self) -> int:
        return len(self.units)

    def by_code(self, code: str) -> Unit | None:
        return self._by_code.get(code)

    def by_name(self, name: str) -> Unit | None:
        """A unit by its name or one of its aliases."""
        return self._by_name.get(name.strip())

    def district_government(self, district_code: str) -> Unit | None:
        return self._district_gov.get(district_code)

    def district_department(self, district_code: str, kind: str) -> Unit | None:
        return self._district_dept.get((district_code, kind))

    def township(self, district_code: str, township_code: str = "", name: str = "") -> Unit | None:
        """The 街道/乡镇 unit by township code, else by its name within the district."""
        if township_code and township_code in self._township_by_code:
            return self._township_by_code[township_code]
        if name:
            name = name.strip()
            for candidate in (name, f"{name}办事处", f"{name}人民政府"):
                unit = self._township_by_name.get((district_code, candidate))
                if unit:
                    return unit
        return None

    def district_code_of(self, place: Mapping[str, Any] | object) -> str:
        code = _field(place, "district_code")
        if code:
            return code
        name = _field(place, "district")
        if name and not name.endswith("区"):
            name += "区"
        return self._district_code_by_name.get(name, "")

    def resolve_units(self, category: Category, place: Mapping[str, Any] | object) -> Dispatch:
        """Apply ``category``'s unit rule to ``place`` (a mapping or an object with the fields
        ``district``, ``district_code``, ``township``, ``township_code``).

        * ``township``: the place's 街道/乡镇, plus its district government as a co-unit
          (条例 art.12: a ticket sent directly to a 街道/乡镇 also goes to the district
          government); the district government alone when the township is unknown (兜底);
        * ``district_gov``: the place's district government;
        * ``district_dept:KIND``: that department of the place's district, else the municipal one;
        * ``dept:NAME`` / ``utility:NAME``: the named unit.

        ``main_unit`` is None when the rule needs a district that the place does not give, or
        when the category is not dispatched (rule ``none``).
        """
        rule = category.unit_rule
        if not rule.dispatches:
            return Dispatch(None, (), (Reason(DispatchReason.NO_DISPATCH),))
        district_code = self.district_code_of(place)
        township = self.township(
            district_code, _field(place, "township_code"), _field(place, "township")
        )
        if township and not district_code:
            district_code = township.district_code
        chosen: list[Unit] = []
        reasons: list[Reason] = []
        main_missing = False
        for i, term in enumerate((rule.main, *rule.co)):
            found = self._resolve_term(term, district_code, township)
            if found is None:
                reasons.append(Reason(DispatchReason.PLACE_UNKNOWN, str(term)))
                main_missing = main_missing or i == 0
                continue
            for unit, why in found:
                if unit.code not in {u.code for u in chosen}:
                    chosen.append(unit)
                    reasons.append(Reason(why, unit.name))
        if main_missing or not chosen:
            return Dispatch(None, tuple(chosen), tuple(reasons))
        return Dispatch(chosen[0], tuple(chosen[1:]), tuple(reasons))

    def _resolve_term(
        self, term: RuleTerm, district_code: str, township: Unit | None
    ) -> list[tuple[Unit, DispatchReason]] | None:
        gov = self._district_gov.get(district_code) if district_code else None
        if term.kind is RuleKind.TOWNSHIP:
            if township is not None:
                found = [(township, DispatchReason.TOWNSHIP_OF_PLACE)]
                if gov is not None:
                    found.append((gov, DispatchReason.COPY_TO_DISTRICT))
                return found
            return [(gov, DispatchReason.DISTRICT_FALLBACK)] if gov else None
        if term.kind is RuleKind.DISTRICT_GOV:
            return [(gov, DispatchReason.DISTRICT_GOV)] if gov else None
        if term.kind is RuleKind.DISTRICT_DEPT:
            dept = self._district_dept.get((district_code, term.arg)) if district_code else None
            if dept is not None:
                return [(dept, DispatchReason.DISTRICT_DEPT)]
            municipal = self.by_name(self.district_dept_kinds.get(term.arg, ""))
            return [(municipal, DispatchReason.MUNICIPAL_FALLBACK)] if municipal else None
        unit = self.by_name(term.arg)
        return [(unit, DispatchReason.NAMED_UNIT)] if unit else None


_LOCAL_KINDS = frozenset({UnitKind.TOWNSHIP, UnitKind.ZONE})


def _field(place: Mapping[str, Any] | object, key: str) -> str:
    value = place.get(key) if isinstance(place, Mapping) else getattr(place, key, None)
    return str(value).strip() if value else ""


def load_categories(path: Path, units: UnitDirectory | None = None) -> list[Category]:
    """Read ``categories.csv``; with ``units``, check every named unit exists."""
    rows = _read_csv(
        path, ("code", "level1", "level2", "level3", "keywords", "default_tier", "unit_rule")
    )
    categories: list[Category] = []
    seen: dict[str, int] = {}
    for line, r in rows:
        where = f"{path} line {line}"
        if not _CODE.match(r["code"]):
            raise ConfigError(f"{where}: code {r['code']!r} is not like 03.02.005; fix it.")
        if r["code"] in seen:
            raise ConfigError(
                f"{where}: code {r['code']} repeats line {seen[r['code']]}; codes must be unique."
            )
        seen[r["code"]] = line
        if not (r["level1"] and r["level2"] and r["level3"]):
            raise ConfigError(f"{where}: level1, level2 and level3 must all be filled in.")
        try:
            tier = UrgencyTier(r["default_tier"])
        except ValueError:
            allowed = ", ".join(t.value for t in UrgencyTier)
            raise ConfigError(
                f"{where}: default_tier {r['default_tier']!r} is not one of {allowed}."
            ) from None
        try:
            rule = UnitRule.parse(r["unit_rule"])
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}; see the rule language in README.md.") from None
        if units is not None:
            _check_rule(rule, units, where)
        request_types = _split(r.get("request_types", ""))
        bad = [t for t in request_types if t not in REQUEST_TYPES]
        if bad:
            raise ConfigError(
                f"{where}: unknown request type(s) {', '.join(bad)} "
                f"(allowed: {', '.join(sorted(REQUEST_TYPES))})."
            )
        transfer = r.get("transfer_hint", "")
        if transfer and transfer not in TRANSFER_LINES:
            raise ConfigError(f"{where}: transfer_hint {transfer!r} is not 110, 119, 120 or 122.")
        categories.append(
            Category(
                code=r["code"],
                level1=r["level1"],
                level2=r["level2"],
                level3=r["level3"],
                keywords=_split(r["keywords"]),
                default_tier=tier,
                unit_rule=rule,
                request_types=request_types,
                transfer_hint=transfer,
                provenance=r.get("provenance", ""),
                source=r.get("source", ""),
                notes=r.get("notes", ""),
            )
        )
    return categories


def _check_rule(rule: UnitRule, units: UnitDirectory, where: str) -> None:
    for term in (rule.main, *rule.co):
        if term.kind in (RuleKind.DEPT, RuleKind.UTILITY) and units.by_name(term.arg) is None:
            raise ConfigError(
                f"{where}: unit {term.arg!r} is not in {UNITS_FILE}; add it there or fix the name."
            )
        if term.kind is RuleKind.DISTRICT_DEPT and term.arg not in units.district_dept_kinds:
            raise ConfigError(
                f"{where}: district department {term.arg!r} is not in {DISTRICT_DEPTS_FILE}; "
                "add it there or fix the name."
            )


def load_extra_questions(path: Path) -> dict[str, tuple[ExtraQuestion, ...]]:
    """Question sets by the category code (leaf ``03.02.005`` or level-2 ``03.02``) they serve."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path} is missing; restore it from the knowledge base.") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path} line {exc.lineno}: invalid JSON ({exc.msg}); fix it.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} cannot be read ({exc}); fix or restore it.") from exc
    sets = data.get("question_sets") if isinstance(data, dict) else None
    mapping = data.get("categories") if isinstance(data, dict) else None
    if not isinstance(sets, dict) or not isinstance(mapping, dict):
        raise ConfigError(f"{path}: needs the objects 'question_sets' and 'categories'.")
    parsed: dict[str, tuple[ExtraQuestion, ...]] = {}
    for set_name, items in sets.items():
        where = f"{path}: question set {set_name!r}"
        if not isinstance(items, list):
            raise ConfigError(f"{where} must be a list of attributes.")
        questions = []
        for i, item in enumerate(items, 1):
            questions.append(_parse_question(item, f"{where} item {i}"))
        codes = [q.code for q in questions]
        if len(set(codes)) != len(codes):
            raise ConfigError(f"{where}: attribute codes repeat; make them unique.")
        parsed[set_name] = tuple(sorted(questions, key=lambda q: q.order))
    result: dict[str, tuple[ExtraQuestion, ...]] = {}
    for code, names in mapping.items():
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ConfigError(f"{path}: categories[{code!r}] must be a list of set names.")
        missing = [n for n in names if n not in parsed]
        if missing:
            raise ConfigError(
                f"{path}: categories[{code!r}] names unknown set(s) {', '.join(missing)}."
            )
        result[code] = tuple(itertools.chain.from_iterable(parsed[n] for n in names))
    return result


def _parse_question(item: object, where: str) -> ExtraQuestion:
    if not isinstance(item, dict):
        raise ConfigError(f"{where} must be an object.")
    try:
        datatype = Datatype(item.get("datatype", ""))
    except ValueError:
        allowed = ", ".join(d.value for d in Datatype)
        raise ConfigError(f"{where}: datatype must be one of {allowed}.") from None
    code, description = item.get("code"), item.get("description")
    if not isinstance(code, str) or not code or not isinstance(description, str):
        raise ConfigError(f"{where}: 'code' and 'description' must be non-empty strings.")
    raw_values = item.get("values") or []
    values: list[tuple[str, str]] = []
    for v in raw_values:
        if not isinstance(v, dict) or "key" not in v or "name" not in v:
            raise ConfigError(f"{where}: each value needs 'key' and 'name'.")
        values.append((str(v["key"]), str(v["name"])))
    if datatype in LIST_TYPES and not values:
        raise ConfigError(f"{where}: a {datatype.value} needs a non-empty 'values' list.")
    if datatype not in LIST_TYPES and values:
        raise ConfigError(f"{where}: only list datatypes take 'values'.")
    bounds: list[float | None] = []
    for key in ("min", "max"):
        bound = item.get(key)
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int | float)):
            raise ConfigError(f"{where}: {key!r} must be a number.")
        bounds.append(float(bound) if bound is not None else None)
    order = item.get("order", 0)
    if not isinstance(order, int) or isinstance(order, bool):
        raise ConfigError(f"{where}: 'order' must be an integer.")
    return ExtraQuestion(
        code=code,
        datatype=datatype,
        description=description,
        required=bool(item.get("required", False)),
        variable=bool(item.get("variable", True)),
        datatype_description=str(item.get("datatype_description") or ""),
        order=order,
        values=tuple(values),
        min_value=bounds[0],
        max_value=bounds[1],
    )


def load_time_limits(path: Path) -> dict[UrgencyTier, TimeLimit]:
    """Tier → time limit from ``time_limits.ini``; tiers it omits keep their defaults."""
    parser = configparser.ConfigParser(comment_prefixes=("#", ";"), interpolation=None)
    try:
        with path.open(encoding="utf-8") as fh:
            parser.read_file(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path} is missing; restore it from the knowledge base.") from None
    except (configparser.Error, OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not a valid INI file ({exc}); fix it.") from exc
    limits = dict(DEFAULT_LIMITS)
    for section in parser.sections():
        where = f"{path} [{section}]"
        try:
            tier = UrgencyTier(section)
        except ValueError:
            allowed = ", ".join(t.value for t in UrgencyTier)
            raise ConfigError(f"{where}: unknown tier (allowed: {allowed}).") from None
        amount_text = parser.get(section, "amount", fallback="")
        unit_text = parser.get(section, "unit", fallback="")
        try:
            unit = LimitUnit(unit_text)
        except ValueError:
            allowed = ", ".join(u.value for u in LimitUnit)
            raise ConfigError(f"{where}: unit must be one of {allowed}.") from None
        try:
            limits[tier] = TimeLimit(float(amount_text), unit)
        except ValueError:
            raise ConfigError(
                f"{where}: amount {amount_text!r} must be a non-negative number (whole for days)."
            ) from None
    return limits


def load_calendar_overrides(path: Path) -> list[CalendarOverride]:
    """Admin-entered holidays and make-up workdays (``date,kind,name,source``)."""
    if not path.exists():
        return []
    overrides: list[CalendarOverride] = []
    for line, r in _read_csv(path, ("date", "kind")):
        try:
            day = date.fromisoformat(r["date"])
        except ValueError:
            raise ConfigError(
                f"{path} line {line}: date {r['date']!r} is not YYYY-MM-DD; fix it."
            ) from None
        if r["kind"] not in ("holiday", "workday"):
            raise ConfigError(f"{path} line {line}: kind must be 'holiday' or 'workday'.")
        overrides.append(CalendarOverride(day, r["kind"] == "workday", r.get("name", "")))
    return overrides


def load_work_calendar(path: Path | None = None) -> WorkCalendar:
    return WorkCalendar(load_calendar_overrides(path or catalogue_dir() / CALENDAR_OVERRIDES_FILE))


# --- type-ahead ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    category: Category
    score: float
    matched: str  # what matched: name, keyword, path, initials, pinyin, recent, frequent


# Match strength by what matched; recent/frequent bonuses are added on top.
_W_NAME_EXACT, _W_NAME_PREFIX, _W_NAME_SUB = 100.0, 80.0, 60.0
_W_KW_EXACT, _W_KW_PREFIX, _W_KW_SUB = 70.0, 55.0, 45.0
_W_PATH = 30.0
_W_PY_NAME, _W_PY_KW, _W_PY_SUB, _W_PY_EXACT = 50.0, 40.0, 20.0, 15.0
_RECENT_BONUS, _RECENT_STEP = 40.0, 4.0
_FREQ_BONUS = 8.0
_LATIN = re.compile(r"^[a-z0-9]+$")
_SPACES = re.compile(r"\s+")


_PINYIN_LOCK = threading.Lock()
_PINYIN_MODULE = "pypinyin"


def _readings(
    texts: Sequence[tuple[str, tuple[str, ...], str]],
) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The pinyin keys (initials, full) of each leaf's name and keywords.

    pypinyin holds its dictionaries in module globals: the phrase dictionary and its
    segmenter alone are about 40 MB of RSS for the life of the process, used for nothing
    after these keys are made (benchmarks/bench_memory.py).  So the package is imported here
    and dropped from ``sys.modules`` afterwards, and the next collection frees it; another
    index imports it again.  Callers hold ``_PINYIN_LOCK`` (no import of it runs meanwhile)."""
    from pypinyin import Style, pinyin  # noqa: PLC0415 - lazy: start-up budget, and dropped

    def variants(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        # Phrase-aware readings (重庆 chongqing, 银行 yinhang); Latin text stays as is.
        syllables = [r[0].lower() for r in pinyin(text, style=Style.NORMAL)]
        full = ("".join(syllables),)
        initials = ("".join(s[:1] for s in syllables),)
        return initials, full

    keys = []
    try:
        for name, keywords, _ in texts:
            name_i, name_f = variants(name)
            kw_i: list[str] = []
            kw_f: list[str] = []
            for kw in keywords:
                i, f = variants(kw)
                kw_i.extend(i)
                kw_f.extend(f)
            keys.append(((*name_i, "|", *kw_i), (*name_f, "|", *kw_f)))
    finally:
        for module in [m for m in sys.modules if m.split(".")[0] == _PINYIN_MODULE]:
            del sys.modules[module]
    return keys


class CatalogueIndex:
    """Type-ahead over the leaves.  Thread-safe for concurrent searches once warmed."""

    def __init__(self, categories: Iterable[Category]) -> None:
        self.categories: tuple[Category, ...] = tuple(categories)
        self._by_code = {c.code: c for c in self.categories}
        self._text = [
            (c.level3, tuple(k for k in c.keywords if k), f"{c.level1}{c.level2}{c.level3}")
            for c in self.categories
        ]
        self._pinyin: list[tuple[tuple[str, ...], tuple[str, ...]]] | None = None
        # One lower-case string per leaf: a cheap substring pre-filter before scoring.
        self._hay = [
            "\x00".join((name, *keywords, path)).lower() for name, keywords, path in self._text
        ]
        self._py_hay: list[str] = []

    def __len__(self) -> int:
        return len(self.categories)

    def get(self, code: str) -> Category | None:
        return self._by_code.get(code)

    def warm(self) -> None:
        """Compute the pinyin keys now (e.g. in a background thread at start-up)."""
        self._pinyin_keys()

    def _pinyin_keys(self) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        if self._pinyin is None:
            with _PINYIN_LOCK:  # one reading at a time: see _readings
                if self._pinyin is None:
                    keys = _readings(self._text)
                    self._py_hay = ["\x00".join((*i, *f)) for i, f in keys]
                    self._pinyin = keys
        return self._pinyin

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        usage: Mapping[str, int] | None = None,
        recent: Sequence[str] = (),
    ) -> list[SearchHit]:
        """Best leaves for ``query``; ``usage`` maps codes to pick counts, ``recent`` lists
        codes most recent first.  An empty query lists recent, then frequent categories."""
        usage = usage or {}
        bonus = self._bonus(usage, recent)
        q = _SPACES.sub(" ", query.strip().lower())
        if not q:
            ranked = sorted(bonus.items(), key=lambda kv: (-kv[1], kv[0]))
            return [
                SearchHit(self._by_code[code], b, "recent" if code in recent else "frequent")
                for code, b in ranked[:limit]
                if code in self._by_code
            ]
        terms = q.split(" ")
        latin = all(_LATIN.match(t) for t in terms)
        py = self._pinyin_keys() if latin else None
        hits: list[SearchHit] = []
        for idx, cat in enumerate(self.categories):
            total = 0.0
            what = ""
            for term in terms:
                score, matched = self._match(idx, term, py)
                if score <= 0:
                    break
                total += score
                what = what or matched
            else:
                total = total / len(terms) + bonus.get(cat.code, 0.0)
                hits.append(SearchHit(cat, total, what))
        hits.sort(key=lambda h: (-h.score, h.category.code))
        return hits[:limit]

    def _match(
        self,
        idx: int,
        term: str,
        py: list[tuple[tuple[str, ...], tuple[str, ...]]] | None,
    ) -> tuple[float, str]:
        if term not in self._hay[idx] and (py is None or term not in self._py_hay[idx]):
            return 0.0, ""
        name, keywords, path = self._text[idx]
        best, what = 0.0, ""

        def consider(score: float, label: str) -> None:
            nonlocal best, what
            if score > best:
                best, what = score, label

        if term == name.lower():
            consider(_W_NAME_EXACT, "name")
        elif name.lower().startswith(term):
            consider(_W_NAME_PREFIX, "name")
        elif term in name.lower():
            consider(_W_NAME_SUB, "name")
        for kw in keywords:
            k = kw.lower()
            if term == k:
                consider(_W_KW_EXACT, "keyword")
            elif k.startswith(term):
                consider(_W_KW_PREFIX, "keyword")
            elif term in k:
                consider(_W_KW_SUB, "keyword")
        if best < _W_PATH and term in path.lower():
            consider(_W_PATH, "path")
        if py is not None and best < _W_NAME_EXACT:
            initials, full = py[idx]
            in_name = True
            for key_i, key_f in itertools.zip_longest(initials, full, fillvalue=""):
                if key_i == "|" or key_f == "|":
                    in_name = False
                    continue
                weight = _W_PY_NAME if in_name else _W_PY_KW
                if term in (key_i, key_f):
                    consider(weight + _W_PY_EXACT, "initials" if term == key_i else "pinyin")
                elif key_i.startswith(term):
                    consider(weight + min(len(term), 6), "initials")
                elif key_f.startswith(term):
                    consider(weight + min(len(term), 6), "pinyin")
                elif len(term) >= 3 and (term in key_i or term in key_f):
                    consider(_W_PY_SUB, "pinyin")
        return best, what

    @staticmethod
    def _bonus(usage: Mapping[str, int], recent: Sequence[str]) -> dict[str, float]:
        bonus: dict[str, float] = {}
        for code, count in usage.items():
            if count > 0:
                bonus[code] = _FREQ_BONUS * math.log2(1 + count)
        for rank, code in enumerate(recent[:10]):
            bonus[code] = bonus.get(code, 0.0) + max(_RECENT_BONUS - _RECENT_STEP * rank, 0.0)
        return bonus


# --- everything together ------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """The loaded catalogue: leaves, units, questions and time limits."""

    categories: tuple[Category, ...]
    units: UnitDirectory
    questions: Mapping[str, tuple[ExtraQuestion, ...]]
    time_limits: Mapping[UrgencyTier, TimeLimit]

    @classmethod
    def load(cls, directory: Path | None = None) -> Catalogue:
        base = directory or catalogue_dir()
        units = UnitDirectory(
            load_units(base / UNITS_FILE), load_district_departments(base / DISTRICT_DEPTS_FILE)
        )
        categories = load_categories(base / CATEGORIES_FILE, units)
        questions = load_extra_questions(base / QUESTIONS_FILE)
        codes = {c.code for c in categories} | {c.level2_code for c in categories}
        unknown = sorted(set(questions) - codes)
        if unknown:
            raise ConfigError(
                f"{base / QUESTIONS_FILE}: category code(s) {', '.join(unknown)} are not in "
                f"{CATEGORIES_FILE}; fix the codes."
            )
        return cls(tuple(categories), units, questions, load_time_limits(base / TIME_LIMITS_FILE))

    def index(self) -> CatalogueIndex:
        return CatalogueIndex(self.categories)

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)

    def questions_for(self, category: Category | str) -> tuple[ExtraQuestion, ...]:
        """Questions of the leaf's level-2 group, then the leaf's own, in that order."""
        code = category if isinstance(category, str) else category.code
        group = code.rsplit(".", 1)[0]
        return (*self.questions.get(group, ()), *self.questions.get(code, ()))

    def resolve_units(self, category: Category, place: Mapping[str, Any] | object) -> Dispatch:
        return self.units.resolve_units(category, place)

    def time_limit(self, tier: UrgencyTier | str) -> TimeLimit:
        return self.time_limits[UrgencyTier(tier)]
