"""PySide6's import hook reads each imported module's source; none of it stays cached."""

from __future__ import annotations

import linecache
import sys
from pathlib import Path

import PySide6.QtCore  # noqa: F401 - installs the import hook

from agent_app.ui.import_sources import CHECK, FEATURE_MODULE, drop_import_sources


def test_an_import_leaves_no_source_in_linecache(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert drop_import_sources()
    assert drop_import_sources()  # once is enough; again changes nothing
    module = tmp_path / "mem_probe_uses_qt.py"
    module.write_text("import PySide6  # uses PySide6\nVALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        imported = __import__("mem_probe_uses_qt")  # through the hook (builtins)
    finally:
        sys.modules.pop("mem_probe_uses_qt", None)
    assert imported.VALUE == 1
    assert str(module) not in linecache.cache
    feature = sys.modules[FEATURE_MODULE]
    # the check's answer is unchanged: this module mentions PySide6
    assert getattr(feature, CHECK)(imported) is True
    assert str(module) not in linecache.cache


def test_without_the_wrapper_the_source_would_stay(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """What the wrapper prevents (if PySide6 stops reading sources, drop the wrapper)."""
    drop_import_sources()
    feature = sys.modules[FEATURE_MODULE]
    original = getattr(feature, CHECK).__closure__[0].cell_contents
    module = tmp_path / "mem_probe_plain.py"
    module.write_text("VALUE = 2\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(feature, CHECK, original)
    try:
        __import__("mem_probe_plain")
    finally:
        sys.modules.pop("mem_probe_plain", None)
    assert str(module) in linecache.cache
    linecache.clearcache()
