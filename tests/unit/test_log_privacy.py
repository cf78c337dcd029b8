"""The log file never holds a caller's number or the values of a failed SQL statement."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import text

from agent_app import log as applog
from agent_app.storage import schema
from agent_app.storage.db import Database

PHONE = "13812345678"
NAME = "张伟"
ADDRESS = "朝阳区望京西园四区3号楼"


@pytest.fixture
def log_file(tmp_path: Path):
    applog.setup(tmp_path / "logs")
    yield tmp_path / "logs" / "agent-app.log"
    applog.setup(None)


def _flush() -> None:
    for handler in logging.getLogger(applog.ROOT).handlers:
        handler.flush()


def test_numbers_in_messages_and_tracebacks_are_masked(log_file: Path):
    logger = logging.getLogger("agent_app.test")
    logger.info("caller %s called back", PHONE)
    try:
        raise ValueError(f"cannot parse {PHONE} for 110101199003071234")
    except ValueError:
        logger.exception("lookup failed")
    _flush()
    written = log_file.read_text(encoding="utf-8")
    assert "lookup failed" in written
    assert "ValueError" in written
    assert PHONE not in written
    assert "110101199003071234" not in written
    assert "138****5678" in written


def test_failed_sql_does_not_log_its_parameters(log_file: Path, tmp_path: Path):
    db_path = tmp_path / "seat.sqlite3"
    schema.upgrade(db_path, tmp_path / "backups")
    database = Database(db_path)
    logger = logging.getLogger("agent_app.db")
    try:
        with database.write() as session:
            session.execute(
                text("INSERT INTO no_such_table (name, phone, address) VALUES (:n, :p, :a)"),
                {"n": NAME, "p": PHONE, "a": ADDRESS},
            )
    except Exception:  # the point is what the log keeps of it
        logger.exception("save failed")
    finally:
        database.dispose()
    _flush()
    written = log_file.read_text(encoding="utf-8")
    assert "no_such_table" in written
    for secret in (NAME, PHONE, ADDRESS):
        assert secret not in written
