"""Per-speech role shares: counting thresholded decisions (CC) or averaging calibrated probabilities (PCC).

``python -m govspeech.trainer.experiments shares`` measures, per role, the
mean over speeches of |estimated share - gold share| (every speech weighs the
same) on the default's grouped-CV out-of-fold probabilities of real train+dev
units, each fold's thresholds and calibration fitted on the other folds only;
then on the test split, with the model fitted on train+dev and thresholds and
calibration fitted on all out-of-fold probabilities, as ``govspeech train`` does.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from govspeech.features import ROLES
from govspeech.predictor import decide_roles
from govspeech.trainer._calibration import calibrated, cross_calibrated, fit_calibration
from govspeech.trainer._corpus import by_split, label_matrix, training_weights, unit_dicts
from govspeech.trainer._cv import cross_decided, document_groups, fit_model
from govspeech.trainer._experiments import _out_of_fold, _setup
from govspeech.trainer._metrics import per_speech_share_mae, speech_shares
from govspeech.trainer._thresholds import best_thresholds
from govspeech.trainer._train import _load, build_model, threshold_grid

__all__ = ["SHARE_ESTIMATORS", "share_estimates"]

# name -> calibration method (None: raw probabilities); "CC" counts decisions instead.
SHARE_ESTIMATORS = {"CC (thresholded decisions)": "CC", "PCC raw probabilities": None,
                    "PCC Platt-calibrated": "platt", "PCC isotonic-calibrated": "isotonic"}


def _row(Y, estimate, docs) -> dict:
    """Share MAE per role and its mean over roles, and the mean signed error per role (over- or under-estimate)."""
    mae = per_speech_share_mae(Y, estimate, docs)
    bias = (speech_shares(estimate, docs) - speech_shares(Y, docs)).mean(axis=0)
    return {"per_role": mae, "mean": float(np.mean(list(mae.values()))),
            "bias": {r: float(bias[j]) for j, r in enumerate(ROLES)}}


def share_estimates(config_path: str | Path, *, corpus_path: str | Path | None = None) -> dict:
    """``{"grouped_cv": {estimator: {"per_role", "mean", "bias"}}, "test": {...}, "n_speeches": {...}}``."""
    config, units, extras = _setup(config_path, corpus_path)
    proba, folds = _out_of_fold(config, units, extras)
    scored = training_weights(units) > 0
    Y, grid = label_matrix(units), threshold_grid(config)
    Ys, Ps, docs = Y[scored], proba[scored], [u.doc_id for u, s in zip(units, scored) if s]
    cv = {}
    for name, method in SHARE_ESTIMATORS.items():
        if method == "CC":
            estimate = cross_decided(Y, proba, folds, scored, grid)[scored]
        else:
            estimate = Ps if method is None else cross_calibrated(Ys, Ps, folds[scored], method)
        cv[name] = _row(Ys, estimate, docs)

    _, corpus = _load(config, corpus_path)
    test = by_split(corpus, "test")
    model = fit_model(lambda: build_model(config), units, document_groups(units), extras=extras)
    test_proba = model.predict_proba(unit_dicts(test))
    Yt, test_docs = label_matrix(test), [u.doc_id for u in test]
    held = {}
    for name, method in SHARE_ESTIMATORS.items():
        if method == "CC":
            estimate = decide_roles(test_proba, best_thresholds(Ys, Ps, grid))
        else:
            estimate = test_proba if method is None else calibrated(test_proba, fit_calibration(Ys, Ps, method))
        held[name] = _row(Yt, estimate, test_docs)
    return {"grouped_cv": cv, "test": held,
            "n_speeches": {"grouped_cv": len(set(docs)), "test": len(set(test_docs))}}
