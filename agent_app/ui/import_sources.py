"""Keep the source text of imported modules out of memory.

PySide6 replaces ``__import__``: after every import of a ``.py`` module its feature support
(``PySide6.support.feature._mod_uses_pyside``) reads the module's source with
``inspect.getsource`` to see whether it mentions PySide6.  ``inspect`` reads through
``linecache``, which keeps every line of every file it read for the life of the process: in
the seat's window about 700 modules, 25 MB of RSS (benchmarks/bench_memory.py), never used
again (a traceback reads the few lines it shows when it needs them).

:func:`drop_import_sources` wraps that check so that it leaves ``linecache`` as it found it,
and empties the cache of what was read before.  The check itself and its answer are
unchanged.  Without the PySide6 function (another PySide6 version) only the cache is emptied.
"""

from __future__ import annotations

import linecache
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

FEATURE_MODULE = "PySide6.support.feature"
CHECK = "_mod_uses_pyside"


def drop_import_sources() -> bool:
    """Install the wrapper (once) and empty ``linecache``; True when the wrapper is in place."""
    linecache.clearcache()
    feature = sys.modules.get(FEATURE_MODULE)
    check = getattr(feature, CHECK, None)
    if feature is None or not callable(check):
        return False
    if getattr(check, "agent_app_keeps_no_source", False):
        return True
    setattr(feature, CHECK, _leaving_no_source(check))
    return True


def _leaving_no_source(check: Callable[[ModuleType], Any]) -> Callable[[ModuleType], Any]:
    def uses_pyside(module: ModuleType) -> Any:
        before = set(linecache.cache)
        try:
            return check(module)
        finally:
            for name in linecache.cache.keys() - before:
                linecache.cache.pop(name, None)

    uses_pyside.agent_app_keeps_no_source = True  # type: ignore[attr-defined]
    return uses_pyside
