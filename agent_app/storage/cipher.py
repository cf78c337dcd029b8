"""The seat database is encrypted at rest with SQLCipher; this module opens it.

Every connection to a seat database (the SQLAlchemy engines, the stdlib-style read model,
schema checks, backups) comes from :func:`connect`, which sets the seat's 256-bit raw key
(``PRAGMA key = "x'…'"``: no key derivation, so opening a connection costs well under a
millisecond) and keeps temporary tables in memory.  The file, its WAL and its backups are
unreadable without the key; SQLite reports "file is not a database".

Where the key comes from, first match wins (docs/privacy.md):

1. a demo data directory (``DEMO`` marker): a throwaway key generated into ``demo.key`` in
   that directory, so demo and training data take the same encrypted path;
2. ``AGENT_APP_DB_KEY_FILE``: a file of 64 hex digits readable only by its owner (kiosks, CI,
   tests, machines without a keyring); never a default;
3. the OS keyring (service :data:`KEYRING_SERVICE`, the entry named in ``db-key-id`` in the
   data directory).  A plaintext, null or "fail" keyring backend is refused.

A plaintext seat file from an older version is encrypted in place by
:func:`encrypt_plaintext` (``sqlcipher_export``), the plaintext copy kept until the
encrypted file has been verified.
"""

from __future__ import annotations

import logging
import os
import stat
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

from agent_app.errors import ConfigError, StorageError
from agent_app.paths import DataPaths

log = logging.getLogger("agent_app.db")

ENV_KEY_FILE = "AGENT_APP_DB_KEY_FILE"
KEYRING_SERVICE = "agent-app-seat-db"
KEY_ID_FILE = "db-key-id"
DEMO_KEY_FILE = "demo.key"
PLAINTEXT_HEADER = b"SQLite format 3\x00"
KEY_HEX_LENGTH = 64
MIN_SQLITE = (3, 51, 3)  # reliability.md R12: older SQLite has WAL-reset corruption bugs
# keyring backends that keep no secret: refused (keyrings.alt's plaintext file, the null and
# fail backends, and anything that calls itself insecure or plaintext)
_INSECURE_BACKENDS = ("fail.Keyring", "null.Keyring", "Plaintext", "Insecure", "insecure")

_keys: dict[str, str] = {}  # data directory -> hex key, for this process
_quiet = False


def dbapi() -> ModuleType:
    """The SQLCipher DB-API module (``sqlcipher3.dbapi2``, a drop-in for ``sqlite3``)."""
    global _quiet  # once per process
    try:
        from sqlcipher3 import dbapi2  # noqa: PLC0415 - loaded once, on the first open
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ConfigError(
            f"The SQLCipher module is missing ({exc}); reinstall the app "
            "(pip install -e . installs sqlcipher3)."
        ) from exc
    if not _quiet:
        # SQLCipher logs decryption failures to stderr by itself: commands print one line
        conn = dbapi2.connect(":memory:")
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")
        finally:
            conn.close()
        _quiet = True
    return dbapi2


# --------------------------------------------------------------------------- keys


def _check_private(path: Path, what: str) -> os.stat_result:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ConfigError(
            f"The {what} {path} does not exist; create it with 'umask 077; python3 -c "
            '"import secrets; print(secrets.token_hex(32))" > FILE\' (docs/privacy.md).'
        ) from None
    except OSError as exc:
        raise ConfigError(f"The {what} {path} cannot be read ({exc.strerror or exc}).") from exc
    if os.name != "nt" and st.st_mode & 0o077:
        raise ConfigError(
            f"The {what} {path} can be read by other users (mode "
            f"{stat.S_IMODE(st.st_mode):03o}); run 'chmod 600 {path}' and start again."
        )
    return st


def _read_key_file(path: Path, what: str) -> str:
    _check_private(path, what)
    try:
        text = path.read_text(encoding="ascii").strip().lower()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"The {what} {path} cannot be read ({exc}).") from exc
    if len(text) != KEY_HEX_LENGTH or any(c not in "0123456789abcdef" for c in text):
        raise ConfigError(
            f"The {what} {path} must hold exactly {KEY_HEX_LENGTH} hex digits (a 256-bit key); "
            'make one with: python3 -c "import secrets; print(secrets.token_hex(32))".'
        )
    return text


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


def new_key() -> str:
    import secrets  # noqa: PLC0415 - with hmac: only when a key is made, not at every start

    return secrets.token_hex(32)


def keyring_backend_problem(backend: object) -> str | None:
    """Why ``backend`` cannot keep the database key (None when it can)."""
    kind = type(backend)
    name = f"{kind.__module__}.{kind.__qualname__}"
    if any(bad in name for bad in _INSECURE_BACKENDS):
        return f"the keyring backend is {name}, which keeps no secret"
    children = getattr(backend, "backends", None)
    if children is not None:  # the chainer: usable when one of its backends is
        if not children:
            return "no keyring backend is available"
        problems = [keyring_backend_problem(child) for child in children]
        if all(problems):
            return problems[0]
    return None


def _keyring() -> Any:
    import keyring  # noqa: PLC0415 - 0.2 s of backend discovery, only for a real seat

    problem = keyring_backend_problem(keyring.get_keyring())
    if problem is not None:
        raise ConfigError(
            f"No secure OS keyring for the database key ({problem}); install and unlock one "
            "(Debian/Ubuntu: apt install gnome-keyring, then log in to a desktop session), or "
            f"set {ENV_KEY_FILE} to a key file only you can read (docs/privacy.md)."
        )
    return keyring


def _keyring_key(root: Path, database: Path, *, create: bool) -> str:
    from keyring.errors import KeyringError  # noqa: PLC0415

    keyring = _keyring()
    id_file = root / KEY_ID_FILE
    has_data = is_encrypted(database)
    try:
        key_id = id_file.read_text(encoding="ascii").strip() if id_file.exists() else ""
    except OSError as exc:
        raise ConfigError(f"The key id file {id_file} cannot be read ({exc}).") from exc
    if key_id:
        try:
            stored = keyring.get_password(KEYRING_SERVICE, key_id)
        except KeyringError as exc:
            raise ConfigError(
                f"The OS keyring refused the database key ({exc}); unlock the keyring and "
                "start again."
            ) from exc
        if stored:
            return str(stored)
    if has_data or not create:
        raise ConfigError(
            f"The key of the database {database} is not in the OS keyring (service "
            f"{KEYRING_SERVICE}, entry {key_id or 'none'}); log in as the user who set up this "
            f"seat, or set {ENV_KEY_FILE} to the seat's key file (docs/privacy.md)."
        )
    key_id = key_id or str(uuid.uuid4())
    key = new_key()
    try:
        keyring.set_password(KEYRING_SERVICE, key_id, key)
        ok = keyring.get_password(KEYRING_SERVICE, key_id) == key
    except KeyringError as exc:
        raise ConfigError(
            f"The OS keyring refused to store the database key ({exc}); unlock the keyring "
            "and start again."
        ) from exc
    if not ok:
        raise ConfigError(
            "The OS keyring did not give back the database key it was given; use another "
            f"keyring or set {ENV_KEY_FILE} (docs/privacy.md)."
        )
    if not id_file.exists():
        _write_private(id_file, key_id + "\n")
    log.info("new database key stored in the OS keyring")
    return key


def resolve_key(root: Path, *, create: bool = True) -> str:
    """The hex key of the seat database in data directory ``root`` (see the module doc)."""
    paths = DataPaths(root)
    database = paths.database
    cached = _keys.get(str(root))
    if cached is not None:
        return cached
    if paths.is_demo:
        key_file = root / DEMO_KEY_FILE
        if not key_file.exists():
            if is_encrypted(database) or not create:
                raise ConfigError(
                    f"The throwaway key of the demo directory {root} is gone; delete the "
                    "directory or choose another --data-dir."
                )
            _write_private(key_file, new_key() + "\n")
        key = _read_key_file(key_file, "demo key file")
    elif os.environ.get(ENV_KEY_FILE):
        key = _read_key_file(
            Path(os.environ[ENV_KEY_FILE]).expanduser(), f"key file ({ENV_KEY_FILE})"
        )
    else:
        key = _keyring_key(root, database, create=create)
    _keys[str(root)] = key
    return key


def forget_keys() -> None:
    """Drop the keys cached in this process (tests switch key files between cases)."""
    _keys.clear()


def key_for(database: Path) -> str:
    """The key of a seat database file: the key of the data directory holding it (a file in
    its ``backups`` folder has the same key)."""
    root = database.parent
    cached = _keys.get(str(root))
    if cached is not None:
        return cached
    if root.name == "backups" and not DataPaths(root).database.exists():
        root = root.parent
    return resolve_key(root, create=False)


# --------------------------------------------------------------------------- connections


def _key_pragma(key: str) -> str:
    return f"PRAGMA key = \"x'{key}'\""


def connect(
    database: Path,
    *,
    key: str | None = None,
    readonly: bool = False,
    timeout: float = 10.0,
    check_same_thread: bool = True,
) -> Any:
    """A keyed SQLCipher connection to ``database`` (a ``sqlite3``-compatible object).

    ``readonly`` opens with ``mode=ro`` (a missing file is an error, nothing is created).
    A plaintext file is refused: :func:`encrypt_plaintext` converts it first.
    """
    module = dbapi()
    if is_plaintext(database):
        raise StorageError(
            f"The database {database} is not encrypted yet; start the app or run "
            "'agent-app db upgrade' once to encrypt it."
        )
    hex_key = key if key is not None else key_for(database)
    target = f"file:{database}?mode=ro" if readonly else str(database)
    conn = module.connect(
        target, uri=readonly, timeout=timeout, check_same_thread=check_same_thread
    )
    try:
        conn.execute(_key_pragma(hex_key))
        conn.execute("PRAGMA temp_store=MEMORY")
    except BaseException:
        conn.close()
        raise
    return conn


def is_plaintext(path: Path) -> bool:
    """Whether ``path`` is an unencrypted SQLite file (False when missing or empty)."""
    try:
        with path.open("rb") as fh:
            return fh.read(16) == PLAINTEXT_HEADER
    except OSError:
        return False


def is_encrypted(path: Path) -> bool:
    """Whether ``path`` holds data that is not a plaintext SQLite header."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    return bool(head) and head != PLAINTEXT_HEADER


def versions() -> tuple[str, str]:
    """(SQLCipher version, SQLite version) of the loaded module."""
    conn = dbapi().connect(":memory:")
    try:
        cipher = str(conn.execute("PRAGMA cipher_version").fetchone()[0])
        lite = str(conn.execute("SELECT sqlite_version()").fetchone()[0])
    finally:
        conn.close()
    return cipher, lite


def self_test() -> None:
    """Log the SQLCipher and SQLite versions; warn when SQLite is older than 3.51.3."""
    cipher, lite = versions()
    numbers = tuple(int(p) for p in lite.split(".")[:3] if p.isdigit())
    if numbers < MIN_SQLITE:
        log.warning("SQLite %s is older than 3.51.3 (WAL reset bug); update sqlcipher3", lite)
    else:
        log.info("SQLCipher %s, SQLite %s", cipher, lite)


# --------------------------------------------------------------------------- migration


def _user_tables(conn: Any, schema_name: str = "main") -> dict[str, int]:
    names = [
        r[0]
        for r in conn.execute(
            f"SELECT name FROM {schema_name}.sqlite_master WHERE type='table' "
            "AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: int(conn.execute(f'SELECT count(*) FROM {schema_name}."{name}"').fetchone()[0])
        for name in names
    }


def _remove(path: Path) -> None:
    """Overwrite a plaintext file with zeros, then delete it (best effort on SSDs)."""
    try:
        size = path.stat().st_size
        with path.open("r+b") as fh:
            remaining = size
            chunk = b"\0" * 65536
            while remaining > 0:
                n = min(remaining, len(chunk))
                fh.write(chunk[:n])
                remaining -= n
            fh.flush()
            os.fsync(fh.fileno())
    except OSError:
        pass
    path.unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def encrypt_plaintext(path: Path, key: str) -> bool:
    """Encrypt the plaintext SQLite file ``path`` in place; False when it is not plaintext.

    The WAL is checkpointed into the plaintext file, which is then exported into
    ``<path>.encrypting`` with ``sqlcipher_export``; the copy is checked (``quick_check``
    and every table's row count) before it replaces the original, and the plaintext file
    (kept as ``<path>.plaintext`` meanwhile) is overwritten and deleted only after the
    encrypted file has opened with the key.  An interrupted run leaves the plaintext file
    or its ``.plaintext`` copy, which the next run picks up again.
    """
    saved = path.with_name(path.name + ".plaintext")
    if not path.exists() and is_plaintext(saved):
        os.replace(saved, path)  # a run stopped between the two renames
    if not is_plaintext(path):
        if saved.exists() and is_encrypted(path):
            _verify_encrypted(path, key, None)
            _remove(saved)
        return False
    module = dbapi()
    tmp = path.with_name(path.name + ".encrypting")
    for leftover in (tmp, Path(f"{tmp}-journal")):
        leftover.unlink(missing_ok=True)
    src = module.connect(str(path), timeout=10)
    try:
        src.isolation_level = None
        src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        rows = src.execute("PRAGMA quick_check(1)").fetchall()
        if rows != [("ok",)]:
            raise StorageError(
                f"The plaintext database {path} is damaged (SQLite: {rows[0][0]}); it was not "
                "encrypted: restore a backup or ask support."
            )
        counts = _user_tables(src)
        user_version = int(src.execute("PRAGMA user_version").fetchone()[0])
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        src.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key}'\"", (str(tmp),))
        src.execute("SELECT sqlcipher_export('encrypted')")
        src.execute(f"PRAGMA encrypted.user_version = {user_version}")
        src.execute("DETACH DATABASE encrypted")
    except BaseException:
        src.close()
        tmp.unlink(missing_ok=True)
        raise
    src.close()
    try:
        _verify_encrypted(tmp, key, counts)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    for side in ("-wal", "-shm"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    os.replace(path, saved)
    os.replace(tmp, path)
    _fsync_dir(path.parent)
    _verify_encrypted(path, key, counts)
    _remove(saved)
    log.info("database %s encrypted in place (%d tables)", path.name, len(counts))
    return True


def _verify_encrypted(path: Path, key: str, counts: dict[str, int] | None) -> None:
    conn = connect(path, key=key)
    try:
        rows = conn.execute("PRAGMA quick_check(1)").fetchall()
        if rows != [("ok",)]:
            raise StorageError(f"The encrypted copy {path} failed its check ({rows[0][0]}).")
        if counts is not None and _user_tables(conn) != counts:
            raise StorageError(f"The encrypted copy {path} does not hold every row; not used.")
    finally:
        conn.close()
