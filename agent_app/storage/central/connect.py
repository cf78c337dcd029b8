"""Connecting to the centre: URL without password, password from the OS keyring, TLS options.

A seat's settings hold only a URL such as ``postgresql://op1001@central.example:5432/hotline
?sslmode=verify-full&sslrootcert=/etc/hotline/ca.pem``.  The person's password lives in the OS
keyring under the service :data:`KEYRING_SERVICE` and the key ``user@host:port/dbname``;
``PGPASSWORD`` (tests, trust set-ups) and client certificates work as libpq documents them.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from agent_app.errors import ConfigError

if TYPE_CHECKING:
    import psycopg

KEYRING_SERVICE = "agent-app-central"
TLS_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "sslcrl")
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
MAX_CONNECT_TIMEOUT = 600.0  # seconds; libpq and the TCP user timeout need whole numbers
PasswordLookup = Callable[[str], str | None]


@dataclass(frozen=True)
class CentralTarget:
    """Where the centre is and how to reach it (never holds a password)."""

    host: str
    port: int
    dbname: str
    user: str
    tls: dict[str, str] = field(default_factory=dict)
    connect_timeout: float = 5.0
    application_name: str = "agent-app"

    @property
    def keyring_key(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.dbname}"

    @property
    def display(self) -> str:
        """For messages and logs: no password, no TLS file paths."""
        return f"{self.user}@{self.host}:{self.port}/{self.dbname}"


def parse_url(url: str, *, connect_timeout: float | None = None) -> CentralTarget:
    """Parse ``postgresql[+psycopg]://user@host:port/db?sslmode=...``; refuse a password."""
    text = (url or "").strip()
    if not text:
        raise ConfigError(
            "No central database URL is set; pass --central/--url "
            "postgresql://USER@HOST:PORT/DB or set it in the settings."
        )
    try:
        parts = urlsplit(text)
    except ValueError as exc:  # an unbalanced '[' or ']' around an IPv6 host
        raise ConfigError(
            f"The central URL cannot be read ({exc}); use postgresql://USER@HOST:PORT/DB, "
            "with an IPv6 host in brackets: postgresql://USER@[::1]:5432/DB."
        ) from None
    if parts.scheme not in ("postgresql", "postgres", "postgresql+psycopg"):
        raise ConfigError(
            f"The central URL must start with postgresql:// (got {parts.scheme or 'nothing'}://)."
        )
    if parts.password:
        raise ConfigError(
            "The central URL must not hold a password; remove it and store the password in "
            f"the OS keyring (service {KEYRING_SERVICE}) with 'agent-app central set-password'."
        )
    if not parts.hostname:
        raise ConfigError("The central URL names no host; use postgresql://USER@HOST:PORT/DB.")
    user = unquote(parts.username or "") or os.environ.get("PGUSER", "")
    if not user:
        raise ConfigError("The central URL names no user; use postgresql://USER@HOST:PORT/DB.")
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname:
        raise ConfigError("The central URL names no database; use postgresql://USER@HOST:PORT/DB.")
    try:
        port = parts.port or 5432
    except ValueError as exc:
        raise ConfigError(f"The central URL has a bad port ({exc}).") from None
    tls: dict[str, str] = {}
    timeout = 5.0
    for key, value in parse_qsl(parts.query):
        if key in TLS_OPTIONS:
            if key == "sslmode" and value not in SSL_MODES:
                raise ConfigError(
                    f"Unknown sslmode {value!r} in the central URL; use one of {', '.join(SSL_MODES)}."
                )
            tls[key] = value
        elif key == "connect_timeout":
            timeout = check_connect_timeout(value, "connect_timeout in the central URL")
        else:
            raise ConfigError(
                f"Unknown option {key!r} in the central URL; allowed: {', '.join(TLS_OPTIONS)}, "
                "connect_timeout."
            )
    if connect_timeout is not None:
        timeout = check_connect_timeout(connect_timeout, "connect timeout")
    return CentralTarget(parts.hostname, port, dbname, user, tls, max(1.0, timeout))


def check_connect_timeout(value: str | float, what: str) -> float:
    """Seconds to wait for the centre: a finite number up to :data:`MAX_CONNECT_TIMEOUT`
    (values under 1 s count as 1 s); anything else is a :class:`ConfigError` naming ``what``."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = math.nan
    if not 0 < seconds <= MAX_CONNECT_TIMEOUT:  # also refuses nan and inf
        raise ConfigError(
            f"Bad {what} ({str(value)[:40]!r}); use a number of seconds from 1 to "
            f"{MAX_CONNECT_TIMEOUT:g}."
        )
    return seconds


def keyring_lookup(key: str) -> str | None:
    """The password stored for ``key`` in the OS keyring, or None (also when there is none)."""
    import keyring  # noqa: PLC0415 - loads backends; only when connecting
    from keyring.errors import KeyringError  # noqa: PLC0415

    try:
        return keyring.get_password(KEYRING_SERVICE, key)
    except KeyringError:
        return None


def store_password(target: CentralTarget, password: str) -> None:
    import keyring  # noqa: PLC0415
    from keyring.errors import KeyringError  # noqa: PLC0415

    try:
        keyring.set_password(KEYRING_SERVICE, target.keyring_key, password)
    except KeyringError as exc:
        raise ConfigError(
            f"The OS keyring cannot store the password ({exc}); install or unlock a keyring."
        ) from exc


def connect_kwargs(target: CentralTarget, password: str | None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "host": target.host,
        "port": target.port,
        "dbname": target.dbname,
        "user": target.user,
        "connect_timeout": max(1, round(target.connect_timeout)),
        "application_name": target.application_name,
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        "tcp_user_timeout": int(target.connect_timeout * 3000),
        **target.tls,
    }
    if password is not None:
        kwargs["password"] = password
    return kwargs


def connect(
    target: CentralTarget,
    *,
    password_lookup: PasswordLookup | None = keyring_lookup,
    autocommit: bool = True,
) -> psycopg.Connection[Any]:
    """Open a psycopg connection; a missing password becomes a :class:`ConfigError`.

    Network failures propagate as ``psycopg.OperationalError`` (the caller decides: offline).
    """
    import psycopg  # noqa: PLC0415 - heavy, only when syncing

    password = None
    if not os.environ.get("PGPASSWORD") and password_lookup is not None:
        password = password_lookup(target.keyring_key)
    try:
        # No server-side prepared statements: psycopg prepares a query after its 5th run on
        # a connection, which breaks behind PgBouncer in transaction mode (the next
        # transaction may run on another server connection); see docs/lead_desk.md.
        return psycopg.connect(
            autocommit=autocommit, prepare_threshold=None, **connect_kwargs(target, password)
        )
    except psycopg.OperationalError as exc:
        text = str(exc)
        if "password" in text and ("no password supplied" in text or "authentication" in text):
            raise ConfigError(
                f"The centre refused the login {target.display}: no valid password in the OS "
                f"keyring (service {KEYRING_SERVICE}, key {target.keyring_key}); store it with "
                "'agent-app central set-password'."
            ) from None
        if "does not exist" in text and "role" in text:
            raise ConfigError(
                f"The centre has no login role {target.user}; ask the administrator to run "
                "'agent-app central create-role'."
            ) from None
        raise
