"""A real PostgreSQL for tests: the server on 127.0.0.1:5432 when one runs, else a throwaway
cluster started here (initdb as the ``postgres`` user, loopback only, a free port), else skip.

``CentralDb`` creates a database with a random name, migrates it with a unique role prefix
and provisions login roles; ``drop()`` removes the database and every role it created.
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from agent_app.domain import timeutil
from agent_app.domain.ticket import TicketEvent
from agent_app.paths import DataPaths
from agent_app.services.demo import DemoGenerator
from agent_app.storage import repository as repo
from agent_app.storage.central import schema
from agent_app.storage.central.connect import parse_url
from agent_app.storage.seat import open_database

PG_BIN = Path("/usr/lib/postgresql/15/bin")


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    superuser: str = "postgres"
    admin_db: str = "postgres"

    def url(self, user: str, db: str) -> str:
        return f"postgresql://{user}@{self.host}:{self.port}/{db}"

    def connect(self, db: str | None = None, user: str | None = None) -> Any:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=user or self.superuser,
            dbname=db or self.admin_db,
            autocommit=True,
            connect_timeout=3,
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _try(server: Server) -> bool:
    try:
        server.connect().close()
    except Exception:  # noqa: BLE001 - any failure means: not usable
        return False
    return True


@functools.cache
def server() -> Server | None:
    """The usable server, started once per test process if needed; None when impossible."""
    for db in ("test", "postgres"):
        candidate = Server("127.0.0.1", 5432, admin_db=db)
        if _try(candidate):
            return candidate
    if not (PG_BIN / "initdb").exists() or shutil.which("runuser") is None or os.geteuid() != 0:
        return None
    root = Path(tempfile.mkdtemp(prefix="pgtest-"))
    shutil.chown(root, "postgres")
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    shutil.chown(sock, "postgres")
    port = _free_port()

    def as_pg(*cmd: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *cmd],
            check=True,
            capture_output=True,
            timeout=120,
        )

    as_pg(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
    opts = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c max_connections=80 "
        "-c shared_buffers=32MB -c fsync=off"
    )
    as_pg(
        str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", opts, "-w", "-l", str(root / "log"), "start"
    )

    def stop() -> None:
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(data),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)

    atexit.register(stop)
    started = Server("127.0.0.1", port)
    return started if _try(started) else None


def require_server() -> Server:
    """The server, or a skip; under CI (``CI`` or ``AGENT_APP_REQUIRE_PG`` set) a failure,
    so that a green run always includes the sync tests against a real PostgreSQL."""
    found = server()
    if found is None:
        reason = "no PostgreSQL server on 127.0.0.1:5432 and no PostgreSQL 15 binaries to start one"
        if os.environ.get("AGENT_APP_REQUIRE_PG") or os.environ.get("CI"):
            pytest.fail(reason + " (required here: .ci/run installs and starts one)")
        pytest.skip(reason)
    return found


@dataclass
class CentralDb:
    """One throwaway central database with its own role prefix."""

    server: Server
    name: str = field(default_factory=lambda: "t_" + uuid.uuid4().hex[:10])
    logins: list[str] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return "r" + self.name[2:]

    def create(self) -> CentralDb:
        with self.server.connect() as conn:
            conn.execute(f"CREATE DATABASE {self.name}")
        schema.upgrade(self.admin_target(), role_prefix=self.prefix, password_lookup=None)
        return self

    def admin_url(self) -> str:
        return self.server.url(self.server.superuser, self.name)

    def admin_target(self, **kw: Any) -> Any:
        return parse_url(self.admin_url(), **kw)

    def url(self, login: str) -> str:
        return self.server.url(login, self.name)

    def target(self, login: str, **kw: Any) -> Any:
        return parse_url(self.url(login), **kw)

    def add_login(self, short: str, group: str, units: tuple[str, ...] = ()) -> str:
        name = f"{self.prefix}_u_{short}"
        schema.create_login_role(
            self.admin_target(), name, group, units=units, password_lookup=None
        )
        self.logins.append(name)
        return name

    def admin(self) -> Any:
        return self.server.connect(self.name)

    def scalar(self, sql: str, *params: Any) -> Any:
        with self.admin() as conn:
            row = conn.execute(sql, params or None).fetchone()
            return row[0] if row else None

    def drop(self) -> None:
        with self.server.connect() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            for role in [
                *self.logins,
                *(f"{self.prefix}_{g}" for g in ("operator", "lead", "handler", "owner")),
            ]:
                conn.execute(f"DROP ROLE IF EXISTS {role}")


# Seats ------------------------------------------------------------------------------------


def new_seat(root: Path) -> Any:
    """An empty seat database (migrated) in ``root``."""
    return open_database(DataPaths(root))


def add_tickets(
    db: Any, seat: str, n: int, *, unit: str = "U1", seed: int = 0, operator: str = "op001"
) -> list[str]:
    """``n`` ordinary (non-demo) tickets saved at ``seat`` by ``operator`` (the centre accepts
    them from that login only), each with its outbox row."""
    gen = DemoGenerator(seed=seed or hash(seat) % 10_000)
    now = timeutil.now()
    ids = []
    with db.write() as s:
        for i in range(n):
            created = now - timedelta(seconds=n - i)
            number = str(repo.next_number(s, seat, created.date()))
            t = gen.ticket(
                number, created, now, seat=seat, operator=operator, is_demo=False, intake_only=True
            )
            t = replace_ticket(t, main_unit=unit)
            repo.save_ticket(s, t, now=created)
            ids.append(t.id)
    return ids


def replace_ticket(ticket: Any, **changes: Any) -> Any:
    return dataclasses.replace(ticket, **changes)


def edit_ticket(
    db: Any, ticket_id: str, *, actor: str = "op", role: str = "operator", **changes: Any
) -> None:
    """One local edit: changed fields (``notes_append`` appends), one event, one outbox row."""
    now = timeutil.now()
    with db.write() as s:
        t = repo.get_ticket(s, ticket_id)
        assert t is not None
        append = changes.pop("notes_append", "")
        if append:
            changes["notes"] = t.notes + append
        event = TicketEvent(
            at=now,
            kind="field_change",
            actor_role=role,
            actor_id=actor,
            data={"fields": sorted(changes)},
        )
        t = replace_ticket(t, updated_at=now, events=(*t.events, event), **changes)
        repo.save_ticket(s, t, now=now)
