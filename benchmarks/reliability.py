"""Run `govspeech label` on hostile input and faults, and print docs/reliability.md's tables (markdown).

    python benchmarks/reliability.py [--model DIR] [--seeds 2] > docs/reliability.md

Each case is run as a user would, in its own process, and its exit code and
first line of standard error are recorded as they come. The kill/resume
trials are those of tests/test_resume_kills.py: SIGTERM or SIGKILL at seeded
random points (twice per trial), then ``--resume``, compared byte for byte
with an uninterrupted run. Without ``--model`` a small model is trained from
the test fixtures first (seconds). Linux only (reads /proc, uses /dev/full).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_label_safety import SPEECH, _alive, _children  # noqa: E402
from test_resume_kills import label, make_inputs, trial  # noqa: E402


def _command(*args) -> list[str]:
    return [sys.executable, "-m", "govspeech.cli", "label", *map(str, args)]


def _messages(err: str) -> str:
    """The lines of standard error that say something (not argparse's usage block), for a table cell."""
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith((" ", "usage:"))]
    return "<br>".join(lines).replace("|", "\\|") or "(nothing)"


def _run(args, model, **popen) -> tuple[int, str]:
    result = subprocess.run(_command(*args, "--model", model), capture_output="stdout" not in popen, text=True,
                            timeout=600, **popen)
    err = result.stderr if isinstance(result.stderr, str) else ""
    return result.returncode, err


def _broken_pipe(work: Path, model) -> tuple[int, str]:
    stream = work / "many.jsonl"
    stream.write_text("".join(json.dumps({"id": f"r{i}", "text": SPEECH}, ensure_ascii=False) + "\n"
                              for i in range(400)), encoding="utf-8")
    process = subprocess.Popen(_command(stream, "--model", model, "--format", "jsonl"), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read()
    return process.wait(timeout=600), err


def _orphans(work: Path, model) -> tuple[int, str]:
    stream = work / "big.jsonl"
    stream.write_text("".join(json.dumps({"id": f"r{i}", "text": SPEECH * 5}, ensure_ascii=False) + "\n"
                              for i in range(20_000)), encoding="utf-8")
    process = subprocess.Popen(_command(stream, "--model", model, "--format", "jsonl", "-j", "2"),
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    process.stdout.readline()
    workers = _children(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait()
    time.sleep(5)
    alive = sum(map(_alive, workers))
    return process.returncode, f"{alive} of {len(workers)} workers alive 5 s after the parent was killed"


def _locked(work: Path, model, good: Path) -> tuple[int, str]:
    out = work / "locked.jsonl"
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        Path(f"{out}.lock").write_text(f"{holder.pid}\n")
        return _run([good, "--out", out], model)
    finally:
        holder.kill()
        holder.wait()


def _stale(work: Path, model, good: Path) -> tuple[int, str]:
    out = work / "stale.jsonl"
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    Path(f"{out}.lock").write_text(f"{gone.pid}\n")
    return _run([good, "--out", out], model)


def cases(work: Path, model) -> list[tuple[str, tuple[int, str]]]:
    """(what was tried, (exit code, first line of stderr)), in order."""
    good = work / "good.txt"
    good.write_text(SPEECH, encoding="utf-8")
    os.symlink(good, work / "link.txt")
    (work / "folder").mkdir()
    hostile = work / "hostile.jsonl"
    hostile.write_text("\n".join([
        '{"id": "deep", "text": "x", "m": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"id": "sur\\ud800", "text": "同志们:\\n要加快\\udc00园区建设。"}',
        json.dumps({"id": "line\nbreak", "text": SPEECH}, ensure_ascii=False),
        json.dumps({"id": "good", "text": SPEECH}, ensure_ascii=False)]) + "\n", encoding="utf-8")
    with open("/dev/full", "w") as full:
        dev_full = _run([good], model, stdout=full, stderr=subprocess.PIPE)
    return [
        ("`--out` is the input", _run([good, "--out", good], model)),
        ("`--out` is a symlink to the input", _run([good, "--out", work / "link.txt"], model)),
        ("`--out` names an existing folder", _run([good, "--out", work / "folder"], model)),
        ("`--out` inside an input folder, matching `--glob`", _run([work, "--out", work / "x.txt"], model)),
        ("`--out` locked by a live run", _locked(work, model, good)),
        ("`--out` with a stale lock (its run was killed)", _stale(work, model, good)),
        ("`/dev/full` as standard output", dev_full),
        ("broken pipe (`label … \\| head -1`)", _broken_pipe(work, model)),
        ("standard input closed (`- <&-`)", _run(["-"], model, preexec_fn=lambda: os.close(0))),
        ("standard output closed (`>&-`)", _run([good], model, preexec_fn=lambda: os.close(1))),
        ("JSONL: 100 000-deep nesting, a lone surrogate, an id with a line break, then a good record",
         _run([hostile, "--format", "csv"], model)),
        ("`--glob /etc/passwd`", _run([work, "--glob", "/etc/passwd"], model)),
        ("`--glob '../*'`", _run([work, "--glob", "../*"], model)),
        ("`--max-file-mb nan` (also `inf`, `-1`)", _run([good, "--max-file-mb", "nan"], model)),
        ("SIGKILL of the main process under `-j 2`", _orphans(work, model)),
    ]


def kill_trials(work: Path, model, seeds: int) -> list[tuple[str, int, int, int]]:
    """(format, jobs, signal name, identical outputs of ``seeds`` trials)."""
    inputs = make_inputs(work / "kill-inputs")
    rows = []
    seed = 100
    for fmt in ("jsonl", "csv", "text"):
        reference = work / f"reference.{fmt}"
        subprocess.run(label(inputs, reference, model, fmt, 1), capture_output=True, timeout=600)
        for jobs in (1, 2):
            for sig in (signal.SIGTERM, signal.SIGKILL):
                same = 0
                for _ in range(seeds):
                    seed += 1
                    same += trial(inputs, work, model, reference, fmt=fmt, jobs=jobs, sig=sig, seed=seed,
                                  kills=2)[0]
                rows.append((fmt, jobs, sig.name, same))
    return rows


def _mini_model(work: Path) -> Path:
    from govspeech.trainer import train

    out = work / "model"
    train(ROOT / "tests/fixtures/mini.toml", out, corpus_path=ROOT / "tests/fixtures/mini_corpus.jsonl")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", help="model directory (default: a small model trained from the test fixtures)")
    parser.add_argument("--seeds", type=int, default=2, help="kill/resume trials per format, jobs and signal")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        model = Path(args.model) if args.model else _mini_model(work)
        for folder in ("cases", "kills"):
            (work / folder).mkdir()
        found = cases(work / "cases", model)
        trials = kill_trials(work / "kills", model, args.seeds)
    print(HEADER)
    print("| case | exit code | standard error |\n|---|---|---|")
    for what, (code, err) in found:
        print(f"| {what} | {code if code >= 0 else f'killed ({code})'} | {_messages(err.replace(tmp, '…'))} |")
    print(KILLS.format(seeds=args.seeds))
    print("| format | -j | signal | resumed output identical |\n|---|---|---|---|")
    for fmt, jobs, name, same in trials:
        print(f"| {fmt} | {jobs} | {name} | {same} of {args.seeds} |")


HEADER = """# Reliability of `govspeech label`

What `govspeech label` does on hostile input and faults, as measured by
`benchmarks/reliability.py` (this file is its output; regenerate it with
`python benchmarks/reliability.py > docs/reliability.md`, about a quarter
of an hour on two busy cores). Exit codes are README's "Exit codes"; each
failure is one line on standard error (lines are joined by `<br>` here),
never a traceback; a JSONL record's failure is its own, the rest of the
stream is labelled. Paths of the temporary folder are shown as `…`; the
model is a small one trained from the test fixtures. The tests of
`tests/test_label_safety.py` assert each of these, and also: an `--out`
through a relative path or a hard link, a full disk under `--out` (exit 4,
`F.partial` kept and resumed to the same bytes), files reached through
symlinks out of a folder, and a worker killed under `-j 2` (labelled again;
killed twice, that input alone fails with exit 17).
"""

KILLS = """
## Killed and resumed

Each trial kills a `--out` run twice at a seeded random point (after a
random number of inputs, plus up to 30 ms), resumes it with `--resume`, and
compares the output with an uninterrupted run's, byte for byte. The input is
a JSONL stream of 80 records with repeated ids, debris-first pages, a record
refused for its id and one with a lone surrogate, then a debris-first page
given twice ({seeds} trial(s) per row; `tests/test_resume_kills.py` runs
them in the test suite).
"""

if __name__ == "__main__":
    main()
