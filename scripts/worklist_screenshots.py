"""Screenshots of the work after dispatch in a shift lead's demo window: the 异议与延期
worklist (an objection with the catalogue's re-dispatch proposal), the 回访 worklist (the
unit's reply, the number revealed for the call), a ticket's detail with its timeline, the
unit's feedback and the callback form open, and the demo queue after the simulated units
acted (today's tickets, the new work counted on the tabs and noticed in the status bar).

The window is built by the composition root (``agent_app.ui.compose``, offscreen, CJK font)
on a throwaway demo seat seeded with the demo week plus a few tickets at each step.  Writes
``docs/screenshot-{lead-worklist,callbacks,detail-callback,demo-queue}-{lang}-{W}x{H}.png``.

    .venv/bin/python scripts/worklist_screenshots.py [--lang zh|en] [--size 1366x820] [--out docs]
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from agent_app.domain import timeutil
from agent_app.domain.lifecycle import Status, UnitAction
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Caller, Place, Ticket, TicketEvent
from agent_app.domain.unit_act import unit_act
from agent_app.paths import DataPaths, resources_dir
from agent_app.services.seeding import seed_demo
from agent_app.services.unit_sim import ACTIVE
from agent_app.services.workstation import Workstation
from agent_app.settings import Settings
from agent_app.storage.seat import prepare as prepare_seat
from agent_app.ui.compose import Workbench, compose
from agent_app.ui.worklists import bring_into_view
from scripts._shots import application, arguments, out_dir, save, seat_key

HOUR = timedelta(hours=1)


def wait_until(check: Callable[[], bool], what: str, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while not check():
        if time.monotonic() > end:
            raise SystemExit(f"timed out waiting for {what}")
        QTest.qWait(20)


def _ticket(
    ws: Workstation, n: int, *, hours_ago: float, caller: Caller, text: str, category: tuple[str, str],
    place: Place, unit: str, demo: bool = False,
) -> Ticket:  # fmt: skip
    at = timeutil.now() - timedelta(hours=hours_ago)
    return Ticket(
        id=Ticket.new_id(), number=f"{at:%Y%m%d}-{ws.seat}-{n:04d}", created_at=at, updated_at=at,
        seat=ws.seat, operator_id=ws.operator_id, caller=caller, description=text,
        category_code=category[0], category_name=category[1], place=place, main_unit=unit,
        due_at=at + timedelta(days=3), is_demo=demo,
        events=(TicketEvent(at=at, kind="created", actor_role="operator", actor_id=ws.operator_id),),
    ).transition(Status.DISPATCHED, Role.OPERATOR, ws.operator_id, at + timedelta(minutes=3))  # fmt: skip


def _acts(
    t: Ticket, unit_login: str, *steps: tuple[UnitAction, float, dict[str, object]]
) -> Ticket:
    for action, hours_after, args in steps:
        t = unit_act(
            t, action, actor_id=unit_login, now=t.created_at + timedelta(hours=hours_after), **args
        )
    return t


HUJIALOU = Place(
    address="朝阳区呼家楼街道呼家楼北街5号院", district="朝阳区", district_code="110105",
    township="呼家楼街道", township_code="110105003", community="呼家楼北社区",
)  # fmt: skip
WANGJING = Place(
    address="朝阳区望京街道望京西园三区5号楼", district="朝阳区", district_code="110105",
    township="望京街道", township_code="110105026", community="望京西园三区社区",
)  # fmt: skip
GARBAGE = ("04.01.002", "城市管理/市容环境卫生/垃圾清运不及时")
ROAD = ("04.01.003", "城市管理/市容环境卫生/暴露垃圾与卫生死角")
HEATING = ("", "公共服务/供暖/室温不达标")


def seed_followups(ws: Workstation) -> dict[str, Ticket]:
    """An objection, an extension request and three replies waiting for their callbacks."""
    out: dict[str, Ticket] = {}
    t = _ticket(ws, 811, hours_ago=6, caller=Caller("李建国", ("+8613911112222",)),
                text="小区门口的垃圾桶三天没有清运，气味很大。", category=GARBAGE, place=WANGJING,
                unit="呼家楼街道办事处")  # fmt: skip
    out["objection"] = _acts(
        t, "呼家楼街道", (UnitAction.OBJECT, 1, {"reason_code": "wrong_place",
                                              "reason": "经现场核实，诉求地点在望京街道辖区，建议改派属地单位。"}),
    )  # fmt: skip
    t = _ticket(ws, 812, hours_ago=30, caller=Caller("周敏", ("+8613700003333",)),
                text="楼后绿地长期堆放建筑垃圾无人清理。", category=ROAD, place=HUJIALOU,
                unit="呼家楼街道办事处")  # fmt: skip
    out["extension"] = _acts(
        t, "呼家楼街道", (UnitAction.SIGN, 1, {}), (UnitAction.CONTACT, 2, {"text": "已联系来电人"}),
        (UnitAction.EXTEND, 5, {"days": 5, "reason": "需协调产权单位和施工单位共同清运，申请延期。"}),
    )  # fmt: skip
    replies = (
        ("张红梅", "+8613812345678", "望京西园三区5号楼暖气不热，室温只有十五度。", HEATING, WANGJING,
         "北京市热力集团有限责任公司", "经查为5号楼供暖支线阀门故障，已更换阀门并逐户排气，室温恢复到二十度。"),
        ("王志强", "+8613600004444", "呼家楼北街路口垃圾满溢。", GARBAGE, HUJIALOU,
         "呼家楼街道办事处", "已安排环卫车辆清运，并增加该点位清运频次至每日两次。"),
        ("陈晓", "+8615800005555", "小区内垃圾分类桶损坏。", GARBAGE, HUJIALOU,
         "呼家楼街道办事处", "已协调物业更换分类桶四组。"),
    )  # fmt: skip
    for i, (name, phone, text, cat, place, unit, reply) in enumerate(replies):
        t = _ticket(ws, 821 + i, hours_ago=20 - i * 3, caller=Caller(name, (phone,)), text=text,
                    category=cat, place=place, unit=unit)  # fmt: skip
        out[f"reply{i}"] = _acts(
            t, unit, (UnitAction.SIGN, 0.5, {}), (UnitAction.CONTACT, 1, {"text": "已电话联系来电人"}),
            (UnitAction.REPLY, 6, {"text": reply, "result": "resolved"}),
        )  # fmt: skip
    for t in out.values():
        ws.save_ticket(t)
    return out


def open_window(data_dir: Path, size: tuple[int, int]) -> Workbench:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    seat_key(data_dir.parent)
    paths = DataPaths(data_dir).ensure()
    paths.demo_marker.write_text("demo and training data: never synced\n", encoding="utf-8")
    prepare_seat(paths)
    settings = Settings(paths.settings_file)
    settings.unit_sim_speed = 50_000  # the simulated units' hours in a few seconds
    bench = compose(
        paths, settings, role=Role.LEAD, demo=True, defer=False, start_after_paint=False
    )
    assert bench.unit_sim is not None
    bench.unit_sim.stop()  # started after the followups are seeded
    bench.window.resize(*size)
    bench.window.show()
    bench.wiring.start_background()
    wait_until(lambda: bench.window.intake is not None, "the catalogue and gazetteer", 60)
    return bench


def main() -> int:
    parser = arguments(__doc__)
    parser.add_argument("--size", default="1366x820", help="window size, WIDTHxHEIGHT")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    assert len(size) == 2
    out = out_dir(args)
    suffix = f"{args.lang}-{size[0]}x{size[1]}"
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    font = QFont()
    font.setFamilies(["WenQuanYi Micro Hei", "Noto Sans CJK SC"])
    app.setFont(font)
    app.setStyleSheet((resources_dir() / "style.qss").read_text(encoding="utf-8"))
    application(args.lang)
    with tempfile.TemporaryDirectory(prefix="worklist-shots-", ignore_cleanup_errors=True) as tmp:
        bench = open_window(Path(tmp) / "seat", size)
        window, lists = bench.window, bench.worklists
        assert lists is not None
        assert lists.lead is not None
        assert lists.callbacks is not None
        try:
            ws = bench.workstation
            seed_demo(ws.db, extra_tickets=40, seat=ws.seat, operator=ws.operator_id)
            made = seed_followups(ws)
            lists.refresh(now=True)
            ids = {t.id for t in made.values()}
            wait_until(
                lambda: (
                    ids
                    <= {r.ticket_id for r in (*lists.lead.state.rows, *lists.callbacks.state.rows)}
                ),
                "the seeded tickets in the lists",
            )
            in_desk = not window.side.isAncestorOf(lists.lead_view)

            # 异议与延期: the objection selected, the proposal read
            bring_into_view(lists.lead_view)
            lists.lead.select(made["objection"].id)
            wait_until(lambda: lists.lead.state.choices is not None, "the unit proposal")
            if in_desk:  # the lead's desk shows the ticket beside the list
                lists.lead_view.open_requested.emit(made["objection"].id)
            save(window, out / f"screenshot-lead-worklist-{suffix}.png")

            # 回访: a reply selected, the number revealed (audited), the answers being filled
            bring_into_view(lists.callback_view)
            lists.callbacks.select(made["reply0"].id)
            lists.callbacks.reveal()
            wait_until(lambda: bool(lists.callbacks.state.number), "the revealed number")
            if in_desk:
                lists.callback_view.open_requested.emit(made["reply0"].id)
            form = lists.callback_view.form
            form.resolved_yes.setChecked(True)
            form.satisfaction["基本满意"].setChecked(True)
            form.words.setPlainText("暖气已经热了，希望以后早点修。")
            save(window, out / f"screenshot-callbacks-{suffix}.png")

            # The ticket's detail: timeline, the unit's feedback, the callback form
            detail = window.open_ticket(made["reply0"].id)
            detail.resize(*size)
            wait_until(lambda: detail.presenter.state.detail is not None, "the ticket")
            detail.presenter.open_panel("callback")
            save(detail, out / f"screenshot-detail-callback-{suffix}.png")
            detail.close()

            # The demo queue moved by the simulated units: their actions since the start
            bring_into_view(window.today)
            window.load_tickets()
            QTest.qWait(300)
            lists.new_work.clear()
            driver = bench.unit_sim
            assert driver is not None
            driver.timer.setInterval(300)
            driver.timer.start()
            wait_until(lambda: driver.actions >= 30, "the simulated units' actions", 90)
            driver.stop()
            bench.runner.wait_idle()
            wait_until(lambda: not lists.lead.loading and not lists.callbacks.loading, "lists")
            QTest.qWait(600)
            status = window.tickets.COLUMNS.index("状态")
            window.ticket_view.sortByColumn(status, Qt.SortOrder.DescendingOrder)  # furthest first
            save(window, out / f"screenshot-demo-queue-{suffix}.png")
            moved = sum(
                1 for t in ws.today_tickets(mine=False) if t.status in {s.value for s in ACTIVE}
            )
            print(f"simulated unit actions: {driver.actions}; tickets still with units: {moved}")  # noqa: T201
        finally:
            bench.shutdown()
            window.close()
            QCoreApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
