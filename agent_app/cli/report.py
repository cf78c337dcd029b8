"""``agent-app report rates|rankings|hotspots|export``: the figures that steer the city
(三率, 四类排名, 每月一题 candidates) from the centre's events, and exports.

Definitions live in ``knowledge_base/reports/rates.toml`` (docs/reports.md).  Every command
needs a shift lead's login or one of the reporting group; ``--json`` prints one object per
line.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("report", help="三率, 四类排名, hotspots and exports from the centre")
    rsub = parser.add_subparsers(dest="report_command", required=True, metavar="REPORT")

    def common(p: argparse.ArgumentParser, *, json_flag: bool = True) -> None:
        p.add_argument(
            "--url",
            default=os.environ.get("AGENT_APP_CENTRAL_URL", ""),
            help="postgresql://LOGIN@HOST:PORT/DB (a lead or reporting login; no password)",
        )
        if json_flag:
            p.add_argument("--json", action="store_true", help="one JSON object per line")

    def span(p: argparse.ArgumentParser) -> None:
        p.add_argument("--from", dest="date_from", required=True, metavar="DATE")
        p.add_argument("--to", dest="date_to", required=True, metavar="DATE")

    p = rsub.add_parser("rates", help="响应率, 解决率, 满意率 and the score, per group")
    common(p)
    span(p)
    p.add_argument(
        "--by",
        default="unit",
        choices=("unit", "township", "district", "department", "utility"),
        help="rows: handling units, 街乡镇 units, districts (of the place), "
        "municipal departments or utilities",
    )
    p.add_argument(
        "--data-dir",
        dest="sub_data_dir",
        help="a seat's data directory: when the centre is unreachable, the figures come from "
        "the seat's copy, marked partial",
    )
    p.set_defaults(func=run_rates)
    p = rsub.add_parser("tickets", help="the tickets behind one figure of 'report rates'")
    common(p)
    span(p)
    p.add_argument(
        "--measure",
        required=True,
        choices=(
            "tickets",
            "dispatches",
            "signed_in_time",
            "upheld_objections",
            "callbacks",
            "resolved",
            "satisfied",
        ),
    )
    p.add_argument("--unit", help="one unit (default: all)")
    p.set_defaults(func=run_tickets)
    p = rsub.add_parser("rankings", help="四类排名 of a month, the previous month beside")
    common(p)
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.set_defaults(func=run_rankings)
    p = rsub.add_parser("hotspots", help="hotspots, repeat complaints, 每月一题 candidates")
    common(p)
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.set_defaults(func=run_hotspots)
    p = rsub.add_parser("export", help="Excel, CSV or Open311 GeoReport v2 of a period")
    common(p, json_flag=False)
    span(p)
    p.add_argument(
        "--format", required=True, choices=("xlsx", "csv", "open311-json", "open311-xml")
    )
    p.add_argument("--out", required=True, metavar="FILE")
    p.set_defaults(func=run_export)
    p = rsub.add_parser(
        "refresh", help="fold the tickets changed since the last report into the report facts"
    )
    common(p)
    p.set_defaults(func=run_refresh)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _print_json(obj: dict[str, Any]) -> None:
    print(json.dumps(obj, ensure_ascii=False))


def _span(args: argparse.Namespace) -> tuple[Any, Any]:
    from agent_app.services.reports import parse_date

    return parse_date(args.date_from, "--from"), parse_date(args.date_to, "--to")


def run_rates(args: argparse.Namespace) -> int:
    from agent_app.errors import UnreachableError
    from agent_app.services import reports
    from agent_app.storage.central.connect import parse_url

    first, last = _span(args)
    partial = False
    try:
        rows = reports.rates(parse_url(args.url), first, last, args.by)
    except UnreachableError as exc:
        if not args.sub_data_dir:
            raise
        from agent_app.cli import one_line, warn
        from agent_app.paths import data_paths
        from agent_app.services.reports.offline import seat_rates

        warn(
            f"{one_line(str(exc))}; figures from the seat's own copy as of its last sync "
            "(partial: tickets it has not pulled are missing)"
        )
        rows = seat_rates(data_paths(args.sub_data_dir).database, first, last, args.by)
        partial = True
    for row in rows:
        if args.json:
            obj = row.as_json()
            if partial:
                obj["partial"] = True
            _print_json(obj)
            continue
        c = row.counts
        print(
            f"{row.rank if row.rank is not None else '-':>4}  {row.name}  "
            f"响应率 {_pct(row.response_rate)} ({c.signed_in_time}/{c.dispatches})  "
            f"解决率 {_pct(row.resolution_rate)} ({c.resolved}/{c.callbacks})  "
            f"满意率 {_pct(row.satisfaction_rate)} ({row.satisfied:g}/{c.callbacks})  "
            f"score {'-' if row.score is None else f'{row.score:.2f}'}"
        )
    if not rows and not args.json:
        print("no dispatches or callbacks in this period")
    return 0


def run_tickets(args: argparse.Namespace) -> int:
    from agent_app.services import reports
    from agent_app.storage.central.connect import parse_url

    first, last = _span(args)
    refs = reports.rate_tickets(parse_url(args.url), first, last, args.measure, args.unit)
    for ref in refs:
        if args.json:
            _print_json(
                {
                    "number": ref.number,
                    "unit": ref.unit,
                    "district": ref.district,
                    "at": ref.at.isoformat(),
                }  # fmt: skip
            )
        else:
            print(f"{ref.number}  {ref.at.isoformat(timespec='minutes')}  {ref.unit}")
    return 0


def run_rankings(args: argparse.Namespace) -> int:
    from agent_app.services import reports
    from agent_app.storage.central.connect import parse_url

    tables = reports.rankings(parse_url(args.url), reports.parse_month(args.month))
    for table in tables:
        if not args.json:
            print(f"== {table.table} {table.month} (previous {table.previous_month})")
        for r in table.rows:
            j = r.as_json()
            j["month"] = table.month
            j["previous_month"] = table.previous_month
            if args.json:
                _print_json(j)
            else:
                prev = "-" if j["previous_score"] is None else f"{j['previous_score']:.2f}"
                print(
                    f"  {r.cls} {r.position:>2}. {r.row.name}  score "
                    f"{'-' if r.row.score is None else f'{r.row.score:.2f}'} (previous {prev}"
                    f"{' ' + '/'.join(r.previous_classes) if r.previous_classes else ''})  "
                    f"requests {r.volume:g}"
                )
    return 0


def run_hotspots(args: argparse.Namespace) -> int:
    from agent_app.services import reports
    from agent_app.storage.central.connect import parse_url

    report = reports.hotspots(parse_url(args.url), reports.parse_month(args.month))
    if args.json:
        items: list[Any] = [*report.candidates, *report.hotspots, *report.repeats]
        for item in items:
            obj = item.as_json()
            obj["month"] = report.month
            _print_json(obj)
        return 0
    print(f"== 每月一题 candidates {report.month} (baseline: {report.baseline_months} months)")
    for c in report.candidates:
        past = f"  [{c.past_topic}]" if c.past_topic else ""
        print(
            f"  {c.rank:>2}. {c.category_name}  {c.tickets} tickets (median {c.median:g}, "
            f"growth {c.growth * 100:+.0f}%, z {c.z:.1f})  hot places {c.hot_places}  "
            f"repeats {c.repeats}  e.g. {', '.join(c.samples)}{past}"
        )
    print(f"== hotspots ({len(report.hotspots)})")
    for x in report.hotspots[:30]:
        print(
            f"  {x.district}{x.township}  {x.category_name}  {x.tickets} "
            f"(median {x.median:g}, z {x.z:.1f})"
        )
    print(f"== repeat complaints ({len(report.repeats)})")
    for r in report.repeats[:30]:
        print(f"  {r.place}  {r.category_name}  {r.tickets}  {', '.join(r.numbers)}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from agent_app.services.reports.export import export
    from agent_app.storage.central.connect import parse_url

    first, last = _span(args)
    summary = export(parse_url(args.url), first, last, args.format, Path(args.out))
    print(f"wrote {summary['tickets']} tickets ({summary['format']}) to {summary['file']}")
    return 0


def run_refresh(args: argparse.Namespace) -> int:
    from agent_app.services import reports
    from agent_app.storage.central.connect import parse_url

    folded = reports.refresh(parse_url(args.url))
    if args.json:
        _print_json({"folded": folded})
    else:
        print(f"folded {folded} changed tickets into the report facts")
    return 0
