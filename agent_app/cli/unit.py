"""``agent-app unit list|sign|contact|note|extend|object|reply``: a handling unit's login at
the centre (group handler, bound to its units) lists and acts on the tickets dispatched to it.

The centre checks everything (``central.unit_act``); these commands only pass the request on
and print one line (or one JSON object per line with ``--json``).
"""

from __future__ import annotations

import argparse
import json
import os

from agent_app.domain.lifecycle import EXTENSION_MAX_DAYS, OBJECTION_REASONS, REPLY_RESULTS


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("unit", help="handling units: list and act on dispatched tickets")
    usub = parser.add_subparsers(dest="unit_command", required=True, metavar="ACTION")

    def common(p: argparse.ArgumentParser, *, number: bool = True) -> None:
        if number:
            p.add_argument("number", metavar="NUMBER", help="ticket number")
        p.add_argument(
            "--url",
            default=os.environ.get("AGENT_APP_CENTRAL_URL", ""),
            help="postgresql://HANDLER@HOST:PORT/DB[?sslmode=verify-full...] (no password)",
        )
        p.add_argument("--json", action="store_true", help="print one JSON object per line")

    p = usub.add_parser("list", help="the tickets dispatched to this login's units")
    common(p, number=False)
    p.add_argument("--status", help="only tickets in this status (e.g. DISPATCHED)")
    p.set_defaults(func=run_list)
    p = usub.add_parser("sign", help="sign for a ticket (签收)")
    common(p)
    p.set_defaults(func=run_act, action="sign")
    p = usub.add_parser("contact", help="record that the caller was contacted (联系)")
    common(p)
    p.add_argument("--text", default="", help="what was agreed (optional)")
    p.set_defaults(func=run_act, action="contact")
    p = usub.add_parser("note", help="record progress (办理进展)")
    common(p)
    p.add_argument("--text", required=True, help="the progress note")
    p.set_defaults(func=run_act, action="note")
    p = usub.add_parser("extend", help="ask the centre for more time (申请延期)")
    common(p)
    p.add_argument(
        "--days",
        type=int,
        required=True,
        help=f"working days asked for (1 to {EXTENSION_MAX_DAYS})",
    )
    p.add_argument("--reason", required=True, help="why the time limit cannot be met")
    p.set_defaults(func=run_act, action="extend")
    p = usub.add_parser("object", help="object to the dispatch (派单异议)")
    common(p)
    p.add_argument("--reason-code", required=True, choices=OBJECTION_REASONS)
    p.add_argument("--reason", required=True, help="the explanation")
    p.set_defaults(func=run_act, action="object")
    p = usub.add_parser("reply", help="report the result (办结反馈)")
    common(p)
    p.add_argument("--text", required=True, help="what was done")
    p.add_argument("--result", default="resolved", choices=REPLY_RESULTS)
    p.set_defaults(func=run_act, action="reply")


def run_list(args: argparse.Namespace) -> int:
    from agent_app.services import units
    from agent_app.storage.central.connect import parse_url

    rows = units.list_tickets(parse_url(args.url), status=args.status)
    for row in rows:
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
        else:
            print(
                f"{row['number']}  {row['status']:<20} due {row.get('due_at') or '-'}  "
                f"rehandled {row.get('rehandled', 0)}  {row.get('category') or ''}"
            )
    return 0


def run_act(args: argparse.Namespace) -> int:
    from agent_app.domain.lifecycle import UnitAction
    from agent_app.services import units
    from agent_app.storage.central.connect import parse_url

    action = UnitAction(args.action)
    extra: dict[str, object] = {}
    for name in ("text", "days", "reason", "reason_code", "result"):
        value = getattr(args, name, None)
        if value is not None and value != "":
            extra[name] = value
    answer = units.act(parse_url(args.url), args.number, action, extra)
    if args.json:
        print(json.dumps(answer, ensure_ascii=False, default=str))
    else:
        print(f"{answer['number']}: {action.value} done, {answer['from']} -> {answer['status']}")
    return 0
