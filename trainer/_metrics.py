"""Scores of predicted role sets against gold, in the shape `evaluate --json` writes."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import f1_score, precision_recall_fscore_support

from govspeech.features import ROLES

__all__ = ["format_scores", "per_speech_share_mae", "role_scores", "speech_shares"]


def speech_shares(Y: np.ndarray, doc_ids) -> np.ndarray:
    """(n_speeches, n_roles) mean of ``Y`` (0/1 or probabilities) over each speech's units, speeches sorted."""
    speeches, index = np.unique(np.asarray(doc_ids), return_inverse=True)
    sums = np.zeros((len(speeches), len(ROLES)))
    np.add.at(sums, index, np.asarray(Y, dtype=float))
    return sums / np.bincount(index, minlength=len(speeches))[:, None]


def per_speech_share_mae(Y_true: np.ndarray, Y_pred: np.ndarray, doc_ids) -> dict[str, float]:
    """Per role, the mean over speeches of |predicted share of units with the role - gold share|.

    The figure researchers compute from labelled speeches (how much of a
    speech is criticism); every speech weighs the same, whatever its length.
    """
    gap = speech_shares(Y_pred, doc_ids) - speech_shares(Y_true, doc_ids)
    error = np.abs(gap).mean(axis=0) if len(gap) else np.zeros(len(ROLES))
    return {role: float(error[j]) for j, role in enumerate(ROLES)}


def role_scores(Y_true: np.ndarray, Y_pred: np.ndarray, doc_ids=None) -> dict:
    """``{"n_units", "per_role": {role: {precision, recall, f1, support}}, "macro_f1", "micro_f1"}``, and
    ``per_speech_share_mae`` when the units' speeches (``doc_ids``) are given."""
    p, r, f, s = precision_recall_fscore_support(Y_true, Y_pred, average=None, labels=range(len(ROLES)),
                                                 zero_division=0.0)
    scores = {
        "n_units": int(Y_true.shape[0]),
        "per_role": {
            role: {"precision": float(p[j]), "recall": float(r[j]), "f1": float(f[j]), "support": int(s[j])}
            for j, role in enumerate(ROLES)
        },
        "macro_f1": float(np.mean(f)),
        "micro_f1": float(f1_score(Y_true, Y_pred, average="micro", zero_division=0.0)),
    }
    if doc_ids is not None:
        scores["per_speech_share_mae"] = per_speech_share_mae(Y_true, Y_pred, doc_ids)
    return scores


def format_scores(named: dict[str, dict]) -> str:
    """A plain-text table, one block of rows per system (model, baselines)."""
    lines = [f"{'system':<12} {'role':<10} {'prec':>6} {'recall':>6} {'f1':>6} {'support':>7}"]
    for name, scores in named.items():
        for role, v in scores["per_role"].items():
            lines.append(f"{name:<12} {role:<10} {v['precision']:6.3f} {v['recall']:6.3f} {v['f1']:6.3f} {v['support']:7d}")
        lines.append(f"{name:<12} {'macro-F1':<10} {'':>6} {'':>6} {scores['macro_f1']:6.3f} {scores['n_units']:7d}")
        lines.append(f"{name:<12} {'micro-F1':<10} {'':>6} {'':>6} {scores['micro_f1']:6.3f}")
    return "\n".join(lines)
