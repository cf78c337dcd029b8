"""``agent-app central upgrade|stats|create-role|set-password|seed|purge`` (the central
PostgreSQL)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from agent_app.cli import one_line
from agent_app.errors import ConfigError, UnreachableError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("central", help="central PostgreSQL: schema, statistics, roles")
    csub = parser.add_subparsers(dest="central_command", required=True, metavar="ACTION")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--url",
            default=os.environ.get("AGENT_APP_CENTRAL_URL", ""),
            help="postgresql://USER@HOST:PORT/DB[?sslmode=verify-full&sslrootcert=CA] (no password)",
        )

    p = csub.add_parser("upgrade", help="create or migrate the central schema and group roles")
    common(p)
    p.add_argument(
        "--role-prefix", default="hotline", help="prefix of the group roles (default: hotline)"
    )
    p.set_defaults(func=run_upgrade)
    p = csub.add_parser(
        "stats", help="counts of tickets, applied keys and conflicts, and the last purge"
    )
    common(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run_stats)
    p = csub.add_parser("create-role", help="provision one person's login role")
    common(p)
    p.add_argument("name", help="login role name (lower case)")
    p.add_argument(
        "--group",
        required=True,
        choices=("operator", "lead", "handler", "auditor", "report"),
        help="report: the reporting group (figures and exports, never a caller)",
    )
    p.add_argument("--unit", action="append", default=[], help="handling unit (handlers; repeat)")
    p.add_argument(
        "--password-stdin", action="store_true", help="read the new role's password from stdin"
    )
    p.set_defaults(func=run_create_role)
    p = csub.add_parser("set-password", help="store this seat's password in the OS keyring")
    common(p)
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.set_defaults(func=run_set_password)
    p = csub.add_parser(
        "seed", help="fill an empty centre with realistic tickets, events, callbacks and checks"
    )
    common(p)
    p.add_argument("--tickets", type=int, required=True, help="number of tickets")
    p.add_argument("--months", type=int, default=12, help="months of history (default: 12)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    p.add_argument(
        "--until",
        help="end of the history, ISO 8601 (default: the current hour); with --seed, "
        "the same rows again",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run_seed)
    p = csub.add_parser(
        "purge",
        help="erase the callers of tickets closed for longer than [centre] caller_days, "
        "and their calls' transcripts (administrator login)",
    )
    common(p)
    p.add_argument("--dry-run", action="store_true", help="count only; change nothing")
    p.add_argument("--now", help="the time to purge at, ISO 8601 (default: the clock; for tests)")
    p.add_argument("--policy", help="a retention.toml (default: knowledge_base/retention.toml)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run_purge)


def _target(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from agent_app.storage.central.connect import parse_url

    return parse_url(args.url)


@contextmanager
def _central_errors(target: Any, action: str) -> Iterator[None]:
    """Turn the driver's errors that a person can act on into one-line errors: the centre
    cannot be reached, this login may not ``action``, the schema is missing.  Others (bugs)
    propagate."""
    import psycopg
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except (psycopg.Error, DBAPIError) as exc:
        # Alembic runs over SQLAlchemy, which wraps the driver's error.
        error = exc.orig if isinstance(exc, DBAPIError) else exc
        detail = one_line(str(error).strip().splitlines()[0] if str(error).strip() else "")
        if isinstance(error, psycopg.errors.InsufficientPrivilege):
            raise ConfigError(
                f"The login {target.user} may not {action} in {target.display} ({detail}); "
                "run this command with an administrator login in --url (a superuser, or a "
                "role with CREATEROLE that owns the database)."
            ) from exc
        if isinstance(error, psycopg.errors.UndefinedTable | psycopg.errors.InvalidSchemaName):
            raise ConfigError(
                f"The central database {target.display} has no central schema ({detail}); "
                "run 'agent-app central upgrade' with an administrator login first."
            ) from exc
        if isinstance(error, psycopg.OperationalError):
            raise UnreachableError(
                f"cannot reach the central database {target.display}: "
                f"{detail or type(error).__name__}"
            ) from exc
        raise


def run_upgrade(args: argparse.Namespace) -> int:
    from agent_app.storage.central import schema

    target = _target(args)
    with _central_errors(target, "create or migrate the central schema and its roles"):
        rev = schema.upgrade(target, role_prefix=args.role_prefix)
    print(f"{target.display}: central schema {rev}")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    from agent_app.storage.central import schema

    target = _target(args)
    with _central_errors(target, "read the statistics"):
        stats = schema.stats(target)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
    else:
        last, warning = stats.get("last_purge"), stats.get("purge_warning")
        counts = {k: v for k, v in stats.items() if k not in ("last_purge", "purge_warning")}
        if last:
            counts["last_purge"] = last.get("at")
        print(", ".join(f"{k} {v}" for k, v in counts.items()))
        if warning:
            print(warning)
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass("Password: ")


def run_create_role(args: argparse.Namespace) -> int:
    from agent_app.storage.central import schema

    target = _target(args)
    password = _read_password(True) if args.password_stdin else None
    with _central_errors(target, "create login roles"):
        schema.create_login_role(
            target, args.name, args.group, units=tuple(args.unit), password=password
        )
    print(f"{args.name}: login role in group {args.group}")
    return 0


def run_set_password(args: argparse.Namespace) -> int:
    from agent_app.storage.central.connect import store_password

    target = _target(args)
    store_password(target, _read_password(args.password_stdin))
    print(f"password for {target.keyring_key} stored in the OS keyring")
    return 0


def run_purge(args: argparse.Namespace) -> int:
    from datetime import datetime
    from pathlib import Path

    from agent_app.domain.timeutil import SHANGHAI
    from agent_app.errors import UsageError
    from agent_app.services import central_retention

    now = None
    if args.now:
        try:
            now = datetime.fromisoformat(args.now)
        except ValueError:
            raise UsageError(
                f"--now {args.now!r} is not a date and time; use e.g. 2026-12-01T00:00+08:00"
            ) from None
        if now.tzinfo is None:
            now = now.replace(tzinfo=SHANGHAI)
    policy = central_retention.load_centre_policy(Path(args.policy) if args.policy else None)
    target = _target(args)
    with _central_errors(target, "purge callers' data at the centre (the administrator's task)"):
        report = central_retention.purge_centre(target, policy, now=now, dry_run=args.dry_run)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        print(
            f"{target.display}: {'would erase' if report.dry_run else 'erased'} the callers of "
            f"{report.tickets} tickets closed before {report.cutoff} and "
            f"{report.transcripts} transcripts ({report.held} held: open conflict or "
            "quality check returned)"
        )
    return 0


def run_seed(args: argparse.Namespace) -> int:
    from datetime import datetime

    from agent_app.domain.timeutil import SHANGHAI
    from agent_app.errors import UsageError
    from agent_app.services.central_seed import seed_centre

    until = None
    if args.until:
        try:
            until = datetime.fromisoformat(args.until)
        except ValueError:
            raise UsageError(
                f"--until {args.until!r} is not a date and time; use e.g. 2026-12-01T00:00+08:00"
            ) from None
        if until.tzinfo is None:
            until = until.replace(tzinfo=SHANGHAI)
    target = _target(args)

    def progress(text: str) -> None:
        if not args.json:
            print(f"  {text}", file=sys.stderr, flush=True)

    with _central_errors(target, "load the seed"):
        report = seed_centre(
            target,
            tickets=args.tickets,
            months=args.months,
            seed=args.seed,
            until=until,
            progress=progress,
        )
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        print(
            f"{target.display}: {report.tickets} tickets, {report.events} events, "
            f"{report.qa_results} quality checks, {report.conflicts} conflicts in "
            f"{report.seconds} s (until {report.until}, seed {report.seed})"
        )
    return 0
