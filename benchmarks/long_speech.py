"""One very long speech: time of the second stage's sequence features and of the outline by size.

    python benchmarks/long_speech.py [--units 65536] [--repeats 3]

Builds one speech of short corpus units (seeded shuffle, so headings and
enumerated items fall through it as in real text), then times
``sequence_features`` (random role probabilities, the default window) and
``ancestor_rows`` on its first 8k, 16k, 32k and 64k units. Both are linear:
each doubling should about double the time.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path

import numpy as np

from govspeech.features import ancestor_rows
from govspeech.features._sequence import sequence_features

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus.jsonl"
SEED = 0
SHORT_UNIT_CHARS = 40  # "short units": up to a heading's length
WINDOW = 2  # the default config's stacking.window


def long_speech(n_units: int) -> list[str]:
    units = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    short = [u for u in units if len(u) <= SHORT_UNIT_CHARS]
    rng = random.Random(SEED)
    return [rng.choice(short) for _ in range(n_units)]


def best_of(repeats: int, work) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times) if times else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=65536)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    texts = long_speech(args.units)
    proba = np.random.default_rng(SEED).random((args.units, 4))
    sizes = [args.units >> shift for shift in (3, 2, 1, 0) if args.units >> shift]
    print(f"{'units':>8}  {'sequence_features s':>20}  {'per 1k units ms':>16}  {'ancestor_rows s':>16}")
    for n in sizes:
        spans = [(0, n)]
        seq = best_of(args.repeats, lambda n=n, spans=spans: sequence_features(proba[:n], texts[:n], spans, window=WINDOW))
        tree = best_of(args.repeats, lambda n=n, spans=spans: ancestor_rows(texts[:n], spans))
        print(f"{n:>8}  {seq:>20.3f}  {1000 * seq / (n / 1000):>16.2f}  {tree:>16.3f}")
    print(f"median unit length {statistics.median(map(len, texts)):.0f} characters; window {WINDOW}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
