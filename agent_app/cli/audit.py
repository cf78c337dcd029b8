"""``agent-app audit verify|list``: the access audit trail (services.audit).

``verify`` recomputes the hash chain of a seat (``--data-dir``) or of every seat at the centre
(``--url``, the auditor's login) and names the first broken link; ``list`` prints the centre's
rows one JSON object per line (auditor login only).
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import date, datetime

from agent_app.errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("audit", help="access audit trail: verify the hash chain, list rows")
    asub = parser.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    p = asub.add_parser(
        "verify",
        help="recompute the hash chain of this seat (--data-dir) or of every seat at the centre "
        "(--url, auditor login); exit 1 when it is broken",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument("--data-dir", dest="sub_data_dir", help="data directory (this seat)")
    where.add_argument("--url", help="postgresql://AUDITOR@HOST:PORT/DB (no password)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run_verify)
    p = asub.add_parser("list", help="the centre's audit rows (auditor login), oldest first")
    p.add_argument(
        "--url",
        default=os.environ.get("AGENT_APP_CENTRAL_URL", ""),
        help="postgresql://AUDITOR@HOST:PORT/DB (no password)",
    )
    p.add_argument("--from", dest="since", type=_date, help="rows from this day on (YYYY-MM-DD)")
    p.add_argument("--person", help="only this person's rows (their operator id / login)")
    p.add_argument("--json", action="store_true", help="print one JSON object per line")
    p.set_defaults(func=run_list)


def _date(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day YYYY-MM-DD: {text!r}") from None


def _print_verification(result: dict[str, object], as_json: bool) -> int:
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
    elif result["ok"]:
        print(f"audit trail intact: {result['rows']} rows")
    else:
        brk = result["first_break"]
        assert isinstance(brk, dict)
        print(
            f"audit trail BROKEN at seat {brk['seat'] or '?'} seq {brk['seq']}: {brk['problem']} "
            f"({result['rows']} rows)"
        )
    return 0 if result["ok"] else 1


def run_verify(args: argparse.Namespace) -> int:
    if args.url:
        from agent_app.cli.central import _central_errors
        from agent_app.services import audit
        from agent_app.storage.central.connect import parse_url

        target = parse_url(args.url)
        with _central_errors(target, "read the audit trail"):
            result = audit.verify_central(target).as_dict()
        return _print_verification(result, args.json)
    from agent_app.cli.sync import _settings
    from agent_app.paths import data_paths
    from agent_app.services import audit
    from agent_app.storage.seat import open_database

    paths = data_paths(args.sub_data_dir or args.data_dir)
    if not paths.database.exists():
        raise UsageError(f"no seat database in {paths.root}")
    seat = _settings(paths.settings_file).get("seat", "") if paths.settings_file.exists() else ""
    db = open_database(paths)
    try:
        result = audit.verify_seat(db, seat).as_dict()
    finally:
        db.dispose()
    return _print_verification(result, args.json)


def run_list(args: argparse.Namespace) -> int:
    from agent_app.cli.central import _central_errors
    from agent_app.services import audit
    from agent_app.storage.central.connect import parse_url

    if not args.url:
        raise UsageError("no centre given: pass --url postgresql://AUDITOR@HOST:PORT/DB")
    target = parse_url(args.url)
    with _central_errors(target, "read the audit trail"):
        for row in audit.list_central(target, since=args.since, person=args.person):
            if args.json:
                print(json.dumps(row, ensure_ascii=False))
            else:
                print(
                    f"{row['at']}  {row['seat']}#{row['seq']}  {row['actor_id']} "
                    f"({row['role']})  {row['action']}  {row['ticket_id'] or '-'}  "
                    f"{row['field']}  {row['detail']}"
                )
    return 0


def cli_person(paths) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """(actor, role) of whoever runs a command on this seat: the central login the last sync
    confirmed, else the seat's operator_id, else the OS user; role from the login's group."""
    import getpass

    from agent_app.cli.sync import _settings
    from agent_app.services.sync.identity import cached_identity

    identity = cached_identity(paths.database)
    if identity is not None and identity.login:
        return identity.login, identity.role.value
    options = _settings(paths.settings_file) if paths.settings_file.exists() else {}
    return options.get("operator_id") or getpass.getuser(), "operator"


def record_export(db, paths, *, ticket_id: str, field: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    """Audit one export of personal data by a command, before it prints or writes it."""
    from agent_app.services import audit

    actor, role = cli_person(paths)
    audit.record_access(
        db, action=audit.EXPORT, ticket_id=ticket_id, field=field, actor=actor, role=role,
        reason=reason,
    )  # fmt: skip
