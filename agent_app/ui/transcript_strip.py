"""The transcript strip: live transcription of the call, and the fields it proposes.

The strip shows the recogniser's live guess, the final segments with their times (editable,
stored with ID-card, bank-card and phone numbers masked), start / pause / stop buttons, and
proposal chips: each shows the value, the words it came from and accept / reject buttons.
The operator decides; an accepted proposal is emitted as plain data for the ticket form.

It gets its collaborators through the constructor: the transcription controller (any object
with the :class:`~agent_app.workers.transcription.TranscriptionController` signals and
``start/pause/resume/stop``), an :class:`~agent_app.services.speech.extract.Extractor`, and a
``source_factory`` that opens the audio for a new run (microphone, scenario file).

With a ``device_lister`` (e.g. :func:`~agent_app.services.speech.audio.list_input_devices`) the
strip shows a microphone picker.  The devices are listed on a worker thread (loading PortAudio
and asking the sound system can take a moment) when the strip is first shown and when the
operator presses "刷新"; a missing PortAudio library or the absence of any input device is
said in the status line with what to do.  :meth:`TranscriptStrip.selected_device` is the index
for :class:`~agent_app.services.speech.audio.MicrophoneSource`; ``device_chosen`` carries the
chosen device's name so that the seat can remember it (indices change between sessions).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QFont, QShowEvent
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
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agent_app.errors import KnownError
from agent_app.services.speech.audio import AudioSource, InputDevice, PortAudioMissing
from agent_app.services.speech.extract import Extractor, Proposal
from agent_app.services.speech.recognizer import join_words
from agent_app.services.speech.redact import redact
from agent_app.services.speech.scenario import load_scenario
from agent_app.workers.tasks import TaskRunner

ModelIndex = QModelIndex | QPersistentModelIndex

KIND_TITLES = {  # shown translated (context "ProposalChip")
    "phone": QT_TRANSLATE_NOOP("ProposalChip", "来电号码"),
    "address": QT_TRANSLATE_NOOP("ProposalChip", "地址"),
    "name": QT_TRANSLATE_NOOP("ProposalChip", "姓名"),
    "time": QT_TRANSLATE_NOOP("ProposalChip", "时间"),
    "category": QT_TRANSLATE_NOOP("ProposalChip", "分类"),
    "kb": QT_TRANSLATE_NOOP("ProposalChip", "知识库"),
}


def format_time(seconds: float) -> str:
    """``75.4`` → ``01:15``."""
    total = max(int(seconds), 0)
    return f"{total // 60:02d}:{total % 60:02d}"


def display_value(proposal: Proposal) -> str:
    """What a chip shows: phone numbers masked, resolved times as a short date (Chinese order
    in Chinese: 5月3日 15:30)."""
    if proposal.kind == "phone":
        return proposal.source_text
    if proposal.kind == "time" and len(proposal.value) >= 10 and proposal.value[4] == "-":
        month, day = int(proposal.value[5:7]), int(proposal.value[8:10])
        clock = f" {proposal.value[11:16]}" if len(proposal.value) >= 16 else ""
        return QCoreApplication.translate("ProposalChip", "{month}月{day}日{clock}").format(
            month=month, day=day, clock=clock
        )
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

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
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

    def setData(  # noqa: N802 - Qt API
        self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
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

    def stored(self, row: int) -> dict[str, Any]:
        """One row as stored (a copy)."""
        return dict(self._rows[row])


def chip_button_height(widget: QWidget) -> int:
    """Height of a proposal chip's buttons for ``widget``'s font."""
    return widget.fontMetrics().height() + 6


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
        title = self.tr(str(KIND_TITLES.get(proposal.kind, proposal.kind)))
        shown = display_value(proposal)
        self.value_label = QLabel(
            self.tr("<b>{0}</b>：{1}").format(title, shown), textFormat=Qt.TextFormat.RichText
        )
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
            # room for Latin descenders too ("Accept", "Ignore"): from the font, not fixed
            button.setStyleSheet("QPushButton { padding: 0 8px; }")
            button.setFixedHeight(chip_button_height(button))
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
        proposal_accepted(object): the operator accepted this :class:`Proposal`.
        proposal_rejected(object): the operator rejected this :class:`Proposal`.
        transcript_changed(str): the stored (redacted) transcript text changed.
        segment_stored(int, object): a final segment was stored, or the operator corrected
            one: its row and the stored dict (text redacted, ``start``, ``end``).
        start_requested(): the operator pressed start.
    """

    proposal_accepted = Signal(object)
    """The operator accepted a proposal; a dict from ``Proposal.as_dict()``."""
    proposal_rejected = Signal(object)
    """The operator rejected a proposal."""
    transcript_changed = Signal(str)
    """The stored (redacted) transcript text changed."""
    segment_stored = Signal(int, object)
    """A final segment was stored or corrected: its row and the stored dict (the call's
    presenter drafts the description from these)."""
    start_requested = Signal()
    """The operator pressed start."""
    device_chosen = Signal(str)
    """The operator picked a microphone; its name (to remember in the seat's settings)."""
    devices_listed = Signal(int)
    """The microphone list was refreshed; the number of input devices found."""

    def __init__(
        self,
        controller: Any,
        *,
        extractor: Extractor | None = None,
        source_factory: Callable[[], AudioSource] | None = None,
        device_lister: Callable[[], Sequence[InputDevice]] | None = None,
        preferred_device: str = "",
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._device_lister = device_lister
        self._preferred_device = preferred_device
        self._runner = runner
        self._devices_requested = False
        self._device_problem = ""
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
        # at most two lines beside the controls (the whole message is its tooltip), so a long
        # message never pushes the proposal chips below the window's edge
        self.status.setMinimumWidth(160)
        self.status.setMaximumHeight(2 * self.fontMetrics().lineSpacing() + 2)
        self.scenario_box = QComboBox()
        self.scenario_box.setMinimumContentsLength(10)
        self.scenario_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.scenario_box.setToolTip(self.tr("培训场景：按“开始”回放该场景的通话转写"))
        self.scenario_box.setVisible(False)
        self.device_box = QComboBox()
        self.device_box.setObjectName("microphoneBox")
        self.device_box.setToolTip(self.tr("麦克风（音频输入设备），下次按“开始”时生效"))
        self.device_box.setMinimumContentsLength(14)
        self.device_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.device_box.setVisible(device_lister is not None)
        self.device_box.activated.connect(self._on_device_activated)
        self.refresh_devices_button = QToolButton()
        self.refresh_devices_button.setText("↻")
        self.refresh_devices_button.setToolTip(self.tr("刷新麦克风列表"))
        self.refresh_devices_button.setVisible(device_lister is not None)
        self.refresh_devices_button.clicked.connect(self.refresh_devices)
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
        # a chip's three lines and its buttons, plus the horizontal scroll bar
        line = self.fontMetrics().height()
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        chips_scroll.setFixedHeight(2 * line + chip_button_height(self) + 16 + bar)
        chips_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.status, 1)
        header.addWidget(self.progress)
        header.addWidget(self.scenario_box)
        header.addWidget(self.device_box)
        header.addWidget(self.refresh_devices_button)
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

    # ------------------------------------------------------------------ microphone picker

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._device_lister is not None and not self._devices_requested:
            self.refresh_devices()  # after the window has painted, on a worker

    @Slot()
    def refresh_devices(self) -> None:
        """List the input devices on a worker thread; the combo fills when they arrive."""
        lister = self._device_lister
        if lister is None:
            return
        self._devices_requested = True
        if self._runner is None:
            self._runner = TaskRunner(self, query_threads=1)
        self.device_box.setEnabled(False)
        self.refresh_devices_button.setEnabled(False)
        if self.device_box.count() == 0:
            self.device_box.addItem(self.tr("正在查找麦克风…"), None)
        self._runner.run_query(lambda: list(lister()), self._devices_ready, self._devices_failed)

    def _devices_ready(self, devices: list[InputDevice]) -> None:
        self.refresh_devices_button.setEnabled(True)
        self.device_box.clear()
        if not devices:
            self.device_box.addItem(self.tr("无麦克风"), None)
            self.device_box.setEnabled(False)
            self._set_device_problem(
                self.tr(
                    "未找到麦克风（音频输入设备）：请插好耳麦，在系统声音设置中启用输入设备，"
                    "然后按“↻”刷新。"
                )
            )
            self.devices_listed.emit(0)
            return
        for row, device in enumerate(devices):
            label = device.name + (self.tr("（默认）") if device.is_default else "")
            self.device_box.addItem(label, device.index)
            self.device_box.setItemData(row, device.name, Qt.ItemDataRole.ToolTipRole)
        names = [d.name for d in devices]
        if self._preferred_device in names:  # the one chosen last time, if still plugged in
            chosen = names.index(self._preferred_device)
        else:
            chosen = next((row for row, d in enumerate(devices) if d.is_default), 0)
        self.device_box.setCurrentIndex(chosen)
        self.device_box.setEnabled(True)
        self._set_device_problem("")
        self.devices_listed.emit(len(devices))

    def _devices_failed(self, error: BaseException) -> None:
        self.refresh_devices_button.setEnabled(True)
        self.device_box.clear()
        self.device_box.addItem(self.tr("无麦克风"), None)
        self.device_box.setEnabled(False)
        if isinstance(error, PortAudioMissing):
            message = self.tr(
                "未安装 PortAudio 音频库，无法使用麦克风：请安装 libportaudio2"
                "（Debian/Ubuntu：sudo apt-get install libportaudio2）后重启程序，或改用培训场景/音频文件。"
            )
        elif isinstance(error, KnownError):
            message = str(error)
        else:
            message = self.tr("无法列出麦克风（{kind}）：请检查系统声音设置后按“↻”刷新。").format(
                kind=type(error).__name__
            )
        self._set_device_problem(message)
        self.devices_listed.emit(0)

    def _set_device_problem(self, message: str) -> None:
        previous, self._device_problem = self._device_problem, message
        if self._unavailable:
            return  # no model: that message stays, it matters more
        if message:
            self.status.setText(message)
            self.status.setToolTip(message)
            self.status.setStyleSheet("color: #8a4b00;")
        elif previous and self.status.text() == previous:  # the microphone is back
            self.status.setText(self.tr("未开始"))
            self.status.setToolTip("")
            self.status.setStyleSheet("color: #666;")

    @property
    def device_problem(self) -> str:
        """Why no microphone can be used ("" when one was found)."""
        return self._device_problem

    def selected_device(self) -> int | None:
        """The chosen input device's index for ``MicrophoneSource`` (None: system default)."""
        data = self.device_box.currentData()
        return int(data) if isinstance(data, int) else None

    def device_names(self) -> list[str]:
        return [
            str(self.device_box.itemData(i, Qt.ItemDataRole.ToolTipRole))
            for i in range(self.device_box.count())
            if isinstance(self.device_box.itemData(i), int)
        ]

    @Slot(int)
    def _on_device_activated(self, row: int) -> None:
        name = self.device_box.itemData(row, Qt.ItemDataRole.ToolTipRole)
        if isinstance(self.device_box.itemData(row), int) and name:
            self._preferred_device = str(name)
            self.device_chosen.emit(str(name))

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
            self.status.setToolTip(self._unavailable)
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
            self.status.setText(self.tr("培训场景回放中：{title}").format(title=scenario.title))

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
        row = self.model.rowCount() - 1
        self.segment_stored.emit(row, self.model.stored(row))
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
        if accepted:
            self.proposal_accepted.emit(chip.proposal)
        else:
            self.proposal_rejected.emit(chip.proposal)

    def _remove_chip(self, chip: ProposalChip) -> None:
        if chip in self._chips:
            self._chips.remove(chip)
            self._chip_layout.removeWidget(chip)
            chip.deleteLater()

    @Slot(int)
    def show_segment(self, row: int) -> bool:
        """Scroll to the ``row``-th final segment and select it (where a drafted sentence
        came from); False when there is no such row (the transcript was cleared)."""
        index = self.model.index(row, 0)
        if not index.isValid():
            return False
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.view.setCurrentIndex(index)
        return True

    @Slot(int, str)
    def _on_segment_edited(self, row: int, text: str) -> None:
        self.segment_stored.emit(row, self.model.stored(row))
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
        default=str(resources_dir() / "scenarios" / "night_construction_noise.json"),
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
    strip.setWindowTitle(
        QCoreApplication.translate("TranscriptStrip", "通话转写 — {title}").format(
            title=scenario.title
        )
    )
    strip.resize(1180, 330)
    strip.show()
    if args.screenshot:
        words = scenario.segments[-1].text.split()

        def shoot() -> None:
            strip.status.setText(QCoreApplication.translate("TranscriptStrip", "正在转写…"))
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
