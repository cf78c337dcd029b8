"""Small widget helpers shared by the intake screens."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QLabel, QWidget

_W = TypeVar("_W", bound=QWidget)


def named(widget: _W, name: str, *, wrap: bool = False) -> _W:
    """Set the object name (style-sheet hook) and, for labels, word wrap."""
    widget.setObjectName(name)
    if wrap and isinstance(widget, QLabel):
        widget.setWordWrap(True)
    return widget
