"""The seat database: migrations, schema checks, the single write path, append-only history."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select

from agent_app.domain.lifecycle import Status
from agent_app.domain.roles import Role
from agent_app.domain.ticket import Caller, Ticket, TicketEvent
from agent_app.domain.timeutil import SHANGHAI
from agent_app.errors import ConfigError, SchemaTooNewError, StorageError
from agent_app.paths import DataPaths
from agent_app.storage import cipher, readmodel, schema
from agent_app.storage import repository as repo
from agent_app.storage.db import single_engine
from agent_app.storage.models import Base, DraftRow, EventRow, OutboxRow
from agent_app.storage.seat import open_database

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI)


def _new_ticket(number: str = "20261122-S01-0001") -> Ticket:
    return Ticket(
        id=Ticket.new_id(),
        number=number,
        created_at=T0,
        updated_at=T0,
        seat="S01",
        operator_id="op1",
        caller=Caller(name="李先生", phones=("+8613912345678",)),
        description="小区暖气不热",
        events=(TicketEvent(at=T0, kind="created", actor_role="operator", actor_id="op1"),),
    )


@pytest.fixture
def db(tmp_path: Path):
    database = open_database(DataPaths(tmp_path / "seat"))
    yield database
    database.dispose()


def test_revisions_tuple_matches_the_migration_scripts():
    script = ScriptDirectory.from_config(schema.alembic_config(Path("unused.sqlite3")))
    assert script.get_heads() == [schema.HEAD]
    walked = [rev.revision for rev in script.walk_revisions()]
    assert list(reversed(walked)) == list(schema.REVISIONS)


def test_upgrading_an_empty_database_gives_the_models_schema(tmp_path: Path):
    path = tmp_path / "a.sqlite3"
    schema.upgrade(path, tmp_path / "backups")
    engine = single_engine(path)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []
    assert schema.check(path) == "current"


def test_database_runs_in_wal_with_full_sync_and_foreign_keys(db):
    with db.write() as s:
        conn = s.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_newer_schema_is_refused_and_the_file_left_untouched(tmp_path: Path):
    path = tmp_path / "agent.sqlite3"
    schema.upgrade(path, tmp_path / "b")
    conn = cipher.connect(path)
    conn.execute("UPDATE alembic_version SET version_num='9999_future'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNewError, match="newer than this app"):
        schema.upgrade(path, tmp_path / "b")
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path):
    path = tmp_path / "agent.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 100)
    before = path.read_bytes()
    with pytest.raises(StorageError, match="not a readable database"):
        schema.check(path)
    assert path.read_bytes() == before


def test_an_unwritable_data_dir_gives_a_clear_error(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="cannot be written"):
        DataPaths(blocker / "sub").ensure()


def test_migration_of_an_existing_file_backs_it_up_first(tmp_path: Path, monkeypatch):
    path = tmp_path / "agent.sqlite3"
    schema.upgrade(path, tmp_path / "backups")
    # Pretend the file is one revision behind: the app must back up before migrating.
    monkeypatch.setattr(schema, "REVISIONS", ("0000_older", schema.HEAD))
    conn = cipher.connect(path)
    conn.execute("UPDATE alembic_version SET version_num='0000_older'")
    conn.commit()
    conn.close()
    monkeypatch.setattr(schema, "run_alembic_upgrade", lambda p: _stamp_head(p))
    schema.upgrade(path, tmp_path / "backups")
    backups = list((tmp_path / "backups").glob("*.sqlite3"))
    assert len(backups) == 1
    assert schema.read_revision(backups[0]) == "0000_older"


def test_a_migration_that_fails_half_way_leaves_the_file_as_it_was(tmp_path: Path):
    """The steps run in one transaction: a step failing (here 0008, whose table is in the
    way) undoes the earlier ones too, instead of leaving a half-built schema stamped at
    some middle revision."""
    path = tmp_path / "agent.sqlite3"
    conn = cipher.connect(path)
    conn.execute("CREATE TABLE followup_transcripts (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="Migrating the database"):
        schema.run_alembic_upgrade(path)
    conn = cipher.connect(path)  # no alembic_version, no table of steps 0001-0007
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert tables == {"followup_transcripts"}


def test_a_new_file_is_migrated_to_head_with_foreign_keys_enforced_after(tmp_path: Path):
    path = tmp_path / "agent.sqlite3"
    schema.upgrade(path, tmp_path / "backups")
    assert schema.read_revision(path) == schema.HEAD
    assert schema.check(path) == "current"
    database = open_database(DataPaths(tmp_path / "seat"))
    try:
        with database.read() as s:
            assert s.connection().exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        database.dispose()


def _stamp_head(path: Path) -> None:
    conn = cipher.connect(path)
    conn.execute("UPDATE alembic_version SET version_num=?", (schema.HEAD,))
    conn.commit()
    conn.close()


def test_save_writes_ticket_events_outbox_and_drops_the_draft_in_one_transaction(db):
    ticket = _new_ticket()
    with db.write() as s:
        repo.save_draft(s, "draft-1", "S01", {"description": "小区暖气不热"}, T0)
    with db.write() as s:
        repo.save_ticket(s, ticket, draft_id="draft-1")
    with db.read() as s:
        assert repo.get_ticket(s, ticket.id) == ticket
        assert s.scalar(select(DraftRow).where(DraftRow.id == "draft-1")) is None
        outbox = list(s.scalars(select(OutboxRow)))
        assert [o.ticket_id for o in outbox] == [ticket.id]
        assert outbox[0].payload["events"][0]["seq"] == 1


def test_a_failed_save_leaves_nothing_behind(db):
    ticket = _new_ticket()
    with db.write() as s:
        repo.save_draft(s, "draft-2", "S01", {"x": 1}, T0)

    def save_then_lose_power() -> None:
        with db.write() as s:
            repo.save_ticket(s, ticket, draft_id="draft-2")
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError, match="power cut"):
        save_then_lose_power()
    with db.read() as s:
        assert repo.get_ticket(s, ticket.id) is None
        assert repo.pending_outbox_count(s) == 0
        assert [d[0] for d in repo.load_drafts(s, "S01")] == ["draft-2"]


def test_second_save_appends_only_new_events(db):
    ticket = _new_ticket()
    with db.write() as s:
        repo.save_ticket(s, ticket)
    moved = ticket.transition(Status.DISPATCHED, Role.OPERATOR, "op1", T0 + timedelta(minutes=4))
    with db.write() as s:
        repo.save_ticket(s, moved)
    with db.read() as s:
        seqs = list(s.scalars(select(EventRow.seq).where(EventRow.ticket_id == ticket.id)))
        assert seqs == [1, 2]
        assert repo.pending_outbox_count(s) == 2
        assert repo.get_ticket(s, ticket.id).status is Status.DISPATCHED


def test_event_history_is_append_only(db):
    with db.write() as s:
        repo.save_ticket(s, _new_ticket())
    with pytest.raises(Exception, match="append-only"), db.write() as s:
        s.connection().exec_driver_sql("UPDATE ticket_events SET kind='tampered'")
    with pytest.raises(Exception, match="append-only"), db.write() as s:
        s.connection().exec_driver_sql("DELETE FROM ticket_events")


def test_numbers_are_unique_per_seat_and_day(db):
    with db.write() as s:
        a = repo.next_number(s, "S01", T0.date())
        b = repo.next_number(s, "S01", T0.date())
        c = repo.next_number(s, "S02", T0.date())
    assert (a.sequence, b.sequence, c.sequence) == (1, 2, 1)
    assert len({str(a), str(b), str(c)}) == 3


def test_demo_tickets_never_enter_the_outbox(db):
    ticket = _new_ticket()

    with db.write() as s:
        repo.save_ticket(s, replace(ticket, is_demo=True))
    with db.read() as s:
        assert repo.pending_outbox_count(s) == 0


def test_caller_history_lists_open_tickets_first(db):
    closed = _new_ticket("20261122-S01-0001").transition(Status.ANSWERED, Role.OPERATOR, "op1", T0)
    open_ = _new_ticket("20261122-S01-0002")
    with db.write() as s:
        repo.save_ticket(s, closed)
        repo.save_ticket(s, open_)
    history = readmodel.caller_history(db.path, "+8613912345678")
    assert [h.number for h in history] == ["20261122-S01-0002", "20261122-S01-0001"]
