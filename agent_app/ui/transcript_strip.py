"""The transcript strip: live transcription of the call, and the fields it proposes.

The strip shows the recogniser's live guess, the final segments with their times (editable,
stored with ID-card, bank-card and phone numbers masked), start / pause / stop buttons, and
proposal chips: each shows the value, the words it came from and accept / reject buttons.
The operator decides; an accepted proposal is emitted as plain data for the ticket form.

It gets its collaborators through the constructor: the transcription controller (any object
with the :class:`~agent_app.workers.transcription.TranscriptionController` signals and
``start/pause/resume/stop``), an :class:`~agent_app.services.speech.extract.Extractor`, and a
``source_factory`` that opens the audio for a new run (microphone, scenario file).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from agent_app.errors import KnownError
from agent_app.services.speech.audio import AudioSource
from agent_app.services.speech.extract import Extractor, Proposal
from agent_app.services.speech.recognizer import join_words
from agent_app.services.speech.redact import redact
from agent_app.services.speech.scenario import load_scenario

ModelIndex = QModelIndex | QPersistentModelIndex

KIND_TITLES = {
    "phone": "来电号码",
    "address": "地址",
    "name": "姓名",
    "time": "时间",
    "category": "分类",
    "kb": "知识库",
}


def format_time(seconds: float) -> str:
    """``75.4`` → ``01:15``."""
    total = max(int(seconds), 0)
    return f"{total // 60:02d}:{total % 60:02d}"


def display_value(proposal: Proposal) -> str:
    """What a chip shows: phone numbers masked, resolved times in Chinese date order."""
    if proposal.kind == "phone":
        return proposal.source_text
    if proposal.kind == "time" and len(proposal.value) >= 10 and proposal.value[4] == "-":
        month, day = int(proposal.value[5:7]), int(proposal.value[8:10])
        clock = f" {proposal.value[11:16]}" if len(proposal.value) >= 16 else ""
        return f"{month}月{day}日{clock}"
    return proposal.value


class SegmentListModel(QAbstractListModel):
    """Final segments as plain dicts ``{"text", "start", "end", "confidence"}``; editable.

    Text is redacted on the way in (also when the operator edits it), so what the model
    holds can be stored as it is.
    """

    segment_edited = Signal(int, str)
    """Row and its new (redacted) text after an edit."""

    SegmentRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{format_time(row['start'])}  {row['text']}"
        if role == Qt.ItemDataRole.EditRole:
            return row["text"]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{format_time(row['start'])}–{format_time(row['end'])}"
        if role == self.SegmentRole:
            return dict(row)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        text = redact(str(value).strip()).text
        self._rows[index.row()]["text"] = text
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        self.segment_edited.emit(index.row(), text)
        return True

    def append(self, segment: dict[str, Any]) -> None:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(
            {
                "text": redact(join_words(str(segment.get("text", "")))).text,
                "start": float(segment.get("start", 0.0)),
                "end": float(segment.get("end", 0.0)),
                "confidence": float(segment.get("confidence", 0.0)),
            }
        )
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows.clear()
        self.endResetModel()

    def segments(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self._rows]


class ProposalChip(QFrame):
    """One proposal: kind, value, the words it came from, accept and reject buttons.

    Signals:
        accepted(): the operator accepted it.
        rejected(): the operator rejected it.
    """

    accepted = Signal()
    """The operator accepted the proposal."""
    rejected = Signal()
    """The operator rejected the proposal."""

    def __init__(self, proposal: Proposal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("proposalChip")
        self.proposal = proposal
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#proposalChip { background: #eef4ff; border: 1px solid #9db7e5; border-radius: 6px; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.setSpacing(1)
        title = KIND_TITLES.get(proposal.kind, proposal.kind)
        shown = display_value(proposal)
        self.value_label = QLabel(f"<b>{title}</b>：{shown}", textFormat=Qt.TextFormat.RichText)
        self.source_label = QLabel(
            self.tr("来自：“{words}” {time}").format(
                words=join_words(proposal.source_text), time=format_time(proposal.start)
            )
        )
        self.source_label.setStyleSheet("color: #555; font-size: 11px;")
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        self.accept_button = QPushButton(self.tr("采用"))
        self.accept_button.setToolTip(self.tr("填入工单"))
        self.reject_button = QPushButton(self.tr("忽略"))
        self.reject_button.setToolTip(self.tr("不采用这条建议"))
        for button in (self.accept_button, self.reject_button):
            button.setFixedHeight(22)
        self.accept_button.clicked.connect(self.accepted)
        self.reject_button.clicked.connect(self.rejected)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        layout.addWidget(self.value_label)
        layout.addWidget(self.source_label)
        layout.addLayout(buttons)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)


class TranscriptStrip(QWidget):
    """Live transcript with start / pause / stop, editable segments and proposal chips.

    Signals:
        proposal_accepted(dict): the operator accepted a proposal (``Proposal.as_dict()``).
        proposal_rejected(dict): the operator rejected a proposal.
        transcript_changed(str): the stored (redacted) transcript text changed.
        start_requested(): the operator pressed start.
    """

    proposal_accepted = Signal(dict)
    """The operator accepted a proposal; a dict from ``Proposal.as_dict()``."""
    proposal_rejected = Signal(dict)
    """The operator rejected a proposal."""
    transcript_changed = Signal(str)
    """The stored (redacted) transcript text changed."""
    start_requested = Signal()
    """The operator pressed start."""

    def __init__(
        self,
        controller: Any,
        *,
        extractor: Extractor | None = None,
        source_factory: Callable[[], AudioSource] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._extractor = extractor
        self._source_factory = source_factory
        self._chips: list[ProposalChip] = []
        self._scenarios: list[Path] = []
        self._pace: float | None = 1.0
        self._unavailable = ""
        self.setObjectName("transcriptStrip")
        self.setFont(QFont(["WenQuanYi Micro Hei", "Noto Sans CJK SC", self.font().family()]))

        self.model = SegmentListModel(self)
        self.model.segment_edited.connect(self._on_segment_edited)

        self.title = QLabel(self.tr("<b>通话转写</b>"))
        self.status = QLabel(self.tr("未开始"))
        self.status.setStyleSheet("color: #666;")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.scenario_box = QComboBox()
        self.scenario_box.setToolTip(self.tr("培训场景：按“开始”回放该场景的通话转写"))
        self.scenario_box.setVisible(False)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(120)
        self.progress.setVisible(False)
        self.start_button = QPushButton(self.tr("开始"))
        self.start_button.setToolTip(self.tr("开始转写"))
        self.pause_button = QPushButton(self.tr("暂停"))
        self.pause_button.setCheckable(True)
        self.pause_button.setEnabled(False)
        self.stop_button = QPushButton(self.tr("停止"))
        self.stop_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.pause_button.toggled.connect(self.set_paused)
        self.stop_button.clicked.connect(self.stop)

        self.partial_label = QLabel(wordWrap=True)
        self.partial_label.setObjectName("partialText")
        self.partial_label.setStyleSheet("color: #3a6fb0; font-style: italic;")
        self.partial_label.setMinimumHeight(20)

        self.view = QListView()
        self.view.setObjectName("segments")
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.setUniformItemSizes(False)

        self._chip_box = QWidget()
        self._chip_layout = QHBoxLayout(self._chip_box)
        self._chip_layout.setContentsMargins(0, 0, 0, 0)
        self._chip_layout.addStretch(1)
        chips_scroll = QScrollArea(widgetResizable=True)
        chips_scroll.setFrameShape(QFrame.Shape.NoFrame)
        chips_scroll.setWidget(self._chip_box)
        chips_scroll.setFixedHeight(86)
        chips_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.status, 1)
        header.addWidget(self.progress)
        header.addWidget(self.scenario_box)
        header.addWidget(self.start_button)
        header.addWidget(self.pause_button)
        header.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(header)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.partial_label)
        layout.addWidget(chips_scroll)

        c = controller
        c.partial_text.connect(self.on_partial)
        c.final_text.connect(self.on_final)
        c.failed.connect(self.on_failed)
        c.model_loading.connect(self.on_model_loading)
        c.model_ready.connect(self.on_model_ready)
        c.stopped.connect(self.on_stopped)

    # ------------------------------------------------------------------ data out

    def segments(self) -> list[dict[str, Any]]:
        """The final segments as stored (redacted), oldest first."""
        return self.model.segments()

    def transcript_text(self) -> str:
        """The whole stored transcript, one segment per line with its time."""
        return "\n".join(f"[{format_time(s['start'])}] {s['text']}" for s in self.segments())

    def pending_proposals(self) -> list[Proposal]:
        return [chip.proposal for chip in self._chips]

    def set_source_factory(self, factory: Callable[[], AudioSource] | None) -> None:
        self._source_factory = factory

    def set_extractor(self, extractor: Extractor | None) -> None:
        """Use this extractor for the next final segments (built in the background)."""
        self._extractor = extractor

    def set_scenarios(self, scenarios: Sequence[Path], *, pace: float | None = 1.0) -> None:
        """Training mode: "start" replays the chosen scenario's transcript (no model needed)."""
        self._scenarios = list(scenarios)
        self._pace = pace
        self.scenario_box.clear()
        for path in self._scenarios:
            try:
                title = load_scenario(path).title
            except KnownError:
                title = path.stem
            self.scenario_box.addItem(title, str(path))
        self.scenario_box.setVisible(bool(self._scenarios))
        self.start_button.setEnabled(bool(self._scenarios) or not self._unavailable)
        if self._scenarios:
            self.start_button.setToolTip(self.tr("回放所选培训场景"))

    def set_unavailable(self, message: str) -> None:
        """No usable speech model: say why and what to do; live transcription stays off."""
        self._unavailable = message
        self.status.setText(message)
        self.status.setToolTip(message)
        self.status.setStyleSheet("color: #8a4b00;")
        if not self._scenarios:
            self.start_button.setEnabled(False)

    @property
    def unavailable(self) -> str:
        """Why live transcription is off ("" when a model is configured)."""
        return self._unavailable

    # ------------------------------------------------------------------ operator actions

    @Slot()
    def start(self) -> None:
        """Open the audio source and start transcribing (the model loads first if needed)."""
        self.start_requested.emit()
        if self._scenarios:
            self._start_scenario()
            return
        if self._unavailable:
            self.status.setText(self._unavailable)
            return
        if self._source_factory is None:
            self.status.setText(self.tr("没有可用的音频来源"))
            return
        try:
            source = self._source_factory()
        except KnownError as exc:
            self.on_failed(str(exc))
            return
        if self._controller.start(source):
            self.start_button.setEnabled(False)
            self.pause_button.setEnabled(True)
            self.stop_button.setEnabled(True)
            self.status.setText(self.tr("正在转写…"))

    def _start_scenario(self) -> None:
        index = max(self.scenario_box.currentIndex(), 0)
        try:
            scenario = load_scenario(self._scenarios[index])
        except KnownError as exc:
            self.on_failed(str(exc))
            return
        if self._controller.start_scenario(scenario, self._pace):
            self.start_button.setEnabled(False)
            self.scenario_box.setEnabled(False)
            self.pause_button.setEnabled(True)
            self.stop_button.setEnabled(True)
            self.status.setStyleSheet("color: #666;")
            self.status.setText(
                self.tr("培训场景回放中：{title}").format(title=scenario.title)
            )

    @Slot(bool)
    def set_paused(self, paused: bool) -> None:
        if paused:
            self._controller.pause()
            self.status.setText(self.tr("已暂停"))
            self.partial_label.clear()
        else:
            self._controller.resume()
            self.status.setText(self.tr("正在转写…"))

    @Slot()
    def stop(self) -> None:
        self._controller.stop()
        self.stop_button.setEnabled(False)

    @Slot()
    def clear(self) -> None:
        """Forget the transcript and proposals (a new call)."""
        self.model.clear()
        self.partial_label.clear()
        for chip in list(self._chips):
            self._remove_chip(chip)
        self.transcript_changed.emit("")

    # ------------------------------------------------------------------ controller signals

    @Slot(str)
    def on_partial(self, text: str) -> None:
        self.partial_label.setText(redact(join_words(text)).text)

    @Slot(dict)
    def on_final(self, segment: dict[str, Any]) -> None:
        """A final segment: extract proposals from the words heard, store it redacted."""
        self.partial_label.clear()
        text = str(segment.get("text", ""))
        start, end = float(segment.get("start", 0.0)), float(segment.get("end", 0.0))
        if self._extractor is not None:
            extraction = self._extractor.extract(text, start, end)
            for proposal in extraction.proposals:
                self.add_proposal(proposal)
        self.model.append(segment)
        self.view.scrollToBottom()
        self.transcript_changed.emit(self.transcript_text())

    @Slot(str)
    def on_failed(self, message: str) -> None:
        self.progress.setVisible(False)
        self.status.setText(self.tr("语音识别不可用：{message}").format(message=message))
        self.status.setToolTip(message)

    @Slot(int)
    def on_model_loading(self, percent: int) -> None:
        self.progress.setVisible(percent < 100)
        self.progress.setValue(percent)
        self.status.setText(self.tr("正在加载语音模型…"))

    @Slot()
    def on_model_ready(self) -> None:
        self.progress.setVisible(False)
        self.status.setText(self.tr("语音模型已就绪"))

    @Slot()
    def on_stopped(self) -> None:
        self.partial_label.clear()
        self.start_button.setEnabled(bool(self._scenarios) or not self._unavailable)
        self.scenario_box.setEnabled(True)
        self.pause_button.setChecked(False)
        self.pause_button.setEnabled(False)
        self.stop_button.setEnabled(False)
        if not self.status.text().startswith(self.tr("语音识别不可用")):
            self.status.setText(self.tr("已停止"))

    # ------------------------------------------------------------------ proposals

    def add_proposal(self, proposal: Proposal) -> ProposalChip:
        chip = ProposalChip(proposal, self._chip_box)
        chip.accepted.connect(lambda c=chip: self._decide(c, accepted=True))
        chip.rejected.connect(lambda c=chip: self._decide(c, accepted=False))
        self._chip_layout.insertWidget(0, chip)  # newest first, where the eye is
        self._chips.append(chip)
        return chip

    def chips(self) -> list[ProposalChip]:
        return list(self._chips)

    def _decide(self, chip: ProposalChip, *, accepted: bool) -> None:
        self._remove_chip(chip)
        data = chip.proposal.as_dict()
        if accepted:
            self.proposal_accepted.emit(data)
        else:
            self.proposal_rejected.emit(data)

    def _remove_chip(self, chip: ProposalChip) -> None:
        if chip in self._chips:
            self._chips.remove(chip)
            self._chip_layout.removeWidget(chip)
            chip.deleteLater()

    @Slot(int, str)
    def _on_segment_edited(self, row: int, text: str) -> None:
        self.transcript_changed.emit(self.transcript_text())


def _preview(argv: list[str]) -> int:
    """Run the strip alone on a training scenario: ``python -m agent_app.ui.transcript_strip
    [--scenario JSON] [--screenshot PNG]`` (replayed, no model needed)."""
    import argparse  # noqa: PLC0415
    import csv  # noqa: PLC0415
    import sys  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    from PySide6.QtCore import QTimer  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from agent_app.paths import knowledge_base_dir, resources_dir  # noqa: PLC0415
    from agent_app.services.speech.recognizer import TranscriptionService  # noqa: PLC0415
    from agent_app.services.speech.scenario import load_scenario  # noqa: PLC0415
    from agent_app.workers.transcription import TranscriptionController  # noqa: PLC0415

    parser = argparse.ArgumentParser(prog="transcript_strip")
    parser.add_argument(
        "--scenario",
        default=str(resources_dir() / "scenarios" / "noise_night_construction.json"),
    )
    parser.add_argument("--screenshot", metavar="PNG")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    places: list[str] = []
    divisions = knowledge_base_dir() / "divisions.csv"
    if divisions.exists():
        with open(divisions, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                places += [row["district_name"], row["township_name"]]
    extractor = Extractor(
        keywords={"噪音": "环境保护/噪声污染/施工噪声", "施工": "城乡建设/施工管理/夜间施工"},
        places=places,
    )
    scenario = load_scenario(args.scenario)
    controller = TranscriptionController(TranscriptionService(tempfile.gettempdir()))
    strip = TranscriptStrip(controller, extractor=extractor)
    strip.setWindowTitle(strip.tr("通话转写 — {title}").format(title=scenario.title))
    strip.resize(1180, 330)
    strip.show()
    if args.screenshot:
        words = scenario.segments[-1].text.split()

        def shoot() -> None:
            strip.status.setText(strip.tr("正在转写…"))
            strip.start_button.setEnabled(False)
            strip.pause_button.setEnabled(True)
            strip.stop_button.setEnabled(True)
            strip.on_partial(" ".join(words[-7:]))
            app.processEvents()
            strip.grab().save(args.screenshot)
            controller.shutdown()
            app.quit()

        for segment in scenario.segments:
            strip.on_final(segment.as_dict())
        QTimer.singleShot(200, shoot)
    else:
        controller.start_scenario(scenario, pace=1.0)
        app.aboutToQuit.connect(controller.shutdown)
    return int(app.exec())


if __name__ == "__main__":
    import sys

    raise SystemExit(_preview(sys.argv[1:]))
