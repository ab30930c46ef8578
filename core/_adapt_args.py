"""The options of the adaptation verbs (init-config, export-units, import-labels), kept out of cli.py's length."""

from __future__ import annotations

__all__ = ["add_adapt_verbs"]


def add_adapt_verbs(verb, *, init_config, export_units, import_labels, add_model_arguments) -> None:
    """Add the three verbs through ``verb(name, summary, example)`` (a new subparser), each running the given
    function."""
    p = verb("init-config", "print a training config whose data paths are yours (docs/adapt.md)",
             "govspeech init-config --corpus my_corpus.jsonl > my.toml")
    p.add_argument("--corpus", default="my_corpus.jsonl", metavar="FILE",
                   help="your corpus file, as import-labels writes it (default: my_corpus.jsonl)")
    p.add_argument("--without-shipped", action="store_true",
                   help="train on your units alone: leave the shipped corpus and its paraphrases out")
    p.set_defaults(run=init_config)

    p = verb("export-units", "every unit with the model's labels and scores, to correct by hand",
             "govspeech export-units speech.txt --out todo.csv --order uncertain")
    p.add_argument("inputs", nargs="+", metavar="FILE", help="speech text files, or folders of *.txt files")
    add_model_arguments(p)
    p.add_argument("--out", required=True, help="the file to write: .csv (UTF-8 with BOM, opens in Excel) or .jsonl")
    p.add_argument("--order", choices=("speech", "uncertain"), default="speech",
                   help="speech: in reading order; uncertain: the units whose scores are nearest a threshold first")
    p.set_defaults(run=export_units)

    p = verb("import-labels", "a corrected export-units file back into the corpus format",
             "govspeech import-labels todo.csv --out my_corpus.jsonl")
    p.add_argument("file", metavar="FILE", help="the corrected .csv or .jsonl written by export-units")
    p.add_argument("--out", required=True, help="the corpus file to write (JSONL, one unit a line)")
    p.add_argument("--seed", type=int, metavar="N",
                   help="which speeches go to dev and test (default: the shipped configs/corpus.toml's)")
    p.add_argument("--dev", type=float, metavar="SHARE", help="share of speeches for dev (default: configs/corpus.toml)")
    p.add_argument("--test", type=float, metavar="SHARE",
                   help="share of speeches for test (default: configs/corpus.toml)")
    p.set_defaults(run=import_labels)
