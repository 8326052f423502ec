"""Benchmark: NumPy all-MiniLM-L6-v2 embeddings and theme finding on real Pol.is statements.

Run:  cd /work/main && .venv/bin/python benchmarks/bench_themes.py [--repeats 3]

The peer is sentence-transformers (``SentenceTransformer(model_dir).encode(...,
normalize_embeddings=True)`` on the same bundled weights). It needs torch, which Alliance does
not install; when it is importable the script times it beside ours on the same texts, prints the
speed ratio and the largest absolute difference between the two embeddings, otherwise it says
it was skipped. Timings: best of ``--repeats`` after one warm-up (model weights loaded and the
GELU kernel compiled outside the timed region); the machine is shared, so take the best.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from alliance import config
from alliance.voice.opinion import read_polis_export
from alliance.voice.themes import embed, find_themes
from alliance.voice.themes.embed import bundled_model_dir, load_encoder

CONVERSATIONS = ("london.youth.policing", "scoop-hivemind.biodiversity",
                 "american-assembly.bowling-green")


def best_of(repeats: int, work: object) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    folder = Path(config.load().shared_data) / "polis"
    start = time.perf_counter()
    load_encoder()
    embed(["warm up the GELU kernel"])
    print(f"model load + kernel compile: {time.perf_counter() - start:.2f} s")
    try:
        from sentence_transformers import SentenceTransformer
        peer = SentenceTransformer(str(bundled_model_dir()), device="cpu")
    except ImportError:
        peer = None
        print("peer sentence-transformers not installed (needs torch): peer timing skipped")
    for name in CONVERSATIONS:
        texts = read_polis_export(folder / name).comments["body"].astype(str).tolist()
        ours = best_of(args.repeats, lambda texts=texts: embed(texts))
        vectors = embed(texts)
        themes = best_of(args.repeats,
                         lambda texts=texts, v=vectors: find_themes(texts, embeddings=v))
        line = (f"{name}: {len(texts)} statements; embed {ours:.2f} s "
                f"({len(texts) / ours:.0f} statements/s); themes from embeddings {themes:.2f} s")
        if peer is not None:
            theirs = best_of(args.repeats, lambda texts=texts: peer.encode(
                texts, batch_size=64, normalize_embeddings=True))
            reference = peer.encode(texts, batch_size=64, normalize_embeddings=True)
            line += (f"; sentence-transformers {theirs:.2f} s, ratio ours/theirs "
                     f"{ours / theirs:.2f}, max |diff| {np.abs(vectors - reference).max():.1e}")
        print(line)


if __name__ == "__main__":
    main()
