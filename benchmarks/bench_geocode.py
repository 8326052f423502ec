"""Geocode 100,000 free-text locations: Alliance's geocoder beside a plain rapidfuzz loop.

Run: ``uv run python benchmarks/bench_geocode.py [n_texts] [n_peer]``

The gazetteer is built from the real Northamptonshire data (16 police.uk months, Code-Point
Open and the ONS postcode lookup, ward and district names). The texts are the labelled set of
:mod:`alliance.geo.geocode_check` drawn large (street records written with typos,
abbreviations, prefixes and towns; postcodes in any spacing; junctions; no-place texts), so
most are distinct. The peer is what an analyst would write first: for each text,
``rapidfuzz.process.extractOne(text, names)`` over the same gazetteer's names and postcodes,
the answer's LSOA taken (the busiest street of a shared name). It runs at its defaults
(``WRatio``, no processor) and at its best settings here (``fuzz.ratio`` on texts and names
lower-cased and stripped by ``utils.default_process``), on the first ``n_peer`` texts (a loop
over 100,000 takes many minutes); its time for all texts is that rate times the number of
texts, and the ratio printed is ours / theirs. Both are scored on the same texts: right,
wrong and unplaced LSOAs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process, utils

from alliance import config
from alliance.geo.gazetteer import build_gazetteer, lsoa_places, police_uk_streets
from alliance.geo.geocode import Geocoder, GeocodeResult, Placed
from alliance.geo.geocode_check import labelled_texts, score
from alliance.geo.ons import read_geography_folder
from alliance.geo.spatial import to_bng


def _peer(texts: list[str], names: list[str], answers: list[Placed], **options: object
          ) -> tuple[float, GeocodeResult]:
    start = time.perf_counter()
    found = []
    for text in texts:
        hit = process.extractOne(text, names, **options)  # type: ignore[call-overload]
        found.append(answers[hit[2]] if hit is not None else Placed(None, None, None, 0.0, "",
                                                                    "not found"))
    return time.perf_counter() - start, GeocodeResult(texts=tuple(texts), places=tuple(found))


def main(n_texts: int = 100_000, n_peer: int = 2_000) -> None:
    shared = Path(config.load().shared_data)
    tables = read_geography_folder(shared / "geo")
    frames = [pd.read_csv(f, usecols=["Longitude", "Latitude", "Location", "LSOA code"])
              for f in sorted((shared / "policeuk" / "street" / "northamptonshire")
                              .glob("*-street.csv.gz"))]
    rows = pd.concat(frames, ignore_index=True).rename(
        columns={"Location": "location", "LSOA code": "lsoa21_code"})
    rows = rows[rows["lsoa21_code"].astype(str).str.startswith("E01")]
    rows["easting"], rows["northing"] = to_bng(rows["Longitude"], rows["Latitude"])
    lsoas = set(rows["lsoa21_code"])
    places = lsoa_places(tables.areas, tables.area_parents, lsoas)
    postcodes = tables.postcodes[tables.postcodes["lsoa21_code"].isin(lsoas)]
    start = time.perf_counter()
    gazetteer = build_gazetteer(streets=police_uk_streets(rows), postcodes=postcodes,
                                places=places)
    built = time.perf_counter() - start
    share = n_texts / 100_000
    labelled = labelled_texts(records=rows, postcodes=postcodes, places=places,
                              gazetteer=gazetteer, n_street=int(90_000 * share),
                              n_postcode=int(8_000 * share), n_junction=int(1_900 * share),
                              seed=2026).frame
    labelled = labelled.sample(frac=1.0, random_state=1).head(n_texts).reset_index(drop=True)
    texts = labelled["text"].tolist()
    print(f"gazetteer: {gazetteer.describe()} (built in {built:.1f} s)")
    print(f"{len(texts):,} texts, {len(set(texts)):,} distinct")

    start = time.perf_counter()
    ours = Geocoder(gazetteer).many(texts)
    ours_time = time.perf_counter() - start

    # the peer's choices: every name (the busiest street of a shared name) and postcode
    names: list[str] = []
    answers: list[Placed] = []
    entries = gazetteer.entries
    for indices in gazetteer.names.values():
        e = entries[max(indices, key=lambda i: entries[i].weight)]
        names.append(e.name)
        answers.append(Placed(e.lsoa21_code, e.easting, e.northing, 1.0, e.name, "peer"))
    for code, p in gazetteer.postcodes.items():
        names.append(code)
        answers.append(Placed(p.lsoa21_code, p.easting, p.northing, 1.0, code, "peer"))
    part = texts[:n_peer]
    default_time, default_result = _peer(part, names, answers)
    processed = [utils.default_process(n) for n in names]
    best_time, best_result = _peer(part, processed, answers, scorer=fuzz.ratio,
                                   processor=utils.default_process)

    print(f"\nAlliance geocoder: {ours_time:6.2f} s for {len(texts):,} texts "
          f"({1e6 * ours_time / len(texts):.0f} µs a text)")
    for label, t in (("rapidfuzz.extractOne, defaults (WRatio)", default_time),
                     ("rapidfuzz.extractOne, fuzz.ratio + default_process", best_time)):
        whole = t / len(part) * len(texts)
        print(f"{label}: {t:6.2f} s for {len(part):,} texts -> {whole:8.1f} s for "
              f"{len(texts):,}; ratio ours/theirs {ours_time / whole:.4f}")
    frame = labelled.head(n_peer)
    ours_part = GeocodeResult(texts=tuple(part), places=ours.places[:n_peer])
    for label, result in (("Alliance", ours_part), ("peer, defaults", default_result),
                          ("peer, best settings", best_result)):
        table = score(frame, result).set_index("texts")
        row = table.loc["street or postcode"]
        print(f"{label:20} on the first {n_peer:,}: right {row['right %']:5.1f}%  "
              f"wrong {row['wrong %']:5.1f}%  unplaced {row['unplaced %']:5.1f}%  | "
              f"no-place texts left unplaced {table.loc['no place', 'right %']:5.1f}%")
    table = score(labelled, ours).set_index("texts")
    print(f"\nAlliance on all {len(texts):,} texts:\n{table.to_string()}")
    print(f"texts placed per method:\n{ours.summary().to_string(index=False)}")
    assert np.isfinite(ours_time)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
