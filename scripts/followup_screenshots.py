"""Screenshots of a repeat call: the caller's history with the follow-up actions (告知进展,
补充, 催办) on the selected earlier ticket, in Chinese and English at 1366x820 and 1920x1080.

The window is built as the composition root builds it (offscreen, CJK font) on a throwaway
seat; a first call is dispatched, the same caller calls again, the operator selects that
ticket in the history and writes down what the caller adds.  No centre runs here: its answer
to the history look-up (``central.caller_history``) is one fixed row, an earlier ticket of the
caller taken at another seat, merged with the seat's own as a live seat merges them.  Writes
``docs/screenshot-followup-{zh,en}-{1366x820,1920x1080}.png``.

    .venv/bin/python scripts/followup_screenshots.py [--out docs] [--lang zh|en]
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent_app.domain import timeutil
from agent_app.domain.summary import TicketSummary
from agent_app.services import caller_history
from benchmarks.bench_operator_actions import wait_until
from scripts._shots import application, arguments, grab_sizes, operator_window, out_dir
from scripts.outcome_screenshots import _dispatch_heating


def _centre_rows(url: str, phone: str, **_kw: object) -> list[TicketSummary]:
    """The centre's answer: the caller's earlier ticket taken at another seat (masked)."""
    return [
        caller_history.summary_from_centre(
            {
                "id": "c1a0f5e2-0000-4000-8000-000000000001",
                "number": f"{timeutil.now() - timedelta(days=9):%Y%m%d}-S03-0042",
                "created_at": timeutil.now() - timedelta(days=9),
                "status": "CLOSED",
                "request_type": "complaint",
                "category": "路灯不亮",
                "district": "朝阳区",
                "township": "呼家楼街道",
                "main_unit": "朝阳区呼家楼街道办事处",
                "caller_phone": "138****5678",
                "description": "小区门口路灯不亮已一周",
            }
        )
    ]


def main() -> int:
    args = arguments(__doc__).parse_args()
    out = out_dir(args)
    application(args.lang)
    with operator_window("followup-shots-") as (window, panes, tmp):
        caller_history.centre_rows = _centre_rows  # type: ignore[assignment]
        window.session.set_centre("postgresql://op1001@centre.example:5432/hotline")
        _dispatch_heating(window, panes, tmp)
        window.ctx.runner.wait_idle()
        form = window.form
        window.incoming.emit("13812345678")  # the same caller calls again
        wait_until(lambda: form.history.model.rowCount() >= 2, "the caller's history")
        form.history.select_row(0)
        form.description.setPlainText(
            "来电人补充：暖气片阀门在厨房一侧，维修人员上门前请先电话联系。"
        )
        wait_until(lambda: form.history.supplement_button.isEnabled(), "the actions")
        if not grab_sizes(window, out, f"screenshot-followup-{args.lang}-{{size}}.png"):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
