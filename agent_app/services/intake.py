"""Intake: proposals for the ticket form and the rules that end a call (Qt-free).

:class:`IntakeService` puts the existing services together for the form:

* category candidates (top-3) from the learned :class:`~.suggest.model.CategorySuggester` when a
  model is installed in the data dir, else from the catalogue's cold start;
* request type (咨询/求助/投诉/举报/建议) from :class:`~.suggest.request_type.RequestTypeSuggester`;
* address → place (district, township, point) from the offline :class:`~.geo.gazetteer.Gazetteer`;
* category + place → main unit and co-units with reasons (:meth:`Catalogue.resolve_units`);
* urgency tier → due time (:func:`~agent_app.domain.deadlines.due_at`).

:class:`IntakeDraft` is the form's content as plain data (the draft payload), :func:`validate`
lists what keeps an outcome from being recorded, and :func:`build_ticket` turns a draft and an
outcome into a :class:`~agent_app.domain.ticket.Ticket` with its lifecycle events.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent_app.domain.catalogue import Category, Datatype, ExtraQuestion, validate_answers
from agent_app.domain.deadlines import UrgencyTier, WorkCalendar, due_at
from agent_app.domain.lifecycle import Status
from agent_app.domain.phones import check_phone
from agent_app.domain.roles import Role
from agent_app.domain.ticket import (
    EMERGENCY_LINES,
    NOT_ACCEPTED_CHANNELS,
    OUTCOME_TARGET,
    REQUEST_TYPE_NAMES,
    Caller,
    Channel,
    Outcome,
    Place,
    RequestType,
    Ticket,
    TicketEvent,
)

if TYPE_CHECKING:
    from agent_app.services.catalogue import Catalogue, CatalogueIndex, SearchHit
    from agent_app.services.geo.gazetteer import Gazetteer

# Length limits (characters), the same as the database columns.
MAX_NAME = 64
MAX_ADDRESS = 256
MAX_DESCRIPTION = 2000
MAX_NOTES = 4000
MIN_DESCRIPTION = 5

PLACE_KEYS = (
    "district",
    "district_code",
    "township",
    "township_code",
    "lat",
    "lon",
    "confidence",
    "label",
)

_TYPE_BY_NAME = {name: rt for rt, name in REQUEST_TYPE_NAMES.items()}


@dataclass(frozen=True)
class Chip:
    """One proposal the operator can accept with a key: what, its label, confidence, why."""

    kind: str  # category | request_type | unit
    value: str
    label: str
    confidence: float
    reason: str = ""


@dataclass(frozen=True)
class UnitsProposal:
    main: str = ""
    co: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """Why an outcome cannot be recorded yet: the field and a sentence for the operator."""

    field: str
    message: str


@dataclass
class IntakeDraft:
    """Everything the form holds, as plain data (stored as the draft payload)."""

    ticket_id: str = ""
    started_at: str = ""  # ISO 8601
    channel: str = Channel.PHONE.value
    phone: str = ""
    extra_phone: str = ""
    caller_name: str = ""
    confidential: bool = False
    company: bool = False
    request_type: str = ""
    category_code: str = ""
    category_name: str = ""
    urgency: str = UrgencyTier.ORDINARY.value
    address: str = ""
    place: dict[str, Any] = field(default_factory=dict)
    main_unit: str = ""
    co_units: list[str] = field(default_factory=list)
    description: str = ""
    notes: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    kb_article_id: str = ""
    merge_target: str = ""
    sources: dict[str, str] = field(default_factory=dict)

    def to_payload(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> IntakeDraft:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in payload.items() if k in names})

    def has_content(self) -> bool:
        return any(
            (
                self.phone.strip(),
                self.caller_name.strip(),
                self.category_code,
                self.address.strip(),
                self.description.strip(),
                self.notes.strip(),
            )
        )


# --- validation ---------------------------------------------------------------------------


def phone_problem(text: str) -> str | None:
    """A sentence for a caller number that is not valid, or None (blank is not a problem)."""
    if not text.strip():
        return None
    check = check_phone(text)
    if check.ok:
        return None
    if check.problem == "not_a_number":
        return "电话号码只能包含数字，如 13812345678 或 010-65123456"
    return "电话号码位数或号段不对，请核对（手机11位，固话带区号）"


def validate(
    draft: IntakeDraft,
    outcome: Outcome,
    questions: Sequence[ExtraQuestion] = (),
) -> list[Problem]:
    """What keeps ``outcome`` from being recorded, in the order of the form."""
    problems: list[Problem] = []
    for name, text in (("phone", draft.phone), ("extra_phone", draft.extra_phone)):
        problem = phone_problem(text)
        if problem:
            problems.append(Problem(name, problem))
    if len(draft.caller_name) > MAX_NAME:
        problems.append(Problem("caller_name", f"姓名不能超过{MAX_NAME}个字"))
    if len(draft.address) > MAX_ADDRESS:
        problems.append(Problem("address", f"地址不能超过{MAX_ADDRESS}个字"))
    if len(draft.description) > MAX_DESCRIPTION:
        problems.append(Problem("description", f"诉求内容不能超过{MAX_DESCRIPTION}个字"))
    if len(draft.notes) > MAX_NOTES:
        problems.append(Problem("notes", f"备注不能超过{MAX_NOTES}个字"))
    if outcome is Outcome.TRANSFERRED:
        return problems  # an emergency goes first: nothing else is required
    described = len(draft.description.strip()) >= MIN_DESCRIPTION
    if outcome is Outcome.DISPATCHED:
        if not draft.phone.strip():
            problems.append(Problem("phone", "派单需要来电号码，承办单位要联系来电人"))
        if not draft.request_type:
            problems.append(Problem("request_type", "请选择诉求类型（Alt+数字可采纳建议）"))
        if not draft.category_code:
            problems.append(Problem("category", "请选择诉求分类（输入名称或拼音首字母后回车）"))
        if not draft.address.strip():
            problems.append(Problem("address", "请填写事发地址"))
        elif not draft.place.get("district"):
            problems.append(Problem("address", "地址未能确定到区，请补充区或街道名称"))
        if not described:
            problems.append(Problem("description", f"诉求内容至少{MIN_DESCRIPTION}个字"))
        if not draft.main_unit.strip():
            problems.append(Problem("main_unit", "请确定主办单位"))
        for code, problem in validate_answers(questions, _answers(draft, questions)):
            q = next((x for x in questions if x.code == code), None)
            label = q.description if q else code
            problems.append(Problem(f"q:{code}", _answer_message(label, problem)))
    elif outcome is Outcome.ANSWERED:
        if not described:
            problems.append(Problem("description", f"诉求内容至少{MIN_DESCRIPTION}个字"))
        if not (draft.kb_article_id or draft.notes.strip()):
            problems.append(Problem("notes", "请记录答复内容（从知识库采纳或写入备注）"))
    elif outcome is Outcome.NOT_ACCEPTED:
        if not described:
            problems.append(Problem("description", f"诉求内容至少{MIN_DESCRIPTION}个字"))
    elif outcome is Outcome.MERGED:
        if not draft.merge_target:
            problems.append(Problem("merge", "请在来电历史或相关工单中选中要并入的工单"))
    return problems


def _answers(draft: IntakeDraft, questions: Sequence[ExtraQuestion]) -> dict[str, Any]:
    codes = {q.code for q in questions}
    return {k: v for k, v in draft.answers.items() if k in codes}


_ANSWER_PROBLEMS = {
    "required": "必填",
    "not_a_number": "请填数字",
    "too_small": "数值过小",
    "too_large": "数值过大",
    "not_a_datetime": "请填日期时间，如 2026-01-05T08:00",
    "not_one_option": "请选择一项",
    "unknown_option": "请从选项中选择",
    "not_text": "请填文字",
    "line_break": "请写在一行内",
}


def _answer_message(label: str, problem: str) -> str:
    return f"补充信息「{label}」：{_ANSWER_PROBLEMS.get(problem, problem)}"


# --- building the ticket ------------------------------------------------------------------


def build_ticket(
    draft: IntakeDraft,
    outcome: Outcome,
    *,
    at: datetime,
    seat: str,
    operator_id: str,
    role: Role,
    number: str = "",
    due: datetime | None = None,
    detail: str = "",
    is_demo: bool = False,
) -> Ticket:
    """The ticket for ``draft`` ended with ``outcome`` at ``at``: a ``created`` event, then
    the lifecycle transition (with the line and time of a transfer, the channel named when not
    accepted, the target when merged)."""
    phones = []
    for text in (draft.phone, draft.extra_phone):
        if text.strip():
            check = check_phone(text)
            phones.append(check.e164 if check.ok else text.strip())
    started = datetime.fromisoformat(draft.started_at) if draft.started_at else at
    place = draft.place or {}
    request_type = RequestType(draft.request_type) if draft.request_type else None
    extra: dict[str, Any] = {}
    if draft.answers:
        extra["answers"] = dict(draft.answers)
    if draft.sources:
        extra["sources"] = dict(draft.sources)
    ticket = Ticket(
        id=draft.ticket_id or Ticket.new_id(),
        number=number,
        created_at=started,
        seat=seat,
        operator_id=operator_id,
        channel=Channel(draft.channel or Channel.PHONE.value),
        caller=Caller(
            name=draft.caller_name.strip(),
            phones=tuple(phones),
            confidential=draft.confidential,
            is_company=draft.company,
        ),
        request_type=request_type,
        category_code=draft.category_code,
        category_name=draft.category_name,
        place=Place(
            address=draft.address.strip(),
            district=place.get("district") or "",
            district_code=place.get("district_code") or "",
            township=place.get("township") or "",
            township_code=place.get("township_code") or "",
            community=place.get("community") or "",
            lat=place.get("lat"),
            lon=place.get("lon"),
            confidence=place.get("confidence"),
        ),
        urgency=draft.urgency,
        main_unit=draft.main_unit.strip() if outcome is Outcome.DISPATCHED else "",
        co_units=tuple(u for u in draft.co_units if u) if outcome is Outcome.DISPATCHED else (),
        due_at=due if outcome is Outcome.DISPATCHED else None,
        description=draft.description.strip(),
        notes=draft.notes.strip(),
        outcome=outcome,
        outcome_detail=detail,
        kb_article_id=draft.kb_article_id,
        merged_into=draft.merge_target if outcome is Outcome.MERGED else "",
        extra=extra,
        is_demo=is_demo,
    )
    created = TicketEvent(
        at=started,
        kind="created",
        actor_role=role.value,
        actor_id=operator_id,
        to_status=Status.INTAKE.value,
        data={"channel": ticket.channel.value},
    )
    ticket = replace(ticket, events=(created,))
    data: dict[str, Any] = {"outcome": outcome.value}
    if outcome is Outcome.TRANSFERRED:
        data.update(
            line=detail, line_name=EMERGENCY_LINES.get(detail, ""), transferred_at=at.isoformat()
        )
    elif outcome is Outcome.NOT_ACCEPTED:
        data.update(channel=detail, channel_name=NOT_ACCEPTED_CHANNELS.get(detail, ""))
    elif outcome is Outcome.MERGED:
        data.update(merged_into=draft.merge_target)
    elif outcome is Outcome.DISPATCHED:
        data.update(main_unit=ticket.main_unit, co_units=list(ticket.co_units))
        if due is not None:
            data["due_at"] = due.isoformat()
    elif outcome is Outcome.ANSWERED and draft.kb_article_id:
        data.update(kb_article_id=draft.kb_article_id)
    return ticket.transition(OUTCOME_TARGET[outcome], role, operator_id, at, **data)


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
    ) -> None:
        """``nominatim_url``: the seat's self-hosted Nominatim ("" = offline only);
        ``handled``: who handled this seat's recent tickets, per (category code, district)
        (:func:`agent_app.services.unit_history.handled_counts`)."""
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

    def search(
        self, query: str, usage: Mapping[str, int] | None = None, recent: Sequence[str] = ()
    ) -> list[SearchHit]:
        return self.index.search(query, limit=12, usage=usage, recent=recent)

    def category_chips(self, text: str, top: int = 3) -> list[Chip]:
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
        if not ranking:
            ranking = self.cold.predict(text, top=top)
        chips = []
        for code, score in ranking[:top]:
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
