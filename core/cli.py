"""The `govspeech` command: thin verbs over the package's plain functions.

Exit codes (README "Exit codes"): 0 all done; 1 inputs failed for several
reasons (the rest were labelled); 2 usage error; 3 a model, config or corpus
that cannot be used; 4 the output cannot be written (or would destroy an
input, or another run is writing it); 10-17 every failed input failed for one
reason (missing, directory, empty, not text, too large, unreadable, bad JSONL
record, its worker died twice); 130 interrupted; 141 the reader of standard
output went away (as ``cat`` in ``| head``).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path

from govspeech._arguments import glob_pattern, megabytes

EXIT_OK, EXIT_INPUT_FAILED, EXIT_USAGE, EXIT_UNUSABLE, EXIT_OUTPUT, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE  # 141, what `cat` gives when `head` stops reading
# When every failed input failed for the same reason (predictor._inputs kinds).
EXIT_INPUT = {"missing": 10, "directory": 11, "empty": 12, "not text": 13, "too large": 14, "unreadable": 15,
              "bad record": 16, "crashed": 17}


def _write_json(path: str, payload: dict) -> None:
    from govspeech.trainer._atomic import atomic_write_text

    atomic_write_text(path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def cmd_corpus(args) -> int:
    from govspeech.trainer import build_corpus, read_config

    counts = build_corpus(Path(args.raw), Path(args.labels), Path(args.adjudication) if args.adjudication else None,
                          Path(args.out), read_config(args.config))
    for split in ("train", "dev", "test"):
        print(f"{split:<6}", json.dumps(counts.get(split, {}), ensure_ascii=False, sort_keys=True))
    print(f"wrote {args.out}")
    return EXIT_OK


def cmd_agreement(args) -> int:
    from govspeech.trainer import agreement, load_pass

    if args.paraphrases_of:  # --first is a rewrites file: its labels are the paraphrased units' inherited ones
        from govspeech.trainer._corpus import load_corpus, load_paraphrases

        units = load_paraphrases(args.first, load_corpus(args.paraphrases_of))
        first = {(u.doc_id, u.sent_id): (u.labels, False) for u in units if not u.duplicate_of}
    else:
        first = load_pass(args.first)
    result = agreement(first, load_pass(args.second))
    print(f"units labelled twice: {result['n_units']} in {result['n_documents']} speeches")
    for role, v in result["per_role"].items():
        print(f"{role:<10} kappa {v['kappa']:.3f}  F1 {v['f1']:.3f}  positives {v['positives_first']}/{v['positives_second']}")
    print(f"macro-F1 {result['macro_f1']:.3f}  mean kappa {result['mean_kappa']:.3f}  "
          f"exact-set agreement {result['exact_set_agreement']:.3f}")
    if args.json:
        _write_json(args.json, result)
    return EXIT_OK


def cmd_train(args) -> int:
    from govspeech.trainer import train

    result = train(args.config, args.out, corpus_path=args.corpus, overrides=dict(args.set))
    for name, scores in result.meta["scores"].items():
        print(f"{name + ':':<11} macro-F1 {scores['macro_f1']:.3f}  "
              + "  ".join(f"{r} {v['f1']:.3f}" for r, v in scores["per_role"].items()))
    print("thresholds:", json.dumps(result.meta["thresholds"]))
    if args.out:
        print(f"saved {args.out}")
    return EXIT_OK


def _override(item: str) -> tuple[str, object]:
    """One ``--set KEY=JSON``; argparse turns the error into a usage message (exit 2)."""
    key, sep, value = item.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"KEY=JSON expected, got {item!r}")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        raise argparse.ArgumentTypeError(
            f"{item!r}: the value is not JSON; quote strings, e.g. {key}='\"{value}\"'") from None


def cmd_debris(args) -> int:
    from govspeech.features import debris_scores
    from govspeech.trainer import load_corpus

    result = debris_scores(load_corpus(args.data))
    print(f"debris units {result['debris']} of {result['n_units']}, flagged {result['flagged']}: "
          f"precision {result['precision']:.3f}  recall {result['recall']:.3f}")
    for label, units in (("missed", result["missed"]), ("wrongly flagged", result["wrongly_flagged"])):
        for doc_id, sent_id, text in units:
            print(f"{label}: {doc_id}:{sent_id}  {text}")
    return EXIT_OK


def cmd_cv(args) -> int:
    from govspeech.trainer import cross_validate

    result = cross_validate(args.config, corpus_path=args.corpus, overrides=dict(args.set))
    for role, v in result["per_role"].items():
        print(f"{role:<10} F1 {v['f1']:.3f} ± {v['f1_std']:.3f}")
    print(f"macro-F1 {result['macro_f1']:.3f} ± {result['macro_f1_std']:.3f}  (out-of-fold, pooled over "
          f"{result['n_splits']} folds by speech; ± is the spread across folds; per-fold mean "
          f"{result['fold_mean_macro_f1']:.3f})")
    if args.json:
        _write_json(args.json, result)
    return EXIT_OK


def cmd_evaluate(args) -> int:
    import govspeech.predictor as predictor
    from govspeech.trainer import baseline_scores, evaluate, format_scores, load_corpus

    labeller = predictor.load(args.model, compiled=False)  # scores of the model itself
    units = load_corpus(args.data)
    scores = evaluate(labeller.model, units)
    rates = [labeller.meta["train_role_rates"][r] for r in labeller.roles]
    print(format_scores({"model": scores, **baseline_scores(units, rates)}))
    if args.json:
        _write_json(args.json, scores)
    return EXIT_OK


def cmd_label(args) -> int:
    if args.resume and not args.out:
        print("govspeech: --resume needs --out (the output to continue); add --out FILE", file=sys.stderr)
        return EXIT_USAGE
    if not args.out and sys.stdout is None:
        print("govspeech: standard output is closed; give --out FILE, or let the output go somewhere",
              file=sys.stderr)
        return EXIT_OUTPUT
    signal.signal(signal.SIGTERM, _interrupt)  # kill: stop as on Ctrl-C, keep the partial output for --resume
    if not args.out:
        return _label(args, None)
    from govspeech.predictor import OutputLock, check_out

    check_out(args.out, args.inputs, glob=args.glob, stdin="-")  # before any work: nothing is written yet
    with OutputLock(args.out) as lock:  # released on every way out; a killed run's lock is taken over
        if lock.note:
            print(f"govspeech: {lock.note}", file=sys.stderr)
        return _label(args, args.out)


def _label(args, out: str | None) -> int:
    import govspeech.predictor as predictor
    from govspeech.features import limits
    from govspeech.predictor._pipeline import label_inputs

    labeller = predictor.load(args.model)
    max_mb = limits()["input"]["max_file_mb"] if args.max_file_mb is None else args.max_file_mb
    sink = predictor.OutputSink(out, args.format, resume=args.resume)
    summary = label_inputs(args.inputs, labeller=labeller, sink=sink, model_path=args.model, jobs=args.jobs,
                           glob=args.glob, input_format=args.input_format, max_bytes=int(max_mb * 2**20) or None,
                           verbose=args.verbose)
    if summary.interrupted:
        resume = "; run again with --resume to go on" if args.out else ""
        print(f"govspeech: interrupted after {summary.ok} input(s){resume}", file=sys.stderr)
        return EXIT_INTERRUPTED
    if summary.inputs > 1 or summary.failed or summary.skipped:
        print(f"govspeech: {summary}", file=sys.stderr)
    if not summary.failed:
        return EXIT_OK
    return EXIT_INPUT[summary.failed[0]] if len(set(summary.failed)) == 1 else EXIT_INPUT_FAILED


def _jobs(value: str) -> int:
    from govspeech.predictor._parallel import resolve_jobs

    try:
        return resolve_jobs(int(value))
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so the exit flush of what could not be written stays silent."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _add_training_arguments(p: argparse.ArgumentParser) -> None:
    """What train and cv share: the config, the corpus, and overrides of the config."""
    p.add_argument("--config", required=True)
    p.add_argument("--corpus", help="corpus file (default: the config's `corpus`)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=JSON", type=_override,
                   help="override a config value, e.g. --set model.C=2.0")


def build_parser() -> argparse.ArgumentParser:
    from govspeech import __version__

    parser = argparse.ArgumentParser(prog="govspeech", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"govspeech {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True)

    p = verbs.add_parser("label", help="label the units of speech files")
    p.add_argument("inputs", nargs="+", metavar="FILE",
                   help="speech text files, folders (searched recursively), *.jsonl streams, or - for standard input")
    p.add_argument("--model", help="model directory (default: the shipped model)")
    p.add_argument("--format", choices=("text", "jsonl", "csv"), default="text")
    p.add_argument("--out", help="write here (atomically) instead of standard output")
    p.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N",
                   help="worker processes; 0 or -1: one per core (default 1). Output is the same for any N")
    p.add_argument("--glob", default="*.txt", type=glob_pattern,
                   help="files to label inside folders (default: *.txt); cannot lead out of them")
    p.add_argument("--input-format", choices=("auto", "text", "jsonl"), default="auto",
                   help='auto: *.jsonl files are JSONL streams ({"id": ..., "text": ...} a line), '
                        "anything else (and -) is speech text")
    p.add_argument("--resume", action="store_true",
                   help="with --out: keep what an interrupted (or finished) run wrote and skip its inputs")
    p.add_argument("--max-file-mb", type=megabytes, metavar="MB",
                   help="refuse larger files and JSONL records (default: features/data/cleaning.toml; 0 = no limit)")
    p.add_argument("--verbose", action="store_true", help="report each file's encoding and speeches on stderr")
    p.set_defaults(run=cmd_label)

    p = verbs.add_parser("train", help="train a model from a config")
    _add_training_arguments(p)
    p.add_argument("--out", help="model directory to write (model.joblib + meta.json)")
    p.set_defaults(run=cmd_train)

    p = verbs.add_parser("cv", help="document-grouped cross-validation over train+dev")
    _add_training_arguments(p)
    p.add_argument("--json", help="also write the figures as JSON here")
    p.set_defaults(run=cmd_cv)

    p = verbs.add_parser("evaluate", help="score a model on a corpus-format file")
    p.add_argument("--data", required=True, help="JSONL in the corpus format; every line is scored")
    p.add_argument("--model", help="model directory (default: the shipped model)")
    p.add_argument("--json", help="also write the scores as JSON here")
    p.set_defaults(run=cmd_evaluate)

    p = verbs.add_parser("corpus", help="rebuild the corpus from the raw speeches and the annotation")
    p.add_argument("--raw", default="data/raw")
    p.add_argument("--labels", default="data/annotation/pass_a.jsonl")
    p.add_argument("--adjudication", default="data/annotation/adjudication.jsonl")
    p.add_argument("--config", default="configs/corpus.toml")
    p.add_argument("--out", default="data/corpus.jsonl")
    p.set_defaults(run=cmd_corpus)

    p = verbs.add_parser("debris", help="precision and recall of the web-debris remover on a corpus's debris flags")
    p.add_argument("--data", default="data/corpus.jsonl", help="JSONL in the corpus format with `debris` flags")
    p.set_defaults(run=cmd_debris)

    p = verbs.add_parser("agreement", help="agreement between two annotation passes")
    p.add_argument("--first", default="data/annotation/pass_a.jsonl")
    p.add_argument("--second", default="data/annotation/pass_b.jsonl")
    p.add_argument("--paraphrases-of", metavar="CORPUS",
                   help="--first is a paraphrase rewrites file; take its labels from the units of CORPUS it rewrites")
    p.add_argument("--json", help="also write the figures as JSON here")
    p.set_defaults(run=cmd_agreement)
    return parser


def main(argv: list[str] | None = None) -> int:
    if sys.stderr is None:  # started with stderr closed: messages go nowhere rather than fail
        sys.stderr = open(os.devnull, "w")
    args = build_parser().parse_args(argv)
    from govspeech.predictor import InputError, OutputError
    from govspeech.trainer import ConfigError, CorpusError, ModelError

    try:
        return args.run(args)
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as cat does
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except OutputError as err:
        print(f"govspeech: {err}", file=sys.stderr)
        _quiet_stdout()
        return EXIT_OUTPUT
    except (ConfigError, CorpusError, ModelError) as err:
        print(f"govspeech: {err}", file=sys.stderr)
        return EXIT_UNUSABLE
    except InputError as err:
        print(f"govspeech: {err}", file=sys.stderr)
        return EXIT_INPUT_FAILED
    except KeyboardInterrupt:
        print("govspeech: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
