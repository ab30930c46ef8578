"""RoleModel: the feature builder plus one binary logistic regression per role."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from govspeech.features import ROLES
from govspeech.predictor import decide_roles
from govspeech.trainer._features import UnitFeatures

__all__ = ["RoleModel", "role_logreg"]


def role_logreg(*, C: float, class_weight, max_iter: int, random_state: int) -> LogisticRegression:
    """The binary logistic regression both stages fit per role (liblinear: deterministic, fast on sparse input)."""
    return LogisticRegression(C=C, class_weight=class_weight, max_iter=max_iter, solver="liblinear",
                              random_state=random_state)


class RoleModel(BaseEstimator):
    """Predict the set of roles of each unit.

    One binary logistic regression per role over shared features; a unit gets
    a role when that role's probability reaches its threshold (``thresholds_``,
    0.5 until tuned, see ``trainer.tune_thresholds``).
    """

    def __init__(self, *, features=None, C=1.0, class_weight="balanced", max_iter=2000, random_state=0):
        self.features = features
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.random_state = random_state

    def fit(self, X, Y, *, sample_weight=None, groups=None):
        """Fit on units ``X`` (whole speeches, in order) and a (n_units, 4) 0/1 matrix ``Y``.

        Units with ``sample_weight`` 0 (duplicates) give context to their
        neighbours but are not trained on; other weights scale a unit's say. ``groups`` is accepted for parity
        with ``StackedRoleModel`` and not used.
        """
        self.fit_matrix(X, Y, sample_weight=sample_weight)
        return self

    def fit_matrix(self, X, Y, *, sample_weight=None):
        """Fit as ``fit`` does and return the feature matrix of ``X`` it was fitted on.

        A second stage reads that matrix again; returning it spares segmenting
        and vectorising the training units twice.
        """
        Y = np.asarray(Y)
        if Y.ndim != 2 or Y.shape[1] != len(ROLES):
            raise ValueError(f"Y must have shape (n_units, {len(ROLES)}), got {Y.shape}")
        self.features_ = UnitFeatures(**(self.features or {}))
        matrix = self.features_.fit_transform(X)
        if matrix.shape[0] != Y.shape[0]:
            raise ValueError(f"X has {matrix.shape[0]} units but Y has {Y.shape[0]} rows")
        keep = np.ones(len(Y), bool) if sample_weight is None else np.asarray(sample_weight) > 0
        weights = None if sample_weight is None else np.asarray(sample_weight, dtype=float)[keep]
        self.estimators_ = self.fit_classifiers(matrix[keep], Y[keep], weights)
        self.thresholds_ = np.full(len(ROLES), 0.5)
        self.roles_ = ROLES
        return matrix

    def fit_classifiers(self, matrix, Y: np.ndarray, sample_weight=None) -> list:
        """One fitted binary logistic regression per role on a feature matrix (no feature fitting)."""
        base = role_logreg(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                           random_state=self.random_state)
        estimators = []
        for j, role in enumerate(ROLES):
            if len(np.unique(Y[:, j])) < 2:
                raise ValueError(f"role {role!r} has only one class in the training units; it needs both")
            estimators.append(clone(base).fit(matrix, Y[:, j], sample_weight=sample_weight))
        return estimators

    @staticmethod
    def classifier_proba(estimators: list, matrix) -> np.ndarray:
        """(n_units, 4) positive-class probability of each role's classifier."""
        return np.column_stack([est.predict_proba(matrix)[:, 1] for est in estimators])

    def predict_proba(self, X) -> np.ndarray:
        """(n_units, 4) probability of each role, in ROLES order."""
        check_is_fitted(self, "estimators_")
        return self.classifier_proba(self.estimators_, self.features_.transform(X))

    def predict(self, X) -> np.ndarray:
        """(n_units, 4) 0/1 matrix of roles, by the per-role thresholds."""
        return decide_roles(self.predict_proba(X), self.thresholds_)
