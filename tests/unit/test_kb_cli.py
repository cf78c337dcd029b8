"""``agent-app kb import-csv`` and ``kb search`` end to end through ``agent_app.cli.main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent_app.cli import main

CSV_TEXT = (
    "留言编号,标题,答复意见\n"
    "101,供暖问题,供暖期间居民室内温度应不低于18摄氏度，暖气不热可联系供热单位。\n"
    "102,停水问题,小区计划停水会提前公告，突发停水请联系自来水公司抢修。\n"
    "103,养犬问题,在重点管理区内养犬应当办理养犬登记，携犬出户须束犬链。\n"
)


@pytest.fixture
def kb_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    src = tmp_path / "answers.csv"
    src.write_text(CSV_TEXT, encoding="utf-8")
    kb = tmp_path / "kb"
    code = main(
        [
            "kb", "import-csv", str(src), "--kb-dir", str(kb),
            "--id-column", "留言编号", "--body-column", "答复意见", "--title-column", "标题",
        ]
    )  # fmt: skip
    assert code == 0
    assert "imported 3 answers" in capsys.readouterr().out
    return kb


def test_search_text_output_marks_matches(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "search", "家里停水了", "--kb-dir", str(kb_dir), "-k", "2"]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.startswith("1. [102]")
    assert "【停水】" in out


def test_search_json(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "search", "狗要办养犬登记吗", "--kb-dir", str(kb_dir), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["ids"][0] == "103"
    assert record["hits"][0]["title"] == "养犬问题"


def test_batch_one_line_per_query_in_order(
    kb_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "queries.txt"
    batch.write_text("暖气不热室温低\n\n突发停水\n", encoding="utf-8")
    code = main(
        ["kb", "search", "--batch", str(batch), "-k", "1", "--json", "--kb-dir", str(kb_dir)]
    )
    assert code == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert lines == [{"ids": ["101"]}, {"ids": []}, {"ids": ["102"]}]


def test_missing_column_is_one_line_and_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "a.csv"
    src.write_text("id,text\n1,hello\n", encoding="utf-8")
    code = main(
        ["kb", "import-csv", str(src), "--kb-dir", str(tmp_path / "kb"),
         "--id-column", "id", "--body-column", "body"]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code != 0
    assert len(err.strip().splitlines()) == 1
    assert "no column 'body'" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["kb", "search", "x", "--kb-dir", "/nonexistent/kb"],
        ["kb", "search", "--kb-dir", "."],
        ["kb", "import-csv", "/nonexistent.csv", "--kb-dir", "kb", "--id-column", "a",
         "--body-column", "b"],
    ],
)  # fmt: skip
def test_bad_input_is_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) != 0
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_missing_batch_file(kb_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["kb", "search", "--batch", "/nonexistent.txt", "--kb-dir", str(kb_dir), "--json"])
    assert code != 0
    assert "does not exist" in capsys.readouterr().err


def test_shipped_knowledge_base_answers_heating(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "search", "暖气不热屋里太冷了", "--json", "-k", "3"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["hits"], "the shipped knowledge base should answer a heating complaint"
    assert any("供暖" in h["title"] or "暖气" in h["title"] for h in record["hits"])
    assert (data_dir / "kb_index.sqlite3").is_file()
