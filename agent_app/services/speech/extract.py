"""Field proposals from recognised Chinese text: phone, address, name, time, category.

The extractor reads one final segment at a time (Vosk output: no punctuation, perhaps spaces
between words, numbers as characters) and proposes values for the ticket form.  Each
:class:`Proposal` carries the words it came from and the segment's times, so the operator can
see why it was proposed and accept or reject it.  Nothing is filled without the operator.

Collaborators are injected: a geocoder ``resolve(text) -> object | None`` for addresses, a
keyword table (``{"噪音": "环境保护/噪声扰民"}``) or a callable for categories, an optional
knowledge-base lookup, and the known place names (districts, townships).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from agent_app.services.speech.numerals import chinese_number, normalize
from agent_app.services.speech.redact import PHONE_MASK, Redaction, redact

Geocoder = Callable[[str], object | None]
KeywordLookup = Callable[[str], Sequence[tuple[str, str]]]
"""``lookup(text) -> [(keyword, category), ...]``."""
KbLookup = Callable[[str], Sequence[str]]
Categorizer = Callable[[str, str], Sequence[tuple[str, str, float]]]
"""``categorize(segment, heard) -> [(words, category, confidence), ...]``: ``heard`` is the
call's text so far (this segment included), so a category is judged on the whole call."""
"""``lookup(text) -> [article title or id, ...]``."""

KINDS = ("phone", "address", "name", "time", "category", "kb")


@dataclass(frozen=True)
class Proposal:
    """A value proposed for one ticket field, with the words it came from."""

    kind: str
    """One of :data:`KINDS`."""
    value: str
    source_text: str
    """The words heard (phone numbers masked: they go only to the caller field)."""
    start: float
    """Start of the segment it came from, seconds since the call's audio began."""
    end: float
    confidence: float
    span: tuple[int, int] = (0, 0)
    """Character span of ``source_text`` in the segment's original text."""
    resolved: Any = field(default=None, compare=False)
    """What a collaborator returned (the geocoder's place for an address)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "value": self.value,
            "source_text": self.source_text,
            "start": self.start,
            "end": self.end,
            "confidence": self.confidence,
            "span": list(self.span),
            "resolved": self.resolved,
        }


@dataclass(frozen=True)
class Extraction:
    """One segment after extraction: the text to store (redacted) and the proposals."""

    text: str
    proposals: list[Proposal]
    redaction: Redaction


# Common surnames (the most frequent ones cover most callers); used only to tell
# "王先生" from "这位先生".
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱"
    "严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁"
    "尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时"
    "穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾"
    "隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "令狐",
    "慕容",
    "司徒",
    "夏侯",
)
# Characters that end a name in unpunctuated speech ("我叫张伟我家住在…").
_NAME_STOP = set("我你他她住在是的家电手今昨明现要想就从那这呢啊吧了有打反问说跟和与给被因所但")
_CJK = "\u4e00-\u9fff"
_NUM = "0-9零〇一二两三四五六七八九十百幺"

_NAME_PATTERNS = (
    (re.compile(rf"(?:我叫|我的名字叫|我的名字是|名字叫|本人)([{_CJK}]{{2,4}})"), 0.75),
    (re.compile(rf"我姓([{_CJK}]{{1,2}})"), 0.6),
)
_TITLE = re.compile(rf"([{_CJK}]{{1,2}})(先生|女士|小姐|阿姨|大爷)")

_ADDRESS_SUFFIX = (
    "街道|胡同|小区|社区|大厦|公寓|家园|花园|新村|地铁站|公交站|公园|广场|市场|医院|学校|"
    "路口|大街|区|县|镇|乡|路|街|巷|村|里|苑|园|庄"
)
_ADDRESS_NUMBER = rf"[{_NUM}]+(?:号院|号楼|号|单元|室|层|楼|门)"
# Words that never sit inside a place name; they end an address in unpunctuated speech.
_NOT_PLACE = "的了是我你他她在也都很呢吗吧啊就说要想"
_CHUNK = (
    rf"(?:(?:(?![{_NOT_PLACE}])[{_CJK}0-9]){{1,8}}?(?:{_ADDRESS_SUFFIX})"
    rf"|{_ADDRESS_NUMBER}|(?:(?<=单元)|(?<=号楼))[0-9]{{3,4}})"
)
_ADDRESS = re.compile(rf"(?:{_CHUNK})+")
_ADDRESS_TRIGGER = re.compile(
    r"^.*?(?:住在|家住|住|地址是|地址在|地址|位于|就在|在|到|去|是|的)(?=.)"
)
_STRONG_SUFFIX = re.compile(
    r"(?:街道|胡同|小区|社区|大厦|公寓|家园|新村|地铁站|区|县|镇|乡|路|街|巷|村|号院|号楼|单元|室)"
)

_DAY_WORDS = {
    "今天": 0,
    "今早": 0,
    "今晚": 0,
    "昨天": -1,
    "昨晚": -1,
    "前天": -2,
    "明天": 1,
    "后天": 2,
}
_PART_WORDS = (
    "凌晨",
    "早上",
    "上午",
    "中午",
    "下午",
    "傍晚",
    "晚上",
    "夜里",
    "半夜",
    "今早",
    "今晚",
    "昨晚",
)
_TIME_ATOM = (
    r"(?:今天|今早|今晚|昨天|昨晚|前天|明天|后天|这两天|最近|"
    r"凌晨|早上|上午|中午|下午|傍晚|晚上|夜里|半夜|"
    rf"[{_NUM}]{{1,3}}点(?:半|[{_NUM}]{{1,3}}分|钟)?|"
    rf"[{_NUM}]{{1,2}}月(?:[{_NUM}]{{1,3}}(?:日|号))?|"
    r"(?:上|这|下)?(?:周|星期|礼拜)[一二三四五六日天]|"
    rf"[{_NUM}几]{{1,3}}(?:天|个小时|个星期|个月|年)(?:以前|之前|前|了|多了))"
)
_TIME = re.compile(rf"(?:{_TIME_ATOM})+")


def place_names(names: Iterable[str]) -> list[str]:
    """Place names plus their short forms (``朝阳区`` → ``朝阳``; ``望京街道`` → ``望京``)."""
    out: set[str] = set()
    for name in names:
        name = name.strip()
        if not name:
            continue
        out.add(name)
        for suffix in ("街道", "地区", "区", "镇", "乡"):
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                out.add(name[: -len(suffix)])
    return sorted(out, key=len, reverse=True)


class Extractor:
    """Turns final transcript segments into :class:`Proposal` objects (Qt-free, fast).

    ``keywords``: a mapping keyword → category path, or a callable ``lookup(text)`` returning
    ``[(keyword, category)]``.  ``geocoder``: ``resolve(address_text) -> place | None``.
    ``places``: district and township names, so an address can begin at a place name.
    ``now``: a clock for resolving 今天 / 昨天 (tests pass a fixed one).
    ``categorizer``: judges the category on the call so far (wins over ``keywords``); the
    call's text is forgotten by :meth:`new_call` or when a segment starts before the previous
    one (segment times count from the start of each call's audio).
    """

    def __init__(
        self,
        *,
        keywords: Mapping[str, str] | KeywordLookup | None = None,
        geocoder: Geocoder | None = None,
        kb_lookup: KbLookup | None = None,
        places: Iterable[str] = (),
        default_area_code: str = "010",
        now: Callable[[], dt.datetime] = dt.datetime.now,
        categorizer: Categorizer | None = None,
    ) -> None:
        self._keywords = keywords
        self._categorizer = categorizer
        self._heard: list[str] = []
        self._last_start = -1.0
        self._last_category = ""
        self._geocoder = geocoder
        self._kb_lookup = kb_lookup
        self._places = place_names(places)
        self._place_re = (
            re.compile("|".join(re.escape(p) for p in self._places)) if self._places else None
        )
        self._area_code = default_area_code
        self._now = now

    def new_call(self) -> None:
        """Forget the call's text (the categorizer judges each call on its own words)."""
        self._heard = []
        self._last_start = -1.0
        self._last_category = ""

    def extract(self, text: str, start: float = 0.0, end: float = 0.0) -> Extraction:
        """Redact one final segment and propose field values from it."""
        if start < self._last_start:
            self.new_call()
        self._last_start = start
        redaction = redact(text, self._area_code)
        proposals: list[Proposal] = []
        proposals += self._phones(redaction, start, end)
        masked = redaction.text
        proposals += self._names(masked, start, end)
        proposals += self._addresses(masked, start, end)
        proposals += self._times(masked, start, end)
        proposals += self._categories(masked, start, end)
        proposals += self._kb(masked, start, end)
        return Extraction(text=masked, proposals=proposals, redaction=redaction)

    # ----------------------------------------------------------------- kinds

    def _phones(self, redaction: Redaction, start: float, end: float) -> list[Proposal]:
        from agent_app.domain.phones import check_phone, display_number  # noqa: PLC0415
        from agent_app.domain.privacy import mask_phone  # noqa: PLC0415

        out = []
        for finding in redaction.findings:
            if finding.kind != "phone":
                continue
            digits = finding.value
            check = check_phone(digits)
            if not check.ok:
                check = check_phone(self._area_code + digits)
            value = display_number(check.e164) if check.ok else digits
            out.append(
                Proposal(
                    kind="phone",
                    value=value,
                    source_text=mask_phone(value),
                    start=start,
                    end=end,
                    confidence=0.9 if len(digits) >= 11 else 0.7,
                    span=(finding.start, finding.end),
                )
            )
        return out

    def _names(self, text: str, start: float, end: float) -> list[Proposal]:
        out: list[Proposal] = []
        norm = normalize(text)
        seen: set[str] = set()
        for pattern, confidence in _NAME_PATTERNS:
            for match in pattern.finditer(norm.text):
                name = match.group(1)
                cut = next((i for i, c in enumerate(name) if i and c in _NAME_STOP), len(name))
                name = name[:cut]
                if pattern is _NAME_PATTERNS[1][0]:
                    name = name if name[:2] in _COMPOUND_SURNAMES else name[:1]
                    if name not in SURNAMES and name not in _COMPOUND_SURNAMES:
                        continue
                    rest = norm.text[match.start(1) + len(name) :]
                    title = re.match(rf"(?:{re.escape(name)})?(先生|女士|小姐)", rest)
                    if title is not None:
                        name += title.group(1)
                elif name[0] not in SURNAMES and name[:2] not in _COMPOUND_SURNAMES:
                    confidence = 0.5
                if len(name) < 1 or name in seen:
                    continue
                seen.add(name)
                span = (match.start(), match.start(1) + len(name))
                out.append(self._proposal("name", name, norm, span, text, start, end, confidence))
        for match in _TITLE.finditer(norm.text):
            surname = match.group(1)
            surname = surname if surname in _COMPOUND_SURNAMES else surname[-1]
            if surname not in SURNAMES and surname not in _COMPOUND_SURNAMES:
                continue
            name = surname + match.group(2)
            if any(name.startswith(s[:1]) for s in seen):
                continue
            seen.add(name)
            span = (match.end(1) - len(surname), match.end())
            out.append(self._proposal("name", name, norm, span, text, start, end, 0.55))
        return out

    def _addresses(self, text: str, start: float, end: float) -> list[Proposal]:
        out = []
        norm = normalize(text)
        for match in _ADDRESS.finditer(norm.text):
            a, b = match.span()
            candidate = match.group(0)
            place = self._place_re.search(candidate) if self._place_re else None
            if place is not None:
                a += place.start()
            else:
                trigger = _ADDRESS_TRIGGER.match(candidate)
                if trigger is not None:
                    a += trigger.end()
            value = norm.text[a:b]
            if len(value) < 3 or not _STRONG_SUFFIX.search(value) or value[0] in "这那哪":
                continue
            if place is None and len(value) > 14:
                continue  # a run of words that happens to end in 路/区, not an address
            resolved = self._geocoder(value) if self._geocoder is not None else None
            confidence = 0.5 + 0.15 * (place is not None) + 0.25 * (resolved is not None)
            proposal = self._proposal("address", value, norm, (a, b), text, start, end, confidence)
            out.append(
                Proposal(**{**proposal.__dict__, "resolved": resolved})  # keep it frozen
            )
        return out

    def _times(self, text: str, start: float, end: float) -> list[Proposal]:
        out = []
        norm = normalize(text)
        for match in _TIME.finditer(norm.text):
            phrase = match.group(0)
            value = self._resolve_time(phrase) or phrase
            out.append(self._proposal("time", value, norm, match.span(), text, start, end, 0.7))
        return out

    def _resolve_time(self, phrase: str) -> str | None:
        """``昨天晚上十点`` → an ISO timestamp relative to ``now``; None when too vague."""
        now = self._now()
        day = next((off for word, off in _DAY_WORDS.items() if word in phrase), None)
        date = now.date()
        month_day = re.search(rf"([{_NUM}]{{1,2}})月(?:([{_NUM}]{{1,3}})(?:日|号))?", phrase)
        if month_day and month_day.group(2):
            month, mday = chinese_number(month_day.group(1)), chinese_number(month_day.group(2))
            if month is None or mday is None:
                return None
            try:
                date = dt.date(now.year, month, mday)
            except ValueError:
                return None
            if date > now.date():
                date = date.replace(year=now.year - 1)
        elif day is not None:
            date = now.date() + dt.timedelta(days=day)
        else:
            return None
        clock = re.search(rf"([{_NUM}]{{1,3}})点(半|([{_NUM}]{{1,3}})分)?", phrase)
        if clock is None:
            return date.isoformat()
        hour = chinese_number(clock.group(1))
        minute = 30 if clock.group(2) == "半" else chinese_number(clock.group(3) or "0")
        if hour is None or minute is None or hour > 24 or minute > 59:
            return date.isoformat()
        part = next((p for p in _PART_WORDS if p in phrase), "")
        if part in ("下午", "傍晚", "晚上", "今晚", "昨晚") and hour < 12:
            hour += 12
        elif part in ("夜里", "半夜") and 8 <= hour < 12:
            hour += 12
        return dt.datetime.combine(date, dt.time(hour % 24, minute)).isoformat(timespec="minutes")

    def _categories(self, text: str, start: float, end: float) -> list[Proposal]:
        if self._categorizer is not None:
            return self._categorized(self._categorizer, text, start, end)
        if self._keywords is None:
            return []
        plain = normalize(text)
        hits: Sequence[tuple[str, str]]
        if callable(self._keywords):
            hits = self._keywords(plain.text)
        else:
            hits = [(k, c) for k, c in self._keywords.items() if k and k in plain.text]
        out = []
        seen: set[str] = set()
        for keyword, category in hits:
            if category in seen:
                continue
            seen.add(category)
            at = plain.text.find(keyword)
            span = (at, at + len(keyword)) if at >= 0 else (0, 0)
            out.append(self._proposal("category", category, plain, span, text, start, end, 0.6))
        return out

    def _categorized(
        self, categorizer: Categorizer, text: str, start: float, end: float
    ) -> list[Proposal]:
        """The categorizer's proposal for the call so far, when it differs from the last one."""
        plain = normalize(text)
        self._heard.append(plain.text)
        out = []
        for words, category, confidence in categorizer(plain.text, "，".join(self._heard)):
            if category == self._last_category:
                continue  # already proposed in this call
            self._last_category = category
            at = plain.text.find(words) if words else -1
            if at >= 0:
                span = (at, at + len(words))
                out.append(
                    self._proposal("category", category, plain, span, text, start, end, confidence)
                )
            else:  # the words were heard earlier in the call
                out.append(Proposal("category", category, words, start, end, round(confidence, 2)))
            break
        return out

    def _kb(self, text: str, start: float, end: float) -> list[Proposal]:
        if self._kb_lookup is None:
            return []
        return [
            Proposal("kb", str(title), text, start, end, 0.5, (0, len(text)))
            for title in self._kb_lookup(text)
        ]

    @staticmethod
    def _proposal(
        kind: str,
        value: str,
        norm: Any,
        span: tuple[int, int],
        text: str,
        start: float,
        end: float,
        confidence: float,
    ) -> Proposal:
        a, b = norm.span(*span)
        source = text[a:b].strip() or value
        return Proposal(kind, value, source, start, end, round(confidence, 2), (a, b))


def mask_for_storage(text: str) -> str:
    """The transcript text as it may be stored (same masks as :meth:`Extractor.extract`)."""
    return redact(text).text


__all__ = [
    "PHONE_MASK",
    "Extraction",
    "Extractor",
    "Proposal",
    "mask_for_storage",
    "place_names",
]
