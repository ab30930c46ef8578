"""The `govspeech` command: thin verbs over the package's plain functions.

Exit codes: 0 all done; 1 some inputs failed (the rest were labelled);
2 usage error; 3 a model, config or corpus that cannot be used.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_INPUT_FAILED, EXIT_USAGE, EXIT_UNUSABLE = 0, 1, 2, 3


def _write_json(path: str, payload: dict) -> None:
    from trainer._atomic import atomic_write_text

    atomic_write_text(path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def cmd_corpus(args) -> int:
    from trainer import build_corpus, read_config

    counts = build_corpus(Path(args.raw), Path(args.labels), Path(args.adjudication) if args.adjudication else None,
                          Path(args.out), read_config(args.config))
    for split in ("train", "dev", "test"):
        print(f"{split:<6}", json.dumps(counts.get(split, {}), ensure_ascii=False, sort_keys=True))
    print(f"wrote {args.out}")
    return EXIT_OK


def cmd_agreement(args) -> int:
    from trainer import agreement, load_pass

    result = agreement(load_pass(args.first), load_pass(args.second))
    print(f"units labelled twice: {result['n_units']} in {result['n_documents']} speeches")
    for role, v in result["per_role"].items():
        print(f"{role:<10} kappa {v['kappa']:.3f}  F1 {v['f1']:.3f}  positives {v['positives_first']}/{v['positives_second']}")
    print(f"macro-F1 {result['macro_f1']:.3f}  mean kappa {result['mean_kappa']:.3f}  "
          f"exact-set agreement {result['exact_set_agreement']:.3f}")
    if args.json:
        _write_json(args.json, result)
    return EXIT_OK


def cmd_train(args) -> int:
    from trainer import train

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


def cmd_cv(args) -> int:
    from trainer import cross_validate

    result = cross_validate(args.config, corpus_path=args.corpus, overrides=dict(args.set))
    for role, v in result["per_role"].items():
        print(f"{role:<10} F1 {v['f1']:.3f} ± {v['f1_std']:.3f}")
    print(f"macro-F1 {result['macro_f1']:.3f} ± {result['macro_f1_std']:.3f}  ({result['n_splits']} folds by speech)")
    if args.json:
        _write_json(args.json, result)
    return EXIT_OK


def cmd_evaluate(args) -> int:
    import predictor
    from trainer import baseline_scores, evaluate, format_scores, load_corpus

    labeller = predictor.load(args.model)
    units = load_corpus(args.data)
    scores = evaluate(labeller.model, units)
    rates = [labeller.meta["train_role_rates"][r] for r in labeller.roles]
    print(format_scores({"model": scores, **baseline_scores(units, rates)}))
    if args.json:
        _write_json(args.json, scores)
    return EXIT_OK


def cmd_label(args) -> int:
    import predictor

    labeller = predictor.load(args.model)
    sink = open(args.out + ".partial", "w", encoding="utf-8") if args.out else sys.stdout
    ok = failed = 0
    header = args.format == "csv"  # one header row, before the first speech written
    try:
        for name in args.inputs:
            try:
                notes: list[str] = []
                text = sys.stdin.read() if name == "-" else predictor.read_speech_file(name, notes)
                for note in notes:
                    print(f"govspeech: warning: {note}", file=sys.stderr)
                doc_name = "stdin" if name == "-" else name
                if not text.strip():
                    raise predictor.InputError(f"{doc_name}: empty input; nothing to label")
                for doc_id, speech in predictor.speeches_of(doc_name, text):
                    sink.write(predictor.render(doc_id, labeller.label(speech), args.format, labeller.roles,
                                                header=header))
                    header = False
                ok += 1
            except predictor.InputError as err:
                print(f"govspeech: {err}", file=sys.stderr)
                failed += 1
    finally:
        if args.out:
            sink.close()
    if args.out:  # complete and closed: the rename makes it appear whole
        os.replace(args.out + ".partial", args.out)
    if len(args.inputs) > 1 or failed:
        print(f"govspeech: {ok} file(s) labelled, {failed} failed", file=sys.stderr)
    return EXIT_INPUT_FAILED if failed else EXIT_OK


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
    p.add_argument("inputs", nargs="+", metavar="FILE", help="speech text files, or - for standard input")
    p.add_argument("--model", help="model directory (default: the shipped model)")
    p.add_argument("--format", choices=("text", "jsonl", "csv"), default="text")
    p.add_argument("--out", help="write here (atomically) instead of standard output")
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

    p = verbs.add_parser("agreement", help="agreement between two annotation passes")
    p.add_argument("--first", default="data/annotation/pass_a.jsonl")
    p.add_argument("--second", default="data/annotation/pass_b.jsonl")
    p.add_argument("--json", help="also write the figures as JSON here")
    p.set_defaults(run=cmd_agreement)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from predictor import InputError
    from trainer import ConfigError, CorpusError, ModelError

    try:
        return args.run(args)
    except (ConfigError, CorpusError, ModelError) as err:
        print(f"govspeech: {err}", file=sys.stderr)
        return EXIT_UNUSABLE
    except InputError as err:
        print(f"govspeech: {err}", file=sys.stderr)
        return EXIT_INPUT_FAILED
    except KeyboardInterrupt:
        print("govspeech: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
