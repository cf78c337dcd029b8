"""``agent-app central upgrade|stats|create-role|set-password`` (the central PostgreSQL)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys


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
    p = csub.add_parser("stats", help="counts of tickets, applied keys and conflicts")
    common(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run_stats)
    p = csub.add_parser("create-role", help="provision one person's login role")
    common(p)
    p.add_argument("name", help="login role name (lower case)")
    p.add_argument("--group", required=True, choices=("operator", "lead", "handler"))
    p.add_argument("--unit", action="append", default=[], help="handling unit (handlers; repeat)")
    p.add_argument(
        "--password-stdin", action="store_true", help="read the new role's password from stdin"
    )
    p.set_defaults(func=run_create_role)
    p = csub.add_parser("set-password", help="store this seat's password in the OS keyring")
    common(p)
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.set_defaults(func=run_set_password)


def _target(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from agent_app.storage.central.connect import parse_url  # noqa: PLC0415

    return parse_url(args.url)


def _offline(exc: Exception, target: object) -> int:
    from agent_app.cli import fail  # noqa: PLC0415

    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return fail(f"cannot reach the central database {target}: {first}", 3)


def run_upgrade(args: argparse.Namespace) -> int:
    import psycopg  # noqa: PLC0415

    from agent_app.storage.central import schema  # noqa: PLC0415

    target = _target(args)
    try:
        rev = schema.upgrade(target, role_prefix=args.role_prefix)
    except psycopg.OperationalError as exc:
        return _offline(exc, target.display)
    print(f"{target.display}: central schema {rev}")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    import psycopg  # noqa: PLC0415

    from agent_app.storage.central import schema  # noqa: PLC0415

    target = _target(args)
    try:
        stats = schema.stats(target)
    except psycopg.OperationalError as exc:
        return _offline(exc, target.display)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
    else:
        print(", ".join(f"{k} {v}" for k, v in stats.items()))
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass("Password: ")


def run_create_role(args: argparse.Namespace) -> int:
    import psycopg  # noqa: PLC0415

    from agent_app.storage.central import schema  # noqa: PLC0415

    target = _target(args)
    password = _read_password(True) if args.password_stdin else None
    try:
        schema.create_login_role(
            target, args.name, args.group, units=tuple(args.unit), password=password
        )
    except psycopg.OperationalError as exc:
        return _offline(exc, target.display)
    print(f"{args.name}: login role in group {args.group}")
    return 0


def run_set_password(args: argparse.Namespace) -> int:
    from agent_app.storage.central.connect import store_password  # noqa: PLC0415

    target = _target(args)
    store_password(target, _read_password(args.password_stdin))
    print(f"password for {target.keyring_key} stored in the OS keyring")
    return 0
