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
from govspeech._arguments import glob_pattern, megabytes
from govspeech._explain_cmd import add_explain_verb, check_explain
from govspeech.atomic import atomic_write_text
from govspeech.config import ConfigError, parse_override, read_corpus_config
from govspeech.errors import GovspeechError, OutputError, UsageError, exit_code
from govspeech.features import debris_scores, limits
from govspeech.predictor import (
    OutputLock,
    check_out,
    label_inputs,
    named_failures,
    parquet_unavailable,
    profile_inputs,
    resolve_jobs,
    structure_report,
    write_table,
)
from govspeech.version import __version__


def _write_json(path: str, payload: dict) -> None:
    atomic_write_text(path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def cmd_corpus(args) -> int:
    from govspeech.trainer import build_corpus

    config = read_corpus_config(args.config)  # checked before the raw speeches are read
    counts = build_corpus(Path(args.raw), Path(args.labels), Path(args.adjudication) if args.adjudication else None,
                          Path(args.out), config)
    for split in ("train", "dev", "test"):
        print(f"{split:<6}", json.dumps(counts.get(split, {}), ensure_ascii=False, sort_keys=True))
    print(f"wrote {args.out}")
    return exit_code("ok")


def cmd_agreement(args) -> int:
    from govspeech.trainer import agreement, load_pass

    if args.paraphrases_of:  # --first is a rewrites file: its labels are the paraphrased units' inherited ones
        from govspeech.trainer import load_corpus, load_paraphrases

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
    return exit_code("ok")


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


def _override(item: str) -> tuple[str, str]:
    """One ``--set KEY=VALUE`` (no ``=``: a usage error, exit 2); the config checks key and value (exit 3)."""
    try:
        return parse_override(item)
    except ConfigError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def cmd_debris(args) -> int:
    from govspeech.trainer import load_corpus

    result = debris_scores(load_corpus(args.data))
    print(f"debris units {result['debris']} of {result['n_units']}, flagged {result['flagged']}: "
          f"precision {result['precision']:.3f}  recall {result['recall']:.3f}")
    for label, units in (("missed", result["missed"]), ("wrongly flagged", result["wrongly_flagged"])):
        for doc_id, sent_id, text in units:
            print(f"{label}: {doc_id}:{sent_id}  {text}")
    return exit_code("ok")


def cmd_cv(args) -> int:
    from govspeech.trainer import cross_validate

    result = cross_validate(args.config, corpus_path=args.corpus, overrides=dict(args.set), report=_progress(args))
    for role, v in result["per_role"].items():
        print(f"{role:<10} F1 {v['f1']:.3f} ± {v['f1_std']:.3f}")
    print(f"macro-F1 {result['macro_f1']:.3f} ± {result['macro_f1_std']:.3f}  (out-of-fold, pooled over "
          f"{result['n_splits']} folds by speech; ± is the spread across folds; per-fold mean "
          f"{result['fold_mean_macro_f1']:.3f})")
    print("per-speech share MAE " + "  ".join(f"{r} {v:.3f}" for r, v in result["per_speech_share_mae"].items()))
    if args.json:
        _write_json(args.json, result)
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
        _write_json(args.json, scores)
    return exit_code("ok")


def cmd_init_config(args) -> int:
    from govspeech._init_config import init_config_text

    sys.stdout.write(init_config_text(corpus=args.corpus, with_shipped=not args.without_shipped))
    return exit_code("ok")


def cmd_export_units(args) -> int:
    from govspeech import predictor
    from govspeech._review import export_rows, write_rows

    fmt = "jsonl" if args.out.lower().endswith(".jsonl") else "csv"
    rows = export_rows(predictor.load(args.model, sha256=args.model_sha256), args.inputs, order=args.order)
    write_rows(rows, args.out, fmt)
    print(f"govspeech: wrote {len(rows)} units to {args.out}; fill the gold_<role> columns (1 or 0, empty: the "
          "model's decision stands), then govspeech import-labels", file=sys.stderr)
    return exit_code("ok")


def cmd_import_labels(args) -> int:
    from importlib import resources

    from govspeech._import_labels import import_labels, write_corpus
    from govspeech.config import read_corpus_config
    from govspeech.errors import CorpusError

    split = read_corpus_config(Path(str(resources.files("govspeech.configs") / "corpus.toml"))).split
    dev, test = (split.dev if args.dev is None else args.dev), (split.test if args.test is None else args.test)
    if not (0 <= dev < 1 and 0 <= test < 1 and dev + test < 1):
        raise UsageError(f"--dev and --test are shares of the speeches, 0 or more with dev + test < 1, got {dev} "
                         f"and {test}")
    result = import_labels(args.file, seed=split.seed if args.seed is None else args.seed, dev=dev, test=test)
    for problem in result.problems:
        print(f"govspeech: {problem}", file=sys.stderr)
    if result.problems:
        raise CorpusError(f"{len(result.problems)} bad row(s) in {args.file}, nothing written; mend them and import "
                          "again")
    write_corpus(result.records, args.out)
    docs = {r["doc_id"]: r["split"] for r in result.records}
    counts = {s: sum(v == s for v in docs.values()) for s in ("train", "dev", "test")}
    print(f"govspeech: wrote {len(result.records)} units of {len(docs)} speech(es) to {args.out} "
          f"(speeches: {counts['train']} train, {counts['dev']} dev, {counts['test']} test); "
          f"{result.unreviewed} unit(s) had no gold cell filled and keep the model's roles", file=sys.stderr)
    if result.unchecked_docs:
        print(f"govspeech: note: {len(result.unchecked_docs)} speech(es) not found as files here, so their sent_ids "
              "were not checked against the speech text", file=sys.stderr)
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
    if args.resume and args.format == "html":
        raise UsageError("--resume works for text, jsonl and csv; label into a new HTML file")
    if not args.out and sys.stdout is None:
        raise OutputError("standard output is closed; give --out FILE, or let the output go somewhere")
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
        resume = "; run again with --resume to go on" if out else ""
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
    run = profile_inputs(args.inputs, model=args.model, sha256=args.model_sha256, jobs=args.jobs, glob=args.glob,
                         input_format=args.input_format, max_bytes=_max_bytes(args.max_file_mb),
                         report=lambda line: print(f"govspeech: {line}", file=sys.stderr))
    fields = {k for p in run.profiles for k in p["meta"]}
    if missing := [f for f in args.by if f not in fields]:
        raise UsageError(f"--by {missing[0]}: no speech has this field; fields found: "
                         f"{', '.join(sorted(fields)) or 'none (metadata comes from JSONL records)'}")
    try:
        write_table(run.table(by=args.by, dedupe=args.dedupe), run.roles, args.out, args.format, by=args.by)
    except OSError as err:
        raise OutputError(f"cannot write {args.out} ({err.strerror or err}); check that its folder exists and is "
                          "writable") from None
    if len(run.failed) + run.ok > 1 or run.failed:
        print(f"govspeech: {run.ok} ok, {len(run.failed)} failed{named_failures(run.failed_inputs)}", file=sys.stderr)
    return _inputs_exit(run.failed, run.ok)


def cmd_structure(args) -> int:
    print(structure_report(args.file, model=args.model, sha256=args.model_sha256))
    return exit_code("ok")


def _jobs(value: str) -> int:
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


def _add_input_arguments(p: argparse.ArgumentParser, *, label_outputs: bool = False) -> None:
    """What label and profile share: the inputs and how they are read and labelled."""
    also = ", or JSONL outputs of `govspeech label` (not labelled again)" if label_outputs else ""
    p.add_argument("inputs", nargs="+", metavar="FILE",
                   help="speech text files, folders (searched recursively), *.jsonl streams, or - for standard "
                        "input" + also)
    _add_model_arguments(p)
    p.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N",
                   help="worker processes; 0 or -1: one per core (default 1). Output is the same for any N")
    p.add_argument("--glob", default="*.txt", type=glob_pattern,
                   help="files to label inside folders (default: *.txt); cannot lead out of them")
    p.add_argument("--input-format", choices=("auto", "text", "jsonl"), default="auto",
                   help='auto: *.jsonl files are JSONL streams ({"id": ..., "text": ...} a line), '
                        "anything else (and -) is speech text")
    p.add_argument("--max-file-mb", type=megabytes, metavar="MB",
                   help="refuse larger files and JSONL records (default: features/data/cleaning.toml; 0 = no limit)")


def _add_training_arguments(p: argparse.ArgumentParser) -> None:
    """What train and cv share: the config, the corpus, and overrides of the config."""
    p.add_argument("--config", required=True, help="the training config (TOML; write one with init-config)")
    p.add_argument("--corpus", help="corpus file (default: the config's `corpus`)")
    p.add_argument("--verbose", action="store_true",
                   help="report each stage and fold with the elapsed time on standard error (shown anyway on a "
                        "terminal)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", type=_override,
                   help="override a config value, e.g. --set model.C=2 --set thresholds.source=dev "
                        "--set features.char_ngram_range=[1,2] (a list or number is read as JSON)")


def _sha256(value: str) -> str:
    if len(value) != 64 or any(c not in "0123456789abcdefABCDEF" for c in value):
        raise argparse.ArgumentTypeError(f"64 hex digits expected (sha256sum of model.json), got {value!r}")
    return value.lower()


def _add_model_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", help="model directory (default: the shipped model)")
    p.add_argument("--model-sha256", type=_sha256, metavar="HEX",
                   help="refuse the model unless its model.json has this sha256 (models/README.md, trust model)")


def _verb(verbs, name: str, summary: str, example: str) -> argparse.ArgumentParser:
    """A verb's parser, its help ending in an example of its use."""
    return verbs.add_parser(name, help=summary, epilog=f"example:\n  {example}",
                            formatter_class=argparse.RawDescriptionHelpFormatter)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govspeech", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"govspeech {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True)

    p = _verb(verbs, "label", "label the units of speech files",
              "govspeech label speech.txt --out labels.csv")
    _add_input_arguments(p)
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

    p = _verb(verbs, "profile", "per speech (or group), how many units carry each role",
              "govspeech profile speeches.jsonl --by year --out shares.csv")
    _add_input_arguments(p, label_outputs=True)
    p.add_argument("--by", nargs="+", default=[], metavar="FIELD",
                   help="one row per group of these metadata fields (give it after the inputs)")
    p.add_argument("--format", choices=("csv", "jsonl", "parquet"),
                   help="default: from --out's extension (.csv, .jsonl, .parquet), else csv; parquet needs pandas "
                        "and pyarrow, and --out")
    p.add_argument("--out", help="write here (atomically) instead of standard output")
    p.add_argument("--dedupe", action="store_true", help="drop a speech whose text repeats an earlier one")
    p.set_defaults(run=cmd_profile)

    p = _verb(verbs, "structure", "the outline of a speech: each part's heading, predicted roles and role shares",
              "govspeech structure speech.txt")
    p.add_argument("file", metavar="FILE", help="a speech text file (read as `label` reads it), or - for standard input")
    _add_model_arguments(p)
    p.set_defaults(run=cmd_structure)
    add_explain_verb(functools.partial(_verb, verbs), add_model_arguments=_add_model_arguments)

    p = _verb(verbs, "train", "train a model from a config",
              "govspeech train --config my.toml --out mymodel --verbose")
    _add_training_arguments(p)
    p.add_argument("--out", help="model directory to write (model.json + arrays.npz)")
    p.set_defaults(run=cmd_train)

    p = _verb(verbs, "cv", "document-grouped cross-validation over train+dev",
              "govspeech cv --config configs/default.toml --set model.C=2 --json cv.json")
    _add_training_arguments(p)
    p.add_argument("--json", help="also write the figures as JSON here")
    p.set_defaults(run=cmd_cv)

    p = _verb(verbs, "evaluate", "score a model on a corpus-format file, as label would label it",
              "govspeech evaluate --data my_corpus.jsonl --model mymodel --split test")
    p.add_argument("--data", required=True, help="JSONL in the corpus format")
    p.add_argument("--split", choices=("test", "dev", "train", "all"),
                   help="the units to score (default: test when the file has splits, else all)")
    _add_model_arguments(p)
    p.add_argument("--json", help="also write the scores as JSON here")
    p.set_defaults(run=cmd_evaluate)

    add_adapt_verbs(functools.partial(_verb, verbs), init_config=cmd_init_config, export_units=cmd_export_units,
                    import_labels=cmd_import_labels, add_model_arguments=_add_model_arguments)

    p = _verb(verbs, "corpus", "rebuild the corpus from the raw speeches and the annotation",
              "govspeech corpus --out data/corpus.jsonl")
    p.add_argument("--raw", default="data/raw", help="folder of the raw speech files (default: data/raw)")
    p.add_argument("--labels", default="data/annotation/pass_a.jsonl",
                   help="the annotation pass whose labels the corpus takes (default: data/annotation/pass_a.jsonl)")
    p.add_argument("--adjudication", default="data/annotation/adjudication.jsonl",
                   help="adjudicated labels that override the pass (default: data/annotation/adjudication.jsonl)")
    p.add_argument("--config", default="configs/corpus.toml",
                   help="duplicate and split settings (default: configs/corpus.toml)")
    p.add_argument("--out", default="data/corpus.jsonl", help="the corpus file to write (default: data/corpus.jsonl)")
    p.set_defaults(run=cmd_corpus)

    p = _verb(verbs, "debris", "precision and recall of the web-debris remover on a corpus's debris flags",
              "govspeech debris --data data/corpus.jsonl")
    p.add_argument("--data", default="data/corpus.jsonl", help="JSONL in the corpus format with `debris` flags")
    p.set_defaults(run=cmd_debris)

    p = _verb(verbs, "agreement", "agreement between two annotation passes",
              "govspeech agreement --json agreement.json")
    p.add_argument("--first", default="data/annotation/pass_a.jsonl",
                   help="the first annotation pass (default: data/annotation/pass_a.jsonl)")
    p.add_argument("--second", default="data/annotation/pass_b.jsonl",
                   help="the second annotation pass (default: data/annotation/pass_b.jsonl)")
    p.add_argument("--paraphrases-of", metavar="CORPUS",
                   help="--first is a paraphrase rewrites file; take its labels from the units of CORPUS it rewrites")
    p.add_argument("--json", help="also write the figures as JSON here")
    p.set_defaults(run=cmd_agreement)
    return parser


def main(argv: list[str] | None = None) -> int:
    if sys.stderr is None:  # started with stderr closed: messages go nowhere rather than fail
        sys.stderr = open(os.devnull, "w")
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
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


if __name__ == "__main__":
    sys.exit(main())
