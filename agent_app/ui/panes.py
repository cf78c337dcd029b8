"""Builds the side panes (knowledge base, map) and the transcript strip from what is available.

The composition root calls :func:`build_panes`; the window gets ``Panes.side`` and
``Panes.transcript``, and :func:`agent_app.ui.wiring.connect_panes` connects them to the form.
Nothing slow runs here: the knowledge-base index is built or checked, jieba loaded and the
extractor's place names and category keywords read in workers started by
:meth:`Panes.start_background` after the window has painted; the speech model loads when
transcription starts.  A part that cannot be built (missing content, no speech model) shows
what is missing and how to fix it, instead of failing the window.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from agent_app.domain.roles import Role
from agent_app.errors import KnownError
from agent_app.messages import MessageBridge
from agent_app.paths import DataPaths, knowledge_base_dir, resources_dir
from agent_app.settings import Settings
from agent_app.workers.tasks import TaskRunner

if TYPE_CHECKING:
    from agent_app.services.geo.gazetteer import Gazetteer
    from agent_app.services.kb import KnowledgeBase
    from agent_app.services.speech.extract import Extractor
    from agent_app.ui.kb_pane import KnowledgePane
    from agent_app.ui.map_pane import MapPane
    from agent_app.ui.transcript_strip import TranscriptStrip
    from agent_app.workers.transcription import TranscriptionController

log = logging.getLogger("agent_app.ui")

KB_TAB = "知识库"
MAP_TAB = "地图"
TRANSCRIPT_MAX_HEIGHT = 230


def tr(text: str) -> str:
    """``text`` translated in the "panes" context (a literal must also appear in a
    ``QCoreApplication.translate("panes", ...)`` call: lupdate only sees those)."""
    return QCoreApplication.translate("panes", text)


TAB_TITLES = (QT_TRANSLATE_NOOP("panes", "知识库"), QT_TRANSLATE_NOOP("panes", "地图"))


def tab_title(key: str) -> str:
    """The shown title of the side pane ``key`` (KB_TAB, MAP_TAB: Chinese, they identify it)."""
    return QCoreApplication.translate("panes", key)


def _placeholder(title: str, text: str) -> QWidget:
    widget = QWidget()
    layout = QVBoxLayout(widget)
    label = QLabel(f"<h3>{title}</h3><p>{text}</p>", wordWrap=True)
    label.setObjectName("paneUnavailable")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    layout.addWidget(label)
    return widget


@dataclass
class Panes:
    """The built panes and the services behind them (some may be missing, see the fields)."""

    side: dict[str, QWidget]
    transcript: QWidget
    runner: TaskRunner
    paths: DataPaths
    settings: Settings
    demo: bool
    role: Role | None = None
    knowledge_base: KnowledgeBase | None = None
    kb_pane: KnowledgePane | None = None
    map_pane: MapPane | None = None
    gazetteer: Gazetteer | None = None
    strip: TranscriptStrip | None = None
    controller: TranscriptionController | None = None
    model_path: Path | None = None
    """The usable speech model directory, or None (see ``speech_problem``)."""
    speech_problem: str = ""
    kb_ready: bool = False
    _map_slot: QWidget | None = field(default=None, repr=False)
    _on_map_ready: list[Callable[[], None]] = field(default_factory=list, repr=False)
    _strip_slot: QWidget | None = field(default=None, repr=False)
    _strip_builder: Callable[[], QWidget] | None = field(default=None, repr=False)
    _on_strip_ready: list[Callable[[], None]] = field(default_factory=list, repr=False)
    _started: bool = field(default=False, repr=False)
    _closed: bool = field(default=False, repr=False)

    def start_background(self) -> None:
        """Build or check the knowledge-base index and load the extractor's data, in workers.

        Call once the window has painted; later calls do nothing.
        """
        if self._started or self._closed:
            return
        self._started = True
        self.build_map()
        self.build_strip()
        if self.knowledge_base is not None and self.kb_pane is not None:
            kb, pane = self.knowledge_base, self.kb_pane
            pane.set_notice(QCoreApplication.translate("panes", "正在准备知识库索引…"))

            def ready(info: Any) -> None:
                self.kb_ready = True
                pane.set_notice("")
                log.info("knowledge base ready: %s articles", getattr(info, "documents", "?"))

            def failed(error: BaseException) -> None:
                pane.set_notice(kb_problem(error))

            self.runner.run_query(kb.warm_up, ready, failed)
        if self.strip is not None:
            strip, gaz = self.strip, self.gazetteer
            self.runner.run_query(
                lambda: build_extractor(gaz), strip.set_extractor, _log_extractor_failure
            )
        if self.controller is not None and self.model_path is not None and not self.demo:
            self.controller.load_model()  # seconds, on the transcription thread, with progress

    def build_map(self) -> None:
        """Build a deferred map pane into its tab now (GUI thread, about 0.1 s); then run
        the callbacks of :meth:`when_map_ready`.  Nothing when it was built already."""
        slot, self._map_slot = self._map_slot, None
        if slot is not None and not self._closed:
            _fill_slot(slot, _make_map(self))
        callbacks, self._on_map_ready = self._on_map_ready, []
        for callback in callbacks:
            callback()

    def build_strip(self) -> None:
        """Build a deferred transcript strip into its place now; then run the callbacks of
        :meth:`when_strip_ready`.  Nothing when it was built already."""
        slot, self._strip_slot = self._strip_slot, None
        builder, self._strip_builder = self._strip_builder, None
        if slot is not None and builder is not None and not self._closed:
            _fill_slot(slot, builder())
        callbacks, self._on_strip_ready = self._on_strip_ready, []
        for callback in callbacks:
            callback()

    def when_strip_ready(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the transcript strip exists (or is known to be absent)."""
        if self._strip_slot is None:
            callback()
        else:
            self._on_strip_ready.append(callback)

    def when_map_ready(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the map pane (and the gazetteer) exist."""
        if self._map_slot is None:
            callback()
        else:
            self._on_map_ready.append(callback)

    def shutdown(self) -> None:
        """Stop the workers and close the index (the window is closing)."""
        if self._closed:
            return
        self._closed = True
        if self.kb_pane is not None:
            self.kb_pane.shutdown()
        if self.controller is not None:
            self.controller.shutdown()
        if self.knowledge_base is not None:
            self.knowledge_base.close()


def _log_extractor_failure(error: BaseException) -> None:
    log.warning("transcript extractor data unavailable: %s", type(error).__name__)


def kb_problem(error: BaseException) -> str:
    if isinstance(error, KnownError):
        return QCoreApplication.translate("panes", "知识库暂不可用：{error}").format(error=error)
    return QCoreApplication.translate(
        "panes",
        "知识库索引无法建立（{kind}），详见日志；可删除数据目录中的 kb_index.sqlite3 后重启。",
    ).format(kind=type(error).__name__)


# ----------------------------------------------------------------------------------- parts


def _build_kb(panes: Panes) -> None:
    from agent_app.services.kb import KnowledgeBase  # noqa: PLC0415 - light; jieba stays lazy
    from agent_app.ui.kb_pane import KnowledgePane  # noqa: PLC0415

    kb_dir = knowledge_base_dir()
    if not (kb_dir / "articles").is_dir():
        panes.side[KB_TAB] = _placeholder(
            QCoreApplication.translate("panes", "知识库"),
            QCoreApplication.translate(
                "panes",
                "未找到知识库内容目录 {path}：请重新安装程序，"
                "或用环境变量 AGENT_APP_KB_DIR 指向知识库目录。",
            ).format(path=kb_dir / "articles"),
        )
        return
    kb = KnowledgeBase(kb_dir, panes.paths.kb_index)
    pane = KnowledgePane(
        lambda query, k: kb.search(query, k=k),
        article_lookup=kb.article,
        seat=panes.settings.seat,
        debounce_ms=panes.settings.suggest_debounce_ms,
    )
    pane.setObjectName("kbPane")
    panes.knowledge_base, panes.kb_pane = kb, pane
    panes.side[KB_TAB] = pane


"""The frame the tile server draws in: ``wgs84`` (OSM-style) or ``gcj02`` (Chinese providers).
Declared here until :class:`Settings` lists it; ``Settings.get`` reads any option."""


def _fill_slot(slot: QWidget, widget: QWidget) -> None:
    layout = slot.layout()
    assert layout is not None
    while layout.count():
        item = layout.takeAt(0)
        old = item.widget() if item is not None else None
        if old is not None:
            old.deleteLater()
    layout.addWidget(widget)


def _slot(name: str, text: str) -> QWidget:
    slot = QWidget()
    slot.setObjectName(name)
    layout = QVBoxLayout(slot)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(QLabel(text))
    return slot


def _build_map(panes: Panes, *, defer: bool) -> None:
    """The map tab; with ``defer`` a light placeholder that :meth:`Panes.build_map` fills
    after the first paint (the map tab is not the one shown at start)."""
    if not defer:
        panes.side[MAP_TAB] = _make_map(panes)
        return
    slot = _slot("mapSlot", QCoreApplication.translate("panes", "正在加载地图…"))
    panes.side[MAP_TAB] = slot
    panes._map_slot = slot  # noqa: SLF001


def _make_map(panes: Panes) -> QWidget:
    from agent_app.services.geo.gazetteer import Gazetteer  # noqa: PLC0415
    from agent_app.services.geo.mapdata import DistrictMap  # noqa: PLC0415
    from agent_app.ui.map_pane import MapPane  # noqa: PLC0415

    geo_problem = ""
    try:
        _configure_geocoder(panes)
    except KnownError as exc:
        geo_problem = str(exc)
    try:
        district_map = DistrictMap.load()
    except KnownError as exc:
        return _placeholder(
            QCoreApplication.translate("panes", "地图"), " ".join((str(exc), geo_problem))
        )
    gazetteer: Gazetteer | None
    try:
        gazetteer = Gazetteer.default()
    except (KnownError, OSError) as exc:
        log.warning("gazetteer unavailable: %s", type(exc).__name__)
        gazetteer = None
    # Demo mode opens no network connection, so it never draws tiles.
    pane = MapPane(
        district_map,
        gazetteer,
        tile_url="" if panes.demo else panes.settings.tile_url,
        tile_crs=panes.settings.tile_crs,
        tile_cache_dir=panes.paths.root / "tile_cache",
    )
    if geo_problem:
        pane.set_notice(geo_problem)
    lead = panes.role is Role.LEAD
    pane.heat_button.setVisible(lead)
    panes.map_pane, panes.gazetteer = pane, gazetteer
    return pane


def _configure_geocoder(panes: Panes) -> None:
    """Check the setting *地理编码服务地址* (the intake service gets the URL through the
    workstation; a bad one raises :class:`ConfigError`, shown on the map, and intake stays
    offline).  Never asked in demo mode: it opens no connection."""
    from agent_app.services.geo.remote import check_remote_url  # noqa: PLC0415 - no geopy

    if not panes.demo and check_remote_url(panes.settings.nominatim_url):
        log.info("intake geocoder: gazetteer, then the configured Nominatim")


def speech_model(settings: Settings, explicit: str | None) -> tuple[Path | None, str]:
    """The usable model directory, or None and a message naming the path and the fix."""
    from agent_app.errors import ConfigError  # noqa: PLC0415
    from agent_app.services.speech.model import ENV_MODEL, check_model_dir  # noqa: PLC0415

    candidate = next(
        (
            str(c).strip()
            for c in (explicit, os.environ.get(ENV_MODEL), settings.vosk_model)
            if c is not None and str(c).strip()
        ),
        "",
    )
    if not candidate:
        return None, QCoreApplication.translate(
            "panes",
            "未配置语音识别模型：请在 settings.ini 的 vosk_model 或环境变量 {env} 中填写 Vosk 中文模型目录。",
        ).format(env=ENV_MODEL)
    try:
        return check_model_dir(candidate), ""
    except ConfigError:
        path = Path(candidate).expanduser()
        return None, QCoreApplication.translate(
            "panes",
            "语音识别模型目录 {path} 不存在或不是 Vosk 模型（需含 am/、conf/、graph/）："
            "请重新解压模型，或改正设置“语音识别模型目录”/ 环境变量 {env}。",
        ).format(path=path, env=ENV_MODEL)


def _build_transcript(
    panes: Panes, bridge: MessageBridge, model: str | None, *, defer: bool = False
) -> None:
    """The transcript strip; with ``defer`` a placeholder that :meth:`Panes.build_strip`
    fills after the first paint (the speech modules take about 0.1 s to import)."""
    if not defer:
        panes.transcript = _make_transcript(panes, model)
        return
    slot = _slot("transcriptSlot", QCoreApplication.translate("panes", "通话转写：正在加载…"))
    slot.setMaximumHeight(TRANSCRIPT_MAX_HEIGHT)
    panes.transcript = slot
    panes._strip_slot = slot  # noqa: SLF001
    panes._strip_builder = lambda: _make_transcript(panes, model)  # noqa: SLF001


def _make_transcript(panes: Panes, model: str | None) -> QWidget:
    from agent_app.services.speech.recognizer import TranscriptionService  # noqa: PLC0415
    from agent_app.ui.transcript_strip import TranscriptStrip  # noqa: PLC0415
    from agent_app.workers.transcription import TranscriptionController  # noqa: PLC0415

    path, problem = speech_model(panes.settings, model)
    service = TranscriptionService(path or panes.paths.models, keep_warm=True)
    controller = TranscriptionController(service)
    settings = panes.settings
    strip = TranscriptStrip(
        controller,
        device_lister=_list_microphones if path is not None and not panes.demo else None,
        preferred_device=settings.microphone,
        runner=panes.runner,
    )
    if path is not None:
        strip.set_source_factory(lambda: _microphone(strip.selected_device()))
    strip.device_chosen.connect(lambda name: setattr(settings, "microphone", name))
    strip.setMaximumHeight(TRANSCRIPT_MAX_HEIGHT)
    if problem:
        strip.set_unavailable(problem)
    if panes.demo:
        scenarios = sorted((resources_dir() / "scenarios").glob("*.json"))
        if scenarios:
            strip.set_scenarios(scenarios, pace=1.0)
            if problem:
                strip.set_unavailable(QCoreApplication.translate("panes", "演示：按“开始”回放场景"))
                strip.status.setToolTip(problem)
    panes.controller, panes.strip = controller, strip
    panes.model_path, panes.speech_problem = path, problem
    return strip


"""The microphone the operator picked last, by name (device indices change between sessions).
Declared here until :class:`Settings` lists it; ``Settings.get`` reads any option."""


def _microphone(device: int | None = None) -> Any:
    from agent_app.services.speech.audio import MicrophoneSource  # noqa: PLC0415

    return MicrophoneSource(device)


def _list_microphones() -> Any:
    """The input devices (runs on a worker: it loads PortAudio and asks the sound system)."""
    from agent_app.services.speech.audio import list_input_devices  # noqa: PLC0415

    return list_input_devices()


def build_extractor(gazetteer: Gazetteer | None) -> Extractor:
    """The transcript extractor with place names, a geocoder and the call's categorizer (worker);
    the logic is Qt-free in :mod:`agent_app.services.suggest.transcript`."""
    from agent_app.services.suggest.transcript import (  # noqa: PLC0415
        build_transcript_extractor,
    )

    categories = None
    try:
        from agent_app.services.catalogue import catalogue_dir, load_categories  # noqa: PLC0415

        categories = load_categories(catalogue_dir() / "categories.csv")
    except (KnownError, OSError) as exc:
        log.warning("category keywords unavailable: %s", type(exc).__name__)
    return build_transcript_extractor(gazetteer, categories)


# ----------------------------------------------------------------------------------- entry


def build_panes(
    *,
    settings: Settings,
    runner: TaskRunner,
    bridge: MessageBridge,
    demo: bool,
    paths: DataPaths | None = None,
    role: Role | None = None,
    model: str | None = None,
    with_transcript: bool = True,
    defer_map: bool = False,
    defer_transcript: bool = False,
) -> Panes:
    """Build the knowledge-base and map panes and the transcript strip.

    ``paths`` is the seat's data directory (the index lives there); by default the directory
    of the settings file.  ``model`` is a ``--model`` directory that wins over the setting.
    ``defer_map`` / ``defer_transcript``: build the map pane / the transcript strip in
    :meth:`Panes.start_background`, after the first paint (the app's start).
    """
    if paths is None:
        paths = DataPaths(Path(settings._qs.fileName()).parent)  # noqa: SLF001
    panes = Panes(
        side={},
        transcript=QWidget(),
        runner=runner,
        paths=paths,
        settings=settings,
        demo=demo,
        role=role,
    )
    _build_kb(panes)
    _build_map(panes, defer=defer_map)
    if with_transcript:
        _build_transcript(panes, bridge, model, defer=defer_transcript)
    return panes


def build_side_panes(
    *,
    settings: Settings,
    runner: TaskRunner,
    bridge: MessageBridge,
    demo: bool,
    paths: DataPaths | None = None,
    role: Role | None = None,
) -> dict[str, QWidget]:
    """Only the side panes (tests and previews); the app uses :func:`build_panes`."""
    return build_panes(
        settings=settings,
        runner=runner,
        bridge=bridge,
        demo=demo,
        paths=paths,
        role=role,
        with_transcript=False,
    ).side


def build_transcript(*, settings: Settings, bridge: MessageBridge) -> QWidget:
    """Only a transcript strip (tests and previews); the app uses :func:`build_panes`."""
    paths = DataPaths(Path(settings._qs.fileName()).parent)  # noqa: SLF001
    panes = Panes(
        side={},
        transcript=QWidget(),
        runner=TaskRunner(),
        paths=paths,
        settings=settings,
        demo=False,
    )
    _build_transcript(panes, bridge, None)
    return panes.transcript
