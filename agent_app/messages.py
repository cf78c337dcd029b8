"""The message bridge: any layer's user-facing message reaches the window without a dialog.

Workers and services never open dialogs; they report through the :class:`MessageBridge`,
whose signals the main window shows in a non-modal banner and the status bar.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class MessageBridge(QObject):
    """Signals:
    info(str): something the user may like to know (saved, synced).
    warning(str): something degraded the user can act on (offline, model missing).
    error(str): an action failed; the text says what to do.
    """

    info = Signal(str)
    warning = Signal(str)
    error = Signal(str)
