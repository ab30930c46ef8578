"""Reference points for the report: what a user gets without the model."""

from __future__ import annotations

import numpy as np

from govspeech.features import ROLES, cue_lexicons, normalize_text

__all__ = ["keyword_baseline", "majority_baseline"]


def majority_baseline(Y_train: np.ndarray, n_units: int) -> np.ndarray:
    """Each role predicted as its majority value in training, for every unit."""
    majority = (Y_train.mean(axis=0) > 0.5).astype(np.int8)
    return np.tile(majority, (n_units, 1))


def keyword_baseline(texts: list[str]) -> np.ndarray:
    """A role for every unit containing one of its cue words (LABELS.md's cue lists)."""
    lexicons = cue_lexicons()
    normalized = [normalize_text(t) for t in texts]
    return np.array([[any(cue in t for cue in lexicons[r]) for r in ROLES] for t in normalized], dtype=np.int8)
