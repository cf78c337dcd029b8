"""The ``agent-app`` command line.

Without a sub-command it starts the workstation window; sub-commands (``db``, ``deadline``,
``geocode``, ``kb``, ``suggest``, ``transcribe``, ``central``, ``sync``) run without Qt.  Each
sub-command lives in a module of this package with ``register(subparsers)``; the module's
parser sets ``func`` to a ``run(args) -> int``.  Every failure the user can act on ends in one
line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import NoReturn

from agent_app import __version__
from agent_app.errors import KnownError

COMMAND_MODULES = (
    "db",
    "deadline",
    "geocode",
    "kb",
    "suggest",
    "transcribe",
    "central",
    "sync",
)

ROLES = ("operator", "lead", "trainer")


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, without the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"agent-app: error: {message} (see --help)\n")


def fail(message: str, code: int = 2) -> int:
    """Print one error line and return the exit code."""
    print(f"agent-app: error: {message}", file=sys.stderr)
    return code


def build_parser() -> argparse.ArgumentParser:
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
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"agent_app.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"agent_app.cli.{name}":
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from agent_app.app import run_gui  # noqa: PLC0415 - Qt only for the window

            return run_gui(args)
        return int(args.func(args))
    except KnownError as exc:
        return fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        return fail("interrupted", 130)
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, details in the log
        logging.getLogger("agent_app").exception("unexpected error in %s", args.command)
        return fail(f"unexpected {type(exc).__name__}: {exc}; see the log in the data directory", 1)
