"""The centre records each retention purge (c0013 ``central.purge_runs``) and ``agent-app
central stats`` says when the purge stopped running (docs/privacy.md, "Scheduling the
purge"): a real purge adds one row with its login and counts, a dry run none; ``stats
--json`` gives ``last_purge`` and a ``purge_warning`` when there is none or it is older than
two days, its other keys as before."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from agent_app.domain import timeutil
from agent_app.storage.central import schema
from tests.helpers.cli import Cli
from tests.helpers.pg import CentralDb, throwaway_centre

pytestmark = pytest.mark.postgres

# What `central stats --json` gave before c0013: still there, with the same meaning.
STATS_KEYS = {
    "schema", "tickets", "events", "applied_keys", "conflicts", "open_conflicts",
    "max_version", "duplicate_numbers", "demo_tickets", "rejected_ops", "seats",
}  # fmt: skip
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    with throwaway_centre() as db:
        yield db


def _stats(cli: Cli, url: str) -> dict[str, Any]:
    (stats,) = cli.json_lines("central", "stats", "--url", url, "--json")
    return stats


def _runs(central: CentralDb) -> list[tuple[Any, ...]]:
    with central.admin() as conn:
        return conn.execute(
            "SELECT login, before, due, tickets, transcripts, conflicts, applied_ops, held "
            "FROM central.purge_runs ORDER BY id"
        ).fetchall()


def test_purges_are_recorded_and_stats_warns_when_they_stop(
    central: CentralDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(capsys)
    lead = central.add_login("pr_lead", "lead")
    op = central.add_login("pr_op", "operator")
    until = timeutil.now().replace(microsecond=0)
    cli(
        "central", "seed", "--url", central.admin_url(), "--tickets", "200", "--months", "12",
        "--until", until.isoformat(), "--json",
    )  # fmt: skip
    policy = tmp_path / "retention.toml"
    policy.write_text("[seat]\ncaller_days = 90\n[centre]\ncaller_days = 120\n", encoding="utf-8")

    # Never run: the administrator's stats say so; the keys of before are all there.
    stats = _stats(cli, central.admin_url())
    assert STATS_KEYS <= set(stats)
    assert stats["schema"] == schema.HEAD
    assert stats["last_purge"] is None
    assert "never run" in stats["purge_warning"]

    def purge(*more: str) -> dict[str, Any]:
        (report,) = cli.json_lines(
            "central", "purge", "--url", central.admin_url(), "--policy", str(policy),
            "--now", (until + timedelta(days=10)).isoformat(), "--json", *more,
        )  # fmt: skip
        return report

    # A dry run records nothing; a purge records one row with the login and its counts.
    purge("--dry-run")
    assert _runs(central) == []
    report = purge()
    assert report["tickets"] > 0
    ((login, before, *counts),) = _runs(central)
    assert login == central.server.superuser
    assert before == datetime.fromisoformat(report["cutoff"])
    assert counts == [
        report[k] for k in ("due", "tickets", "transcripts", "conflicts", "applied_ops", "held")
    ]
    stats = _stats(cli, central.admin_url())
    assert stats["purge_warning"] is None
    last = stats["last_purge"]
    assert (last["login"], last["tickets"], last["due"]) == (
        central.server.superuser,
        report["tickets"],
        report["due"],
    )
    # A second purge (nothing left to erase) is a second row, and the newest is reported.
    assert purge()["tickets"] == 0
    assert len(_runs(central)) == 2
    assert _stats(cli, central.admin_url())["last_purge"]["tickets"] == 0

    # The timer stopped: 47 hours ago is fine, three days ago is a warning.
    with central.admin() as conn:
        conn.execute("UPDATE central.purge_runs SET at = now() - interval '47 hours'")
    assert _stats(cli, central.admin_url())["purge_warning"] is None
    with central.admin() as conn:
        conn.execute("UPDATE central.purge_runs SET at = now() - interval '3 days'")
    warning = _stats(cli, central.admin_url())["purge_warning"]
    assert "last ran 3.0 days ago" in warning
    assert "agent-app central purge" in warning
    _, out, _ = cli("central", "stats", "--url", central.admin_url())
    assert out.splitlines()[-1] == warning  # the text output says it on a line of its own

    # A lead sees the same; an operator reads no purge record (both None, nothing claimed).
    assert _stats(cli, central.url(lead))["purge_warning"] == warning
    op_stats = _stats(cli, central.url(op))
    assert (op_stats["last_purge"], op_stats["purge_warning"]) == (None, None)


def test_no_app_login_writes_or_reads_the_purge_record(central: CentralDb) -> None:
    lead = central.add_login("pr_lead2", "lead")
    for sql in (
        "SELECT * FROM central.purge_runs",
        "INSERT INTO central.purge_runs (before, due, tickets, transcripts, conflicts, "
        "applied_ops, held) VALUES (now(), 0, 0, 0, 0, 0, 0)",
        "SELECT central.purge_closed_core(now(), true)",
    ):
        with psycopg.connect(central.url(lead)) as conn:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)


def test_the_shipped_timer_runs_the_purge_daily_without_a_password_on_its_command_line() -> None:
    service = (SCRIPTS / "centre-purge.service").read_text(encoding="utf-8")
    timer = (SCRIPTS / "centre-purge.timer").read_text(encoding="utf-8")
    exec_start = next(line for line in service.splitlines() if line.startswith("ExecStart="))
    assert "agent-app central purge" in exec_start
    assert "--json" in exec_start
    assert "--dry-run" not in exec_start
    assert ":" not in exec_start.split("@")[0].split("//", 1)[-1]  # no user:password@
    assert "PGPASSWORD" not in service
    assert "PGPASSFILE=" in service
    assert "OnCalendar=daily" in timer
    assert "Persistent=true" in timer


def test_the_services_command_purges_as_a_login_holding_the_owner_role(
    central: CentralDb, tmp_path: Path
) -> None:
    """The unit's ExecStart and Environment, run as they are with this centre's URL and a
    0600 pgpass file (the test server trusts loopback logins, so the password itself is not
    checked here): the purge runs and is recorded under that login."""
    service = (SCRIPTS / "centre-purge.service").read_text(encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", "")}
    for line in service.splitlines():
        if line.startswith("Environment="):
            key, _, value = line.removeprefix("Environment=").partition("=")
            env[key] = value
    assert env["PYTHON_KEYRING_BACKEND"] == "keyring.backends.null.Keyring"
    argv = shlex.split(
        next(line for line in service.splitlines() if line.startswith("ExecStart=")).removeprefix(
            "ExecStart="
        )
    )
    login = f"{central.prefix}_u_purge"
    with central.admin() as conn:
        conn.execute(f"CREATE ROLE {login} LOGIN PASSWORD 'purge-secret'")
        conn.execute(f"GRANT {central.prefix}_owner TO {login}")
    central.logins.append(login)
    pgpass = tmp_path / "centre-purge.pgpass"
    pgpass.write_text(f"*:*:{central.name}:{login}:purge-secret\n", encoding="utf-8")
    pgpass.chmod(0o600)
    env |= {"PGPASSFILE": str(pgpass), "AGENT_APP_DATA_DIR": str(tmp_path / "state")}
    argv[0] = str(Path(sys.executable).with_name("agent-app"))
    argv[argv.index("--url") + 1] = central.url(login)
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["dry_run"] is False
    with central.admin() as conn:
        (newest,) = conn.execute(
            "SELECT login FROM central.purge_runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert newest == login
