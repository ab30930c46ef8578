"""Document-grouped cross-validation: the internal figure that does not depend on one split."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.model_selection import GroupKFold

from features import ROLES
from trainer._corpus import CorpusError, CorpusUnit, label_matrix, training_weights, unit_dicts
from trainer._metrics import role_scores
from trainer._units_table import duplicate_groups
from trainer._thresholds import best_thresholds

__all__ = ["cv_scores", "document_groups", "fit_model", "grouped_cv", "out_of_fold_proba"]


def document_groups(units: list[CorpusUnit]) -> np.ndarray:
    """Group id per unit: speeches linked by duplicated text share a group."""
    group_of = duplicate_groups(units)
    names = {g: i for i, g in enumerate(sorted(set(group_of.values())))}
    return np.array([names[group_of[u.doc_id]] for u in units])


def fit_model(make_model, units: list[CorpusUnit], groups: np.ndarray, *, synthetic: Sequence[CorpusUnit] = (),
              synthetic_weight: float = 1.0):
    """A model fitted on ``units`` (duplicates as context only) plus the synthetic units at their weight."""
    everything = [*units, *synthetic]
    synthetic_groups = {doc: int(groups.max(initial=0)) + 1 + i
                        for i, doc in enumerate(dict.fromkeys(u.doc_id for u in synthetic))}
    weights = np.concatenate([training_weights(units), np.full(len(synthetic), float(synthetic_weight))])
    all_groups = np.concatenate([groups, [synthetic_groups[u.doc_id] for u in synthetic]]).astype(int)
    return make_model().fit(unit_dicts(everything), label_matrix(everything), sample_weight=weights,
                            groups=all_groups)


def out_of_fold_proba(make_model, units: list[CorpusUnit], n_splits: int, *, synthetic: Sequence[CorpusUnit] = (),
                      synthetic_weight: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(probabilities, fold index) for every unit, each predicted by a model that never saw its group.

    Synthetic units join every fold's training part and are never predicted.
    """
    groups = document_groups(units)
    if len(set(groups)) < n_splits:
        raise CorpusError(f"{n_splits} folds need at least {n_splits} groups of speeches, the corpus has "
                          f"{len(set(groups))}; use fewer folds (thresholds.cv_folds) or more data")
    Y = label_matrix(units)
    proba = np.zeros(Y.shape, dtype=float)
    folds = np.zeros(len(units), dtype=int)
    for k, (fit_idx, held_idx) in enumerate(GroupKFold(n_splits=n_splits).split(Y, groups=groups)):
        missing = [role for j, role in enumerate(ROLES) if Y[fit_idx, j].min() == Y[fit_idx, j].max()]
        if missing:
            raise CorpusError(f"fold {k + 1} of {n_splits}: no {'/'.join(missing)} units to train on once its "
                              "speeches are held out; use fewer folds (thresholds.cv_folds) or more data")
        model = fit_model(make_model, [units[i] for i in fit_idx], groups[fit_idx], synthetic=synthetic,
                          synthetic_weight=synthetic_weight)
        proba[held_idx] = model.predict_proba(unit_dicts([units[i] for i in held_idx]))
        folds[held_idx] = k
    return proba, folds


def grouped_cv(make_model, units: list[CorpusUnit], n_splits: int, grid: np.ndarray, *,
               synthetic: Sequence[CorpusUnit] = (), synthetic_weight: float = 1.0) -> dict:
    """Per-fold scores with thresholds chosen on the other folds' out-of-fold predictions.

    Duplicates are scored nowhere (they repeat their first occurrence).
    """
    proba, folds = out_of_fold_proba(make_model, units, n_splits, synthetic=synthetic,
                                     synthetic_weight=synthetic_weight)
    return cv_scores(units, proba, folds, grid)


def cv_scores(units: list[CorpusUnit], proba: np.ndarray, folds: np.ndarray, grid: np.ndarray) -> dict:
    """Scores of out-of-fold predictions: pooled over all folds, and fold by fold.

    Each fold's units are decided by thresholds chosen on the other folds.
    The headline ``macro_f1`` and per-role ``f1`` pool every scored unit's
    out-of-fold decision (Forman & Scholz 2010): with a few goal units per
    fold, a per-fold F1 is undefined or swings by whole steps, and the mean of
    per-fold F1s is biased low. ``*_std`` is the spread across folds, over the
    folds where the role occurs; ``fold_mean_macro_f1`` is the per-fold mean.
    """
    n_splits = int(folds.max()) + 1
    Y = label_matrix(units)
    scored = training_weights(units) > 0
    decided = np.zeros_like(Y)
    per_fold = []
    for k in range(n_splits):
        held = (folds == k) & scored
        others = (folds != k) & scored
        thresholds = best_thresholds(Y[others], proba[others], grid)
        decided[held] = proba[held] >= thresholds
        per_fold.append(role_scores(Y[held], decided[held]))
    pooled = role_scores(Y[scored], decided[scored])

    def occurring(role):
        return [s["per_role"][role]["f1"] for s in per_fold if s["per_role"][role]["support"]]

    fold_macro = [np.mean([v["f1"] for v in s["per_role"].values() if v["support"]]) for s in per_fold]
    return {
        "n_splits": n_splits,
        "macro_f1": pooled["macro_f1"],
        "macro_f1_std": float(np.std(fold_macro)),
        "fold_mean_macro_f1": float(np.mean(fold_macro)),
        "per_role": {r: {"f1": v["f1"], "precision": v["precision"], "recall": v["recall"], "support": v["support"],
                         "f1_std": float(np.std(occurring(r))), "f1_fold_mean": float(np.mean(occurring(r)))}
                     for r, v in pooled["per_role"].items()},
        "folds": per_fold,
    }
