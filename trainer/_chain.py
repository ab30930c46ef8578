"""A linear-chain CRF over the units of each speech, for one role: the sequence model issue 6 compares.

Each unit is described by the same numbers the stacked logistic second stage
reads (``features.sequence_features``); the CRF adds transitions between the
role decisions of consecutive units, so runs of one role are modelled
directly. Marginal probabilities make it a drop-in second stage with
per-role thresholds.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Sequence

import numpy as np
import pycrfsuite

__all__ = ["ChainRoleCRF"]

_POSITIVE = "1"


def _items(rows: np.ndarray, names: Sequence[str]) -> list[dict[str, float]]:
    return [{**{name: float(v) for name, v in zip(names, row) if v}, "bias": 1.0} for row in rows]


def _runs(keep: np.ndarray, spans) -> list[tuple[int, int]]:
    """Maximal stretches of kept units inside each speech: a weight-0 unit (a duplicate) breaks the chain."""
    runs = []
    for start, end in spans:
        for kept, run in itertools.groupby(range(start, end), key=lambda i: bool(keep[i])):
            if kept:
                run = list(run)
                runs.append((run[0], run[-1] + 1))
    return runs


class ChainRoleCRF:
    """Binary linear-chain CRF (L-BFGS, elastic-net penalty ``c1``/``c2``) for one role."""

    def __init__(self, *, c1: float, c2: float, max_iterations: int):
        self.c1 = c1
        self.c2 = c2
        self.max_iterations = max_iterations

    def fit(self, inputs: np.ndarray, y: np.ndarray, spans, *, sample_weight=None) -> ChainRoleCRF:
        weights = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        if not np.isin(weights, (0.0, 1.0)).all():
            raise ValueError("the crf second stage takes sample weights of 0 or 1 only (CRFsuite has no unit "
                             "weights); set synthetic.weight = 1.0 or use second_stage = 'logreg'")
        self.names_ = [f"f{i}" for i in range(inputs.shape[1])]
        trainer = pycrfsuite.Trainer(verbose=False)
        trainer.set_params({"c1": self.c1, "c2": self.c2, "max_iterations": self.max_iterations})
        labels = np.where(np.asarray(y) > 0, _POSITIVE, "0")
        for start, end in _runs(weights > 0, spans):
            trainer.append(_items(inputs[start:end], self.names_), list(labels[start:end]))
        handle, path = tempfile.mkstemp(suffix=".crfsuite")
        os.close(handle)
        try:
            trainer.train(path)
            with open(path, "rb") as model_file:
                self.model_bytes_ = model_file.read()
        finally:
            os.unlink(path)
        return self

    def predict_proba(self, inputs: np.ndarray, spans) -> np.ndarray:
        """(n_units,) marginal probability that each unit has the role."""
        tagger = pycrfsuite.Tagger()
        tagger.open_inmemory(self.model_bytes_)
        proba = np.zeros(len(inputs))
        for start, end in spans:
            tagger.set(_items(inputs[start:end], self.names_))
            proba[start:end] = [tagger.marginal(_POSITIVE, t) for t in range(end - start)]
        return proba
