"""``agent-app sync [--once] [--data-dir DIR] [--central URL]``: push the outbox, pull changes."""

from __future__ import annotations

import argparse
import configparser
import json
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agent_app.storage.central.connect import MAX_CONNECT_TIMEOUT

MAX_BATCH = 10_000
MAX_INTERVAL = 86_400.0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sync", help="sync this seat with the central PostgreSQL")
    p.add_argument("--data-dir", dest="sub_data_dir", help="data directory")
    p.add_argument("--central", help="central URL (overrides the settings; no password)")
    p.add_argument("--once", action="store_true", help="push everything, pull once, then exit")
    p.add_argument(
        "--batch",
        type=_batch,
        default=300,
        help=f"operations per transaction, 1 to {MAX_BATCH} (300)",
    )
    p.add_argument(
        "--interval",
        type=_seconds(0.1, MAX_INTERVAL),
        default=5.0,
        help="seconds between cycles (5)",
    )
    p.add_argument(
        "--connect-timeout",
        type=_seconds(1.0, MAX_CONNECT_TIMEOUT),
        default=None,
        help=f"seconds to wait for the centre, 1 to {MAX_CONNECT_TIMEOUT:g} (5)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object per cycle")
    p.add_argument(
        "--resend",
        action="store_true",
        help="first send every undelivered (未送达) ticket again with its current state",
    )
    p.add_argument(
        "--renumber",
        action="store_true",
        help="like --resend, and give tickets refused for their number a new number of this seat",
    )
    p.set_defaults(func=run)


def _batch(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text[:40]!r}") from None
    if not 1 <= value <= MAX_BATCH:
        raise argparse.ArgumentTypeError(f"{text[:40]} is out of range; use 1 to {MAX_BATCH}")
    return value


def _seconds(low: float, high: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number of seconds: {text[:40]!r}") from None
        if not low <= value <= high:  # also refuses nan and inf
            raise argparse.ArgumentTypeError(
                f"{text[:40]} is out of range; use {low:g} to {high:g} seconds"
            )
        return value

    return parse


def _settings(path: Path) -> dict[str, str]:
    """Read the options of the seat's settings.ini without Qt (QSettings' INI format); an
    unreadable file is moved aside with a warning, as the window does."""
    from agent_app.cli import warn
    from agent_app.settings_file import set_aside_if_unreadable

    moved = set_aside_if_unreadable(path)
    if moved is not None:
        warn(moved.notice)
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error:
        return {}
    if not parser.has_section("options"):
        return {}
    return {k: v.strip().strip('"') for k, v in parser.items("options")}


def run(args: argparse.Namespace) -> int:
    from agent_app.cli import fail
    from agent_app.paths import data_paths
    from agent_app.services.sync.engine import SyncEngine, SyncReport
    from agent_app.storage.central.connect import parse_url
    from agent_app.storage.seat import open_database

    paths = data_paths(args.sub_data_dir or args.data_dir)
    if paths.is_demo:
        return fail(
            f"{paths.root} is a demo/training data directory (DEMO marker); it never syncs."
        )
    options = _settings(paths.settings_file)
    url = args.central or os.environ.get("AGENT_APP_CENTRAL_URL") or options.get("central_url", "")
    target = parse_url(url, connect_timeout=args.connect_timeout)
    seat = args.seat or options.get("seat")
    if not seat:
        return fail(
            f"this seat has no seat id: set seat= under [options] in {paths.settings_file} "
            "(or pass --seat); every seat needs its own before it syncs"
        )
    db = open_database(paths)
    try:
        engine = SyncEngine(db, target, seat=seat, demo=paths.is_demo, batch_size=args.batch)

        def show(report: SyncReport) -> None:
            if args.json:
                print(json.dumps(report.as_dict(), ensure_ascii=False), flush=True)
            else:
                print(_line(report.as_dict()), flush=True)

        if args.resend or args.renumber:
            counts = engine.resend_undelivered(renumber=args.renumber)
            print(
                f"resent {counts['resent']} undelivered ticket(s) "
                f"({counts['renumbered']} renumbered, {counts['still_invalid']} still invalid)",
                flush=True,
            )
        if args.once:
            report = engine.sync_once()
            show(report)
            if not report.ok:
                return fail(f"sync did not finish: {report.error}", 3 if not report.online else 4)
            if not report.complete:
                return fail(_undelivered_line(engine.status(), report.pull_quarantined), 4)
            return 0
        stop = threading.Event()
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            engine.run(stop, interval=args.interval, on_report=show)
        except KeyboardInterrupt:
            stop.set()
        finally:
            signal.signal(signal.SIGTERM, previous)
        return 0
    finally:
        db.dispose()


def _undelivered_line(status: dict[str, Any], pull_quarantined: int) -> str:
    """One line: how many tickets are undelivered (未送达), with a few numbers and reasons."""
    items = status.get("undelivered_items") or []
    shown = ", ".join(f"{i['number']} ({i['reason']})" for i in items[:3])
    more = f" and {len(items) - 3} more" if len(items) > 3 else ""
    parts = []
    if items:
        parts.append(
            f"{len(items)} ticket(s) not delivered to the centre: {shown}{more}; "
            "correct and resend them at the seat (or renumber)"
        )
    if pull_quarantined:
        parts.append(f"{pull_quarantined} centre row(s) could not be applied here (quarantined)")
    return "; ".join(parts) or "some changes were refused by the centre"


def _line(r: dict[str, Any]) -> str:
    state = "online" if r["online"] else "offline"
    text = (
        f"{state}: pushed {r['pushed']} ({r['replayed']} replayed, {r['merged']} merged, "
        f"{r['conflicts']} conflicts, {r['rejected']} rejected, {r['quarantined']} invalid), "
        f"pulled {r['pulled']} ({r['pull_quarantined']} quarantined), "
        f"queue {r['queue']}, undelivered {r['undelivered']}, {r['seconds']:.2f} s"
    )
    return f"{text}; {r['error']}" if r["error"] else text
