"""工单查询: the search service (every filter, newest first, no silent cap), related tickets,
and ``agent-app ticket search`` (one JSON object per line, callers masked, one-line errors)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from agent_app.cli import main
from agent_app.domain.lifecycle import Status
from agent_app.domain.ticket import Caller, Place, Ticket, TicketEvent
from agent_app.domain.timeutil import SHANGHAI
from agent_app.errors import UsageError
from agent_app.paths import DataPaths
from agent_app.services.ticket_detail import Relation, related_tickets
from agent_app.services.ticket_search import (
    SearchQuery,
    TicketSearcher,
    parse_statuses,
    search,
)
from agent_app.storage import repository as repo
from agent_app.storage.seat import open_database

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI)
PHONE = "+8613912345678"


def _ticket(n: int, **fields: object) -> Ticket:
    created = T0 + timedelta(hours=n)
    base = Ticket(
        id=f"id-{n:04d}", number=f"{created:%Y%m%d}-S01-{n:04d}", created_at=created,
        updated_at=created, seat="S01", operator_id="op1",
        caller=Caller(name="王先生", phones=(f"+86139{n:08d}",)),
        description=f"第{n}件", category_name="城市管理/市政设施/井盖缺失",
        category_code="0101", place=Place(address="海淀区中关村大街1号", district="海淀区",
                                          township="中关村街道"),
        events=(TicketEvent(at=created, kind="created", actor_role="operator", actor_id="op1"),),
    )  # fmt: skip
    return replace(base, **fields)  # type: ignore[arg-type]


TICKETS = [
    _ticket(1, description="小区暖气不热，室温十五度", caller=Caller("李先生", (PHONE,))),
    _ticket(2, description="夜间施工噪声扰民", status=Status.DISPATCHED,
            main_unit="朝阳区城市管理委员会", place=Place(address="朝阳区望京西园三区5号楼",
                                                     district="朝阳区", township="望京街道")),
    _ticket(3, description="暖气漏水", caller=Caller("李先生", (PHONE,)), status=Status.CLOSED,
            category_name="公共服务/供暖/暖气漏水", category_code="0207"),
    _ticket(4, description="50%的路灯不亮_晚上", notes="关联工单：20261122-S01-0002"),
    _ticket(5, description="重复反映暖气不热", status=Status.MERGED_DUPLICATE,
            merged_into="20261122-S01-0001", caller=Caller("李先生", (PHONE,))),
    _ticket(30, description="三十号的暖气", created_at=T0 + timedelta(days=3)),
]  # fmt: skip


@pytest.fixture(scope="module")
def seat(tmp_path_factory: pytest.TempPathFactory) -> DataPaths:
    paths = DataPaths(tmp_path_factory.mktemp("search") / "seat")
    db = open_database(paths)
    with db.write() as s:
        for ticket in TICKETS:
            repo.save_ticket(s, ticket, outbox=False)
        for n in range(100, 350):  # 250 more: more than a page
            repo.save_ticket(
                s,
                _ticket(n, description="路面坑洼", created_at=T0 - timedelta(days=30, minutes=n)),
                outbox=False,
            )
    db.dispose()
    return paths


def _numbers(paths: DataPaths, **query: object) -> list[str]:
    result = search(paths.database, SearchQuery(**query))  # type: ignore[arg-type]
    assert result.total == len(result.rows)
    return [t.number.rsplit("-", 1)[1] for t in result.rows]


def test_each_filter_finds_its_tickets_newest_first(seat: DataPaths) -> None:
    assert _numbers(seat, number="20261122-S01-0002") == ["0002"]
    assert _numbers(seat, number="S01-000") == ["0005", "0004", "0003", "0002", "0001"]
    # the caller's number in any usual form: normalised to the E.164 key the seat stores
    for typed in (
        "13912345678",
        "139 1234 5678",
        "+86 139-1234-5678",
        "８６１３９１２３４５６７８",
    ):
        assert _numbers(seat, phone=typed) == ["0005", "0003", "0001"], typed
    assert _numbers(seat, text="暖气") == ["0030", "0005", "0003", "0001"]
    assert _numbers(seat, text="暖气 不热") == ["0005", "0001"]  # every word
    assert _numbers(seat, text="关联工单") == ["0004"]  # the notes too
    assert _numbers(seat, text="50%") == ["0004"]  # LIKE's wildcards are plain text
    assert _numbers(seat, text="_晚") == ["0004"]
    assert _numbers(seat, address="望京") == ["0002"]
    assert _numbers(seat, address="朝阳区 西园") == ["0002"]
    assert _numbers(seat, statuses=("CLOSED", "DISPATCHED")) == ["0003", "0002"]
    assert _numbers(seat, unit="城市管理") == ["0002"]
    assert _numbers(seat, category="0207") == ["0003"]
    assert _numbers(seat, category="供暖") == ["0003"]
    assert _numbers(seat, since=date(2026, 11, 25), until=date(2026, 11, 25)) == ["0030"]
    assert _numbers(seat, text="暖气", until=date(2026, 11, 22)) == ["0005", "0003", "0001"]
    assert _numbers(seat, text="暖气", statuses=("CLOSED",), phone=PHONE) == ["0003"]
    assert _numbers(seat, text="没有这件事") == []


def test_no_silent_cap_the_total_is_told_and_the_next_page_follows(seat: DataPaths) -> None:
    first = search(seat.database, SearchQuery(text="路面", limit=200))
    assert (len(first.rows), first.total, first.shown, first.more) == (200, 250, 200, True)
    second = search(seat.database, first.query.next_page())
    assert (len(second.rows), second.total, second.shown, second.more) == (50, 250, 250, False)
    assert not {t.id for t in first.rows} & {t.id for t in second.rows}
    every = search(seat.database, SearchQuery(limit=10))
    assert every.total == len(TICKETS) + 250
    created = [t.created_at for t in first.rows + second.rows]
    assert created == sorted(created, reverse=True)


def test_the_window_s_searcher_finds_the_same_and_sees_new_tickets(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "seat")
    db = open_database(paths)
    with db.write() as s:
        repo.save_ticket(s, TICKETS[0], outbox=False)
    searcher = TicketSearcher(paths.database)
    try:
        searcher.warm()
        assert searcher.search(SearchQuery(text="暖气")).total == 1
        with db.write() as s:  # another connection writes: the cached pages are dropped
            repo.save_ticket(s, _ticket(31, description="新的暖气问题"), outbox=False)
        assert searcher.search(SearchQuery(text="暖气")).total == 2
    finally:
        searcher.close()
        db.dispose()


def test_rows_hold_the_number_for_the_views_to_mask(seat: DataPaths) -> None:
    row = search(seat.database, SearchQuery(number="20261122-S01-0001")).rows[0]
    assert row.caller_phone == PHONE  # masked where shown (tables, command output)


def test_bad_input_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"number: \*+4567;"):  # masked in the message
        search(Path("/nonexistent"), SearchQuery(phone="1391234567"))
    with pytest.raises(UsageError, match="limit"):
        search(Path("/nonexistent"), SearchQuery(limit=0))
    with pytest.raises(UsageError, match="date range"):
        search(Path("/nonexistent"), SearchQuery(since=date(2026, 2, 1), until=date(2026, 1, 1)))
    with pytest.raises(UsageError, match="unknown status 'OPENED'"):
        parse_statuses("DISPATCHED,OPENED")
    assert parse_statuses("dispatched，已办结") == ("DISPATCHED", "CLOSED")


def test_related_tickets_merges_links_and_the_same_caller(seat: DataPaths) -> None:
    db = open_database(seat)
    with db.read() as s:
        first = repo.get_ticket(s, "id-0001")
        merged = repo.get_ticket(s, "id-0005")
        linking = repo.get_ticket(s, "id-0004")
    db.dispose()
    assert first is not None
    assert merged is not None
    assert linking is not None
    related = [(r.relation, r.summary.number[-4:]) for r in related_tickets(seat.database, first)]
    assert related == [(Relation.MERGED_HERE, "0005"), (Relation.SAME_CALLER, "0003")]
    related = [(r.relation, r.summary.number[-4:]) for r in related_tickets(seat.database, merged)]
    assert related == [(Relation.MERGED_INTO, "0001"), (Relation.SAME_CALLER, "0003")]
    related = [(r.relation, r.summary.number[-4:]) for r in related_tickets(seat.database, linking)]
    assert related == [(Relation.LINKED, "0002")]


# The command ---------------------------------------------------------------------------------


def _lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_cli_prints_one_json_object_per_line_callers_masked(seat, capsys) -> None:  # type: ignore[no-untyped-def]
    args = ["ticket", "search", "--data-dir", str(seat.root), "--json"]
    assert main([*args, "--phone", "139-1234-5678", "--text", "暖气"]) == 0
    out = capsys.readouterr().out
    assert "13912345678" not in out
    assert "李先生" not in out
    lines = [json.loads(line) for line in out.splitlines()]
    assert [x["number"] for x in lines[:-1]] == [
        "20261122-S01-0005", "20261122-S01-0003", "20261122-S01-0001"
    ]  # fmt: skip
    assert {x["caller_phone"] for x in lines[:-1]} == {"139****5678"}
    assert {x["caller_name"] for x in lines[:-1]} == {"李**"}
    assert lines[-1] == {"kind": "summary", "shown": 3, "total": 3}
    assert main([*args, "--text", "路面", "--limit", "5"]) == 0
    lines = _lines(capsys)
    assert len(lines) == 6
    assert lines[-1] == {"kind": "summary", "shown": 5, "total": 250}
    assert main([*args, "--number", "S01-0002", "--status", "DISPATCHED", "--unit", "朝阳"]) == 0
    assert [x.get("number") for x in _lines(capsys)] == ["20261122-S01-0002", None]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--phone", "12345"], "not a whole phone number"),
        (["--status", "OPENED"], "unknown status"),
        (["--limit", "0"], "--limit"),
        (["--limit", "x"], "invalid int value"),
    ],
)
def test_cli_errors_are_one_line(seat, capsys, args, message) -> None:  # type: ignore[no-untyped-def]
    code = 0
    try:
        code = main(["ticket", "search", "--data-dir", str(seat.root), "--json", *args])
    except SystemExit as exc:  # argparse's own errors
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert code != 0
    assert len(err.strip().splitlines()) == 1
    assert message in err


def test_cli_without_a_seat_is_one_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["ticket", "search", "--data-dir", str(tmp_path / "none"), "--json"]) == 2
    assert "no seat database" in capsys.readouterr().err
