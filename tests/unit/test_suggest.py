"""Category suggester, cold start, request type, unit proposals and the suggest CLI."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pytest
from sklearn.naive_bayes import ComplementNB

from agent_app.cli import main
from agent_app.domain.lifecycle import Status
from agent_app.domain.ticket import Ticket
from agent_app.domain.timeutil import SHANGHAI
from agent_app.errors import KnownError
from agent_app.paths import DataPaths
from agent_app.services.catalogue import Catalogue
from agent_app.services.geo.gazetteer import Gazetteer
from agent_app.services.intake import IntakeService
from agent_app.services.suggest import retrain, versions
from agent_app.services.suggest.coldstart import CatalogueRecord, ColdStartSuggester
from agent_app.services.suggest.features import FeatureConfig, FieldVectorizer
from agent_app.services.suggest.model import (
    META_FILE,
    CategorySuggester,
    TrainConfig,
    blend,
    train_from_records,
)
from agent_app.services.suggest.request_type import RequestTypeSuggester
from agent_app.services.suggest.retrain import (
    TICKET_COLUMNS,
    catalogue_records,
    model_root,
    read_finished_tickets,
    retrain_from_db,
    ticket_text,
)
from agent_app.services.suggest.units import (
    DispatchRuleRecord,
    HandledRecord,
    PlaceRecord,
    propose_units,
)
from agent_app.services.suggest.versions import CURRENT_FILE, current_model_dir
from agent_app.storage import repository as repo
from agent_app.storage.models import TicketRow
from agent_app.storage.seat import open_database

TRAIN = [
    ("小区供暖不热", "家里暖气温度只有十五度，物业不管", "城乡建设"),
    ("暖气不热", "供暖季开始了暖气一直不热", "城乡建设"),
    ("楼道堆放杂物", "物业不清理楼道杂物，消防隐患", "城乡建设"),
    ("公交车晚点", "公交车经常晚点四十分钟，建议增加班次", "交通运输"),
    ("出租车绕路", "出租车司机故意绕路多收费", "交通运输"),
    ("路口红绿灯坏了", "交通信号灯不亮，路口车辆混乱", "交通运输"),
    ("拖欠工资", "公司拖欠工人三个月工资不发", "劳动和社会保障"),
    ("养老保险缴纳", "灵活就业人员怎么缴纳养老保险", "劳动和社会保障"),
    ("社保转移", "社保关系转移到外地怎么办理", "劳动和社会保障"),
]


def _train_csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["subject", "body", "label"])
        writer.writerows(TRAIN)
    return path


def test_model_ranks_the_right_category_and_round_trips(tmp_path: Path) -> None:
    texts = [(s, b) for s, b, _ in TRAIN]
    labels = [lab for *_, lab in TRAIN]
    model = train_from_records(texts, labels, tmp_path / "m")
    loaded = CategorySuggester.load(tmp_path / "m")
    ranking = loaded.predict([("暖气片不热", "我家暖气温度太低")], top=2)[0]
    assert ranking[0][0] == "城乡建设"
    assert len(ranking) == 2
    assert ranking[0][1] >= ranking[1][1]
    assert loaded.predict_one("公司不发工资")[0][0] == "劳动和社会保障"
    assert loaded.labels == model.labels
    meta = json.loads((tmp_path / "m" / META_FILE).read_text(encoding="utf-8"))
    assert meta["training_size"] == len(TRAIN)
    assert meta["format_version"] == 1
    assert set(meta["labels"]) == set(labels)


def test_priors_teach_a_label_no_ticket_has_yet(tmp_path: Path) -> None:
    texts = [(s, b) for s, b, _ in TRAIN]
    labels = [lab for *_, lab in TRAIN]
    priors = [("环境保护", "大气污染 水污染 噪音污染 河道排污 偷排污水")]
    model = train_from_records(texts, labels, priors=priors, config=TrainConfig(prior_weight=3))
    assert model.predict_one("工厂偷排污水，河道发黑")[0][0] == "环境保护"
    limited = train_from_records(texts, labels, priors=priors, priors_known_labels_only=True)
    assert "环境保护" not in limited.labels


def test_loading_another_format_version_asks_to_retrain(tmp_path: Path) -> None:
    train_from_records(["a b", "c d"], ["x", "y"], tmp_path)
    meta_path = tmp_path / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["format_version"] = 99
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(KnownError, match="retrain"):
        CategorySuggester.load(tmp_path)
    with pytest.raises(KnownError, match="meta.json"):
        CategorySuggester.load(tmp_path / "nowhere")


def test_cold_start_scores_catalogue_keywords() -> None:
    records: list[CatalogueRecord | tuple[str, tuple[str, ...], tuple[str, ...]]] = [
        CatalogueRecord("0101", ("城乡建设", "供热", "供暖不热"), ("暖气", "室温")),
        CatalogueRecord("0201", ("交通运输", "公共交通", "公交运营"), ("公交车", "晚点")),
        ("0301", ("环境保护", "噪声", "施工噪声"), ("夜间施工", "打桩")),
    ]
    cold = ColdStartSuggester(records)
    assert cold.predict("我家暖气不热，室温十五度")[0][0] == "0101"
    assert cold.predict("工地夜间施工打桩吵得睡不着")[0][0] == "0301"
    assert cold.predict("今天天气很好") == []
    level1 = dict(cold.priors(level=1))
    assert "公交车" in level1["交通运输"]


def test_blend_renormalises() -> None:
    mixed = blend([([("a", 0.8), ("b", 0.2)], 0.5), ([("b", 1.0)], 0.5)], top=2)
    assert [label for label, _ in mixed] == ["b", "a"]
    assert abs(sum(score for _, score in mixed) - 1.0) < 1e-9


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我想咨询一下养老保险怎么办理", "咨询"),
        ("举报有人在小区里私搭乱建", "举报"),
        ("我要投诉楼下饭店油烟扰民", "投诉"),
        ("建议在路口增设红绿灯", "建议"),
        ("家里老人走失了，请帮忙求助", "求助"),
    ],
)
def test_request_type_follows_the_callers_words(text: str, expected: str) -> None:
    best = RequestTypeSuggester().suggest(text)[0]
    assert best.value == expected
    assert best.cues


def test_request_type_without_cues_falls_back_to_the_prior() -> None:
    best = RequestTypeSuggester().suggest("嗯嗯好的")[0]
    assert best.value == "咨询"
    assert "未发现" in best.reason


def test_territorial_rule_uses_the_township_only_when_confident() -> None:
    rule = DispatchRuleRecord(
        "0101", "供暖不热", territorial=True, co_units=("{district}城市管理委员会",)
    )
    sure = PlaceRecord("朝阳区", "望京街道", "朝阳区人民政府", "望京街道办事处", confidence=0.9)
    unsure = PlaceRecord("朝阳区", "望京街道", "朝阳区人民政府", "望京街道办事处", confidence=0.3)
    got = propose_units(rule, sure)
    assert (got[0].unit, got[0].role) == ("望京街道办事处", "main")
    assert "属地" in got[0].reason
    assert got[1].unit == "朝阳区城市管理委员会"
    assert got[1].role == "co"
    fallback = propose_units(rule, unsure)
    assert fallback[0].unit == "朝阳区人民政府"
    assert "兜底" in fallback[0].reason


def test_history_adds_the_unit_that_handled_similar_tickets() -> None:
    rule = DispatchRuleRecord("0201", "公交运营", territorial=False, main_unit="市交通委")
    history = [HandledRecord("0201", "公交集团", "海淀区")] * 4 + [
        HandledRecord("0201", "市交通委", "海淀区")
    ]
    got = propose_units(rule, PlaceRecord(district="海淀区"), history)
    assert got[0].unit == "市交通委"
    assert got[0].role == "main"
    co = {p.unit: p for p in got[1:]}
    assert co["公交集团"].role == "co"
    assert "4件由该单位办理" in co["公交集团"].reason
    assert propose_units(None, None) == []


def test_cli_train_and_predict_print_one_line_per_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _train_csv(tmp_path / "train.csv")
    model_dir = tmp_path / "model"
    args = ["suggest", "train", "--csv", str(data), "--text-columns", "subject,body"]
    assert main([*args, "--label-column", "label", "--model-out", str(model_dir)]) == 0
    capsys.readouterr()
    query = tmp_path / "q.csv"
    query.write_text("subject,body\n暖气不热,室温太低\n公交晚点,等车四十分钟\n", encoding="utf-8")
    code = main(
        ["suggest", "predict", "--model", str(model_dir), "--csv", str(query)]
        + ["--text-columns", "subject,body", "--top", "2", "--json"]
    )
    assert code == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 2
    assert lines[0]["labels"][0] == "城乡建设"
    assert lines[1]["labels"][0] == "交通运输"
    assert len(lines[0]["scores"]) == 2


def test_cli_bad_column_or_missing_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _train_csv(tmp_path / "train.csv")
    code = main(
        ["suggest", "train", "--csv", str(data), "--text-columns", "nope"]
        + ["--label-column", "label", "--model-out", str(tmp_path / "m")]
    )
    err = capsys.readouterr().err
    assert code != 0
    assert "nope" in err
    assert len(err.strip().splitlines()) == 1
    code = main(
        ["suggest", "predict", "--model", str(tmp_path / "absent"), "--csv", str(data)]
        + ["--text-columns", "subject", "--json"]
    )
    err = capsys.readouterr().err
    assert code != 0
    assert "absent" in err
    assert len(err.strip().splitlines()) == 1


def test_importing_the_cli_module_stays_light() -> None:
    code = (
        "import sys, agent_app.cli.suggest, agent_app.services.suggest.model, "
        "agent_app.services.suggest.related\n"
        "print(','.join(m for m in ('sklearn', 'numpy', 'jieba', 'rapidfuzz', 'scipy') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_single_ticket_path_gives_the_batch_scores(tmp_path: Path) -> None:
    texts = [(s, b) for s, b, _ in TRAIN]
    labels = [lab for *_, lab in TRAIN]
    queries = [("暖气片不热", "我家暖气温度太低"), "公司不发工资", "", ("", "")]
    for classifier in ("cnb", "svc"):
        train_from_records(
            texts, labels, tmp_path / classifier, config=TrainConfig(classifier=classifier)
        )
        model = CategorySuggester.load(tmp_path / classifier)
        one_by_one = np.vstack([model.probabilities([q]) for q in queries])
        batch = model.probabilities(queries * 10)[: len(queries)]  # above FAST_ROWS: batch path
        assert np.allclose(one_by_one, batch, atol=1e-6)
        assert np.allclose(one_by_one.sum(axis=1), 1.0)


# --- retraining from the seat database and versioned model directories -------------------

RETRAIN_TOPICS = {
    # category code of the shipped catalogue -> (words of its tickets)
    "heating": ("暖气不热", "室温只有十五度", "供暖", "暖气片冰凉", "热力公司"),
    "bus": ("公交车", "晚点", "班次太少", "等车", "公交站"),
    "wages": ("拖欠工资", "老板不发工资", "三个月工资", "农民工", "讨薪"),
}


def _catalogue_codes() -> dict[str, str]:
    """A real catalogue code for each retraining topic (found by its cold-start words)."""
    cold = ColdStartSuggester(catalogue_records())
    return {topic: cold.predict(" ".join(words))[0][0] for topic, words in RETRAIN_TOPICS.items()}


def _seat_with_tickets(
    root: Path, codes: dict[str, str], per_topic: int, *, extra: bool = True
) -> Any:
    paths = DataPaths(root)
    db = open_database(paths)
    t0 = datetime(2026, 11, 1, 9, 0, tzinfo=SHANGHAI)
    n = 0

    def ticket(code: str, text: str, status: Status, **kw: Any) -> Ticket:
        nonlocal n
        n += 1
        at = t0 + timedelta(minutes=n)
        return Ticket(
            id=Ticket.new_id(),
            number=f"20261101-S01-{n:04d}",
            created_at=at,
            updated_at=at,
            seat="S01",
            operator_id="op1",
            category_code=code,
            description=text,
            status=status,
            **kw,
        )

    with db.write() as s:
        for topic, words in RETRAIN_TOPICS.items():
            for i in range(per_topic):
                text = f"来电人反映{words[i % 5]}，{words[(i + 2) % 5]}，希望尽快处理"
                status = Status.CLOSED if i % 2 else Status.ANSWERED
                repo.save_ticket(s, ticket(codes[topic], text, status), outbox=False)
        if extra:
            word = RETRAIN_TOPICS["heating"][0]
            # none of these may be learned from
            repo.save_ticket(s, ticket(codes["bus"], word, Status.DISPATCHED), outbox=False)
            repo.save_ticket(
                s, ticket(codes["bus"], word, Status.CLOSED, is_demo=True), outbox=False
            )
            repo.save_ticket(s, ticket("", word, Status.CLOSED), outbox=False)
            repo.save_ticket(s, ticket("99.99.999", word, Status.CLOSED), outbox=False)
    db.dispose()
    return paths


def test_finished_tickets_are_read_with_the_forms_text_and_nothing_else(tmp_path: Path) -> None:
    assert set(TICKET_COLUMNS) <= set(TicketRow.__table__.columns.keys())
    codes = {"heating": "A", "bus": "B", "wages": "C"}
    paths = _seat_with_tickets(tmp_path / "seat", codes, per_topic=2)
    rows = read_finished_tickets(paths.database)
    assert len(rows) == 6 + 1  # six finished + the one with an unknown code; not open/demo/blank
    assert {code for _, code in rows} == {"A", "B", "C", "99.99.999"}
    assert rows[0][1] == "99.99.999"  # newest first
    with_demo = read_finished_tickets(paths.database, include_demo=True)
    assert len(with_demo) == len(rows) + 1
    assert read_finished_tickets(tmp_path / "absent.sqlite3") == []


def test_ticket_text_is_description_then_notes() -> None:
    assert ticket_text("暖气不热", "已告知热力公司") == "暖气不热\n已告知热力公司"
    assert ticket_text("暖气不热", "") == "暖气不热"


def test_too_few_tickets_train_nothing_and_keep_the_cold_start(tmp_path: Path) -> None:
    codes = _catalogue_codes()
    paths = _seat_with_tickets(tmp_path / "seat", codes, per_topic=3)
    report = retrain_from_db(paths, min_tickets=10)
    assert not report.trained
    assert report.reason == "too_few_tickets"
    assert report.tickets == 9
    assert report.skipped_unknown == 1
    assert report.model_dir is None
    assert not model_root(paths).exists() or not any(model_root(paths).iterdir())
    assert "need 10" in report.summary()


def test_retraining_writes_a_new_current_version_the_form_loads(tmp_path: Path) -> None:
    codes = _catalogue_codes()
    assert len(set(codes.values())) == 3
    paths = _seat_with_tickets(tmp_path / "seat", codes, per_topic=8)
    now = datetime(2026, 11, 22, 1, 30, tzinfo=UTC)
    report = retrain_from_db(paths, min_tickets=20, now=now)
    assert report.trained
    assert report.version == "20261122T013000Z"
    assert report.tickets == 24
    assert report.labels == 3
    assert report.skipped_unknown == 1
    root = model_root(paths)
    assert (root / CURRENT_FILE).read_text(encoding="utf-8").strip() == report.version
    assert current_model_dir(root) == report.model_dir == root / report.version
    meta = json.loads((root / report.version / META_FILE).read_text(encoding="utf-8"))
    assert meta["training_size"] == 24
    assert meta["source"] == "seat_db"
    assert meta["prior_size"] > 100  # every catalogue category can still be proposed
    model = CategorySuggester.load(current_model_dir(root))  # type: ignore[arg-type]
    assert model.predict_one("老板拖欠我们三个月工资不发")[0][0] == codes["wages"]
    assert model.predict_one("公交车晚点，班次太少")[0][0] == codes["bus"]


def test_versions_keep_the_last_few_and_never_drop_the_current(tmp_path: Path) -> None:
    root = tmp_path / "category"
    t0 = datetime(2026, 1, 1, tzinfo=UTC)

    def write(directory: Path) -> None:
        directory.mkdir(parents=True)
        (directory / "meta.json").write_text("{}", encoding="utf-8")

    made = [versions.publish(root, write, now=t0 + timedelta(days=i), keep=3) for i in range(5)]
    assert versions.list_versions(root) == [p.name for p in made[2:]]
    assert versions.current_model_dir(root) == made[-1]
    same_second = versions.publish(root, write, now=t0 + timedelta(days=4), keep=3)
    assert same_second.name == made[-1].name + "-2"
    assert versions.list_versions(root) == [made[3].name, made[4].name, same_second.name]
    # roll back by hand, then prune: the current (oldest) version survives
    (root / versions.CURRENT_FILE).write_text(made[3].name, encoding="utf-8")
    versions.prune(root, keep=1)
    assert versions.list_versions(root) == [made[3].name, same_second.name]
    assert versions.current_model_dir(root) == made[3]


def test_current_model_dir_falls_back_to_the_flat_layout_then_the_newest(tmp_path: Path) -> None:
    root = tmp_path / "category"
    assert versions.current_model_dir(None) is None
    assert versions.current_model_dir(root) is None
    root.mkdir()
    (root / "meta.json").write_text("{}", encoding="utf-8")
    assert versions.current_model_dir(root) == root  # `suggest train --model-out <root>`
    for name in ("20260101T000000Z", "20260201T000000Z"):
        (root / name).mkdir()
        (root / name / "meta.json").write_text("{}", encoding="utf-8")
    (root / "20260301T000000Z").mkdir()  # incomplete: no meta.json
    (root / versions.CURRENT_FILE).write_text("20260101T000000Z\n", encoding="utf-8")
    assert versions.current_model_dir(root) == root / "20260101T000000Z"
    (root / versions.CURRENT_FILE).write_text("../elsewhere", encoding="utf-8")
    assert versions.current_model_dir(root) == root  # damaged pointer: flat model first
    (root / "meta.json").unlink()
    assert versions.current_model_dir(root) == root / "20260201T000000Z"


def test_retrain_if_due_waits_for_the_interval_and_a_second_run_is_refused(
    tmp_path: Path,
) -> None:
    records = [
        CatalogueRecord("A", ("城乡建设", "供热", "暖气不热"), ("暖气",)),
        CatalogueRecord("B", ("交通运输", "公交", "公交晚点"), ("公交车",)),
        CatalogueRecord("C", ("劳动", "工资", "拖欠工资"), ("工资",)),
    ]
    codes = {"heating": "A", "bus": "B", "wages": "C"}
    paths = _seat_with_tickets(tmp_path / "seat", codes, per_topic=4, extra=False)
    t0 = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)
    first = retrain.retrain_if_due(paths, catalogue=records, min_tickets=5, now=t0)
    assert first.trained
    later = retrain.retrain_if_due(
        paths, catalogue=records, min_tickets=5, now=t0 + timedelta(days=6)
    )
    assert later.reason == "not_due"
    assert later.model_dir == first.model_dir
    due = retrain.retrain_if_due(
        paths, catalogue=records, min_tickets=5, now=t0 + timedelta(days=8)
    )
    assert due.trained
    assert due.version != first.version
    assert retrain._busy.acquire(blocking=False)  # noqa: SLF001 - as if a run were going on
    try:
        busy = retrain.retrain_from_db(paths, catalogue=records, min_tickets=5)
    finally:
        retrain._busy.release()  # noqa: SLF001
    assert busy.reason == "busy"
    assert not busy.trained


def test_cli_trains_from_the_seat_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    codes = _catalogue_codes()
    paths = _seat_with_tickets(tmp_path / "seat", codes, per_topic=5)
    args = ["suggest", "train", "--from-db", "--data-dir", str(paths.root), "--json"]
    assert main([*args, "--min-tickets", "100"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["trained"] is False
    assert out["reason"] == "too_few_tickets"
    assert main([*args, "--min-tickets", "15"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["trained"] is True
    assert out["tickets"] == 15
    assert Path(out["model_dir"]).parent == paths.models / "category"
    assert (Path(out["model_dir"]) / META_FILE).is_file()


def test_cli_train_sources_are_checked_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["suggest", "train", "--from-db", "--data-dir", str(tmp_path / "none")])
    err = capsys.readouterr().err
    assert code != 0
    assert "No seat database" in err
    assert len(err.strip().splitlines()) == 1
    data = _train_csv(tmp_path / "train.csv")
    code = main(["suggest", "train", "--csv", str(data), "--text-columns", "subject"])
    err = capsys.readouterr().err
    assert code != 0
    assert "--label-column" in err
    assert "--model-out" in err
    assert len(err.strip().splitlines()) == 1
    code = main(
        ["suggest", "train", "--from-db", "--model-out", str(tmp_path / "m")]
        + ["--data-dir", str(tmp_path)]
    )
    err = capsys.readouterr().err
    assert code != 0
    assert "--model-out" in err


def test_the_intake_service_uses_the_current_version_when_given_it(tmp_path: Path) -> None:
    codes = _catalogue_codes()
    paths = _seat_with_tickets(tmp_path / "seat", codes, per_topic=5, extra=False)
    report = retrain_from_db(paths, min_tickets=15)
    assert report.trained
    service = IntakeService(
        Catalogue.load(), Gazetteer.default(), model_dir=current_model_dir(model_root(paths))
    )
    assert service.model_version == f"model:{report.version}"
    chips = service.category_chips("老板拖欠我们三个月工资不发")
    assert chips[0].value == codes["wages"]


def test_saved_models_keep_only_float32_log_probabilities_and_rank_the_same(
    tmp_path: Path,
) -> None:
    texts = [(s, b) for s, b, _ in TRAIN]
    labels = [lab for *_, lab in TRAIN]
    train_from_records(texts, labels, tmp_path / "m")
    clf = joblib.load(tmp_path / "m" / "model.joblib")["classifier"]
    assert clf.feature_log_prob_.dtype == np.float32
    assert not hasattr(clf, "feature_count_")
    # the same fit without slimming gives the same scores
    vec = FieldVectorizer(FeatureConfig(), 2).fit(texts)
    full = ComplementNB(alpha=TrainConfig().alpha).fit(vec.transform(texts), labels)
    queries = [("暖气片不热", "我家暖气温度太低"), "公司不发工资", ("公交", "晚点")]
    model = CategorySuggester.load(tmp_path / "m")
    assert np.allclose(
        model.probabilities(queries), full.predict_proba(vec.transform(queries)), atol=1e-5
    )


def test_unlabelled_texts_shape_the_vocabulary_but_add_no_labels(tmp_path: Path) -> None:
    texts = [("暖气不热", "室温低"), ("公交晚点", "等车很久")]
    labels = ["城乡建设", "交通运输"]
    unlabelled = [("供暖管道漏水", "楼道积水"), ("地铁换乘拥挤", "早高峰")]
    plain = train_from_records(texts, labels)
    shaped = train_from_records(texts, labels, tmp_path / "m", unlabelled=unlabelled)
    assert shaped.labels == plain.labels
    assert shaped.meta["unlabelled_size"] == 2
    assert shaped.meta["n_features"] > plain.meta["n_features"]
    reloaded = CategorySuggester.load(tmp_path / "m")
    assert reloaded.predict_one(("暖气", "室温"))[0][0] == "城乡建设"


def test_cli_reads_unlabelled_csv_with_the_same_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _train_csv(tmp_path / "train.csv")
    unl = tmp_path / "unl.csv"
    unl.write_text("subject,body\n小区停车难,车位不够\n,\n", encoding="utf-8")
    args = ["suggest", "train", "--csv", str(data), "--text-columns", "subject,body"]
    args += ["--label-column", "label", "--model-out", str(tmp_path / "m")]
    assert main([*args, "--unlabelled-csv", str(unl), "--json"]) == 0
    meta = json.loads(capsys.readouterr().out)
    assert meta["unlabelled_size"] == 1
