"""Unit proposals learn from who handled the seat's recent tickets of the category."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_app.paths import DataPaths
from agent_app.services.catalogue import Catalogue
from agent_app.services.geo.gazetteer import Gazetteer
from agent_app.services.intake import IntakeService
from agent_app.services.seeding import seed_demo
from agent_app.services.unit_history import handled_counts
from agent_app.storage import cipher
from agent_app.storage.seat import open_database

PLACE = {
    "district": "朝阳区",
    "township": "望京街道",
    "township_code": "110105026",
    "confidence": 0.98,
}
HEATING = "02.01.001"


@pytest.fixture(scope="module")
def parts() -> tuple[Catalogue, Gazetteer]:
    return Catalogue.load(), Gazetteer.default()


def test_the_rules_main_unit_is_confirmed_by_history(parts):
    catalogue, gazetteer = parts
    plain = IntakeService(catalogue, gazetteer).propose_units(HEATING, PLACE)
    assert plain.main
    service = IntakeService(
        catalogue, gazetteer, handled={(HEATING, "朝阳区"): {plain.main: 6, "某物业公司": 1}}
    )
    proposal = service.propose_units(HEATING, PLACE)
    assert proposal.main == plain.main
    assert proposal.co == plain.co
    assert any("7件同类同区工单中6件" in r for r in proposal.reasons)


def test_the_usual_handler_is_proposed_as_co_unit_with_its_count(parts):
    catalogue, gazetteer = parts
    plain = IntakeService(catalogue, gazetteer).propose_units(HEATING, PLACE)
    usual = "朝阳区望京街道办事处"
    assert usual not in (plain.main, *plain.co)
    service = IntakeService(
        catalogue, gazetteer, handled={(HEATING, "朝阳区"): {usual: 4, plain.main: 2}}
    )
    proposal = service.propose_units(HEATING, PLACE)
    assert proposal.main == plain.main  # the rule stays in charge
    assert usual in proposal.co
    # too little history, or another district, changes nothing
    thin = IntakeService(catalogue, gazetteer, handled={(HEATING, "朝阳区"): {usual: 2}})
    assert thin.propose_units(HEATING, PLACE).co == plain.co
    other = {**PLACE, "district": "海淀区"}
    assert (
        service.propose_units(HEATING, other).co
        == IntakeService(catalogue, gazetteer).propose_units(HEATING, other).co
    )


def test_counts_come_from_the_seat_database(tmp_path: Path):
    paths = DataPaths(tmp_path / "seat").ensure()
    db = open_database(paths)
    seed_demo(db)
    db.dispose()
    counts = handled_counts(paths.database)
    conn = cipher.connect(paths.database)
    expected = conn.execute(
        "SELECT count(*) FROM tickets WHERE category_code != '' AND main_unit != '' AND status "
        "NOT IN ('MERGED_DUPLICATE','TRANSFERRED_EMERGENCY','NOT_ACCEPTED_INFORMED','ANSWERED')"
    ).fetchone()[0]
    conn.close()
    assert expected > 0
    assert sum(sum(units.values()) for units in counts.values()) == expected
