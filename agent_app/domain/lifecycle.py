"""The ticket lifecycle as an explicit transition table.

States, transitions and the actor allowed to make each one follow
``ticket_lifecycle.json`` (derived from 《北京市接诉即办工作条例》 2021, 国办发〔2022〕12号,
国办发〔2025〕66号 and GB/T 33358-2016).  Every transition names the clause it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from agent_app.domain.roles import Role, acts_as
from agent_app.errors import TransitionError


class Status(StrEnum):
    INTAKE = "INTAKE"  # 受理/记录
    ANSWERED = "ANSWERED"  # 直接答复办结
    TRANSFERRED_EMERGENCY = "TRANSFERRED_EMERGENCY"  # 转110/119/120/122
    NOT_ACCEPTED_INFORMED = "NOT_ACCEPTED_INFORMED"  # 告知法定途径
    MERGED_DUPLICATE = "MERGED_DUPLICATE"  # 重复诉求并单
    PRE_DISPATCH_CONSULT = "PRE_DISPATCH_CONSULT"  # 派单前会商
    DISPATCHED = "DISPATCHED"  # 已派单
    SIGNED = "SIGNED"  # 已签收
    DISPUTED = "DISPUTED"  # 派单异议
    DISPUTE_REVIEW = "DISPUTE_REVIEW"  # 异议审核
    CONTACTED = "CONTACTED"  # 已联系诉求人
    IN_PROGRESS = "IN_PROGRESS"  # 办理中
    COORDINATING = "COORDINATING"  # 协调
    EXTENSION_REQUESTED = "EXTENSION_REQUESTED"  # 申请延期
    REPLIED = "REPLIED"  # 已反馈
    REVISIT = "REVISIT"  # 回访
    CLOSED = "CLOSED"  # 办结
    REOPENED = "REOPENED"  # 重办/督办


TERMINAL: frozenset[Status] = frozenset(
    {
        Status.ANSWERED,
        Status.TRANSFERRED_EMERGENCY,
        Status.NOT_ACCEPTED_INFORMED,
        Status.CLOSED,
    }
)

# Chinese display names (the UI translates status codes through this table).
STATUS_NAMES: dict[Status, str] = {
    Status.INTAKE: "受理中",
    Status.ANSWERED: "直接答复办结",
    Status.TRANSFERRED_EMERGENCY: "已转紧急专线",
    Status.NOT_ACCEPTED_INFORMED: "不予受理已告知",
    Status.MERGED_DUPLICATE: "重复诉求并单",
    Status.PRE_DISPATCH_CONSULT: "派单前会商",
    Status.DISPATCHED: "已派单",
    Status.SIGNED: "已签收",
    Status.DISPUTED: "派单异议",
    Status.DISPUTE_REVIEW: "异议审核",
    Status.CONTACTED: "已联系诉求人",
    Status.IN_PROGRESS: "办理中",
    Status.COORDINATING: "协调办理",
    Status.EXTENSION_REQUESTED: "申请延期",
    Status.REPLIED: "已反馈",
    Status.REVISIT: "回访",
    Status.CLOSED: "已办结",
    Status.REOPENED: "重办/督办",
}


@dataclass(frozen=True)
class Transition:
    source: Status
    target: Status
    actors: frozenset[Role]
    reason: str
    basis: str


def _t(source: Status, target: Status, actors: set[Role], reason: str, basis: str) -> Transition:
    return Transition(source, target, frozenset(actors), reason, basis)


S = Status
OP, CENTER, HANDLER, AUTH = Role.OPERATOR, Role.CENTER, Role.HANDLER, Role.AUTHORITY

TRANSITIONS: tuple[Transition, ...] = (
    _t(S.INTAKE, S.ANSWERED, {OP}, "咨询且能即时答复", "条例 art.11 para1"),
    _t(S.INTAKE, S.TRANSFERRED_EMERGENCY, {OP}, "属110/119/120/122紧急事项", "条例 art.11(一)"),
    _t(
        S.INTAKE,
        S.NOT_ACCEPTED_INFORMED,
        {OP},
        "法定途径/信访/秘密隐私/超出职责/违法违序",
        "条例 art.11(二)(四)(五)(六)",
    ),
    _t(
        S.INTAKE,
        S.MERGED_DUPLICATE,
        {OP, CENTER},
        "在办或已办结且无新情况新理由",
        "条例 art.11(三); 国办发〔2025〕66号",
    ),
    _t(S.INTAKE, S.PRE_DISPATCH_CONSULT, {OP, CENTER}, "疑难复杂", "条例 art.12 para2"),
    _t(
        S.INTAKE,
        S.DISPATCHED,
        {OP, CENTER},
        "求助/投诉/举报/建议, 或不能即时答复的咨询",
        "条例 art.11-13",
    ),
    _t(S.PRE_DISPATCH_CONSULT, S.DISPATCHED, {CENTER}, "会商确定主办/协办", "条例 art.12 para2"),
    _t(S.DISPATCHED, S.SIGNED, {HANDLER}, "承办单位签收", "DB11/T 2021 draft"),
    _t(S.DISPATCHED, S.DISPUTED, {HANDLER}, "签收前对职责/管辖提出异议", "条例 art.12 para3"),
    _t(S.SIGNED, S.DISPUTED, {HANDLER}, "承办单位对职责/管辖有异议", "条例 art.12 para3"),
    _t(S.DISPUTED, S.DISPUTE_REVIEW, {CENTER}, "提交审核", "条例 art.12 para3"),
    _t(S.DISPUTE_REVIEW, S.DISPATCHED, {AUTH, CENTER}, "异议成立-改派", "条例 art.12 para3"),
    _t(S.DISPUTE_REVIEW, S.SIGNED, {AUTH, CENTER}, "异议不成立-原单位继续办理", "条例 art.14"),
    _t(S.SIGNED, S.CONTACTED, {HANDLER}, "联系诉求人", "条例 art.15(一)"),
    _t(S.CONTACTED, S.IN_PROGRESS, {HANDLER}, "开始办理", "条例 art.15(二)"),
    _t(S.IN_PROGRESS, S.COORDINATING, {HANDLER}, "涉及其他单位/需上级协调", "条例 art.14, 16, 20"),
    _t(S.COORDINATING, S.IN_PROGRESS, {HANDLER}, "协办单位报送结果", "条例 art.14"),
    _t(S.IN_PROGRESS, S.EXTENSION_REQUESTED, {HANDLER}, "确需依法延长", "条例 art.15(二)"),
    _t(S.EXTENSION_REQUESTED, S.IN_PROGRESS, {CENTER}, "延期生效", "inferred"),
    _t(S.IN_PROGRESS, S.REPLIED, {HANDLER}, "在时限内反馈", "条例 art.15(三)"),
    _t(S.REPLIED, S.REVISIT, {CENTER, Role.SYSTEM}, "办理时限期满", "条例 art.23"),
    _t(S.REVISIT, S.CLOSED, {CENTER}, "回访完成, 记录解决/满意评价", "条例 art.23, 32"),
    _t(S.REVISIT, S.REOPENED, {CENTER}, "未解决/不满意", "inferred (国办发〔2025〕66号)"),
    _t(S.REOPENED, S.DISPATCHED, {CENTER}, "重新派单或督办", "inferred"),
    _t(
        S.REOPENED,
        S.SIGNED,
        {HANDLER},
        "承办单位签收重办工单 (二次办理)",
        "inferred (国办发〔2025〕66号)",
    ),
    _t(S.MERGED_DUPLICATE, S.CLOSED, {OP, CENTER, Role.SYSTEM}, "并入既有工单", "条例 art.11(三)"),
)

# Transitions this app adds to ``ticket_lifecycle.json`` (the reference has no handler step for
# either): an objection raised on receipt, before signing, and a unit signing for a ticket a
# callback reopened (二次办理).  ``tests/unit/test_lifecycle.py`` pins this list.
BEYOND_REFERENCE: frozenset[tuple[Status, Status]] = frozenset(
    {(S.DISPATCHED, S.DISPUTED), (S.REOPENED, S.SIGNED)}
)

_BY_EDGE: dict[tuple[Status, Status], Transition] = {(t.source, t.target): t for t in TRANSITIONS}


def find_transition(source: Status, target: Status) -> Transition | None:
    return _BY_EDGE.get((source, target))


def allowed_targets(source: Status, role: Role) -> list[Status]:
    """The states a person in ``role`` may move a ticket in ``source`` to."""
    roles = acts_as(role)
    return [t.target for t in TRANSITIONS if t.source == source and t.actors & roles]


def check_transition(source: Status, target: Status, role: Role) -> Transition:
    """Return the transition, or raise :class:`TransitionError` with a code and a reason."""
    transition = find_transition(source, target)
    if transition is None:
        raise TransitionError(
            "not_allowed",
            f"A ticket cannot go from {source.value} to {target.value}.",
        )
    if not transition.actors & acts_as(role):
        raise TransitionError(
            "wrong_role",
            f"The {role.value} role may not move a ticket from {source.value} to {target.value}.",
        )
    return transition


# What a handling unit does through the centre ------------------------------------------------


class UnitAction(StrEnum):
    """The actions of a handling unit (承办单位) on a ticket dispatched to it."""

    SIGN = "sign"  # 签收
    CONTACT = "contact"  # 联系诉求人
    NOTE = "note"  # 办理进展
    EXTEND = "extend"  # 申请延期
    OBJECT = "object"  # 派单异议
    REPLY = "reply"  # 办结反馈


_HANDLING = (S.CONTACTED, S.IN_PROGRESS, S.COORDINATING, S.EXTENSION_REQUESTED)

# action -> {status the ticket is in: the statuses it passes through, in order}.  An empty
# path records the action as an event without a status change.  Starting work (CONTACTED ->
# IN_PROGRESS, 开始办理) is implied by a reply or an extension request; contacting the caller
# never is (条例 art.15(一)): a signed ticket must be contacted before it is replied to.
UNIT_ACTION_PATHS: dict[UnitAction, dict[Status, tuple[Status, ...]]] = {
    UnitAction.SIGN: {S.DISPATCHED: (S.SIGNED,), S.REOPENED: (S.SIGNED,)},
    UnitAction.CONTACT: {S.SIGNED: (S.CONTACTED,), **{s: () for s in _HANDLING}},
    UnitAction.NOTE: {S.SIGNED: (), S.DISPUTED: (), **{s: () for s in _HANDLING}},
    UnitAction.EXTEND: {
        S.CONTACTED: (S.IN_PROGRESS, S.EXTENSION_REQUESTED),
        S.IN_PROGRESS: (S.EXTENSION_REQUESTED,),
    },
    UnitAction.OBJECT: {S.DISPATCHED: (S.DISPUTED,), S.SIGNED: (S.DISPUTED,)},
    UnitAction.REPLY: {
        S.CONTACTED: (S.IN_PROGRESS, S.REPLIED),
        S.IN_PROGRESS: (S.REPLIED,),
    },
}

# 派单异议 reasons and 办结反馈 results, as the centre checks them.
OBJECTION_REASONS: tuple[str, ...] = (
    "not_ours",
    "wrong_place",
    "duplicate",
    "not_actionable",
    "other",
)
REPLY_RESULTS: tuple[str, ...] = ("resolved", "partly", "unresolved")
EXTENSION_MAX_DAYS = 30  # working days one request may ask for
UNIT_TEXT_MAX = 2000  # a note, reply or explanation, in code points


def unit_action_rows() -> list[tuple[str, str, list[str]]]:
    """(action, source status, path) rows for the centre's ``unit_action_paths`` table."""
    return sorted(
        (action.value, source.value, [s.value for s in path])
        for action, by_source in UNIT_ACTION_PATHS.items()
        for source, path in by_source.items()
    )
