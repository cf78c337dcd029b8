"""The settings file on disk, without Qt: is it readable, and setting an unreadable one aside.

``settings.ini`` is written by QSettings (INI format, UTF-8).  A file that is not UTF-8 text
or holds NUL bytes (a disk error, a half-copied file, another program's file) would be
half-read by QSettings and then overwritten with what it made of it.  Both the window and the command line
call :func:`set_aside_if_unreadable` before they read it: such a file is renamed to
``settings.ini.broken-<time>`` (kept for a look or a repair) and the defaults apply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from agent_app.errors import ConfigError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def problem(data: bytes) -> str | None:
    """Why ``data`` is not a readable settings file, or None when it is."""
    try:  # as lenient as QSettings with what the text says
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return f"not UTF-8 text at byte {exc.start}"
    if _CONTROL.search(text):  # QSettings writes control characters as escapes
        return "binary data in it"
    return None


@dataclass(frozen=True)
class SetAside:
    """An unreadable settings file that was moved aside."""

    path: Path  # where it went
    notice: str  # the warning to show: what happened and what to do


def set_aside_if_unreadable(path: Path, *, now: datetime | None = None) -> SetAside | None:
    """Move an unreadable settings file aside and say so; None when it is readable or absent.

    Raises :class:`ConfigError` when the file can be neither read nor moved aside.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(
            f"The settings file {path} cannot be read ({exc.strerror or exc}); fix its "
            "permissions, or move it away to start with default settings."
        ) from exc
    why = problem(data)
    if why is None:
        return None
    stamp = (now or datetime.now()).strftime("%Y%m%dT%H%M%S")
    broken = path.with_name(f"{path.name}.broken-{stamp}")
    n = 1
    while broken.exists():  # never over an earlier broken file of the same second
        n += 1
        broken = path.with_name(f"{path.name}.broken-{stamp}-{n}")
    try:
        path.replace(broken)
    except OSError as exc:
        raise ConfigError(
            f"The settings file {path} is unreadable ({why}) and cannot be moved aside "
            f"({exc.strerror or exc}); move or delete it, then start again."
        ) from exc
    return SetAside(
        broken,
        f"The settings file {path} was unreadable ({why}); it was moved aside to {broken.name} "
        "and the default settings are used: set this seat's options again (seat id, central "
        "URL) in the settings.",
    )
