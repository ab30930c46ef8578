"""Agreement between two independent annotation passes over the same units."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import cohen_kappa_score, f1_score

from govspeech.features import ROLES
from govspeech.trainer._annotations import Annotation

__all__ = ["agreement"]


def agreement(first: dict[tuple[str, int], Annotation], second: dict[tuple[str, int], Annotation]) -> dict:
    """Per-role Cohen's kappa and F1 (first pass as reference), and exact-set agreement.

    Computed on the units both passes labelled.
    """
    shared = sorted(set(first) & set(second))
    if not shared:
        raise ValueError("the two passes share no unit; agreement needs units labelled twice")
    a = np.array([[r in first[k][0] for r in ROLES] for k in shared], dtype=int)
    b = np.array([[r in second[k][0] for r in ROLES] for k in shared], dtype=int)
    per_role = {}
    for j, role in enumerate(ROLES):
        per_role[role] = {
            "kappa": float(cohen_kappa_score(a[:, j], b[:, j])),
            "f1": float(f1_score(a[:, j], b[:, j], zero_division=0.0)),
            "positives_first": int(a[:, j].sum()),
            "positives_second": int(b[:, j].sum()),
        }
    return {
        "n_units": len(shared),
        "n_documents": len({k[0] for k in shared}),
        "per_role": per_role,
        "macro_f1": float(np.mean([v["f1"] for v in per_role.values()])),
        "mean_kappa": float(np.mean([v["kappa"] for v in per_role.values()])),
        "exact_set_agreement": float((a == b).all(axis=1).mean()),
        "debris_agreement": float(np.mean([first[k][1] == second[k][1] for k in shared])),
    }
