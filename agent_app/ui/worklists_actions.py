"""The lead's rulings and the callbacks, run from the window through the task runner.

:class:`FollowupActions` is the one place the window's worklists and the ticket detail act
after dispatch: it calls :mod:`agent_app.services.followup` (the same functions as
``agent-app lead dispute|extension`` and ``agent-app callback record``: the ticket's new
lifecycle events and one outbox row in one write; sync delivers them) as mutations, reads the
re-dispatch proposal and the extension's new due time as queries, and reveals a caller's
number for a callback only after the reveal was written to the audit log.

A demo or training window has no central login: it acts as the window's operator id and role
(its data never syncs).  A real seat acts as its central login, as the commands do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from agent_app.domain import timeutil
from agent_app.domain.lifecycle import Status, allowed_targets
from agent_app.domain.phones import display_number
from agent_app.domain.roles import Role
from agent_app.errors import KnownError
from agent_app.workers.tasks import Change, TaskRunner

if TYPE_CHECKING:
    from agent_app.domain.ticket import Ticket
    from agent_app.services.catalogue import Catalogue
    from agent_app.services.worklists import UnitChoices
    from agent_app.services.workstation import Workstation

log = logging.getLogger("agent_app.ui")

# The steps the window can take, by (from, to) in the lifecycle table.
RULE_DISPUTE = (Status.DISPUTED, Status.DISPUTE_REVIEW)
RULE_EXTENSION = (Status.EXTENSION_REQUESTED, Status.IN_PROGRESS)
RECORD_CALLBACK = (Status.REPLIED, Status.REVISIT)
REDISPATCH = (Status.REOPENED, Status.DISPATCHED)
PANELS: dict[tuple[Status, Status], str] = {
    RULE_DISPUTE: "dispute",
    RULE_EXTENSION: "extension",
    RECORD_CALLBACK: "callback",
    REDISPATCH: "redispatch",
}


def tr(text: str) -> str:
    return QCoreApplication.translate("Worklists", text)


def one_line(error: BaseException) -> str:
    """What the user reads when an action fails: a known error's line, else its kind."""
    if isinstance(error, KnownError):
        return str(error).splitlines()[0] if str(error) else type(error).__name__
    log.warning("follow-up action failed: %s", type(error).__name__)
    return QCoreApplication.translate("Worklists", "操作未完成（{0}），详见日志").format(
        type(error).__name__
    )


def reveal_failed_text(error: BaseException) -> str:
    """Why a caller's number was not shown, in one line: a confidential caller held at the
    centre only (offline, or refused there), or the audit row that could not be stored."""
    from agent_app.services.confidential import RevealOffline, RevealRefused  # noqa: PLC0415

    if isinstance(error, RevealOffline):
        return QCoreApplication.translate(
            "Worklists",
            "号码未显示：保密来电人的号码只保存在中心，离线时不能显示。"
            "请恢复与中心的连接后再点“显示号码”，或稍后再回访",
        )
    if isinstance(error, RevealRefused):
        return QCoreApplication.translate(
            "Worklists", "号码未显示：中心不允许显示这位保密来电人的号码（{0}）"
        ).format(one_line(error))
    return QCoreApplication.translate("Worklists", "号码未显示：审计日志写入失败（{0}）").format(
        one_line(error)
    )


def due_text(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    return f"{moment.astimezone(timeutil.SHANGHAI):%Y-%m-%d %H:%M}"


class FollowupActions(QObject):
    """Signals:
    acted(str, str): the ticket (id) changed; a one-line account of what was done.
    failed(str, str): the action on the ticket (id) was refused or failed; one line why.
    """

    acted = Signal(str, str)
    failed = Signal(str, str)

    def __init__(
        self,
        runner: TaskRunner,
        workstation: Workstation,
        role: Role,
        *,
        catalogue: Callable[[], Catalogue | None] = lambda: None,
        parent: QObject | None = None,
    ) -> None:
        """``catalogue``: the window's loaded catalogue, if any (else it is loaded once, in a
        worker, when a proposal is first asked for)."""
        super().__init__(parent)
        self.runner = runner
        self.workstation = workstation
        self.role = role
        self.central = ""  # the centre's URL (set_centre); "" in demo mode or without one
        self._catalogue = catalogue
        self._own_catalogue: Catalogue | None = None

    # What the role may do ------------------------------------------------------------------

    def may(self, step: tuple[Status, Status]) -> bool:
        """Whether the lifecycle lets this role take ``step``."""
        return step[1] in allowed_targets(step[0], self.role)

    @property
    def rules(self) -> bool:
        """The role rules on objections and extension requests (the lead's worklist)."""
        return self.may(RULE_DISPUTE) or self.may(RULE_EXTENSION)

    @property
    def calls_back(self) -> bool:
        """The role records callbacks (the callback worklist)."""
        return self.may(RECORD_CALLBACK)

    def _actor(self) -> tuple[str, Role] | None:
        ws = self.workstation
        return (ws.operator_id, self.role) if ws.paths.is_demo else None

    # Mutations -----------------------------------------------------------------------------

    def _run(
        self, ticket_id: str, op: Callable[[], Ticket], message: Callable[[Ticket], str]
    ) -> None:
        self.runner.run_mutation(
            op,
            lambda t: self.acted.emit(ticket_id, message(t)),
            lambda error: self.failed.emit(ticket_id, one_line(error)),
            change=Change.TICKETS,
            owner=self,
        )

    def rule_dispute(
        self, ticket_id: str, number: str, *, uphold: bool, to_unit: str = "", reason: str = ""
    ) -> None:
        """Objection upheld → re-dispatched (改派) to ``to_unit``; rejected → the unit keeps it."""
        from agent_app.services import followup  # noqa: PLC0415 - the ORM, on first use

        ws, actor = self.workstation, self._actor()

        def op() -> Ticket:
            return followup.rule_dispute(
                ws.db, ws.paths, number, uphold=uphold, to_unit=to_unit, reason=reason,
                actor=actor,
            )  # fmt: skip

        def message(t: Ticket) -> str:
            if uphold:
                return QCoreApplication.translate(
                    "Worklists", "工单 {0}：异议成立，已改派至 {1}，{2} 前办结"
                ).format(t.number, t.main_unit, due_text(t.due_at))
            return QCoreApplication.translate(
                "Worklists", "工单 {0}：异议不成立，{1} 继续办理"
            ).format(t.number, t.main_unit)

        self._run(ticket_id, op, message)

    def rule_extension(
        self, ticket_id: str, number: str, *, approve: bool, reason: str = ""
    ) -> None:
        """Extension approved → the due time moves; denied → it stays."""
        from agent_app.services import followup  # noqa: PLC0415

        ws, actor = self.workstation, self._actor()

        def op() -> Ticket:
            return followup.rule_extension(
                ws.db, ws.paths, number, approve=approve, reason=reason, actor=actor
            )

        def message(t: Ticket) -> str:
            if approve:
                return QCoreApplication.translate(
                    "Worklists", "工单 {0}：已批准延期，新时限 {1}"
                ).format(t.number, due_text(t.due_at))
            return QCoreApplication.translate(
                "Worklists", "工单 {0}：不批准延期，时限仍为 {1}"
            ).format(t.number, due_text(t.due_at))

        self._run(ticket_id, op, message)

    def record_callback(
        self, ticket_id: str, number: str, *, resolved: bool, satisfaction: str, words: str
    ) -> None:
        """The citizen's answer: resolved and satisfied closes, anything else reopens."""
        from agent_app.services import followup  # noqa: PLC0415

        ws, actor = self.workstation, self._actor()

        def op() -> Ticket:
            return followup.record_callback(
                ws.db, ws.paths, number, resolved=resolved, satisfaction=satisfaction,
                words=words, actor=actor,
            )  # fmt: skip

        def message(t: Ticket) -> str:
            if t.status is Status.CLOSED:
                return QCoreApplication.translate(
                    "Worklists", "工单 {0}：回访已记录，已办结"
                ).format(t.number)
            return QCoreApplication.translate(
                "Worklists", "工单 {0}：回访已记录，转二次办理（{1}），{2} 前办结"
            ).format(t.number, t.main_unit, due_text(t.due_at))

        self._run(ticket_id, op, message)

    def redispatch(self, ticket_id: str, number: str, *, to_unit: str) -> None:
        """A reopened ticket re-dispatched (重新派单) to ``to_unit``."""
        from agent_app.services import followup  # noqa: PLC0415

        ws, actor = self.workstation, self._actor()

        def op() -> Ticket:
            return followup.redispatch_reopened(
                ws.db, ws.paths, number, to_unit=to_unit, actor=actor
            )

        def message(t: Ticket) -> str:
            return QCoreApplication.translate(
                "Worklists", "工单 {0}：已重新派单至 {1}，{2} 前办结"
            ).format(t.number, t.main_unit, due_text(t.due_at))

        self._run(ticket_id, op, message)

    def set_centre(self, url: str) -> None:
        """The centre a confidential caller held masked at this seat is revealed from ("" for
        none: such a reveal then says it cannot be done here)."""
        self.central = url

    def reveal_number(
        self,
        ticket_id: str,
        done: Callable[[str], None],
        failed: Callable[[BaseException], None],
        *,
        owner: QObject,
    ) -> None:
        """The caller's number for a callback: the reveal is written to the audit log first,
        in the same worker operation; the number is read and returned only after that.

        A confidential caller this seat holds masked (a lead's seat, a ticket another login
        took) is asked of the centre (``central.reveal_caller``: the centre's audit row, then
        the number, in one transaction); offline that fails with
        :class:`~agent_app.services.confidential.RevealOffline` and nothing is shown."""
        from agent_app.services.worklists import callback_number  # noqa: PLC0415

        ws, role, url = self.workstation, self.role.value, self.central

        def op() -> str:
            from agent_app.services import audit, confidential  # noqa: PLC0415 - in the worker

            held = ws.ticket(ticket_id)
            if held is not None and confidential.held_masked(held):
                from agent_app.storage.central.connect import parse_url  # noqa: PLC0415

                got = confidential.reveal(parse_url(url) if url else None, ticket_id)
                return " ".join(display_number(p) for p in got.phones)
            ws.audit(
                audit.CALLBACK_REVEAL,
                role,
                ticket_id,
                "caller number shown for a callback",
                field=audit.FIELD_PHONE,
            )  # fmt: skip  (raises, and nothing is shown, when the row cannot be stored)
            ticket = ws.ticket(ticket_id)
            return callback_number(ticket) if ticket is not None else ""

        self.runner.run_mutation(op, done, failed, change=Change.AUDIT, owner=owner)

    # Reads ---------------------------------------------------------------------------------

    def choices(
        self, ticket_id: str, done: Callable[[UnitChoices], None], *, owner: QObject
    ) -> None:
        """Where an upheld objection may send the ticket (catalogue proposal, every unit)."""
        ws = self.workstation
        loaded = self._catalogue()

        def op() -> UnitChoices:
            from agent_app.services.worklists import (  # noqa: PLC0415 - worker
                UnitChoices,
                redispatch_choices,
            )

            catalogue = loaded or self._load_catalogue()
            ticket = ws.ticket(ticket_id)
            return redispatch_choices(catalogue, ticket) if ticket is not None else UnitChoices()

        self.runner.run_query(op, done, self._log_read("unit proposal"), owner=owner)

    def _load_catalogue(self) -> Catalogue:
        if self._own_catalogue is None:
            from agent_app.services.catalogue import Catalogue  # noqa: PLC0415

            self._own_catalogue = Catalogue.load()
        return self._own_catalogue

    def extension_preview(
        self, ticket_id: str, done: Callable[[Any], None], *, owner: QObject
    ) -> None:
        """The due time approving the ticket's extension would give (working-day calendar)."""
        ws = self.workstation

        def op() -> datetime | None:
            from agent_app.services.worklists import extension_preview  # noqa: PLC0415

            ticket = ws.ticket(ticket_id)
            return extension_preview(ticket) if ticket is not None else None

        self.runner.run_query(op, done, self._log_read("extension preview"), owner=owner)

    @staticmethod
    def _log_read(what: str) -> Callable[[BaseException], None]:
        def failed(error: BaseException) -> None:
            log.warning("%s unavailable: %s", what, type(error).__name__)

        return failed
