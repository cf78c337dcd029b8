"""Modules imported on first use rather than before the window's first paint.

Start-up is budgeted (at most 4x a bare window, ``docs/PERFORMANCE.md``): a module that only
a later action needs (a tab built on first show, a button pressed during a call, the
knowledge-base index opened by a worker) is loaded through :func:`load` at that moment.  The
module's full name is written at each call, and where its names annotate code it is also
imported under ``TYPE_CHECKING``, so the type checker and readers still see the dependency.
"""

from __future__ import annotations

import importlib
from types import ModuleType


def load(name: str) -> ModuleType:
    """The module ``name`` (an ``agent_app`` module), imported now if it was not yet."""
    if not name.startswith("agent_app."):
        raise ValueError(f"not an agent_app module: {name}")
    return importlib.import_module(name)
