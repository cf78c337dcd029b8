"""Logging: named category loggers, a rotating file in the data dir, no personal data.

Every record passes through :class:`PersonalDataFilter`, which masks phone, ID-card and
bank-card numbers in the formatted message, so a careless ``log.info("%s", caller)`` still
writes no number; :class:`RedactingFormatter` does the same for tracebacks, and the database
engines hide bound parameters in their error messages.  Names and addresses are never passed to loggers: code logs ticket numbers.
"""

from __future__ import annotations

import logging
import logging.handlers
from collections import deque
from pathlib import Path

from agent_app.domain.privacy import redact_text

ROOT = "agent_app"
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

ui = logging.getLogger(f"{ROOT}.ui")
db = logging.getLogger(f"{ROOT}.db")
sync = logging.getLogger(f"{ROOT}.sync")
speech = logging.getLogger(f"{ROOT}.speech")


class PersonalDataFilter(logging.Filter):
    """Mask personal numbers in every record before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact_text(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


class RedactingFormatter(logging.Formatter):
    """Mask personal numbers in the whole formatted record, tracebacks included: an
    exception's text can quote a caller's number that the message itself never named."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_text(super().format(record))


class MemoryTail(logging.Handler):
    """The last records in memory, for an in-app log view or a bug report."""

    def __init__(self, capacity: int = 500) -> None:
        super().__init__()
        self.records: deque[str] = deque(maxlen=capacity)

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record))


def setup(log_dir: Path | None, *, level: int = logging.INFO) -> MemoryTail:
    """Configure the ``agent_app`` logger: rotating file (if a dir is given) + memory tail."""
    logger = logging.getLogger(ROOT)
    logger.setLevel(level)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    formatter = RedactingFormatter(FORMAT)
    pii = PersonalDataFilter()
    tail = MemoryTail()
    tail.setFormatter(formatter)
    tail.addFilter(pii)
    logger.addHandler(tail)
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_dir / "agent-app.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
        handler.setFormatter(formatter)
        handler.addFilter(pii)
        logger.addHandler(handler)
    logger.propagate = False
    return tail
