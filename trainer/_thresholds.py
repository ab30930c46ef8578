"""Per-role decision thresholds chosen on held-out units."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import f1_score

__all__ = ["best_thresholds"]


def best_thresholds(Y_true: np.ndarray, proba: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """For each role, the grid value whose F1 on these units is highest (lowest on ties)."""
    chosen = []
    for j in range(Y_true.shape[1]):
        scores = [f1_score(Y_true[:, j], proba[:, j] >= t, zero_division=0.0) for t in grid]
        chosen.append(float(grid[int(np.argmax(scores))]))
    return np.array(chosen)
