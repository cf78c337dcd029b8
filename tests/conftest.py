"""Test-wide set-up: offscreen Qt, fresh data dirs, no developer config touched."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data directory; AGENT_APP_DATA_DIR points at it."""
    d = tmp_path / "data"
    monkeypatch.setenv("AGENT_APP_DATA_DIR", str(d))
    return d


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        if os.environ.get("CI"):
            pytest.fail("../shared (reference data) must be beside the checkout in CI")
        pytest.skip("../shared (reference data) is not beside the checkout")
    return SHARED


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()) or "qapp" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _nothing_left_behind(request: pytest.FixtureRequest) -> Iterator[None]:
    """A GUI test fails when it leaves a window, a running thread or a busy pool behind.

    Function-scoped and autouse, so it is set up before and torn down after the test's own
    fixtures (and after pytest-qt closed the ``qtbot.addWidget`` widgets).
    """
    if request.node.get_closest_marker("gui") is None:
        yield
        return
    from tests.helpers import leaks  # noqa: PLC0415 - Qt only for GUI tests

    before = leaks.snapshot()
    yield
    problems = leaks.check(before)
    if problems:
        pytest.fail("left behind by the test:\n  " + "\n  ".join(problems), pytrace=False)
