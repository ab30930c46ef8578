"""RoleModel: the feature builder plus one binary classifier per role."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from govspeech.features import ROLES, UnitFeatures

__all__ = ["CLASSIFIERS", "RoleModel", "role_logreg"]

CLASSIFIERS = ("logreg", "linear_svm", "complement_nb")


def role_logreg(*, C: float, class_weight, max_iter: int, random_state: int) -> LogisticRegression:
    """The binary logistic regression both stages fit per role (liblinear: deterministic, fast on sparse input)."""
    return LogisticRegression(C=C, class_weight=class_weight, max_iter=max_iter, solver="liblinear",
                              random_state=random_state)


class RoleModel(BaseEstimator):
    """Predict the set of roles of each unit.

    One binary classifier per role over shared features; a unit gets a role
    when that role's probability reaches its threshold (``thresholds_``,
    0.5 until tuned, see ``trainer.tune_thresholds``).
    """

    def __init__(self, *, features=None, classifier="logreg", C=1.0, class_weight="balanced",
                 max_iter=2000, random_state=0):
        self.features = features
        self.classifier = classifier
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.random_state = random_state

    def _base_classifier(self):
        if self.classifier == "logreg":
            return role_logreg(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                               random_state=self.random_state)
        if self.classifier == "linear_svm":
            svm = LinearSVC(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                            random_state=self.random_state)
            return CalibratedClassifierCV(svm, cv=3)
        if self.classifier == "complement_nb":
            return ComplementNB(alpha=1.0 / self.C)
        raise ValueError(f"classifier must be one of {', '.join(CLASSIFIERS)}, got {self.classifier!r}")

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
        """One fitted binary classifier per role on a feature matrix (no feature fitting)."""
        base = self._base_classifier()
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
        return (self.predict_proba(X) >= self.thresholds_).astype(np.int8)
