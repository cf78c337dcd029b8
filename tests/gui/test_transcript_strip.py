"""The transcript strip driven by a stand-in controller (no model, no thread)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QObject, Qt, Signal

from agent_app.errors import ConfigError
from agent_app.services.speech.audio import InputDevice, PortAudioMissing
from agent_app.services.speech.extract import Extractor
from agent_app.services.speech.recognizer import TranscriptionService
from agent_app.services.speech.redact import PHONE_MASK
from agent_app.services.speech.scenario import load_scenario
from agent_app.ui.transcript_strip import SegmentListModel, TranscriptStrip
from agent_app.workers.transcription import TranscriptionController

pytestmark = pytest.mark.gui


class FakeController(QObject):
    partial_text = Signal(str)
    final_text = Signal(dict)
    failed = Signal(str)
    model_loading = Signal(int)
    model_ready = Signal()
    stopped = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []
        self.sources: list[Any] = []

    def start(self, source: Any) -> bool:
        self.calls.append("start")
        self.sources.append(source)
        return True

    def pause(self) -> None:
        self.calls.append("pause")

    def resume(self) -> None:
        self.calls.append("resume")

    def stop(self) -> None:
        self.calls.append("stop")


class NullSource:
    sample_rate = 16000
    live = False

    def chunks(self) -> Iterator[bytes]:
        return iter(())

    def close(self) -> None:
        pass


@pytest.fixture
def controller() -> FakeController:
    return FakeController()


@pytest.fixture
def strip(qtbot: Any, controller: FakeController) -> TranscriptStrip:
    extractor = Extractor(
        keywords={"噪音": "环境保护/噪声污染"},
        places=["朝阳区", "望京街道"],
        now=lambda: dt.datetime(2024, 5, 20, 15, 0),
    )
    widget = TranscriptStrip(controller, extractor=extractor, source_factory=NullSource)
    qtbot.addWidget(widget)
    return widget


def test_buttons_drive_the_controller(strip: TranscriptStrip, controller: FakeController) -> None:
    assert not strip.pause_button.isEnabled()
    strip.start_button.click()
    assert controller.calls == ["start"]
    assert isinstance(controller.sources[0], NullSource)
    assert strip.pause_button.isEnabled()
    assert not strip.start_button.isEnabled()
    strip.pause_button.click()
    strip.pause_button.click()
    strip.stop_button.click()
    assert controller.calls == ["start", "pause", "resume", "stop"]
    controller.stopped.emit()
    assert strip.start_button.isEnabled()
    assert not strip.stop_button.isEnabled()


def test_partial_then_final_with_time_and_proposals(
    strip: TranscriptStrip, controller: FakeController, qtbot: Any
) -> None:
    controller.partial_text.emit("我 叫 张伟")
    assert strip.partial_label.text() == "我叫张伟"
    with qtbot.waitSignal(strip.transcript_changed):
        controller.final_text.emit(
            {"text": "我叫张伟 我家住在朝阳区望京街道望京西园四区", "start": 62.4, "end": 66.0}
        )
    assert strip.partial_label.text() == ""
    assert strip.model.rowCount() == 1
    shown = strip.model.data(strip.model.index(0, 0), Qt.ItemDataRole.DisplayRole)
    assert shown.startswith("01:02")
    kinds = {chip.proposal.kind: chip for chip in strip.chips()}
    assert kinds["name"].proposal.value == "张伟"
    assert "我叫张伟" in kinds["name"].source_label.text()
    assert kinds["address"].proposal.value.startswith("朝阳区望京街道")


def test_accepting_and_rejecting_proposals(
    strip: TranscriptStrip, controller: FakeController, qtbot: Any
) -> None:
    controller.final_text.emit(
        {"text": "我的电话是幺三八幺二三四五六七八 楼下噪音太大", "start": 3.0, "end": 7.0}
    )
    chips = {chip.proposal.kind: chip for chip in strip.chips()}
    assert set(chips) == {"phone", "category"}
    assert "13812345678" not in chips["phone"].value_label.text()
    with qtbot.waitSignal(strip.proposal_accepted) as accepted:
        chips["phone"].accept_button.click()
    assert accepted.args[0].kind == "phone"
    assert accepted.args[0].value == "13812345678"
    with qtbot.waitSignal(strip.proposal_rejected) as rejected:
        chips["category"].reject_button.click()
    assert rejected.args[0].value == "环境保护/噪声污染"
    assert strip.chips() == []
    # the number reached the caller field only; the stored transcript has a mask
    assert PHONE_MASK in strip.transcript_text()
    assert "13800000102" not in strip.transcript_text()


def test_edits_are_stored_redacted(
    strip: TranscriptStrip, controller: FakeController, qtbot: Any
) -> None:
    controller.final_text.emit({"text": "喂 你好", "start": 0.0, "end": 1.0})
    index = strip.model.index(0, 0)
    with qtbot.waitSignal(strip.transcript_changed) as changed:
        assert strip.model.setData(index, "我的手机 13812345678", Qt.ItemDataRole.EditRole)
    assert strip.segments()[0]["text"] == f"我的手机 {PHONE_MASK}"
    assert PHONE_MASK in changed.args[0]
    assert strip.model.flags(index) & Qt.ItemFlag.ItemIsEditable


def test_model_progress_ready_and_failure_are_shown(
    strip: TranscriptStrip, controller: FakeController
) -> None:
    controller.model_loading.emit(40)
    assert strip.progress.isVisibleTo(strip)
    assert strip.progress.value() == 40
    controller.model_ready.emit()
    assert not strip.progress.isVisibleTo(strip)
    assert "就绪" in strip.status.text()
    controller.failed.emit("The speech model directory /opt/vosk does not exist.")
    assert "/opt/vosk" in strip.status.text()


def test_a_source_that_cannot_open_is_reported(qtbot: Any, controller: FakeController) -> None:
    def no_microphone() -> Any:
        raise ConfigError("No microphone (audio input device) was found.")

    widget = TranscriptStrip(controller, source_factory=no_microphone)
    qtbot.addWidget(widget)
    widget.start_button.click()
    assert controller.calls == []
    assert "No microphone" in widget.status.text()


def test_segment_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = SegmentListModel()
    model.append({"text": "第一句", "start": 0.0, "end": 1.0})
    model.append({"text": "第二句", "start": 1.5, "end": 3.0})
    qtmodeltester.check(model)


def test_controller_reports_a_missing_model_on_its_thread(qtbot: Any, tmp_path: Path) -> None:
    missing = tmp_path / "vosk-model-small-cn-0.22"
    controller = TranscriptionController(TranscriptionService(missing))
    try:
        with qtbot.waitSignal(controller.failed, timeout=5000) as failed:
            controller.load_model()
        assert str(missing) in failed.args[0]
    finally:
        assert controller.shutdown()


def test_a_training_scenario_plays_into_the_strip_without_a_model(
    qtbot: Any, tmp_path: Path
) -> None:
    root = Path(__file__).resolve().parents[2]
    scenario = load_scenario(root / "resources" / "scenarios" / "streetlight_out.json")
    controller = TranscriptionController(TranscriptionService(tmp_path / "no-model"))
    strip = TranscriptStrip(controller, extractor=Extractor(places=["海淀区"]))
    qtbot.addWidget(strip)
    partials: list[str] = []
    controller.partial_text.connect(partials.append)
    try:
        with qtbot.waitSignal(controller.stopped, timeout=10_000):
            assert controller.start_scenario(scenario, pace=50.0)
    finally:
        assert controller.shutdown()
    assert strip.model.rowCount() == len(scenario.segments)
    assert len(partials) > len(scenario.segments)
    kinds = {chip.proposal.kind for chip in strip.chips()}
    assert {"name", "address", "phone"} <= kinds
    assert "13800000102" not in strip.transcript_text()


# --- microphone picker ------------------------------------------------------------------

HEADSET = InputDevice(index=3, name="USB Headset", channels=1, default_samplerate=48000.0)
BUILT_IN = InputDevice(
    index=0, name="Built-in Microphone", channels=2, default_samplerate=44100.0, is_default=True
)


class Lister:
    """Stands in for ``list_input_devices``; records the thread it runs on."""

    def __init__(self, result: list[InputDevice] | BaseException) -> None:
        self.result = result
        self.threads: list[threading.Thread] = []

    def __call__(self) -> list[InputDevice]:
        self.threads.append(threading.current_thread())
        if isinstance(self.result, BaseException):
            raise self.result
        return list(self.result)


def picker(
    qtbot: Any, controller: FakeController, lister: Lister, preferred: str = ""
) -> TranscriptStrip:
    widget = TranscriptStrip(
        controller, source_factory=NullSource, device_lister=lister, preferred_device=preferred
    )
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.devices_listed, timeout=5000):
        widget.show()  # listing starts when the strip is first shown
    return widget


def test_microphones_are_listed_off_the_gui_thread_default_first(
    qtbot: Any, controller: FakeController
) -> None:
    lister = Lister([BUILT_IN, HEADSET])
    widget = picker(qtbot, controller, lister)
    assert lister.threads
    assert lister.threads[0] is not threading.main_thread()
    assert widget.device_box.isVisible()
    assert widget.device_box.isEnabled()
    assert widget.device_names() == ["Built-in Microphone", "USB Headset"]
    assert widget.device_box.currentText() == "Built-in Microphone（默认）"
    assert widget.selected_device() == 0
    assert widget.device_problem == ""
    with qtbot.waitSignal(widget.device_chosen) as chosen:
        widget.device_box.setCurrentIndex(1)
        widget.device_box.activated.emit(1)
    assert chosen.args == ["USB Headset"]
    assert widget.selected_device() == 3


def test_the_remembered_microphone_is_chosen_again(qtbot: Any, controller: FakeController) -> None:
    widget = picker(qtbot, controller, Lister([BUILT_IN, HEADSET]), preferred="USB Headset")
    assert widget.selected_device() == 3
    # unplugged since: the system default is used and nothing is claimed
    widget = picker(qtbot, controller, Lister([BUILT_IN]), preferred="USB Headset")
    assert widget.selected_device() == 0


def test_no_input_device_says_what_to_do_and_refresh_finds_one(
    qtbot: Any, controller: FakeController
) -> None:
    lister = Lister([])
    widget = picker(qtbot, controller, lister)
    assert widget.selected_device() is None
    assert not widget.device_box.isEnabled()
    assert "未找到麦克风" in widget.status.text()
    assert "插好耳麦" in widget.status.text()
    lister.result = [HEADSET]
    with qtbot.waitSignal(widget.devices_listed, timeout=5000):
        widget.refresh_devices_button.click()
    assert widget.selected_device() == 3
    assert widget.status.text() == "未开始"


def test_missing_portaudio_is_explained(qtbot: Any, controller: FakeController) -> None:
    widget = picker(qtbot, controller, Lister(PortAudioMissing("no libportaudio")))
    assert "PortAudio" in widget.status.text()
    assert "libportaudio2" in widget.status.text()
    assert widget.selected_device() is None
    assert widget.refresh_devices_button.isEnabled()


def test_without_a_lister_there_is_no_picker(strip: TranscriptStrip) -> None:
    strip.show()
    assert not strip.device_box.isVisible()
    assert strip.selected_device() is None


def test_seat_remembers_the_chosen_microphone(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agent_app.messages import MessageBridge  # noqa: PLC0415
    from agent_app.paths import DataPaths  # noqa: PLC0415
    from agent_app.settings import Settings  # noqa: PLC0415
    from agent_app.ui import panes  # noqa: PLC0415

    model = tmp_path / "model"
    for part in ("am", "conf", "graph"):
        (model / part).mkdir(parents=True)
    (model / "am" / "final.mdl").write_bytes(b"")  # looks like a model; never loaded here
    monkeypatch.delenv("AGENT_APP_VOSK_MODEL", raising=False)
    monkeypatch.setattr(panes, "_list_microphones", Lister([BUILT_IN, HEADSET]))
    opened: list[int | None] = []

    def microphone(device: int | None = None) -> NullSource:
        opened.append(device)
        return NullSource()

    monkeypatch.setattr(panes, "_microphone", microphone)
    paths = DataPaths(tmp_path / "seat").ensure()
    settings = Settings(paths.settings_file)
    settings.vosk_model = str(model)
    settings.microphone = "USB Headset"
    strip = panes.build_transcript(settings=settings, bridge=MessageBridge())
    assert isinstance(strip, TranscriptStrip)
    qtbot.addWidget(strip)
    with qtbot.waitSignal(strip.devices_listed, timeout=5000):
        strip.show()
    assert strip.selected_device() == 3
    strip.device_box.setCurrentIndex(0)
    strip.device_box.activated.emit(0)
    assert settings.microphone == "Built-in Microphone"
    strip._controller.start = lambda source: True  # noqa: SLF001 - no model thread here
    strip.start_button.click()
    assert opened == [0]
