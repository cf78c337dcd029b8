"""Error types shared by every layer.

Domain and service code raise :class:`KnownError` for problems of the environment or of the
input that a user can act on (a missing model, a locked database, a bad file).  Its message is
one sentence that says what is wrong and what to do.  Anything else is a bug and propagates to
the crash handler.
"""

from __future__ import annotations


class KnownError(Exception):
    """A problem the user can fix; ``str(err)`` is shown to them as it is."""

    exit_code: int = 2


class UsageError(KnownError):
    """Bad command-line or form input."""


class ConfigError(KnownError):
    """A setting, path or file the app needs is missing or wrong."""


class StorageError(KnownError):
    """The local database cannot be opened, read or written."""


class SchemaTooNewError(StorageError):
    """The database file was written by a newer version of the app."""


class CorruptDatabaseError(StorageError):
    """SQLite's own check found the database file damaged."""


class UnreachableError(KnownError):
    """A server the command needs (the central database) cannot be reached."""

    exit_code = 3


class TransitionError(KnownError):
    """A lifecycle transition that the ticket's state or the role does not allow."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
