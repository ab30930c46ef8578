"""`govspeech evaluate`: a model scored on units as `govspeech label` gives them to users, and what was left out.

Each speech of the file is rebuilt from its units (in ``sent_id`` order,
joined so that the unit rule cuts them back exactly) and labelled by
``Labeller.label`` with cleaning on, as ``govspeech label`` does; each
prediction goes back to its unit by position. A unit the cleaner drops as
web debris gets no roles, as the user gets none for it; units marked
``debris`` in the file are not speech and are not scored. Only the chosen
split is scored, and units the model was trained on are counted, for a warning.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from govspeech.features import split_units
from govspeech.trainer._corpus import CorpusUnit, label_matrix
from govspeech.trainer._train import text_digest

__all__ = ["EVAL_SPLITS", "Evaluation", "evaluate_labelled", "file_sha256", "select_split"]

EVAL_SPLITS = ("test", "dev", "train", "all")


@dataclass
class Evaluation:
    """Gold and predicted role matrices of the scored units, and counts of what was not scored or is suspect."""

    units: list[CorpusUnit]
    split: str
    gold: np.ndarray
    predicted: np.ndarray
    other_splits: int = 0
    gold_debris: int = 0
    cleaned_away: int = 0
    not_rebuilt: list[str] = field(default_factory=list)
    seen_in_training: int = 0


def select_split(units: list[CorpusUnit], split: str | None) -> tuple[list[CorpusUnit], str]:
    """The units of ``split`` (None: test when the file has splits, else all) and the split used."""
    if split is None:
        split = "test" if any(u.split for u in units) else "all"
    return (units if split == "all" else [u for u in units if u.split == split]), split


def _rebuild(texts: Sequence[str]) -> str:
    """A speech text the unit rule cuts into exactly ``texts``: joined on the line where a terminator allows."""
    lines: list[str] = []
    for unit in texts:
        if lines and split_units(lines[-1] + unit) == [*split_units(lines[-1]), unit]:
            lines[-1] += unit
        else:
            lines.append(unit)
    return "\n".join(lines)


def _speeches(units: list[CorpusUnit]) -> dict[str, list[CorpusUnit]]:
    speeches: dict[str, list[CorpusUnit]] = {}
    for unit in units:
        speeches.setdefault(unit.doc_id, []).append(unit)
    return {doc: sorted(us, key=lambda u: u.sent_id) for doc, us in speeches.items()}


def evaluate_labelled(labeller, units: list[CorpusUnit], *, split: str | None = None,
                      trained_on: frozenset[str] | set[str] = frozenset()) -> Evaluation:
    """Score ``labeller`` on the units of ``split``; ``trained_on``: text digests of the model's training units."""
    chosen, split = select_split(units, split)
    roles = list(labeller.roles)
    scored, predicted, result = [], [], Evaluation([], split, np.zeros((0, len(roles))), np.zeros((0, len(roles))))
    result.other_splits = len(units) - len(chosen)
    wanted = {id(u) for u in chosen}
    for doc_id, speech in _speeches(units).items():  # whole speeches: context is what label would see
        if not any(id(u) in wanted for u in speech):
            continue
        texts = [u.text for u in speech]
        text = _rebuild(texts)
        if split_units(text) != texts:
            result.not_rebuilt.append(doc_id)
            rows: list[set[str] | None] = [set(r) for r in labeller.predict(texts)]
        else:
            got = {u.sent_id: set(u.roles) for u in labeller.label(text)}
            rows = [got.get(i) for i in range(len(texts))]  # None: a unit the cleaner dropped
        for unit, roles_got in zip(speech, rows):
            if id(unit) not in wanted:
                continue
            if unit.debris:
                result.gold_debris += 1
                continue
            result.cleaned_away += roles_got is None
            scored.append(unit)
            predicted.append([r in (roles_got or ()) for r in roles])
    result.units = scored
    result.gold = label_matrix(scored)
    result.predicted = np.array(predicted, dtype=np.int8).reshape(len(scored), len(roles))
    result.seen_in_training = sum(text_digest(u.text) in trained_on for u in scored)
    return result


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
