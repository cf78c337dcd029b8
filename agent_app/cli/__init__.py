"""The ``agent-app`` command line.

Without a sub-command it starts the workstation window; sub-commands (``db``, ``deadline``,
``geocode``, ``kb``, ``suggest``, ``transcribe``, ``central``, ``sync``, ``ticket``,
``training``, ``unit``, ``lead``, ``callback``, ``review``, ``qa``) run without Qt.  Each sub-command lives in a
module of this package with
``register(subparsers)``; the module's parser sets ``func`` to a ``run(args) -> int``.  Every failure the user can act on ends in one
line on stderr and a non-zero exit, never a traceback: commands raise
:class:`~agent_app.errors.KnownError` (or return :func:`fail`), and :func:`main` turns anything
else into one line too.  Commands log to the data directory's ``logs/agent-app.log`` like the
window does; an error line names that file when the command wrote details to it.  Bad input
(:class:`~agent_app.errors.UsageError`) is not logged: its line says everything, and the input
may be a caller's.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from agent_app import __version__
from agent_app import log as applog
from agent_app.errors import KnownError, UsageError

COMMAND_MODULES = (
    "db",
    "deadline",
    "geocode",
    "kb",
    "suggest",
    "transcribe",
    "central",
    "sync",
    "ticket",
    "training",
    "unit",
    "lead",
    "callback",
    "report",
    "audit",
    "review",
    "qa",
)

ROLES = ("operator", "lead", "trainer")

log = logging.getLogger("agent_app.cli")
_current_log: applog.CommandLog | None = None


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, without the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"agent-app: error: {message} (see --help)\n")


def fail(message: str, code: int = 2) -> int:
    """Log and print one error line, and return the exit code."""
    log.error("%s", message)
    return _print_error(message, code)


def _print_error(message: str, code: int) -> int:
    """Print one error line (naming the log file when this command wrote to it)."""
    current = _current_log
    if current is not None and current.written and current.path is not None:
        message = f"{message.rstrip()} (details: {current.path})"
    print(f"agent-app: error: {message}", file=sys.stderr)
    return code


def warn(message: str) -> None:
    """One warning line on stderr, also logged (the command goes on)."""
    log.warning("%s", message)
    print(f"agent-app: warning: {message}", file=sys.stderr)


def one_line(text: str, limit: int = 1000) -> str:
    """``text`` on one line (an exception's message can span several), shortened to ``limit``."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _log_dir(args: argparse.Namespace) -> Path | None:
    """The logs folder of the data directory this command works on (none for a throwaway
    demo directory that does not exist yet)."""
    from agent_app.paths import data_paths

    data_dir = getattr(args, "sub_data_dir", None) or args.data_dir
    if args.command is None and args.demo and not data_dir:
        return None
    try:
        return data_paths(data_dir).logs
    except Exception:  # noqa: BLE001 - no usable data dir: the command reports that itself
        return None


def _commands_named(argv: Sequence[str] | None) -> tuple[str, ...]:
    """The command modules ``argv`` may use: all of them for help or when a command name is
    among the words; none for the window (its start does not import every command)."""
    words = list(sys.argv[1:] if argv is None else argv)
    if any(w in ("-h", "--help") for w in words) or any(w in COMMAND_MODULES for w in words):
        return COMMAND_MODULES
    if words and not words[0].startswith("-"):
        return COMMAND_MODULES  # an unknown command: argparse names the choices
    return ()


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with ``argv``, only the command modules it may use are imported."""
    parser = OneLineParser(
        prog="agent-app",
        description="12345 hotline agent workstation.",
    )
    parser.add_argument("--version", action="version", version=f"agent-app {__version__}")
    parser.add_argument("--data-dir", help="data directory (default: the user data directory)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run offline on a throwaway seeded database that never syncs",
    )
    parser.add_argument("--role", choices=ROLES, help="role at start (default: ask)")
    parser.add_argument("--seat", help="seat identifier (default: from settings)")
    parser.add_argument("--lang", choices=("zh_CN", "en"), help="UI language")
    parser.add_argument(
        "--model",
        metavar="DIR",
        help="Vosk speech model directory for live transcription "
        "(wins over AGENT_APP_VOSK_MODEL and the setting)",
    )
    parser.add_argument(
        "--screenshot", metavar="PNG", help="render the main window to PNG and exit"
    )
    parser.add_argument(
        "--exit-when-painted",
        action="store_true",
        help=argparse.SUPPRESS,  # benchmarks: print the time the data was painted, then exit
    )
    parser.add_argument(
        "--no-err-windows", action="store_true", help="never open error dialogs (tests, kiosks)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    for name in COMMAND_MODULES if argv is None else _commands_named(argv):
        try:
            module = importlib.import_module(f"agent_app.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"agent_app.cli.{name}":
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    global _current_log  # one command line per call
    parser = build_parser(list(sys.argv[1:]) if argv is None else argv)
    args = parser.parse_args(argv)
    with applog.command_log(_log_dir(args)) as command_log:
        _current_log = command_log
        try:
            return _run(args)
        finally:
            _current_log = None


def _run(args: argparse.Namespace) -> int:
    command = args.command or "window"
    try:
        if args.command is None:
            from agent_app.app import run_gui  # Qt only for the window

            return run_gui(args)
        return int(args.func(args))
    except UsageError as exc:  # not logged: the line says it all, the input may be personal
        return _print_error(one_line(str(exc)), exc.exit_code)
    except KnownError as exc:
        cause = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
        log.error("%s: %s", command, one_line(str(exc)), exc_info=cause)
        return _print_error(one_line(str(exc)), exc.exit_code)
    except KeyboardInterrupt:
        return fail("interrupted", 130)
    except BrokenPipeError:
        return 0
    except Exception as exc:  # last line of defence: one line, details in the log
        log.exception("unexpected error in %s", command)
        return _print_error(
            f"unexpected {type(exc).__name__} ({one_line(str(exc), 160)}); "
            "this is a bug: please report it",
            1,
        )
