"""Every item model the window shows passes Qt's model tester, filled with plain data."""

from __future__ import annotations

from datetime import UTC, datetime

from agent_app.services.kb_flags import KbFlag
from agent_app.ui.category_picker import CategoryHit, HitListModel
from agent_app.ui.kb_flags_view import KbFlagsModel
from agent_app.ui.transcript_strip import SegmentListModel


def test_category_hits_model(qtmodeltester):
    model = HitListModel()
    qtmodeltester.check(model)
    model.set_hits(
        [
            CategoryHit("02.01.001", "暖气不热", "公共服务 / 供暖 / 暖气不热", "keyword"),
            CategoryHit("02.01.002", "室温不达标", "公共服务 / 供暖 / 室温不达标", "pinyin"),
        ]
    )
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.data(model.index(0, 0), 256) == "02.01.001"  # UserRole: the code


def test_kb_flags_model(qtmodeltester):
    model = KbFlagsModel()
    qtmodeltester.check(model)
    at = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
    model.set_rows(
        [
            KbFlag(1, "wrong", "heating-cold", "口径过时", "S01", "op1", at, False),
            KbFlag(2, "missing", "", "没有居住证续签条目", "S02", "op2", at, True),
        ],
        {"heating-cold": "供暖期室温不达标"},
    )
    qtmodeltester.check(model)
    assert model.rowCount() == 2


def test_transcript_segments_model(qtmodeltester):
    model = SegmentListModel()
    qtmodeltester.check(model)
    model.append({"start": 0.5, "end": 2.0, "text": "喂 你好"})
    model.append({"start": 3.0, "end": 5.5, "text": "家里 暖气 不热"})
    qtmodeltester.check(model)
    assert model.rowCount() == 2
