"""三率, 四类排名, hotspots and exports against a real PostgreSQL, on a set built through the
real lifecycle (the operator's seat dispatches and syncs; handler logins sign, object and
reply with ``agent-app unit``; the lead's seat rules with ``agent-app lead dispute`` and
calls back with ``agent-app callback record``), with every figure computed by hand.

The constructed set (A = 呼家楼街道办事处, B = 团结湖街道办事处, both in 朝阳区; C = 北京市热力集团有限责任公司,
a utility, its tickets in 东城区):

    A: a1 a2 a3 dispatched minutes ago, signed at once; a4 dispatched 3 h ago, signed late;
       a5 objected to before signing, the objection upheld → re-dispatched to B.
       a1 callback resolved 满意 (CLOSED); a2 callback unresolved 不满意 → REOPENED, A signs
       again at once, replies, second callback resolved 基本满意 (CLOSED); a3 callback
       unresolved 不满意 → REOPENED, never signed again.
    B: b1 signed at once, b2 dispatched 3 h ago and signed late, a5 signed at once after
       the ruling; b1 b2 callbacks resolved 满意.
    C: c1 signed at once, c2 never signed; no callback.

By hand (window 1 h, re-handling counts as a dispatch, 基本满意 weight 1):
    A: dispatches a1 a2 a3 a4 + a2' a3' (re-handled) = 6 (a5 left out: upheld), in time
       a1 a2 a3 a2' = 4; tickets 5; callbacks a1 a2 a3 = 3 (latest only), resolved a1 a2 = 2,
       satisfied a1 (满意) + a2 (基本满意) = 2.  score = 30·4/6 + 35·2/3 + 35·2/3 = 66.67
    B: dispatches b1 b2 a5 = 3, in time b1 a5 = 2; tickets 3; callbacks 2, resolved 2,
       satisfied 2.  score = 30·2/3 + 35 + 35 = 90.00
    C: dispatches 2, in time 1; no callback: 解决率, 满意率, score and rank are null.
"""

from __future__ import annotations

import contextlib
import io
import json
import socket
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from agent_app.cli import main
from agent_app.domain import timeutil
from agent_app.domain.rates import RateDefinitions
from agent_app.domain.ticket import Place
from agent_app.services import reports
from agent_app.services.demo import DemoGenerator
from agent_app.services.reports.figures import BEIJING, add_months
from agent_app.storage import repository as repo
from agent_app.storage.central.connect import parse_url
from tests.helpers.pg import CentralDb, new_seat, require_server

pytestmark = pytest.mark.postgres

A, B, C = "呼家楼街道办事处", "团结湖街道办事处", "北京市热力集团有限责任公司"
RATE_KEYS = ["name", "tickets", "signed_in_time", "callbacks", "resolved", "satisfied",
             "响应率", "解决率", "满意率", "score", "rank"]  # fmt: skip
PROPERTY = ("03.01.001", "住房保障/物业管理/物业服务规范管理")
STEADY = ("02.05.001", "公共服务/排水/下水道堵塞")


def run(*argv: str, ok: bool = True) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    if ok:
        assert code == 0, (argv, err.getvalue())
    else:
        assert code != 0, (argv, out.getvalue())
        assert len(err.getvalue().strip().splitlines()) == 1, err.getvalue()
    return out.getvalue(), err.getvalue()


def lines(*argv: str) -> list[dict[str, Any]]:
    out, _ = run(*argv)
    return [json.loads(x) for x in out.splitlines() if x.strip()]


def _seat(root: Path, seat: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "settings.ini").write_text(f"[options]\nseat={seat}\n", encoding="utf-8")
    return root


def add_ticket(
    db: Any,
    seat: str,
    operator: str,
    *,
    unit: str,
    created: datetime,
    district: str,
    township: str,
    address: str,
    category: tuple[str, str] = STEADY,
    seed: int = 1,
) -> str:
    """One ticket dispatched to ``unit`` at about ``created`` + 2..6 min (the seat's clock)."""
    now = timeutil.now()
    with db.write() as s:
        number = str(repo.next_number(s, seat, created.date()))
        t = DemoGenerator(seed=seed).ticket(
            number, created, now, seat=seat, operator=operator, is_demo=False, intake_only=True
        )
        events = tuple(
            replace(e, data={**dict(e.data), "main_unit": unit, "co_units": []})
            if e.to_status == "DISPATCHED"
            else e
            for e in t.events
        )
        place = Place(address=address, district=district, township=township, lat=39.92, lon=116.46)
        t = replace(
            t, main_unit=unit, co_units=(), place=place, events=events,
            category_code=category[0], category_name=category[1],
        )  # fmt: skip
        repo.save_ticket(s, t, now=created)
    return number


@dataclass
class World:
    central: CentralDb
    lead_url: str
    op_url: str
    first: date
    last: date
    n: dict[str, str]
    month: date
    lead_dir: Path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    central = CentralDb(require_server()).create()
    try:
        yield _build(central, tmp_path_factory.mktemp("reports"))
    finally:
        central.drop()


def _build(central: CentralDb, root: Path) -> World:
    op = central.add_login("rp_op", "operator")
    lead = central.add_login("rp_lead", "lead")
    logins = {
        A: central.add_login("rp_a", "handler", units=(A,)),
        B: central.add_login("rp_b", "handler", units=(B,)),
        C: central.add_login("rp_c", "handler", units=(C,)),
    }
    op_dir, lead_dir = _seat(root / "op", "RP1"), _seat(root / "lead", "RP2")

    def sync(seat_dir: Path, login: str) -> None:
        (report,) = lines(
            "sync", "--once", "--json", "--data-dir", str(seat_dir), "--central", central.url(login)
        )
        assert report["rejected"] == report["conflicts"] == report["undelivered"] == 0, report

    def unit(u: str, action: str, number: str, *extra: str) -> None:
        run("unit", action, number, *extra, "--url", central.url(logins[u]))

    def reply(u: str, number: str) -> None:
        unit(u, "contact", number)
        unit(u, "reply", number, "--text", "已处理", "--result", "resolved")

    def callback(number: str, resolved: str, satisfaction: str) -> None:
        run(
            "callback", "record", number, "--resolved", resolved,
            "--satisfaction", satisfaction, "--data-dir", str(lead_dir),
        )  # fmt: skip

    now = timeutil.now()
    soon, late = now - timedelta(minutes=10), now - timedelta(hours=3)
    cy = ("朝阳区", "呼家楼街道", "朝阳区呼家楼街道呼家楼北街{}号楼")
    tj = ("朝阳区", "团结湖街道", "朝阳区团结湖街道团结湖路{}号")
    dc = ("东城区", "东华门街道", "东城区东华门街道南池子大街{}号")
    plan = [
        ("a1", A, soon, cy), ("a2", A, soon, cy), ("a3", A, soon, cy), ("a4", A, late, cy),
        ("a5", A, soon, cy), ("b1", B, soon, tj), ("b2", B, late, tj),
        ("c1", C, soon, dc), ("c2", C, soon, dc),
    ]  # fmt: skip
    db = new_seat(op_dir)
    n: dict[str, str] = {}
    try:
        for i, (key, u, created, (district, township, address)) in enumerate(plan):
            n[key] = add_ticket(
                db, "RP1", op, unit=u, created=created + timedelta(seconds=i),
                district=district, township=township, address=address.format(i + 1), seed=i + 1,
            )  # fmt: skip
    finally:
        db.dispose()
    sync(op_dir, op)

    for key in ("a1", "a2", "a3", "a4"):
        unit(A, "sign", n[key])
    unit(A, "object", n["a5"], "--reason-code", "wrong_place", "--reason", "地址属团结湖街道")
    for key in ("a1", "a2", "a3"):
        reply(A, n[key])
    for key in ("b1", "b2"):
        unit(B, "sign", n[key])
        reply(B, n[key])
    unit(C, "sign", n["c1"])

    sync(lead_dir, lead)
    run("lead", "dispute", n["a5"], "--uphold", "--to", B, "--data-dir", str(lead_dir))
    callback(n["a1"], "yes", "满意")
    callback(n["a2"], "no", "不满意")
    callback(n["a3"], "no", "不满意")
    callback(n["b1"], "yes", "满意")
    callback(n["b2"], "yes", "满意")
    sync(lead_dir, lead)

    unit(B, "sign", n["a5"])
    unit(A, "sign", n["a2"])
    reply(A, n["a2"])
    sync(lead_dir, lead)
    callback(n["a2"], "yes", "基本满意")
    sync(lead_dir, lead)

    today = now.astimezone(BEIJING).date()
    return World(
        central=central,
        lead_url=central.url(lead),
        op_url=central.url(op),
        first=today - timedelta(days=1),
        last=today + timedelta(days=1),
        n=n,
        month=today.replace(day=1),
        lead_dir=lead_dir,
    )


def _rates(w: World, by: str) -> dict[str, dict[str, Any]]:
    rows = lines(
        "report", "rates", "--url", w.lead_url, "--from", w.first.isoformat(),
        "--to", w.last.isoformat(), "--by", by, "--json",
    )  # fmt: skip
    return {r["name"]: r for r in rows}


def test_three_rates_per_unit_match_the_hand_computed_figures(world: World) -> None:
    rows = _rates(world, "unit")
    assert set(rows) == {A, B, C}
    for row in rows.values():
        assert list(row)[: len(RATE_KEYS)] == RATE_KEYS
    a, b, c = rows[A], rows[B], rows[C]
    assert (a["tickets"], a["dispatches"], a["signed_in_time"], a["upheld_objections"]) == (
        5, 6, 4, 1,
    )  # fmt: skip
    assert (a["callbacks"], a["resolved"], a["satisfied"]) == (3, 2, 2)
    assert (a["响应率"], a["解决率"], a["满意率"]) == (0.6667, 0.6667, 0.6667)
    assert a["score"] == pytest.approx(66.67, abs=0.005)
    assert (b["tickets"], b["dispatches"], b["signed_in_time"], b["upheld_objections"]) == (
        3, 3, 2, 0,
    )  # fmt: skip
    assert (b["callbacks"], b["resolved"], b["satisfied"]) == (2, 2, 2)
    assert (b["响应率"], b["解决率"], b["满意率"], b["score"]) == (0.6667, 1.0, 1.0, 90.0)
    assert (b["rank"], a["rank"]) == (1, 2)
    # A unit without callbacks: its response rate, but no resolution, satisfaction or rank.
    assert (c["tickets"], c["dispatches"], c["signed_in_time"], c["响应率"]) == (2, 2, 1, 0.5)
    assert (c["callbacks"], c["解决率"], c["满意率"], c["score"], c["rank"]) == (
        0, None, None, None, None,
    )  # fmt: skip
    assert c["kind"] == "utility"


def test_offline_the_seat_copy_gives_the_same_figures_marked_partial(world: World) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    down = f"postgresql://nobody@127.0.0.1:{port}/{world.central.name}"
    argv = ["report", "rates", "--url", down, "--from", world.first.isoformat(),
            "--to", world.last.isoformat(), "--json"]  # fmt: skip
    _, err = run(*argv, ok=False)  # without a seat to fall back on: one line
    assert "cannot reach" in err
    out, err = run(*argv, "--data-dir", str(world.lead_dir))
    assert "partial" in err
    assert "cannot reach" in err
    offline = {r["name"]: r for r in map(json.loads, out.splitlines())}
    online = _rates(world, "unit")
    assert set(offline) == set(online)
    for name, row in offline.items():
        assert row.pop("partial") is True
        assert row == online[name]


def test_rates_by_township_district_and_utility(world: World) -> None:
    towns = _rates(world, "township")
    assert set(towns) == {A, B}
    assert towns[B]["score"] == 90.0
    assert set(_rates(world, "utility")) == {C}
    assert _rates(world, "department") == {}
    districts = _rates(world, "district")
    assert set(districts) == {"朝阳区", "东城区"}
    cy = districts["朝阳区"]
    # a5 went to two units of 朝阳区 but is one ticket of the district.
    assert (cy["tickets"], cy["dispatches"], cy["signed_in_time"]) == (7, 9, 6)
    assert (cy["callbacks"], cy["resolved"], cy["satisfied"]) == (5, 4, 4)
    assert cy["score"] == pytest.approx(30 * 6 / 9 + 35 * 4 / 5 + 35 * 4 / 5, abs=0.005)


def test_definitions_change_the_figures(world: World) -> None:
    target = parse_url(world.lead_url)
    half = RateDefinitions(basic_satisfied_weight=0.5, count_rehandling=False)
    rows = {r.name: r for r in reports.rates(target, world.first, world.last, defs=half)}
    a = rows[A]
    assert a.satisfied == 1.5  # a1 满意 + 0.5 × a2 基本满意
    assert (a.counts.dispatches, a.counts.signed_in_time) == (4, 3)  # re-handling left out
    wide = RateDefinitions(response_window=timedelta(hours=4))
    rows = {r.name: r for r in reports.rates(target, world.first, world.last, defs=wide)}
    assert rows[A].counts.signed_in_time == 5  # a4, signed 3 h after dispatch, now in time
    assert rows[B].counts.signed_in_time == 3


def test_the_tickets_behind_a_figure(world: World) -> None:
    n = world.n
    rows = lines(
        "report", "tickets", "--url", world.lead_url, "--from", world.first.isoformat(),
        "--to", world.last.isoformat(), "--measure", "signed_in_time", "--unit", A, "--json",
    )  # fmt: skip
    assert sorted(r["number"] for r in rows) == sorted([n["a1"], n["a2"], n["a2"], n["a3"]])
    # Nothing changed since that report: a refresh folds nothing in.
    assert lines("report", "refresh", "--url", world.lead_url, "--json") == [{"folded": 0}]
    target = parse_url(world.lead_url)
    upheld = reports.rate_tickets(target, world.first, world.last, "upheld_objections")
    assert [t.number for t in upheld] == [n["a5"]]
    satisfied = reports.rate_tickets(target, world.first, world.last, "satisfied", A)
    assert sorted(t.number for t in satisfied) == sorted([n["a1"], n["a2"]])


def test_rankings_put_each_row_in_its_class_with_the_previous_month(world: World) -> None:
    rows = lines("report", "rankings", "--url", world.lead_url, "--month",
                 world.month.strftime("%Y-%m"), "--json")  # fmt: skip
    assert rows
    assert all({"name", "class", "table"} <= set(r) for r in rows)
    assert {r["class"] for r in rows} <= {"先进类", "进步类", "整改类", "治理类"}
    sizes = {t: {"先进类": 1, "进步类": 1, "整改类": 1, "治理类": 1} for t in
             ("township", "district", "department", "utility")}  # fmt: skip
    defs = RateDefinitions(class_sizes=sizes)
    tables = {t.table: t for t in reports.rankings(parse_url(world.lead_url), world.month,
                                                   defs=defs)}  # fmt: skip
    town = {(r.cls, r.row.name) for r in tables["township"].rows}
    # B scores 90, A 66.67; A has the most requests; no previous month, so no 进步类.
    assert town == {("先进类", B), ("整改类", A), ("治理类", A)}
    assert all(r.previous is None and r.previous_classes == () for r in tables["township"].rows)
    (gov,) = [r for r in tables["district"].rows if r.cls == "治理类"]
    # 万人诉求比: 朝阳区 7 requests / 3,452,460 residents vs 东城区 2 / 708,829.
    assert gov.row.name == "东城区"
    assert gov.volume == pytest.approx(2 * 10_000 / 708_829)
    assert tables["department"].rows == ()
    assert [r.row.name for r in tables["utility"].rows if r.cls == "治理类"] == [C]


def test_lead_only_and_one_line_errors(world: World) -> None:
    _, err = run("report", "rates", "--url", world.op_url, "--from", "2026-01-01",
                 "--to", "2026-01-31", ok=False)  # fmt: skip
    assert "may not read reports" in err
    _, err = run("report", "rankings", "--url", world.lead_url, "--month", "2026-13", ok=False)
    assert "YYYY-MM" in err
    _, err = run("report", "rates", "--url", world.lead_url, "--from", "2026-02-01",
                 "--to", "2026-01-01", ok=False)  # fmt: skip
    assert "before" in err


def test_open311_exports_carry_the_spec_fields_and_no_personal_data(
    world: World, tmp_path: Path
) -> None:
    span = ("--from", world.first.isoformat(), "--to", world.last.isoformat())
    out = tmp_path / "requests.json"
    run("report", "export", "--url", world.lead_url, *span, "--format", "open311-json",
        "--out", str(out))  # fmt: skip
    items = json.loads(out.read_text(encoding="utf-8"))
    assert len(items) == 9
    types = {
        "service_request_id": str, "status": str, "service_code": str, "service_name": str,
        "requested_datetime": str, "updated_datetime": str, "address": str,
        "agency_responsible": str, "lat": float, "long": float,
    }  # fmt: skip
    for item in items:
        assert set(item) == set(types)
        for key, kind in types.items():
            assert isinstance(item[key], kind), (key, item[key])
        assert item["status"] in ("open", "closed")
        for key in ("requested_datetime", "updated_datetime"):  # w3 format with an offset
            assert datetime.fromisoformat(item[key]).utcoffset() is not None
    by_id = {i["service_request_id"]: i for i in items}
    n = world.n
    assert {k for k, v in by_id.items() if v["status"] == "closed"} == {
        n["a1"],
        n["a2"],
        n["b1"],
        n["b2"],
    }
    assert by_id[n["a5"]]["agency_responsible"] == B
    assert by_id[n["a1"]]["service_code"] == STEADY[0]
    with world.central.admin() as conn:
        callers = conn.execute("SELECT data->'caller' FROM central.tickets").fetchall()
    text = out.read_text(encoding="utf-8")
    for (caller,) in callers:
        for phone in caller.get("phones") or []:
            assert phone not in text
        if caller.get("name"):
            assert caller["name"] not in text

    xml_out = tmp_path / "requests.xml"
    run("report", "export", "--url", world.lead_url, *span, "--format", "open311-xml",
        "--out", str(xml_out))  # fmt: skip
    assert xml_out.read_bytes().startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ET.parse(xml_out).getroot()
    assert root.tag == "service_requests"
    requests = root.findall("request")
    assert len(requests) == 9
    for req in requests:
        fields = {child.tag: child.text or "" for child in req}
        assert set(fields) == set(types)
        float(fields["lat"]), float(fields["long"])
        assert fields["status"] in ("open", "closed")


def test_xlsx_has_the_rates_the_tickets_and_a_definitions_sheet(
    world: World, tmp_path: Path
) -> None:
    from openpyxl import load_workbook  # noqa: PLC0415 - only this test needs it

    out = tmp_path / "report.xlsx"
    run("report", "export", "--url", world.lead_url, "--from", world.first.isoformat(),
        "--to", world.last.isoformat(), "--format", "xlsx", "--out", str(out))  # fmt: skip
    wb = load_workbook(out)
    assert wb.sheetnames == ["三率", "工单", "定义"]
    header = [c.value for c in wb["三率"][2]]
    rates = {r[1]: dict(zip(header, r, strict=True))
             for r in wb["三率"].iter_rows(min_row=3, values_only=True)}  # fmt: skip
    assert rates[B]["score"] == 90.0
    assert rates[B]["rank"] == 1
    assert rates[C]["解决率"] is None
    assert wb["工单"].max_row == 10  # header + 9 tickets
    terms = {r[0]: r[1] for r in wb["定义"].iter_rows(min_row=2, values_only=True)}
    assert {"响应率", "解决率", "满意率", "score", "先进类", "治理类", "hotspot"} <= set(terms)
    assert "1 h" in terms["响应率"]
    assert "30 % 响应率" in terms["score"]
    csv_out = tmp_path / "tickets.csv"
    run("report", "export", "--url", world.lead_url, "--from", world.first.isoformat(),
        "--to", world.last.isoformat(), "--format", "csv", "--out", str(csv_out))  # fmt: skip
    assert len(csv_out.read_text(encoding="utf-8-sig").splitlines()) == 10


def test_hotspots_find_a_growing_topic_and_repeat_complaints(tmp_path: Path) -> None:
    """A 每月一题 topic (物业服务规范管理) grows at one township: 1 ticket a month for six
    months, 8 this month, 3 of them from the same building; drainage stays at 5 a month.
    Hand-computed: baseline median 1, MAD 0 → scale √1 = 1, z = (8 − 1) / 1 = 7, growth 700 %;
    drainage: median 5, z 0, not hot."""
    central = CentralDb(require_server()).create()
    try:
        op = central.add_login("hs_op", "operator")
        lead = central.add_login("hs_lead", "lead")
        op_dir = _seat(tmp_path / "op", "HS1")
        now = timeutil.now()
        month = now.astimezone(BEIJING).date().replace(day=1)
        db = new_seat(op_dir)
        town = ("朝阳区", "呼家楼街道")
        try:
            seed = 0

            def add(created: datetime, category: tuple[str, str], address: str) -> str:
                nonlocal seed
                seed += 1
                return add_ticket(db, "HS1", op, unit=A, created=created, district=town[0],
                                  township=town[1], address=address, category=category,
                                  seed=seed)  # fmt: skip

            for back in range(1, 7):
                first = add_months(month, -back)
                at = datetime(first.year, first.month, 10, 10, 0, tzinfo=BEIJING)
                add(at, PROPERTY, f"朝阳区呼家楼北街{back + 10}号楼")
                for j in range(5):
                    add(at + timedelta(minutes=j + 1), STEADY, f"朝阳区金台路{j + 1}号")
            current = [
                add(now - timedelta(minutes=30 - j), PROPERTY,
                    "朝阳区呼家楼北街3号楼2单元501室" if j < 3 else f"朝阳区呼家楼北街{j + 20}号楼")
                for j in range(8)
            ]  # fmt: skip
            for j in range(5):
                add(now - timedelta(minutes=20 - j), STEADY, f"朝阳区金台路{j + 1}号")
        finally:
            db.dispose()
        run("sync", "--once", "--data-dir", str(op_dir), "--central", central.url(op))
        rows = lines("report", "hotspots", "--url", central.url(lead), "--month",
                     month.strftime("%Y-%m"), "--json")  # fmt: skip
        cands = [r for r in rows if r["kind"] == "candidate"]
        hots = [r for r in rows if r["kind"] == "hotspot"]
        reps = [r for r in rows if r["kind"] == "repeat"]
        top = cands[0]
        assert (top["category_code"], top["tickets"], top["median"]) == (PROPERTY[0], 8, 1.0)
        assert (top["excess"], top["z"], top["growth"]) == (7.0, 7.0, 7.0)
        assert top["past_topic"] == "2024 物业服务规范管理"
        assert top["hot_places"] == 1
        assert top["repeats"] == 1
        assert len(top["samples"]) == 3
        assert set(top["samples"]) <= set(current)
        steady = [c for c in cands if c["category_code"] == STEADY[0]]
        assert steady
        assert steady[0]["z"] == 0.0
        (hot,) = hots
        assert (hot["township"], hot["tickets"], hot["baseline"]) == ("呼家楼街道", 8, [1] * 6)
        (rep,) = reps
        # The same building, whichever flat: the place is cut at the building.
        assert (rep["place"], rep["tickets"]) == ("朝阳区呼家楼北街3号楼", 3)
        assert rep["numbers"] == current[:3]
    finally:
        central.drop()
