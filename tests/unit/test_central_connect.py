"""Reaching the centre: TLS options go to libpq, passwords come from the OS keyring only."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from agent_app.errors import ConfigError
from agent_app.storage.central import connect as central


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_tls_options_are_kept_and_reach_the_driver():
    target = central.parse_url(
        "postgresql://op1001@central.example:6432/hotline"
        "?sslmode=verify-full&sslrootcert=/etc/hotline/ca.pem"
    )
    assert target.tls == {"sslmode": "verify-full", "sslrootcert": "/etc/hotline/ca.pem"}
    kwargs = central.connect_kwargs(target, None)
    assert kwargs["sslmode"] == "verify-full"
    assert kwargs["sslrootcert"] == "/etc/hotline/ca.pem"
    assert kwargs["port"] == 6432
    assert "password" not in kwargs
    assert "ca.pem" not in target.display


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgresql://op:secret@h/db", "must not hold a password"),
        ("postgresql://op@h/db?sslmode=sometimes", "Unknown sslmode"),
        ("postgresql://op@h/db?password=x", "Unknown option"),
        ("mysql://op@h/db", "must start with postgresql://"),
    ],
)
def test_bad_urls_are_refused_with_what_to_do(url: str, words: str):
    with pytest.raises(ConfigError, match=words):
        central.parse_url(url)


def test_password_is_stored_in_and_read_from_the_keyring(memory_keyring: MemoryKeyring):
    target = central.parse_url("postgresql://op1001@central.example/hotline")
    central.store_password(target, "s3cret")
    assert memory_keyring.store == {(central.KEYRING_SERVICE, target.keyring_key): "s3cret"}
    assert central.keyring_lookup(target.keyring_key) == "s3cret"
    assert central.keyring_lookup("someone@else:5432/db") is None


def test_libpq_applies_the_tls_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """TLS is required: a server without it (or a missing root certificate) is refused
    before any login."""
    psycopg = pytest.importorskip("psycopg")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    missing = tmp_path / "no-such-ca.pem"
    target = central.parse_url(
        f"postgresql://postgres@127.0.0.1:5432/postgres?sslmode=verify-full&sslrootcert={missing}",
        connect_timeout=2,
    )
    with pytest.raises(psycopg.OperationalError, match="SSL|root certificate|no-such-ca"):
        central.connect(target, password_lookup=None)
