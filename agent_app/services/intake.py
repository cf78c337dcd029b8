"""Intake: proposals for the ticket form (Qt-free).

:class:`IntakeService` puts the existing services together for the form:

* category candidates (top-3) from the learned :class:`~.suggest.model.CategorySuggester` when a
  model is installed in the data dir, else from the catalogue's cold start;
* request type (咨询/求助/投诉/举报/建议) from :class:`~.suggest.request_type.RequestTypeSuggester`;
* address → place (district, township, point) from the offline :class:`~.geo.gazetteer.Gazetteer`;
* category + place → main unit and co-units with reasons (:meth:`Catalogue.resolve_units`);
* urgency tier → due time (:func:`~agent_app.domain.deadlines.due_at`).

The form's content (:class:`~agent_app.domain.intake.IntakeDraft`), the rules that end a call
(:func:`~agent_app.domain.intake.validate`) and the ticket a call becomes
(:func:`~agent_app.domain.intake.build_ticket`) live in :mod:`agent_app.domain.intake`; they
are re-exported here for the modules that still import them from this one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent_app.domain.catalogue import Category, Datatype, ExtraQuestion, validate_answers
from agent_app.domain.deadlines import WorkCalendar, due_at
from agent_app.domain.intake import (
    MAX_ADDRESS,
    MAX_DESCRIPTION,
    MAX_NAME,
    MAX_NOTES,
    MIN_DESCRIPTION,
    PLACE_KEYS,
    IntakeDraft,
    Problem,
    ProblemCode,
    build_ticket,
    phone_problem,
    validate,
)
from agent_app.domain.ticket import REQUEST_TYPE_NAMES

__all__ = [
    "MAX_ADDRESS",
    "MAX_DESCRIPTION",
    "MAX_NAME",
    "MAX_NOTES",
    "MIN_DESCRIPTION",
    "PLACE_KEYS",
    "CategoryProposal",
    "Chip",
    "IntakeDraft",
    "IntakeService",
    "Problem",
    "ProblemCode",
    "UnitsProposal",
    "build_ticket",
    "phone_problem",
    "place_label",
    "propose_answers",
    "validate",
]

if TYPE_CHECKING:
    from agent_app.services.catalogue import Catalogue, CatalogueIndex, SearchHit
    from agent_app.services.geo.gazetteer import Gazetteer
    from agent_app.services.suggest.calibration import Calibration

_TYPE_BY_NAME = {name: rt for rt, name in REQUEST_TYPE_NAMES.items()}


@dataclass(frozen=True)
class Chip:
    """One proposal the operator can accept with a key: what, its label, confidence, why."""

    kind: str  # category | request_type | unit
    value: str
    label: str
    confidence: float
    reason: str = ""
    precision: float | None = None
    """Held-out share of right proposals for this display at this confidence (None: not
    calibrated; ``knowledge_base/suggest/category_abstention.json``)."""
    measured_n: int = 0
    """How many held-out messages that precision was measured on."""


@dataclass(frozen=True)
class CategoryProposal:
    """The category chips to show and how sure the model is: ``single`` (one confident chip),
    ``several`` (candidates) or ``none`` (unsure: the operator chooses)."""

    mode: str
    chips: tuple[Chip, ...] = ()


@dataclass(frozen=True)
class UnitsProposal:
    main: str = ""
    co: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()


# --- proposals ----------------------------------------------------------------------------


class IntakeService:
    """Proposals for the form.  Build it in a worker (:meth:`load`); then thread-safe reads."""

    def __init__(
        self,
        catalogue: Catalogue,
        gazetteer: Gazetteer,
        *,
        calendar: WorkCalendar | None = None,
        model_dir: Path | None = None,
        nominatim_url: str = "",
        handled: Mapping[tuple[str, str], Mapping[str, int]] | None = None,
        calibrations: Mapping[str, Calibration] | None = None,
    ) -> None:
        """``nominatim_url``: the seat's self-hosted Nominatim ("" = offline only);
        ``handled``: who handled this seat's recent tickets, per (category code, district)
        (:func:`agent_app.services.unit_history.handled_counts`); ``calibrations``: the
        category chips' abstention per scorer (``model``, ``coldstart``), by default the
        measured ones in ``knowledge_base/suggest/category_abstention.json``."""
        import threading  # noqa: PLC0415

        from agent_app.services.suggest.coldstart import (  # noqa: PLC0415
            CatalogueRecord,
            ColdStartSuggester,
        )
        from agent_app.services.suggest.request_type import (  # noqa: PLC0415
            RequestTypeSuggester,
        )

        self.catalogue = catalogue
        self.index: CatalogueIndex = catalogue.index()
        self.gazetteer = gazetteer
        self.calendar = calendar
        self.nominatim_url = nominatim_url.strip()
        self.handled = dict(handled or {})
        self._geocoder: Any = None
        self._geocoder_lock = threading.Lock()
        self.cold = ColdStartSuggester(
            CatalogueRecord(c.code, (c.level1, c.level2, c.level3), c.keywords)
            for c in catalogue.categories
        )
        self.types = RequestTypeSuggester()
        if calibrations is None:
            from agent_app.paths import knowledge_base_dir  # noqa: PLC0415
            from agent_app.services.suggest.calibration import (  # noqa: PLC0415
                load_calibrations,
            )

            calibrations = load_calibrations(
                knowledge_base_dir() / "suggest" / "category_abstention.json"
            )
        self.calibrations = dict(calibrations)
        self.model: Any = None
        self.model_version = "coldstart"
        if model_dir is not None:
            from agent_app.services.suggest.versions import current_model_dir  # noqa: PLC0415

            model_dir = current_model_dir(model_dir)  # the CURRENT version (or a flat model)
        if model_dir is not None and (model_dir / "meta.json").exists():
            from agent_app.services.suggest.model import CategorySuggester  # noqa: PLC0415

            try:
                self.model = CategorySuggester.load(model_dir)
                self.model_version = f"model:{model_dir.name}"
            except Exception:  # noqa: BLE001 - a broken model falls back to the cold start
                self.model = None
            if self.model is not None and (model_dir / "calibration.json").exists():
                # measured at retraining on the seat's held-back tickets: this model's own
                from agent_app.services.suggest.calibration import (  # noqa: PLC0415
                    load_calibrations,
                )

                own = load_calibrations(model_dir / "calibration.json").get("model")
                if own is not None:
                    self.calibrations["model"] = own

    @classmethod
    def load(
        cls,
        model_dir: Path | None = None,
        *,
        nominatim_url: str = "",
        database: Path | None = None,
    ) -> IntakeService:
        from agent_app.services.catalogue import Catalogue, load_work_calendar  # noqa: PLC0415
        from agent_app.services.geo.gazetteer import Gazetteer  # noqa: PLC0415
        from agent_app.services.unit_history import handled_counts  # noqa: PLC0415

        service = cls(
            Catalogue.load(),
            Gazetteer.default(),
            calendar=load_work_calendar(),
            model_dir=model_dir,
            nominatim_url=nominatim_url,
            handled=handled_counts(database) if database is not None else None,
        )
        service.index.warm()
        return service

    # categories ------------------------------------------------------------------------

    def category(self, code: str) -> Category | None:
        return self.index.get(code)

    def category_code_for(self, value: str) -> str | None:
        """The code of the category ``value`` names: a code, a path "一级/二级/三级" (the
        transcript's proposals name categories by path; " / " separators are accepted), a
        leaf's name, else the catalogue search's first hit (None when nothing matches)."""
        if self.index.get(value) is not None:
            return value
        parts = tuple(p.strip() for p in value.replace("／", "/").split("/"))
        for cat in self.catalogue.categories:
            if (cat.level1, cat.level2, cat.level3) == parts or (cat.level3,) == parts:
                return cat.code
        hits = self.search(value)
        return hits[0].category.code if hits else None

    def search(
        self, query: str, usage: Mapping[str, int] | None = None, recent: Sequence[str] = ()
    ) -> list[SearchHit]:
        return self.index.search(query, limit=12, usage=usage, recent=recent)

    def category_chips(self, text: str, top: int = 3) -> list[Chip]:
        """The ``top`` category proposals, best first, whatever the model's confidence."""
        ranking, _scorer = self._category_ranking(text, top)
        return self._chips(ranking)

    def category_proposal(self, text: str, top: int = 3) -> CategoryProposal:
        """The category chips the form shows: one when the scorer's calibration says it is
        sure, none when it is unsure, else the ``top``; each chip carries the held-out
        precision of that display.  A scorer without a calibration shows all its chips."""
        from agent_app.services.suggest.calibration import decide  # noqa: PLC0415

        ranking, scorer = self._category_ranking(text, top)
        calibration = self.calibrations.get(scorer)
        labels = len(self.model.labels) if scorer == "model" else 0
        if calibration is not None and scorer == "model" and not calibration.applies_to(labels):
            calibration = None  # measured on another label set (a seat's leaf model)
        decision = decide(ranking, calibration)
        if not ranking and len(text.strip()) < MIN_DESCRIPTION:
            return CategoryProposal("several")  # still typing: nothing to say yet
        chips = tuple(
            replace(chip, precision=decision.precision, measured_n=decision.measured_n)
            for chip in self._chips(list(decision.shown))
        )
        return CategoryProposal(decision.mode, chips)

    def _category_ranking(self, text: str, top: int) -> tuple[list[tuple[str, float]], str]:
        """The ranking and the scorer that made it (``model`` or ``coldstart``)."""
        ranking: list[tuple[str, float]] = []
        if self.model is not None:
            try:
                ranking = [
                    (code, score)
                    for code, score in self.model.predict_one(text, top=top)
                    if self.index.get(code) is not None
                ]
            except Exception:  # noqa: BLE001 - a model that fails leaves the cold start
                ranking = []
        if ranking:
            return ranking[:top], "model"
        return self.cold.predict(text, top=top)[:top], "coldstart"

    def _chips(self, ranking: Sequence[tuple[str, float]]) -> list[Chip]:
        chips = []
        for code, score in ranking:
            cat = self.index.get(code)
            if cat is not None:
                chips.append(Chip("category", code, cat.level3, float(score), cat.path))
        return chips

    def request_type_chips(self, text: str, top: int = 2) -> list[Chip]:
        chips = []
        for prop in self.types.suggest(text, top=top):
            rt = _TYPE_BY_NAME.get(prop.value)
            if rt is not None:
                chips.append(Chip("request_type", rt.value, prop.value, prop.score, prop.reason))
        return chips

    def questions(self, code: str) -> tuple[ExtraQuestion, ...]:
        if not code:
            return ()
        return tuple(sorted(self.catalogue.questions_for(code), key=lambda q: q.order))

    # place and units -------------------------------------------------------------------

    def resolve_place(self, address: str, district_hint: str | None = None) -> dict[str, Any]:
        """The place for ``address`` with the keys of :data:`PLACE_KEYS` (None = unknown)."""
        # gazetteer first, then the configured Nominatim (if any) for the point: may wait
        # for its timeout, so this runs on a worker thread
        result = self.geocoder().resolve(address, district_hint)
        place: dict[str, Any] = {
            "district": result.district,
            "district_code": result.district_code,
            "township": result.township,
            "township_code": result.township_code,
            "community": result.community,
            "lat": result.lat,
            "lon": result.lon,
            "confidence": round(result.confidence, 3) if result.district else None,
            "label": place_label(result.district, result.township),
            "jurisdiction_unit": result.jurisdiction_unit,
            "candidates": list(result.candidates),
        }
        return place

    def geocoder(self) -> Any:
        """The seat's composite geocoder (built once, with its cache; thread-safe)."""
        with self._geocoder_lock:
            if self._geocoder is None:
                from agent_app.services.geo.geocoder import intake_geocoder  # noqa: PLC0415

                self._geocoder = intake_geocoder(self.gazetteer, self.nominatim_url)
            return self._geocoder

    def propose_units(self, code: str, place: Mapping[str, Any]) -> UnitsProposal:
        """Main unit and co-units from the category's rule and the place, then confirmed or
        completed by who handled this seat's recent tickets of the category in the district."""
        cat = self.index.get(code) if code else None
        if cat is None:
            return UnitsProposal()
        main, co, reasons = self.catalogue.resolve_units(cat, dict(place))
        texts = [f"{r.unit}：{r.text}" if r.unit else r.text for r in reasons if r.text]
        main_name = main.name if main else ""
        co_names = [u.name for u in co]
        handled = self.handled.get((code, str(place.get("district") or "")), {})
        total = sum(handled.values())
        if total >= MIN_HANDLED:
            unit, n = max(handled.items(), key=lambda kv: kv[1])
            why = f"近期{total}件同类同区工单中{n}件由该单位主办"
            if unit == main_name:
                texts.append(f"{unit}：{why}")
            elif n >= MIN_HANDLED and n / total >= HANDLED_SHARE and unit not in co_names:
                co_names.append(unit)
                texts.append(f"{unit}：{why}，列为协办供核对")
        return UnitsProposal(main_name, tuple(co_names), tuple(texts))

    def due(self, start: datetime, tier: str) -> datetime:
        limit = self.catalogue.time_limit(tier)
        return due_at(start, limit, self.calendar).due

    def limit_label(self, tier: str) -> str:
        return self.catalogue.time_limit(tier).label()


MIN_HANDLED = 3
"""Recent tickets of a category in a district needed before their handlers count."""
HANDLED_SHARE = 0.5


def place_label(district: str | None, township: str | None) -> str | None:
    if not district:
        return None
    return f"{district}{township or ''}"


# --- extra-question answers proposed from the caller's words ------------------------------

_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "幺": 1, "二": 2, "两": 2, "三": 3,
    "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_NUM = r"\d{1,3}(?:\.\d+)?|[零〇一幺二两三四五六七八九十]{1,3}"
_TEMPERATURE = re.compile(rf"(零下|负)?({_NUM})\s*(?:摄氏度|度|℃)")
_DAYS = re.compile(rf"({_NUM})\s*(?:多)?(?:天|日)")
_PEOPLE = re.compile(rf"({_NUM})\s*(?:个)?人")
_WHEN = re.compile(
    r"(?P<day>今天|今日|今早|今晚|昨天|昨日|昨晚|前天)?"
    r"(?P<part>早上|早晨|清晨|上午|中午|下午|傍晚|晚上|夜里|夜间|半夜|凌晨)?"
    r"(?P<hour>\d{1,2}|[零一两二三四五六七八九十]{1,3})\s*点"
    r"(?:(?P<half>半)|(?P<minute>\d{1,2}|[零一二三四五六七八九十]{1,3})分?)?"
)
_DAY_OFFSET = {"今天": 0, "今日": 0, "今早": 0, "今晚": 0, "昨天": -1, "昨日": -1, "昨晚": -1}
_DAY_OFFSET["前天"] = -2
_AFTERNOON = ("下午", "傍晚", "晚上", "今晚", "昨晚")
_NIGHT = ("夜里", "夜间", "半夜", "凌晨", "晚上", "今晚", "昨晚")
# Words callers use for an option, by option key (the option's own name always counts).
_OPTION_WORDS: dict[str, tuple[str, ...]] = {
    "home": ("只有我家", "仅我家", "就我家", "只有我们家", "本户"),
    "unit": ("整个单元", "本单元", "全单元", "单元都"),
    "building": ("整栋楼", "整栋", "整幢", "全楼", "整个楼", "楼里都", "整楼"),
    "estate": ("整个小区", "全小区", "小区都", "小区里都", "整个院"),
    "area": ("周边", "附近几个小区", "一片都", "片区"),
    "night": ("夜间", "夜里", "半夜", "深夜", "凌晨", "晚上十一点", "晚上十二点", "晚上11点"),
    "evening": ("傍晚",),
    "morning": ("清晨", "一大早"),
}
# Options no words can tell apart from ordinary speech ("是", "不清楚", "其他").
_NO_PROPOSAL = {"yes", "no", "unknown", "other"}


def _spoken_number(word: str) -> float | None:
    """The number in "15", "15.5", "十五", "二十" or "八"; None otherwise."""
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        return float(word)
    if "十" in word:
        tens, _, ones = word.partition("十")
        t = _CN_DIGITS.get(tens) if tens else 1
        o = _CN_DIGITS.get(ones) if ones else 0
        if t is None or o is None or len(tens) > 1 or len(ones) > 1:
            return None
        return float(t * 10 + o)
    if len(word) == 1 and word in _CN_DIGITS:
        return float(_CN_DIGITS[word])
    return None


def _option_words(key: str, name: str) -> tuple[str, ...]:
    parts = re.split(r"[/、（）()，,]", name)
    return _OPTION_WORDS.get(key, ()) + tuple(p.strip() for p in parts if len(p.strip()) >= 2)


def _options_in(text: str, q: ExtraQuestion) -> list[tuple[str, str]]:
    found = []
    for key, name in q.values:
        if key in _NO_PROPOSAL:
            continue
        word = next((w for w in _option_words(key, name) if w in text), None)
        if word is not None:
            found.append((key, word))
    return found


def _number_in(text: str, q: ExtraQuestion) -> tuple[float, str] | None:
    if "温度" in q.description:
        m = _TEMPERATURE.search(text)
        if m:
            value = _spoken_number(m.group(2))
            if value is not None:
                return (-value if m.group(1) else value), m.group(0)
        return None
    pattern = _DAYS if "天" in q.description else _PEOPLE if "人数" in q.description else None
    m = pattern.search(text) if pattern is not None else None
    if m:
        value = _spoken_number(m.group(1))
        if value is not None:
            return value, m.group(0)
    return None


def _when_in(text: str, now: datetime) -> tuple[str, str] | None:
    """The first "今天早上8点" / "昨天晚上十一点半" in ``text`` as an ISO time before ``now``."""
    for m in _WHEN.finditer(text):
        day, part = m.group("day") or "", m.group("part") or ""
        if not (day or part):
            continue  # a bare "3点" may be anything
        hour = _spoken_number(m.group("hour"))
        minute = 30.0 if m.group("half") else _spoken_number(m.group("minute") or "0")
        if hour is None or minute is None or hour > 24 or minute > 59:
            continue
        h, offset = int(hour), _DAY_OFFSET.get(day, 0)
        phase = part or day
        if h == 12 and phase in _NIGHT:
            h, offset = 0, offset + 1  # "晚上十二点": midnight, the start of the next day
        elif h < 12 and (phase in _AFTERNOON or (phase in ("夜里", "夜间") and h >= 6)):
            h += 12
        elif phase == "中午" and h < 6:
            h += 12
        if h == 24:
            h, offset = 0, offset + 1
        at = now.replace(hour=h, minute=int(minute), second=0, microsecond=0)
        at += timedelta(days=offset)
        if not day and at > now:
            at -= timedelta(days=1)  # "晚上十一点" said in the morning: last night
        if at > now:
            continue
        return f"{at:%Y-%m-%dT%H:%M}", m.group(0)
    return None


def propose_answers(
    questions: Sequence[ExtraQuestion], text: str, now: datetime
) -> dict[str, tuple[Any, str]]:
    """Answers to the extra questions that the caller's words give, as ``code → (value, the
    words it came from)``: temperatures, day counts, list options named in the text (one for a
    single-value list), times such as "今天早上8点" (before ``now``, the call's start).  Only
    answers that pass :func:`validate_answers` are proposed."""
    out: dict[str, tuple[Any, str]] = {}
    if not text.strip():
        return out
    for q in questions:
        if not q.variable:
            continue
        proposal: tuple[Any, str] | None = None
        if q.datatype is Datatype.NUMBER:
            proposal = _number_in(text, q)
        elif q.datatype is Datatype.DATETIME:
            proposal = _when_in(text, now)
        elif q.datatype is Datatype.SINGLEVALUELIST:
            found = _options_in(text, q)
            if len(found) == 1:
                proposal = found[0]
        elif q.datatype is Datatype.MULTIVALUELIST:
            found = _options_in(text, q)
            if found:
                proposal = [k for k, _ in found], "、".join(w for _, w in found)
        if proposal is None:
            continue
        value = proposal[0]
        if isinstance(value, float) and value.is_integer():
            value = str(int(value))
        elif isinstance(value, float):
            value = str(value)
        if not validate_answers([q], {q.code: value}):
            out[q.code] = (value, proposal[1])
    return out
