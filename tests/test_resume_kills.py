"""Kill `govspeech label --out` at random points (SIGTERM, SIGKILL; -j 1, -j 2) and `--resume` it: the output
is byte for byte that of an uninterrupted run, with repeated ids, debris-first pages and refused ids in the input.

The kill points are drawn from a seeded generator (reproducible); a run that ends before its signal could be
sent fails the test, it is not skipped. ``benchmarks/reliability.py`` runs the same trials for
docs/reliability.md.
"""

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from speeches import DEBRIS_FIRST, SPEECH

# Small chunks, so that a short run under -j 2 commits many times (the chunk size does not change the output).
# Chunks of about one record: with -j 2 results then commit one by one, as on real speeches, not in bursts
# that carry a run from the kill point to its end before the signal lands.
RUNNER = ("import sys; from govspeech.predictor import _parallel; "
          "_parallel.label_stream.__kwdefaults__['chunk_chars'] = 200; "
          "from govspeech.cli import main; sys.exit(main(sys.argv[1:]))")
SIGNAL_WAIT_SECONDS = 120


def make_inputs(folder: Path, n_records: int = 80) -> list[Path]:
    """A JSONL stream with repeated ids, debris-first records, a refused id and a lone surrogate, then a
    debris-first page given twice."""
    folder.mkdir(parents=True, exist_ok=True)
    records = []
    for i in range(n_records):
        text = DEBRIS_FIRST + SPEECH * 2 if i % 7 == 3 else SPEECH * 3
        records.append(json.dumps({"id": f"r{i % 5}", "text": text}, ensure_ascii=False))
    records[10] = json.dumps({"id": "bad\nid", "text": SPEECH}, ensure_ascii=False)
    records[20] = '{"id": "sur\\ud800", "text": "同志们:\\n要加快\\udc00园区建设。"}'
    stream = folder / "speeches.jsonl"
    stream.write_text("\n".join(records) + "\n", encoding="utf-8")
    page = folder / "page.txt"
    page.write_text(DEBRIS_FIRST, encoding="utf-8")
    return [stream, page, page]


def label(inputs, out: Path, model, fmt: str, jobs: int, *extra) -> list[str]:
    return [sys.executable, "-c", RUNNER, "label", *map(str, inputs), "--model", str(model), "--format", fmt,
            "--out", str(out), "-j", str(jobs), *extra]


def _committed(journal: Path) -> int:
    try:
        return max(journal.read_bytes().count(b"\n") - 1, 0)  # the first line names the format
    except FileNotFoundError:
        return 0


LEFT_AFTER_KILL = 10


def kill_at(command: list[str], journal: Path, rng: random.Random, n_inputs: int, sig: int) -> int:
    """Run ``command`` and send ``sig`` once a random number more inputs are committed (plus a random instant);
    AssertionError if the run ended first."""
    done = _committed(journal)
    # Aim LEFT_AFTER_KILL inputs short of the end: the small model labels a few inputs in less time than the
    # jitter below, and a run that finished first has nothing left to interrupt. (-j 2 commits in bursts.)
    target = done + rng.randint(1, max(1, (n_inputs - done - LEFT_AFTER_KILL) // 2))
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + SIGNAL_WAIT_SECONDS
    while _committed(journal) < target and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(rng.uniform(0, 0.003))  # a random instant: mid-write, mid-commit or between inputs
    assert process.poll() is None, f"the run ended before signal {sig} could be sent (at {target} inputs)"
    process.send_signal(sig)
    _, err = process.communicate(timeout=SIGNAL_WAIT_SECONDS)
    assert b"Traceback" not in err, err.decode()
    return process.returncode


def trial(inputs, folder: Path, model, reference: Path, *, fmt: str, jobs: int, sig: int, seed: int,
          kills: int = 1) -> tuple[bool, int]:
    """Kill a run ``kills`` times, then resume it to the end: (output identical to ``reference``, exit code)."""
    rng = random.Random(seed)
    out = folder / f"out-{seed}.{fmt}"
    journal = out.with_name(out.name + ".resume.jsonl")
    for attempt in range(kills):
        if attempt and _n_inputs(inputs) - _committed(journal) <= LEFT_AFTER_KILL:
            break  # -j 2 commits in bursts: the first kill came after one that left too little to kill again
        code = kill_at(label(inputs, out, model, fmt, jobs, *(["--resume"] if attempt else [])), journal, rng,
                       _n_inputs(inputs), sig)
        assert code == (130 if sig == signal.SIGTERM else -sig), code
        # The signal reached a live process; if that was after its final rename, the output must be whole.
        assert not out.exists() or out.read_bytes() == reference.read_bytes()
    resumed = subprocess.run(label(inputs, out, model, fmt, jobs, "--resume"), capture_output=True, text=True,
                             timeout=600)
    assert "Traceback" not in resumed.stderr and "already labelled" in resumed.stderr
    if sig == signal.SIGKILL:
        assert "that is no longer alive" in resumed.stderr  # the killed run's lock, taken over
    return out.read_bytes() == reference.read_bytes(), resumed.returncode


def _n_inputs(inputs) -> int:
    return sum(1 for line in Path(inputs[0]).read_bytes().splitlines() if line.strip()) + len(inputs) - 1


class Setup:
    """The inputs, and an uninterrupted run's output per format (made when first asked for)."""

    def __init__(self, folder: Path, model):
        self.folder, self.model = folder, model
        self.inputs = make_inputs(folder / "in")
        self._references: dict[str, Path] = {}

    def reference(self, fmt: str) -> Path:
        if fmt not in self._references:
            path = self.folder / f"reference.{fmt}"
            result = subprocess.run(label(self.inputs, path, self.model, fmt, 1), capture_output=True, text=True,
                                    timeout=600)
            assert result.returncode == 5 and "1 failed" in result.stderr  # the refused id, alone
            self._references[fmt] = path
        return self._references[fmt]


@pytest.fixture(scope="module")
def setup(tmp_path_factory, mini_model):
    return Setup(tmp_path_factory.mktemp("kills"), mini_model)


CASES = [("jsonl", 1, signal.SIGTERM, 1), ("csv", 2, signal.SIGKILL, 2)]
SLOW_CASES = [(fmt, jobs, sig, seed) for seed, (fmt, jobs, sig) in enumerate(
    [(f, j, s) for f in ("jsonl", "csv", "text") for j in (1, 2) for s in (signal.SIGTERM, signal.SIGKILL)], 10)]


@pytest.mark.parametrize("fmt, jobs, sig, seed", CASES)
def test_a_killed_run_resumes_to_the_same_bytes(setup, fmt, jobs, sig, seed):
    same, code = trial(setup.inputs, setup.folder, setup.model, setup.reference(fmt), fmt=fmt, jobs=jobs, sig=sig,
                       seed=seed)
    assert same and code == 5


@pytest.mark.slow
@pytest.mark.parametrize("fmt, jobs, sig, seed", SLOW_CASES)
def test_every_format_jobs_and_signal_killed_twice_resumes_to_the_same_bytes(setup, fmt, jobs, sig, seed):
    same, code = trial(setup.inputs, setup.folder, setup.model, setup.reference(fmt), fmt=fmt, jobs=jobs, sig=sig,
                       seed=seed, kills=2)
    assert same and code == 5
