"""``agent-app callback list|record``: callbacks (回访) after a unit's reply.

``list`` prints the tickets waiting for a callback (the unit replied, or the time limit
passed); ``record`` saves the citizen's answer: resolved and 满意/基本满意 closes the ticket,
anything else reopens it for the unit (二次办理) with a new time limit.  Saved at this seat
and queued in the outbox; ``agent-app sync`` delivers it.
"""

from __future__ import annotations

import argparse
import json

from agent_app.domain.followup import SATISFACTION


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("callback", help="callbacks (回访) after a unit's reply")
    csub = parser.add_subparsers(dest="callback_command", required=True, metavar="ACTION")
    p = csub.add_parser("list", help="tickets waiting for a callback")
    p.add_argument("--data-dir", dest="sub_data_dir", help="data directory")
    p.add_argument("--json", action="store_true", help="print one JSON object per line")
    p.set_defaults(func=run_list)
    p = csub.add_parser("record", help="record the citizen's answer")
    p.add_argument("number", metavar="NUMBER", help="ticket number")
    p.add_argument("--resolved", required=True, choices=("yes", "no"))
    p.add_argument("--satisfaction", required=True, choices=SATISFACTION)
    p.add_argument("--words", default="", help="the citizen's words (passed on to the unit)")
    p.add_argument("--data-dir", dest="sub_data_dir", help="data directory")
    p.set_defaults(func=run_record)


def run_list(args: argparse.Namespace) -> int:
    from agent_app.cli.lead import open_seat
    from agent_app.services import followup

    _paths, db = open_seat(args)
    try:
        rows = followup.callbacks_due(db)
    finally:
        db.dispose()
    for row in rows:
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
        else:
            print(
                f"{row['number']}  {row['reason']:<8} {row['status']:<20} "
                f"due {row['due_at'] or '-'}  {row['unit']}"
            )
    return 0


def run_record(args: argparse.Namespace) -> int:
    from agent_app.cli.lead import open_seat
    from agent_app.services import followup

    paths, db = open_seat(args)
    try:
        t = followup.record_callback(
            db,
            paths,
            args.number,
            resolved=args.resolved == "yes",
            satisfaction=args.satisfaction,
            words=args.words,
        )
    finally:
        db.dispose()
    print(f"{t.number}: callback recorded, {t.status.value}; queued")
    return 0
