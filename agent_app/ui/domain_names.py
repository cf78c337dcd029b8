"""The domain's Chinese name tables, translated where the UI shows them.

``agent_app.domain`` names channels, request types, urgency tiers, outcomes, statuses,
emergency lines and not-accepted channels in Chinese (it cannot use Qt).  The UI shows those
names through :func:`name` (or the typed helpers below), which looks the Chinese text up in the
``DomainNames`` context; every value of the domain tables is listed here as a
``QT_TRANSLATE_NOOP`` literal so that lupdate extracts it (tests/gui/test_i18n.py checks that
the list is complete).  A text that is not listed is shown as it is.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from agent_app.domain.deadlines import LimitUnit, TimeLimit
from agent_app.domain.intake import AnswerProblem, Problem, ProblemCode
from agent_app.domain.lifecycle import STATUS_NAMES, Status
from agent_app.domain.roles import Role
from agent_app.domain.ticket import (
    CHANNEL_NAMES,
    EMERGENCY_LINES,
    NOT_ACCEPTED_CHANNELS,
    OUTCOME_NAMES,
    REQUEST_TYPE_NAMES,
    URGENCY_NAMES,
    Channel,
    Outcome,
    RequestType,
)

CONTEXT = "DomainNames"

LITERALS: tuple[object, ...] = (
    # CHANNEL_NAMES
    QT_TRANSLATE_NOOP("DomainNames", "电话"),
    QT_TRANSLATE_NOOP("DomainNames", "网络平台"),
    QT_TRANSLATE_NOOP("DomainNames", "微信"),
    QT_TRANSLATE_NOOP("DomainNames", "App"),
    QT_TRANSLATE_NOOP("DomainNames", "短信"),
    QT_TRANSLATE_NOOP("DomainNames", "信件"),
    # REQUEST_TYPE_NAMES
    QT_TRANSLATE_NOOP("DomainNames", "咨询"),
    QT_TRANSLATE_NOOP("DomainNames", "求助"),
    QT_TRANSLATE_NOOP("DomainNames", "投诉"),
    QT_TRANSLATE_NOOP("DomainNames", "举报"),
    QT_TRANSLATE_NOOP("DomainNames", "建议"),
    # OUTCOME_NAMES
    QT_TRANSLATE_NOOP("DomainNames", "直接答复"),
    QT_TRANSLATE_NOOP("DomainNames", "派单"),
    QT_TRANSLATE_NOOP("DomainNames", "转紧急专线"),
    QT_TRANSLATE_NOOP("DomainNames", "不予受理"),
    QT_TRANSLATE_NOOP("DomainNames", "并单"),
    # EMERGENCY_LINES
    QT_TRANSLATE_NOOP("DomainNames", "公安报警"),
    QT_TRANSLATE_NOOP("DomainNames", "消防火警"),
    QT_TRANSLATE_NOOP("DomainNames", "医疗急救"),
    QT_TRANSLATE_NOOP("DomainNames", "交通事故"),
    # NOT_ACCEPTED_CHANNELS
    QT_TRANSLATE_NOOP("DomainNames", "信访渠道"),
    QT_TRANSLATE_NOOP("DomainNames", "诉讼"),
    QT_TRANSLATE_NOOP("DomainNames", "仲裁"),
    QT_TRANSLATE_NOOP("DomainNames", "纪检监察"),
    QT_TRANSLATE_NOOP("DomainNames", "行政复议"),
    QT_TRANSLATE_NOOP("DomainNames", "政府信息公开"),
    QT_TRANSLATE_NOOP("DomainNames", "涉及国家秘密、商业秘密、个人隐私"),
    QT_TRANSLATE_NOOP("DomainNames", "超出职责范围（市场或社会渠道）"),
    QT_TRANSLATE_NOOP("DomainNames", "违法违序诉求（劝导教育）"),
    # URGENCY_NAMES
    QT_TRANSLATE_NOOP("DomainNames", "紧急（2小时）"),
    QT_TRANSLATE_NOOP("DomainNames", "水电气热（24小时）"),
    QT_TRANSLATE_NOOP("DomainNames", "一般（7天）"),
    QT_TRANSLATE_NOOP("DomainNames", "疑难复杂（15天）"),
    # STATUS_NAMES
    QT_TRANSLATE_NOOP("DomainNames", "受理中"),
    QT_TRANSLATE_NOOP("DomainNames", "直接答复办结"),
    QT_TRANSLATE_NOOP("DomainNames", "已转紧急专线"),
    QT_TRANSLATE_NOOP("DomainNames", "不予受理已告知"),
    QT_TRANSLATE_NOOP("DomainNames", "重复诉求并单"),
    QT_TRANSLATE_NOOP("DomainNames", "派单前会商"),
    QT_TRANSLATE_NOOP("DomainNames", "已派单"),
    QT_TRANSLATE_NOOP("DomainNames", "已签收"),
    QT_TRANSLATE_NOOP("DomainNames", "派单异议"),
    QT_TRANSLATE_NOOP("DomainNames", "异议审核"),
    QT_TRANSLATE_NOOP("DomainNames", "已联系诉求人"),
    QT_TRANSLATE_NOOP("DomainNames", "办理中"),
    QT_TRANSLATE_NOOP("DomainNames", "协调办理"),
    QT_TRANSLATE_NOOP("DomainNames", "申请延期"),
    QT_TRANSLATE_NOOP("DomainNames", "已反馈"),
    QT_TRANSLATE_NOOP("DomainNames", "回访"),
    QT_TRANSLATE_NOOP("DomainNames", "已办结"),
    QT_TRANSLATE_NOOP("DomainNames", "重办/督办"),
    # desk roles (agent_app.domain.roles has codes only)
    QT_TRANSLATE_NOOP("DomainNames", "话务员"),
    QT_TRANSLATE_NOOP("DomainNames", "班长"),
    QT_TRANSLATE_NOOP("DomainNames", "培训师"),
)

ROLE_NAMES: dict[Role, str] = {Role.OPERATOR: "话务员", Role.LEAD: "班长", Role.TRAINER: "培训师"}


def name(text: str) -> str:
    """``text`` (a Chinese name from a domain table) in the UI's language."""
    return QCoreApplication.translate(CONTEXT, text) if text else text


def channel(value: Channel) -> str:
    return name(CHANNEL_NAMES[value])


def request_type(value: RequestType | str) -> str:
    try:
        return name(REQUEST_TYPE_NAMES[RequestType(value)])
    except ValueError:
        return str(value)


def urgency(tier: str) -> str:
    return name(URGENCY_NAMES.get(tier, tier))


def outcome(value: Outcome) -> str:
    return name(OUTCOME_NAMES[value])


def status(value: Status | str) -> str:
    try:
        return name(STATUS_NAMES[Status(value)])
    except ValueError:
        return str(value)


def emergency_line(line: str) -> str:
    """110 → 公安报警 (""  for an unknown line)."""
    return name(EMERGENCY_LINES.get(line, ""))


def not_accepted_channel(code: str) -> str:
    return name(NOT_ACCEPTED_CHANNELS.get(code, code))


def role(value: Role) -> str:
    return name(ROLE_NAMES.get(value, value.value))


def limit_label(limit: TimeLimit) -> str:
    """``TimeLimit.label()`` in the UI's language: 2小时 → 2 hours, 5个工作日 → 5 working days."""
    amount = int(limit.amount) if limit.amount == int(limit.amount) else limit.amount
    if limit.unit is LimitUnit.HOURS:
        text = QCoreApplication.translate("DomainNames", "{0}小时")
    elif limit.unit is LimitUnit.CALENDAR_DAYS:
        text = QCoreApplication.translate("DomainNames", "{0}天")
    else:
        text = QCoreApplication.translate("DomainNames", "{0}个工作日")
    return text.format(amount)


# Validation problems (agent_app.domain.intake.validate, phone_problem) are codes with
# parameters; :func:`problem` turns them into a sentence.  {max}, {min}: a length limit;
# {label}: the extra question (a catalogue label, shown as it is); {what}: the answer's problem.
PROBLEM_TEXTS: dict[ProblemCode, object] = {
    ProblemCode.PHONE_NOT_A_NUMBER: QT_TRANSLATE_NOOP(
        "Validation", "电话号码只能包含数字，如 13812345678 或 010-65123456"
    ),
    ProblemCode.PHONE_INVALID: QT_TRANSLATE_NOOP(
        "Validation", "电话号码位数或号段不对，请核对（手机11位，固话带区号）"
    ),
    ProblemCode.NAME_TOO_LONG: QT_TRANSLATE_NOOP("Validation", "姓名不能超过{max}个字"),
    ProblemCode.ADDRESS_TOO_LONG: QT_TRANSLATE_NOOP("Validation", "地址不能超过{max}个字"),
    ProblemCode.DESCRIPTION_TOO_LONG: QT_TRANSLATE_NOOP("Validation", "诉求内容不能超过{max}个字"),
    ProblemCode.NOTES_TOO_LONG: QT_TRANSLATE_NOOP("Validation", "备注不能超过{max}个字"),
    ProblemCode.PHONE_REQUIRED: QT_TRANSLATE_NOOP(
        "Validation", "派单需要来电号码，承办单位要联系来电人"
    ),
    ProblemCode.REQUEST_TYPE_REQUIRED: QT_TRANSLATE_NOOP(
        "Validation", "请选择诉求类型（Alt+数字可采纳建议）"
    ),
    ProblemCode.CATEGORY_REQUIRED: QT_TRANSLATE_NOOP(
        "Validation", "请选择诉求分类（输入名称或拼音首字母后回车）"
    ),
    ProblemCode.ADDRESS_REQUIRED: QT_TRANSLATE_NOOP("Validation", "请填写事发地址"),
    ProblemCode.ADDRESS_UNRESOLVED: QT_TRANSLATE_NOOP(
        "Validation", "地址未能确定到区，请补充区或街道名称"
    ),
    ProblemCode.DESCRIPTION_TOO_SHORT: QT_TRANSLATE_NOOP("Validation", "诉求内容至少{min}个字"),
    ProblemCode.MAIN_UNIT_REQUIRED: QT_TRANSLATE_NOOP("Validation", "请确定主办单位"),
    ProblemCode.ANSWER_REQUIRED: QT_TRANSLATE_NOOP("Validation", "补充信息「{label}」：必填"),
    ProblemCode.ANSWER_INVALID: QT_TRANSLATE_NOOP("Validation", "补充信息「{label}」：{what}"),
    ProblemCode.REPLY_REQUIRED: QT_TRANSLATE_NOOP(
        "Validation", "请记录答复内容（从知识库采纳或写入备注）"
    ),
    ProblemCode.MERGE_TARGET_REQUIRED: QT_TRANSLATE_NOOP(
        "Validation", "请在来电历史或相关工单中选中要并入的工单"
    ),
}
# the {what} of 补充信息「{label}」：{what}
ANSWER_PROBLEM_TEXTS: dict[AnswerProblem, object] = {
    AnswerProblem.NOT_A_NUMBER: QT_TRANSLATE_NOOP("Validation", "请填数字"),
    AnswerProblem.TOO_SMALL: QT_TRANSLATE_NOOP("Validation", "数值过小"),
    AnswerProblem.TOO_LARGE: QT_TRANSLATE_NOOP("Validation", "数值过大"),
    AnswerProblem.NOT_A_DATETIME: QT_TRANSLATE_NOOP(
        "Validation", "请填日期时间，如 2026-01-05T08:00"
    ),
    AnswerProblem.NOT_ONE_OPTION: QT_TRANSLATE_NOOP("Validation", "请选择一项"),
    AnswerProblem.UNKNOWN_OPTION: QT_TRANSLATE_NOOP("Validation", "请从选项中选择"),
    AnswerProblem.NOT_TEXT: QT_TRANSLATE_NOOP("Validation", "请填文字"),
    AnswerProblem.LINE_BREAK: QT_TRANSLATE_NOOP("Validation", "请写在一行内"),
}


def _validation(text: object) -> str:
    return QCoreApplication.translate("Validation", str(text))


def answer_problem(code: str) -> str:
    """An extra-question answer's problem (:class:`AnswerProblem`) in the UI's language; an
    unknown code is shown as it is."""
    try:
        return _validation(ANSWER_PROBLEM_TEXTS[AnswerProblem(code)])
    except ValueError:
        return code


def problem(p: Problem) -> str:
    """A validation problem (:mod:`agent_app.domain.intake`) as a sentence in the UI's
    language."""
    args = p.args()
    if p.code is ProblemCode.ANSWER_INVALID:
        args["what"] = answer_problem(str(p.param("answer", "")))
    return _validation(PROBLEM_TEXTS[p.code]).format(**args)
