"""The centre's reasons for refusing a change (未送达), in words an operator acts on.

A refused change carries a reason code (``docs/sync.md``: the payload rules'
``<problem>:<field>``, ``number_taken``, ``transition_not_allowed:A>B``, a transcript's
``ticket_unknown`` ...) or, for a repeat call on a ticket held elsewhere, the centre's one
line (``ticket is CLOSED: no unit works on it now``).  :func:`reason_text` turns each into a
sentence in the UI's language (context ``Undelivered``); a reason it does not know is shown
as the centre gave it.  Loaded with the undelivered dialog, on first use.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from agent_app.ui import domain_names

CONTEXT = "Undelivered"


def tr(text: object) -> str:
    """A string marked with QT_TRANSLATE_NOOP("Undelivered", …), translated."""
    return QCoreApplication.translate(CONTEXT, str(text))


# What a change is (services.undelivered kinds).
KIND_NAMES: dict[str, object] = {
    "ticket": QT_TRANSLATE_NOOP("Undelivered", "工单"),
    "progress_call": QT_TRANSLATE_NOOP("Undelivered", "告知进展"),
    "supplement": QT_TRANSLATE_NOOP("Undelivered", "来电补充"),
    "chase": QT_TRANSLATE_NOOP("Undelivered", "催办"),
    "follow_up": QT_TRANSLATE_NOOP("Undelivered", "重复来电"),
    "transcript": QT_TRANSLATE_NOOP("Undelivered", "通话记录"),
}

# The fields the payload rules name (domain.validation.RULES), as the form calls them.
FIELD_NAMES: dict[str, object] = {
    "id": QT_TRANSLATE_NOOP("Undelivered", "工单标识"),
    "seat": QT_TRANSLATE_NOOP("Undelivered", "席位号"),
    "number": QT_TRANSLATE_NOOP("Undelivered", "工单编号"),
    "operator_id": QT_TRANSLATE_NOOP("Undelivered", "受理工号"),
    "created_at": QT_TRANSLATE_NOOP("Undelivered", "受理时间"),
    "updated_at": QT_TRANSLATE_NOOP("Undelivered", "修改时间"),
    "channel": QT_TRANSLATE_NOOP("Undelivered", "来电渠道"),
    "caller": QT_TRANSLATE_NOOP("Undelivered", "来电人"),
    "caller.name": QT_TRANSLATE_NOOP("Undelivered", "来电人姓名"),
    "caller.phones": QT_TRANSLATE_NOOP("Undelivered", "来电号码"),
    "caller.confidential": QT_TRANSLATE_NOOP("Undelivered", "保密来电"),
    "caller.is_company": QT_TRANSLATE_NOOP("Undelivered", "来电单位"),
    "request_type": QT_TRANSLATE_NOOP("Undelivered", "诉求类型"),
    "category_code": QT_TRANSLATE_NOOP("Undelivered", "诉求分类"),
    "category_name": QT_TRANSLATE_NOOP("Undelivered", "诉求分类"),
    "place": QT_TRANSLATE_NOOP("Undelivered", "事发地点"),
    "place.address": QT_TRANSLATE_NOOP("Undelivered", "事发地址"),
    "place.district": QT_TRANSLATE_NOOP("Undelivered", "所在区"),
    "place.district_code": QT_TRANSLATE_NOOP("Undelivered", "所在区"),
    "place.township": QT_TRANSLATE_NOOP("Undelivered", "街道乡镇"),
    "place.township_code": QT_TRANSLATE_NOOP("Undelivered", "街道乡镇"),
    "place.community": QT_TRANSLATE_NOOP("Undelivered", "社区"),
    "place.lat": QT_TRANSLATE_NOOP("Undelivered", "地图位置"),
    "place.lon": QT_TRANSLATE_NOOP("Undelivered", "地图位置"),
    "place.confidence": QT_TRANSLATE_NOOP("Undelivered", "定位可信度"),
    "urgency": QT_TRANSLATE_NOOP("Undelivered", "紧急程度"),
    "main_unit": QT_TRANSLATE_NOOP("Undelivered", "主办单位"),
    "co_units": QT_TRANSLATE_NOOP("Undelivered", "协办单位"),
    "due_at": QT_TRANSLATE_NOOP("Undelivered", "办理时限"),
    "description": QT_TRANSLATE_NOOP("Undelivered", "诉求内容"),
    "notes": QT_TRANSLATE_NOOP("Undelivered", "备注"),
    "outcome": QT_TRANSLATE_NOOP("Undelivered", "处理方式"),
    "outcome_detail": QT_TRANSLATE_NOOP("Undelivered", "处理说明"),
    "kb_article_id": QT_TRANSLATE_NOOP("Undelivered", "知识库条目"),
    "merged_into": QT_TRANSLATE_NOOP("Undelivered", "并入的工单"),
    "extra": QT_TRANSLATE_NOOP("Undelivered", "补充信息"),
    "status": QT_TRANSLATE_NOOP("Undelivered", "工单状态"),
    "is_demo": QT_TRANSLATE_NOOP("Undelivered", "演示标记"),
    "events": QT_TRANSLATE_NOOP("Undelivered", "办理记录"),
    "events.at": QT_TRANSLATE_NOOP("Undelivered", "办理记录的时间"),
    "events.kind": QT_TRANSLATE_NOOP("Undelivered", "办理记录的类型"),
    "events.actor_role": QT_TRANSLATE_NOOP("Undelivered", "办理记录的角色"),
    "events.actor_id": QT_TRANSLATE_NOOP("Undelivered", "办理记录的工号"),
    "events.from_status": QT_TRANSLATE_NOOP("Undelivered", "办理记录的原状态"),
    "events.to_status": QT_TRANSLATE_NOOP("Undelivered", "办理记录的新状态"),
    "events.data": QT_TRANSLATE_NOOP("Undelivered", "办理记录的内容"),
    "events.seq": QT_TRANSLATE_NOOP("Undelivered", "办理记录的序号"),
    "transcript": QT_TRANSLATE_NOOP("Undelivered", "通话记录"),
}

# <problem>:<field>: {field} is the field's name.
PROBLEM_TEXTS: dict[str, object] = {
    "type": QT_TRANSLATE_NOOP("Undelivered", "“{field}”的格式不对"),
    "missing": QT_TRANSLATE_NOOP("Undelivered", "缺少“{field}”"),
    "too_long": QT_TRANSLATE_NOOP("Undelivered", "“{field}”太长，请删减"),
    "not_nfc": QT_TRANSLATE_NOOP("Undelivered", "“{field}”含有未规范的字符，请重新输入"),
    "control_char": QT_TRANSLATE_NOOP("Undelivered", "“{field}”含有看不见的控制字符，请重新输入"),
    "invalid": QT_TRANSLATE_NOOP("Undelivered", "“{field}”的取值中心不接受"),
    "bad_date": QT_TRANSLATE_NOOP("Undelivered", "“{field}”不是有效的时间"),
    "future_date": QT_TRANSLATE_NOOP(
        "Undelivered", "“{field}”晚于中心的当前时间：请检查本机的日期和时钟"
    ),
    "too_many": QT_TRANSLATE_NOOP("Undelivered", "“{field}”的条目太多"),
    "empty": QT_TRANSLATE_NOOP("Undelivered", "“{field}”是空的"),
    "too_large": QT_TRANSLATE_NOOP("Undelivered", "“{field}”内容太多"),
    "not_monotonic": QT_TRANSLATE_NOOP("Undelivered", "“{field}”的时间顺序不对"),
    "immutable_changed": QT_TRANSLATE_NOOP(
        "Undelivered", "中心已登记的“{field}”不能再修改，请改回原来的值"
    ),
}

# Whole codes.
CODE_TEXTS: dict[str, object] = {
    "number_taken": QT_TRANSLATE_NOOP(
        "Undelivered", "工单编号与中心已有的工单重复（编号冲突）：请重新编号"
    ),
    "number_not_yours": QT_TRANSLATE_NOOP(
        "Undelivered", "工单编号不属于本席位（编号冲突）：请重新编号"
    ),
    "seat_mismatch": QT_TRANSLATE_NOOP(
        "Undelivered", "工单的席位号与本席位不符（席位号已更改）：请重新编号"
    ),
    "operator_mismatch": QT_TRANSLATE_NOOP(
        "Undelivered", "工单的受理工号与登录中心的工号不同：请联系班长或管理员"
    ),
    "actor_mismatch": QT_TRANSLATE_NOOP(
        "Undelivered", "办理记录的经办工号与登录中心的工号不同：请联系班长或管理员"
    ),
    "role_may_not_create": QT_TRANSLATE_NOOP("Undelivered", "当前登录中心的账号不能新建工单"),
    "role_may_not_change_ticket": QT_TRANSLATE_NOOP(
        "Undelivered", "当前登录中心的账号不能修改这张工单"
    ),
    "status_without_transition": QT_TRANSLATE_NOOP(
        "Undelivered", "工单状态变了，却没有对应的办理记录"
    ),
    "earlier_change_rejected": QT_TRANSLATE_NOOP(
        "Undelivered", "这张工单更早的一次修改被中心拒收，本次修改随之退回"
    ),
    "id_mismatch": QT_TRANSLATE_NOOP("Undelivered", "工单标识与待发送的内容不一致"),
    "corrupt_payload": QT_TRANSLATE_NOOP(
        "Undelivered", "本机待发送的内容已损坏：重新发送会以工单当前的内容代替"
    ),
    "unknown_operation": QT_TRANSLATE_NOOP("Undelivered", "本机待发送的内容类型未知"),
    "ticket_unknown": QT_TRANSLATE_NOOP(
        "Undelivered", "中心还没有这张工单：工单送达后再重新发送通话记录"
    ),
    "ticket_not_yours": QT_TRANSLATE_NOOP("Undelivered", "这张工单不是本席位、本工号受理的"),
    "call_not_yours": QT_TRANSLATE_NOOP("Undelivered", "中心没有本工号的这次来电记录"),
    "ticket_closed": QT_TRANSLATE_NOOP("Undelivered", "工单已办结，没有承办单位在办理"),
    "rejected": QT_TRANSLATE_NOOP("Undelivered", "中心拒收，未说明原因"),
    "refused": QT_TRANSLATE_NOOP("Undelivered", "中心拒收，未说明原因"),
}

# Who acts in an event (``actor_role``).
ACTOR_ROLES: dict[str, object] = {
    "operator": QT_TRANSLATE_NOOP("Undelivered", "话务员"),
    "lead": QT_TRANSLATE_NOOP("Undelivered", "班长"),
    "handler": QT_TRANSLATE_NOOP("Undelivered", "承办单位"),
    "center": QT_TRANSLATE_NOOP("Undelivered", "中心"),
}

ACTOR_ROLE_FORBIDDEN = QT_TRANSLATE_NOOP(
    "Undelivered", "办理记录的角色“{role}”不是登录中心的账号可用的角色"
)
TRANSITION_NOT_ALLOWED = QT_TRANSLATE_NOOP(
    "Undelivered", "工单状态不能从“{source}”直接变为“{target}”"
)
UNKNOWN_REASON = QT_TRANSLATE_NOOP("Undelivered", "中心拒收：{reason}")

# central.follow_up answers in one English line (a repeat call on a ticket held elsewhere).
_FOLLOW_UP_LINES: tuple[tuple[re.Pattern[str], object], ...] = (
    (
        re.compile(r"ticket is (?P<status>\w+): no unit works on it now"),
        QT_TRANSLATE_NOOP("Undelivered", "工单已是“{status}”，没有承办单位在办理"),
    ),
    (
        re.compile(r"no ticket (?P<number>\S*) at the centre"),
        QT_TRANSLATE_NOOP("Undelivered", "中心没有工单 {number}"),
    ),
    (
        re.compile(r"merged into (?P<number>\S+): record it there"),
        QT_TRANSLATE_NOOP("Undelivered", "工单已并入 {number}：请在那张工单上记录"),
    ),
    (
        re.compile(r"no handling unit: a (?P<kind>\w+) cannot reach one"),
        QT_TRANSLATE_NOOP("Undelivered", "工单还没有承办单位，{kind}送不到单位"),
    ),
    (
        re.compile(r"the text has control characters"),
        QT_TRANSLATE_NOOP("Undelivered", "内容含有看不见的控制字符"),
    ),
    (
        re.compile(r"the text is not NFC-normalised"),
        QT_TRANSLATE_NOOP("Undelivered", "内容含有未规范的字符"),
    ),
    (
        re.compile(r"a (?P<kind>\w+) needs a text"),
        QT_TRANSLATE_NOOP("Undelivered", "{kind}需要填写内容"),
    ),
    (
        re.compile(r"text too long \(at most (?P<max>\d+) characters\)"),
        QT_TRANSLATE_NOOP("Undelivered", "内容太长（最多 {max} 个字）"),
    ),
    (
        re.compile(r"unknown follow-up kind.*"),
        QT_TRANSLATE_NOOP("Undelivered", "中心不认识这种重复来电"),
    ),
)


def kind_name(kind: str) -> str:
    """工单, 告知进展, 补充, 催办, 通话记录 ... (an unknown kind as it is)."""
    text = KIND_NAMES.get(kind)
    return tr(text) if text is not None else kind


def field_name(field: str) -> str:
    text = FIELD_NAMES.get(field)
    return tr(text) if text is not None else field


def _status(code: str) -> str:
    name = domain_names.status(code)
    return name if name else code


def _actor_role(code: str) -> str:
    text = ACTOR_ROLES.get(code)
    return tr(text) if text is not None else code


def reason_text(reason: str) -> str:
    """The centre's (or the seat's) reason code as a sentence in the UI's language."""
    reason = (reason or "").strip()
    if not reason:
        return tr(CODE_TEXTS["refused"])
    if reason in CODE_TEXTS:
        return tr(CODE_TEXTS[reason])
    head, sep, rest = reason.partition(":")
    if sep and head in PROBLEM_TEXTS:
        return tr(PROBLEM_TEXTS[head]).format(field=field_name(rest))
    if sep and head == "actor_role_forbidden":
        return tr(ACTOR_ROLE_FORBIDDEN).format(role=_actor_role(rest))
    if sep and head == "transition_not_allowed":
        source, _gt, target = rest.partition(">")
        return tr(TRANSITION_NOT_ALLOWED).format(source=_status(source), target=_status(target))
    for pattern, text in _FOLLOW_UP_LINES:
        match = pattern.fullmatch(reason)
        if match:
            values = dict(match.groupdict())
            if "status" in values:
                values["status"] = _status(values["status"])
            if "kind" in values:
                values["kind"] = kind_name(values["kind"])
            return tr(text).format(**values)
    return tr(UNKNOWN_REASON).format(reason=reason)
