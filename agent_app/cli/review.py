"""``agent-app review list|conflicts|resolve``: the shift lead's review queue and the sync's
conflicts, read from and settled at the centre with a lead's login."""

from __future__ import annotations

import argparse
import json
import os
from datetime import datetime
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("review", help="shift lead: review queue and conflicts at the centre")
    rsub = parser.add_subparsers(dest="review_command", required=True, metavar="ACTION")

    def url(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--url",
            default=os.environ.get("AGENT_APP_CENTRAL_URL", ""),
            help="postgresql://LEAD@HOST:PORT/DB of the centre (a shift lead's login)",
        )

    p = rsub.add_parser("list", help="one page of the review queue, newest first")
    url(p)
    p.add_argument(
        "--status", action="append", default=[], help="status code (repeat or comma-separate)"
    )
    p.add_argument("--district", default="", help="district name, e.g. 朝阳区")
    p.add_argument("--township", default="", help="township (街道/乡镇) name")
    p.add_argument("--unit", default="", help="main handling unit's name")
    p.add_argument("--operator", default="", help="operator id")
    p.add_argument("--seat", default="", help="seat id")
    p.add_argument("--category", default="", help="catalogue code, e.g. 04.06.001")
    p.add_argument("--from", dest="created_from", default="", help="created at or after (ISO)")
    p.add_argument("--to", dest="created_to", default="", help="created before (ISO)")
    p.add_argument("--overdue", action="store_true", help="past the time limit, still open")
    p.add_argument(
        "--due-within", type=float, metavar="HOURS", help="due soon: within HOURS, not yet overdue"
    )
    p.add_argument("--dissatisfied", action="store_true", help="a callback was 不满意")
    p.add_argument("--rehandled", action="store_true", help="re-handled (重办) at least once")
    p.add_argument("--confidential", action="store_true", help="the caller asked for 保密")
    p.add_argument("--qa", default="", choices=("", "checked", "failed", "returned"))
    p.add_argument("--sort", default="created", choices=("created", "oldest", "due"))
    p.add_argument("--limit", type=int, default=50, help="tickets per page (default: 50)")
    p.add_argument("--after", default=None, metavar="CURSOR", help="the previous page's next")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=run_list)

    p = rsub.add_parser("conflicts", help="the sync's conflicts, open ones first")
    url(p)
    p.add_argument("--all", action="store_true", help="also the resolved ones")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=run_conflicts)

    p = rsub.add_parser("resolve", help="settle one conflict, once (the login is the resolver)")
    url(p)
    p.add_argument("id", type=int, help="conflict id")
    p.add_argument("--keep", required=True, choices=("local", "remote", "edited"))
    p.add_argument("--value", default=None, help="the edited value as JSON (with --keep edited)")
    p.set_defaults(func=run_resolve)


def _when(text: str, option: str) -> datetime | None:
    from agent_app.domain.timeutil import SHANGHAI
    from agent_app.errors import UsageError

    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date; use e.g. 2026-11-01") from None
    return value if value.tzinfo is not None else value.replace(tzinfo=SHANGHAI)


def run_list(args: argparse.Namespace) -> int:
    from agent_app.cli.central import _central_errors
    from agent_app.services import review
    from agent_app.storage.central.connect import parse_url

    flt = review.ReviewFilter(
        status=review.statuses(args.status),
        district=args.district.strip(),
        township=args.township.strip(),
        unit=args.unit.strip(),
        operator=args.operator.strip(),
        seat=args.seat.strip(),
        category=args.category.strip(),
        created_from=_when(args.created_from, "--from"),
        created_to=_when(args.created_to, "--to"),
        overdue=args.overdue,
        due_within_hours=args.due_within,
        dissatisfied=args.dissatisfied,
        rehandled=args.rehandled,
        confidential=args.confidential,
        qa=args.qa,
        sort=args.sort,
    ).check()
    target = parse_url(args.url)
    with _central_errors(target, "read the review queue"):
        page = review.review_list(target, flt, limit=args.limit, after=args.after)
    if args.json:
        for row in page.rows:
            print(json.dumps(row.as_dict(), ensure_ascii=False))
        print(json.dumps({"next": page.next, "total": page.total}))
        return 0
    for r in page.rows:
        flags = "".join(
            (
                "!" if r.overdue else "",
                "R" if r.rehandled else "",
                "D" if r.dissatisfied else "",
                "C" if r.confidential else "",
            )
        )
        print(
            f"{r.number}  {r.status:<21} {r.created_at[:16]}  {r.district}{r.township}  "
            f"{r.unit}  {r.operator}  {flags}"
        )
    print(
        f"{len(page.rows)} of {page.total}" + (f"; next: --after {page.next}" if page.next else "")
    )
    return 0


def run_conflicts(args: argparse.Namespace) -> int:
    from agent_app.cli.central import _central_errors
    from agent_app.services import conflicts
    from agent_app.storage.central.connect import parse_url

    target = parse_url(args.url)
    with _central_errors(target, "read the conflicts"):
        rows = conflicts.list_conflicts(target, include_resolved=args.all, limit=args.limit)
    for c in rows:
        if args.json:
            print(json.dumps(c, ensure_ascii=False, default=str))
        else:
            state = f"resolved by {c['resolved_by']}" if c["resolved_at"] else "open"
            print(f"{c['id']}  {c['number']}  {','.join(c['fields'])}  {state}")
    return 0


def run_resolve(args: argparse.Namespace) -> int:
    from agent_app.cli.central import _central_errors
    from agent_app.errors import UsageError
    from agent_app.services import conflicts
    from agent_app.storage.central.connect import parse_url

    value: Any = None
    if args.value is not None:
        try:
            value = json.loads(args.value)
        except ValueError:
            raise UsageError(
                '--value must be JSON, e.g. \'"新的描述"\' or \'{"urgency": "utility"}\''
            ) from None
    target = parse_url(args.url)
    with _central_errors(target, "resolve conflicts"):
        result = conflicts.resolve(target, args.id, args.keep, value)
    print(json.dumps(result, ensure_ascii=False, default=str))
    return 0
