"""Benchmark govspeech beside its peers, whole-process, and print one table.

    python benchmarks/run.py [--units 200000] [--small 50000] [--repeats 5] [--markdown OUT.md] [--json OUT.json]

Builds a synthetic archive by repeating and shuffling the corpus units
(seeded) into speeches of SPEECH_UNITS units, as a JSONL stream; then, each as
its own process: label throughput on one core and on all cores, peak memory at
the small and the full size, cold start on one ordinary speech, model load,
train and 5-fold CV time, model size, and test-split macro-F1 — for
govspeech, the same with
jieba's own engine, a fastText classifier per role, and the bare floor
(segmentation + TF-IDF transform). Needs `pip install -e '.[bench]'` and GNU
time (/usr/bin/time) for peak memory. About 6 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus.jsonl"
CONFIG = ROOT / "configs" / "default.toml"
SPEECH = ROOT / "data" / "raw" / "000_8446d01601e08bac.txt"  # an ordinary speech: 13 kB, 180 units
SPEECH_UNITS = 100  # units per synthetic speech (real ones hold 50-300)
SEED = 0
GNU_TIME = "/usr/bin/time"
MB = 1024 * 1024


def synthetic(path: Path, n_units: int) -> None:
    units = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    rng = random.Random(SEED)
    pool: list[str] = []
    while len(pool) < n_units:
        batch = units[:]
        rng.shuffle(batch)
        pool.extend(batch)
    with path.open("w", encoding="utf-8") as out:
        for i in range(0, n_units, SPEECH_UNITS):
            out.write(json.dumps({"id": f"s{i // SPEECH_UNITS}", "text": "\n".join(pool[i : i + SPEECH_UNITS])},
                                 ensure_ascii=False) + "\n")


def run(cmd: list[str], *, env: dict | None = None) -> dict:
    """Wall seconds, peak RSS (MB, of the main process) and stdout of one command."""
    full_env = {**os.environ, **(env or {})}
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
        timed = [GNU_TIME, "-f", "%M", "-o", stats.name, *cmd] if Path(GNU_TIME).exists() else cmd
        start = time.perf_counter()
        done = subprocess.run(timed, capture_output=True, text=True, env=full_env, check=False)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
        text = Path(stats.name).read_text().strip().splitlines()
    peak = int(text[-1]) / 1024 if text and text[-1].isdigit() else float("nan")
    return {"wall": wall, "peak_mb": peak, "stdout": done.stdout}


def median_wall(cmd, repeats, env=None) -> float:
    return statistics.median(run(cmd, env=env)["wall"] for _ in range(repeats))


GOVSPEECH = [sys.executable, "-m", "govspeech.cli"]
PEERS = [sys.executable, str(ROOT / "benchmarks" / "peers.py")]
LOAD_ONLY = ("import time; t = time.perf_counter(); import govspeech.predictor as predictor; predictor.load(); "
             "print(time.perf_counter() - t)")
VARIANTS = {  # name: environment
    "govspeech": {},
    "govspeech, jieba engine": {"GOVSPEECH_SEGMENTER_ENGINE": "jieba"},
}


def label_rate(data: Path, n_units: int, out: Path, *, jobs: int, env: dict) -> dict:
    r = run([*GOVSPEECH, "label", str(data), "--format", "jsonl", "-j", str(jobs), "--out", str(out)], env=env)
    return {"rate": n_units / r["wall"], "peak_mb": r["peak_mb"]}


def measure(args, work: Path) -> dict:
    big, small = work / "big.jsonl", work / "small.jsonl"
    synthetic(big, args.units)
    synthetic(small, args.small)
    cores = len(os.sched_getaffinity(0))
    rows: dict[str, dict] = {name: {} for name in [*VARIANTS, "fastText (per role)", "floor: segment + TF-IDF"]}
    out = work / "out.jsonl"

    # Warm caches the way a second run finds them (jieba's prefix dict).
    for env in VARIANTS.values():
        run([*GOVSPEECH, "label", str(SPEECH)], env=env)

    g = rows["govspeech"]
    g |= {f"small_{k}": v for k, v in label_rate(small, args.small, out, jobs=1, env={}).items()}
    g |= label_rate(big, args.units, out, jobs=1, env={})
    g["rate_all"] = label_rate(big, args.units, out, jobs=cores, env={})["rate"]
    for name in ("govspeech, jieba engine",):
        rows[name] |= label_rate(small, args.small, out, jobs=1, env=VARIANTS[name])
        rows[name]["rate_note"] = f"{args.small // 1000}k units"
    for name, env in VARIANTS.items():
        rows[name]["cold"] = median_wall([*GOVSPEECH, "label", str(SPEECH)], args.repeats, env)
        rows[name]["load"] = statistics.median(
            float(run([sys.executable, "-c", LOAD_ONLY], env=env)["stdout"]) for _ in range(args.repeats))

    model_dir = work / "model"
    g["train"] = run([*GOVSPEECH, "train", "--config", str(CONFIG), "--corpus", str(CORPUS),
                      "--out", str(model_dir)])["wall"]
    g["cv"] = run([*GOVSPEECH, "cv", "--config", str(CONFIG), "--corpus", str(CORPUS)])["wall"]
    meta = json.loads((ROOT / "models" / "default" / "model.json").read_text())
    g["f1"] = meta["scores"]["test"]["macro_f1"]
    g["size_mb"] = sum(p.stat().st_size for p in (ROOT / "models" / "default").iterdir()) / MB

    ft = rows["fastText (per role)"]
    models = work / "fasttext"
    trained = run([*PEERS, "fasttext", "--train", str(CORPUS), "--models", str(models)])
    report = json.loads(trained["stdout"])
    ft |= {"train": trained["wall"], "f1": report["test_macro_f1"], "size_mb": report["size_bytes"] / MB}
    ft_label = [*PEERS, "fasttext", "--train", str(CORPUS), "--models", str(models), "--out", str(out)]
    sizes, big_run = peer_sizes(ft_label, small, big, args.units)
    ft |= sizes | {"load": json.loads(big_run["stdout"])["load_seconds"]}
    ft["cold"] = median_wall([*ft_label, "--input", str(_one_speech(work))], args.repeats)

    sizes, big_run = peer_sizes([*PEERS, "floor", "--train", str(CORPUS), "--out", str(out)], small, big, args.units)
    report = json.loads(big_run["stdout"])
    rows["floor: segment + TF-IDF"] |= sizes | {"rate_inner": report["units"] / report["seconds"]}
    return {"rows": rows, "cores": cores, "units": args.units, "small": args.small}


def peer_sizes(cmd: list[str], small: Path, big: Path, n_units: int) -> tuple[dict, dict]:
    """A peer command (``… --input FILE``) on the small and the large file: peak memory at both, throughput at the
    large one, and the large run itself."""
    small_run, big_run = run([*cmd, "--input", str(small)]), run([*cmd, "--input", str(big)])
    sizes = {"small_peak_mb": small_run["peak_mb"], "peak_mb": big_run["peak_mb"], "rate": n_units / big_run["wall"]}
    return sizes, big_run


def _one_speech(work: Path) -> Path:
    """The ordinary speech as a one-line JSONL stream, for peers that read JSONL."""
    path = work / "one.jsonl"
    path.write_text(json.dumps({"id": "one", "text": SPEECH.read_text(encoding="utf-8")}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


def _fmt(value, spec) -> str:
    return "–" if value is None or value != value else format(value, spec)


def table(result: dict) -> str:
    k = lambda n: f"{n // 1000}k"  # noqa: E731
    head = ["system", "test macro-F1", "units/s 1 core", f"units/s {result['cores']} cores", "cold start s",
            "model load s", "train s", "5-fold CV s", f"peak MB {k(result['small'])} / {k(result['units'])}",
            "model MB"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, r in result["rows"].items():
        rate = _fmt(r.get("rate"), ",.0f") + (f" ({r['rate_note']})" if r.get("rate_note") else "")
        peak = (f"{_fmt(r.get('small_peak_mb'), '.0f')} / {_fmt(r.get('peak_mb'), '.0f')}"
                if r.get("small_peak_mb") else _fmt(r.get("peak_mb"), ".0f") + f" ({r.get('rate_note', '')})")
        cells = [name, _fmt(r.get("f1"), ".3f"), rate, _fmt(r.get("rate_all"), ",.0f"), _fmt(r.get("cold"), ".2f"),
                 _fmt(r.get("load"), ".2f"), _fmt(r.get("train"), ".1f"), _fmt(r.get("cv"), ".1f"), peak,
                 _fmt(r.get("size_mb"), ".1f")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=200_000, help="units in the large synthetic file")
    parser.add_argument("--small", type=int, default=50_000, help="units in the small one (memory growth)")
    parser.add_argument("--repeats", type=int, default=5, help="runs per cold-start timing (median)")
    parser.add_argument("--markdown", help="also write the table here")
    parser.add_argument("--json", help="also write the raw figures here")
    args = parser.parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="govspeech-bench-") as work:
        result = measure(args, Path(work))
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=False).stdout.strip() or "unknown"
    result |= {"commit": commit, "seconds": time.perf_counter() - start}
    text = table(result)
    print(text)
    print(f"\nmeasured on commit {commit}, {result['cores']} cores, in {result['seconds']:.0f} s")
    if args.markdown:
        Path(args.markdown).write_text(text + "\n", encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
