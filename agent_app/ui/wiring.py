"""Connects the side panes, the transcript strip and the sync status to the window's form.

:func:`connect_panes` is called by the composition root once :class:`MainWindow` is built:

* form text and transcript → knowledge-base live suggestions (the pane debounces and searches
  off the GUI thread; focus stays in the form);
* knowledge base → form: insert answer, answered directly (answer text looked up in a worker),
  flags stored in the seat database (:class:`~agent_app.services.kb_flags.KbFlagStore`); the
  shift lead gets a "知识反馈" tab listing them with "mark resolved";
* form place → map: pin, highlighted township, tickets of the same category nearby; map click
  → form jurisdiction; the lead sees the heat layer of recent tickets;
* transcript proposal accepted → form field; each final transcript line → the description
  drafted from it (offered under the description), a drafted sentence's source → its line;
* sync status in the status bar, and the sync worker when a central database is configured
  (never in demo mode: demo data must not leave the seat).

The form's slots are the intake contract (``insert_answer``, ``set_jurisdiction``,
``apply_proposal``, ``place_resolved``).  Everything is undone by :meth:`Wiring.shutdown`.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from agent_app.deferred import load as load_deferred
from agent_app.domain.intake import PlaceFix
from agent_app.domain.roles import Role
from agent_app.errors import KnownError
from agent_app.services.kb_flags import KbFlagStore
from agent_app.ui.panes import Panes
from agent_app.ui.sync_status import SyncStatus
from agent_app.workers.tasks import Change

if TYPE_CHECKING:
    from agent_app.ui.kb_flags_view import KbFlagsView
    from agent_app.ui.main_window import MainWindow
    from agent_app.workers.sync import SyncController

log = logging.getLogger("agent_app.ui")

ENV_CENTRAL = "AGENT_APP_CENTRAL_URL"
FLAGS_TAB = "知识反馈"
"""The lead's tab of knowledge-base flags: the Chinese title identifies it; shown translated."""
_FLAGS_TAB_TITLE = QT_TRANSLATE_NOOP("MainWindow", "知识反馈")
TRANSCRIPT_TAIL_CHARS = 300
QUEUE_POLL_MS = 30_000
BACKGROUND_DELAY_MS = 300
RETRAIN_CHECK_MS = 3_600_000
"""How often the window asks whether the category model is due for retraining (hourly)."""
RETRAIN_FIRST_CHECK_MS = 120_000
BACKUP_CHECK_MS = 1_800_000
"""How often the window asks whether the seat database is due for a backup (every 30 min;
a backup is written when the newest is older than four hours)."""
PLACE_SPAN_TOWNSHIP_M = 20_000.0
PLACE_SPAN_DISTRICT_M = 45_000.0


@dataclass(frozen=True)
class TrainOutcome:
    """What ``agent-app suggest train --from-db --json`` reported (counts only)."""

    trained: bool
    reason: str
    tickets: int
    labels: int
    version: str | None
    seconds: float
    needed: int

    @classmethod
    def from_json(cls, text: str, *, needed: int | None) -> TrainOutcome | None:
        import json  # noqa: PLC0415

        from agent_app.services.suggest.retrain import MIN_TICKETS  # noqa: PLC0415

        lines = [line for line in text.splitlines() if line.strip().startswith("{")]
        if not lines:
            return None
        data = json.loads(lines[-1])
        return cls(
            trained=bool(data.get("trained")),
            reason=str(data.get("reason", "")),
            tickets=int(data.get("tickets") or 0),
            labels=int(data.get("labels") or 0),
            version=data.get("version"),
            seconds=float(data.get("train_s") or 0.0),
            needed=MIN_TICKETS if needed is None else needed,
        )


def agent_app_command() -> tuple[str, list[str]]:
    """How to run this app's command line as a child process (source tree or bundle)."""
    import sys  # noqa: PLC0415

    if getattr(sys, "frozen", False):  # the PyInstaller bundle's executable is agent-app
        return sys.executable, []
    return sys.executable, ["-m", "agent_app"]


class WiringSignals(QObject):
    """Signals of :class:`Wiring` (a plain dataclass)."""

    intake_reloaded = Signal(str)
    """The form proposes with this model version now (after a retraining)."""
    pulled = Signal(int)
    """A sync cycle brought this many changes from the centre (units' actions, rulings)."""
    undelivered_changed = Signal(int)
    """After a sync cycle the seat's undelivered changes (未送达: refused by the centre, or
    never sendable) are not what they were: how many tickets have one now."""
    cycle_ended = Signal(bool)
    """A sync cycle ended: True when it reached the centre, False when it did not (offline)."""


def _train_text(report: Any) -> str:
    if report.trained:
        return QCoreApplication.translate(
            "MainWindow", "分类模型已更新：学习了 {n} 张已办结工单（{k} 个分类），用时 {s:.0f} 秒。"
        ).format(n=report.tickets, k=report.labels, s=report.seconds)
    if report.reason == "too_few_tickets":
        return QCoreApplication.translate(
            "MainWindow", "已办结且有分类的工单只有 {n} 张（至少需要 {m} 张），继续使用当前建议。"
        ).format(n=report.tickets, m=report.needed)
    return QCoreApplication.translate("MainWindow", "分类模型未更新：另一次训练正在进行。")


def central_url(settings: Any, explicit: str | None = None) -> str:
    """The central database URL: ``--central``, else the environment, else the setting."""
    for candidate in (explicit, os.environ.get(ENV_CENTRAL), getattr(settings, "central_url", "")):
        if candidate and str(candidate).strip():
            return str(candidate).strip()
    return ""


@dataclass
class Wiring:
    """What :func:`connect_panes` built; keep it for the window's life, then ``shutdown()``."""

    window: MainWindow
    panes: Panes
    flag_store: KbFlagStore
    sync_status: SyncStatus
    flags_view: KbFlagsView | None = None
    sync_controller: SyncController | None = None
    points: list[dict[str, Any]] = field(default_factory=list)
    last_train_report: Any = None
    signals: WiringSignals = field(default_factory=lambda: WiringSignals())
    retrain_action: QAction | None = None
    _retraining: bool = False
    _undelivered: tuple[Any, ...] | None = None
    _form_text: str = ""
    _transcript_text: str = ""
    _closed: bool = False
    _timers: list[QTimer] = field(default_factory=list)

    # ------------------------------------------------------------------ knowledge base

    def suggest(self) -> None:
        pane = self.panes.kb_pane
        if pane is None:
            return
        parts = [self._transcript_text[-TRANSCRIPT_TAIL_CHARS:], self._form_text]
        pane.suggest_for_text("\n".join(p for p in parts if p.strip()))

    def on_form_text(self, text: str) -> None:
        self._form_text = text
        self.suggest()

    def on_transcript(self, text: str) -> None:
        self._transcript_text = text
        self.suggest()

    def answered_directly(self, article_id: str) -> None:
        kb = self.panes.knowledge_base
        if kb is None:
            return

        def done(text: Any) -> None:
            if not self._closed:
                self.window.answer_directly(article_id, str(text))

        # reply_text refuses sample content: it never reaches a ticket or a caller
        self.window.ctx.runner.run_query(lambda: kb.reply_text(article_id), done)

    def store_flag(self, flag: dict[str, Any]) -> None:
        store = self.flag_store

        def done(_stored: Any) -> None:
            if not self._closed:
                self.window.show_info(
                    QCoreApplication.translate("MainWindow", "已记录知识库反馈，班长会处理。")
                )

        self.window.ctx.runner.run_mutation(lambda: store.add(flag), done, change=Change.KB_FLAGS)

    # ------------------------------------------------------------------ map

    def show_place(self, place: PlaceFix) -> None:
        """The ticket's place: pin, township (or district) highlighted, nearby tickets."""
        pane = self.panes.map_pane
        if pane is None or self._closed:
            return
        township = place.township_code
        label = place.label or place.township or place.district
        if township:
            pane.highlight_township(township)
        else:
            pane.highlight_township(None)
            pane.highlight_district(place.district_code or None)
        if place.lat is None or place.lon is None:
            pane.set_ticket_pin(None, None)
            pane.set_nearby([])
            return
        lat, lon = place.lat, place.lon
        pane.set_ticket_pin(lat, lon, label)
        pane.center_on(lat, lon, PLACE_SPAN_TOWNSHIP_M if township else PLACE_SPAN_DISTRICT_M)
        category = self.window.session.state.draft.category_code
        points = list(self.points)

        def find() -> list[dict[str, Any]]:
            from agent_app.services.ticket_points import tickets_nearby  # noqa: PLC0415

            return tickets_nearby(points, lat, lon, category=category)

        def done(rows: list[dict[str, Any]]) -> None:
            if not self._closed and self.panes.map_pane is not None:
                self.panes.map_pane.set_nearby(rows)

        self.window.ctx.runner.run_query(find, done, _log_failure("nearby tickets"))

    def load_points(self) -> None:
        """Recent ticket points for "nearby" and the lead's heat layer (worker)."""
        database = self.window.ctx.workstation.paths.database

        def load() -> list[dict[str, Any]]:
            from agent_app.services.ticket_points import recent_points  # noqa: PLC0415

            return recent_points(database)

        def done(rows: list[dict[str, Any]]) -> None:
            if self._closed:
                return
            self.points = rows
            pane = self.panes.map_pane
            if pane is not None and self.window.ctx.role is Role.LEAD:
                pane.set_heat([(p["lat"], p["lon"]) for p in rows])
                pane.set_heat_visible(True)

        self.window.ctx.runner.run_query(load, done, _log_failure("ticket points"))

    # ------------------------------------------------------------------ transcript

    def new_call(self, *_args: Any) -> None:
        if self.panes.strip is not None:
            self.panes.strip.clear()
        if self.panes.map_pane is not None:
            self.panes.map_pane.set_ticket_pin(None, None)
            self.panes.map_pane.set_nearby([])
            self.panes.map_pane.highlight_township(None)
            self.panes.map_pane.highlight_district(None)

    # ------------------------------------------------------------------ sync

    def refresh_queue(self) -> None:
        if self.sync_status.mode == "demo" or self._closed:
            return
        ws = self.window.ctx.workstation

        def done(count: int) -> None:
            if not self._closed:
                self.sync_status.set_queue(count)
                self.window.set_sync_state(self.sync_status.text())

        self.window.ctx.runner.run_query(ws.pending_outbox, done, _log_failure("outbox count"))

    def start_sync(self, url: str) -> None:
        """Build the sync engine in a worker (ORM, URL check), then run it on its thread."""
        ws = self.window.ctx.workstation

        def build() -> Any:
            from agent_app.services.sync.engine import SyncEngine  # noqa: PLC0415
            from agent_app.storage.central.connect import parse_url  # noqa: PLC0415

            return SyncEngine(ws.db, parse_url(url), seat=ws.seat, demo=False)

        def built(engine: Any) -> None:
            if self._closed:
                return
            from agent_app.workers.sync import SyncController  # noqa: PLC0415

            controller = SyncController(engine, parent=self.window)
            controller.state_changed.connect(self.sync_status.set_state)
            controller.state_changed.connect(
                lambda _s: self.window.set_sync_state(self.sync_status.text())
            )
            controller.state_changed.connect(self.on_sync_state)
            self.sync_status.sync_requested.connect(controller.sync_now)
            self.sync_controller = controller
            controller.start()

        def failed(error: BaseException) -> None:
            if self._closed:
                return
            text = str(error) if isinstance(error, KnownError) else type(error).__name__
            log.warning("sync not started: %s", type(error).__name__)
            self.sync_status.set_problem(
                QCoreApplication.translate("MainWindow", "同步未启动：{error}").format(error=text)
            )

        self.window.ctx.runner.run_query(build, built, failed)

    def on_sync_state(self, state: dict[str, Any]) -> None:
        """After a cycle: when it pulled changes, today's tickets are read again and
        ``pulled`` tells the worklists and the lead's desk; when the seat's undelivered
        changes are not what they were (a chase or a ruling the centre refused, one resent),
        ``undelivered_changed`` tells them; ``cycle_ended`` says whether it reached the centre.
        The state before the first cycle only records what is undelivered."""
        if self._closed or state.get("syncing"):
            return
        items = tuple(
            (str(i.get("number", "")), str(i.get("reason", "")))
            for i in state.get("undelivered_items") or ()
        )
        undelivered = (int(state.get("undelivered") or 0), items)
        before, self._undelivered = self._undelivered, undelivered
        online = state.get("online")
        # a cycle that failed (online False) keeps the last cycle's count: nothing new came
        pulled = int(state.get("pulled") or 0) if online is not False else 0
        if pulled > 0:
            self.window.load_tickets()
            self.signals.pulled.emit(pulled)
        if before is not None and undelivered != before:
            self.signals.undelivered_changed.emit(undelivered[0])
        if online is not None:  # None: the state before the first cycle
            self.signals.cycle_ended.emit(bool(online))

    def on_changes(self, kind: str) -> None:
        if self._closed:
            return
        if kind == "tickets":
            self.refresh_queue()
            self.load_points()
            if self.sync_controller is not None:
                self.sync_controller.sync_now()

    # ------------------------------------------------------------------ suggester model

    def retrain(self, *, force: bool = False, min_tickets: int | None = None) -> None:
        """Retrain the category model from this seat's finished tickets (when due, or now
        with ``force``); the form then proposes with the new version.

        Training runs in a child process (``agent-app suggest train --from-db``): on a
        large history it takes a minute of pure-Python work that would otherwise hold the
        interpreter lock the window needs."""
        if self._closed or self._retraining:
            return
        self._retraining = True
        if force:
            self._train_in_process(force, min_tickets)
            return
        paths = self.window.ctx.workstation.paths

        def due() -> bool:
            from agent_app.services.suggest import retrain as rt  # noqa: PLC0415

            age = rt.model_age(paths)
            return age is None or age >= rt.DEFAULT_EVERY

        def checked(is_due: bool) -> None:
            if is_due and not self._closed:
                self._train_in_process(force, min_tickets)
            else:
                self._retraining = False

        def failed(error: BaseException) -> None:
            self._retraining = False
            log.warning("retraining check failed: %s", type(error).__name__)

        self.window.ctx.runner.run_query(due, checked, failed)

    def _train_in_process(self, force: bool, min_tickets: int | None) -> None:
        from PySide6.QtCore import QProcess  # noqa: PLC0415

        root = self.window.ctx.workstation.paths.root
        args = ["suggest", "train", "--from-db", "--data-dir", str(root), "--json"]
        if min_tickets is not None:
            args += ["--min-tickets", str(min_tickets)]
        program, prefix = agent_app_command()
        process = QProcess(self.window)
        process.setProgram(program)
        process.setArguments([*prefix, *args])

        def finished(code: int, _status: object) -> None:
            self._retraining = False
            out = bytes(process.readAllStandardOutput().data()).decode("utf-8", "replace")
            err = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
            process.deleteLater()
            if self._closed:
                return
            report = TrainOutcome.from_json(out, needed=min_tickets)
            if code != 0 or report is None:
                line = (err.strip().splitlines() or [f"exit {code}"])[-1]
                log.warning("retraining failed: %s", line)
                if force:
                    self.window.show_warning(
                        QCoreApplication.translate(
                            "MainWindow",
                            "分类模型重新训练失败（{kind}），继续使用当前模型；详见日志。",
                        ).format(kind=line)
                    )
                return
            log.info(
                "retraining: %s, %s tickets, %s categories",
                report.reason,
                report.tickets,
                report.labels,
            )
            self.last_train_report = report
            if report.trained:
                self.reload_intake()
            if force:
                self.window.show_info(_train_text(report))

        process.finished.connect(finished)
        process.start()

    def reload_intake(self) -> None:
        """Load the intake service again (new model version) and hand it to the form."""
        window, ws = self.window, self.window.ctx.workstation
        model_root = ws.paths.models / "category"

        def load() -> Any:
            from agent_app.services.intake import IntakeService  # noqa: PLC0415

            usage, recent = ws.category_usage()
            service = IntakeService.load(
                model_root, nominatim_url=ws.nominatim_url, database=ws.paths.database
            )
            return service, usage, recent

        def done(result: Any) -> None:
            if self._closed:
                return
            service, usage, recent = result
            window.session.set_service(service, usage, recent)
            self.signals.intake_reloaded.emit(str(service.model_version))

        window.ctx.runner.run_query(load, done, _log_failure("intake reload"))

    # ------------------------------------------------------------------ life cycle

    def backup(self) -> None:
        """Back the seat database up (encrypted, in a worker) when the newest backup is older
        than four hours, then run the retention purge when a day has passed since the last
        (services.retention.maybe_purge); a failure is shown, with what to do."""
        if self._closed or self.window.ctx.demo:
            return
        ws = self.window.ctx.workstation
        paths = ws.paths

        def run() -> Any:
            from agent_app.services.backup import maybe_backup  # noqa: PLC0415 - after paint
            from agent_app.services.retention import maybe_purge  # noqa: PLC0415

            written = maybe_backup(paths)
            try:
                maybe_purge(ws.db, paths)
            except KnownError as exc:  # the policy or the file: logged, retried next start
                log.warning("retention purge skipped: %s", exc)
            return written

        def done(written: Any) -> None:
            if written is not None:
                log.info("seat database backed up")

        def failed(error: BaseException) -> None:
            if self._closed:
                return
            log.warning("backup failed: %s", type(error).__name__)
            self.window.show_warning(
                QCoreApplication.translate(
                    "MainWindow",
                    "本机数据库自动备份失败（{error}），请检查磁盘空间；工单不受影响。",
                ).format(error=error)
            )

        self.window.ctx.runner.run_query(run, done, failed)

    def start_background(self) -> None:
        """Work that waits until the window has painted: index, extractor, points, flags,
        the first backup check."""
        if self._closed:
            return
        self.panes.start_background()
        self.load_points()
        self.refresh_queue()
        self.backup()
        if self.flags_view is not None:
            self.flags_view.refresh()

    def shutdown(self) -> None:
        """Stop timers and workers (call when the window closes; idempotent)."""
        if self._closed:
            return
        self._closed = True
        for timer in self._timers:
            timer.stop()
        if self.sync_controller is not None and not self.sync_controller.stop(wait_ms=10_000):
            # a statement blocked at the centre that its cancel did not end (a link that
            # drops everything): the engine's I/O deadline ends it; the database stays open
            # until then, and the thread is never destroyed while it runs
            log.warning("sync did not end within 10 s of closing; waiting for its cycle")
            started = time.monotonic()
            self.sync_controller.join()
            log.warning("sync ended %.1f s after that", time.monotonic() - started)
        self.panes.shutdown()


def _log_failure(what: str) -> Callable[[BaseException], None]:
    def failed(error: BaseException) -> None:
        log.warning("%s unavailable: %s", what, type(error).__name__)

    return failed


def connect_panes(
    window: MainWindow,
    panes: Panes,
    *,
    central: str | None = None,
    start_after_paint: bool = True,
) -> Wiring:
    """Wire ``panes`` into ``window`` (see the module docstring) and return the wiring.

    ``central`` is a ``--central`` URL; else ``AGENT_APP_CENTRAL_URL`` or the setting is used.
    With ``start_after_paint`` the background work starts when the first tickets are shown
    (or after two seconds at the latest); otherwise call ``Wiring.start_background``.
    """
    ctx = window.ctx
    ws = ctx.workstation
    store = KbFlagStore(lambda: ws.db, seat=ws.seat, operator_id=ws.operator_id)
    url = "" if ctx.demo else central_url(ctx.settings, central)
    mode = "demo" if ctx.demo else ("live" if url else "unconfigured")
    status = SyncStatus(mode)
    status.attach_undelivered(ctx.runner, ws, window.open_ticket)  # "未送达 N" → the list
    wiring = Wiring(window=window, panes=panes, flag_store=store, sync_status=status)
    form = window.form
    # A caller calling back may have reached another operator first: the history asks the centre.
    window.session.set_centre(url)
    # A confidential caller a lead's seat holds masked is revealed by the centre only.
    window.followup.set_centre(url)

    # Knowledge base.
    kb_pane = panes.kb_pane
    if kb_pane is not None:
        form.text_changed.connect(wiring.on_form_text)
        kb_pane.answer_insert_requested.connect(form.insert_answer)
        kb_pane.answered_directly_requested.connect(wiring.answered_directly)
        kb_pane.flag_requested.connect(wiring.store_flag)
    if ctx.role is Role.LEAD:
        kb = panes.knowledge_base
        flags = load_deferred("agent_app.ui.kb_flags_view")  # the lead's tab only
        view: KbFlagsView = flags.KbFlagsView(
            store,
            ctx.runner,
            title_lookup=(lambda ident: kb.article(ident).title) if kb is not None else None,
        )
        window.side.addTab(view, QCoreApplication.translate("MainWindow", FLAGS_TAB))
        wiring.flags_view = view

    # Map (built after the first paint when deferred).
    def connect_map() -> None:
        map_pane = panes.map_pane
        if map_pane is not None and not wiring._closed:  # noqa: SLF001
            map_pane.jurisdiction_proposed.connect(form.set_jurisdiction)
            form.place_resolved.connect(wiring.show_place)

    panes.when_map_ready(connect_map)

    # Transcript (built after the first paint when deferred).
    def connect_strip() -> None:
        strip = panes.strip
        if strip is not None and not wiring._closed:  # noqa: SLF001
            strip.proposal_accepted.connect(form.apply_proposal)
            strip.transcript_changed.connect(wiring.on_transcript)
            # the caller's lines → the drafted description; its sources → the strip's lines
            strip.segment_stored.connect(form.transcript_segment)
            form.transcript_source_requested.connect(strip.show_segment)

    panes.when_strip_ready(connect_strip)
    # An explicit new call (Ctrl+N, a ringing call) clears the transcript and the map; a call
    # started implicitly (the first field typed, a transcript proposal accepted) keeps them.
    window.new_call_requested.connect(wiring.new_call)
    window.incoming.connect(wiring.new_call)

    # Sync status: replaces the window's plain label, in the same place.
    bar = window.statusBar()
    window.sync_label.hide()
    clock = getattr(window, "clock_label", None)
    if isinstance(clock, QWidget):
        bar.removeWidget(clock)  # keep the clock last
    bar.addPermanentWidget(status)
    if isinstance(clock, QWidget):
        bar.addPermanentWidget(clock)
        clock.show()
    window.set_sync_state(status.text())
    ctx.runner.changes.connect(wiring.on_changes)
    if mode == "live":
        if ctx.settings.is_set("seat"):
            wiring.start_sync(url)
        else:  # two seats with the default id would collide at the centre
            status.set_problem(
                QCoreApplication.translate(
                    "MainWindow",
                    "本席位未设置席位号：请在 settings.ini 的 [options] 中填写 seat"
                    "（每个席位唯一）后重启；工单先保存在本机。",
                )
            )
    if mode != "demo":
        poll = QTimer(window, interval=QUEUE_POLL_MS)
        poll.timeout.connect(wiring.refresh_queue)
        poll.start()
        wiring._timers.append(poll)  # noqa: SLF001

    # Suggester model: checked hourly (trained when due); the lead can retrain at once.
    if not ctx.demo:
        backup_timer = QTimer(window, interval=BACKUP_CHECK_MS)
        backup_timer.timeout.connect(wiring.backup)
        backup_timer.start()
        wiring._timers.append(backup_timer)  # noqa: SLF001
        retrain_timer = QTimer(window, interval=RETRAIN_CHECK_MS)
        retrain_timer.timeout.connect(wiring.retrain)
        retrain_timer.start()
        QTimer.singleShot(RETRAIN_FIRST_CHECK_MS, window, wiring.retrain)
        wiring._timers.append(retrain_timer)  # noqa: SLF001
    if ctx.role is Role.LEAD:
        action = QAction(
            QCoreApplication.translate("MainWindow", "用已办结工单重新训练分类建议"), window
        )
        action.triggered.connect(lambda: wiring.retrain(force=True))
        window.menuBar().addMenu(QCoreApplication.translate("MainWindow", "工具(&O)")).addAction(
            action
        )
        wiring.retrain_action = action

    if start_after_paint:
        started = {"done": False}

        def start_now() -> None:
            if not started["done"]:
                started["done"] = True
                wiring.start_background()

        def start(*_args: Any) -> None:
            # after this paint: the index build must not compete with the first frame
            QTimer.singleShot(BACKGROUND_DELAY_MS, window, start_now)

        window.tickets_loaded.connect(start)
        QTimer.singleShot(2000, window, start_now)
    return wiring
