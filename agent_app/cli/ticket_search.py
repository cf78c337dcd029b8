"""``agent-app ticket search``: find the seat's tickets (the 工单查询 tab's search).

    agent-app ticket search [--data-dir DIR] [--number N] [--phone P] [--text T]
        [--status S] [--unit U] [--limit N] --json

Filters combine with AND; none lists every ticket, newest first.  With ``--json``: one JSON
object per line, each matching ticket (``"kind": "ticket"``, the caller masked), then one
``"kind": "summary"`` line with how many matched (``total``) and how many were printed
(``shown``): a limit never hides that more matched.  Without ``--json``: a table and the same
summary.  Errors are one line on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import json

from agent_app.errors import UsageError


def register(tsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``search`` to the ``ticket`` command's actions."""
    p = tsub.add_parser("search", help="find tickets by number, phone, text, status or unit")
    p.add_argument("--data-dir", dest="sub_data_dir", help="data directory")
    p.add_argument("--number", default="", help="a ticket number or a part of one")
    p.add_argument("--phone", default="", help="the caller's whole number (any usual form)")
    p.add_argument("--text", default="", help="words that must all be in the description")
    p.add_argument(
        "--status", default="", help="status code(s), comma-separated (DISPATCHED,SIGNED)"
    )
    p.add_argument("--unit", default="", help="a part of the main unit's name")
    p.add_argument("--limit", type=int, default=200, help="tickets to print (default 200)")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=run_search)


def run_search(args: argparse.Namespace) -> int:
    from agent_app.domain.privacy import mask_name, mask_phone
    from agent_app.paths import data_paths
    from agent_app.services.ticket_search import (
        MAX_LIMIT,
        SearchQuery,
        parse_statuses,
        search,
    )
    from agent_app.storage import schema
    from agent_app.storage.seat import open_database

    if not 1 <= args.limit <= MAX_LIMIT:
        raise UsageError(f"--limit must be between 1 and {MAX_LIMIT}")
    query = SearchQuery(
        number=args.number,
        phone=args.phone,
        text=args.text,
        statuses=parse_statuses(args.status),
        unit=args.unit,
        limit=args.limit,
    )
    paths = data_paths(args.sub_data_dir or args.data_dir)
    if not paths.database.exists():
        raise UsageError(f"no seat database in {paths.root}")
    if schema.check(paths.database) != "current":
        open_database(paths).dispose()  # migrates (after a backup), as the window would
    result = search(paths.database, query)
    for t in result.rows:
        caller = mask_name(t.caller_name)
        phone = mask_phone(t.caller_phone) if t.caller_phone else ""
        row = {
            "kind": "ticket",
            "id": t.id,
            "number": t.number,
            "created_at": t.created_at.isoformat(),
            "status": t.status,
            "request_type": t.request_type,
            "category_name": t.category_name,
            "district": t.district,
            "township": t.township,
            "main_unit": t.main_unit,
            "due_at": t.due_at.isoformat() if t.due_at else None,
            "caller_name": caller,
            "caller_phone": phone,
            "description": t.description,
        }
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
        else:
            print(
                f"{t.number:22} {t.created_at:%Y-%m-%d %H:%M} {t.status:22} "
                f"{t.main_unit[:20]:20} {phone:13} {t.description[:40]}"
            )
    summary = {"kind": "summary", "shown": len(result.rows), "total": result.total}
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"shown {summary['shown']} of {summary['total']}")
    return 0
