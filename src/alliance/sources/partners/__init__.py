"""Readers for published partner statistics -> one aggregate indicator table.

Every reader turns one published format into the same table (columns in
:data:`alliance.sources.partners._table.COLUMNS`, documented in :mod:`._table`): youth justice,
exclusions, absence, NEET, children's social care (incl. gangs and criminal exploitation at
assessment), looked-after children, hospital admissions and self-harm, homicide and knife crime by
police force area, children in relative poverty.

    >>> from alliance.sources.partners import read, readers, discover
    >>> result = read(path)          # IndicatorRead(table, problems, dataset, path, reader)
    >>> result.table.query("area_code == 'E06000061'")

:func:`read` picks the reader by recognising the file (name and header); an unrecognised file
raises :class:`UnknownFormatError`; a damaged one :class:`PartnerFileError` naming file, line and
field. Rows that cannot be read are left out and listed in ``result.problems``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alliance.sources.partners import (
    dfe_ees,
    dfe_exclusions_legacy,
    dfe_lait,
    dfe_nccis,
    fingertips,
    fingertips_tidy,
    ons_els,
    ons_pfa,
)
from alliance.sources.partners._table import (
    COLUMNS,
    MARKERS,
    IndicatorRead,
    PartnerFileError,
    Problem,
    UnknownFormatError,
)

__all__ = [
    "COLUMNS", "MARKERS", "Discovered", "IndicatorRead", "PartnerFileError", "Problem",
    "Reader", "UnknownFormatError", "discover", "read", "read_folder", "readers",
]


@dataclass(frozen=True, kw_only=True)
class Reader:
    """One published format: its name, what it reads, how it is recognised and read."""

    name: str
    description: str
    recognise: Callable[[Path], bool]
    read: Callable[[Path], IndicatorRead]


def _ees_description() -> str:
    return "DfE Explore Education Statistics CSVs: " + "; ".join(
        f"{d} ({t})" for d, t in dfe_ees.describe())


_READERS: tuple[Reader, ...] = (
    Reader(name="dfe_nccis", description=dfe_nccis.DESCRIPTION, recognise=dfe_nccis.recognise,
           read=dfe_nccis.read),
    Reader(name="dfe_ees", description=_ees_description(),
           recognise=lambda p: dfe_ees.recognise(p) is not None, read=dfe_ees.read),
    Reader(name="dfe_exclusions_legacy", description=dfe_exclusions_legacy.DESCRIPTION,
           recognise=dfe_exclusions_legacy.recognise, read=dfe_exclusions_legacy.read),
    Reader(name="dfe_lait", description=dfe_lait.DESCRIPTION, recognise=dfe_lait.recognise,
           read=dfe_lait.read),
    Reader(name="fingertips", description=fingertips.DESCRIPTION,
           recognise=fingertips.recognise, read=fingertips.read),
    Reader(name="fingertips_tidy", description=fingertips_tidy.DESCRIPTION,
           recognise=fingertips_tidy.recognise, read=fingertips_tidy.read),
    Reader(name="ons_els", description=ons_els.DESCRIPTION, recognise=ons_els.recognise,
           read=ons_els.read),
    Reader(name="ons_pfa", description=ons_pfa.DESCRIPTION, recognise=ons_pfa.recognise,
           read=ons_pfa.read),
)

# Files that are not data on their own: documentation and the sidecars other readers use.
_SIDECARS = (".md", ".json", ".txt")
_SIDECAR_NAMES = {dfe_lait.DICTIONARY}


def readers() -> tuple[Reader, ...]:
    """All readers, in the order :func:`read` tries them."""
    return _READERS


def reader_for(path: str | Path) -> Reader:
    """The reader that recognises ``path``; :class:`UnknownFormatError` if none does."""
    p = Path(path)
    if not p.is_file():
        raise PartnerFileError(p.name, f"no such file: {p}")
    for reader in _READERS:
        if reader.recognise(p):
            return reader
    raise UnknownFormatError(p.name, "no partner reader recognises this file (expected one of: "
                             + ", ".join(r.name for r in _READERS) + ")", line=1)


def read(path: str | Path) -> IndicatorRead:
    """Read one published partner file into the indicator table."""
    p = Path(path)
    return reader_for(p).read(p)


@dataclass(frozen=True, kw_only=True)
class Discovered:
    """A file found in a folder and the reader that will read it (None: not recognised)."""

    path: Path
    reader: str | None
    note: str = ""


def discover(folder: str | Path) -> tuple[Discovered, ...]:
    """Every file under ``folder`` with the reader that recognises it.

    Documentation and sidecar files (``.md``, ``.json`` metadata, the LAIT dictionary) are listed
    with ``reader=None`` and a note; nothing is skipped silently.
    """
    root = Path(folder)
    if not root.is_dir():
        raise PartnerFileError(str(root), "not a folder")
    found = []
    for p in sorted(x for x in root.rglob("*") if x.is_file()):
        if p.suffix.lower() in _SIDECARS or p.name in _SIDECAR_NAMES:
            found.append(Discovered(path=p, reader=None, note="documentation or sidecar, "
                                    "read with its data file"))
            continue
        match = next((r.name for r in _READERS if r.recognise(p)), None)
        found.append(Discovered(path=p, reader=match,
                                note="" if match else "not a recognised partner format"))
    return tuple(found)


def read_folder(folder: str | Path) -> tuple[IndicatorRead, ...]:
    """Read every recognised file under ``folder`` (see :func:`discover`)."""
    return tuple(read(d.path) for d in discover(folder) if d.reader is not None)
