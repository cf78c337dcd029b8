"""The shipped catalogue, units directory, dispatch rules and extra questions."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest

from agent_app.domain.catalogue import (
    Datatype,
    DispatchReason,
    ExtraQuestion,
    RuleKind,
    UnitKind,
    UnitRule,
    validate_answers,
)
from agent_app.domain.deadlines import UrgencyTier
from agent_app.domain.ticket import Place
from agent_app.errors import ConfigError
from agent_app.services.catalogue import Catalogue, catalogue_dir

KB = Path(__file__).resolve().parents[2] / "knowledge_base" / "catalogue"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load(KB)


def leaf(catalogue: Catalogue, level3: str):  # type: ignore[no-untyped-def]
    found = [c for c in catalogue.categories if c.level3 == level3]
    assert found, level3
    return found[0]


# --- content ----------------------------------------------------------------------------


def test_catalogue_has_several_hundred_leaves_with_keywords(catalogue: Catalogue) -> None:
    assert 300 <= len(catalogue.categories) <= 600
    assert all(c.keywords for c in catalogue.categories)
    level1 = {c.level1 for c in catalogue.categories}
    assert {"城乡建设", "公共服务", "市场管理", "社会秩序", "交通管理", "环境保护"} <= level1
    assert len({c.code for c in catalogue.categories}) == len(catalogue.categories)
    assert all(c.provenance for c in catalogue.categories)


def test_default_directory_is_the_shipped_one() -> None:
    assert catalogue_dir().resolve() == KB.resolve()


def test_tiers_follow_the_kind_of_request(catalogue: Catalogue) -> None:
    assert leaf(catalogue, "燃气泄漏").default_tier is UrgencyTier.EMERGENCY
    assert leaf(catalogue, "燃气泄漏").transfer_hint == "119"
    assert leaf(catalogue, "井盖缺失").default_tier is UrgencyTier.EMERGENCY
    assert leaf(catalogue, "暖气不热").default_tier is UrgencyTier.UTILITY
    assert leaf(catalogue, "停水").default_tier is UrgencyTier.UTILITY
    assert leaf(catalogue, "房产证办理难").default_tier is UrgencyTier.COMPLEX
    assert leaf(catalogue, "占道经营").default_tier is UrgencyTier.ORDINARY
    tiers = Counter(c.default_tier for c in catalogue.categories)
    assert tiers[UrgencyTier.ORDINARY] > tiers[UrgencyTier.COMPLEX] > 0


def test_units_directory_covers_every_township_and_district(
    catalogue: Catalogue, shared_dir: Path
) -> None:
    with (shared_dir / "data/beijing/beijing_divisions.csv").open(encoding="utf-8") as fh:
        divisions = list(csv.DictReader(fh))
    admin = [d for d in divisions if d["is_admin_township"] == "Y"]
    kinds = Counter(u.kind for u in catalogue.units.units)
    assert kinds[UnitKind.TOWNSHIP] == len(admin) == 343
    assert kinds[UnitKind.DISTRICT_GOV] == 16
    for d in admin:
        unit = catalogue.units.township(d["district_code"], d["township_code"])
        assert unit is not None
        assert unit.district == d["district_name"]
    assert catalogue.units.by_name("东华门街道办事处") is not None
    assert catalogue.units.by_name("北京热力") is catalogue.units.by_name(
        "北京市热力集团有限责任公司"
    )


def test_shipped_tipdm_rows_carry_only_taxonomy_names(catalogue: Catalogue) -> None:
    from_tipdm = [c for c in catalogue.categories if "tipdm2020" in c.source]
    assert from_tipdm
    assert all(c.source.count("/") == 3 for c in from_tipdm)  # "…taxonomy_3level.csv: L1/L2/L3"


# --- dispatch rules ---------------------------------------------------------------------


def test_township_rule_sends_a_copy_to_the_district_government(catalogue: Catalogue) -> None:
    rule_leaf = leaf(catalogue, "违建举报")
    assert rule_leaf.unit_rule.main.kind is RuleKind.TOWNSHIP
    main, co, reasons = catalogue.resolve_units(
        rule_leaf, {"district_code": "110101", "township_code": "110101001"}
    )
    assert main is not None
    assert main.name == "东华门街道办事处"
    assert co[0].name == "东城区人民政府"
    assert [r.code for r in reasons][:2] == [
        DispatchReason.TOWNSHIP_OF_PLACE,
        DispatchReason.COPY_TO_DISTRICT,
    ]


def test_township_unknown_falls_back_to_the_district_government(catalogue: Catalogue) -> None:
    main, co, reasons = catalogue.resolve_units(
        leaf(catalogue, "违建举报"), Place(district="朝阳区")
    )
    assert main is not None
    assert main.name == "朝阳区人民政府"
    assert reasons[0].code is DispatchReason.DISTRICT_FALLBACK
    assert "朝阳区人民政府" not in {u.name for u in co}


def test_township_found_by_name_and_alias(catalogue: Catalogue) -> None:
    dispatch = catalogue.resolve_units(
        leaf(catalogue, "违建举报"), {"district": "朝阳区", "township": "南磨房地区"}
    )
    assert dispatch.main_unit is not None
    assert dispatch.main_unit.township_code == "110105021"


def test_named_utility_with_district_department(catalogue: Catalogue) -> None:
    main, co, _ = catalogue.resolve_units(leaf(catalogue, "暖气不热"), {"district": "海淀区"})
    assert main is not None
    assert main.kind is UnitKind.UTILITY
    assert main.hotline == "96069"
    assert [u.name for u in co] == ["海淀区城市管理委员会"]


def test_district_department_falls_back_to_municipal_when_district_unknown(
    catalogue: Catalogue,
) -> None:
    main, co, reasons = catalogue.resolve_units(leaf(catalogue, "暖气不热"), {})
    assert main is not None
    assert main.name == "北京市热力集团有限责任公司"
    assert [u.name for u in co] == ["北京市城市管理委员会"]
    assert reasons[-1].code is DispatchReason.MUNICIPAL_FALLBACK


def test_unknown_place_gives_no_main_unit_for_local_rules(catalogue: Catalogue) -> None:
    main, _, reasons = catalogue.resolve_units(leaf(catalogue, "违建举报"), {})
    assert main is None
    assert reasons[0].code is DispatchReason.PLACE_UNKNOWN


def test_no_dispatch_categories(catalogue: Catalogue) -> None:
    main, co, reasons = catalogue.resolve_units(leaf(catalogue, "诉讼"), {"district": "东城区"})
    assert main is None
    assert co == ()
    assert reasons[0].code is DispatchReason.NO_DISPATCH
    assert reasons[0].text  # a Chinese sentence for the dispatch panel


def test_rule_parser() -> None:
    rule = UnitRule.parse("township + district_dept:城市管理委员会+dept:北京市水务局")
    assert rule.main.kind is RuleKind.TOWNSHIP
    assert [t.kind for t in rule.co] == [RuleKind.DISTRICT_DEPT, RuleKind.DEPT]
    assert str(rule) == "township+district_dept:城市管理委员会+dept:北京市水务局"
    for bad in ("", "township+", "street", "dept", "township:x", "none+township"):
        with pytest.raises(ValueError, match="term|argument|combined"):
            UnitRule.parse(bad)


# --- validation of the files ------------------------------------------------------------


def _copy_kb(tmp_path: Path) -> Path:
    target = tmp_path / "catalogue"
    shutil.copytree(KB, target)
    return target


def _edit_line(path: Path, line_no: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line_no - 1]
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def test_unknown_unit_in_a_rule_names_file_and_line(tmp_path: Path) -> None:
    kb = _copy_kb(tmp_path)
    _edit_line(kb / "categories.csv", 7, "district_dept:住房和城乡建设委员会", "dept:不存在的单位")
    with pytest.raises(ConfigError, match=r"categories.csv line 7: unit '不存在的单位'"):
        Catalogue.load(kb)


def test_bad_tier_names_file_and_line(tmp_path: Path) -> None:
    kb = _copy_kb(tmp_path)
    _edit_line(kb / "categories.csv", 3, ",ordinary,", ",urgent,")
    with pytest.raises(ConfigError, match=r"categories.csv line 3: default_tier 'urgent'"):
        Catalogue.load(kb)


def test_bad_unit_kind_names_file_and_line(tmp_path: Path) -> None:
    kb = _copy_kb(tmp_path)
    _edit_line(kb / "units.csv", 2, ",centre,", ",headquarters,")
    with pytest.raises(ConfigError, match=r"units.csv line 2: unknown kind 'headquarters'"):
        Catalogue.load(kb)


def test_missing_file_is_a_known_error(tmp_path: Path) -> None:
    kb = _copy_kb(tmp_path)
    (kb / "units.csv").unlink()
    with pytest.raises(ConfigError, match=r"units.csv is missing"):
        Catalogue.load(kb)


def test_broken_questions_json_names_the_line(tmp_path: Path) -> None:
    kb = _copy_kb(tmp_path)
    (kb / "extra_questions.json").write_text('{\n "question_sets": {,\n}', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"extra_questions.json line 2"):
        Catalogue.load(kb)


# --- extra questions --------------------------------------------------------------------


def test_heating_leaves_ask_for_the_indoor_temperature(catalogue: Catalogue) -> None:
    questions = catalogue.questions_for(leaf(catalogue, "暖气不热"))
    codes = [q.code for q in questions]
    assert codes[:2] == ["indoor_temp", "whole_building"]
    temp = questions[0]
    assert temp.datatype is Datatype.NUMBER
    assert temp.required
    assert "室内温度" in temp.description


def test_gas_leak_has_advice_and_required_questions(catalogue: Catalogue) -> None:
    questions = catalogue.questions_for(leaf(catalogue, "燃气泄漏"))
    assert not questions[0].variable  # information for the operator, no answer taken
    assert any(q.required and q.datatype is Datatype.SINGLEVALUELIST for q in questions)


def test_questions_cover_a_few_dozen_categories(catalogue: Catalogue) -> None:
    covered = [c for c in catalogue.categories if catalogue.questions_for(c)]
    assert len(covered) >= 30


def test_validate_answers_checks_required_datatype_and_options(catalogue: Catalogue) -> None:
    questions = catalogue.questions_for(leaf(catalogue, "暖气不热"))
    assert validate_answers(questions, {"indoor_temp": "16.5", "whole_building": "building"}) == []
    problems = validate_answers(
        questions,
        {"indoor_temp": "warm", "whole_building": "everything", "since": "last winter", "x": "1"},
    )
    assert problems == [
        ("indoor_temp", "not_a_number"),
        ("whole_building", "unknown_option"),
        ("since", "not_a_datetime"),
        ("x", "unknown_question"),
    ]
    assert validate_answers(questions, {}) == [
        ("indoor_temp", "required"),
        ("whole_building", "required"),
    ]
    assert validate_answers(questions, {"indoor_temp": 99, "whole_building": "home"}) == [
        ("indoor_temp", "too_large")
    ]


def test_validate_multivaluelist_and_string() -> None:
    periods = ExtraQuestion(
        "periods",
        Datatype.MULTIVALUELIST,
        "时段",
        required=True,
        values=(("day", "白天"), ("night", "夜间")),
    )
    plate = ExtraQuestion("plate", Datatype.STRING, "车牌号")
    assert validate_answers([periods, plate], {"periods": ["day", "night"], "plate": "京A1"}) == []
    assert validate_answers([periods, plate], {"periods": ["dawn"], "plate": "京A\n1"}) == [
        ("periods", "unknown_option"),
        ("plate", "line_break"),
    ]
    assert validate_answers([periods], {"periods": []}) == [("periods", "required")]


def test_demo_templates_file_tickets_under_real_catalogue_leaves():
    """Trainees see, and the suggester learns from, categories the catalogue has."""
    import json  # noqa: PLC0415

    from agent_app.paths import resources_dir  # noqa: PLC0415
    from agent_app.services.catalogue import catalogue_dir, load_categories  # noqa: PLC0415

    paths = {
        c.code: f"{c.level1}/{c.level2}/{c.level3}"
        for c in load_categories(catalogue_dir() / "categories.csv")
    }
    templates = json.loads((resources_dir() / "demo" / "templates.json").read_text("utf-8"))
    for tpl in templates["templates"]:
        assert paths.get(tpl["code"]) == tpl["category"], tpl["category"]
