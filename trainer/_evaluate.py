"""`govspeech evaluate`: scores of a model, and of the baselines, on a corpus-format file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from govspeech.trainer._baselines import keyword_baseline, majority_baseline
from govspeech.trainer._corpus import CorpusUnit, label_matrix, load_corpus, unit_dicts
from govspeech.trainer._metrics import role_scores

__all__ = ["baseline_scores", "evaluate"]


def evaluate(model, data: str | Path | list[CorpusUnit]) -> dict:
    """Scores of ``model`` (an ``ArrayModel``, what labelling uses) on every unit of a corpus file (or loaded
    units), whatever its split.

    Units sharing a ``doc_id`` are one speech, ordered by ``sent_id``, so
    context features see the neighbours they would see when labelling.
    """
    units = data if isinstance(data, list) else load_corpus(data)
    return role_scores(label_matrix(units), model.predict(unit_dicts(units)), [u.doc_id for u in units])


def baseline_scores(units: list[CorpusUnit], train_role_rates: Sequence[float] | np.ndarray) -> dict[str, dict]:
    """Majority-class (from the training role rates) and keyword-rule scores on the same units."""
    gold = label_matrix(units)
    return {
        "majority": role_scores(gold, majority_baseline(np.atleast_2d(train_role_rates), len(units))),
        "keywords": role_scores(gold, keyword_baseline([u.text for u in units])),
    }
