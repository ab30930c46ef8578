"""The measurements behind docs/model.md: ablation table, learning curve, error analysis.

Everything here is document-grouped cross-validation over train+dev (the
test split is never touched), so each table can be rebuilt with one command:
``python -m govspeech.trainer.experiments {ablation,curve,errors} --config …``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from pathlib import Path

import numpy as np

from govspeech.config import TrainingConfig, read_training_config, read_variants
from govspeech.features import ROLES, is_enumerated, is_heading, speech_spans
from govspeech.predictor import decide_roles
from govspeech.trainer._corpus import by_split, label_matrix, training_weights
from govspeech.trainer._cv import TrainingExtras, grouped_cv, out_of_fold_proba
from govspeech.trainer._metrics import role_scores
from govspeech.trainer._thresholds import best_thresholds
from govspeech.trainer._train import _load, build_model, threshold_grid, training_extras

__all__ = ["UNIT_KINDS", "ablation", "error_analysis", "learning_curve", "synthetic_curve", "unit_kind"]

UNIT_KINDS = ("heading", "enumerated item", "figure line", "closing call", "report of past work", "other sentence")
_FIGURE = re.compile(r"\d+(\.\d+)?")
_PAST = re.compile(r"了|已经|已")
_DIRECTIVE = re.compile(r"要|必须|务必|应当")


def unit_kind(text: str, place: float) -> str:
    """A rough shape of a unit, for reading errors (not a feature): ``place`` is 0..1 in the speech."""
    if is_heading(text):
        return "heading"
    if is_enumerated(text):
        return "enumerated item"
    if len(_FIGURE.findall(text)) >= 2:
        return "figure line"
    if place >= 0.9:
        return "closing call"
    if _PAST.search(text) and not _DIRECTIVE.search(text):
        return "report of past work"
    return "other sentence"


def _setup(config: TrainingConfig | str | Path, corpus_path) -> tuple[TrainingConfig, list, TrainingExtras]:
    """(config, train+dev units, the config's training extras); a path is read and checked first."""
    if not isinstance(config, TrainingConfig):
        config = read_training_config(config)
    _, corpus = _load(config, corpus_path)
    return config, by_split(corpus, "train", "dev"), training_extras(config, corpus)


def _out_of_fold(config: TrainingConfig, units, extras) -> tuple[np.ndarray, np.ndarray]:
    return out_of_fold_proba(functools.partial(build_model, config), units, config.thresholds.cv_folds, extras=extras)


def _cv(config: TrainingConfig, units, extras, choose_groups=None) -> dict:
    return grouped_cv(functools.partial(build_model, config), units, config.thresholds.cv_folds,
                      threshold_grid(config), extras=extras, choose_groups=choose_groups)


def ablation(config_path: str | Path, variants_path: str | Path, *, corpus_path: str | Path | None = None) -> list[dict]:
    """One grouped-CV result per variant of ``variants_path`` ([[variant]] name + set = {dotted key: value}).

    Every variant is checked before the first is run, so a typo in the last one costs no CV run.
    """
    return [{"name": v.name, "set": v.overrides, "scores": _cv(*_setup(v.config, corpus_path))}
            for v in read_variants(variants_path, config_path)]


def learning_curve(config_path: str | Path, *, sizes: list[int], repeats: int, with_synthetic: bool = True,
                   corpus_path: str | Path | None = None) -> list[dict]:
    """Grouped-CV macro-F1 when each fold trains on only ``n`` of its real speech groups.

    Each outer fold keeps its held-out speeches; its training groups are
    subsampled (seeded by the config, ``repeats`` draws per size).
    """
    config, units, extras = _setup(config_path, corpus_path)
    if not with_synthetic:
        extras = dataclasses.replace(extras, synthetic=())
    rng = np.random.default_rng(config.seed)

    def choose(fit_groups):
        return rng.choice(fit_groups, size=min(n, len(fit_groups)), replace=False)

    rows = []
    for n in sizes:
        results = [_cv(config, units, extras, choose) for _ in range(repeats)]
        rows.append(_curve_row("speech_groups", n, results))
    return rows


def synthetic_curve(config_path: str | Path, *, sizes: list[int], repeats: int,
                    corpus_path: str | Path | None = None) -> list[dict]:
    """Grouped-CV scores when training uses only ``n`` of the synthetic speeches (seeded draws)."""
    config, units, extras = _setup(config_path, corpus_path)
    speeches = list(dict.fromkeys(u.doc_id for u in extras.synthetic))
    rng = np.random.default_rng(config.seed)
    rows = []
    for n in sizes:
        results = []
        for _ in range(repeats if 0 < n < len(speeches) else 1):
            chosen = set(rng.choice(speeches, size=min(n, len(speeches)), replace=False)) if n else set()
            part = dataclasses.replace(extras, synthetic=[u for u in extras.synthetic if u.doc_id in chosen])
            results.append(_cv(config, units, part))
        rows.append(_curve_row("synthetic_speeches", n, results))
    return rows


def _curve_row(key: str, n: int, results: list[dict]) -> dict:
    return {key: n, "repeats": len(results),
            "macro_f1": float(np.mean([r["macro_f1"] for r in results])),
            "per_role": {r: float(np.mean([res["per_role"][r]["f1"] for res in results])) for r in ROLES}}


def error_analysis(config_path: str | Path, *, examples: int = 8, corpus_path: str | Path | None = None) -> dict:
    """Out-of-fold errors of the config's model by role, by speech and by kind of unit, with examples."""
    config, units, extras = _setup(config_path, corpus_path)
    proba, _folds = _out_of_fold(config, units, extras)
    scored = training_weights(units) > 0
    Y = label_matrix(units)
    thresholds = best_thresholds(Y[scored], proba[scored], threshold_grid(config))
    pred = decide_roles(proba, thresholds)
    places = np.zeros(len(units))
    for start, end in speech_spans([u.doc_id for u in units]):
        places[start:end] = np.arange(end - start) / max(end - start - 1, 1)
    kinds = np.array([unit_kind(u.text, p) for u, p in zip(units, places)])
    by_kind = {}
    for kind in UNIT_KINDS:
        mask = scored & (kinds == kind)
        if mask.any():
            by_kind[kind] = {"units": int(mask.sum()),
                             "wrong_set": float((pred[mask] != Y[mask]).any(axis=1).mean()),
                             "scores": role_scores(Y[mask], pred[mask])}
    by_speech = {}
    for doc in dict.fromkeys(u.doc_id for u in units):
        mask = scored & np.array([u.doc_id == doc for u in units])
        if mask.any():
            by_speech[doc] = {"units": int(mask.sum()), "macro_f1": role_scores(Y[mask], pred[mask])["macro_f1"]}
    errors = {}
    for j, role in enumerate(ROLES):
        for name, mask in (("missed", scored & (Y[:, j] == 1) & (pred[:, j] == 0)),
                           ("false", scored & (Y[:, j] == 0) & (pred[:, j] == 1))):
            idx = np.where(mask)[0]
            order = idx[np.argsort(-np.abs(proba[idx, j] - thresholds[j]))][:examples]
            errors[f"{role} {name}"] = {
                "count": int(mask.sum()),
                "by_kind": dict(Counter(kinds[idx]).most_common()),
                "examples": [{"doc_id": units[i].doc_id, "sent_id": units[i].sent_id, "kind": kinds[i],
                              "p": round(float(proba[i, j]), 2), "gold": list(units[i].labels),
                              "text": units[i].text} for i in order],
            }
    return {"thresholds": dict(zip(ROLES, map(float, thresholds))),
            "overall": role_scores(Y[scored], pred[scored]), "by_kind": by_kind, "by_speech": by_speech,
            "errors": errors}
