"""The form's duplicate warning: an open ticket retold by another caller is found; another
problem at the same place, or a closed ticket, is not."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent_app.paths import DataPaths
from agent_app.services.duplicate_check import caller_key, open_tickets, probable_duplicates
from agent_app.services.seeding import seed_demo
from agent_app.services.suggest.related import TicketRecord
from agent_app.storage import cipher
from agent_app.storage.seat import open_database


def _seat(tmp_path: Path) -> Path:
    paths = DataPaths(tmp_path / "seat").ensure()
    db = open_database(paths)
    seed_demo(db)
    db.dispose()
    return paths.database


def _open_ticket(database: Path) -> Any:
    conn = cipher.connect(database)
    conn.row_factory = cipher.dbapi().Row
    row = conn.execute(
        "SELECT * FROM tickets WHERE status = 'DISPATCHED' AND category_code != '' "
        "AND length(description) > 30 ORDER BY created_at DESC LIMIT 1"
    ).fetchone()
    conn.close()
    return row


def _draft(text: str, row: Any, **changes: object) -> TicketRecord:
    fields: dict[str, object] = {
        "ticket_id": "draft",
        "text": text,
        "created_at": datetime.now(UTC),
        "caller_key": caller_key("+8613900000000"),
        "category": row["category_code"],
        "district": row["district"],
        "township": row["township"],
    }
    fields.update(changes)
    return TicketRecord(**fields)  # type: ignore[arg-type]


def test_a_retold_open_ticket_is_a_probable_duplicate(tmp_path: Path):
    database = _seat(tmp_path)
    row = _open_ticket(database)
    candidates = open_tickets(database)
    assert candidates
    retold = "市民来电：" + row["description"].replace("来电人反映", "").replace("诉求", "希望")
    hints = probable_duplicates(_draft(retold, row), candidates)
    assert hints
    assert hints[0].number == row["number"]
    assert hints[0].place


def test_another_problem_in_another_category_is_not(tmp_path: Path):
    database = _seat(tmp_path)
    row = _open_ticket(database)
    text = "咨询灵活就业人员在京缴纳养老保险的办理渠道和缴费基数是多少"
    hints = probable_duplicates(_draft(text, row, category="09.03.001"), open_tickets(database))
    assert row["number"] not in [h.number for h in hints]


def test_closed_tickets_are_no_merge_targets(tmp_path: Path):
    database = _seat(tmp_path)
    numbers = {fields["number"] for _, fields in open_tickets(database)}
    conn = cipher.connect(database)
    closed = {r[0] for r in conn.execute("SELECT number FROM tickets WHERE status = 'CLOSED'")}
    conn.close()
    assert closed
    assert not numbers & closed


def test_too_short_a_description_gives_no_warning(tmp_path: Path):
    database = _seat(tmp_path)
    row = _open_ticket(database)
    assert probable_duplicates(_draft("停水", row), open_tickets(database)) == []
