"""Per-role calibration of out-of-fold probabilities, for estimating a speech's share of units with a role.

A calibration maps a role's probability to the frequency with which units
given it have the role. Averaged over a speech's units it estimates the
speech's share of units with the role ("probabilistic classify and count",
Bella et al. 2010). Measured by ``experiments shares`` (docs/model.md); not
part of a saved model. A calibration is plain numbers:

- ``{"method": "platt", "coef": {role: [a, b]}}``: ``logistic(a * logit(p) + b)``;
- ``{"method": "isotonic", "points": {role: [[x...], [y...]]}}``: the
  piecewise-linear map through the points (x ascending), flat beyond them.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from govspeech.features import ROLES

__all__ = ["calibrated", "cross_calibrated", "fit_calibration", "logit"]

_TINY = np.finfo(np.float64).eps  # keeps logit finite for a probability that rounded to 0 or 1


def logit(proba: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(proba, dtype=np.float64), _TINY, 1.0 - _TINY)
    return np.log(p) - np.log1p(-p)


def _platt(y: np.ndarray, p: np.ndarray) -> list[float]:
    """[a, b] of an unpenalised 1-D logistic regression of ``y`` on logit(p) (Platt scaling)."""
    model = LogisticRegression(C=np.inf, solver="lbfgs").fit(logit(p)[:, None], y)
    return [float(model.coef_[0, 0]), float(model.intercept_[0])]


def _isotonic(y: np.ndarray, p: np.ndarray) -> list[list[float]]:
    model = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(p, y)
    return [[float(v) for v in model.X_thresholds_], [float(v) for v in model.y_thresholds_]]


def fit_calibration(Y: np.ndarray, proba: np.ndarray, method: str) -> dict:
    """The calibration of each role's probability against its gold 0/1, as plain numbers.

    ``Y`` and ``proba`` are (n_units, n_roles) for real units whose probabilities
    come from models that never saw them (out-of-fold), else the map learns the fit's optimism.
    """
    if method == "platt":
        return {"method": method, "coef": {r: _platt(Y[:, j], proba[:, j]) for j, r in enumerate(ROLES)}}
    if method == "isotonic":
        return {"method": method, "points": {r: _isotonic(Y[:, j], proba[:, j]) for j, r in enumerate(ROLES)}}
    raise ValueError(f"calibration method must be platt or isotonic, got {method!r}")


def calibrated(proba: np.ndarray, calibration: dict) -> np.ndarray:
    """(n_units, n_roles) calibrated probabilities of ``proba`` (same shape, columns in ROLES order), with numpy."""
    proba = np.asarray(proba, dtype=np.float64)
    out = np.empty_like(proba)
    for j, role in enumerate(ROLES):
        if calibration["method"] == "platt":
            a, b = calibration["coef"][role]
            out[:, j] = expit(a * logit(proba[:, j]) + b)
        else:
            x, y = calibration["points"][role]
            out[:, j] = np.interp(proba[:, j], x, y)
    return out


def cross_calibrated(Y: np.ndarray, proba: np.ndarray, folds: np.ndarray, method: str) -> np.ndarray:
    """Each fold's probabilities calibrated by a map fitted on the other folds only (for an honest estimate)."""
    out = np.empty_like(proba, dtype=np.float64)
    for k in np.unique(folds):
        held = folds == k
        out[held] = calibrated(proba[held], fit_calibration(Y[~held], proba[~held], method))
    return out
