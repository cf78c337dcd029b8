"""The ticket (工单) and what it records.

Fields follow 条例 art.10 ("诉求提出的时间、诉求事项、联系方式") and the GB/T 33358 工单
definition, as listed in ``domain.md`` §2.10: time, channel, caller and contact with a
confidentiality flag, request type, 3-level category, place, urgency tier, main and co-handling
units, time limit, outcome, status and an append-only event history.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from agent_app.domain.lifecycle import Status, check_transition
from agent_app.domain.roles import Role


class Channel(StrEnum):
    PHONE = "phone"  # 电话
    WEB = "web"  # 网络平台
    WECHAT = "wechat"  # 微信公众号
    APP = "app"  # 北京12345 app
    SMS = "sms"  # 短信
    LETTER = "letter"  # 信件


CHANNEL_NAMES: dict[Channel, str] = {
    Channel.PHONE: "电话",
    Channel.WEB: "网络平台",
    Channel.WECHAT: "微信",
    Channel.APP: "App",
    Channel.SMS: "短信",
    Channel.LETTER: "信件",
}


class RequestType(StrEnum):
    """The five request types of 条例 art.2."""

    CONSULT = "consult"  # 咨询
    HELP = "help"  # 求助
    COMPLAINT = "complaint"  # 投诉
    REPORT = "report"  # 举报
    SUGGESTION = "suggestion"  # 建议


REQUEST_TYPE_NAMES: dict[RequestType, str] = {
    RequestType.CONSULT: "咨询",
    RequestType.HELP: "求助",
    RequestType.COMPLAINT: "投诉",
    RequestType.REPORT: "举报",
    RequestType.SUGGESTION: "建议",
}


class Outcome(StrEnum):
    """How the operator ends the intake; each is a lifecycle transition from INTAKE."""

    ANSWERED = "answered"
    DISPATCHED = "dispatched"
    TRANSFERRED = "transferred"
    NOT_ACCEPTED = "not_accepted"
    MERGED = "merged"


OUTCOME_TARGET: dict[Outcome, Status] = {
    Outcome.ANSWERED: Status.ANSWERED,
    Outcome.DISPATCHED: Status.DISPATCHED,
    Outcome.TRANSFERRED: Status.TRANSFERRED_EMERGENCY,
    Outcome.NOT_ACCEPTED: Status.NOT_ACCEPTED_INFORMED,
    Outcome.MERGED: Status.MERGED_DUPLICATE,
}

OUTCOME_NAMES: dict[Outcome, str] = {
    Outcome.ANSWERED: "直接答复",
    Outcome.DISPATCHED: "派单",
    Outcome.TRANSFERRED: "转紧急专线",
    Outcome.NOT_ACCEPTED: "不予受理",
    Outcome.MERGED: "并单",
}

# One-key emergency transfers (条例 art.11(一); 国办发〔2022〕12号).
EMERGENCY_LINES: dict[str, str] = {
    "110": "公安报警",
    "119": "消防火警",
    "120": "医疗急救",
    "122": "交通事故",
}

# Proper channels named when a matter is not accepted (条例 art.11(二)(四)(五)(六)).
NOT_ACCEPTED_CHANNELS: dict[str, str] = {
    "petition": "信访渠道",
    "litigation": "诉讼",
    "arbitration": "仲裁",
    "discipline": "纪检监察",
    "reconsideration": "行政复议",
    "disclosure": "政府信息公开",
    "secret_privacy": "涉及国家秘密、商业秘密、个人隐私",
    "out_of_remit": "超出职责范围（市场或社会渠道）",
    "illegal": "违法违序诉求（劝导教育）",
}

# Urgency tiers (the deadline module defines how long each one is).
URGENCY_TIERS: tuple[str, ...] = ("emergency", "utility", "ordinary", "complex")
URGENCY_NAMES: dict[str, str] = {
    "emergency": "紧急（2小时）",
    "utility": "水电气热（24小时）",
    "ordinary": "一般（7天）",
    "complex": "疑难复杂（15天）",
}


@dataclass(frozen=True)
class Caller:
    name: str = ""
    phones: tuple[str, ...] = ()  # E.164 where valid, as typed otherwise
    confidential: bool = False  # 保密 (GB/T 33358: 个人信息保密)
    is_company: bool = False  # 企业诉求人


@dataclass(frozen=True)
class Place:
    address: str = ""
    district: str = ""
    district_code: str = ""
    township: str = ""
    township_code: str = ""
    community: str = ""
    lat: float | None = None
    lon: float | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class TicketEvent:
    """One entry of the append-only history."""

    at: datetime
    kind: str  # created, transition, field_change, note, unmask, ...
    actor_role: str
    actor_id: str
    from_status: str | None = None
    to_status: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TicketNumber:
    """Unique without asking the centre: date + seat + per-seat daily sequence."""

    day: date
    seat: str
    sequence: int

    def __str__(self) -> str:
        return f"{self.day:%Y%m%d}-{self.seat}-{self.sequence:04d}"

    @classmethod
    def parse(cls, text: str) -> TicketNumber:
        parts = text.split("-")
        if len(parts) < 3:
            raise ValueError(f"not a ticket number: {text!r}")
        day_text, seat, seq_text = parts[0], "-".join(parts[1:-1]), parts[-1]
        return cls(datetime.strptime(day_text, "%Y%m%d").date(), seat, int(seq_text))


@dataclass(frozen=True)
class Ticket:
    id: str
    number: str
    created_at: datetime
    seat: str
    operator_id: str
    channel: Channel = Channel.PHONE
    caller: Caller = field(default_factory=Caller)
    request_type: RequestType | None = None
    category_code: str = ""
    category_name: str = ""
    place: Place = field(default_factory=Place)
    urgency: str = "ordinary"
    main_unit: str = ""
    co_units: tuple[str, ...] = ()
    due_at: datetime | None = None
    description: str = ""
    notes: str = ""
    outcome: Outcome | None = None
    outcome_detail: str = ""
    kb_article_id: str = ""
    merged_into: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    status: Status = Status.INTAKE
    updated_at: datetime | None = None
    is_demo: bool = False
    events: tuple[TicketEvent, ...] = ()

    @staticmethod
    def new_id() -> str:
        return str(uuid.uuid4())

    def transition(
        self, target: Status, role: Role, actor_id: str, at: datetime, **data: Any
    ) -> Ticket:
        """Return the ticket moved to ``target``, with the event appended."""
        check_transition(self.status, target, role)
        event = TicketEvent(
            at=at,
            kind="transition",
            actor_role=role.value,
            actor_id=actor_id,
            from_status=self.status.value,
            to_status=target.value,
            data=dict(data),
        )
        return replace(self, status=target, updated_at=at, events=(*self.events, event))
