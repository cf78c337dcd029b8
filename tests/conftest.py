"""Test-wide set-up: offscreen Qt, fresh data dirs, no developer config touched."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def _db_key_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Seat databases are encrypted; tests (and the commands they start) take the key from
    AGENT_APP_DB_KEY_FILE, a 0600 file, as kiosks and CI do (docs/privacy.md).  Session-wide,
    so module-scoped fixtures that seed a seat have it too."""
    import secrets  # noqa: PLC0415

    from agent_app.storage import cipher  # noqa: PLC0415

    path = tmp_path_factory.mktemp("db-key") / "seat.key"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    saved = os.environ.get(cipher.ENV_KEY_FILE)
    os.environ[cipher.ENV_KEY_FILE] = str(path)
    yield path
    if saved is None:
        os.environ.pop(cipher.ENV_KEY_FILE, None)
    else:
        os.environ[cipher.ENV_KEY_FILE] = saved


@pytest.fixture(autouse=True)
def _db_keys_forgotten() -> Iterator[None]:
    """Keys cached by one test (another key file, a demo key) do not leak into the next."""
    yield
    from agent_app.storage import cipher  # noqa: PLC0415

    cipher.forget_keys()


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
        if "qtbot" in getattr(item, "fixturenames", ()) or "qapp" in getattr(
            item, "fixturenames", ()
        ):
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
    # As the app does (agent_app/workers/gc_thread.py): no automatic collection, which could
    # run in a worker and destroy a QObject there; the GUI thread collects after the test.
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()
    problems = leaks.check(before)
    if problems:
        pytest.fail("left behind by the test:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture(autouse=True)
def _intake_without_waiting(request: pytest.FixtureRequest) -> Iterator[None]:
    """A window built by a test reads no "my tickets today" list, so the intake would wait the
    window's whole fallback delay (1.5 s) before loading: GUI tests load it at once (the order
    after the first paint is covered by tests/integration/test_startup_modules.py)."""
    if request.node.get_closest_marker("gui") is None:
        yield
        return
    from agent_app.ui.main_window import MainWindow  # noqa: PLC0415 - Qt only for GUI tests

    saved = MainWindow.INTAKE_FALLBACK_MS
    MainWindow.INTAKE_FALLBACK_MS = 0
    try:
        yield
    finally:
        MainWindow.INTAKE_FALLBACK_MS = saved
