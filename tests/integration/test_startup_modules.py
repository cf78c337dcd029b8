"""Start-up (issue #20: at most 4x a bare window, ``benchmarks/bench_startup.py``): what the
window's first paint does not need is not imported before it, and still loads on first use."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from agent_app.cli import main

REPO = Path(__file__).resolve().parents[2]

# Started as ``python -m agent_app`` is, with print() in agent_app.app wrapped to list the
# imported modules when the window reports its first paint (--exit-when-painted).
STARTER = textwrap.dedent(
    """
    import sys
    import agent_app.app as app

    def spy(*args, **kwargs):
        if args and str(args[0]).startswith("PAINTED"):
            print("MODULES", " ".join(sorted(sys.modules)), flush=True)
        print(*args, **kwargs)

    app.print = spy
    from agent_app.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)

NOT_BEFORE_THE_PAINT = (
    "agent_app.services.kb.model",  # the first search or article
    "agent_app.services.kb.index",  # the index: opened in a worker after the paint
    "agent_app.services.kb.loader",
    "agent_app.services.kb.tokenizer",
    "jieba",
    "sqlalchemy",  # the ORM: workers, after the paint (the first table is plain SQL)
    "agent_app.storage.models",
    "agent_app.storage.repository",
    "agent_app.ui.ticket_search",  # the 工单查询 tab: built on first show
    "agent_app.services.ticket_search",
    "agent_app.ui.ticket_detail",  # the detail window: on first open
    "agent_app.services.ticket_detail",
    "agent_app.services.followup",  # a recorded repeat call
    "agent_app.ui.map_pane",  # the map and the transcript strip: built after the paint
    "agent_app.ui.transcript_strip",
    "agent_app.ui.role_dialog",  # only when no role is known
    "agent_app.ui.undelivered",  # the 未送达 list: on the first click of the status bar's link
    "agent_app.ui.undelivered_reasons",
    "agent_app.services.undelivered",
)


def test_the_first_paint_imports_none_of_what_it_does_not_need(tmp_path: Path) -> None:
    seat = tmp_path / "seat"
    assert main(["db", "upgrade", "--data-dir", str(seat)]) == 0  # no migration at the start
    result = subprocess.run(
        [sys.executable, "-c", STARTER, "--data-dir", str(seat), "--role", "operator",
         "--exit-when-painted", "--no-err-windows"],
        capture_output=True, text=True, timeout=120, cwd=REPO, check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    listed = [line for line in result.stdout.splitlines() if line.startswith("MODULES ")]
    assert listed, result.stdout
    modules = set(listed[0].split()[1:])
    assert "agent_app.ui.main_window" in modules  # the spy saw the started window
    assert sorted(modules.intersection(NOT_BEFORE_THE_PAINT)) == []


NOT_BEFORE_THE_PAINT_WITH_A_CENTRE = (
    *NOT_BEFORE_THE_PAINT,
    "agent_app.services.lead_desk",  # 退回给我: its count and its list, after the paint
    "agent_app.services.quality",
    "agent_app.ui.lead_desk.presenters",
    "agent_app.ui.lead_desk.views",
)


def test_an_operators_first_paint_with_a_centre_counts_no_returned_checks_yet(
    tmp_path: Path,
) -> None:
    """The 退回给我 count (after sync cycles, every few minutes) loads nothing before the
    first paint."""
    seat = tmp_path / "seat"
    assert main(["db", "upgrade", "--data-dir", str(seat)]) == 0
    result = subprocess.run(
        [sys.executable, "-c", STARTER, "--data-dir", str(seat), "--role", "operator",
         "--exit-when-painted", "--no-err-windows"],
        capture_output=True, text=True, timeout=120, cwd=REPO, check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
             "AGENT_APP_CENTRAL_URL": "postgresql://op1@127.0.0.1:9/centre"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    listed = [line for line in result.stdout.splitlines() if line.startswith("MODULES ")]
    assert listed, result.stdout
    modules = set(listed[0].split()[1:])
    assert "agent_app.ui.returned_to_me" in modules  # the tab is there
    assert sorted(modules.intersection(NOT_BEFORE_THE_PAINT_WITH_A_CENTRE)) == []


def test_the_knowledge_base_loads_its_records_module_on_first_use() -> None:
    """The window builds its KnowledgeBase before the first paint without the records'
    module (kb.model); the defaults, a search and an article bring it."""
    script = textwrap.dedent(
        """
        import sys, tempfile
        from pathlib import Path
        from agent_app.paths import knowledge_base_dir
        from agent_app.services.kb import KnowledgeBase

        with tempfile.TemporaryDirectory() as tmp:
            kb = KnowledgeBase(knowledge_base_dir(), Path(tmp) / "kb.sqlite3")
            assert "agent_app.services.kb.model" not in sys.modules
            from agent_app.services.kb.model import Article, RankingParams, SearchHit
            assert kb.params == RankingParams()
            hits = kb.search("暖气不热", k=3)
            assert hits and all(isinstance(hit, SearchHit) for hit in hits)
            assert isinstance(kb.article(hits[0].article_id), Article)
            kb.close()
        print("OK")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True, text=True, timeout=120, cwd=REPO, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("OK")
