"""English locale: the shipped translator turns the real window's strings into English, and
every string marked for translation in the code has an English translation in en.ts/en.qm.
Chinese locale: Qt's own strings (dialog buttons, text-field context menus) are Chinese."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

from agent_app import i18n
from agent_app.domain.intake import AnswerProblem, Problem, ProblemCode
from agent_app.domain.lifecycle import STATUS_NAMES, Status
from agent_app.domain.roles import Role
from agent_app.domain.ticket import (
    CHANNEL_NAMES,
    EMERGENCY_LINES,
    NOT_ACCEPTED_CHANNELS,
    OUTCOME_NAMES,
    REQUEST_TYPE_NAMES,
    URGENCY_NAMES,
    Outcome,
)
from agent_app.paths import resources_dir
from agent_app.ui import domain_names
from agent_app.ui.domain_names import problem
from agent_app.ui.main_window import MainWindow
from agent_app.ui.panes import tr  # QCoreApplication.translate("panes", ...)
from agent_app.ui.sync_status import SyncStatus
from tests.helpers.window import close_window, make_context

REPO = Path(__file__).resolve().parents[2]
TS = resources_dir() / "i18n" / "en.ts"
QM = resources_dir() / "i18n" / "en.qm"
FIX = (
    "add them to resources/i18n/en_glossary.tsv (source<TAB>English), then run `make i18n` "
    "and commit en_glossary.tsv, en.ts and en.qm"
)


def _tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (it comes with PySide6)")
    return found


@pytest.fixture
def english(qapp):
    translators = i18n.install(qapp, "en")
    loaded = {Path(t.filePath()).resolve() for t in translators}
    assert QM.resolve() in loaded, f"{QM} is missing or unreadable: run `make i18n`"
    yield translators
    for translator in translators:
        qapp.removeTranslator(translator)


@pytest.fixture
def chinese(qapp):
    translators = i18n.install(qapp, "zh_CN")
    yield translators
    for translator in translators:
        qapp.removeTranslator(translator)


def test_chinese_loads_qts_own_translations(chinese, qtbot):
    """OK/Cancel and the text-field context menu come from Qt's qtbase_zh_CN.qm."""
    assert [Path(t.filePath()).name for t in chinese] == ["qtbase_zh_CN.qm"]
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "确定"
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    field = QLineEdit("文本")
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    texts = [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()]
    menu.deleteLater()
    for expected in ("撤消(&U)", "剪切(&T)", "复制(&C)", "粘贴(&P)", "全选"):
        assert expected in texts, texts
    # the app's own strings are the Chinese sources: no English catalogue is loaded
    assert QCoreApplication.translate("panes", "地图") == "地图"


def test_english_keeps_qts_own_strings_english(english):
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


@pytest.fixture
def window(english, qtbot, tmp_path):
    win = MainWindow(make_context(tmp_path, role=Role.OPERATOR, demo=True))
    qtbot.addWidget(win)
    yield win
    close_window(win)


def test_form_dispatch_panel_and_sync_status_are_english(window):
    assert window.dispatch.title() == "Dispatch"
    assert window.dispatch.dispatch_button.text() == "Dispatch (Ctrl+Enter)"
    assert window.form.call_status.text() == "Idle: Ctrl+N for a new call"
    assert window.form.phone.placeholderText().startswith("Caller number, e.g. 138")
    status = SyncStatus("demo")
    assert status.text() == "Demo mode: no sync"


def test_strings_lupdate_files_under_another_context_are_english(english):
    assert tr("地图") == "Map"
    wiring_text = QCoreApplication.translate("MainWindow", "同步未启动：{error}")  # wiring.py
    assert wiring_text == "Sync not started: {error}"


def test_main_window_toolbar_and_status_bar_are_english(window):
    assert window.new_call_action.text() == "New call"
    assert window.dispatch_action.text() == "Dispatch"
    assert window.save_action.text() == "Save"
    assert window.sync_label.text() == "Demo mode: no sync"
    assert window.role_label.text() == "Role: Operator"
    assert window.windowTitle().startswith("12345 “Handle on Receipt” Workstation [DEMO MODE")
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus[:3] == ["&File", "&Ticket", "&Help"]
    tabs = [window.side.tabText(i) for i in range(window.side.count())]
    assert tabs[window.side.indexOf(window.today)].startswith("Today's tickets")
    assert tabs[window.side.indexOf(window.search_page)] == "Ticket search"
    assert window.tickets.headerData(0, Qt.Orientation.Horizontal) == "Ticket no."
    channels = [window.form.channel.itemText(i) for i in range(window.form.channel.count())]
    assert channels[0] == "Phone"
    assert "Ordinary (7 days)" in [
        window.form.urgency.itemText(i) for i in range(window.form.urgency.count())
    ]


def test_domain_names_are_listed_for_lupdate_and_shown_in_english(english):
    """Every Chinese name the domain tables hold is a QT_TRANSLATE_NOOP literal in
    agent_app/ui/domain_names.py (so lupdate extracts it) and comes out in English."""
    tables = (
        CHANNEL_NAMES,
        REQUEST_TYPE_NAMES,
        OUTCOME_NAMES,
        EMERGENCY_LINES,
        NOT_ACCEPTED_CHANNELS,
        URGENCY_NAMES,
        STATUS_NAMES,
        domain_names.ROLE_NAMES,
    )
    names = {name for table in tables for name in table.values()}
    listed = set(domain_names.LITERALS)
    assert names - listed == set(), "add these to domain_names.LITERALS"
    untranslated = sorted(n for n in names if domain_names.name(n) == n and n != "App")
    assert not untranslated, f"{FIX}: {untranslated}"
    assert domain_names.status(Status.DISPATCHED) == "Dispatched"
    assert domain_names.outcome(Outcome.MERGED) == "Merge"
    assert domain_names.emergency_line("120") == "ambulance"
    assert domain_names.status("no-such-status") == "no-such-status"


# parameters that every code's sentence may need (labels in ASCII: catalogue labels are
# shown as they are)
_PARAMS = {"max": 64, "min": 5, "label": "Floor", "answer": "not_a_number"}


def _every_problem():
    problems = [Problem("field", code, _PARAMS) for code in ProblemCode]
    problems += [
        Problem("q:floor", ProblemCode.ANSWER_INVALID, _PARAMS, answer=answer)
        for answer in AnswerProblem
    ]
    return problems


def test_validation_problems_are_chinese_sentences(qapp):
    """Without a translator every problem code is a whole Chinese sentence."""
    for p in _every_problem():
        text = problem(p)
        assert text, p
        assert "{" not in text, (p, text)
        assert "}" not in text, (p, text)
        assert re.search("[\u4e00-\u9fff]", text), (p, text)


def test_validation_problems_are_english(english):
    """The domain's problem codes (agent_app/domain/intake.py) are shown in English through
    agent_app/ui/domain_names.problem()."""
    shown = {p: problem(p) for p in _every_problem()}
    chinese = {p: e for p, e in shown.items() if re.search("[\u4e00-\u9fff]", e) or "{" in e}
    assert not chinese, f"{FIX}: {chinese}"
    assert problem(Problem("caller_name", ProblemCode.NAME_TOO_LONG, max=64)) == (
        "The name can have at most 64 characters"
    )
    assert problem(Problem("q:floor", ProblemCode.ANSWER_REQUIRED, label="楼层")) == (
        "More details “楼层”: required"
    )
    assert (
        problem(Problem("q:floor", ProblemCode.ANSWER_INVALID, label="楼层", answer="too_large"))
        == "More details “楼层”: too large"
    )


def _unfinished(ts: Path) -> list[str]:
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type") if translation is not None else "unfinished"
            if kind in ("obsolete", "vanished"):
                continue
            forms = (
                []
                if translation is None
                else ([f.text for f in translation.iter("numerusform")] or [translation.text])
            )
            if kind == "unfinished" or not all((f or "").strip() for f in forms):
                loc = message.find("location")
                where = "?" if loc is None else f"{loc.get('filename', '')}:{loc.get('line')}"
                where = where.replace("../../", "")
                missing.append(f"{where} [{name}] {message.findtext('source')!r}")
    return missing


def test_every_message_in_en_ts_is_translated():
    missing = _unfinished(TS)
    assert not missing, f"{len(missing)} untranslated in {TS.name}: {FIX}:\n" + "\n".join(missing)


def test_every_string_in_the_code_is_in_en_ts_and_translated(tmp_path):
    """lupdate the current sources into a copy of en.ts: new strings come in unfinished."""
    listed = subprocess.run(
        ["git", "ls-files", "agent_app/*.py"], cwd=REPO, capture_output=True, text=True
    )
    sources = listed.stdout.split() if listed.returncode == 0 else []
    if not sources:
        sources = [str(p.relative_to(REPO)) for p in sorted((REPO / "agent_app").rglob("*.py"))]
    copy = tmp_path / "i18n" / "en.ts"
    copy.parent.mkdir()
    shutil.copy(TS, copy)
    subprocess.run(
        [_tool("pyside6-lupdate"), "-silent", "-no-obsolete", *sources, "-ts", str(copy)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    missing = _unfinished(copy)
    assert not missing, (
        f"{len(missing)} string(s) in the code have no English translation: {FIX}:\n"
        + "\n".join(missing)
    )


def test_en_qm_is_compiled_from_en_ts(tmp_path):
    fresh = tmp_path / "en.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), "-silent", str(TS), "-qm", str(fresh)],
        check=True,
        capture_output=True,
    )
    assert fresh.read_bytes() == QM.read_bytes(), "en.qm is out of date with en.ts: run `make i18n`"
