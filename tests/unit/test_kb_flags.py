"""Knowledge-base flags: stored in the seat database, listed for the shift lead, resolved."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from agent_app.domain.timeutil import SHANGHAI
from agent_app.errors import UsageError
from agent_app.paths import DataPaths
from agent_app.services.kb import make_flag
from agent_app.services.kb_flags import KbFlagStore
from agent_app.storage.seat import open_database

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    database = open_database(DataPaths(tmp_path / "seat"))
    yield KbFlagStore(lambda: database, seat="S07", operator_id="op042", clock=lambda: T0)
    database.dispose()


def test_a_flag_from_the_pane_is_stored_and_listed(store: KbFlagStore) -> None:
    stored = store.add(make_flag("wrong", article_id="heating-room-temperature", seat="S07"))
    assert stored.id > 0
    flags = store.list()
    assert [(f.kind, f.article_id, f.seat, f.operator_id) for f in flags] == [
        ("wrong", "heating-room-temperature", "S07", "op042")
    ]
    assert flags[0].resolved is False
    assert store.open_count() == 1


def test_missing_answer_keeps_the_query_as_comment(store: KbFlagStore) -> None:
    store.add(make_flag("missing", query="共享单车押金不退"))
    (flag,) = store.list()
    assert flag.kind == "missing"
    assert flag.article_id == ""
    assert flag.comment == "共享单车押金不退"


def test_flags_are_listed_newest_first_and_resolved_ones_drop_out(store: KbFlagStore) -> None:
    older = store.add({**make_flag("wrong", article_id="a1"), "created_at": T0})
    newer = store.add(
        {**make_flag("wrong", article_id="a2"), "created_at": T0 + timedelta(hours=1)}
    )
    assert [f.id for f in store.list()] == [newer.id, older.id]
    assert store.resolve(older.id)
    assert [f.id for f in store.list()] == [newer.id]
    assert {f.id: f.resolved for f in store.list(include_resolved=True)} == {
        newer.id: False,
        older.id: True,
    }
    assert store.open_count() == 1
    assert not store.resolve(99_999)


def test_flags_survive_reopening_the_database(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "seat")
    first = open_database(paths)
    KbFlagStore(lambda: first, seat="S01").add(make_flag("wrong", article_id="dog-walking-leash"))
    first.dispose()
    second = open_database(paths)
    try:
        assert [f.article_id for f in KbFlagStore(lambda: second).list()] == ["dog-walking-leash"]
    finally:
        second.dispose()


@pytest.mark.parametrize(
    "flag",
    [
        {"kind": "odd", "article_id": "x"},
        {"kind": "wrong", "article_id": ""},
        {"kind": "missing", "comment": "  "},
    ],
)
def test_invalid_flags_are_refused(store: KbFlagStore, flag: dict[str, str]) -> None:
    with pytest.raises(UsageError):
        store.add(flag)
    assert store.list(include_resolved=True) == []
