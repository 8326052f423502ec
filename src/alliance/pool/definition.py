"""The partnership's local definition of serious violence: versioned, editable, honest.

The Serious Violence Duty leaves each partnership to agree what "serious violence" means
locally. A :class:`Definition` maps what sources publish — a source category (police.uk
"Crime type"), or a Home Office offence code (local police extracts) — to the partnership's
own categories, and says for each whether it counts as serious violence.

Why proxies are labelled: police.uk publishes only the broad category "Violence and sexual
offences", which mixes murder and wounding with common assault, harassment, stalking and every
sexual offence. It cannot isolate serious violence, so the default definition counts it only as
a *proxy* (``proxy=True``), labelled "Violence and sexual offences (proxy)" everywhere it is
shown, and :data:`REAL_MEASURE_NEEDS` says what data gives the real measure. Robbery and
possession of weapons are published as their own police.uk categories whose Home Office codes
(34A/34B; 10A–10D, 81, 90) are all inside the default definition, so they are not proxies.

The default is built from ``home_office_offence_codes.csv`` (column ``sv_project_default``) in
the reference folder; a partnership edits it by exporting the JSON, changing rules and importing
it as a new version. Every classified row records the version that classified it.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from alliance.sources.schema import RowFlag

MATCH_FIELDS = ("source_category", "offence_code")

REAL_MEASURE_NEEDS = (
    "Offence-coded records from the force's crime system (Home Office offence codes such as "
    "1, 4.1, 4.2 homicide; 2, 5D, 5E, 8N, 8P, 8S violence with injury; 34A/34B robbery; "
    "10A–10D, 81, 90 weapons), with a knife or sharp object flag; A&E assault attendances "
    "under ISTV (ISB 1594); hospital admissions for assault by a sharp object (HES); "
    "the Homicide Index."
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One mapping: rows of ``source`` whose ``match_field`` equals ``value`` get ``category``.

    ``source`` may be ``"*"`` to match any source.
    """

    source: str
    match_field: str
    value: str
    category: str
    label: str
    included: bool
    proxy: bool = False
    knife: bool | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.match_field not in MATCH_FIELDS:
            raise ValueError(
                f"rule for {self.value!r}: match_field must be one of {MATCH_FIELDS}, "
                f"not {self.match_field!r}"
            )
        if not self.category:
            raise ValueError(f"rule for {self.value!r}: category is empty")


@dataclass(frozen=True, kw_only=True)
class Definition:
    """A version of the local definition of serious violence."""

    name: str
    version: int
    rules: tuple[Rule, ...]
    notes: str = ""
    real_measure_needs: str = REAL_MEASURE_NEEDS
    categories: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        seen: dict[tuple[str, str, str], Rule] = {}
        for r in self.rules:
            key = (r.source, r.match_field, r.value)
            if key in seen:
                raise ValueError(
                    f"definition {self.name!r} v{self.version}: two rules match "
                    f"{r.match_field}={r.value!r} for source {r.source!r}"
                )
            seen[key] = r
        labels = {r.category: r.label for r in self.rules}
        object.__setattr__(self, "categories", labels)

    # --- editing and storage -------------------------------------------------------------
    def to_json(self) -> str:
        body = {
            "name": self.name,
            "version": self.version,
            "notes": self.notes,
            "real_measure_needs": self.real_measure_needs,
            "rules": [asdict(r) for r in self.rules],
        }
        return json.dumps(body, indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str, *, origin: str = "definition") -> Definition:
        try:
            body = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{origin}, line {exc.lineno}: not valid JSON ({exc.msg})") from exc
        if not isinstance(body, dict) or "rules" not in body:
            raise ValueError(f"{origin}: expected an object with 'name', 'version' and 'rules'")
        rules = []
        for i, raw in enumerate(body["rules"], start=1):
            try:
                rules.append(Rule(**raw))
            except TypeError as exc:
                raise ValueError(f"{origin}: rule {i}: {exc}") from exc
        return cls(
            name=str(body.get("name", "local definition")),
            version=int(body.get("version", 1)),
            rules=tuple(rules),
            notes=str(body.get("notes", "")),
            real_measure_needs=str(body.get("real_measure_needs", REAL_MEASURE_NEEDS)),
        )

    def with_version(self, version: int) -> Definition:
        return Definition(name=self.name, version=version, rules=self.rules, notes=self.notes,
                          real_measure_needs=self.real_measure_needs)

    def included_categories(self) -> dict[str, str]:
        return {r.category: r.label for r in self.rules if r.included}

    def proxy_categories(self) -> dict[str, str]:
        return {r.category: r.label for r in self.rules if r.proxy}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(r) for r in self.rules])

    # --- classification -----------------------------------------------------------------
    def classify(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Add ``sv_category``, ``sv_included``, ``sv_proxy`` (and fill ``knife_flag``).

        Offence-code rules win over source-category rules (they are more specific). A row whose
        category no rule matches keeps ``sv_category = "unknown"`` and gets the
        ``UNKNOWN_CATEGORY`` flag: it is counted in the quality report, never silently mapped.
        """
        out = rows.copy()
        n = len(out)
        category = pd.Series([None] * n, index=out.index, dtype="object")
        included = pd.Series(False, index=out.index)
        proxy = pd.Series(False, index=out.index)
        knife = out["knife_flag"].astype(object).copy() if "knife_flag" in out else pd.Series(
            [None] * n, index=out.index, dtype="object")
        for match_field in ("source_category", "offence_code"):  # later wins: offence codes
            if match_field not in out:
                continue
            values = out[match_field]
            for source in {r.source for r in self.rules if r.match_field == match_field}:
                rules = [r for r in self.rules if r.match_field == match_field
                         and r.source == source]
                lookup = {r.value: r for r in rules}
                in_source = (out["source"] == source) if source != "*" else pd.Series(
                    True, index=out.index)
                matched = values.map(lambda v, lk=lookup: lk.get(v)) if len(values) else values
                hit = in_source & matched.notna()
                if not hit.any():
                    continue
                hits = matched[hit]
                category[hit] = hits.map(lambda r: r.category)
                included[hit] = hits.map(lambda r: r.included).astype(bool)
                proxy[hit] = hits.map(lambda r: r.proxy).astype(bool)
                knife_rule = hits.map(lambda r: r.knife)
                set_knife = knife_rule.notna() & knife[hit].isna()
                knife.loc[set_knife[set_knife].index] = knife_rule[set_knife]
        # Rows the definition does not speak to (outcome records, stop and search) are not
        # crime categories at all: they are marked "not_classified", not flagged as unknown.
        category_sources = {r.source for r in self.rules if r.match_field == "source_category"}
        has_code = (out["offence_code"].notna() if "offence_code" in out
                    else pd.Series(False, index=out.index))
        classifiable = has_code | (out["source"].isin(category_sources)
                                   if "*" not in category_sources
                                   else pd.Series(True, index=out.index))
        category[category.isna() & ~classifiable] = "not_classified"
        unknown = category.isna()
        category[unknown] = "unknown"
        out["sv_category"] = category.astype(str)
        out["sv_included"] = included.astype(bool)
        out["sv_proxy"] = proxy.astype(bool)
        out["knife_flag"] = knife
        if "flags" in out:
            out["flags"] = out["flags"].astype("int64") | (
                unknown.astype("int64") * int(RowFlag.UNKNOWN_CATEGORY))
        return out


# --- the documented default ---------------------------------------------------------------

POLICE_UK_SOURCES = ("police_uk_street",)

_POLICE_UK_CATEGORIES: tuple[tuple[str, str, str, bool, bool, str], ...] = (
    # (Crime type, category, label, included, proxy, note)
    ("Violence and sexual offences", "violence_and_sexual_offences_proxy",
     "Violence and sexual offences (proxy)", True, True,
     "police.uk's broad category; includes common assault, harassment, stalking and all "
     "sexual offences, so it is a proxy for serious violence, never the measure itself"),
    ("Violent crime", "violence_and_sexual_offences_proxy",
     "Violence and sexual offences (proxy)", True, True,
     "label used before May 2013 data for the same category"),
    ("Robbery", "robbery", "Robbery", True, False,
     "all of police.uk Robbery (HO 34A, 34B) is in the default definition"),
    ("Possession of weapons", "possession_of_weapons", "Possession of weapons", True, False,
     "all of police.uk Possession of weapons (HO 10A-10D, 81, 90) is in the default definition"),
    ("Public order", "public_order", "Public order", False, False, ""),
    ("Public disorder and weapons", "public_disorder_and_weapons",
     "Public disorder and weapons (pre-May 2013)", False, False,
     "cannot be split into the two current categories"),
    ("Anti-social behaviour", "anti_social_behaviour", "Anti-social behaviour", False, False,
     "not notifiable crime"),
    ("Burglary", "burglary", "Burglary", False, False, ""),
    ("Bicycle theft", "bicycle_theft", "Bicycle theft", False, False, ""),
    ("Criminal damage and arson", "criminal_damage_and_arson", "Criminal damage and arson",
     False, False, ""),
    ("Drugs", "drugs", "Drugs", False, False, ""),
    ("Other crime", "other_crime", "Other crime", False, False, ""),
    ("Other theft", "other_theft", "Other theft", False, False, ""),
    ("Shoplifting", "shoplifting", "Shoplifting", False, False, ""),
    ("Theft from the person", "theft_from_the_person", "Theft from the person", False, False,
     ""),
    ("Vehicle crime", "vehicle_crime", "Vehicle crime", False, False, ""),
)


def _offence_code_rules(codes_csv: Path) -> list[Rule]:
    rules: list[Rule] = []
    with codes_csv.open(newline="", encoding="utf-8") as fh:
        for line_no, row in enumerate(csv.DictReader(fh), start=2):
            code = (row.get("ho_code") or "").strip()
            if not code or code.startswith("("):
                continue  # offences whose code the reference could not confirm: not guessed
            included = (row.get("sv_project_default") or "").strip().upper() == "Y"
            subgroup = (row.get("offence_subgroup") or "").strip() or "other"
            knife_text = (row.get("sv_ho_knife_selected_offence") or "").strip().upper()
            rules.append(Rule(
                source="*", match_field="offence_code", value=code,
                category=_slug(subgroup) if included else "other_" + _slug(
                    row.get("offence_group") or "offence"),
                label=subgroup if included else (row.get("offence_group") or "Other offence"),
                included=included, proxy=False,
                knife=None,
                note=f"{row.get('offence_description', '').strip()}"
                     f"{'; HO knife-selected offence' if knife_text.startswith('Y') else ''}"
                     f" (reference line {line_no})",
            ))
    return rules


def default_definition(reference_dir: Path, *, version: int = 1) -> Definition:
    """The documented default definition, built from the reference folder."""
    codes_csv = reference_dir / "home_office_offence_codes.csv"
    if not codes_csv.exists():
        raise FileNotFoundError(
            f"{codes_csv}: the Home Office offence code table is needed to build the default "
            "definition of serious violence (set ALLIANCE_REFERENCE)"
        )
    rules = [
        Rule(source=src, match_field="source_category", value=value, category=cat, label=label,
             included=inc, proxy=prox, note=note)
        for src in POLICE_UK_SOURCES
        for value, cat, label, inc, prox, note in _POLICE_UK_CATEGORIES
    ]
    rules.extend(_offence_code_rules(codes_csv))
    return Definition(
        name="Default local definition (Home Office offence codes; police.uk proxy)",
        version=version,
        rules=tuple(rules),
        notes=(
            "Built from home_office_offence_codes.csv (sv_project_default = Y: homicide, "
            "attempted murder, wounding with intent, endangering life, assault with injury, "
            "threats to kill, kidnapping, rape, robbery, possession of weapons). police.uk "
            "data can only give the proxy 'Violence and sexual offences' plus robbery and "
            "possession of weapons."
        ),
    )


def summarise(definitions: Iterable[Definition]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"version": d.version, "name": d.name, "rules": len(d.rules),
          "included_categories": ", ".join(sorted(d.included_categories()))}
         for d in definitions]
    )
