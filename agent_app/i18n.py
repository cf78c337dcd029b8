"""Qt Linguist translations.

Source strings are Simplified Chinese, the product's main language; ``resources/i18n/en.qm``
translates them to English.  Regenerate with ``make i18n`` (pyside6-lupdate, pyside6-lrelease).

Qt's own strings (dialog buttons such as OK/Cancel, the Undo/Cut/Copy/Paste context menu of a
text field) come from Qt's catalogue ``qtbase_<locale>.qm`` in Qt's translations directory
(``QLibraryInfo.path(TranslationsPath)``; the PyInstaller bundle collects it with QtCore), loaded
for the chosen language too, so a Chinese UI has 确定/取消 and 撤消/粘贴.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from agent_app.paths import resources_dir

QT_CATALOGUE = "qtbase"


def qt_translations_dir() -> Path:
    """Where Qt's own ``.qm`` files are (inside the PySide6 package, also when bundled)."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def install(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install Qt's own translation for ``language`` and, unless it is Chinese (the source
    language), the app's; return the installed translators: the caller keeps them alive for
    as long as they are used (``app.removeTranslator`` each to undo)."""
    installed: list[QTranslator] = []
    qt = QTranslator(app)
    if qt.load(QLocale(language), QT_CATALOGUE, "_", str(qt_translations_dir())):
        app.installTranslator(qt)
        installed.append(qt)
    if not language.startswith("zh"):
        own = QTranslator(app)
        if own.load(str(resources_dir() / "i18n" / f"{language}.qm")):
            app.installTranslator(own)
            installed.append(own)
    return installed
