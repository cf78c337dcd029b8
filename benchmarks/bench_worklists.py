"""The lead's worklists on a busy seat: how long one refresh of 回访 and of 异议与延期 reads.

A throwaway seat gets ``--tickets`` tickets dispatched to one unit: a quarter replied (回访), a
quarter objected to (异议), a quarter only dispatched, a quarter past their time limit (回访,
overdue).  Then :func:`agent_app.services.worklists.callbacks` and
:func:`~agent_app.services.worklists.lead_requests` (what each refresh of the lists runs, in a
worker) are timed, best of ``--runs``.

    .venv/bin/python benchmarks/bench_worklists.py [--tickets 4000] [--runs 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent_app.domain import timeutil
from agent_app.domain.lifecycle import Status, UnitAction
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Caller, Place, Ticket, TicketEvent
from agent_app.domain.unit_act import unit_act
from agent_app.paths import DataPaths
from agent_app.services.worklists import callbacks, lead_requests
from agent_app.storage import repository as repo
from agent_app.storage.seat import open_database, prepare


def _ticket(i: int, hours_ago: float) -> Ticket:
    at = timeutil.now() - timedelta(hours=hours_ago)
    return Ticket(
        id=Ticket.new_id(), number=f"{at:%Y%m%d}-S01-{i:05d}", created_at=at, updated_at=at,
        seat="S01", operator_id="op1", caller=Caller("王芳", ("+8613812345678",)),
        description="垃圾没人清运", category_name="城市管理/市容环境卫生/垃圾清运不及时",
        place=Place(address="朝阳区呼家楼北街5号"), main_unit="呼家楼街道办事处",
        due_at=at + timedelta(days=3),
        events=(TicketEvent(at=at, kind="created", actor_role="operator", actor_id="op1"),),
    ).transition(Status.DISPATCHED, Role.OPERATOR, "op1", at)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-worklists-") as tmp:
        if not os.environ.get("AGENT_APP_DB_KEY_FILE"):
            key = Path(tmp) / "seat.key"
            key.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
            key.chmod(0o600)
            os.environ["AGENT_APP_DB_KEY_FILE"] = str(key)
        paths = DataPaths(Path(tmp) / "seat").ensure()
        prepare(paths)
        db = open_database(paths)
        try:
            with db.write() as s:
                for i in range(args.tickets):
                    kind = i % 4
                    t = _ticket(i, 100 if kind == 3 else 10)
                    step = t.created_at
                    if kind == 0:
                        steps: tuple[tuple[UnitAction, dict[str, Any]], ...] = (
                            (UnitAction.SIGN, {}),
                            (UnitAction.CONTACT, {"text": "已联系"}),
                            (UnitAction.REPLY, {"text": "已清运", "result": "resolved"}),
                        )
                        for action, extra in steps:
                            step += timedelta(hours=1)
                            t = unit_act(t, action, actor_id="unit", now=step, **extra)
                    elif kind == 1:
                        t = unit_act(
                            t, UnitAction.OBJECT, actor_id="unit", now=step + timedelta(hours=1),
                            reason_code="other", reason="需会商",
                        )  # fmt: skip
                    repo.save_ticket(s, t, outbox=False, now=t.created_at)
            figures = {"tickets": args.tickets}
            for name, read in (("callbacks", callbacks), ("lead_requests", lead_requests)):
                times, rows = [], 0
                for _ in range(args.runs):
                    start = time.perf_counter()
                    rows = len(read(db))
                    times.append(time.perf_counter() - start)
                figures[f"{name}_rows"] = rows
                figures[f"{name}_ms"] = round(min(times) * 1000)
        finally:
            db.dispose()
    if args.json:
        print(json.dumps(figures))
    else:
        for name, value in figures.items():
            print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
