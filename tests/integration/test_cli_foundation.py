"""The command line: one clear line and a non-zero exit for every bad input."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from agent_app.cli import main
from agent_app.domain.lifecycle import Status
from agent_app.storage import cipher

REPO = Path(__file__).resolve().parents[2]


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "agent_app", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
        cwd=REPO,
        check=False,
    )


def test_bad_argument_is_one_line_and_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--role", "boss"])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("agent-app: error:")


def test_seed_demo_then_check(tmp_path: Path, capsys):
    assert (
        main(["db", "seed-demo", "--data-dir", str(tmp_path / "d"), "--tickets", "5", "--json"])
        == 0
    )
    out = capsys.readouterr().out
    assert '"extra_tickets": 5' in out
    assert main(["db", "check", "--data-dir", str(tmp_path / "d")]) == 0


def test_newer_schema_file_is_refused_in_one_line_and_untouched(tmp_path: Path, capsys):
    d = tmp_path / "d"
    assert main(["db", "upgrade", "--data-dir", str(d)]) == 0
    db = d / "agent.sqlite3"
    conn = cipher.connect(db)
    conn.execute("UPDATE alembic_version SET version_num='9999_future'")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    capsys.readouterr()
    assert main(["db", "upgrade", "--data-dir", str(d)]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "newer than this app" in err[0]
    assert db.read_bytes() == before


def test_window_refuses_an_unreadable_database_before_opening(tmp_path: Path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "agent.sqlite3").write_bytes(b"garbage" * 500)
    result = run_cli(
        "--data-dir", str(d), "--role", "operator", "--screenshot", str(tmp_path / "x.png")
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "not a readable database" in lines[0]
    assert (d / "agent.sqlite3").read_bytes() == b"garbage" * 500
    assert not (tmp_path / "x.png").exists()


def test_unwritable_data_dir_is_one_line(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("db", "upgrade", "--data-dir", str(blocker / "sub"))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "cannot be written" in lines[0]


def test_demo_on_a_real_seat_is_refused_and_the_seat_untouched(tmp_path: Path):
    seat = tmp_path / "seat"
    assert run_cli("db", "upgrade", "--data-dir", str(seat)).returncode == 0
    before = (seat / "agent.sqlite3").read_bytes()
    result = run_cli("--demo", "--data-dir", str(seat), "--screenshot", str(tmp_path / "s.png"))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "real seat" in lines[0]
    assert not (seat / "DEMO").exists()
    assert (seat / "agent.sqlite3").read_bytes() == before


def test_demo_screenshot_writes_a_large_png(tmp_path: Path):
    png = tmp_path / "shot.png"
    result = run_cli("--demo", "--data-dir", str(tmp_path / "demo"), "--screenshot", str(png))
    assert result.returncode == 0, result.stderr
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width >= 1024
    assert height >= 640


def test_demo_mode_opens_no_socket(tmp_path: Path):
    """No network traffic in demo mode: an audit hook records every Python-level socket
    operation that could reach another host (connect, send, name look-up, a bind outside
    loopback).  A library probing for IPv6 support by binding ``::1`` port 0 sends nothing
    and is allowed."""
    script = textwrap.dedent(
        f"""
        import sys
        events = []
        REACH = ("socket.connect", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
                 "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo")
        def hook(name, args):
            if name in REACH:
                events.append(name)
            elif name == "socket.bind":
                address = args[1]
                host = address[0] if isinstance(address, tuple) else str(address)
                if host not in ("::1", "127.0.0.1", "localhost"):
                    events.append(name + " " + str(host))
        sys.addaudithook(hook)
        from agent_app.cli import main
        code = main(["--demo", "--data-dir", {str(tmp_path / "demo")!r}, "--screenshot", {str(tmp_path / "s.png")!r}])
        print("SOCKET_EVENTS", sorted(set(events)))
        sys.exit(code)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "SOCKET_EVENTS []" in result.stdout


def test_demo_week_shows_every_state_of_the_lifecycle(tmp_path: Path, capsys):
    """Trainers show every status of a ticket's life; the seeded week must contain each one."""
    assert main(["db", "seed-demo", "--data-dir", str(tmp_path / "d")]) == 0
    capsys.readouterr()
    with cipher.connect(tmp_path / "d" / "agent.sqlite3") as conn:
        seen = {row[0] for row in conn.execute("SELECT DISTINCT status FROM tickets")}
    assert set(Status) - {Status.INTAKE} <= seen
