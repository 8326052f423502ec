"""DfE exclusions by reason (legacy SFR) reader; values checked against the raw CSV."""

from __future__ import annotations

import math

from alliance.sources.partners import read
from tests.conftest import require_shared
from tests.sources.partners._raw import one, raw_rows


def test_reasons_northamptonshire_county() -> None:
    """Permanent exclusions for physical assault against a pupil, Northamptonshire 2016/17."""
    path = require_shared("partners", "dfe_exclusions_legacy", "reasons.csv.gz")
    result = read(path)
    table = result.table
    raws = raw_rows(path)
    assert result.problems == ()
    assert len(table) == len(raws) * 24
    r = next(x for x in raws if x["new_la_code"] == "E10000021" and x["year"] == "201617"
             and x["school_type"] == "Total")
    row = one(table, area_code="E10000021", period="2016/17", measure="permanent_exclusions",
              breakdown="reason=Physical assault against a pupil; school_type=Total")
    assert row["value"] == float(r["perm_physical_pupils"]) == 21
    drug = one(table, area_code="E10000021", period="2016/17",
               measure="fixed_period_exclusions",
               breakdown="reason=Drug and alcohol related; school_type=Total")
    assert drug["value"] == float(r["fixed_drug_alcohol"])
    # 'x' (fewer than 5) stays suppressed
    sexual = one(table, area_code="E10000021", period="2016/17",
                 measure="permanent_exclusions",
                 breakdown="reason=Sexual misconduct; school_type=Total")
    assert r["perm_sexual_misconduct"] == "x"
    assert math.isnan(sexual["value"]) and "suppressed 'x'" in sexual["notes"]
    assert (table.loc[table["area_code"].eq("E10000021"), "area_level"] == "utla").all()
