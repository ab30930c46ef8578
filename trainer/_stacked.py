"""StackedRoleModel: a second stage that reads the roles predicted around each unit.

The first stage is a ``RoleModel`` (the unit's own words). The second stage
sees, for every unit, the first stage's probabilities for it, its neighbours,
its section, its heading and its speech (``features.sequence_features``), and
optionally the unit's words again. To train the second stage on the kind of
probabilities it will meet on unseen speeches, the first stage's training
probabilities come from speech-grouped out-of-fold predictions.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, clone
from sklearn.model_selection import GroupKFold
from sklearn.utils.validation import check_is_fitted

from govspeech.features import ROLES, as_units, sequence_features, speech_spans
from govspeech.predictor import decide_roles
from govspeech.trainer._model import RoleModel, role_logreg

__all__ = ["StackedRoleModel"]


class StackedRoleModel(BaseEstimator):
    """Predict each unit's roles from its own words and the roles predicted around it.

    ``first_stage`` holds the ``RoleModel`` parameters; ``window`` is how many
    units on each side the second stage sees; ``with_text`` adds the unit's
    TF-IDF features to the second stage's input; ``hierarchy`` adds the
    unit's place in its speech's outline (top-level part, parent heading);
    ``markers`` adds its review-versus-plan markers and their share over its
    section, part and speech (``features._markers``).
    """

    def __init__(self, *, first_stage=None, window=2, C=1.0, with_text=False, hierarchy=False, markers=False,
                 inner_folds=5, class_weight="balanced", max_iter=2000, random_state=0):
        self.first_stage = first_stage
        self.window = window
        self.hierarchy = hierarchy
        self.markers = markers
        self.C = C
        self.with_text = with_text
        self.inner_folds = inner_folds
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.random_state = random_state

    def _out_of_fold(self, matrix, Y, weights, groups) -> np.ndarray:
        """First-stage probabilities of every unit from classifiers that never saw its speech group."""
        keep = weights > 0
        n_folds = min(self.inner_folds, len(set(groups[keep])))
        if n_folds < 2:
            raise ValueError(f"the second stage needs units from at least 2 speeches, got {n_folds}")
        proba = np.zeros(Y.shape)
        for fit_idx, held_idx in GroupKFold(n_splits=n_folds).split(matrix, groups=groups):
            fit_idx = fit_idx[keep[fit_idx]]
            estimators = self.first_.fit_classifiers(matrix[fit_idx], Y[fit_idx], weights[fit_idx])
            proba[held_idx] = RoleModel.classifier_proba(estimators, matrix[held_idx])
        return proba

    def _inputs(self, units, spans, matrix, proba):
        context = sequence_features(proba, [u["text"] for u in units], spans, window=self.window,
                                    hierarchy=self.hierarchy, markers=self.markers)
        if self.with_text:
            return sp.hstack([matrix, sp.csr_matrix(context)], format="csr")
        return context

    def fit(self, X, Y, *, sample_weight=None, groups=None):
        """Fit on units ``X`` (whole speeches, in order) and a (n_units, 4) 0/1 matrix ``Y``.

        ``groups`` keeps linked speeches together in the inner folds (default:
        one group per ``doc_id``); units with ``sample_weight`` 0 give context only.
        """
        units = as_units(X)
        Y = np.asarray(Y)
        weights = np.ones(len(Y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        keep = weights > 0
        if groups is None:
            groups = np.array([str(u["doc_id"]) for u in units])
        groups = np.asarray(groups)
        self.first_ = RoleModel(**(self.first_stage or {}))
        matrix = self.first_.fit_matrix(units, Y, sample_weight=sample_weight)
        spans = speech_spans([u["doc_id"] for u in units])
        inputs = self._inputs(units, spans, matrix, self._out_of_fold(matrix, Y, weights, groups))
        base = role_logreg(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                           random_state=self.random_state)
        self.estimators_ = [clone(base).fit(inputs[keep], Y[keep, j], sample_weight=weights[keep])
                            for j in range(len(ROLES))]
        self.thresholds_ = np.full(len(ROLES), 0.5)
        self.roles_ = ROLES
        return self

    def predict_proba(self, X) -> np.ndarray:
        """(n_units, 4) probability of each role, in ROLES order."""
        check_is_fitted(self, "estimators_")
        units = as_units(X)
        matrix = self.first_.features_.transform(units)
        proba = RoleModel.classifier_proba(self.first_.estimators_, matrix)
        spans = speech_spans([u["doc_id"] for u in units])
        return RoleModel.classifier_proba(self.estimators_, self._inputs(units, spans, matrix, proba))

    def predict(self, X) -> np.ndarray:
        """(n_units, 4) 0/1 matrix of roles, by the per-role thresholds."""
        return decide_roles(self.predict_proba(X), self.thresholds_)
