"""Document-grouped cross-validation: the internal figure that does not depend on one split."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import GroupKFold

from govspeech.features import ROLES
from govspeech.predictor import decide_roles
from govspeech.trainer._corpus import CorpusError, CorpusUnit, label_matrix, training_weights, unit_dicts
from govspeech.trainer._metrics import role_scores
from govspeech.trainer._thresholds import best_thresholds
from govspeech.trainer._units_table import duplicate_groups

__all__ = ["NO_EXTRAS", "TrainingExtras", "cross_decided", "cv_scores", "document_groups", "fit_model", "grouped_cv",
           "out_of_fold_proba"]


def document_groups(units: list[CorpusUnit]) -> np.ndarray:
    """Group id per unit: speeches linked by duplicated text share a group."""
    group_of = duplicate_groups(units)
    names = {g: i for i, g in enumerate(sorted(set(group_of.values())))}
    return np.array([names[group_of[u.doc_id]] for u in units])


@dataclass(frozen=True)
class TrainingExtras:
    """Training-only units added to real ones: never predicted, never scored.

    ``synthetic`` speeches join every training set. ``paraphrases`` are
    rewritten real speeches: each joins a training set only together with the
    real speech it paraphrases (``paraphrase_of_doc``), so no fold trains on
    a rewording of a speech it holds out.
    """

    synthetic: Sequence[CorpusUnit] = ()
    synthetic_weight: float = 1.0
    paraphrases: Sequence[CorpusUnit] = ()
    paraphrase_weight: float = 1.0

    def for_training(self, units: Sequence[CorpusUnit]) -> tuple[list[CorpusUnit], np.ndarray]:
        """The extra units that may train alongside ``units``, and their sample weights."""
        sources = {u.doc_id for u in units}
        paraphrases = [p for p in self.paraphrases if p.extra["paraphrase_of_doc"] in sources]
        weights = np.concatenate([np.full(len(self.synthetic), float(self.synthetic_weight)),
                                  training_weights(paraphrases) * float(self.paraphrase_weight)])
        return [*self.synthetic, *paraphrases], weights


NO_EXTRAS = TrainingExtras()


def fit_model(make_model, units: list[CorpusUnit], groups: np.ndarray, *, extras: TrainingExtras = NO_EXTRAS):
    """A model fitted on ``units`` (duplicates as context only) plus the extras that may join them."""
    extra, extra_weights = extras.for_training(units)
    group_of_doc = {u.doc_id: g for u, g in zip(units, groups)}
    next_group = int(groups.max(initial=0)) + 1
    for unit in extra:  # a paraphrase sits in its source's group; a synthetic speech in a group of its own
        if unit.doc_id in group_of_doc:
            continue
        source = unit.extra.get("paraphrase_of_doc")
        if source is not None:
            group_of_doc[unit.doc_id] = group_of_doc[source]
        else:
            group_of_doc[unit.doc_id] = next_group
            next_group += 1
    everything = [*units, *extra]
    weights = np.concatenate([training_weights(units), extra_weights])
    all_groups = np.array([group_of_doc[u.doc_id] for u in everything], dtype=int)
    return make_model().fit(unit_dicts(everything), label_matrix(everything), sample_weight=weights,
                            groups=all_groups)


def _silent(stage: str) -> None:
    pass


def out_of_fold_proba(make_model, units: list[CorpusUnit], n_splits: int, *, extras: TrainingExtras = NO_EXTRAS,
                      choose_groups=None, groups: np.ndarray | None = None,
                      report=_silent) -> tuple[np.ndarray, np.ndarray]:
    """(probabilities, fold index) for every unit, each predicted by a model that never saw its group.

    Extras join each fold's training part and are never predicted.
    ``choose_groups``, given a fold's training group ids, returns the ones to
    train on (the learning curve's subsampling); by default all of them.
    ``groups`` (one id per unit, e.g. a topic) replaces the speech groups as folds.
    ``report`` gets a line as each fold starts (``govspeech train``/``cv`` show it as progress).
    """
    speech_groups = document_groups(units)
    groups = speech_groups if groups is None else np.asarray(groups)
    if len(set(groups)) < n_splits:
        raise CorpusError(f"{n_splits} folds need at least {n_splits} groups of speeches, the corpus has "
                          f"{len(set(groups))}; use fewer folds (thresholds.cv_folds) or more data")
    Y = label_matrix(units)
    proba = np.zeros(Y.shape, dtype=float)
    folds = np.zeros(len(units), dtype=int)
    for k, (fit_idx, held_idx) in enumerate(GroupKFold(n_splits=n_splits).split(Y, groups=groups)):
        if choose_groups is not None:
            fit_idx = fit_idx[np.isin(groups[fit_idx], choose_groups(np.unique(groups[fit_idx])))]
        fit_units = [units[i] for i in fit_idx]
        trained_on = np.vstack([Y[fit_idx], label_matrix(extras.for_training(fit_units)[0]).reshape(-1, len(ROLES))])
        missing = [role for j, role in enumerate(ROLES) if trained_on[:, j].min() == trained_on[:, j].max()]
        if missing:
            raise CorpusError(f"fold {k + 1} of {n_splits}: no {'/'.join(missing)} units to train on once its "
                              "speeches are held out; use fewer folds (thresholds.cv_folds) or more data")
        report(f"grouped CV: fold {k + 1} of {n_splits}")
        model = fit_model(make_model, fit_units, speech_groups[fit_idx], extras=extras)
        proba[held_idx] = model.predict_proba(unit_dicts([units[i] for i in held_idx]))
        folds[held_idx] = k
    return proba, folds


def grouped_cv(make_model, units: list[CorpusUnit], n_splits: int, grid: np.ndarray, *,
               extras: TrainingExtras = NO_EXTRAS, choose_groups=None, report=_silent) -> dict:
    """Per-fold scores with thresholds chosen on the other folds' out-of-fold predictions.

    Duplicates are scored nowhere (they repeat their first occurrence).
    ``choose_groups`` is ``out_of_fold_proba``'s.
    """
    proba, folds = out_of_fold_proba(make_model, units, n_splits, extras=extras, choose_groups=choose_groups,
                                     report=report)
    return cv_scores(units, proba, folds, grid)


def cross_decided(Y: np.ndarray, proba: np.ndarray, folds: np.ndarray, scored: np.ndarray,
                  grid: np.ndarray) -> np.ndarray:
    """Each fold's decisions by thresholds chosen on the other folds' ``scored`` units (0 where not scored)."""
    decided = np.zeros_like(Y)
    for k in np.unique(folds):
        held, others = (folds == k) & scored, (folds != k) & scored
        decided[held] = decide_roles(proba[held], best_thresholds(Y[others], proba[others], grid))
    return decided


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
    decided = cross_decided(Y, proba, folds, scored, grid)
    per_fold = [role_scores(Y[held], decided[held]) for held in ((folds == k) & scored for k in range(n_splits))]
    pooled = role_scores(Y[scored], decided[scored], [u.doc_id for u, s in zip(units, scored) if s])

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
        "per_speech_share_mae": pooled["per_speech_share_mae"],
        "folds": per_fold,
    }
