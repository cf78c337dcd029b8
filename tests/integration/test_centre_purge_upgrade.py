"""A centre at c0013 that has purged before is upgraded to c0014 by ``agent-app central
upgrade``: its purge record keeps its rows (``texts_masked`` 0 for them), and the next purge
masks the caller in the words of the tickets whose caller it erases, as the seat's rule does."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from agent_app.cli import main
from agent_app.domain import timeutil
from agent_app.domain.lifecycle import TERMINAL
from agent_app.domain.privacy import mask_caller_in_text
from agent_app.storage.central import schema
from tests.helpers.pg import CentralDb, centre_at

pytestmark = pytest.mark.postgres

NAME, PHONE = "钱鹧鸪", "13551234987"


def _purge(db: CentralDb, now: str, days: int, tmp: str, capsys: pytest.CaptureFixture[str]) -> Any:
    policy = f"{tmp}/retention-{days}.toml"
    with open(policy, "w", encoding="utf-8") as f:
        f.write(f"[centre]\ncaller_days = {days}\n")
    code = main(
        ["central", "purge", "--url", db.admin_url(), "--now", now, "--policy", policy, "--json"]
    )
    assert code == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_a_c0013_centre_upgraded_masks_words_at_its_next_purge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = centre_at("c0013_purge_runs")
    try:
        until = timeutil.now().replace(microsecond=0)
        seed = ["central", "seed", "--url", db.admin_url(), "--tickets", "200", "--months", "12"]
        assert main([*seed, "--until", until.isoformat(), "--json"]) == 0
        capsys.readouterr()
        now = (until + timedelta(days=1)).isoformat()
        first = _purge(db, now, 180, str(tmp_path), capsys)
        assert first["texts_masked"] == 0  # c0013 masks no words
        assert first["tickets"] > 0
        # a closed ticket past 60 days but not 180: its caller typed into its words
        with db.admin() as conn:
            (tid, caller) = conn.execute(
                "SELECT t.id, t.data->'caller' FROM central.tickets t WHERE t.status = ANY (%s) "
                "AND server_updated_at < now() - interval '100 days' "
                "AND server_updated_at > now() - interval '170 days' "
                "AND NOT coalesce((data#>>'{caller,purged}')::boolean, false) "
                "AND NOT EXISTS (SELECT 1 FROM central.conflicts c WHERE c.ticket_id = t.id) "
                "AND NOT EXISTS (SELECT 1 FROM central.qa_results q WHERE q.ticket_id = t.id) "
                "LIMIT 1",
                (sorted(s.value for s in TERMINAL),),
            ).fetchone()
            caller = {**caller, "name": NAME, "phones": ["+86" + PHONE]}
            words = f"{NAME}来电，电话 {PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}，2026-11-02 再次反映"
            conn.execute(
                "UPDATE central.tickets SET data = data || jsonb_build_object('caller', "
                "%s::jsonb, 'description', %s::text) WHERE id = %s",
                (json.dumps(caller), words, tid),
            )
        assert main(["central", "upgrade", "--url", db.admin_url()]) == 0
        capsys.readouterr()
        assert db.scalar("SELECT version_num FROM central.alembic_version") == schema.HEAD
        assert db.scalar("SELECT texts_masked FROM central.purge_runs") == 0  # the old row

        second = _purge(db, now, 60, str(tmp_path), capsys)
        assert second["texts_masked"] >= 1
        data = db.scalar("SELECT data FROM central.tickets WHERE id = %s", tid)
        assert data["caller"]["purged"] is True
        assert data["description"] == mask_caller_in_text(words, caller)
        assert NAME not in data["description"]
        assert (
            db.scalar("SELECT texts_masked FROM central.purge_runs ORDER BY id DESC LIMIT 1")
            == second["texts_masked"]
        )
    finally:
        db.drop()
