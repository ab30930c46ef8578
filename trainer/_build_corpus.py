"""Build data/corpus.jsonl from data/raw/ and the gold annotation, with a document split."""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from pathlib import Path

from govspeech.atomic import atomic_write_text
from govspeech.config import CorpusConfig
from govspeech.features import ROLES
from govspeech.trainer._annotations import load_pass
from govspeech.trainer._corpus import CorpusError
from govspeech.trainer._units_table import duplicate_groups, unit_rows

__all__ = ["assign_splits", "build_corpus", "gold_labels"]


def assign_splits(
    group_units: dict[str, int], group_roles: dict[str, Counter], *, dev: float, test: float, seed: int, trials: int
) -> dict[str, str]:
    """Assign each duplicate group to train/dev/test.

    Tries ``trials`` seeded shuffles; among those with every role in every
    split, keeps the one closest to the target shares, both of distinct units
    and of each role's positives (a split with one goal unit measures nothing).
    """
    rng = random.Random(seed)
    groups = sorted(group_units)
    total = sum(group_units.values())
    shares = {"test": test, "dev": dev}
    targets = {side: share * total for side, share in shares.items()}
    role_totals: Counter[str] = Counter()
    for counts in group_roles.values():
        role_totals.update(counts)
    best, best_cost = None, float("inf")
    for _ in range(trials):
        rng.shuffle(groups)
        assignment: dict[str, str] = {}
        filled: Counter[str] = Counter()
        for group in groups:
            side = next((s for s in ("test", "dev") if filled[s] + group_units[group] <= targets[s] * 1.25), "train")
            assignment[group] = side
            filled[side] += group_units[group]
        roles: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for group, side in assignment.items():
            roles[side].update(group_roles[group])
        if any(roles[s][r] == 0 for s in ("train", "dev", "test") for r in ROLES):
            continue
        cost = sum(abs(filled[s] - targets[s]) / total for s in shares) + sum(
            abs(roles[s][r] / role_totals[r] - shares[s]) for s in shares for r in ROLES
        )
        if cost < best_cost:
            best, best_cost = dict(assignment), cost
    if best is None:
        raise CorpusError("no document split puts every role in every split; lower dev/test shares or add data")
    return best


def gold_labels(labels_path: Path, adjudication_path: Path | None) -> dict:
    """The full annotation pass, with adjudicated decisions replacing its labels."""
    gold = load_pass(labels_path)
    if adjudication_path is not None:
        for key, (labels, _) in load_pass(adjudication_path).items():
            if key not in gold:
                raise CorpusError(f"{adjudication_path}: unit {key} is not in {labels_path}")
            gold[key] = (labels, gold[key][1])
    return gold


def build_corpus(raw_dir: Path, labels_path: Path, adjudication_path: Path | None, out_path: Path,
                 config: CorpusConfig) -> dict:
    """Write the corpus from the raw speeches and the gold labels; returns counts per split."""
    rows = unit_rows(raw_dir, min_duplicate_chars=config.units.min_duplicate_chars)
    gold = gold_labels(labels_path, adjudication_path)
    resolved: dict[str, tuple] = {}
    records = []
    for row in rows:
        key = f"{row.doc_id}:{row.sent_id}"
        if row.duplicate_of:
            labels, debris = resolved[row.duplicate_of]
        elif (row.doc_id, row.sent_id) in gold:
            labels, debris = gold[(row.doc_id, row.sent_id)]
        else:
            raise CorpusError(f"{labels_path}: no labels for unit {key} ({row.text[:30]}…)")
        resolved[key] = (labels, debris)
        records.append({"doc_id": row.doc_id, "sent_id": row.sent_id, "text": row.text, "labels": list(labels),
                        "debris": debris, "duplicate_of": row.duplicate_of})
    groups = duplicate_groups(rows)
    group_units: Counter[str] = Counter()
    group_roles: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        if record["duplicate_of"] is None:
            group = groups[record["doc_id"]]
            group_units[group] += 1
            group_roles[group].update(record["labels"])
    split = config.split
    sides = assign_splits(group_units, group_roles, dev=split.dev, test=split.test, seed=split.seed,
                          trials=split.trials)
    lines = []
    for record in records:
        record["split"] = sides[groups[record["doc_id"]]]
        lines.append(json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False))
    atomic_write_text(out_path, "\n".join(lines) + "\n")
    counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        counts[record["split"]]["units"] += 1
        counts[record["split"]]["distinct"] += record["duplicate_of"] is None
        counts[record["split"]].update(record["labels"])
    return {side: dict(c) for side, c in counts.items()}
