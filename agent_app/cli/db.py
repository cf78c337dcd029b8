"""``agent-app db upgrade|check|backup|restore|purge|seed-demo``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from agent_app.paths import data_paths
from agent_app.storage import schema


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "db", help="seat database: upgrade, check, backup, restore, seed demo data"
    )
    dbsub = parser.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    for name, help_text in (
        ("upgrade", "bring the database to the current schema (backs up first)"),
        (
            "check",
            "check the file with SQLite's integrity_check and report the schema state; "
            "exit 1 when a migration is due, 2 when the file is damaged",
        ),
    ):
        p = dbsub.add_parser(name, help=help_text)
        p.add_argument("--data-dir", dest="sub_data_dir", help="data directory")
        p.set_defaults(func=run_upgrade if name == "upgrade" else run_check)
    p = dbsub.add_parser(
        "backup", help="write an encrypted, checked backup into the data directory's backups/"
    )
    p.add_argument("--data-dir", dest="sub_data_dir", help="data directory")
    p.set_defaults(func=run_backup)
    p = dbsub.add_parser(
        "restore",
        help="put a backup (default: the newest in backups/) in place of the database; the "
        "app must be closed; the replaced file is kept in backups/",
    )
    p.add_argument("--data-dir", dest="sub_data_dir", help="data directory")
    p.add_argument("backup", nargs="?", metavar="BACKUP", help="backup file (default: newest)")
    p.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object: backup, kept, audit (salvaged, unreadable, stopped...)",
    )
    p.set_defaults(func=run_restore)
    p = dbsub.add_parser(
        "purge",
        help="erase callers' data the retention policy no longer allows at the seat (closed "
        "tickets, delivered outbox copies, old drafts; retention.toml), then VACUUM",
    )
    p.add_argument("--data-dir", dest="sub_data_dir", help="data directory")
    p.add_argument("--dry-run", action="store_true", help="count what would go, change nothing")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run_purge)
    p = dbsub.add_parser("seed-demo", help="seed a realistic Beijing day (+ N unsynced tickets)")
    p.add_argument("--data-dir", dest="sub_data_dir", help="data directory")
    p.add_argument(
        "--tickets", type=_non_negative, default=0, help="add N unsynced tickets for sync drills"
    )
    p.add_argument(
        "--operator",
        default=None,
        help="operator id of the N tickets: the central login that will sync them (op001)",
    )
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.set_defaults(func=run_seed)


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _paths(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    return data_paths(args.sub_data_dir or args.data_dir)


def run_upgrade(args: argparse.Namespace) -> int:
    from agent_app.storage.seat import prepare

    paths = _paths(args)
    prepare(paths)  # the key, and a plaintext file of an older version encrypted in place
    rev = schema.upgrade(paths.database, paths.backups)
    print(f"{paths.database}: schema {rev}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from agent_app.storage.seat import prepare

    paths = _paths(args)
    if paths.database.exists():
        prepare(paths, create=False)
    state = schema.check(paths.database)
    schema.verify(paths.database, paths.backups, full=True)
    print(f"{paths.database}: {state} (app schema {schema.HEAD})")
    return 0 if state == "current" else 1


def run_backup(args: argparse.Namespace) -> int:
    from agent_app.services.backup import backup_now

    paths = _paths(args)
    if not paths.database.exists():
        from agent_app.errors import StorageError

        raise StorageError(f"There is no database at {paths.database}; give the seat's --data-dir.")
    target = backup_now(paths, label="manual")
    print(f"{paths.database}: backed up to {target}")
    return 0


def run_purge(args: argparse.Namespace) -> int:
    from agent_app.errors import StorageError
    from agent_app.services import retention
    from agent_app.storage.seat import open_database

    paths = _paths(args)
    if not paths.database.exists():
        raise StorageError(f"There is no database at {paths.database}; give the seat's --data-dir.")
    policy = retention.load_policy(retention.policy_file(paths))
    db = open_database(paths)
    try:
        report = retention.purge(db, policy, dry_run=args.dry_run)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        verb = "would erase" if report.dry_run else "erased"
        print(
            f"{paths.database}: {verb} the callers of {report.tickets} closed tickets "
            f"(unchanged since {report.cutoff}), {report.outbox} delivered outbox copies, "
            f"{report.drafts} old drafts, {report.transcripts} transcript lines "
            f"(policy {report.policy})"
        )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from agent_app.services.backup import restore_salvaging

    paths = _paths(args)
    chosen = Path(args.backup).expanduser().resolve() if args.backup else None
    done = restore_salvaging(paths, chosen)
    if args.json:
        print(json.dumps({"database": str(paths.database), **done.as_dict()}, ensure_ascii=False))
        return 0
    kept_note = f"; the replaced file is kept as {done.kept}" if done.kept is not None else ""
    print(f"{paths.database}: restored from {done.backup}{kept_note}")
    trail = "The access-audit trail goes back to the backup's last row"
    found = done.audit
    if found is not None and (found.salvaged or found.stopped):
        trail = (
            f"The access-audit trail: {found.salvaged} row(s) written after the backup were "
            "salvaged from the replaced file"
        )
        if found.salvaged:
            trail += f" (seq {found.first_seq}-{found.last_seq})"
        if found.stopped:
            trail += (
                f", {found.unreadable} could not be ({found.stopped}; they stay in "
                f"{found.kept_file})"
            )
    print(f"{trail}; it will be re-joined with the centre's copy at the next sync.")
    return 0


def run_seed(args: argparse.Namespace) -> int:
    from agent_app.services.seeding import seed_demo  # ORM only here
    from agent_app.storage.seat import open_database

    paths = _paths(args)
    db = open_database(paths)
    try:
        options = {"seat": args.seat} if args.seat else {}
        if args.operator:
            options["operator"] = args.operator
        report = seed_demo(db, extra_tickets=args.tickets, **options)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps({"data_dir": str(paths.root), **report.__dict__}, ensure_ascii=False))
    else:
        print(
            f"{paths.root}: {report.demo_tickets} demo tickets, {report.extra_tickets} unsynced "
            f"tickets added; {report.total} in all"
        )
    return 0
