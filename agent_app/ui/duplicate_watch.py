"""Watches the call being taken for a probable duplicate of an open ticket.

Whenever the description, category, place or number settles (debounced), the seat's open
tickets of the last 30 days are compared with the draft in a worker
(:mod:`agent_app.services.duplicate_check`); the :class:`DuplicateBar` above the dispatch
buttons shows the best match.  "设为并单目标" makes it the merge target (Ctrl+M merges),
"关联" notes the number in the ticket, "忽略" hides it for this call.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QTimer

from agent_app.ui.duplicate_bar import DuplicateBar

if TYPE_CHECKING:
    from agent_app.ui.main_window import MainWindow

log = logging.getLogger("agent_app.ui")

DEBOUNCE_MS = 700


@dataclass
class DuplicateWatch:
    window: MainWindow
    bar: DuplicateBar
    timer: QTimer
    generation: int = 0
    closed: bool = False
    checks: list[int] = field(default_factory=list)
    """Generations of the checks whose results were shown (tests)."""

    def check(self) -> None:
        """Compare the draft with the open tickets now (in a worker)."""
        form = self.window.form
        if self.closed or not form.ticket_id:
            return
        from agent_app.services.duplicate_check import MIN_TEXT_CHARS  # noqa: PLC0415

        text = form.description.toPlainText().strip()
        if len(text) < MIN_TEXT_CHARS:
            self.bar.set_hints([])
            return
        self.generation += 1
        generation = self.generation
        place: dict[str, Any] = dict(form.place)
        category, phone, ticket_id = form.picker.code or None, form.phone_e164(), form.ticket_id
        database = self.window.ctx.workstation.paths.database

        def op() -> Any:
            from agent_app.services import duplicate_check as dc  # noqa: PLC0415
            from agent_app.services.suggest.related import TicketRecord  # noqa: PLC0415

            draft = TicketRecord(
                ticket_id=ticket_id,
                text=text,
                created_at=datetime.now(UTC),
                caller_key=dc.caller_key(phone),
                category=category,
                lat=place.get("lat"),
                lon=place.get("lon"),
                district=place.get("district") or None,
                township=place.get("township") or None,
            )
            return dc.probable_duplicates(draft, dc.open_tickets(database, exclude_id=ticket_id))

        def done(hints: Any) -> None:
            if self.closed or generation != self.generation or form.ticket_id != ticket_id:
                return  # a newer check, or another call
            self.bar.set_hints(hints)
            self.checks.append(generation)

        def failed(error: BaseException) -> None:
            log.warning("duplicate check unavailable: %s", type(error).__name__)

        self.window.ctx.runner.run_query(op, done, failed)

    def merge_into(self, number: str) -> None:
        form = self.window.form
        form.merge_target = number
        form.edited.emit()
        self.window.show_info(
            QCoreApplication.translate("MainWindow", "已设为并单目标：工单 {n}；按 Ctrl+M 并单。").format(
                n=number
            )
        )

    def link(self, number: str) -> None:
        self.window.form.insert_answer(
            QCoreApplication.translate("MainWindow", "关联工单：{n}").format(n=number)
        )

    def new_call(self, *_args: object) -> None:
        self.generation += 1
        self.bar.reset()

    def shutdown(self) -> None:
        self.closed = True
        self.timer.stop()


def watch_duplicates(window: MainWindow) -> DuplicateWatch:
    """Put the bar above the dispatch buttons and keep it up to date."""
    bar = DuplicateBar(window.dispatch)
    layout = window.dispatch.layout()
    if layout is not None:
        layout.insertWidget(0, bar)  # type: ignore[attr-defined]
    timer = QTimer(window, singleShot=True, interval=DEBOUNCE_MS)
    watch = DuplicateWatch(window, bar, timer)
    form = window.form
    timer.timeout.connect(watch.check)
    form.edited.connect(timer.start)
    form.place_resolved.connect(lambda _place: timer.start())
    form.call_started.connect(watch.new_call)
    bar.merge_requested.connect(watch.merge_into)
    bar.link_requested.connect(watch.link)
    return watch
