"""Benchmark govspeech beside its peers, on the same distinct units, and print one table.

    python benchmarks/run.py [--units 100000] [--repeats 5] [--no-train] [--markdown OUT.md] [--json OUT.json]

Input: every distinct unit text of the corpus, the synthetic speeches and the
paraphrases (about 12k), shuffled with a fixed seed into speeches of
SPEECH_UNITS units, as a JSONL stream (``distinct``); and, for the scaling and
memory figures, the same pool repeated in freshly shuffled passes up to
``--units`` (``big``). Every rate counts the units of ``split_units`` of the
input, for every system.

Measured, each as its own process, the rows' repeats interleaved so that
machine load hits them alike (medians of ``--repeats``): in-process
throughput of govspeech (the public Labeller writing JSONL) and of the floor
(segmentation + scikit-learn word 1-2-gram and character 1-3-gram TF-IDF) on
``distinct``; whole-process `govspeech label --format jsonl` on ``distinct``,
and on ``big`` with one job and one per core; peak memory at both sizes;
cold start on one ordinary speech; model load; train and 5-fold CV time;
model size; test-split macro-F1; a fastText classifier per role when
installed. Needs `pip install -e '.[bench]'` and GNU time (/usr/bin/time) for
peak memory. About 6 minutes on 2 cores.
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
UNIT_SOURCES = [CORPUS, *sorted((ROOT / "data" / "synthetic").glob("*.jsonl")),
                *sorted((ROOT / "data" / "paraphrases").glob("*.jsonl"))]
CONFIG = ROOT / "configs" / "default.toml"
SPEECH = ROOT / "data" / "raw" / "000_8446d01601e08bac.txt"  # an ordinary speech: 13 kB, 180 units
SPEECH_UNITS = 100  # units per synthetic speech (real ones hold 50-300)
SEED = 0
GNU_TIME = "/usr/bin/time"
MB = 1024 * 1024
NAN = float("nan")


def distinct_units() -> list[str]:
    """Every distinct unit text of the data files, in a seeded order."""
    texts = set()
    for path in UNIT_SOURCES:
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line).get("text") if line.strip() else None
            if isinstance(text, str) and text.strip():
                texts.add(text)
    pool = sorted(texts)
    random.Random(SEED).shuffle(pool)
    return pool


def write_speeches(path: Path, pool: list[str], n_units: int) -> None:
    """``n_units`` units as speeches of SPEECH_UNITS: the pool once, then reshuffled passes of it."""
    rng, units = random.Random(SEED), pool[:]
    while len(units) < n_units:
        batch = pool[:]
        rng.shuffle(batch)
        units.extend(batch)
    units = units[:n_units]
    with path.open("w", encoding="utf-8") as out:
        for i in range(0, n_units, SPEECH_UNITS):
            out.write(json.dumps({"id": f"s{i // SPEECH_UNITS}", "text": "\n".join(units[i : i + SPEECH_UNITS])},
                                 ensure_ascii=False) + "\n")


def run(cmd: list[str], *, env: dict | None = None) -> dict:
    """Wall seconds, CPU seconds (user + system, children included), peak RSS (MB, of the main process) and
    stdout of one command."""
    # Bytecode is written and reused, as an installed package has it (a shell may set PYTHONDONTWRITEBYTECODE).
    full_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | (env or {})
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
        timed = [GNU_TIME, "-f", "%M %U %S", "-o", stats.name, *cmd] if Path(GNU_TIME).exists() else cmd
        start = time.perf_counter()
        done = subprocess.run(timed, capture_output=True, text=True, env=full_env, cwd=ROOT, check=False)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
        text = Path(stats.name).read_text().strip().splitlines()
    fields = text[-1].split() if text else []
    peak, cpu = (int(fields[0]) / 1024, float(fields[1]) + float(fields[2])) if len(fields) == 3 else (NAN, NAN)
    return {"wall": wall, "cpu": cpu, "peak_mb": peak, "stdout": done.stdout}


def load_average() -> float:
    """The 1-minute load average: on a shared machine, what else competed for the cores."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return NAN


def median_times(cmd, repeats, env=None) -> tuple[float, float]:
    """Median wall and median CPU seconds of ``repeats`` runs."""
    runs = [run(cmd, env=env) for _ in range(repeats)]
    return statistics.median(r["wall"] for r in runs), statistics.median(r["cpu"] for r in runs)


GOVSPEECH = [sys.executable, "-m", "govspeech.cli"]
PEERS = [sys.executable, str(ROOT / "benchmarks" / "peers.py")]
LOAD_ONLY = ("import time; t = time.perf_counter(); import govspeech.predictor as predictor; predictor.load(); "
             "print(time.perf_counter() - t)")
GOV, FLOOR, FASTTEXT = "govspeech", "floor: segment + TF-IDF", "fastText (per role)"


def _has(module: str) -> bool:
    return subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, check=False).returncode == 0


def measure(args, work: Path) -> dict:
    pool = distinct_units()
    distinct, big, out = work / "distinct.jsonl", work / "big.jsonl", work / "out.jsonl"
    write_speeches(distinct, pool, len(pool))
    write_speeches(big, pool, args.units)
    cores = len(os.sched_getaffinity(0))
    load_before = load_average()
    rows: dict[str, dict] = {GOV: {}, FASTTEXT: {}, FLOOR: {}}
    g, fl = rows[GOV], rows[FLOOR]
    run([*GOVSPEECH, "label", str(SPEECH)])  # warm the file caches as every later run finds them

    label = lambda data, jobs: [*GOVSPEECH, "label", str(data), "--format", "jsonl", "-j", str(jobs),  # noqa: E731
                                "--out", str(out)]
    inner = lambda peer: [*PEERS, peer, "--train", str(CORPUS), "--input", str(distinct), "--out", str(out)]  # noqa
    rates: dict[str, list[float]] = {"inner": [], "floor": [], "cli": [], "ratio": []}
    for _ in range(args.repeats):  # interleaved: a busy moment slows all three alike
        gov = json.loads(run(inner("govspeech"))["stdout"])
        flo = json.loads(run(inner("floor"))["stdout"])
        cli = run(label(distinct, 1))
        rates["inner"].append(gov["units"] / gov["seconds"])
        rates["floor"].append(flo["units"] / flo["seconds"])
        rates["ratio"].append(rates["floor"][-1] / rates["inner"][-1])
        rates["cli"].append(len(pool) / cli["wall"])
        g["small_peak_mb"] = cli["peak_mb"]
    g |= {"rate_inner": statistics.median(rates["inner"]), "rate_cli": statistics.median(rates["cli"]),
          "ratio": statistics.median(rates["ratio"]), "rates": rates}
    fl["rate_inner"] = statistics.median(rates["floor"])
    one, two, cpu_one, cpu_two = [], [], [], []
    for _ in range(args.big_repeats):
        r, r_all = run(label(big, 1)), run(label(big, cores))
        one.append(args.units / r["wall"])
        two.append(args.units / r_all["wall"])
        cpu_one.append(r["cpu"])
        cpu_two.append(r_all["cpu"])
        g["peak_mb"] = r["peak_mb"]
    g |= {"rate": statistics.median(one), "rate_all": statistics.median(two),
          "cpu_1": statistics.median(cpu_one), "cpu_all": statistics.median(cpu_two)}
    g["scaling"] = g["rate_all"] / g["rate"]
    g["cold"], g["cold_cpu"] = median_times([*GOVSPEECH, "label", str(SPEECH)], args.repeats)
    g["load"] = statistics.median(float(run([sys.executable, "-c", LOAD_ONLY])["stdout"]) for _ in range(args.repeats))

    if not args.no_train:
        g["train"] = run([*GOVSPEECH, "train", "--config", str(CONFIG), "--corpus", str(CORPUS),
                          "--out", str(work / "model")])["wall"]
        g["cv"] = run([*GOVSPEECH, "cv", "--config", str(CONFIG), "--corpus", str(CORPUS)])["wall"]
    meta = json.loads((ROOT / "models" / "default" / "model.json").read_text())
    g["f1"] = meta["scores"]["test"]["macro_f1"]
    g["size_mb"] = sum(p.stat().st_size for p in (ROOT / "models" / "default").iterdir()) / MB

    if _has("fasttext"):
        ft = rows[FASTTEXT]
        models = work / "fasttext"
        trained = run([*PEERS, "fasttext", "--train", str(CORPUS), "--models", str(models)])
        report = json.loads(trained["stdout"])
        ft |= {"train": trained["wall"], "f1": report["test_macro_f1"], "size_mb": report["size_bytes"] / MB}
        ft_label = [*PEERS, "fasttext", "--train", str(CORPUS), "--models", str(models), "--out", str(out)]
        small_run, big_run = peer_runs(ft_label, distinct, big)
        report = json.loads(small_run["stdout"])
        ft |= {"load": report["load_seconds"], "rate_inner": report["units"] / report["seconds"],
               "rate_cli": len(pool) / small_run["wall"], "rate": args.units / big_run["wall"],
               "small_peak_mb": small_run["peak_mb"], "peak_mb": big_run["peak_mb"]}
        ft["cold"], ft["cold_cpu"] = median_times([*ft_label, "--input", str(_one_speech(work))], args.repeats)
    else:
        del rows[FASTTEXT]

    small_run, big_run = peer_runs([*PEERS, "floor", "--train", str(CORPUS), "--out", str(out)], distinct, big)
    fl |= {"small_peak_mb": small_run["peak_mb"], "peak_mb": big_run["peak_mb"]}
    return {"rows": rows, "cores": cores, "units": args.units, "small": len(pool), "load_before": load_before,
            "load_after": load_average()}


def peer_runs(cmd: list[str], small: Path, big: Path) -> tuple[dict, dict]:
    """A peer command (``… --input FILE``) run on the small and on the large file."""
    return run([*cmd, "--input", str(small)]), run([*cmd, "--input", str(big)])


def _one_speech(work: Path) -> Path:
    """The ordinary speech as a one-line JSONL stream, for peers that read JSONL."""
    path = work / "one.jsonl"
    path.write_text(json.dumps({"id": "one", "text": SPEECH.read_text(encoding="utf-8")}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


def _fmt(value, spec) -> str:
    return "–" if value is None or value != value else format(value, spec)


def table(result: dict) -> str:
    k = lambda n: f"{n / 1000:.1f}k"  # noqa: E731
    head = ["system", "test macro-F1", "units/s in-process, 1 core", "units/s whole process, 1 core",
            f"units/s {k(result['units'])}, 1 core", f"units/s {k(result['units'])}, {result['cores']} cores",
            "cold start s (CPU s)", "model load s", "train s", "5-fold CV s",
            f"peak MB {k(result['small'])} / {k(result['units'])}", "model MB"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, r in result["rows"].items():
        cells = [name, _fmt(r.get("f1"), ".3f"), _fmt(r.get("rate_inner"), ",.0f"), _fmt(r.get("rate_cli"), ",.0f"),
                 _fmt(r.get("rate"), ",.0f"), _fmt(r.get("rate_all"), ",.0f"),
                 _fmt(r.get("cold"), ".2f") + f" ({_fmt(r.get('cold_cpu'), '.2f')})",
                 _fmt(r.get("load"), ".2f"), _fmt(r.get("train"), ".1f"), _fmt(r.get("cv"), ".1f"),
                 f"{_fmt(r.get('small_peak_mb'), '.0f')} / {_fmt(r.get('peak_mb'), '.0f')}",
                 _fmt(r.get("size_mb"), ".1f")]
        lines.append("| " + " | ".join(cells) + " |")
    g = result["rows"][GOV]
    lines += ["", f"floor / govspeech in-process (median of the per-repeat ratios): {g['ratio']:.2f}x; "
              f"{result['cores']} jobs / 1 job on {k(result['units'])} units: {g['scaling']:.2f}x wall, CPU "
              f"{g['cpu_1']:.1f} s vs {g['cpu_all']:.1f} s; load average {result['load_before']:.1f} before, "
              f"{result['load_after']:.1f} after"]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=100_000, help="units in the large file (scaling, memory)")
    parser.add_argument("--repeats", type=int, default=5, help="runs per in-process and cold-start timing (median)")
    parser.add_argument("--big-repeats", type=int, default=3, help="runs per timing on the large file (median)")
    parser.add_argument("--no-train", action="store_true", help="skip the train and CV timings (a quick run)")
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
