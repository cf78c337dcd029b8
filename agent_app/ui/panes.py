"""Builds the side panes and the transcript strip from what is available."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from agent_app.messages import MessageBridge
from agent_app.settings import Settings
from agent_app.workers.tasks import TaskRunner


def _placeholder(title: str, text: str) -> QWidget:
    widget = QWidget()
    layout = QVBoxLayout(widget)
    label = QLabel(f"<h3>{title}</h3><p>{text}</p>", wordWrap=True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    layout.addWidget(label)
    return widget


def build_side_panes(
    *, settings: Settings, runner: TaskRunner, bridge: MessageBridge, demo: bool
) -> dict[str, QWidget]:
    return {
        "知识库": _placeholder("知识库", "根据通话内容自动推荐答复口径。"),
        "地图": _placeholder("地图", "事发地点、属地街乡与周边工单。"),
    }


def build_transcript(*, settings: Settings, bridge: MessageBridge) -> QWidget:
    strip = QFrame(objectName="transcriptStrip")
    layout = QHBoxLayout(strip)
    layout.addWidget(QLabel("<b>通话转写</b>"))
    layout.addWidget(QLabel("未开始（Ctrl+T 开始转写）"), 1)
    return strip
