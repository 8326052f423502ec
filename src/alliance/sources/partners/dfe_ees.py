"""DfE Explore Education Statistics (EES) tidy CSVs: children in need, looked after, absence.

Format: one row per area and period with the EES geography columns (``time_period``,
``time_identifier``, ``geographic_level``, ``country_code`` ... ``new_la_code``, ``la_name``) and
then wide measure columns (or a ``characteristic``/``breakdown`` pair). EES suppression symbols
``c`` (confidential), ``x`` (not available), ``z`` (not applicable), ``u`` (low reliability),
``low``/``k`` (rounds to zero) are kept as suppressed rows.

Files read (``shared/data/partners/dfe_csc``): b1 children in need, c1 referrals and
re-referrals, c3 factors identified at the end of assessment (gangs, child criminal and sexual
exploitation, going missing, trafficking ...), CLA numbers and rates per 10,000, CLA outcomes
(convictions and cautions 10-17, substance misuse, health), absence by social-care group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from alliance.sources.partners._periods import (
    Period,
    academic_year,
    calendar_year,
    financial_year,
)
from alliance.sources.partners._table import (
    ColumnMeasure,
    IndicatorRead,
    ProblemLog,
    UnknownFormatError,
    empty_table,
    finish,
    header_fields,
    melt_measures,
    read_csv_strings,
    snake,
)

GEO_COLUMNS = ("time_period", "time_identifier", "geographic_level", "country_code",
               "country_name", "region_code", "region_name", "new_la_code", "la_name")


@dataclass(frozen=True, kw_only=True)
class EesDataset:
    dataset: str
    description: str
    signature: tuple[str, ...]
    measures: tuple[ColumnMeasure, ...] = ()


def _count(column: str, measure: str, label: str) -> ColumnMeasure:
    return ColumnMeasure(column=column, measure=measure, label=label, unit="count")


CIN = EesDataset(
    dataset="dfe_cin_b1", description="DfE children in need: episodes and children (b1)",
    signature=("Anypoint_episodes", "At31_episodes"),
    measures=(
        _count("Anypoint_episodes", "cin_episodes_any_point", "Episodes of need at any point"),
        _count("Anypoint_child", "cin_children_any_point", "Children in need at any point"),
        _count("Started_episodes", "cin_episodes_started", "Episodes of need started"),
        _count("Started_child", "cin_children_started", "Children starting an episode of need"),
        _count("Ended_episodes", "cin_episodes_ended", "Episodes of need ended"),
        _count("Ended_child", "cin_children_ended", "Children ending an episode of need"),
        _count("At31_episodes", "cin_at_31_march", "Children in need at 31 March (episodes)"),
        _count("awaiting_assessment", "cin_awaiting_assessment",
               "Children awaiting assessment at 31 March"),
    ))


def _pct(column: str, measure: str, label: str, num: str, den: str) -> ColumnMeasure:
    return ColumnMeasure(column=column, measure=measure, label=label, unit="percentage",
                         numerator=num, denominator=den)


REFERRALS = EesDataset(
    dataset="dfe_cin_c1_referrals",
    description="DfE children in need: referrals, re-referrals, no further action (c1)",
    signature=("referral_count", "rereferral_percent"),
    measures=(
        _count("referral_count", "csc_referrals", "Referrals to children's social care"),
        _pct("rereferral_percent", "csc_rereferral_rate",
             "Re-referrals within 12 months (% of referrals)", "rereferral_count",
             "referral_count"),
        _pct("no_further_action_percent", "csc_referral_nfa_rate",
             "Referrals with no further action (%)", "no_further_action_count",
             "referral_count"),
        _pct("not_in_need_percent", "csc_referral_not_in_need_rate",
             "Referrals assessed as not in need (%)", "not_in_need_count", "referral_count"),
        _count("referral_child_count", "csc_children_referred", "Children referred"),
        _pct("rereferral_child_percent", "csc_children_rereferral_rate",
             "Children re-referred within 12 months (%)", "rereferral_child_count",
             "referral_child_count"),
    ))

FACTOR_COLUMNS = (
    "Alcohol_Misuse_child", "Alcohol_Misuse_parent", "Alcohol_Misuse_person",
    "Drug_Misuse_child", "Drug_Misuse_parent", "Drug_Misuse_person", "Domestic_Abuse_child",
    "Domestic_Abuse_parent", "Domestic_Abuse_person", "Mental_Health_child",
    "Mental_Health_parent", "Mental_Health_person", "Learning_Disability_child",
    "Learning_Disability_parent", "Learning_Disability_person", "Physical_Disability_child",
    "Physical_Disability_parent", "Physical_Disability_person", "Young_Carer",
    "Privately_fostered", "Unaccompanied_asylum_seeker", "Going_missing",
    "Child_sexual_exploitation", "Trafficking", "Gangs", "Socially_unacceptable_behaviour",
    "Self_harm", "Neglect", "Emotional_Abuse", "Physical_Abuse_unknown",
    "Physical_Abuse_child_on_child", "Physical_Abuse_adult_on_child", "Sexual_Abuse_unknown",
    "Sexual_Abuse_child_on_child", "Sexual_Abuse_adult_on_child", "Female_Genital_Mutilation",
    "Faith_linked_abuse", "Child_criminal_exploitation", "Other",
)

FACTORS = EesDataset(
    dataset="dfe_cin_c3_assessment_factors",
    description="DfE factors identified at the end of CIN assessment, incl. gangs, child "
                "criminal/sexual exploitation, going missing, trafficking (c3)",
    signature=("Episodes_with_assessment_factor", "Gangs", "Child_criminal_exploitation"),
    measures=(
        _count("Episodes_with_assessment_factor", "csc_assessments_with_factor",
               "Episodes with an assessment factor recorded"),
        *(_count(c, f"csc_factor_{snake(c)}",
                 f"Assessment factor: {c.replace('_', ' ')} (episodes)")
          for c in FACTOR_COLUMNS),
    ))

CLA = EesDataset(
    dataset="dfe_cla_numbers",
    description="DfE children looked after: number and rate per 10,000 children",
    signature=("population_type", "children_count", "rate_per_10000"))

CLA_OUTCOMES = EesDataset(
    dataset="dfe_cla_outcomes",
    description="DfE children looked after: convictions/cautions 10-17, substance misuse, "
                "health and development checks",
    signature=("characteristic", "breakdown", "children_count", "children_percent"))


def _absence(column: str, measure: str, label: str, num: str, den: str) -> ColumnMeasure:
    return _pct(column, measure, label, num, den)


ABSENCE = EesDataset(
    dataset="dfe_absence_social_care",
    description="DfE pupil absence by LA and social-care group (CIN, CPP, CLA), incl. "
                "persistent and severe absence",
    signature=("social_care_group", "pt_pupils_pa_10_exact"),
    measures=(
        _count("t_pupils", "absence_pupils", "Pupil enrolments"),
        _absence("pt_overall", "absence_overall_rate", "Overall absence (% of sessions)",
                 "t_sess_overall", "t_sess_possible"),
        _absence("pt_sess_authorised", "absence_authorised_rate",
                 "Authorised absence (% of sessions)", "t_sess_authorised", "t_sess_possible"),
        _absence("pt_sess_unauthorised", "absence_unauthorised_rate",
                 "Unauthorised absence (% of sessions)", "t_sess_unauthorised",
                 "t_sess_possible"),
        _absence("pt_pupils_pa_10_exact", "persistent_absence_rate",
                 "Persistent absentees, missing 10% or more of sessions (%)",
                 "t_pupils_pa_10_exact", "t_pupils"),
        _absence("pt_pupils_pa_50_exact", "severe_absence_rate",
                 "Severe absentees, missing 50% or more of sessions (%)",
                 "t_pupils_pa_50_exact", "t_pupils"),
    ))

DATASETS: tuple[EesDataset, ...] = (CIN, REFERRALS, FACTORS, CLA, CLA_OUTCOMES, ABSENCE)

LEVELS = {"national": ("country", "country_code", "country_name"),
          "regional": ("region", "region_code", "region_name"),
          "local authority": ("utla", "new_la_code", "la_name")}


def recognise(path: Path) -> EesDataset | None:
    if not path.name.lower().endswith((".csv", ".csv.gz")):
        return None
    header = set(header_fields(path))
    if not {"time_period", "time_identifier", "geographic_level"} <= header:
        return None
    if "NEET_percent" in header:  # NCCIS files share the EES layout: their own reader
        return None
    for ds in DATASETS:
        if set(ds.signature) <= header:
            return ds
    return None


def _period(time_period: str, identifier: str) -> Period | None:
    tp, ident = time_period.strip(), identifier.strip().lower()
    if not tp.isdigit():
        return None
    if len(tp) == 6 and ident in ("academic year", "financial year"):
        first = int(tp[:4])
        return academic_year(first) if ident == "academic year" else financial_year(first)
    if len(tp) == 4 and ident == "reporting year":  # DfE CSC: year to 31 March
        return financial_year(int(tp) - 1)
    if len(tp) == 4 and ident == "calendar year":
        return calendar_year(int(tp))
    return None


def geography_and_period(frame: pd.DataFrame, log: ProblemLog) -> pd.DataFrame:
    """Add area/period columns to an EES frame; rows with unknown level or period -> problems."""
    level = frame["geographic_level"].str.strip().str.lower()
    keep = np.ones(len(frame), dtype=bool)
    # the publisher's own 'breakdown' column must not collide with ours
    out = frame.rename(columns={"breakdown": "src_breakdown"})
    for col in ("area_level", "area_code", "area_name", "period"):
        out[col] = ""
    out["period_start"] = pd.NaT
    out["period_end"] = pd.NaT
    for key, (lvl, code_col, name_col) in LEVELS.items():
        sel = (level == key).to_numpy()
        out.loc[sel, "area_level"] = lvl
        out.loc[sel, "area_code"] = frame.loc[sel, code_col].str.strip()
        out.loc[sel, "area_name"] = frame.loc[sel, name_col].str.strip()
    for i in np.flatnonzero(~level.isin(list(LEVELS)).to_numpy()):
        log.add(int(frame["_line"].iloc[i]), "geographic_level",
                str(frame["geographic_level"].iloc[i]), "unknown geographic level; row left out")
        keep[i] = False
    missing_code = (out["area_code"].eq("") & keep).to_numpy()
    for i in np.flatnonzero(missing_code):
        log.add(int(frame["_line"].iloc[i]), "area code", "",
                "no area code for this geographic level; row left out")
        keep[i] = False
    cache: dict[tuple[str, str], Period | None] = {}
    labels: list[str] = []
    starts: list[date | None] = []
    ends: list[date | None] = []
    lines = frame["_line"].to_numpy()
    for row_i, pair in enumerate(zip(frame["time_period"], frame["time_identifier"], strict=True)):
        tkey = (str(pair[0]), str(pair[1]))
        if tkey not in cache:
            cache[tkey] = _period(*tkey)
        p = cache[tkey]
        if p is None:
            if keep[row_i]:
                log.add(int(lines[row_i]), "time_period", f"{tkey[0]} ({tkey[1]})",
                        "unrecognised time period; row left out")
            keep[row_i] = False
            labels.append("")
            starts.append(None)
            ends.append(None)
        else:
            labels.append(p.label)
            starts.append(p.start)
            ends.append(p.end)
    out["period"] = labels
    out["period_start"] = pd.to_datetime(pd.Series(starts, index=out.index))
    out["period_end"] = pd.to_datetime(pd.Series(ends, index=out.index))
    out["breakdown"] = ""
    out["notes"] = ""
    return out.loc[keep].reset_index(drop=True)


def read(path: Path) -> IndicatorRead:
    ds = recognise(path)
    if ds is None:
        raise UnknownFormatError(path.name, "not a recognised DfE Explore Education Statistics "
                                 "file (header lacks the expected columns)", line=1)
    log = ProblemLog(path.name)
    frame = read_csv_strings(path, log, required=GEO_COLUMNS + ds.signature)
    frame = geography_and_period(frame, log)
    if ds is CLA:
        table = _read_cla(frame, ds, path.name, log)
    elif ds is CLA_OUTCOMES:
        table = _read_cla_outcomes(frame, ds, path.name, log)
    else:
        if ds is ABSENCE:
            frame["breakdown"] = ("social_care_group=" + frame["social_care_group"].str.strip()
                                  + "; phase=" + frame["phase_type_grouping"].str.strip())
            terms = frame["absence_terms"].str.strip()
            other = terms.ne("six half terms")
            frame.loc[other, "breakdown"] += "; terms=" + terms[other]
        table = melt_measures(frame, ds.measures, source=ds.dataset, source_file=path.name,
                              log=log)
    return IndicatorRead(table=table, problems=tuple(log.items), dataset=ds.dataset,
                         path=path, reader=__name__.rsplit(".", 1)[-1])


CLA_TYPES = {
    "children looked after on 31 march each year": ("cla_at_31_march", "at 31 March"),
    "children starting to be looked after each year": ("cla_started", "starting during year"),
    "children ceasing to be looked after each year": ("cla_ceased", "ceasing during year"),
}


def _read_cla(frame: pd.DataFrame, ds: EesDataset, name: str, log: ProblemLog) -> pd.DataFrame:
    parts = []
    ptype = frame["population_type"].str.strip().str.lower()
    for i in np.flatnonzero(~ptype.isin(list(CLA_TYPES)).to_numpy()):
        log.add(int(frame["_line"].iloc[i]), "population_type",
                str(frame["population_type"].iloc[i]), "unknown population type; row left out")
    for key, (measure, words) in CLA_TYPES.items():
        sub = frame.loc[ptype.eq(key).to_numpy()]
        if sub.empty:
            continue
        specs = (
            ColumnMeasure(column="rate_per_10000", measure=f"{measure}_rate",
                          label=f"Children looked after ({words}), rate per 10,000 children",
                          unit="rate per 10,000", numerator="children_count",
                          denominator="population_estimate"),
            ColumnMeasure(column="children_count", measure=f"{measure}_count",
                          label=f"Children looked after ({words})", unit="count"),
        )
        parts.append(melt_measures(sub, specs, source=ds.dataset, source_file=name, log=log))
    return finish(pd.concat(parts, ignore_index=True)) if parts else empty_table()


OUTCOME_IDS = {
    "convicted or subject to youth cautions, or youth conditional cautions during the year":
        "cla_convicted_or_cautioned_10_17",
    "identified as having a substance misuse problem": "cla_substance_misuse",
    "offered intervention but refused it": "cla_substance_misuse_refused_intervention",
    "received an intervention for their substance misuse problem":
        "cla_substance_misuse_intervention",
    "had their annual health assessment": "cla_health_assessment",
    "had their immunisations up to date": "cla_immunisations_up_to_date",
    "had their teeth checked by a dentist": "cla_dental_check",
    "development assessments up to date": "cla_development_assessment_0_4",
    "sdq score is a cause for concern": "cla_sdq_concern",
    "sdq score is borderline": "cla_sdq_borderline",
    "sdq score is normal": "cla_sdq_normal",
    "sdq score was received": "cla_sdq_received",
}


def _read_cla_outcomes(frame: pd.DataFrame, ds: EesDataset, name: str,
                       log: ProblemLog) -> pd.DataFrame:
    """Percent rows get the group's 'Total ...' count as denominator (same area/period)."""
    brk = frame["src_breakdown"].str.strip()
    char = frame["characteristic"].str.strip()
    frame = frame.assign(breakdown="", _brk=brk, _char=char)
    is_total = brk.str.lower().str.startswith("total").to_numpy()
    totals = frame.loc[is_total, ["area_code", "period", "_char", "children_count"]]
    totals = totals.rename(columns={"children_count": "_total"}).drop_duplicates(
        ["area_code", "period", "_char"])
    parts = []
    tot = frame.loc[is_total]
    for ch, sub in tot.groupby("_char", sort=False):
        spec = ColumnMeasure(column="children_count",
                             measure=f"cla_cohort_{snake(str(ch))[:60]}",
                             label=f"{ch}: {sub['_brk'].iloc[0]}", unit="count")
        parts.append(melt_measures(sub, (spec,), source=ds.dataset, source_file=name, log=log))
    rest = frame.loc[~is_total].merge(totals, on=["area_code", "period", "_char"], how="left")
    rest["_total"] = rest["_total"].fillna("")
    # SDQ bands are shares of children whose SDQ score was received, not of the whole cohort
    received = rest.loc[rest["_brk"].str.lower().eq("sdq score was received"),
                        ["area_code", "period", "children_count"]].drop_duplicates(
        ["area_code", "period"]).rename(columns={"children_count": "_received"})
    rest = rest.merge(received, on=["area_code", "period"], how="left")
    rest["_received"] = rest["_received"].fillna("")
    for (ch_out, b), sub in rest.groupby(["_char", "_brk"], sort=False):
        bkey = str(b).lower()
        mid = OUTCOME_IDS.get(bkey, f"cla_{snake(str(b))[:60]}")
        if bkey == "sdq average score":
            spec = ColumnMeasure(column="children_count", measure="cla_sdq_average_score",
                                 label=f"{ch_out}: {b}", unit="score")
        else:
            base = OUTCOME_BASE.get(mid, "_total")
            spec = ColumnMeasure(column="children_percent", measure=f"{mid}_percent",
                                 label=f"{ch_out}: {b} (%)", unit="percentage",
                                 numerator="children_count", denominator=base)
        parts.append(melt_measures(sub, (spec,), source=ds.dataset, source_file=name, log=log))
    return finish(pd.concat(parts, ignore_index=True)) if parts else empty_table()


# Which count each percentage is a share of (checked against the published percentages); None
# where the publisher's base is not in the file (the share of children identified with a
# substance misuse problem).
OUTCOME_BASE: dict[str, str | None] = {
    "cla_sdq_concern": "_received", "cla_sdq_borderline": "_received",
    "cla_sdq_normal": "_received",
    "cla_substance_misuse_refused_intervention": None,
    "cla_substance_misuse_intervention": None,
}


def describe() -> Sequence[tuple[str, str]]:
    return [(ds.dataset, ds.description) for ds in DATASETS]
