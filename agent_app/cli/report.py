"""``agent-app report rates|rankings|hotspots|export``: the figures that steer the city
(三率, 四类排名, 每月一题 candidates) from the centre's events, and exports.

Definitions live in ``knowledge_base/reports/rates.toml`` (docs/reports.md).
"""

from __future__ import annotations

import argparse
import os


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("report", help="三率, 四类排名, hotspots and exports from the centre")
    rsub = parser.add_subparsers(dest="report_command", required=True, metavar="REPORT")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--url",
            default=os.environ.get("AGENT_APP_CENTRAL_URL", ""),
            help="postgresql://LOGIN@HOST:PORT/DB (a lead or reporting login; no password)",
        )

    p = rsub.add_parser("rates", help="响应率, 解决率, 满意率 and the score, per group")
    common(p)
    p.add_argument("--from", dest="date_from", required=True, metavar="DATE")
    p.add_argument("--to", dest="date_to", required=True, metavar="DATE")
    p.add_argument(
        "--by",
        default="unit",
        choices=("unit", "township", "district", "department", "utility"),
    )
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=run_rates)


def run_rates(args: argparse.Namespace) -> int:
    raise NotImplementedError
