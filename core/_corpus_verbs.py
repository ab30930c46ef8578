"""The corpus maintainers' verbs (corpus, debris, agreement): rebuilding and checking the data, not labelling.

Kept out of cli.py's length; like the training verbs they load the training
stack only when run.
"""

from __future__ import annotations

import json
from pathlib import Path

from govspeech.atomic import atomic_write_json
from govspeech.config import read_corpus_config
from govspeech.errors import exit_code
from govspeech.features import debris_scores

__all__ = ["add_corpus_verbs"]


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
        atomic_write_json(args.json, result)
    return exit_code("ok")


def cmd_debris(args) -> int:
    from govspeech.trainer import load_corpus

    result = debris_scores(load_corpus(args.data))
    print(f"debris units {result['debris']} of {result['n_units']}, flagged {result['flagged']}: "
          f"precision {result['precision']:.3f}  recall {result['recall']:.3f}")
    for label, units in (("missed", result["missed"]), ("wrongly flagged", result["wrongly_flagged"])):
        for doc_id, sent_id, text in units:
            print(f"{label}: {doc_id}:{sent_id}  {text}")
    return exit_code("ok")


def add_corpus_verbs(verb) -> None:
    """Add the three verbs through ``verb(name, summary, example)`` (a new subparser)."""
    p = verb("corpus", "rebuild the corpus from the raw speeches and the annotation",
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

    p = verb("debris", "precision and recall of the web-debris remover on a corpus's debris flags",
             "govspeech debris --data data/corpus.jsonl")
    p.add_argument("--data", default="data/corpus.jsonl", help="JSONL in the corpus format with `debris` flags")
    p.set_defaults(run=cmd_debris)

    p = verb("agreement", "agreement between two annotation passes",
             "govspeech agreement --json agreement.json")
    p.add_argument("--first", default="data/annotation/pass_a.jsonl",
                   help="the first annotation pass (default: data/annotation/pass_a.jsonl)")
    p.add_argument("--second", default="data/annotation/pass_b.jsonl",
                   help="the second annotation pass (default: data/annotation/pass_b.jsonl)")
    p.add_argument("--paraphrases-of", metavar="CORPUS",
                   help="--first is a paraphrase rewrites file; take its labels from the units of CORPUS it rewrites")
    p.add_argument("--json", help="also write the figures as JSON here")
    p.set_defaults(run=cmd_agreement)
