"""Trainer mode: the scenario library, its validator, scoring with the seat's rules, the history.

The library is ``resources/scenarios/*.json`` (format in the README there) and the courses in
``resources/scenarios/courses.ini``.  :func:`check_library` checks every scenario against the
format, the catalogue, the handling units and the gazetteer (``agent-app training check``).
:class:`Scorer` scores a finished ticket with the catalogue's names and the seat's time limits
and calendar (:func:`agent_app.domain.training.score_ticket`).  :class:`TrainingHistory` keeps
each trainee's sessions as JSON lines in the data directory (``training/history.jsonl``): it
is not the seat database, so nothing of it is ever queued for the centre.
"""

from __future__ import annotations

import configparser
import csv
import io
import json
import os
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent_app.domain import timeutil
from agent_app.domain.intake import IntakeDraft, build_ticket
from agent_app.domain.roles import Role
from agent_app.domain.ticket import (
    EMERGENCY_LINES,
    NOT_ACCEPTED_CHANNELS,
    URGENCY_TIERS,
    Outcome,
    RequestType,
    Ticket,
    TicketNumber,
)
from agent_app.domain.training import Expected, ScoreCard, score_ticket
from agent_app.errors import ConfigError
from agent_app.paths import resources_dir

if TYPE_CHECKING:
    from agent_app.services.catalogue import Catalogue
    from agent_app.services.geo.gazetteer import Gazetteer

FORMAT = 2
DIFFICULTIES = {1: "入门", 2: "进阶", 3: "困难"}
TRAINING_SEAT_PREFIX = "PX"
"""Training tickets are numbered on the seat ``PX-<seat>`` (培训): 20261206-PX-S01-0001."""
FAKE_PHONE = re.compile(r"^1380000\d{4}$")
"""Scenario callers use 138 0000 xxxx numbers (obviously invented)."""
_NAMESPACE = uuid.UUID("6f1c3a52-8d0e-4a43-9a55-2b7f1d3c9e10")
_PUNCT = re.compile(r"[，。、；：！？,.;:!?“”\"（）()]")


def scenarios_dir() -> Path:
    return resources_dir() / "scenarios"


def training_seat(seat: str) -> str:
    return f"{TRAINING_SEAT_PREFIX}-{seat}" if seat else TRAINING_SEAT_PREFIX


def is_training_number(number: str) -> bool:
    try:
        return TicketNumber.parse(number).seat.startswith(TRAINING_SEAT_PREFIX)
    except ValueError:
        return False


@dataclass(frozen=True)
class CallerData:
    phone: str = ""
    name: str = ""
    confidential: bool = False
    company: bool = False


@dataclass(frozen=True)
class DemoTicket:
    """A ticket the scenario needs in the seat before the call (the open ticket to merge into)."""

    number: str
    category: str
    description: str
    address: str = ""
    district: str = ""
    township: str = ""
    main_unit: str = ""
    request_type: str = ""
    days_ago: float = 1.0


@dataclass(frozen=True)
class TrainingScenario:
    id: str
    title: str
    difficulty: int
    segments: tuple[tuple[float, float, str], ...]
    expected: Expected
    caller: CallerData = field(default_factory=CallerData)
    tags: tuple[str, ...] = ()
    topic: str = ""
    brief: str = ""
    demo_tickets: tuple[DemoTicket, ...] = ()
    path: Path | None = None

    def to_list_entry(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "difficulty": self.difficulty,
            "expected": self.expected.to_dict(),
        }


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    scenarios: tuple[str, ...]


def _bad(source: Path | str, why: str) -> ConfigError:
    return ConfigError(
        f"The scenario file {source} is not a valid scenario ({why}); see "
        "resources/scenarios/README.md."
    )


def parse_scenario(data: Mapping[str, Any], source: Path | str = "<scenario>") -> TrainingScenario:
    """A scenario from its JSON data; :class:`ConfigError` naming the file when it is bad."""
    try:
        segments = tuple(
            (float(s["start"]), float(s["end"]), str(s["text"])) for s in data["segments"]
        )
        caller = data.get("caller") or {}
        demo = (data.get("demo") or {}).get("tickets") or ()
        return TrainingScenario(
            id=str(data["id"]),
            title=str(data["title"]),
            difficulty=int(data.get("difficulty", 1)),
            segments=segments,
            expected=Expected.from_dict(data["expected"]),
            caller=CallerData(
                phone=str(caller.get("phone", "")),
                name=str(caller.get("name", "")),
                confidential=bool(caller.get("confidential", False)),
                company=bool(caller.get("company", False)),
            ),
            tags=tuple(str(t) for t in data.get("tags") or ()),
            topic=str(data.get("topic", "")),
            brief=str(data.get("brief", "")),
            demo_tickets=tuple(
                DemoTicket(
                    number=str(d["number"]),
                    category=str(d["category"]),
                    description=str(d["description"]),
                    address=str(d.get("address", "")),
                    district=str(d.get("district", "")),
                    township=str(d.get("township", "")),
                    main_unit=str(d.get("main_unit", "")),
                    request_type=str(d.get("request_type", "")),
                    days_ago=float(d.get("days_ago", 1)),
                )
                for d in demo
            ),
            path=source if isinstance(source, Path) else None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise _bad(source, f"{type(exc).__name__}: {exc}") from exc


def load_scenario_file(path: Path) -> TrainingScenario:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"The scenario file {path} cannot be read ({exc.strerror}).") from exc
    except ValueError as exc:
        raise _bad(path, f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise _bad(path, "not a JSON object")
    return parse_scenario(data, path)


def scenario_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or scenarios_dir()).glob("*.json"))


def load_library(directory: Path | None = None) -> list[TrainingScenario]:
    """Every scenario of the library, by file name; the first bad file raises."""
    return [load_scenario_file(p) for p in scenario_files(directory)]


def load_courses(directory: Path | None = None) -> list[Course]:
    path = (directory or scenarios_dir()) / "courses.ini"
    if not path.exists():
        return []
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (OSError, configparser.Error) as exc:
        raise ConfigError(f"The course file {path} cannot be read ({exc}).") from exc
    courses = []
    for section in parser.sections():
        items = parser[section]
        ids = tuple(s for s in re.split(r"[\s,]+", items.get("scenarios", "")) if s)
        courses.append(Course(section, items.get("title", section), ids))
    return courses


# --- the validator ------------------------------------------------------------------------


def _is_vosk_text(text: str) -> bool:
    return bool(text.strip()) and not _PUNCT.search(text) and " " in text.strip()


def check_scenario(  # one list of rules, read top to bottom
    sc: TrainingScenario, catalogue: Catalogue, gazetteer: Gazetteer
) -> list[str]:
    """What is wrong with one scenario (empty when nothing)."""
    problems: list[str] = []
    exp = sc.expected
    if not re.fullmatch(r"[a-z0-9_]+", sc.id):
        problems.append(f"id {sc.id!r}: use lower-case letters, digits and _")
    if sc.path is not None and sc.path.stem != sc.id:
        problems.append(f"the file name {sc.path.name} does not match the id {sc.id}")
    if sc.difficulty not in DIFFICULTIES:
        problems.append(f"difficulty {sc.difficulty}: use 1, 2 or 3")
    if not sc.segments:
        problems.append("no caller lines")
    last = 0.0
    for i, (start, end, text) in enumerate(sc.segments, start=1):
        if not 0 <= start < end:
            problems.append(f"line {i}: start {start} must be before end {end}")
        if start < last:
            problems.append(f"line {i}: starts at {start}, before the previous line ends")
        last = end
        if not _is_vosk_text(text):
            problems.append(f"line {i}: write words spaced, without punctuation, as Vosk does")
    if sc.caller.phone and not FAKE_PHONE.match(sc.caller.phone):
        problems.append(f"caller phone {sc.caller.phone}: use the invented 138 0000 xxxx range")
    if sc.caller.confidential != exp.confidential or sc.caller.company != exp.company:
        problems.append("caller flags and expected privacy flags differ")
    category = catalogue.category(exp.category) if exp.category else None
    if exp.category and category is None:
        problems.append(f"expected category {exp.category} is not in the catalogue")
    outcome = Outcome(exp.outcome)
    if outcome is Outcome.TRANSFERRED and exp.line not in EMERGENCY_LINES:
        problems.append(f"a transfer needs line 110/119/120/122, not {exp.line!r}")
    if outcome is Outcome.NOT_ACCEPTED and exp.channel not in NOT_ACCEPTED_CHANNELS:
        problems.append(f"not accepted needs a channel of {sorted(NOT_ACCEPTED_CHANNELS)}")
    if outcome is Outcome.MERGED:
        numbers = {d.number for d in sc.demo_tickets}
        if exp.merged_into not in numbers:
            problems.append("merged: expected.merged_into must be one of demo.tickets")
    if outcome is Outcome.DISPATCHED:
        for key in ("request_type", "category", "address", "district", "main_unit", "tier"):
            if not getattr(exp, key):
                problems.append(f"a dispatched call needs expected.{key}")
        if exp.co_units is None:
            problems.append("a dispatched call needs expected.co_units (may be [])")
    if exp.tier and exp.tier not in URGENCY_TIERS:
        problems.append(f"tier {exp.tier!r} is none of {', '.join(URGENCY_TIERS)}")
    if not exp.facts:
        problems.append("expected.facts: name what the description must contain")
    if exp.address:
        place = gazetteer.resolve(exp.address)
        if place.district != exp.district:
            problems.append(
                f"address {exp.address!r} resolves to district {place.district!r}, "
                f"not {exp.district!r}"
            )
        elif exp.township is not None and (place.township or "") != exp.township:
            problems.append(
                f"address {exp.address!r} resolves to township {place.township!r}, "
                f"not {exp.township!r}"
            )
        if category is not None and outcome is Outcome.DISPATCHED and not exp.units_override:
            main, co, _reasons = catalogue.resolve_units(
                category, {"district": place.district, "district_code": place.district_code,
                           "township": place.township, "township_code": place.township_code},
            )  # fmt: skip
            want_main = main.name if main else ""
            want_co = [u.name for u in co]
            if exp.main_unit != want_main or sorted(exp.co_units or ()) != sorted(want_co):
                problems.append(
                    f"units {exp.main_unit} + {list(exp.co_units or ())} differ from the "
                    f"category's rule ({want_main} + {want_co}); fix them or set units_override"
                )
    elif exp.district and gazetteer.district_code_for(exp.district) is None:
        problems.append(f"district {exp.district!r} is not in the gazetteer")
    units = catalogue.units
    for name in [exp.main_unit, *(exp.co_units or ())]:
        if name and units.by_name(name) is None:
            problems.append(f"unit {name!r} is not in units.csv")
    for demo in sc.demo_tickets:
        try:
            TicketNumber.parse(demo.number)
        except ValueError:
            problems.append(f"demo ticket number {demo.number!r} is not a ticket number")
        if catalogue.category(demo.category) is None:
            problems.append(f"demo ticket category {demo.category} is not in the catalogue")
    return problems


def check_library(
    scenarios: Sequence[TrainingScenario],
    catalogue: Catalogue,
    gazetteer: Gazetteer,
    courses: Sequence[Course] = (),
) -> list[dict[str, str]]:
    """Every problem of the library: per scenario, then coverage and courses."""
    problems = [
        {"scenario": sc.id, "problem": p}
        for sc in scenarios
        for p in check_scenario(sc, catalogue, gazetteer)
    ]
    seen: dict[str, int] = {}
    numbers: dict[str, str] = {}
    for sc in scenarios:
        seen[sc.id] = seen.get(sc.id, 0) + 1
        for d in sc.demo_tickets:
            if numbers.setdefault(d.number, sc.id) != sc.id:
                problems.append(
                    {
                        "scenario": sc.id,
                        "problem": f"demo ticket {d.number} also in {numbers[d.number]}",
                    }  # fmt: skip
                )
    problems += [
        {"scenario": sid, "problem": "the id is used by more than one file"}
        for sid, n in seen.items()
        if n > 1
    ]
    if scenarios:
        types = {sc.expected.request_type for sc in scenarios}
        for rt in RequestType:
            if rt.value not in types:
                problems.append({"scenario": "*", "problem": f"no scenario of type {rt.value}"})
        outcomes = {sc.expected.outcome for sc in scenarios}
        for oc in Outcome:
            if oc.value not in outcomes:
                problems.append({"scenario": "*", "problem": f"no scenario ending {oc.value}"})
        lines = {sc.expected.line for sc in scenarios}
        for line in EMERGENCY_LINES:
            if line not in lines:
                problems.append({"scenario": "*", "problem": f"no transfer to {line}"})
    ids = set(seen)
    for course in courses:
        for sid in course.scenarios:
            if sid not in ids:
                problems.append(
                    {"scenario": f"course:{course.id}", "problem": f"no scenario {sid}"}
                )
    return problems


# --- demo data and scoring ----------------------------------------------------------------


def demo_ticket_id(scenario_id: str, number: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{scenario_id}/{number}"))


def build_demo_tickets(
    sc: TrainingScenario, *, seat: str, operator_id: str, now: datetime | None = None
) -> list[Ticket]:
    """The tickets ``sc`` needs in the seat (e.g. the caller's open ticket), as demo tickets
    with fixed ids and numbers (saving them twice changes nothing)."""
    now = now or timeutil.now()
    tickets = []
    for d in sc.demo_tickets:
        started = now - timedelta(days=d.days_ago)
        draft = IntakeDraft(
            ticket_id=demo_ticket_id(sc.id, d.number),
            started_at=started.isoformat(),
            phone=sc.caller.phone,
            caller_name=sc.caller.name,
            confidential=sc.caller.confidential,
            company=sc.caller.company,
            request_type=d.request_type or RequestType.COMPLAINT.value,
            category_code=d.category,
            address=d.address,
            place={"district": d.district, "township": d.township},
            main_unit=d.main_unit,
            description=d.description,
        )
        ticket = build_ticket(
            draft,
            Outcome.DISPATCHED,
            at=started + timedelta(minutes=4),
            seat=training_seat(seat),
            operator_id=operator_id,
            role=Role.OPERATOR,
            number=d.number,
            due=started + timedelta(days=7),
            is_demo=True,
        )
        tickets.append(ticket)
    return tickets


class Scorer:
    """Scores tickets with the catalogue's names and the seat's time limits and calendar."""

    def __init__(self, catalogue: Catalogue, calendar: Any = None) -> None:
        from agent_app.domain.deadlines import due_at  # noqa: PLC0415

        self.catalogue = catalogue
        self.names = {c.code: f"{c.level1}/{c.level2}/{c.level3}" for c in catalogue.categories}
        self._due_at = due_at
        self.calendar = calendar

    @classmethod
    def load(cls) -> Scorer:
        from agent_app.services.catalogue import Catalogue, load_work_calendar  # noqa: PLC0415

        return cls(Catalogue.load(), load_work_calendar())

    def due(self, start: datetime, tier: str) -> datetime:
        return self._due_at(start, self.catalogue.time_limit(tier), self.calendar).due

    def score(
        self, scenario: TrainingScenario, ticket: Ticket, *, actions: int | None = None
    ) -> ScoreCard:
        return score_ticket(
            scenario.id,
            scenario.expected,
            ticket,
            category_names=self.names,
            due=self.due,
            actions=actions,
        )


def ticket_from_json(data: Mapping[str, Any]) -> Ticket:
    """A ticket as ``agent-app ticket show --json`` prints it."""
    from agent_app.domain.serialize import ticket_from_dict  # noqa: PLC0415

    return ticket_from_dict(dict(data))


# --- sessions, history, reports -----------------------------------------------------------


@dataclass(frozen=True)
class CallResult:
    scenario_id: str
    title: str
    difficulty: int
    card: ScoreCard

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario_id,
            "title": self.title,
            "difficulty": self.difficulty,
            **{k: v for k, v in self.card.to_dict().items() if k != "scenario"},
        }


@dataclass(frozen=True)
class SessionRecord:
    """One trainee's training session: the calls taken and their score cards."""

    session_id: str
    trainee: str
    started_at: datetime
    course: str = ""
    results: tuple[CallResult, ...] = ()
    finished_at: datetime | None = None

    @classmethod
    def start(cls, trainee: str, course: str = "", now: datetime | None = None) -> SessionRecord:
        return cls(str(uuid.uuid4()), trainee, now or timeutil.now(), course)

    def add(self, result: CallResult) -> SessionRecord:
        return replace(self, results=(*self.results, result))

    def finish(self, now: datetime | None = None) -> SessionRecord:
        return replace(self, finished_at=now or timeutil.now())

    @property
    def mean_score(self) -> int:
        if not self.results:
            return 0
        return round(sum(r.card.score for r in self.results) / len(self.results))

    def to_dict(self) -> dict[str, Any]:
        times = [r.card.seconds for r in self.results if r.card.seconds is not None]
        return {
            "session": self.session_id,
            "trainee": self.trainee,
            "course": self.course,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "calls": len(self.results),
            "mean_score": self.mean_score,
            "mean_seconds": round(sum(times) / len(times), 1) if times else None,
            "actions": sum(r.card.actions or 0 for r in self.results),
            "results": [r.to_dict() for r in self.results],
        }


def report_csv(record: SessionRecord) -> str:
    """The session as CSV: one row per scored item of every call."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "trainee",
            "session",
            "scenario",
            "title",
            "ticket",
            "score",
            "seconds",
            "actions",
            "item",
            "expected",
            "got",
            "points",
            "max",
            "why",
        ]  # fmt: skip
    )
    for r in record.results:
        card = r.card.to_dict()
        for item in card["items"]:
            writer.writerow(
                [
                    record.trainee,
                    record.session_id,
                    r.scenario_id,
                    r.title,
                    card["ticket"],
                    card["score"],
                    card.get("seconds", ""),
                    card.get("actions", ""),
                    item["item"],
                    item["expected"],
                    item["got"],
                    item["points"],
                    item["max"],
                    item["why"],
                ]  # fmt: skip
            )
    return out.getvalue()


class TrainingHistory:
    """Every finished session, one JSON line each, in ``<data dir>/training/history.jsonl``."""

    def __init__(self, root: Path) -> None:
        self.path = root / "training" / "history.jsonl"

    def append(self, record: SessionRecord) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(record.to_dict(), ensure_ascii=False)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())

    def sessions(self, trainee: str | None = None) -> list[dict[str, Any]]:
        """The stored sessions (oldest first), of one trainee when given; bad lines skipped."""
        if not self.path.exists():
            return []
        rows = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if isinstance(row, dict) and (trainee is None or row.get("trainee") == trainee):
                rows.append(row)
        return rows


def trainees(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    return sorted({str(r.get("trainee", "")) for r in rows if r.get("trainee")})


def training_workstation(base: Any, trainee: str) -> Any:
    """The seat's data access for a training call: the same database, tickets numbered on
    the training seat (``PX-<seat>``) under the trainee's id, demo tickets only (no outbox
    row is ever written for them, so nothing of a training call is synced)."""
    from agent_app.services.workstation import Workstation  # noqa: PLC0415

    class TrainingWorkstation(Workstation):
        def __init__(self) -> None:
            super().__init__(
                base.paths, seat=training_seat(base.seat), operator_id=trainee, demo=True
            )
            self.base = base

        @property
        def db(self) -> Any:
            return self.base.db

        def close(self) -> None:
            """The database belongs to the seat's workstation: it closes it."""

    return TrainingWorkstation()


# --- authoring: a finished ticket becomes a scenario --------------------------------------

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
_DIGITS = dict(zip("0123456789", "零一二三四五六七八九", strict=True))
_SENTENCE = re.compile(r"[，。；！？,.;!?\n]+")


def _spoken(text: str) -> str:
    """A sentence as a Chinese Vosk model writes it: words spaced, digits spoken."""
    import jieba  # noqa: PLC0415 - only when authoring

    words: list[str] = []
    for word in jieba.lcut(text):
        word = word.strip()
        if not word or _PUNCT.fullmatch(word):
            continue
        if word.isdigit():
            words.extend(_DIGITS[d] for d in word)
        else:
            words.append("".join(_DIGITS.get(c, c) for c in word))
    return " ".join(words)


def scenario_from_ticket(
    ticket: Ticket,
    *,
    scenario_id: str,
    title: str = "",
    difficulty: int = 2,
    seed: int | None = None,
) -> dict[str, Any]:
    """A draft scenario (JSON data) from a real finished ticket, personal data replaced:
    a generated caller (138 0000 xxxx, a surname with 先生/女士), personal numbers in the
    description masked, the caller's name replaced, the address cut to district and
    street/township.  The caller's lines are the description, spoken; the expected answer is
    the ticket's outcome, type, category, place, units, tier and privacy flags.  The trainer
    then edits it (at least ``facts``) and ``agent-app training check`` validates it."""
    import random  # noqa: PLC0415

    from agent_app.services.speech.redact import redact  # noqa: PLC0415

    rng = random.Random(seed if seed is not None else scenario_id)  # not secret
    original = ticket.caller.name.strip()
    suffix = "女士" if original.endswith(("女士", "小姐", "阿姨")) else "先生"
    name = f"{rng.choice(_SURNAMES)}{suffix}" if original else ""
    text = redact(ticket.description).text
    if original:
        text = text.replace(original, name)
        if len(original) >= 2:
            text = text.replace(original[0] + suffix, name)
    place = ticket.place
    address = f"{place.district}{place.township}" if place.district else ""
    lines = ["喂 你好"]
    if address:
        lines.append(_spoken(f"我这是在{place.district}{place.township}"))
    lines += [_spoken(s) for s in _SENTENCE.split(text) if s.strip()]
    lines = [line for line in lines if line]
    segments, at = [], 0.5
    for line in lines:
        end = round(at + 0.3 * len(line.split()) + 0.4, 1)
        segments.append({"start": round(at, 1), "end": end, "text": line})
        at = end + 0.8
    outcome = ticket.outcome.value if ticket.outcome else Outcome.DISPATCHED.value
    expected: dict[str, Any] = {"outcome": outcome}
    if outcome == Outcome.TRANSFERRED.value:
        expected["line"] = ticket.outcome_detail
    elif outcome == Outcome.NOT_ACCEPTED.value:
        expected["channel"] = ticket.outcome_detail
    elif outcome == Outcome.ANSWERED.value and ticket.kb_article_id:
        expected["kb_article"] = ticket.kb_article_id
    data: dict[str, Any] = {
        "format": FORMAT,
        "id": scenario_id,
        "title": title or (ticket.category_name.rsplit("/", 1)[-1] or scenario_id),
        "difficulty": difficulty,
        "tags": ["authored"],
        "topic": ticket.category_name,
        "brief": "",
        "caller": {
            "phone": f"1380000{rng.randrange(10_000):04d}",
            "name": name,
            "confidential": ticket.caller.confidential,
            "company": ticket.caller.is_company,
        },
        "audio": None,
        "segments": segments,
    }
    if outcome == Outcome.MERGED.value:
        number = f"{ticket.created_at:%Y%m%d}-PX-{rng.randrange(10_000):04d}"
        expected["merged_into"] = number
        data["demo"] = {
            "tickets": [
                {
                    "number": number,
                    "category": ticket.category_code or "04.01.001",
                    "description": text[:200],
                    "address": address,
                    "district": place.district,
                    "township": place.township,
                    "days_ago": 1,
                }  # fmt: skip
            ]
        }
    if ticket.request_type is not None:
        expected["request_type"] = ticket.request_type.value
    if ticket.category_code:
        expected["category"] = ticket.category_code
    if address:
        expected.update(address=address, district=place.district, township=place.township)
    if outcome == Outcome.DISPATCHED.value:
        expected.update(
            main_unit=ticket.main_unit, co_units=list(ticket.co_units), tier=ticket.urgency
        )
    expected.update(
        confidential=ticket.caller.confidential, company=ticket.caller.is_company, facts=[]
    )
    data["expected"] = expected
    return data


def save_authored(
    data: Mapping[str, Any], directory: Path, catalogue: Any, gazetteer: Any
) -> list[str]:
    """Write the scenario file and return what the validator finds wrong with it."""
    path = directory / f"{data['id']}.json"
    directory.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    try:
        scenario = load_scenario_file(path)
    except ConfigError as exc:
        return [str(exc)]
    return check_scenario(scenario, catalogue, gazetteer)
