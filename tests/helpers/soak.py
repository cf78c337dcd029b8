"""One knob for the scale tests: ``AGENT_APP_SOAK=1`` (``make soak``) runs them at the sizes
the requirements name (research/reliability.md §6); without it they run a short profile that
fits ``make test``.  Scale tests carry the ``soak`` marker so ``make soak`` selects only them."""

from __future__ import annotations

import os
from typing import TypeVar

T = TypeVar("T")

SOAK = os.environ.get("AGENT_APP_SOAK", "").strip() not in ("", "0")


def size(short: T, full: T) -> T:
    """``full`` under AGENT_APP_SOAK=1, else ``short``."""
    return full if SOAK else short
