"""Who is involved: age-sex profiles and repeat victimisation, victims and suspects apart.

Person-level records carry ``subject_role`` ('victim', 'suspect', ...), ``age``, ``sex`` and a
pseudonymised ``person_key`` (see :mod:`alliance.sources.schema`). A victim and a suspect are
different people in different circumstances: every function here works on one role at a time
and refuses a table that mixes roles unless told which role to use.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alliance.stats import _validate
from alliance.stats.rates import proportion

ROLE_COLUMN = "subject_role"
#: Age bands for youth violence work: under 10, then the 10-24 age range in 5-year bands.
DEFAULT_AGE_BANDS: tuple[int, ...] = (0, 10, 15, 18, 25, 35, 50, 65)
UNKNOWN = "unknown"


def select_role(records: pd.DataFrame, role: str | None, *,
                role_column: str = ROLE_COLUMN) -> pd.DataFrame:
    """The records of one role; refuses a table that mixes roles when no role is named."""
    if role_column not in records.columns:
        if role is not None:
            raise ValueError(f"records: no {role_column!r} column to pick role {role!r} from")
        raise ValueError(f"records: no {role_column!r} column; victim and suspect records must "
                         "be told apart before profiling")
    roles = records[role_column].dropna().astype(str).str.lower().unique()
    blank = records.index[records[role_column].isna()]
    if len(blank) > 0:
        raise ValueError(f"records: blank {role_column!r} in rows {_validate.name_areas(blank)}")
    if role is None:
        if len(roles) > 1:
            raise ValueError(f"records mix roles {sorted(roles)}; pass role= to analyse one "
                             "(victims and suspects are never counted together)")
        return records
    chosen = records[records[role_column].astype(str).str.lower() == role.lower()]
    if chosen.empty:
        raise ValueError(f"no records with {role_column} = {role!r} (roles present: "
                         f"{sorted(roles)})")
    return chosen


def _age_band(ages: pd.Series, edges: Sequence[int]) -> pd.Series:
    numeric = pd.to_numeric(ages, errors="coerce")
    labels = [f"{lo}-{hi - 1}" for lo, hi in itertools.pairwise(edges)]
    labels.append(f"{edges[-1]}+")
    banded = pd.cut(numeric, bins=[*edges, np.inf], right=False, labels=labels)
    negative = ages.index[numeric < 0]
    if len(negative) > 0:
        raise ValueError(f"age: negative values in rows {_validate.name_areas(negative)}")
    return banded.astype(object).where(numeric.notna(), UNKNOWN)


@dataclass(frozen=True, eq=False)
class AgeSexProfile:
    """Counts by age band and sex for one role; unknown age or sex kept as 'unknown'."""

    table: pd.DataFrame
    role: str

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


def age_sex_profile(
    records: pd.DataFrame,
    *,
    role: str | None = None,
    age_column: str = "age",
    sex_column: str = "sex",
    role_column: str = ROLE_COLUMN,
    age_bands: Sequence[int] = DEFAULT_AGE_BANDS,
) -> AgeSexProfile:
    """Count people-records by age band and sex for one role (victims or suspects).

    Descriptive: no test. Records with no age or no sex are counted under 'unknown', never
    dropped. Ages may be numbers or text numbers; anything else counts as unknown age.
    The ``share`` column is each cell's share of all records of the role.
    """
    chosen = select_role(records, role, role_column=role_column)
    for column in (age_column, sex_column):
        if column not in chosen.columns:
            raise ValueError(f"records: no column {column!r}")
    edges = list(age_bands)
    if edges != sorted(edges) or len(set(edges)) != len(edges):
        raise ValueError("age_bands must be increasing band starts, e.g. (0, 10, 15, 18)")
    band = _age_band(chosen[age_column], edges)
    sex = chosen[sex_column].astype(object).where(chosen[sex_column].notna(), UNKNOWN)
    table = (pd.DataFrame({"age_band": band, "sex": sex})
             .value_counts().rename("records").reset_index())
    order = [f"{lo}-{hi - 1}" for lo, hi in itertools.pairwise(edges)]
    order += [f"{edges[-1]}+", UNKNOWN]
    table["age_band"] = pd.Categorical(table["age_band"], categories=order, ordered=True)
    table = table.sort_values(["age_band", "sex"]).reset_index(drop=True)
    table["share"] = table["records"] / table["records"].sum()
    role_name = role if role is not None else str(chosen[role_column].iloc[0])
    return AgeSexProfile(table=table, role=role_name)


@dataclass(frozen=True, eq=False)
class RepeatVictimisation:
    """People victimised again within the window, for one role (normally victims).

    ``people``: distinct person keys; ``repeat_people``: those with two or more records within
    ``window`` of each other; ``repeat_share`` with a Wilson interval; ``repeat_records``:
    records that follow an earlier one for the same person within the window;
    ``records_without_person_key``: records that could not be linked (left out, reported).
    """

    people: int
    repeat_people: int
    repeat_share: float
    repeat_share_lower: float
    repeat_share_upper: float
    records: int
    repeat_records: int
    records_without_person_key: int
    window: str
    role: str

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.__dict__])


def repeat_victimisation(
    records: pd.DataFrame,
    *,
    role: str | None = "victim",
    person_column: str = "person_key",
    date_column: str = "occurred_date",
    month_column: str = "month",
    role_column: str = ROLE_COLUMN,
    confidence: float = 0.95,
) -> RepeatVictimisation:
    """Share of victims victimised again within 12 months (by pseudonymised person key).

    Estimates the proportion of distinct people (of one role) with at least two records no more
    than 12 months apart, with a Wilson interval; no test. Dates: ``date_column`` (a record is
    a repeat if within 365 days of the person's previous record); where only ``month_column``
    ('YYYY-MM') is available, within 11 calendar months (the same month up to 11 months on),
    since day-level timing is unknown. Records without a person key cannot be linked: they are
    counted in ``records_without_person_key``, left out, and a warning says how many.
    The observed share depends on how long the data run: a person seen only in the last month
    has had no time to be victimised again.
    """
    chosen = select_role(records, role, role_column=role_column)
    if person_column not in chosen.columns:
        raise ValueError(f"records: no column {person_column!r}")
    unlinked = int(chosen[person_column].isna().sum())
    if unlinked:
        warnings.warn(f"{unlinked} records have no {person_column!r} and are left out of the "
                      "repeat count", UserWarning, stacklevel=2)
    linked = chosen[chosen[person_column].notna()]
    if linked.empty:
        raise ValueError("no records with a person key: repeat victimisation is undefined")
    step: pd.Series
    window: float | pd.Timedelta
    if date_column in linked.columns and linked[date_column].notna().all():
        when = pd.to_datetime(linked[date_column], errors="coerce")
        step, window, label = when, pd.Timedelta(days=365), "365 days"
    elif month_column in linked.columns:
        months = pd.PeriodIndex(pd.to_datetime(linked[month_column].astype(str),
                                               errors="coerce"), freq="M")
        when = pd.Series(months.to_timestamp(), index=linked.index)
        step = pd.Series([p.ordinal for p in months], index=linked.index).astype(float)
        window, label = 11.0, "11 calendar months (month-level dates)"
    else:
        raise ValueError(f"records: need {date_column!r} (dates) or {month_column!r} (months)")
    bad = linked.index[pd.isna(when)]
    if len(bad) > 0:
        raise ValueError(f"records: unreadable or missing dates in rows "
                         f"{_validate.name_areas(bad)}")
    frame = pd.DataFrame({"person": linked[person_column].astype(str), "t": step})
    frame = frame.sort_values(["person", "t"])
    gap = frame.groupby("person")["t"].diff()
    is_repeat = (gap <= window).fillna(False).astype(bool)
    repeat_people = int(frame.loc[is_repeat, "person"].nunique())
    people = int(frame["person"].nunique())
    share = proportion([repeat_people], [people], confidence=confidence)
    return RepeatVictimisation(
        people=people, repeat_people=repeat_people, repeat_share=float(share.value.iloc[0]),
        repeat_share_lower=float(share.lower.iloc[0]),
        repeat_share_upper=float(share.upper.iloc[0]), records=len(frame),
        repeat_records=int(is_repeat.sum()), records_without_person_key=unlinked,
        window=label, role=role if role is not None else str(chosen[role_column].iloc[0]),
    )
