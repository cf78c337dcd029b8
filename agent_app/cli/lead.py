"""``agent-app lead dispute|extension NUMBER``: the shift lead rules on a unit's request.

The ruling is saved at this seat with its lifecycle events and queued in the outbox; the
centre checks it again (by the login's group) when ``agent-app sync`` delivers it.  The role
and actor are the seat's central login (cached by the last sync).
"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("lead", help="shift lead: rule on units' objections and extensions")
    lsub = parser.add_subparsers(dest="lead_command", required=True, metavar="ACTION")
    p = lsub.add_parser("dispute", help="rule on a unit's objection to a dispatch (派单异议)")
    p.add_argument("number", metavar="NUMBER", help="ticket number")
    way = p.add_mutually_exclusive_group(required=True)
    way.add_argument("--uphold", action="store_true", help="the objection stands: re-dispatch")
    way.add_argument("--reject", action="store_true", help="the objection fails: the unit keeps it")
    p.add_argument("--to", default="", metavar="UNIT", help="the unit it goes to (with --uphold)")
    p.add_argument("--reason", default="", help="why the objection fails (with --reject)")
    p.add_argument("--data-dir", dest="sub_data_dir", help="data directory")
    p.set_defaults(func=run_dispute)
    p = lsub.add_parser("extension", help="rule on a unit's extension request (申请延期)")
    p.add_argument("number", metavar="NUMBER", help="ticket number")
    way = p.add_mutually_exclusive_group(required=True)
    way.add_argument("--approve", action="store_true", help="grant the working days asked for")
    way.add_argument("--deny", action="store_true", help="keep the time limit")
    p.add_argument("--reason", default="", help="why it is denied (with --deny)")
    p.add_argument("--data-dir", dest="sub_data_dir", help="data directory")
    p.set_defaults(func=run_extension)


def open_seat(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """(paths, database) of the seat this command works on; one-line errors otherwise."""
    from agent_app.errors import UsageError
    from agent_app.paths import data_paths
    from agent_app.storage import schema
    from agent_app.storage.seat import open_database

    paths = data_paths(args.sub_data_dir or args.data_dir)
    if not paths.database.exists():
        raise UsageError(f"no seat database in {paths.root}")
    if paths.is_demo:
        raise UsageError(f"{paths.root} is a demo/training data directory; it never syncs")
    schema.verify(paths.database, paths.backups, full=False)
    return paths, open_database(paths)


def run_dispute(args: argparse.Namespace) -> int:
    from agent_app.errors import UsageError
    from agent_app.services import followup

    if args.uphold and not args.to.strip():
        raise UsageError("--uphold needs --to UNIT (the unit the ticket goes to)")
    if args.reject and not args.reason.strip():
        raise UsageError("--reject needs --reason (why the objection fails)")
    paths, db = open_seat(args)
    try:
        t = followup.rule_dispute(
            db, paths, args.number, uphold=args.uphold, to_unit=args.to, reason=args.reason
        )
    finally:
        db.dispose()
    if args.uphold:
        due = t.due_at.isoformat(timespec="minutes") if t.due_at else "-"
        print(f"{t.number}: objection upheld, re-dispatched to {t.main_unit}, due {due}; queued")
    else:
        print(f"{t.number}: objection rejected, {t.main_unit} keeps it ({t.status.value}); queued")
    return 0


def run_extension(args: argparse.Namespace) -> int:
    from agent_app.errors import UsageError
    from agent_app.services import followup

    if args.deny and not args.reason.strip():
        raise UsageError("--deny needs --reason (why the time limit stays)")
    paths, db = open_seat(args)
    try:
        t = followup.rule_extension(
            db, paths, args.number, approve=args.approve, reason=args.reason
        )
    finally:
        db.dispose()
    due = t.due_at.isoformat(timespec="minutes") if t.due_at else "-"
    verdict = "approved" if args.approve else "denied"
    print(f"{t.number}: extension {verdict}, due {due} ({t.status.value}); queued")
    return 0
