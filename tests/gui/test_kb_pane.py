"""Knowledge-base pane: live suggestions off the GUI thread, actions.

How responsive the GUI thread stays while suggestions search is measured by
``benchmarks/bench_gui_responsiveness.py --only kb``."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from agent_app.services.kb import KnowledgeBase
from agent_app.services.kb.model import SearchHit
from agent_app.ui.kb_pane import KnowledgePane

ARTICLES = {
    "heating": ("供暖期室温标准", "供暖期间室温不低于18℃，暖气不热请联系供热单位。"),
    "dog": ("文明养犬", "携犬出户应束犬链，由成年人牵领。"),
}


SAMPLE = (  # sample content: listed and shown, never inserted
    "noise",
    "夜间施工噪音",
    "示例内容：夜间施工须取得夜间施工许可，可向城管执法部门反映。",
)


def write_kb(root: Path) -> Path:
    kb = root / "kb" / "articles"
    kb.mkdir(parents=True)
    for ident, (title, body) in ARTICLES.items():
        (kb / f"{ident}.md").write_text(
            f"---\nid: {ident}\ntitle: {title}\n---\n## 答复口径\n{body}\n", encoding="utf-8"
        )
    ident, title, body = SAMPLE
    (kb / f"{ident}.md").write_text(
        f"---\nid: {ident}\ntitle: {title}\nsample: true\n---\n## 答复口径\n{body}\n",
        encoding="utf-8",
    )
    return root / "kb"


class SlowSearch:
    """A real knowledge base behind a search that takes ``delay`` seconds of CPU-free work."""

    def __init__(self, kb: KnowledgeBase, delay: float) -> None:
        self.kb = kb
        self.delay = delay
        self.queries: list[str] = []

    def __call__(self, query: str, k: int) -> Sequence[SearchHit]:
        self.queries.append(query)
        time.sleep(self.delay)
        return self.kb.search(query, k=k)


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    base = KnowledgeBase(write_kb(tmp_path), tmp_path / "index.sqlite3")
    base.warm_up()
    return base


@pytest.fixture
def make_pane(qtbot, kb: KnowledgeBase):  # type: ignore[no-untyped-def]
    panes: list[KnowledgePane] = []

    def make(delay: float = 0.0, debounce_ms: int = 30) -> tuple[KnowledgePane, SlowSearch]:
        search = SlowSearch(kb, delay)
        pane = KnowledgePane(search, article_lookup=kb.article, debounce_ms=debounce_ms)
        qtbot.addWidget(pane)
        panes.append(pane)
        return pane, search

    yield make
    for pane in panes:
        pane.shutdown()


def test_model_passes_qt_model_tester(make_pane, qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    pane, _ = make_pane()
    with qtbot.waitSignal(pane.worker.results_ready, timeout=3000):
        pane.suggest_for_text("家里暖气不热")
    qtmodeltester.check(pane.model)


def test_suggestions_arrive_without_taking_focus(kb: KnowledgeBase, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = QWidget()
    qtbot.addWidget(window)
    pane = KnowledgePane(SlowSearch(kb, 0.0), window, article_lookup=kb.article, debounce_ms=30)
    notes = QLineEdit(window)
    layout = QVBoxLayout(window)
    layout.addWidget(notes)
    layout.addWidget(pane)
    window.show()
    notes.setFocus()
    assert window.focusWidget() is notes
    pane.suggest_for_text("市民：你好，我家暖气一直不热，屋里很冷")
    qtbot.waitUntil(lambda: pane.model.ids() == ["heating"], timeout=3000)
    assert window.focusWidget() is notes
    assert "18" in pane.article_view.toPlainText()
    assert pane.insert_button.isEnabled()
    pane.shutdown()


def test_newer_text_obsoletes_older_requests(make_pane, qtbot) -> None:  # type: ignore[no-untyped-def]
    pane, search = make_pane(delay=0.05, debounce_ms=40)
    pane.suggest_for_text("暖气不热")
    pane.suggest_for_text("暖气不热，还有楼下")
    pane.suggest_for_text("楼下有人遛狗不束犬链")
    qtbot.waitUntil(lambda: pane.model.ids() == ["dog"], timeout=3000)
    qtbot.waitUntil(lambda: not pane.worker.busy, timeout=3000)
    pane.worker.wait_idle()  # every search that started has finished and posted its answer
    QCoreApplication.sendPostedEvents()  # an older answer still on its way arrives now
    assert pane.model.ids() == ["dog"]
    assert search.queries == ["楼下有人遛狗不束犬链"]  # debounced: only the last text ran


def test_typed_query_wins_over_suggestions(make_pane, qtbot) -> None:  # type: ignore[no-untyped-def]
    pane, _ = make_pane()
    pane.search_box.setText("束犬链")
    qtbot.waitUntil(lambda: pane.model.ids() == ["dog"], timeout=3000)
    qtbot.waitUntil(lambda: not pane.worker.busy, timeout=3000)
    with qtbot.assertNotEmitted(pane.worker.busy_changed):
        pane.suggest_for_text("暖气不热")  # the typed query stays: no search is asked for
    assert not pane.worker.busy
    assert pane.model.ids() == ["dog"]
    pane.search_box.setText("")
    qtbot.waitUntil(lambda: pane.model.ids() == ["heating"], timeout=3000)


def test_actions_emit_answer_id_and_flags(make_pane, qtbot) -> None:  # type: ignore[no-untyped-def]
    pane, _ = make_pane()
    pane.suggest_for_text("暖气不热")
    qtbot.waitUntil(lambda: pane.insert_button.isEnabled(), timeout=3000)
    with qtbot.waitSignal(pane.answer_insert_requested) as inserted:
        pane.insert_button.click()
    assert inserted.args == ["供暖期间室温不低于18℃，暖气不热请联系供热单位。"]
    with qtbot.waitSignal(pane.answered_directly_requested) as answered:
        pane.answered_button.click()
    assert answered.args == ["heating"]
    with qtbot.waitSignal(pane.flag_requested) as wrong:
        pane.wrong_button.click()
    assert wrong.args[0]["kind"] == "wrong"
    assert wrong.args[0]["article_id"] == "heating"
    with qtbot.waitSignal(pane.flag_requested) as missing:
        pane.missing_button.click()
    assert missing.args[0]["kind"] == "missing"
    assert "暖气不热" in missing.args[0]["comment"]


def test_sample_content_is_shown_marked_and_cannot_be_inserted(make_pane, qtbot) -> None:  # type: ignore[no-untyped-def]
    pane, _ = make_pane()
    pane.search_box.setText("夜间施工噪音")
    qtbot.waitUntil(lambda: pane.model.ids() == ["noise"], timeout=3000)
    qtbot.waitUntil(lambda: "夜间施工许可" in pane.article_view.toPlainText(), timeout=3000)
    assert "不可用于答复" in pane.article_view.toPlainText()
    assert pane.model.index(0).data().startswith("［示例内容］夜间施工噪音")
    for button in (pane.insert_button, pane.answered_button):
        assert not button.isEnabled()
        assert "示例内容" in button.toolTip()
    assert pane.wrong_button.isEnabled()  # the operator may still flag it
    with (
        qtbot.assertNotEmitted(pane.answer_insert_requested),
        qtbot.assertNotEmitted(pane.answered_directly_requested),
    ):
        pane.insert_button.click()
        pane.answered_button.click()
        pane._insert()  # noqa: SLF001 - even a direct call (shortcut, stale click) emits nothing
        pane._answered()  # noqa: SLF001

    pane.search_box.setText("暖气不热")  # a verified article: the actions come back
    qtbot.waitUntil(lambda: pane.insert_button.isEnabled(), timeout=3000)
    assert pane.answered_button.isEnabled()
    assert pane.insert_button.toolTip() == ""
    assert "不可用于答复" not in pane.article_view.toPlainText()
