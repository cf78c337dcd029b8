"""The installed Qt binding keeps Python's reference counts of None, True and False.

PySide6 6.12.0 drops one reference to ``None`` on every call of a void method and one to
``True`` on every ``emit(True)``.  Before CPython 3.12 these singletons are mortal: a busy
session (the lead's heat layer on 30,000 tickets) or the test run's final garbage collection
then aborts with "Fatal Python error: none_dealloc" / "bool_dealloc".  pyproject.toml keeps
that release off such interpreters; this test fails for any binding that does it again.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable

import pytest

from PySide6.QtCore import QObject, QPointF, Signal

CALLS = 200
IMMORTAL = sys.version_info >= (3, 12)  # refcounts of the singletons no longer move

pytestmark = pytest.mark.skipif(IMMORTAL, reason="None, True and False are immortal")


class _Emitter(QObject):
    flag = Signal(bool)
    thing = Signal(object)


def _drift(singleton: object, call: Callable[[], object]) -> int:
    """How many references to ``singleton`` ``CALLS`` calls gained (negative: lost)."""
    call()  # caches, lazy type set-up
    gc.collect()
    before = sys.getrefcount(singleton)
    for _ in range(CALLS):
        call()
    gc.collect()
    return sys.getrefcount(singleton) - before


def test_void_calls_keep_the_reference_to_none() -> None:
    obj = QObject()
    point = QPointF(1.0, 2.0)
    assert _drift(None, lambda: obj.setObjectName("x")) == 0
    assert _drift(None, lambda: point.setX(3.0)) == 0


def test_emitting_booleans_and_none_keeps_their_references() -> None:
    emitter = _Emitter()
    emitter.flag.connect(lambda _value: None)
    emitter.thing.connect(lambda _value: None)
    assert _drift(True, lambda: emitter.flag.emit(True)) == 0
    assert _drift(False, lambda: emitter.flag.emit(False)) == 0
    assert _drift(None, lambda: emitter.thing.emit(None)) == 0
