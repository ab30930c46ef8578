"""The `govspeech` command: thin verbs over the package's plain functions.

Exit codes (README "Exit codes") come from ``govspeech.errors.EXIT_CODES``:
every GovspeechError reaches ``main()`` and leaves with its kind's code.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import signal
import sys
from pathlib import Path

import govspeech.predictor as predictor
from govspeech._adapt_args import add_adapt_verbs
from govspeech._arguments import (
    add_input_arguments,
    add_input_format_argument,
    add_model_arguments,
    add_training_arguments,
    verb_parser,
)
from govspeech._corpus_verbs import add_corpus_verbs
from govspeech._explain_cmd import add_explain_verb, check_explain
from govspeech._stdout import GuardedStdout, check_stdout
from govspeech.atomic import atomic_write_json, check_folder
from govspeech.errors import GovspeechError, OutputError, UsageError, exit_code
from govspeech.features import limits
from govspeech.predictor import (
    RESUMABLE_FORMATS,
    OutputLock,
    check_out,
    label_inputs,
    named_failures,
    parquet_unavailable,
    profile_inputs,
    structure_report,
    write_table,
)
from govspeech.version import __version__


def cmd_train(args) -> int:
    from govspeech.trainer import train

    result = train(args.config, args.out, corpus_path=args.corpus, overrides=dict(args.set), report=_progress(args))
    roles = result.model.roles_
    for name, scores in result.meta["scores"].items():
        print(f"{name + ':':<11} macro-F1 {scores['macro_f1']:.3f}  "
              + "  ".join(f"{r} {scores['per_role'][r]['f1']:.3f}" for r in roles))
    print("thresholds:", json.dumps({r: result.meta["thresholds"][r] for r in roles}))
    if args.out:
        print(f"saved {args.out}")
    return exit_code("ok")


def _progress(args):
    """Stage lines with the elapsed time on standard error, when it is a terminal or with --verbose; else none."""
    import time

    start = time.monotonic()
    shown = args.verbose or (sys.stderr is not None and sys.stderr.isatty())

    def report(stage: str) -> None:
        if shown:
            print(f"govspeech: [{time.monotonic() - start:6.1f} s] {stage}", file=sys.stderr, flush=True)
    return report


def cmd_cv(args) -> int:
    from govspeech.trainer import cross_validate

    if args.json:
        check_folder(args.json)  # before the folds, which take minutes
    result = cross_validate(args.config, corpus_path=args.corpus, overrides=dict(args.set), report=_progress(args))
    for role, v in result["per_role"].items():
        print(f"{role:<10} F1 {v['f1']:.3f} ± {v['f1_std']:.3f}")
    print(f"macro-F1 {result['macro_f1']:.3f} ± {result['macro_f1_std']:.3f}  (out-of-fold, pooled over "
          f"{result['n_splits']} folds by speech; ± is the spread across folds; per-fold mean "
          f"{result['fold_mean_macro_f1']:.3f})")
    print("per-speech share MAE " + "  ".join(f"{r} {v:.3f}" for r, v in result["per_speech_share_mae"].items()))
    if args.json:
        atomic_write_json(args.json, result)
    return exit_code("ok")


def cmd_evaluate(args) -> int:
    from govspeech._evaluation_notes import evaluation_notes
    from govspeech.trainer import baseline_scores, evaluate_labelled, format_scores, load_corpus, role_scores

    labeller = predictor.load(args.model, sha256=args.model_sha256)
    units = load_corpus(args.data)
    training = labeller.meta.get("training", {})
    result = evaluate_labelled(labeller, units, split=args.split, trained_on=set(training.get("unit_text_sha256", ())))
    if not result.units:
        raise UsageError(f"{args.data}: no unit to score in split {result.split}; choose another --split "
                         "(test, dev, train or all)")
    scores = role_scores(result.gold, result.predicted, [u.doc_id for u in result.units])
    rates = [training["train_role_rates"][r] for r in labeller.roles]
    print(format_scores({"model": scores, **baseline_scores(result.units, rates)}))
    for line in evaluation_notes(args.data, result, training, rates):
        print(f"govspeech: {line}", file=sys.stderr)
    if args.json:
        atomic_write_json(args.json, scores)
    return exit_code("ok")


def _format_of(args, formats: tuple[str, ...], default: str) -> str:
    """``--format`` as given, else the one ``--out``'s extension names (report.html: html), else ``default``."""
    if args.format:
        return args.format
    suffix = Path(args.out).suffix.lower().lstrip(".") if args.out else ""
    named = {"txt": "text", "htm": "html"}.get(suffix, suffix)
    return named if named in formats else default


def cmd_label(args) -> int:
    args.format = _format_of(args, ("text", "jsonl", "csv", "html"), "text")
    check_explain(args.explain, args.format)
    if args.resume and not args.out:
        raise UsageError("--resume needs --out (the output to continue); add --out FILE")
    if args.resume and args.format not in RESUMABLE_FORMATS:
        *first, last = RESUMABLE_FORMATS
        raise UsageError(f"--resume works for {', '.join(first)} and {last}; label into a new "
                         f"{args.format.upper()} file")
    check_stdout(args.out)
    signal.signal(signal.SIGTERM, _interrupt)  # kill: stop as on Ctrl-C, keep the partial output for --resume
    if not args.out:
        return _label(args, None)
    check_out(args.out, args.inputs, glob=args.glob, stdin="-")  # before any work: nothing is written yet
    with OutputLock(args.out) as lock:  # released on every way out; a killed run's lock is taken over
        if lock.note:
            print(f"govspeech: {lock.note}", file=sys.stderr)
        return _label(args, args.out)


def _label(args, out: str | None) -> int:
    labeller = predictor.load(args.model, sha256=args.model_sha256)
    sink = predictor.OutputSink(out, args.format, resume=args.resume, model_sha256=labeller.model.sha256,
                                explain=args.explain)
    summary = label_inputs(args.inputs, labeller=labeller, sink=sink, model_path=args.model, jobs=args.jobs,
                           glob=args.glob, input_format=args.input_format, max_bytes=_max_bytes(args.max_file_mb),
                           verbose=args.verbose, excel=args.excel, explain=args.explain)
    if summary.interrupted:
        resume = "; run again with --resume to go on" if sink.resumable else ""
        print(f"govspeech: interrupted after {summary.ok} input(s){resume}", file=sys.stderr)
        return exit_code("interrupted")
    if summary.inputs > 1 or summary.failed or summary.skipped:
        print(f"govspeech: {summary}", file=sys.stderr)
    return _inputs_exit(summary.failed, summary.ok + summary.skipped)  # resumed: already in the output counts


def _inputs_exit(failed: list[str], ok: int) -> int:
    """0 when nothing failed; 5 when some inputs are labelled (``ok``: in this run, or kept by --resume) and
    others failed; when none is, the code of the one reason every input failed for, or 1 for several reasons
    (README "Exit codes")."""
    if not failed:
        return exit_code("ok")
    if ok:
        return exit_code("partial")
    return exit_code(failed[0] if len(set(failed)) == 1 else "inputs failed")


def _max_bytes(max_file_mb: float | None) -> int | None:
    max_mb = limits().input.max_file_mb if max_file_mb is None else max_file_mb
    return int(max_mb * 2**20) or None


def cmd_profile(args) -> int:
    args.format = _format_of(args, ("csv", "jsonl", "parquet"), "csv")
    if args.format == "parquet" and not args.out:
        raise UsageError("--format parquet needs --out FILE (it is not text for standard output)")
    if args.format == "parquet" and (why := parquet_unavailable()):
        raise UsageError(f"{why}; or use --format csv")
    check_stdout(args.out)
    if args.out:  # before any work: nothing is written yet
        check_out(args.out, args.inputs, glob=args.glob, stdin="-", example=f"shares.{args.format}")
    run = profile_inputs(args.inputs, model=args.model, sha256=args.model_sha256, jobs=args.jobs, glob=args.glob,
                         input_format=args.input_format, max_bytes=_max_bytes(args.max_file_mb),
                         report=lambda line: print(f"govspeech: {line}", file=sys.stderr))
    fields = {k for p in run.profiles for k in p["meta"]}
    if missing := [f for f in args.by if f not in fields]:
        raise UsageError(f"--by {missing[0]}: no speech has this field; fields found: "
                         f"{', '.join(sorted(fields)) or 'none (metadata comes from JSONL records)'}")
    write_table(run.table(by=args.by, dedupe=args.dedupe), run.roles, args.out, args.format, by=args.by)
    if len(run.failed) + run.ok > 1 or run.failed:
        print(f"govspeech: {run.ok} ok, {len(run.failed)} failed{named_failures(run.failed_inputs)}", file=sys.stderr)
    return _inputs_exit(run.failed, run.ok)


def cmd_structure(args) -> int:
    print(structure_report(args.file, model=args.model, sha256=args.model_sha256, input_format=args.input_format))
    return exit_code("ok")


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so the exit flush of what could not be written stays silent."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govspeech", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"govspeech {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True)

    p = verb_parser(verbs, "label", "label the units of speech files",
                    "govspeech label speech.txt --out labels.csv")
    add_input_arguments(p)
    p.add_argument("--format", choices=("text", "jsonl", "csv", "html"),
                   help="default: from --out's extension (.jsonl, .csv, .html, .txt), else text; html: one "
                        "standalone reading view, the units highlighted by role")
    p.add_argument("--out", help="write here (atomically) instead of standard output")
    p.add_argument("--excel", action="store_true", help="csv: start with a UTF-8 BOM, so Excel reads it right")
    p.add_argument("--resume", action="store_true",
                   help="with --out: keep what an interrupted (or finished) run wrote and skip its inputs")
    p.add_argument("--verbose", action="store_true", help="report each file's encoding and speeches on stderr")
    p.add_argument("--explain", action="store_true", help="jsonl, html: each unit says why it got its roles")
    p.set_defaults(run=cmd_label)

    p = verb_parser(verbs, "profile", "per speech (or group), how many units carry each role",
                    "govspeech profile speeches.jsonl --by year --out shares.csv")
    add_input_arguments(p, label_outputs=True)
    p.add_argument("--by", nargs="+", default=[], metavar="FIELD",
                   help="one row per group of these metadata fields (give it after the inputs)")
    p.add_argument("--format", choices=("csv", "jsonl", "parquet"),
                   help="default: from --out's extension (.csv, .jsonl, .parquet), else csv; parquet needs pandas "
                        "and pyarrow, and --out")
    p.add_argument("--out", help="write here (atomically) instead of standard output")
    p.add_argument("--dedupe", action="store_true", help="drop a speech whose text repeats an earlier one")
    p.set_defaults(run=cmd_profile)

    p = verb_parser(verbs, "structure", "the outline of a speech: each part's heading, predicted roles and role shares",
                    "govspeech structure speech.txt")
    p.add_argument("file", metavar="FILE",
                   help="a speech text file or a JSONL stream (read as `label` reads it), or - for standard input")
    add_input_format_argument(p)
    add_model_arguments(p)
    p.set_defaults(run=cmd_structure)
    add_explain_verb(functools.partial(verb_parser, verbs))

    p = verb_parser(verbs, "train", "train a model from a config",
                    "govspeech train --config my.toml --out mymodel --verbose")
    add_training_arguments(p)
    p.add_argument("--out", help="model directory to write (model.json + arrays.npz)")
    p.set_defaults(run=cmd_train)

    p = verb_parser(verbs, "cv", "document-grouped cross-validation over train+dev",
                    "govspeech cv --config configs/default.toml --set model.C=2 --json cv.json")
    add_training_arguments(p)
    p.add_argument("--json", help="also write the figures as JSON here")
    p.set_defaults(run=cmd_cv)

    p = verb_parser(verbs, "evaluate", "score a model on a corpus-format file, as label would label it",
                    "govspeech evaluate --data my_corpus.jsonl --model mymodel --split test")
    p.add_argument("--data", required=True, help="JSONL in the corpus format")
    p.add_argument("--split", choices=("test", "dev", "train", "all"),
                   help="the units to score (default: test when the file has splits, else all)")
    add_model_arguments(p)
    p.add_argument("--json", help="also write the scores as JSON here")
    p.set_defaults(run=cmd_evaluate)

    add_adapt_verbs(functools.partial(verb_parser, verbs))

    add_corpus_verbs(functools.partial(verb_parser, verbs))
    return parser


def main(argv: list[str] | None = None) -> int:
    if sys.stderr is None:  # started with stderr closed: messages go nowhere rather than fail
        sys.stderr = open(os.devnull, "w")
    args = build_parser().parse_args(argv)
    stdout, sys.stdout = sys.stdout, GuardedStdout(sys.stdout)  # a closed or full one is an OutputError
    try:
        code = args.run(args)
        sys.stdout.flush()  # what is still buffered fails here, not silently at exit
        return code
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as cat does
        _quiet_stdout()
        return exit_code("broken pipe")
    except GovspeechError as err:
        if isinstance(err, OutputError):
            _quiet_stdout()
        print(f"govspeech: {err}", file=sys.stderr)
        return exit_code(err)
    except KeyboardInterrupt:
        print("govspeech: interrupted", file=sys.stderr)
        return exit_code("interrupted")
    finally:
        sys.stdout = stdout


if __name__ == "__main__":
    sys.exit(main())
