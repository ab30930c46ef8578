"""The peers `benchmarks/run.py` measures govspeech against, each run as its own process.

    python benchmarks/peers.py floor     --train CORPUS --input SPEECHES.jsonl --out OUT.jsonl
    python benchmarks/peers.py govspeech --train CORPUS --input SPEECHES.jsonl --out OUT.jsonl
    python benchmarks/peers.py fasttext  --train CORPUS --models DIR [--input SPEECHES.jsonl --out OUT.jsonl]

``floor``: the bare floor of govspeech's design — split units, normalise and
segment them (same segmenter engine as govspeech) and TF-IDF-transform them
with scikit-learn: word 1-2-grams and character 1-3-grams, as the model's
features; no classifier, no cleaning; writes one line per unit.
``govspeech``: the same loop labelling each speech with the public
``Labeller`` and writing JSONL rows, timed in-process like the floor.
``fasttext``: one supervised fastText model per role trained on the train
split (space-joined segmenter tokens), its test-split macro-F1, then
labelling of the input like `govspeech label --format jsonl`. Each prints
one JSON line of its own timings on stdout. Speeches are read into memory
before the clock starts, and every peer counts the units of ``split_units``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

# fastText settings for small supervised data (its tutorial's advice); one binary model per role.
FASTTEXT_PARAMS = {"epoch": 25, "lr": 0.5, "wordNgrams": 2, "bucket": 50_000, "dim": 50, "verbose": 0}
POSITIVE, NEGATIVE = "__label__yes", "__label__no"


def _corpus(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def _speeches(path):
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            yield str(record["id"]), record["text"]


def _words(text):
    from govspeech.features import normalize_text, segment

    return " ".join(segment(normalize_text(text)))


def _n_units(speeches) -> int:
    from govspeech.features import split_units

    return sum(len(split_units(text)) for _, text in speeches)


def floor(args) -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from govspeech.features import normalize_text, segment, split_units

    words = TfidfVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False, sublinear_tf=True,
                            ngram_range=(1, 2))
    chars = TfidfVectorizer(analyzer="char", lowercase=False, sublinear_tf=True, ngram_range=(1, 3))
    train = [normalize_text(r["text"]) for r in _corpus(args.train) if r["split"] != "test"]
    words.fit(" ".join(segment(t)) for t in train)
    chars.fit(train)
    speeches = list(_speeches(args.input))
    start = time.perf_counter()
    with open(args.out, "w", encoding="utf-8") as out:
        for doc_id, text in speeches:
            texts = [normalize_text(u) for u in split_units(text)]
            w, c = words.transform([" ".join(segment(t)) for t in texts]), chars.transform(texts)
            nnz = w.indptr[1:] - w.indptr[:-1] + c.indptr[1:] - c.indptr[:-1]
            out.writelines(f"{doc_id}\t{i}\t{k}\n" for i, k in enumerate(nnz.tolist()))
    return {"units": _n_units(speeches), "seconds": time.perf_counter() - start}


def govspeech_inner(args) -> dict:
    """`govspeech label --format jsonl` as a loop over the public Labeller, timed without start-up and model load."""
    import govspeech.predictor as predictor

    labeller = predictor.load()
    speeches = list(_speeches(args.input))
    start = time.perf_counter()
    with open(args.out, "w", encoding="utf-8") as out:
        for doc_id, text in speeches:
            out.writelines(json.dumps({"doc_id": doc_id, "sent_id": u.sent_id, "text": u.text, "labels": list(u.roles),
                                       "scores": u.scores}, ensure_ascii=False) + "\n" for u in labeller.label(text))
    return {"units": _n_units(speeches), "seconds": time.perf_counter() - start}


def fasttext_peer(args) -> dict:
    import fasttext
    import numpy as np

    from govspeech.features import ROLES, split_units

    models_dir = Path(args.models)
    models_dir.mkdir(parents=True, exist_ok=True)
    rows = _corpus(args.train)
    report = {}
    if args.input is None:  # train, score on test, save
        start = time.perf_counter()
        train = [r for r in rows if r["split"] != "test" and not r.get("debris")]
        for role in ROLES:
            path = models_dir / f"{role}.train.txt"
            path.write_text("".join(f"{POSITIVE if role in r['labels'] else NEGATIVE} {_words(r['text'])}\n"
                                    for r in train), encoding="utf-8")
            fasttext.train_supervised(str(path), **FASTTEXT_PARAMS).save_model(str(models_dir / f"{role}.bin"))
        report["train_seconds"] = time.perf_counter() - start
        test = [r for r in rows if r["split"] == "test"]
        models = [fasttext.load_model(str(models_dir / f"{role}.bin")) for role in ROLES]
        proba = np.column_stack([_positive(m, [_words(r["text"]) for r in test]) for m in models])
        gold = np.array([[role in r["labels"] for role in ROLES] for r in test])
        from govspeech.trainer._metrics import role_scores

        report["test_macro_f1"] = role_scores(gold.astype(int), (proba >= 0.5).astype(int))["macro_f1"]
        report["size_bytes"] = sum((models_dir / f"{role}.bin").stat().st_size for role in ROLES)
        return report
    start = time.perf_counter()
    models = [fasttext.load_model(str(models_dir / f"{role}.bin")) for role in ROLES]
    report["load_seconds"] = time.perf_counter() - start
    n = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for doc_id, text in _speeches(args.input):
            units = split_units(text)
            words = [_words(u) for u in units]
            proba = np.column_stack([_positive(m, words) for m in models])
            for i, (unit, p) in enumerate(zip(units, proba)):
                out.write(json.dumps({"doc_id": doc_id, "sent_id": i, "text": unit,
                                      "labels": [r for r, x in zip(ROLES, p) if x >= 0.5],
                                      "scores": {r: round(float(x), 4) for r, x in zip(ROLES, p)}},
                                     ensure_ascii=False) + "\n")
            n += len(units)
    report |= {"units": n, "seconds": time.perf_counter() - start}
    return report


def _positive(model, lines):
    import numpy as np

    labels, probs = model.predict([line.replace("\n", " ") for line in lines], k=2)
    return np.array([dict(zip(ls, ps)).get(POSITIVE, 0.0) for ls, ps in zip(labels, probs)])


PEERS = {"floor": floor, "govspeech": govspeech_inner, "fasttext": fasttext_peer}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("peer", choices=tuple(PEERS))
    parser.add_argument("--train", required=True)
    parser.add_argument("--input")
    parser.add_argument("--out")
    parser.add_argument("--models")
    args = parser.parse_args()
    report = PEERS[args.peer](args)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
