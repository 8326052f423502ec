"""The geography tables Alliance works from, as plain pandas DataFrames.

:class:`GeographyTables` is what :func:`alliance.geo.ons.read_geography_folder` returns and
what :class:`alliance.geo.areas.Geography` is built from. Every table has a fixed, documented
set of columns (:data:`TABLE_COLUMNS`) so the web shell can store each one as Parquet and read
it back with :meth:`GeographyTables.from_layers`. Geometry is kept as WKB bytes in EPSG:4326
(longitude/latitude) in a ``geometry_wkb`` column, so no geometry library is needed to store it.

Tables and columns
------------------
areas
    ``code`` (GSS code), ``name``, ``level`` (one of :data:`LEVELS`), ``vintage``
    (the year of the publication the code comes from, e.g. ``"2024"``; former districts that
    some Community Safety Partnerships still follow carry ``"2020"`` or earlier). Unique on
    (code, level): an LSOA unchanged in 2021 keeps its 2011 code, so it appears as ``lsoa11``
    and as ``lsoa21`` (likewise MSOAs).
area_parents
    ``child_code``, ``child_level``, ``parent_code``, ``parent_level``, ``parent_vintage``,
    ``relationship`` (``"nested"`` when the child lies inside the parent by construction of an
    ONS lookup, ``"best_fit"`` when an ONS best-fit lookup assigns it by population-weighted
    centroid), ``via`` (a short note of the lookup chain used).
lsoa21_boundaries, lsoa11_boundaries, msoa21_boundaries, msoa11_boundaries, ward_boundaries,
lad_boundaries, pfa_boundaries
    ``code``, ``name``, ``vintage``, ``geometry_wkb`` (EPSG:4326 WKB).
lsoa11_to_21
    ``lsoa11_code``, ``lsoa21_code``, ``change_code`` (ONS: U unchanged, S split, M merged,
    X irregular redefinition).
imd2019
    ``lsoa11_code`` then the published IoD2019 ranks, deciles and the scores that exist (see
    :data:`alliance.geo.ons.IMD2019_COLUMNS`).
imd2025
    ``lsoa21_code`` then IoD2025 scores, ranks and deciles of IMD, the 7 domains and the 6
    sub-domains (see :data:`alliance.geo.ons.IMD2025_COLUMNS`).
population
    ``lsoa_code``, ``lsoa_vintage`` (``"2011"``/``"2021"``), ``source``, ``reference_date``,
    ``total``, single years ``age_0`` … ``age_89``, ``age_90_plus`` and the bands in
    :data:`AGE_BANDS`. Census 2021 usual-resident rows (source ``census2021_usual_residents``)
    carry only ``total``; their age columns are missing (``<NA>``) because no Census 2021 age
    by LSOA table is held.
postcodes
    ``postcode`` ("NN1 1AA"), ``easting``, ``northing`` (British National Grid), ``lsoa21_code``,
    ``live``: what a written postcode is looked up in (:mod:`alliance.geo.postcodes`). Empty when
    the folder holds no postcode files; optional when tables are read back from storage (a
    store loaded before postcodes were read has none).
input_issues
    ``file``, ``column``, ``code``, ``problem``: rows of the input that were not used (codes
    not found in the LSOA boundaries, LSOAs no CSP could be derived for, ...). Empty when the
    folder is clean; always worth reading after an import.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import pandas as pd

LEVELS: tuple[str, ...] = (
    "lsoa21", "lsoa11", "msoa21", "msoa11", "ward", "lad", "csp", "pfa", "region", "icb",
    "country",
)
RELATIONSHIPS: tuple[str, ...] = ("nested", "best_fit")
CHANGE_CODES: tuple[str, ...] = ("U", "S", "M", "X")

SINGLE_YEAR_COLUMNS: tuple[str, ...] = (*(f"age_{a}" for a in range(90)), "age_90_plus")
#: Age bands summed from single years: name -> (first age, last age inclusive; None = open).
AGE_BANDS: dict[str, tuple[int, int | None]] = {
    "age_0_9": (0, 9),
    "age_10_17": (10, 17),
    "age_18_24": (18, 24),
    "age_10_24": (10, 24),
    "age_0_15": (0, 15),
    "age_16_64": (16, 64),
    "age_65_plus": (65, None),
}

BOUNDARY_COLUMNS: tuple[str, ...] = ("code", "name", "vintage", "geometry_wkb")
IMD_2019_KEY = "lsoa11_code"
IMD_2025_KEY = "lsoa21_code"

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "areas": ("code", "name", "level", "vintage"),
    "area_parents": (
        "child_code", "child_level", "parent_code", "parent_level", "parent_vintage",
        "relationship", "via",
    ),
    "lsoa21_boundaries": BOUNDARY_COLUMNS,
    "lsoa11_boundaries": BOUNDARY_COLUMNS,
    "msoa21_boundaries": BOUNDARY_COLUMNS,
    "msoa11_boundaries": BOUNDARY_COLUMNS,
    "ward_boundaries": BOUNDARY_COLUMNS,
    "lad_boundaries": BOUNDARY_COLUMNS,
    "pfa_boundaries": BOUNDARY_COLUMNS,
    "lsoa11_to_21": ("lsoa11_code", "lsoa21_code", "change_code"),
    "imd2019": (IMD_2019_KEY,),
    "imd2025": (IMD_2025_KEY,),
    "population": (
        "lsoa_code", "lsoa_vintage", "source", "reference_date", "total",
        *SINGLE_YEAR_COLUMNS, *AGE_BANDS,
    ),
    "input_issues": ("file", "column", "code", "problem"),
    "postcodes": ("postcode", "easting", "northing", "lsoa21_code", "live"),
}
#: tables that may be absent when tables are read back from storage (added after the first
#: release; an older store is read with them empty)
OPTIONAL_TABLES: tuple[str, ...] = ("postcodes",)
"""Required leading columns of each table (IMD tables add their published measures)."""


class GeographyInputError(ValueError):
    """An input file or table is missing, malformed or holds codes that are not known."""


def require_columns(frame: pd.DataFrame, columns: tuple[str, ...] | list[str], *,
                    source: str) -> None:
    """Raise :class:`GeographyInputError` naming ``source`` and every missing column."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise GeographyInputError(
            f"{source}: missing column(s) {', '.join(missing)}; "
            f"found {', '.join(map(str, frame.columns))}"
        )


@dataclass(frozen=True, kw_only=True)
class GeographyTables:
    """All geography, deprivation and population tables (see the module docstring).

    Optional boundary tables that were not in the input folder are empty DataFrames with the
    documented columns, never absent.
    """

    areas: pd.DataFrame
    area_parents: pd.DataFrame
    lsoa21_boundaries: pd.DataFrame
    lsoa11_boundaries: pd.DataFrame
    msoa21_boundaries: pd.DataFrame
    msoa11_boundaries: pd.DataFrame
    ward_boundaries: pd.DataFrame
    lad_boundaries: pd.DataFrame
    pfa_boundaries: pd.DataFrame
    lsoa11_to_21: pd.DataFrame
    imd2019: pd.DataFrame
    imd2025: pd.DataFrame
    population: pd.DataFrame
    input_issues: pd.DataFrame
    postcodes: pd.DataFrame = field(default_factory=lambda: _empty("postcodes"))

    def __post_init__(self) -> None:
        for name, columns in TABLE_COLUMNS.items():
            require_columns(getattr(self, name), columns, source=f"table {name}")
        bad_levels = sorted(set(self.areas["level"]) - set(LEVELS))
        if bad_levels:
            raise GeographyInputError(f"table areas: unknown level(s) {bad_levels}")
        bad_relationships = sorted(set(self.area_parents["relationship"]) - set(RELATIONSHIPS))
        if bad_relationships:
            raise GeographyInputError(
                f"table area_parents: unknown relationship(s) {bad_relationships}")
        duplicated = self.areas["code"][self.areas.duplicated(["code", "level"])]
        if len(duplicated):
            raise GeographyInputError(
                f"table areas: duplicated code(s) {sorted(set(duplicated))[:10]}"
            )

    def layers(self) -> dict[str, pd.DataFrame]:
        """Every table by name, ready to write one Parquet file (or DB table) each."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_layers(cls, layers: dict[str, pd.DataFrame]) -> GeographyTables:
        """Rebuild from :meth:`layers` output (e.g. read back from Parquet)."""
        missing = [f.name for f in fields(cls) if f.name not in layers
                   and f.name not in OPTIONAL_TABLES]
        if missing:
            raise GeographyInputError(f"from_layers: missing table(s) {', '.join(missing)}")
        return cls(**{f.name: layers[f.name] for f in fields(cls) if f.name in layers})

    def to_frame(self) -> pd.DataFrame:
        """One row per table: its name, row count and columns (a summary for reports)."""
        return pd.DataFrame(
            [
                {"table": name, "rows": len(df), "columns": ", ".join(map(str, df.columns))}
                for name, df in self.layers().items()
            ]
        )


def _empty(table: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in TABLE_COLUMNS[table]})


def empty_boundaries() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in BOUNDARY_COLUMNS})
