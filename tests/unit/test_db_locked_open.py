"""Opening a seat connection waits out a locked file instead of failing at once."""

from __future__ import annotations

import pytest

from agent_app.storage import cipher
from agent_app.storage.db import _when_free


def test_a_locked_step_is_retried_until_it_goes_through() -> None:
    calls = []

    def step() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise cipher.dbapi().OperationalError("database is locked")
        return "wal"

    assert _when_free(step, timeout_s=5) == "wal"
    assert len(calls) == 3


def test_other_errors_and_a_lock_past_the_timeout_are_raised() -> None:
    def broken() -> None:
        raise cipher.dbapi().OperationalError("no such table: tickets")

    with pytest.raises(cipher.dbapi().OperationalError, match="no such table"):
        _when_free(broken, timeout_s=5)

    def locked() -> None:
        raise cipher.dbapi().OperationalError("database is locked")

    with pytest.raises(cipher.dbapi().OperationalError, match="locked"):
        _when_free(locked, timeout_s=0.2)
