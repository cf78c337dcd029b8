"""Qt Linguist translations.

Source strings are Simplified Chinese, the product's main language; ``resources/i18n/en.qm``
translates them to English.  Regenerate with ``make i18n`` (pyside6-lupdate, pyside6-lrelease).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from agent_app.paths import resources_dir


def install(app: QCoreApplication, language: str) -> QTranslator | None:
    """Install the translator for ``language`` ('zh_CN' needs none); return it to keep it alive."""
    if language.startswith("zh"):
        return None
    translator = QTranslator(app)
    if translator.load(str(resources_dir() / "i18n" / f"{language}.qm")):
        app.installTranslator(translator)
        return translator
    return None
