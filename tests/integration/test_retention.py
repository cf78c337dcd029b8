"""R13: the retention purge, with an injected clock, erases exactly what the policy names
(callers of closed tickets past the limit, delivered outbox copies, old drafts) and nothing
open or unsent; after it the erased values are in none of the file's pages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy

from agent_app.cli import main
from agent_app.domain import timeutil
from agent_app.domain.ticket import Caller, Place, Ticket, TicketEvent
from agent_app.errors import ConfigError
from agent_app.paths import DataPaths
from agent_app.services import retention
from agent_app.services.sync.engine import SyncEngine
from agent_app.storage import cipher
from agent_app.storage import repository as repo
from agent_app.storage.db import Database
from agent_app.storage.models import (
    DraftRow,
    OutboxRow,
    SyncShadowRow,
    TicketRow,
    TranscriptLineRow,
)
from agent_app.storage.seat import open_database
from tests.helpers.pg import CentralDb, edit_ticket, require_server
from tests.helpers.sqlcipher_pages import decrypted_pages

pytestmark = pytest.mark.postgres

# One canary caller per ticket: names and numbers that appear nowhere else.
CANARIES = {
    "closed": ("甄鹬鹕", "13800138000"),
    "open": ("贾鸬鹚", "13900139000"),
    "unsent": ("甄鹈鹕", "13700137000"),
    "recent": ("贾鹡鸰", "13600136000"),
}

# Words of each call's transcript that appear nowhere else.
WORDS = {"closed": "鹳雀楼小区", "open": "鸱鸺巷小区"}


@pytest.fixture(scope="module")
def central() -> Iterator[CentralDb]:
    db = CentralDb(require_server()).create()
    try:
        yield db
    finally:
        db.drop()


def _new(db: Database, login: str, name: str, phone: str) -> str:
    now = timeutil.now()
    with db.write() as s:
        number = str(repo.next_number(s, "RT1", now.date()))
        t = Ticket(
            id=Ticket.new_id(), number=number, created_at=now, updated_at=now, seat="RT1",
            operator_id=login, caller=Caller(name=name, phones=("+86" + phone,)),
            # as operators type them: the caller's name and number in the words too
            description=f"{name}来电（{phone[:3]}-{phone[3:7]}-{phone[7:]}），咨询供暖开始时间。",
            notes=f"回拨 {phone} 未接",
            place=Place(address=f"海淀区{name}家楼下"),
            events=(TicketEvent(at=now, kind="created", actor_role="operator", actor_id=login),),
        )  # fmt: skip
        repo.save_ticket(s, t, now=now)
        return t.id


def _answer(db: Database, ticket_id: str, login: str) -> None:
    """The operator answers at once (INTAKE → ANSWERED, a closed status)."""
    now = timeutil.now()
    with db.write() as s:
        t = repo.get_ticket(s, ticket_id)
        assert t is not None
        event = TicketEvent(
            at=now,
            kind="transition",
            actor_role="operator",
            actor_id=login,
            from_status=t.status.value,
            to_status="ANSWERED",
            data={"text": f"已答复{t.caller.name}（{t.caller.phones[0]}）"},
        )
        t = replace(t, status=type(t.status)("ANSWERED"), updated_at=now, events=(*t.events, event))
        repo.save_ticket(s, t, now=now)


def _pages(paths: DataPaths) -> bytes:
    return decrypted_pages(paths.database, cipher.key_for(paths.database))


def _state(db: Database, ids: dict[str, str]) -> dict[str, Any]:
    with db.read() as s:
        tickets = {k: s.get(TicketRow, v) for k, v in ids.items()}
        return {
            "callers": {
                k: (t.caller_name, t.caller_phone, list(t.caller_phones))
                for k, t in tickets.items()
                if t is not None
            },
            "shadows": {
                k: (s.get(SyncShadowRow, v).data or {}).get("caller", {}).get("name")  # type: ignore[union-attr]
                for k, v in ids.items()
                if s.get(SyncShadowRow, v) is not None
            },
            "outbox": sorted(
                (r.ticket_id, r.sent_at is not None, (r.payload.get("caller") or {}).get("name"))
                for r in s.query(OutboxRow)
            ),
            "drafts": s.query(DraftRow).count(),
            "words": {
                k: (t.description, t.notes, t.address, [e.data for e in t.events])
                for k, t in tickets.items()
                if t is not None
            },
        }


def test_purge_erases_what_the_policy_names_and_nothing_open_or_unsent(
    central: CentralDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    login = central.add_login("rt_op", "operator")
    paths = DataPaths(tmp_path / "seat").ensure()
    db = open_database(paths)
    try:
        ids = {k: _new(db, login, name, phone) for k, (name, phone) in CANARIES.items()}
        _answer(db, ids["closed"], login)
        _answer(db, ids["unsent"], login)
        _answer(db, ids["recent"], login)
        engine = SyncEngine(db, central.target(login), seat="RT1", password_lookup=None)
        assert engine.sync_once().complete
        edit_ticket(db, ids["unsent"], actor=login, notes_append="回访未接通。")  # not sent yet
        now = timeutil.now()
        with db.write() as s:
            repo.save_draft(
                s, "old-draft", "RT1", {"phone": "13500135000"}, now - timedelta(days=31)
            )
            repo.save_draft(
                s, "new-draft", "RT1", {"phone": "13400134000"}, now + timedelta(days=80)
            )
        with db.write() as s:  # the calls' words, which name places and people
            for key in ("closed", "open"):
                s.add(
                    TranscriptLineRow(
                        ticket_id=ids[key], seq=0, start_ms=0, end_ms=2000,
                        text=f"我住在{WORDS[key]}，暖气不热。",
                    )
                )  # fmt: skip
        # "recent" was closed 10 days before the others: move them 10 days on
        with db.write() as s:
            s.get(TicketRow, ids["recent"]).updated_at = now + timedelta(days=10)  # type: ignore[union-attr]
        retention.compact(paths.database)
        pages = _pages(paths)
        assert all(name.encode() in pages for name, _ in CANARIES.values())  # the check sees them

        policy = retention.load_policy(Path("knowledge_base/retention.toml"))
        assert policy.caller_days == 90
        before = _state(db, ids)
        # day 90: nothing is past the limit yet; the delivered outbox copies already go
        report = retention.purge(db, policy, now=now + timedelta(days=89), dry_run=True)
        assert (report.tickets, report.shadows, report.drafts) == (0, 0, 1)
        assert report.outbox == 7  # four creations and three answers were delivered
        assert _state(db, ids) == before  # a dry run changes nothing

        report = retention.purge(db, policy, now=now + timedelta(days=91))
        assert (report.tickets, report.shadows, report.drafts) == (1, 1, 1)
        assert report.transcripts == 1  # the closed ticket's line; the open one keeps its own
        assert report.vacuumed
        after = _state(db, ids)
        assert after["callers"]["closed"] == ("", "", [])
        for kept in ("open", "unsent", "recent"):
            assert after["callers"][kept] == before["callers"][kept], kept
            assert after["words"][kept] == before["words"][kept], kept
        # the closed ticket's words keep what they said, without its caller
        description, notes, address, events = after["words"]["closed"]
        assert description == "甄**来电（*******8000），咨询供暖开始时间。"
        assert notes == "回拨 *******8000 未接"
        assert address == "海淀区甄**家楼下"
        assert events[-1] == {"text": "已答复甄**（+*********8000）"}
        # the ticket, its answer event, its shadow, its two delivered outbox rows
        assert report.texts_masked == 5
        # the events are append-only again after the purge
        with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"), db.write() as s:
            s.execute(sqlalchemy.text("UPDATE ticket_events SET data = '{}'"))
        assert after["shadows"] == {**before["shadows"], "closed": ""}
        # every delivered copy dropped its caller; the unsent change keeps its own
        assert all(name == "" for _tid, sent, name in after["outbox"] if sent)
        assert (ids["unsent"], False, CANARIES["unsent"][0]) in after["outbox"]
        assert after["drafts"] == 1
    finally:
        db.dispose()

    pages = _pages(paths)
    name, phone = CANARIES["closed"]
    assert name.encode() not in pages
    assert phone.encode() not in pages
    assert f"{phone[:3]}-{phone[3:7]}-{phone[7:]}".encode() not in pages  # as typed in words
    assert b"13500135000" not in pages  # the old draft
    assert WORDS["closed"].encode() not in pages  # the closed call's words
    assert WORDS["open"].encode() in pages
    for kept in ("open", "unsent", "recent"):
        assert CANARIES[kept][0].encode() in pages, kept
    for suffix in ("", "-wal", "-shm"):  # and the raw files hold no canary at all
        raw = Path(str(paths.database) + suffix)
        if raw.exists():
            data = raw.read_bytes()
            assert not any(n.encode() in data for pair in CANARIES.values() for n in pair)

    # the command: same report keys, a dry run by the real clock erases no ticket's caller
    assert main(["db", "purge", "--data-dir", str(paths.root), "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {
        "dry_run",
        "policy",
        "cutoff",
        "tickets",
        "shadows",
        "outbox",
        "drafts",
        "vacuumed",
        "transcripts",
        "texts_masked",
    }
    assert (out["dry_run"], out["tickets"], out["vacuumed"]) == (True, 0, False)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[seat]\nclosed_statuses = ["DISPATCHED"]', "closed statuses"),
        ('[seat]\ncaller_fields = ["description"]', "caller_fields"),
        ("[seat]\ncaller_days = -1", "caller_days"),
        ("[centre]\nlog_months = 3", "log_months"),
        ("[centre]\nprocessing_record_years = 2", "processing_record_years"),
        ("[seat\n", "not valid TOML"),
    ],
)
def test_an_unsafe_policy_is_refused_with_one_line(text: str, problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        retention.parse_policy(text, "retention.toml")


def test_a_seat_policy_file_takes_precedence(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "seat").ensure()
    assert retention.policy_file(paths).parent.name == "knowledge_base"
    (paths.root / "retention.toml").write_text("[seat]\ncaller_days = 30\n", encoding="utf-8")
    assert retention.load_policy(retention.policy_file(paths)).caller_days == 30
