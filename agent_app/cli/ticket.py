"""``agent-app ticket show NUMBER-OR-ID [--data-dir DIR | --url URL] [--json]``: one ticket.

Without ``--url`` one of the seat's tickets; with ``--url`` the centre's ticket as that login
reads it (callers masked, ``central.tickets_masked``) with the calls' transcripts the centre
holds (c0008; a lead or auditor reads every ticket's, an operator its own, a unit none).

The JSON is the ticket as the seat stores it (the sync payload's shape, with its events); it
is what ``agent-app training score --ticket`` reads.  It also tells the ticket's life after
dispatch: ``units`` (main unit first), ``feedback`` (the unit's latest reply), ``callbacks``
and ``rehandled`` (times reopened after a callback); repeat calls: ``followups`` (progress
calls, supplements, chases), ``chases``, ``merged`` (the tickets merged into it) and
``callers`` (its own call and each merged one); ``transcript`` (the first call's lines,
``[{"at": "mm:ss", "text"}]``) and ``followup_transcripts`` (each repeat call's:
``{"kind", "call_id", "at", "transcript"}``).

``agent-app ticket progress|supplement|chase NUMBER --text T [--data-dir DIR]`` records a
repeat call on an existing ticket (告知进展, 补充, 催办) as the seat's central login, through
the outbox (``agent-app sync`` delivers it; the unit sees supplements and chases).  On a
ticket another seat took (this seat does not hold it) the call is queued for the centre
(``central.follow_up``), which applies the same rules when ``sync`` delivers it.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from agent_app.cli import ticket_search
from agent_app.errors import UsageError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("ticket", help="the seat's tickets: show one, search")
    tsub = parser.add_subparsers(dest="ticket_command", required=True, metavar="ACTION")
    p = tsub.add_parser("show", help="show a ticket by number or id")
    p.add_argument("ticket", metavar="NUMBER_OR_ID", help="ticket number (20261206-S01-0001) or id")
    p.add_argument("--data-dir", dest="sub_data_dir", help="data directory")
    p.add_argument(
        "--url",
        help="read the ticket at the centre as this login (postgresql://LOGIN@HOST/DB), "
        "with its calls' transcripts",
    )
    p.add_argument("--json", action="store_true", help="print the ticket as JSON")
    p.set_defaults(func=run_show)
    ticket_search.register(tsub)
    for name, what in (
        ("progress", "a progress call: the caller was told the ticket's status (告知进展)"),
        ("supplement", "the caller adds information; it reaches the unit (补充)"),
        ("chase", "the caller chases the ticket; the note reaches the unit (催办)"),
    ):
        p = tsub.add_parser(name, help=what)
        p.add_argument("number", metavar="NUMBER", help="ticket number")
        p.add_argument("--text", required=True, help="what was told, added or asked")
        p.add_argument("--data-dir", dest="sub_data_dir", help="data directory")
        p.set_defaults(func=run_follow_up, kind=name)


def run_follow_up(args: argparse.Namespace) -> int:
    from agent_app.cli.lead import open_seat
    from agent_app.domain.followup import FollowupKind
    from agent_app.services import followup

    kind = {
        "progress": FollowupKind.PROGRESS,
        "supplement": FollowupKind.SUPPLEMENT,
        "chase": FollowupKind.CHASE,
    }[args.kind]
    paths, db = open_seat(args)
    try:
        login, role = followup.seat_login(paths)
        t = followup.record_follow_up(
            db, args.number, kind, text=args.text, role=role, actor_id=login
        )
    finally:
        db.dispose()
    if isinstance(t, followup.QueuedFollowUp):
        print(
            f"{t.number}: {kind.value} queued for the centre (the ticket was taken at another "
            "seat; 'agent-app sync' delivers it, the centre checks it)"
        )
        return 0
    print(f"{t.number}: {kind.value} recorded ({t.status.value}, {t.main_unit or '-'}); queued")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from agent_app.domain import followup
    from agent_app.domain.call_transcript import to_json
    from agent_app.domain.serialize import ticket_to_dict
    from agent_app.paths import data_paths
    from agent_app.storage import repository as repo
    from agent_app.storage import schema
    from agent_app.storage.seat import open_database

    if getattr(args, "url", None):
        return _show_central(args)
    paths = data_paths(args.sub_data_dir or args.data_dir)
    if not paths.database.exists():
        raise UsageError(f"no seat database in {paths.root}")
    schema.verify(paths.database, paths.backups, full=False)
    db = open_database(paths)
    try:
        with db.read() as s:
            ticket = repo.get_ticket_by_number(s, args.ticket) or repo.get_ticket(s, args.ticket)
            lines = repo.transcript(s, ticket.id) if ticket is not None else []
            calls = repo.followup_transcripts(s, ticket.number) if ticket is not None else []
        if ticket is not None and args.json:  # the JSON holds the caller in clear: audited first
            from agent_app.cli.audit import record_export

            record_export(
                db, paths, ticket_id=ticket.id, field="caller", reason="ticket show --json"
            )
    finally:
        db.dispose()
    if ticket is None:
        raise UsageError(f"no ticket {args.ticket!r} in {paths.database}")
    data = {
        **ticket_to_dict(ticket),
        **followup.life(ticket),
        "transcript": to_json(lines),
        "followup_transcripts": [
            {
                "kind": c["kind"],
                "call_id": c["call_id"],
                "at": c["saved_at"].isoformat(),
                "transcript": to_json(c["lines"]),
            }
            for c in calls
        ],
    }
    return _print_ticket(args, ticket, data)


def _show_central(args: argparse.Namespace) -> int:
    """``ticket show --url``: the centre's ticket (callers masked) with its calls' words; the
    seat's access audit records the reading when the command runs at a seat."""
    from agent_app.domain import followup
    from agent_app.domain.serialize import ticket_to_dict
    from agent_app.paths import data_paths
    from agent_app.services import call_transcripts
    from agent_app.storage.central.connect import parse_url

    target = parse_url(args.url)
    ticket, calls = call_transcripts.centre_ticket(target, args.ticket)
    first = next((c for c in calls if not c.call_id), None)
    data = {
        **ticket_to_dict(ticket),
        **followup.life(ticket),
        "transcript": first.as_json()["transcript"] if first is not None else [],
        "followup_transcripts": [c.as_json() for c in calls if c.call_id],
    }
    paths = data_paths(args.sub_data_dir or args.data_dir)
    if paths.database.exists() and args.json:  # the calls' words leave the centre: audited
        from agent_app.cli.audit import record_export
        from agent_app.storage.seat import open_database

        db = open_database(paths)
        try:
            record_export(
                db, paths, ticket_id=ticket.id, field="transcript", reason="ticket show --url"
            )
        finally:
            db.dispose()
    return _print_ticket(args, ticket, data)


def _print_ticket(args: argparse.Namespace, ticket: Any, data: dict[str, Any]) -> int:
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return 0
    for key in ("number", "status", "outcome", "outcome_detail", "request_type",
                "category_code", "category_name", "main_unit", "due_at", "description"):  # fmt: skip
        print(f"{key:15} {data.get(key) or ''}")
    place = ticket.place
    print(f"{'place':15} {place.address} ({place.district}{place.township})")
    reply = data["feedback"]
    if reply:
        print(f"{'feedback':15} [{reply['result']}] {reply['text']} ({reply['unit']})")
    for record in data["callbacks"]:
        print(
            f"{'callback':15} {record['at'][:16]} {record['satisfaction']} "
            f"resolved={'yes' if record['resolved'] else 'no'} -> {record['outcome']}"
        )
    print(f"{'rehandled':15} {data['rehandled']}")
    for record in data["followups"]:
        print(f"{record['kind']:15} {record['at'][:16]} {record['text']}")
    if data["merged"]:
        print(f"{'callers':15} {data['callers']} (merged: {', '.join(data['merged'])})")
    for record in data["transcript"]:
        print(f"{'transcript':15} {record['at']} {record['text']}")
    for call in data["followup_transcripts"]:
        for record in call["transcript"]:
            print(f"{call['kind']:15} {record['at']} {record['text']}")
    return 0
