"""police.uk CSV files (street crime, outcomes, stop and search) as canonical incidents.

Reading
-------
:func:`discover` finds the files (single ``.csv``/``.csv.gz`` files, folders searched
recursively, monthly archive zips with members ``YYYY-MM/YYYY-MM-<force>-<kind>.csv``);
:func:`read` streams one file as chunks of the canonical incident table
(:data:`alliance.sources.schema.INCIDENT_COLUMN_NAMES`); :func:`aggregate_lsoa_month` is the fast
columnar path that counts street crime by LSOA, month and local category.

Files are streamed (never read whole), in LF or CRLF, with or without a UTF-8 byte-order mark,
gzip-compressed or not. The force slug and the month come from the *file name*; for street and
outcomes files every row's ``Month`` must equal it. Stop-and-search rows are filed under the
file month too, although their ``Date`` (UTC) is converted to Europe/London for
``occurred_date``/``occurred_time``: in summer (BST) a few stops of month M carry a UTC time of
23:xx on the last day of M-1 - they belong to M, as police.uk filed them.

Refusing broken files
---------------------
A file that is truncated (gzip or zip), has missing or renamed columns, is not UTF-8, has a
Month that is not ``YYYY-MM`` or differs from the file name, has no data rows, or has a line
with the wrong number of fields is refused whole with
:class:`alliance.sources.errors.SourceFileError` naming the file, line and field. :func:`read`
validates the whole file in a first streaming pass before it yields the first chunk, so a
caller never sees half a file. Callers should still treat a read as all-or-nothing (the pool
loads it in one transaction).

Row flags
---------
Recoverable oddities are kept and flagged (:class:`alliance.sources.schema.RowFlag`): NO_LOCATION
(empty coordinates, "No Location" rows), OUTSIDE_UK (coordinates outside a box around the UK:
the point is nulled, the row kept), DUPLICATE_ROW (an exact copy of an earlier row of the same
file, every field equal, among rows that carry a Crime ID; kept because police.uk counts each
row as one record. Rows without a reference - anti-social behaviour, stop and search - are not
flagged: identical ones at one snap point are ordinary separate incidents, e.g. a group
stopped together, and police.uk gives nothing to tell a copy from a second incident), REPEATED_ID
(a Crime ID on more than one row of the file - every such row, wherever it is in the file).

The record key
--------------
``record_key`` must be unique within (source, partition, month) and deterministic, but police.uk
gives no such key: Crime IDs repeat within a month (the same ID on several rows that differ in
location or outcome, and exact duplicate rows), and anti-social behaviour rows have no ID at
all. The key is therefore::

    sha256("\\x1f".join(record tuple))[:32] + "-" + ordinal

where the *record tuple* is, for street crime, (Crime ID or '', Crime type, Longitude,
Latitude, Location, LSOA code) exactly as published (text, no float re-formatting), and the
*ordinal* (1, 2, ...) counts earlier rows of the same file with the same tuple. For outcomes
files the tuple is (Crime ID, Outcome type, Longitude, Latitude, Location, LSOA code), the
outcome being the record's subject; for stop and search (no reference at all) it is every
published field except Outcome and "Outcome linked to object of search".

Why the outcome is left out: police.uk re-issues past months with revised ``Last outcome
category`` values (two honest downloads of one month differ in 4-770 rows). Leaving the outcome
out of the key keeps the same key for the same record across re-issues, so the pool can record
"outcome changed from A to B" instead of "one record deleted, another added".

The key depends only on the published text and on the order of rows with *identical* tuples:
not on line endings, a byte-order mark, gzip, the zip layout or the chunk size (ordinals and
the Crime ID counts run over the whole file, not a chunk). Known limit: if a re-issue swaps
the order of two rows with identical tuples but different outcomes, their keys swap, which the
pool sees as two outcome changes - harmless for counts. A month downloaded through the API
(no LSOA code) gets different keys from the same month loaded from CSV; switching channel for
a month is a re-issue of that month.
"""

from __future__ import annotations

from alliance.sources.police_uk_aggregate import UNKNOWN_CATEGORY, aggregate_lsoa_month
from alliance.sources.police_uk_files import KINDS, Kind, PoliceUkFile, discover, parse_name
from alliance.sources.police_uk_read import read
from alliance.sources.police_uk_validate import LAYOUTS, Layout, forces_named, key_digest, validate

__all__ = [
    "KINDS",
    "LAYOUTS",
    "UNKNOWN_CATEGORY",
    "Kind",
    "Layout",
    "PoliceUkFile",
    "aggregate_lsoa_month",
    "discover",
    "forces_named",
    "key_digest",
    "parse_name",
    "read",
    "validate",
]
