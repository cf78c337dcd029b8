"""The transcription worker: Vosk on its own QThread, results delivered as signals.

:class:`TranscriptionWorker` is a QObject moved to a dedicated QThread; its slots run there
(the model load and the recognition loop), and its signals reach the GUI thread through
queued connections.  :class:`TranscriptionController` owns the thread and is what widgets
get: ``load_model()``, ``start(source)``, ``pause()``, ``resume()``, ``stop()`` and
``shutdown()`` may be called from the GUI thread at any time and never block it (except
``shutdown``, which waits for the thread to finish its current chunk).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from agent_app.errors import KnownError
from agent_app.services.speech.audio import AudioSource
from agent_app.services.speech.recognizer import Partial, Segment, TranscriptionService
from agent_app.services.speech.scenario import Scenario, replay

log = logging.getLogger("agent_app.speech")


class TranscriptionWorker(QObject):
    """Runs model loading and recognition in its thread; never touches widgets.

    Signals:
        partial_text(str): the guess for the utterance in progress changed.
        final_text(dict): a finished segment ``{"text", "start", "end", "confidence"}``.
        failed(str): a one-sentence message for the operator (no traceback).
        model_loading(int): model load progress in percent (0-100).
        model_ready(): the model is loaded; transcription can start at once.
        stopped(): a run ended (audio over, stopped, or failed).
    """

    partial_text = Signal(str)
    """The guess for the utterance in progress changed."""
    final_text = Signal(dict)
    """A finished segment ``{"text", "start", "end", "confidence"}``."""
    failed = Signal(str)
    """Loading or recognition failed; the argument is shown to the operator."""
    model_loading = Signal(int)
    """Model load progress in percent."""
    model_ready = Signal()
    """The model is loaded."""
    stopped = Signal()
    """A transcription run ended."""

    def __init__(self, service: TranscriptionService) -> None:
        super().__init__()
        self._service = service
        self._stop = threading.Event()
        self._pause = threading.Event()

    # Called from the GUI thread: plain thread-safe flags, no queued call needed.
    def request_stop(self) -> None:
        self._stop.set()
        self._pause.clear()

    def set_paused(self, paused: bool) -> None:
        if paused:
            self._pause.set()
        else:
            self._pause.clear()

    @property
    def paused(self) -> bool:
        return self._pause.is_set()

    @Slot()
    def load_model(self) -> None:
        """Load the model (worker thread); emits progress, then ready or failed."""
        try:
            self._service.load(self.model_loading.emit)
        except KnownError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # a worker must never let an error escape
            log.exception("speech model load failed")
            self.failed.emit(
                f"语音模型无法加载（{type(exc).__name__}），详见日志：请检查模型目录是否完整，"
                "必要时重新解压模型后重启。"
            )
            return
        self.model_ready.emit()

    @Slot(object)
    def run(self, source: AudioSource) -> None:
        """Transcribe ``source`` until it ends or a stop is requested (worker thread)."""
        self._stop.clear()
        try:
            if self._service.model is None:
                self.load_model()
                if self._service.model is None:
                    source.close()
                    return
            self._service.stream(
                source,
                on_partial=self._emit_partial,
                on_final=self._emit_final,
                stop=self._stop,
                pause=self._pause,
            )
        except KnownError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a worker must never let an error escape
            log.exception("transcription failed")
            self.failed.emit(
                f"语音识别因错误停止（{type(exc).__name__}），详见日志：请按“开始”重试，"
                "或手动记录通话内容。"
            )
        finally:
            try:
                source.close()
            except Exception:  # closing a broken device must not hide the cause
                log.exception("closing the audio source failed")
            self._pause.clear()
            self.stopped.emit()

    @Slot(object, object)
    def replay(self, scenario: Scenario, pace: float | None) -> None:
        """Play a training scenario's transcript as if recognised (worker thread)."""
        self._stop.clear()
        try:
            replay(
                scenario,
                on_partial=self._emit_partial,
                on_final=self._emit_final,
                stop=self._stop,
                pause=self._pause,
                pace=pace,
            )
        except Exception as exc:  # a worker must never let an error escape
            log.exception("scenario replay failed")
            self.failed.emit(
                f"培训场景无法回放（{type(exc).__name__}）：请另选一个场景，或检查场景文件。"
            )
        finally:
            self._pause.clear()
            self.stopped.emit()

    def _emit_partial(self, partial: Partial) -> None:
        self.partial_text.emit(partial.text)

    def _emit_final(self, segment: Segment) -> None:
        self.final_text.emit(segment.as_dict())


class TranscriptionController(QObject):
    """Owns the worker's QThread; the object the transcript strip and the main window use.

    Signals (forwarded from the worker, delivered on the GUI thread):
        partial_text(str), final_text(dict), failed(str), model_loading(int), model_ready(),
        stopped(), running_changed(bool).
    """

    partial_text = Signal(str)
    """The guess for the utterance in progress changed."""
    final_text = Signal(dict)
    """A finished segment ``{"text", "start", "end", "confidence"}``."""
    failed = Signal(str)
    """Loading or recognition failed; the argument is shown to the operator."""
    model_loading = Signal(int)
    """Model load progress in percent."""
    model_ready = Signal()
    """The model is loaded."""
    stopped = Signal()
    """A transcription run ended."""
    running_changed = Signal(bool)
    """Transcription started (True) or ended (False)."""

    _load_requested = Signal()
    _run_requested = Signal(object)
    _replay_requested = Signal(object, object)

    def __init__(self, service: TranscriptionService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("transcription")
        self._worker = TranscriptionWorker(service)
        self._worker.moveToThread(self._thread)
        self._running = False
        self._current: AudioSource | None = None
        self._load_requested.connect(self._worker.load_model)
        self._run_requested.connect(self._worker.run)
        self._replay_requested.connect(self._worker.replay)
        w = self._worker
        w.partial_text.connect(self.partial_text)
        w.final_text.connect(self.final_text)
        w.failed.connect(self.failed)
        w.model_loading.connect(self.model_loading)
        w.model_ready.connect(self.model_ready)
        w.stopped.connect(self._on_stopped)
        self._thread.finished.connect(self._worker.deleteLater)
        self._closed = False

    def _ensure_thread(self) -> bool:
        """Start the worker thread on first use (a window that never transcribes owns no
        running thread); False after :meth:`shutdown`."""
        if self._closed:
            return False
        if not self._thread.isRunning():
            self._thread.start()
        return True

    @property
    def running(self) -> bool:
        return self._running

    @property
    def paused(self) -> bool:
        return self._worker.paused

    @Slot()
    def load_model(self) -> None:
        """Start loading the model in the background (progress via ``model_loading``)."""
        if self._ensure_thread():
            self._load_requested.emit()

    def start(self, source: AudioSource) -> bool:
        """Transcribe ``source``; False (and the source closed) when a run is in progress."""
        if self._running or not self._ensure_thread():
            source.close()
            return False
        self._running = True
        self._current = source
        self._worker.set_paused(False)
        self.running_changed.emit(True)
        self._run_requested.emit(source)
        return True

    def start_scenario(self, scenario: Scenario, pace: float | None = 1.0) -> bool:
        """Play a training scenario: its audio through the recogniser when it has some,
        else its transcript word by word (no model needed)."""
        if scenario.audio is not None:
            from agent_app.services.speech.audio import WavFileSource  # noqa: PLC0415

            return self.start(WavFileSource(scenario.audio, pace=pace))
        if self._running or not self._ensure_thread():
            return False
        self._running = True
        self._current = None
        self._worker.set_paused(False)
        self.running_changed.emit(True)
        self._replay_requested.emit(scenario, pace)
        return True

    @Slot()
    def pause(self) -> None:
        self._worker.set_paused(True)

    @Slot()
    def resume(self) -> None:
        self._worker.set_paused(False)

    @Slot()
    def stop(self) -> None:
        """Ask the run to end after the current chunk; ``stopped`` follows."""
        self._worker.request_stop()
        if self._current is not None:
            self._current.close()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Stop any run and end the thread (``quit`` + ``wait``; never ``terminate``)."""
        self.stop()
        self._closed = True
        if not self._thread.isRunning():
            return True
        self._thread.quit()
        return bool(self._thread.wait(timeout_ms))

    @Slot()
    def _on_stopped(self) -> None:
        self._running = False
        self._current = None
        self.running_changed.emit(False)
        self.stopped.emit()

    def __repr__(self) -> str:
        return f"<TranscriptionController running={self._running}>"

    def worker(self) -> Any:
        """The worker object (tests)."""
        return self._worker
