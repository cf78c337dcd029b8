"""``agent-app training list|check|score|history``: the trainer's scenario library.

    agent-app training list [--json]                        one object per scenario
    agent-app training check [--json]                       the library against the catalogue,
                                                            units, gazetteer and format
    agent-app training score SCENARIO --ticket TICKET.json [--json]
    agent-app training author NUMBER --id ID [--title T] [--data-dir DIR] [--out DIR] [--json]
    agent-app training history [--data-dir DIR] [--trainee ID] [--json]

``--ticket`` takes a ticket as ``agent-app ticket show --json`` prints it.  ``check`` exits 1
when it finds a problem; ``score`` prints the score 0-100 and every item with its reason.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from agent_app.errors import UsageError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("training", help="trainer mode: scenario library, checks, scoring")
    tsub = parser.add_subparsers(dest="training_command", required=True, metavar="ACTION")
    p = tsub.add_parser("list", help="list the training scenarios")
    p.add_argument("--dir", type=Path, help="scenario directory (default: the shipped library)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_list)
    p = tsub.add_parser(
        "check", help="check every scenario against the catalogue, units, gazetteer and format"
    )
    p.add_argument("--dir", type=Path, help="scenario directory (default: the shipped library)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_check)
    p = tsub.add_parser("score", help="score a finished ticket against a scenario")
    p.add_argument("scenario", metavar="SCENARIO", help="scenario id")
    p.add_argument(
        "--ticket", type=Path, required=True, help="ticket JSON (agent-app ticket show --json)"
    )
    p.add_argument("--dir", type=Path, help="scenario directory (default: the shipped library)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_score)
    p = tsub.add_parser(
        "author",
        help="turn a finished ticket of the seat into a scenario (personal data replaced); "
        "the validator runs on the saved file",
    )
    p.add_argument("ticket", metavar="NUMBER_OR_ID", help="the finished ticket")
    p.add_argument("--id", dest="scenario_id", required=True, help="the new scenario's id")
    p.add_argument("--title", default="", help="title shown to the trainee")
    p.add_argument("--difficulty", type=int, choices=(1, 2, 3), default=2)
    p.add_argument("--data-dir", dest="sub_data_dir", help="data directory")
    p.add_argument("--out", type=Path, help="directory to write to (default: the library)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_author)
    p = tsub.add_parser("history", help="the trainees' stored sessions (data directory)")
    p.add_argument("--data-dir", dest="sub_data_dir", help="data directory")
    p.add_argument("--trainee", help="only this trainee")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_history)


def _print(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=None))


def run_list(args: argparse.Namespace) -> int:
    from agent_app.services.training import DIFFICULTIES, load_library

    scenarios = load_library(args.dir)
    if args.json:
        _print([sc.to_list_entry() for sc in scenarios])
        return 0
    for sc in scenarios:
        exp = sc.expected
        print(
            f"{sc.id:40} {DIFFICULTIES.get(sc.difficulty, '?')}  {exp.outcome:12} "
            f"{exp.category or '-':10} {sc.title}"
        )
    print(f"{len(scenarios)} scenarios")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from agent_app.errors import ConfigError
    from agent_app.services.catalogue import Catalogue
    from agent_app.services.geo.gazetteer import Gazetteer
    from agent_app.services.training import (
        check_library,
        load_courses,
        load_scenario_file,
        scenario_files,
    )

    scenarios, problems = [], []
    for path in scenario_files(args.dir):
        try:
            scenarios.append(load_scenario_file(path))
        except ConfigError as exc:
            problems.append({"scenario": path.stem, "problem": str(exc)})
    try:
        courses = load_courses(args.dir)
    except ConfigError as exc:
        courses = []
        problems.append({"scenario": "courses.ini", "problem": str(exc)})
    problems += check_library(scenarios, Catalogue.load(), Gazetteer.default(), courses)
    count = len(scenario_files(args.dir))
    if not count:
        problems.append({"scenario": "*", "problem": f"no scenario files in {args.dir}"})
    if args.json:
        _print({"scenarios": count, "problems": problems})
    else:
        for p in problems:
            print(f"{p['scenario']}: {p['problem']}")
        print(f"{count} scenarios, {len(problems)} problems")
    return 1 if problems else 0


def run_score(args: argparse.Namespace) -> int:
    from agent_app.services.training import (
        Scorer,
        load_library,
        ticket_from_json,
    )

    scenarios = {sc.id: sc for sc in load_library(args.dir)}
    scenario = scenarios.get(args.scenario)
    if scenario is None:
        raise UsageError(f"no scenario {args.scenario!r} (see agent-app training list)")
    try:
        data = json.loads(args.ticket.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read {args.ticket} ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise UsageError(f"{args.ticket} is not JSON ({exc})") from None
    try:
        ticket = ticket_from_json(data)
    except (KeyError, TypeError, ValueError, AssertionError) as exc:
        raise UsageError(
            f"{args.ticket} is not a ticket as `agent-app ticket show --json` prints it "
            f"({type(exc).__name__}: {exc})"
        ) from None
    card = Scorer.load().score(scenario, ticket)
    result = card.to_dict()
    if args.json:
        _print({"score": result["score"], "items": result["items"],
                "scenario": scenario.id, "ticket": ticket.number,
                "seconds": result.get("seconds")})  # fmt: skip
        return 0
    print(f"{scenario.id}: {card.score}/100 (ticket {ticket.number})")
    for item in result["items"]:
        print(f"  {item['item']:13} {item['points']:>5}/{item['max']:<3} {item['why']}")
    return 0


def run_author(args: argparse.Namespace) -> int:
    import re

    from agent_app.services.catalogue import Catalogue
    from agent_app.services.geo.gazetteer import Gazetteer
    from agent_app.services.training import (
        save_authored,
        scenario_from_ticket,
        scenarios_dir,
    )

    if not re.fullmatch(r"[a-z0-9_]+", args.scenario_id):
        raise UsageError(f"scenario id {args.scenario_id!r}: use lower-case letters, digits and _")
    ticket = _seat_ticket(args)
    if ticket.outcome is None:
        raise UsageError(f"ticket {ticket.number} is not finished (no outcome yet)")
    out = args.out or scenarios_dir()
    if (out / f"{args.scenario_id}.json").exists():
        raise UsageError(f"{out / args.scenario_id}.json exists: choose another --id")
    data = scenario_from_ticket(
        ticket, scenario_id=args.scenario_id, title=args.title, difficulty=args.difficulty
    )
    problems = save_authored(data, out, Catalogue.load(), Gazetteer.default())
    path = out / f"{args.scenario_id}.json"
    if args.json:
        _print({"path": str(path), "problems": problems})
    else:
        print(f"{path}: written; edit the expected answer (facts, brief), then check it")
        for p in problems:
            print(f"  {p}")
    return 1 if problems else 0


def _seat_ticket(args: argparse.Namespace) -> Any:
    from agent_app.paths import data_paths
    from agent_app.storage import repository as repo
    from agent_app.storage.seat import open_database

    paths = data_paths(args.sub_data_dir or args.data_dir)
    if not paths.database.exists():
        raise UsageError(f"no seat database in {paths.root}")
    db = open_database(paths)
    try:
        with db.read() as s:
            ticket = repo.get_ticket_by_number(s, args.ticket) or repo.get_ticket(s, args.ticket)
    finally:
        db.dispose()
    if ticket is None:
        raise UsageError(f"no ticket {args.ticket!r} in {paths.database}")
    return ticket


def run_history(args: argparse.Namespace) -> int:
    from agent_app.paths import data_paths
    from agent_app.services.training import TrainingHistory

    paths = data_paths(args.sub_data_dir or args.data_dir)
    rows = TrainingHistory(paths.root).sessions(args.trainee)
    if args.json:
        _print({"sessions": rows})
        return 0
    for r in rows:
        print(
            f"{r.get('started_at', '')[:16]}  {r.get('trainee', ''):12} "
            f"{r.get('calls', 0):3} calls  mean {r.get('mean_score', 0):3}/100"
        )
    print(f"{len(rows)} sessions")
    return 0
