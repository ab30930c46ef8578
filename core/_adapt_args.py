"""The adaptation verbs (init-config, export-units, import-labels, docs/adapt.md), kept out of cli.py's length."""

from __future__ import annotations

import sys
from pathlib import Path

from govspeech._arguments import add_model_arguments
from govspeech.errors import UsageError, exit_code

__all__ = ["add_adapt_verbs"]


def cmd_init_config(args) -> int:
    from govspeech._init_config import init_config_text

    sys.stdout.write(init_config_text(corpus=args.corpus, with_shipped=not args.without_shipped))
    return exit_code("ok")


def cmd_export_units(args) -> int:
    from govspeech import predictor
    from govspeech._review import export_rows, write_rows

    fmt = Path(args.out).suffix.lower().lstrip(".")
    if fmt not in ("csv", "jsonl"):  # before any work: a todo.xlsx would hold CSV
        raise UsageError(f"--out {args.out}: export-units writes a .csv (UTF-8 with BOM, opens in Excel) or .jsonl "
                         "file; give --out with one of those extensions, e.g. todo.csv")
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


def add_adapt_verbs(verb) -> None:
    """Add the three verbs through ``verb(name, summary, example)`` (a new subparser)."""
    p = verb("init-config", "print a training config whose data paths are yours (docs/adapt.md)",
             "govspeech init-config --corpus my_corpus.jsonl > my.toml")
    p.add_argument("--corpus", default="my_corpus.jsonl", metavar="FILE",
                   help="your corpus file, as import-labels writes it (default: my_corpus.jsonl)")
    p.add_argument("--without-shipped", action="store_true",
                   help="train on your units alone: leave the shipped corpus and its paraphrases out")
    p.set_defaults(run=cmd_init_config)

    p = verb("export-units", "every unit with the model's labels and scores, to correct by hand",
             "govspeech export-units speech.txt --out todo.csv --order uncertain")
    p.add_argument("inputs", nargs="+", metavar="FILE", help="speech text files, or folders of *.txt files")
    add_model_arguments(p)
    p.add_argument("--out", required=True, help="the file to write: .csv (UTF-8 with BOM, opens in Excel) or .jsonl")
    p.add_argument("--order", choices=("speech", "uncertain"), default="speech",
                   help="speech: in reading order; uncertain: the units whose scores are nearest a threshold first")
    p.set_defaults(run=cmd_export_units)

    p = verb("import-labels", "a corrected export-units file back into the corpus format",
             "govspeech import-labels todo.csv --out my_corpus.jsonl")
    p.add_argument("file", metavar="FILE", help="the corrected .csv or .jsonl written by export-units")
    p.add_argument("--out", required=True, help="the corpus file to write (JSONL, one unit a line)")
    p.add_argument("--seed", type=int, metavar="N",
                   help="which speeches go to dev and test (default: the shipped configs/corpus.toml's)")
    p.add_argument("--dev", type=float, metavar="SHARE", help="share of speeches for dev (default: configs/corpus.toml)")
    p.add_argument("--test", type=float, metavar="SHARE",
                   help="share of speeches for test (default: configs/corpus.toml)")
    p.set_defaults(run=cmd_import_labels)
