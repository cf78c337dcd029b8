"""A real PostgreSQL for tests: the server on 127.0.0.1:5432 when one runs, else a throwaway
cluster started here (initdb as the ``postgres`` user, loopback only, a free port), else skip.

``CentralDb`` creates a database with a random name, migrates it with a unique role prefix
and provisions login roles; ``drop()`` removes the database and every role it created.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import functools
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, NoReturn

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


def _pg_bin() -> Path:
    """The binaries of PostgreSQL 15 (what the centre runs), else of the newest installed."""
    root = Path("/usr/lib/postgresql")
    found = sorted(
        (p for p in root.glob("*/bin") if p.parent.name.isdigit()),
        key=lambda p: (p.parent.name != "15", -int(p.parent.name)),
    )
    return found[0] if found else root / "15" / "bin"


PG_BIN = _pg_bin()


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


class Cluster:
    """A throwaway PostgreSQL 15 cluster of its own (initdb, loopback only, a free port),
    which a test may stop (``pg_ctl stop -m immediate``: a crash) and start again (crash
    recovery).  Run as the ``postgres`` user when this process is root (CI), else as this
    user.  ``remove()`` stops it and deletes its files."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="pgtest-"))
        self.data, self.sock, self.log = self.root / "data", self.root / "sock", self.root / "log"
        self.sock.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.sock, "postgres")
        self.port = _free_port()
        self._as_user(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
        )
        self.server = Server("127.0.0.1", self.port)

    @staticmethod
    def possible() -> bool:
        return (PG_BIN / "initdb").exists() and (
            os.geteuid() != 0 or shutil.which("runuser") is not None
        )

    def _as_user(self, *cmd: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run([*prefix, *cmd], check=check, capture_output=True, timeout=120)

    def start(self) -> None:
        """Start (after a crash: recover) and wait until it accepts connections."""
        opts = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sock} -c max_connections=80 "
            "-c shared_buffers=32MB -c fsync=off"
        )
        self._as_user(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            opts,
            "-w",
            "-t",
            "60",
            "-l",
            str(self.log),
            "start",
        )

    def stop(self, mode: str = "immediate") -> None:
        """``pg_ctl stop -m MODE``; ``immediate`` kills every backend without a checkpoint."""
        self._as_user(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False
        )

    def log_text(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster() -> Cluster:
    """A started :class:`Cluster`, or a skip (under CI a failure, as :func:`require_server`)."""
    reason = "cannot start a throwaway PostgreSQL cluster"
    if not Cluster.possible():
        _missing(reason + f" (no {PG_BIN / 'initdb'} or no runuser)")
    try:
        cluster = Cluster()
        cluster.start()
    except (OSError, subprocess.SubprocessError) as exc:
        _missing(f"{reason}: {type(exc).__name__}")
    if not _try(cluster.server):
        cluster.remove()
        _missing(reason + " (it does not accept connections)")
    return cluster


def _missing(reason: str) -> NoReturn:
    if os.environ.get("AGENT_APP_REQUIRE_PG") or os.environ.get("CI"):
        pytest.fail(reason + " (required here: .ci/run installs PostgreSQL)")
    pytest.skip(reason)


@functools.cache
def server() -> Server | None:
    """The usable server, started once per test process if needed; None when impossible."""
    for db in ("test", "postgres"):
        candidate = Server("127.0.0.1", 5432, admin_db=db)
        if _try(candidate):
            return candidate
    if not Cluster.possible() or os.geteuid() != 0:
        return None
    try:
        cluster = Cluster()
        cluster.start()
    except (OSError, subprocess.SubprocessError):
        return None
    atexit.register(cluster.remove)
    return cluster.server if _try(cluster.server) else None


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
                *(
                    f"{self.prefix}_{g}"
                    for g in ("operator", "lead", "handler", "auditor", "report", "owner")
                ),
            ]:
                conn.execute(f"DROP ROLE IF EXISTS {role}")


@contextlib.contextmanager
def throwaway_centre() -> Iterator[CentralDb]:
    """A migrated central database on the test server (skipped without one), dropped with
    its roles afterwards: what a test module's ``central`` fixture yields."""
    db = CentralDb(require_server()).create()
    try:
        yield db
    finally:
        db.drop()


def centre_at(revision: str) -> CentralDb:
    """A throwaway central database migrated only up to ``revision`` (upgrade tests); the
    caller drops it."""
    from alembic import command  # noqa: PLC0415 - only for the few upgrade tests
    from alembic.config import Config  # noqa: PLC0415
    from sqlalchemy import create_engine  # noqa: PLC0415
    from sqlalchemy.pool import NullPool  # noqa: PLC0415

    from agent_app.storage.central.connect import connect  # noqa: PLC0415

    db = CentralDb(require_server())
    with db.server.connect() as conn:
        conn.execute(f"CREATE DATABASE {db.name}")
    target = db.admin_target()
    engine = create_engine(
        "postgresql+psycopg://",
        creator=lambda: connect(target, password_lookup=None, autocommit=False),
        poolclass=NullPool,
    )
    try:
        with engine.begin() as connection:
            cfg = Config()
            cfg.set_main_option("script_location", str(schema.MIGRATIONS_DIR))
            cfg.attributes["connection"] = connection
            cfg.attributes["role_prefix"] = db.prefix
            command.upgrade(cfg, revision)
    finally:
        engine.dispose()
    return db


# Seats ------------------------------------------------------------------------------------


def new_seat(root: Path) -> Any:
    """An empty seat database (migrated) in ``root``."""
    return open_database(DataPaths(root))


def add_tickets(
    db: Any, seat: str, n: int, *, unit: str = "U1", seed: int = 0, operator: str = "op001"
) -> list[str]:
    """``n`` ordinary (non-demo) tickets saved at ``seat`` by ``operator`` (the centre accepts
    them from that login only), each with its outbox row.  The default seed is derived from
    the seat id with a stable hash (``hash()`` of a str changes with every interpreter), so a
    test sees the same tickets on every run."""
    gen = DemoGenerator(seed=seed or zlib.crc32(seat.encode()) % 10_000 or 1)
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
