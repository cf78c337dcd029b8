"""Logging: named category loggers, a rotating file in the data dir, no personal data.

Every record passes through :class:`PersonalDataFilter`, which masks phone, ID-card and
bank-card numbers in the formatted message, so a careless ``log.info("%s", caller)`` still
writes no number; :class:`RedactingFormatter` does the same for tracebacks, and the database
engines hide bound parameters in their error messages.  Names and addresses are never passed to loggers: code logs ticket numbers.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from agent_app.domain.privacy import redact_text

ROOT = "agent_app"
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
LOG_FILE = "agent-app.log"
MAX_BYTES = 2_000_000
BACKUPS = 5

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


class PrivateFileHandler(logging.handlers.RotatingFileHandler):
    """The rotating log file, created (and re-created at rotation) readable by its owner only."""

    def _open(self):  # type: ignore[no-untyped-def]  # logging's own signature
        stream = super()._open()
        if os.name != "nt":
            try:
                os.chmod(self.baseFilename, 0o600)
            except OSError:
                pass
        return stream


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
        log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = PrivateFileHandler(
            log_dir / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
        handler.setFormatter(formatter)
        handler.addFilter(pii)
        logger.addHandler(handler)
    logger.propagate = False
    return tail


class LazyFileHandler(PrivateFileHandler):
    """The rotating log file, opened at the first record: a command that logs nothing
    creates nothing.  The logs folder is made only inside an existing data directory, and
    a file that cannot be written is given up quietly (the command's own output stays as
    it is; nothing is printed about the log)."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
        )
        self.path = path
        self.written = False
        self.failed = False

    def emit(self, record: logging.LogRecord) -> None:
        if self.failed:
            return
        if self.stream is None:
            try:
                if not self.path.parent.parent.is_dir():
                    self.failed = True
                    return
                self.path.parent.mkdir(exist_ok=True, mode=0o700)
            except OSError:
                self.failed = True
                return
        super().emit(record)
        if not self.failed:
            self.written = True

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        self.failed = True


class CommandLog:
    """Where one command line's records went; see :func:`command_log`."""

    def __init__(self, handler: LazyFileHandler | None) -> None:
        self.handler = handler
        self.path = handler.path if handler is not None else None
        self._before = self._stat()

    def _stat(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat() if self.path is not None else None
        except OSError:
            return None
        return (st.st_size, st.st_mtime_ns) if st is not None else None

    @property
    def written(self) -> bool:
        """Whether this command wrote to the log file (itself, or through the window's log)."""
        if self.handler is not None and self.handler.written:
            return True
        now = self._stat()
        return now is not None and now != self._before


@contextmanager
def command_log(log_dir: Path | None, *, level: int = logging.INFO) -> Iterator[CommandLog]:
    """Log a command-line run to ``log_dir/agent-app.log`` (the same file the window
    writes), with the same masking; nothing is printed on stderr.  The ``agent_app`` logger
    is put back as it was afterwards (commands run in-process in tests)."""
    logger = logging.getLogger(ROOT)
    saved = (list(logger.handlers), logger.level, logger.propagate)
    for handler in saved[0]:
        logger.removeHandler(handler)
    pii = PersonalDataFilter()
    file_handler = LazyFileHandler(log_dir / LOG_FILE) if log_dir is not None else None
    installed: logging.Handler = file_handler or logging.NullHandler()
    installed.setFormatter(RedactingFormatter(FORMAT))
    installed.addFilter(pii)
    logger.addHandler(installed)
    logger.setLevel(level)
    logger.propagate = False
    try:
        yield CommandLog(file_handler)
    finally:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
            if handler not in saved[0]:
                handler.close()
        for handler in saved[0]:
            logger.addHandler(handler)
        logger.setLevel(saved[1])
        logger.propagate = saved[2]
