"""The local definition of serious violence: default, proxy labelling, editing, classifying."""

from __future__ import annotations

import pytest

from alliance.pool.definition import Definition, Rule, default_definition
from alliance.sources.schema import RowFlag
from tests.conftest import require_reference
from tests.pool.factories import incident_rows


@pytest.fixture(scope="module")
def default() -> Definition:
    require_reference("home_office_offence_codes.csv")
    from tests.conftest import REFERENCE

    return default_definition(REFERENCE)


def test_police_uk_violence_is_a_labelled_proxy_never_serious_violence(default: Definition):
    rows = incident_rows(1)
    out = default.classify(rows)
    assert out.loc[0, "sv_category"] == "violence_and_sexual_offences_proxy"
    assert bool(out.loc[0, "sv_proxy"]) is True
    label = default.categories["violence_and_sexual_offences_proxy"]
    assert "proxy" in label.lower()
    assert "serious violence" not in label.lower()
    assert "A&E" in default.real_measure_needs


def test_robbery_and_weapons_are_included_and_not_proxies(default: Definition):
    rows = incident_rows(3, source_category=["Robbery", "Possession of weapons", "Burglary"])
    out = default.classify(rows)
    assert out["sv_included"].tolist() == [True, True, False]
    assert out["sv_proxy"].tolist() == [False, False, False]


def test_default_is_built_from_the_home_office_codes(default: Definition):
    """Reference: home_office_offence_codes.csv, column sv_project_default."""
    by_code = {r.value: r for r in default.rules if r.match_field == "offence_code"}
    assert by_code["1"].included and by_code["1"].category == "homicide"
    assert by_code["34B"].included
    assert not by_code["105A"].included  # common assault without injury: not serious violence
    assert not by_code["4.10"].included  # corporate manslaughter
    # codes the reference could not confirm are not guessed
    assert not any(v.startswith("(") for v in by_code)


def test_offence_codes_win_over_source_categories(default: Definition):
    rows = incident_rows(2, source="police_extract", offence_code=["8N", "105A"],
                         source_category="Violence against the person")
    out = default.classify(rows)
    assert out["sv_category"].tolist() == ["violence_with_injury",
                                           "other_violence_against_the_person"]
    assert out["sv_included"].tolist() == [True, False]


def test_unknown_category_is_flagged_and_counted_never_mapped(default: Definition):
    rows = incident_rows(2, source_category=["Violence and sexual offences", "Jaywalking"])
    out = default.classify(rows)
    assert out.loc[1, "sv_category"] == "unknown"
    assert out.loc[1, "flags"] & RowFlag.UNKNOWN_CATEGORY
    assert not out.loc[0, "flags"] & RowFlag.UNKNOWN_CATEGORY


def test_round_trip_and_edit(default: Definition):
    again = Definition.from_json(default.to_json())
    assert again.rules == default.rules
    edited = Definition(name="Local v2", version=2, rules=(*default.rules[:0], Rule(
        source="police_uk_street", match_field="source_category", value="Public order",
        category="public_order", label="Public order", included=True)))
    out = edited.classify(incident_rows(1, source_category="Public order"))
    assert bool(out.loc[0, "sv_included"])


def test_bad_definitions_are_refused_clearly():
    with pytest.raises(ValueError, match="line 1"):
        Definition.from_json("{not json", origin="def.json")
    with pytest.raises(ValueError, match="match_field"):
        Rule(source="*", match_field="colour", value="x", category="c", label="c",
             included=True)
    r = Rule(source="*", match_field="offence_code", value="1", category="h", label="h",
             included=True)
    with pytest.raises(ValueError, match="two rules"):
        Definition(name="d", version=1, rules=(r, r))


def test_rows_the_definition_does_not_cover_are_not_flagged_unknown(default: Definition):
    rows = incident_rows(1, source="police_uk_stop_search", source_category="Offensive weapons")
    out = default.classify(rows)
    assert out.loc[0, "sv_category"] == "not_classified"
    assert not out.loc[0, "flags"] & RowFlag.UNKNOWN_CATEGORY


def test_a_boolean_knife_column_is_kept(default: Definition):
    rows = incident_rows(2, source="police_extract", offence_code=["8N", "10D"],
                         knife_flag=[True, False])
    rows["knife_flag"] = rows["knife_flag"].astype(bool)
    out = default.classify(rows)
    assert out["knife_flag"].tolist() == [True, False]
