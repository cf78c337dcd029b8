"""One line, never a traceback: bad settings, URLs, options, logins and damaged files each end in
one line on stderr that says what is wrong and what to do, with a non-zero exit; commands log to
the data directory's log file and their error lines point to it."""

from __future__ import annotations

import logging
import math
import os
import random
import shutil
import socket
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QByteArray

from agent_app.cli import db as db_cli
from agent_app.cli import main
from agent_app.errors import ConfigError
from agent_app.settings import Settings
from agent_app.settings_file import problem, set_aside_if_unreadable
from agent_app.storage import cipher, schema
from agent_app.storage.central.connect import connect_kwargs, parse_url
from tests.helpers.pg import CentralDb, require_server

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "agent_app", *args],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=REPO, check=False,
    )  # fmt: skip


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("agent-app: error: "), err
    assert "Traceback" not in err
    return lines[0]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Central URLs and sync options -------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "1e400", "nan", "-3"])
def test_bad_connect_timeout_in_the_url_is_one_line_pointing_to_the_log(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "d"
    data.mkdir()
    url = f"postgresql://u@127.0.0.1:5432/x?connect_timeout={value}"
    code = main(["--data-dir", str(data), "central", "stats", "--url", url, "--json"])
    assert code == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"connect_timeout in the central URL ('{value}')" in line
    assert "from 1 to 600" in line
    log_file = data / "logs" / "agent-app.log"
    assert line.endswith(f"(details: {log_file})")
    assert "connect_timeout" in log_file.read_text(encoding="utf-8")


def test_connect_timeout_keyword_is_checked_too() -> None:
    for bad in (math.inf, math.nan, 0, 601):
        with pytest.raises(ConfigError, match="connect timeout"):
            parse_url("postgresql://u@h/db", connect_timeout=bad)
    longest = parse_url("postgresql://u@h/db?connect_timeout=600")
    assert connect_kwargs(longest, None)["connect_timeout"] == 600


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--connect-timeout", "1e400", "argument --connect-timeout: 1e400 is out of range"),
        ("--connect-timeout", "soon", "argument --connect-timeout: not a number of seconds"),
        (
            "--batch",
            "99999999999999999999",
            "argument --batch: 99999999999999999999 is out of range",
        ),
        ("--batch", "0", "argument --batch: 0 is out of range"),
        ("--interval", "inf", "argument --interval: inf is out of range"),
    ],
)
def test_sync_options_out_of_range_are_one_line(
    option: str, value: str, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(
            ["--seat", "S1", "sync", "--once", "--data-dir", str(tmp_path / "s"), option, value]
            + ["--central", "postgresql://u@127.0.0.1:9/x"]
        )
    assert exc.value.code == 2
    assert words in one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "s").exists()


def test_unbalanced_bracket_in_the_url_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(
        ["--data-dir", str(tmp_path), "central", "stats", "--url", "postgresql://u@[::1:5432/x"]
    )
    assert code == 2
    line = one_error_line(capsys.readouterr().err)
    assert "The central URL cannot be read (Invalid IPv6 URL)" in line
    assert "postgresql://USER@[::1]:5432/DB" in line


def test_url_errors_never_echo_a_password(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(
        ["--data-dir", str(tmp_path), "central", "stats", "--url", "postgresql://u:s3cret@[::1/x"]
    )
    assert code == 2
    err = capsys.readouterr().err
    one_error_line(err)
    assert "s3cret" not in err
    assert "s3cret" not in (tmp_path / "logs" / "agent-app.log").read_text(encoding="utf-8")


# Central commands as a login that is not an administrator --------------------------------


@pytest.fixture
def central_server() -> Any:
    return require_server()


def test_upgrade_and_create_role_as_a_plain_login_are_one_line(
    central_server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fresh database and a login without CREATEROLE: upgrade and create-role refuse in one
    line that says to use an administrator login."""
    db = CentralDb(central_server)
    plain = f"{db.prefix}_u_plain"
    db.logins.append(plain)
    try:
        with central_server.connect() as conn:
            conn.execute(f"CREATE DATABASE {db.name}")
            conn.execute(f"CREATE ROLE {plain} LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB")
        assert main(["central", "upgrade", "--url", db.url(plain)]) == 2
        line = one_error_line(capsys.readouterr().err)
        assert f"The login {plain} may not create or migrate the central schema" in line
        assert "permission denied" in line
        assert "administrator login" in line
        # no schema yet: create-role says to run upgrade first
        argv = ["central", "create-role", "--url", db.url(plain), "newbie", "--group", "operator"]
        assert main(argv) == 2
        line = one_error_line(capsys.readouterr().err)
        assert "has no central schema" in line
        assert "agent-app central upgrade" in line
    finally:
        db.drop()


def test_an_operator_login_cannot_provision_or_migrate(
    central_server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    db = CentralDb(central_server).create()
    try:
        operator = db.add_login("op", "operator")
        db.logins.append(f"{db.prefix}_u_new")  # dropped at the end should it be made
        code = main(
            ["central", "create-role", "--url", db.url(operator), f"{db.prefix}_u_new"]
            + ["--group", "operator"]
        )
        assert code == 2
        line = one_error_line(capsys.readouterr().err)
        assert f"The login {operator} may not create login roles" in line
        assert "administrator login" in line
        new_role = db.scalar("SELECT 1 FROM pg_roles WHERE rolname = %s", f"{db.prefix}_u_new")
        assert new_role is None
        assert main(["central", "upgrade", "--url", db.url(operator)]) == 2
        line = one_error_line(capsys.readouterr().err)
        assert f"The login {operator} may not create or migrate" in line
    finally:
        db.drop()


# The settings file -------------------------------------------------------------------------


def _garbage(seed: int) -> bytes:
    return random.Random(seed).randbytes(4000)


def test_sync_moves_an_unreadable_settings_file_aside_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seat = tmp_path / "seat"
    assert main(["db", "upgrade", "--data-dir", str(seat)]) == 0
    (seat / "settings.ini").write_bytes(_garbage(1))
    capsys.readouterr()
    code = main(
        ["--seat", "S1", "sync", "--once", "--data-dir", str(seat)]
        + ["--central", f"postgresql://u@127.0.0.1:{closed_port()}/x"]
    )
    assert code == 3  # offline; the garbage did not stop it
    err = capsys.readouterr().err
    assert "Traceback" not in err
    warning, error = err.strip().splitlines()
    assert warning.startswith("agent-app: warning: The settings file ")
    assert "unreadable (not UTF-8 text at byte" in warning
    assert "default settings are used" in warning
    assert error.startswith("agent-app: error: sync did not finish: offline")
    (broken,) = seat.glob("settings.ini.broken-*")
    assert broken.name in warning
    assert broken.read_bytes() == _garbage(1)
    assert not (seat / "settings.ini").exists()


def test_window_moves_an_unreadable_settings_file_aside_and_starts(tmp_path: Path) -> None:
    seat = tmp_path / "seat"
    assert run_cli("db", "upgrade", "--data-dir", str(seat)).returncode == 0
    (seat / "settings.ini").write_bytes(_garbage(2))
    png = tmp_path / "shot.png"
    result = run_cli("--data-dir", str(seat), "--role", "operator", "--screenshot", str(png))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("agent-app: warning: The settings file ")
    assert "moved aside to settings.ini.broken-" in lines[0]
    assert png.exists()
    (broken,) = seat.glob("settings.ini.broken-*")
    assert broken.read_bytes() == _garbage(2)
    assert "moved aside" in (seat / "logs" / "agent-app.log").read_text(encoding="utf-8")


def test_a_second_broken_settings_file_keeps_the_first(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    now = datetime(2026, 1, 2, 3, 4, 5)
    moved = []
    for seed in (4, 5):
        path.write_bytes(_garbage(seed))
        result = set_aside_if_unreadable(path, now=now)
        assert result is not None
        moved.append(result.path)
    assert [p.name for p in moved] == [
        "settings.ini.broken-20260102T030405",
        "settings.ini.broken-20260102T030405-2",
    ]
    assert [p.read_bytes() for p in moved] == [_garbage(4), _garbage(5)]


def test_a_settings_file_written_by_qsettings_is_readable(tmp_path: Path) -> None:
    """No false alarm: whatever QSettings writes (binary window state, Chinese, newlines in
    values) passes the check."""
    path = tmp_path / "settings.ini"
    settings = Settings(path)
    settings.seat = "S07"
    settings.central_url = "postgresql://op@central/hotline?sslmode=require"
    settings.set_state("main", QByteArray(bytes(range(256)) * 4))
    settings.set_state("notes", QByteArray("席位\n=[x];#".encode()))
    settings.sync()
    assert problem(path.read_bytes()) is None
    assert set_aside_if_unreadable(path) is None
    assert path.exists()


# A damaged seat database -------------------------------------------------------------------


def _damage(path: Path, pages: int = 3) -> None:
    """Overwrite a few pages in the middle of the file, as a failing disk would."""
    size = path.stat().st_size
    page = 4096
    middle = size // page // 2
    rng = random.Random(3)
    with path.open("r+b") as f:
        for n in range(pages):
            f.seek((middle + 2 * n) * page)
            f.write(rng.randbytes(page))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seat seeded with the demo week and 200 unsynced tickets (copied by each test)."""
    seat = tmp_path_factory.mktemp("seeded") / "seat"
    result = run_cli("db", "seed-demo", "--data-dir", str(seat), "--tickets", "200")
    assert result.returncode == 0, result.stderr
    assert not (seat / "agent.sqlite3-wal").exists()
    return seat


def test_db_check_and_the_window_refuse_a_damaged_database(seeded: Path, tmp_path: Path) -> None:
    seat = tmp_path / "seat"
    shutil.copytree(seeded, seat)
    db = seat / "agent.sqlite3"
    result = run_cli("db", "check", "--data-dir", str(seat))
    assert result.returncode == 0, result.stderr
    _damage(db)
    before = db.read_bytes()

    result = run_cli("db", "check", "--data-dir", str(seat))
    assert result.returncode == 2
    assert "current" not in result.stdout
    line = one_error_line(result.stderr)
    assert f"The database {db} is damaged (SQLite: " in line
    assert f"there is no backup in {seat / 'backups'}" in line
    assert "move the file away" in line
    assert line.endswith(f"(details: {seat / 'logs' / 'agent-app.log'})")

    png = tmp_path / "shot.png"
    window = run_cli("--data-dir", str(seat), "--role", "operator", "--screenshot", str(png))
    assert window.returncode == 2
    assert one_error_line(window.stderr) == line
    assert not png.exists()
    assert db.read_bytes() == before


def test_a_damaged_database_names_the_newest_backup_to_restore(
    seeded: Path, tmp_path: Path
) -> None:
    seat = tmp_path / "seat"
    shutil.copytree(seeded, seat)
    db = seat / "agent.sqlite3"
    saved = schema.backup(db, seat / "backups", "manual")
    _damage(db)
    before = db.read_bytes()
    result = run_cli("db", "check", "--data-dir", str(seat))
    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert f"run 'agent-app db restore' to put back the newest backup {saved}" in line
    result = run_cli("db", "restore", "--data-dir", str(seat))  # what the line says to do
    assert result.returncode == 0, result.stderr
    assert f"restored from {saved}" in result.stdout
    kept = list((seat / "backups").glob("*.replaced"))
    assert len(kept) == 1
    assert kept[0].read_bytes()[:4096] == before[:4096]
    result = run_cli("db", "check", "--data-dir", str(seat))
    assert result.returncode == 0, result.stderr
    assert ": current (app schema" in result.stdout


def test_db_upgrade_never_migrates_a_damaged_file(seeded: Path, tmp_path: Path) -> None:
    seat = tmp_path / "seat"
    shutil.copytree(seeded, seat)
    db = seat / "agent.sqlite3"
    _damage(db)
    with cipher.connect(db) as conn:  # an older schema: a migration is due
        conn.execute("UPDATE alembic_version SET version_num = '0001_initial'")
    result = run_cli("db", "upgrade", "--data-dir", str(seat))
    assert result.returncode == 2
    assert "is damaged" in one_error_line(result.stderr)
    assert not (seat / "backups").exists()


# The log file ------------------------------------------------------------------------------


def test_commands_log_to_the_data_dir_without_personal_data(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seat = tmp_path / "seat"
    shutil.copytree(seeded, seat)
    log_file = seat / "logs" / "agent-app.log"
    log_file.unlink(missing_ok=True)
    before = list(logging.getLogger("agent_app").handlers)
    code = main(
        ["--seat", "S1", "sync", "--once", "--data-dir", str(seat)]
        + ["--central", f"postgresql://u@127.0.0.1:{closed_port()}/x"]
    )
    assert code == 3
    line = one_error_line(capsys.readouterr().err)
    assert line.endswith(f"(details: {log_file})")
    text = log_file.read_text(encoding="utf-8")
    assert "sync failed (offline)" in text
    assert "sync did not finish" in text
    with cipher.connect(seat / "agent.sqlite3") as conn:
        people = conn.execute("SELECT caller_name, caller_phone FROM tickets").fetchall()
    for name, phone in people:
        assert not name or name not in text
        assert not phone or phone not in text
    assert logging.getLogger("agent_app").handlers == before  # put back after the command


def test_an_unexpected_error_is_one_line_with_the_traceback_in_the_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(_args: object) -> int:
        raise RuntimeError("first\nsecond")

    monkeypatch.setattr(db_cli, "run_check", boom)
    seat = tmp_path / "seat"
    seat.mkdir()
    assert main(["db", "check", "--data-dir", str(seat)]) == 1
    line = one_error_line(capsys.readouterr().err)
    log_file = seat / "logs" / "agent-app.log"
    assert "unexpected RuntimeError (first second); this is a bug" in line
    assert line.endswith(f"(details: {log_file})")
    text = log_file.read_text(encoding="utf-8")
    assert "Traceback" in text
    assert "RuntimeError: first" in text


def test_no_log_folder_is_made_outside_an_existing_data_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere"
    code = main(["--data-dir", str(missing), "central", "stats", "--url", "postgresql://u@[x/y"])
    assert code == 2
    line = one_error_line(capsys.readouterr().err)
    assert "details:" not in line
    assert not missing.exists()
