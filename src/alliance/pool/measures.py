"""What each partner source is counted as: its fine categories, their published sums, and the
Home Office core measures.

A source's rows are counted in *fine categories*, the product of a few dimensions (for A&E
assaults: knife or not, by under 25 or not). Fine categories are never published one by one:
what is published are their sums (:class:`CategoryGroup`): each weapon, the under-25s, a core
measure and its under-25 view. Because every published figure is a sum
of the same fine categories, one lattice holds them all and its suppression protects them
together (a second table of the same rows, suppressed on its own, would not be). The fine
categories are kept as few as the published sums need: each one multiplies the work of the
suppression audit (which is why age is split at 25 only, and sex not at all, here).

The core measures (Home Office, Serious Violence Duty; ``shared/reference/
serious_violence_duty.md`` and ``istv_isb1594.md``), as computed here:

* **hospital attendances for assault with a knife or sharp object** — A&E assault attendances
  (ISTV) whose method is a knife or sharp object (ICD-10 X99 also counts broken glass). The
  Home Office measure counts hospital *admissions* (HES, X99); an ED return counts
  attendances, so the measure is labelled as attendances and says so;
* **knife or sharp instrument enabled serious violence** — police-recorded offences whose Home
  Office code is one of the knife-selected offences (ADR 160; the reference table's
  ``sv_ho_knife_selected_offence``) and whose knife flag is set;
* **non-domestic homicide** — police-recorded homicide (codes 1, 4.1, 4.2) not flagged as
  domestic abuse;

each with its under-25 view: the victim's (patient's) age band wholly under 25.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from alliance.sources import codes

AGE_BANDS = ("0-17", "18-24", "25-34", "35+", "not known")
UNDER_25 = ("0-17", "18-24")
SEXES = ("male", "female", "not known")
HOMICIDE_CODES = frozenset({"1", "4.1", "4.2"})
#: the columns a source's rows are grouped by before :meth:`Scheme.categorise`
DIMENSION_COLUMNS = ("sv_category", "sv_included", "offence_code", "knife_flag", "weapon",
                     "age", "sex", "domestic", "source_category")
_HO_CODE = re.compile(r"^\d{1,3}(?:\.\d{1,2}|[A-Z]{1,2})?$")
_AGE = re.compile(r"^\s*(\d{1,3})\s*(?:(?:-|–|to)\s*(\d{1,3})|(\+))?\s*$")


@dataclass(frozen=True, kw_only=True)
class CategoryGroup:
    """A published sum of a scheme's fine categories; the figures layer publishes it as
    :class:`alliance.figures.cube.CategoryGroup` (same fields). ``levels``: the units it is
    published for; ``monthly``: whether its months may be (where busy enough)."""

    label: str
    members: tuple[str, ...]
    levels: tuple[str, ...] = ("area", "lad", "csp")
    monthly: bool = True


def age_band(value: object) -> str:
    """An age or a written band in :data:`AGE_BANDS` ("17" -> "0-17", "18-24", "40+" ->
    "35+"); a band that straddles two of ours ("20-29") is "not known", never split."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "not known"
    m = _AGE.match(str(value))
    if m is None:
        return "not known"
    low = int(m.group(1))
    high = 200 if m.group(3) else int(m.group(2) or low)
    for band, (a, b) in (("0-17", (0, 17)), ("18-24", (18, 24)), ("25-34", (25, 34)),
                         ("35+", (35, 200))):
        if a <= low and high <= b:
            return band
    return "not known"


def sex_of(value: object) -> str:
    return str(value) if value in ("male", "female") else "not known"


@dataclass(frozen=True, kw_only=True)
class Measure:
    """A core measure: the group key of its count, of its under-25 view, and where from."""

    key: str
    label: str
    source: str
    under_25: str
    definition: str


@dataclass(frozen=True, kw_only=True)
class Scheme:
    """How one source's rows are counted (see the module notes)."""

    source: str
    label: str  # "A&E assault attendances (ISTV)"
    unit: str  # "attendances"
    all_label: str
    categories: Mapping[str, str]
    groups: Mapping[str, CategoryGroup]
    categorise: Callable[[pd.DataFrame], pd.Series] = field(repr=False)
    counted: Callable[[pd.DataFrame], pd.Series] = field(repr=False)
    measures: tuple[Measure, ...] = ()

    def label_of(self, key: str) -> str:
        return self.groups[key].label if key in self.groups else self.categories[key]


def _product(*dimensions: tuple[str, tuple[str, ...]]) -> dict[str, str]:
    keys = [""]
    for _, values in dimensions:
        keys = [f"{k}|{v}" if k else v for k in keys for v in values]
    return {k: k.replace("|", ", ") for k in keys}


def _margin(categories: Mapping[str, str], position: int, values: tuple[str, ...]
            ) -> dict[str, tuple[str, ...]]:
    return {v: tuple(k for k in categories if k.split("|")[position] == v) for v in values}


# --- A&E assaults (ISTV) ----------------------------------------------------------------------

_WEAPON2 = ("knife or sharp object", "other or not known")
_AGE2 = ("under 25", "25 or over, or not known")


def under_25_members(scheme: Scheme) -> tuple[str, ...]:
    """The scheme's fine categories that count people in :data:`UNDER_25` (the rows the
    who-table's under-25 bands count again), or () if it does not split by age."""
    return tuple(k for k in scheme.categories if k.split("|")[-1] == _AGE2[0])


def _under_25(value: object) -> str:
    return _AGE2[0] if age_band(value) in UNDER_25 else _AGE2[1]


def _istv_categories(rows: pd.DataFrame) -> pd.Series:
    weapon = rows["weapon"].map(lambda w: _WEAPON2[0] if w == codes.KNIFE else _WEAPON2[1])
    return weapon + "|" + rows["age"].map(_under_25)


def _weapon_groups(categories: Mapping[str, str]) -> dict[str, CategoryGroup]:
    """Knife or sharp object, other, under 25, and knife or sharp object under 25."""
    def members(weapon: str | None, age: str | None) -> tuple[str, ...]:
        return tuple(k for k in categories if (weapon is None or k.split("|")[0] == weapon)
                     and (age is None or k.split("|")[1] == age))

    return {"sharp": CategoryGroup(label="Knife or sharp object",
                                   members=members(_WEAPON2[0], None)),
            "weapon_other": CategoryGroup(label="Other weapon, none or not known",
                                          members=members(_WEAPON2[1], None)),
            "under_25": CategoryGroup(label="Aged under 25", members=members(None, _AGE2[0])),
            "sharp_u25": CategoryGroup(label="Knife or sharp object, aged under 25",
                                       members=members(_WEAPON2[0], _AGE2[0]))}


_ISTV_CATEGORIES = _product(("weapon", _WEAPON2), ("age", _AGE2))
ISTV = Scheme(
    source="istv_ae", label="A&E assault attendances (ISTV)", unit="attendances",
    all_label="All A&E assault attendances", categories=_ISTV_CATEGORIES,
    groups=_weapon_groups(_ISTV_CATEGORIES), categorise=_istv_categories,
    counted=lambda rows: pd.Series(True, index=rows.index),
    measures=(Measure(key="sharp", under_25="sharp_u25", source="istv_ae",
                      label="Hospital attendances for assault with a knife or sharp object",
                      definition="A&E assault attendances (ISTV, ISB 1594) whose assault "
                                 "method is a knife or sharp object (broken glass included, "
                                 "as ICD-10 X99 counts it). The Home Office measure counts "
                                 "admissions (HES X99); these are attendances."),))

# --- ambulance call-outs for assault ------------------------------------------------------------

AMBULANCE = Scheme(
    source="ambulance", label="Ambulance call-outs for assault", unit="call-outs",
    all_label="All ambulance assault call-outs", categories=_ISTV_CATEGORIES,
    groups=_weapon_groups(_ISTV_CATEGORIES), categorise=_istv_categories,
    counted=lambda rows: pd.Series(True, index=rows.index))


# --- local police extracts ----------------------------------------------------------------------

#: what a police-recorded serious violence offence is, for the core measures: homicide by
#: domestic abuse and knife, a knife-selected offence by knife, or other serious violence
_OFFENCES = ("homicide, domestic, knife", "homicide, domestic, no knife",
             "homicide, not domestic, knife", "homicide, not domestic, no knife",
             "knife-selected offence, knife", "knife-selected offence, no knife",
             "other serious violence")


def knife_selected_codes(reference_dir: Path) -> frozenset[str]:
    """Home Office codes of the ADR 160 knife-selected offences, from the reference table
    (read again only when the file changes: every page that lists the pooled data asks)."""
    path = reference_dir / "home_office_offence_codes.csv"
    stat = path.stat()
    return _knife_selected_codes(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _knife_selected_codes(path: Path, mtime_ns: int, size: int) -> frozenset[str]:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # a placeholder row ("(code not found)") is not a code
    return frozenset(code for row in rows
                     if _HO_CODE.match(code := (row.get("ho_code") or "").strip())
                     and (row.get("sv_ho_knife_selected_offence") or "").strip().upper()
                     .startswith("Y"))


@functools.lru_cache(maxsize=8)
def police_scheme(knife_codes: frozenset[str]) -> Scheme:
    """The local police extract's scheme: serious violence under the local definition, in the
    atoms the core measures need (:data:`_OFFENCES`) by victim under 25 or not."""
    categories = _product(("offence", _OFFENCES), ("age", _AGE2))

    def categorise(rows: pd.DataFrame) -> pd.Series:
        code = rows["offence_code"].fillna("").astype(str)
        knife = rows["knife_flag"].map(lambda k: k is True)
        domestic = rows["domestic"].map(lambda d: d is True)
        homicide = code.isin(HOMICIDE_CODES)
        selected = code.isin(knife_codes) & ~homicide
        offence = pd.Series(_OFFENCES[6], index=rows.index, dtype=object)
        offence[homicide] = ("homicide, " + domestic[homicide].map(
            {True: "domestic", False: "not domestic"}) + ", " + knife[homicide].map(
            {True: "knife", False: "no knife"}))
        offence[selected] = "knife-selected offence, " + knife[selected].map(
            {True: "knife", False: "no knife"})
        return offence + "|" + rows["age"].map(_under_25)

    def members(offences: tuple[str, ...], age: str | None = None) -> tuple[str, ...]:
        return tuple(k for k in categories if k.split("|")[0] in offences
                     and (age is None or k.split("|")[1] == age))

    knife = tuple(o for o in _OFFENCES if o.endswith(", knife"))
    nondomestic = tuple(o for o in _OFFENCES if o.startswith("homicide, not domestic"))
    area = ("area",)
    groups = {
        "knife_enabled": CategoryGroup(label="Knife or sharp instrument enabled serious "
                                             "violence", members=members(knife)),
        "knife_enabled_u25": CategoryGroup(
            label="Knife-enabled serious violence, victim under 25",
            members=members(knife, _AGE2[0])),
        "homicide_nondomestic": CategoryGroup(label="Non-domestic homicide",
                                              members=members(nondomestic), levels=area,
                                              monthly=False),
        "homicide_nondomestic_u25": CategoryGroup(
            label="Non-domestic homicide, victim under 25", levels=area, monthly=False,
            members=members(nondomestic, _AGE2[0])),
        "victim_u25": CategoryGroup(label="Victim under 25",
                                    members=members(_OFFENCES, _AGE2[0])),
    }
    return Scheme(
        source="police_extract", label="Serious violence recorded by the police (local "
                                       "extract)", unit="offences",
        all_label="All serious violence (local definition)", categories=categories,
        groups=groups, categorise=categorise,
        counted=lambda rows: rows["sv_included"].astype(bool),
        measures=(
            Measure(key="knife_enabled", under_25="knife_enabled_u25", source="police_extract",
                    label="Knife or sharp instrument enabled serious violence",
                    definition="Police-recorded offences under the local definition whose "
                               "Home Office code is an ADR 160 knife-selected offence "
                               "(homicide included) and whose knife flag is set."),
            Measure(key="homicide_nondomestic", under_25="homicide_nondomestic_u25",
                    source="police_extract", label="Non-domestic homicide",
                    definition="Police-recorded homicide (Home Office codes 1, 4.1, 4.2) not "
                               "flagged as domestic abuse.")))


# --- youth justice, probation, education, fire --------------------------------------------------

def _by_written_category(source: str, label: str, unit: str, all_label: str,
                         categories: Mapping[str, tuple[str, ...]]) -> Scheme:
    """A source counted by what its own category says (words matched, else "other")."""
    keys = {k: k.replace("_", " ").capitalize() for k in [*categories, "other"]}

    def categorise(rows: pd.DataFrame) -> pd.Series:
        def one(text: object) -> str:
            words = f" {' '.join(re.sub(r'[^a-z0-9]+', ' ', str(text).casefold()).split())} "
            for key, phrases in categories.items():
                if any(f" {p} " in words for p in phrases):
                    return key
            return "other"

        return rows["source_category"].map(one)

    return Scheme(source=source, label=label, unit=unit, all_label=all_label,
                  categories=keys, groups={}, categorise=categorise,
                  counted=lambda rows: pd.Series(True, index=rows.index))


YOUTH_JUSTICE = _by_written_category(
    "yjs", "Youth justice", "records", "All youth justice records", {
        "first_time_entrant": ("first time entrant", "fte", "first time entrants"),
        "knife_possession": ("knife possession", "possession of a knife", "bladed article",
                             "possession of weapon", "offensive weapon"),
        "serious_youth_violence": ("serious youth violence", "syv", "gbh", "wounding",
                                   "robbery", "section 18", "section 20")})
PROBATION = _by_written_category(
    "probation", "Probation caseload with a violent offence", "cases", "All probation cases",
    {"high_risk": ("high", "very high"), "violence": ("violence", "violent")})
EDUCATION = _by_written_category(
    "education", "Suspensions and exclusions", "suspensions and exclusions",
    "All suspensions and exclusions", {
        "offensive_weapon": ("offensive weapon", "weapon", "ow"),
        "permanent_exclusion": ("permanent", "pex"), "suspension": ("suspension", "fixed")})
FIRE = _by_written_category(
    "fire", "Deliberate fires", "fires", "All deliberate fires", {
        "deliberate_primary": ("primary",), "deliberate_secondary": ("secondary",)})

#: the order partner sources are offered and reported in
SOURCE_ORDER = ("istv_ae", "ambulance", "police_extract", "yjs", "probation", "education",
                "fire")

STATIC_SCHEMES: dict[str, Scheme] = {s.source: s for s in (ISTV, AMBULANCE, YOUTH_JUSTICE,
                                                           PROBATION, EDUCATION, FIRE)}


def scheme_for(source: str, *, reference_dir: Path) -> Scheme | None:
    """The scheme of a pooled source (None: a source with none, counted by police.uk's)."""
    if source == "police_extract":
        return police_scheme(knife_selected_codes(reference_dir))
    return STATIC_SCHEMES.get(source)


def core_measures(reference_dir: Path) -> tuple[Measure, ...]:
    return (*ISTV.measures, *police_scheme(knife_selected_codes(reference_dir)).measures)
