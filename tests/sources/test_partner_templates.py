"""The template CSVs in docs/partner-files/ load as a partner would send them: the suggested
mapping maps them, every row validates, and each source's scheme counts them."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance.pool import measures
from alliance.sources.partner_extract import map_extract
from alliance.sources.partner_fields import suggest_mapping
from tests.conftest import require_reference

TEMPLATES = Path(__file__).parents[2] / "docs" / "partner-files"
EXPECTED = {
    "istv_ae": ["knife or sharp object|under 25", "other or not known|25 or over, or not known",
                "other or not known|25 or over, or not known"],
    "ambulance": ["knife or sharp object|under 25", "other or not known|25 or over, or not known",
                  "other or not known|25 or over, or not known"],
    "yjs": ["first_time_entrant", "knife_possession", "serious_youth_violence"],
    "probation": ["high_risk", "violence", "high_risk"],
    "education": ["suspension", "offensive_weapon", "suspension"],
    "fire": ["deliberate_secondary", "deliberate_primary", "deliberate_secondary"],
}


def test_every_source_with_a_scheme_has_a_template() -> None:
    assert {p.stem for p in TEMPLATES.glob("*.csv")} == set(measures.SOURCE_ORDER)


@pytest.mark.parametrize("source", measures.SOURCE_ORDER)
def test_a_template_loads_through_the_suggested_mapping(source: str) -> None:
    path = TEMPLATES / f"{source}.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    mapping = suggest_mapping(header)
    assert set(mapping.values()) == set(header), "every column is suggested a field"
    extract = map_extract(path.read_bytes(), mapping, file=path.name, source=source,
                          partition="template")
    frame = extract.frame.copy()
    assert len(frame) == 3
    for column in measures.DIMENSION_COLUMNS:
        if column not in frame:
            frame[column] = None
    scheme = measures.scheme_for(source, reference_dir=require_reference())
    assert scheme is not None
    categories = list(scheme.categorise(frame))
    assert set(categories) <= set(scheme.categories)
    if source in EXPECTED:
        assert categories == EXPECTED[source]
    else:  # the police extract: the knife-enabled wounding of a 19-year-old
        assert categories[0] == "knife-selected offence, knife|under 25"
