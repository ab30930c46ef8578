"""Honest estimates for choosing a configuration: transfer from synthetic speeches, nested grouped CV,
leave-one-topic-out CV and how per-role thresholds carry over to an unseen speech.

All of it runs on train+dev; the test split is never touched.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score
from sklearn.model_selection import GroupKFold

from govspeech.config import TrainingConfig, read_training_config
from govspeech.features import ROLES, ancestor_rows, speech_spans
from govspeech.predictor import decide_roles
from govspeech.trainer._corpus import CorpusError, by_split, label_matrix, load_synthetic, training_weights, unit_dicts
from govspeech.trainer._cv import cv_scores, document_groups, fit_model, out_of_fold_proba
from govspeech.trainer._experiments import _setup
from govspeech.trainer._metrics import role_scores
from govspeech.trainer._thresholds import best_thresholds
from govspeech.trainer._train import _load, build_model, threshold_grid, training_extras

__all__ = ["dev_test_errors", "error_classes", "nested_cv", "read_topics", "synthetic_transfer", "threshold_carry_over", "topic_cv"]


def synthetic_transfer(config_path: str | Path, synthetic_files: list[str], *,
                       corpus_path: str | Path | None = None) -> dict:
    """Fit the config's model on synthetic speeches alone and score every real train+dev unit.

    Measures what the synthetic speeches teach about real ones: macro-F1 at
    the fixed 0.5 threshold (nothing real chooses it) and per-role average
    precision (threshold-free).
    """
    config, units, _ = _setup(config_path, corpus_path)
    synthetic = [u for path in synthetic_files for u in load_synthetic(path)]
    groups = np.unique([u.doc_id for u in synthetic], return_inverse=True)[1]
    model = fit_model(functools.partial(build_model, config), synthetic, groups)
    scored = training_weights(units) > 0
    Y = label_matrix(units)[scored]
    proba = model.predict_proba(unit_dicts(units))[scored]
    scores = role_scores(Y, decide_roles(proba, np.full(len(ROLES), 0.5)),
                         [u.doc_id for u, s in zip(units, scored) if s])
    scores["average_precision"] = {r: float(average_precision_score(Y[:, j], proba[:, j])) for j, r in enumerate(ROLES)}
    scores["n_synthetic_units"] = len(synthetic)
    return scores


def _candidate_cv(config_path, corpus_path, overrides, units, n_splits) -> tuple[TrainingConfig, np.ndarray, np.ndarray]:
    """(config, out-of-fold proba, folds) of one candidate over ``units``."""
    config = read_training_config(config_path, overrides)
    _, corpus = _load(config, corpus_path)
    proba, folds = out_of_fold_proba(functools.partial(build_model, config), units, n_splits,
                                     extras=training_extras(config, corpus))
    return config, proba, folds


def nested_cv(config_path: str | Path, candidates: dict[str, dict], *, outer_folds: int = 4, inner_folds: int = 3,
              corpus_path: str | Path | None = None) -> dict:
    """Choose among ``candidates`` (name -> config overrides) inside each outer training part, score outside.

    Outer folds hold out speech groups of train+dev; in each outer training
    part every candidate is scored by inner grouped CV (pooled out-of-fold
    macro-F1) and the best one is fitted there, with thresholds from its
    inner out-of-fold predictions, and decides the held-out groups. The
    pooled outer scores estimate the whole procedure, choice included.
    """
    config, units, _ = _setup(config_path, corpus_path)
    groups = document_groups(units)
    Y = label_matrix(units)
    grid = threshold_grid(config)
    decided = np.zeros_like(Y)
    chosen, inner_scores = [], []
    for fit_idx, held_idx in GroupKFold(n_splits=outer_folds).split(Y, groups=groups):
        fit_units = [units[i] for i in fit_idx]
        fit_scored = training_weights(fit_units) > 0
        results = {}
        for name, overrides in candidates.items():
            cand_config, proba, folds = _candidate_cv(config_path, corpus_path, overrides, fit_units, inner_folds)
            results[name] = (cv_scores(fit_units, proba, folds, grid)["macro_f1"],
                             best_thresholds(Y[fit_idx][fit_scored], proba[fit_scored], grid), cand_config)
        best = max(results, key=lambda name: results[name][0])  # first listed wins a tie
        _, thresholds, cand_config = results[best]
        _, corpus = _load(cand_config, corpus_path)
        model = fit_model(functools.partial(build_model, cand_config), fit_units, groups[fit_idx],
                          extras=training_extras(cand_config, corpus))
        decided[held_idx] = decide_roles(model.predict_proba(unit_dicts([units[i] for i in held_idx])), thresholds)
        chosen.append(best)
        inner_scores.append({name: r[0] for name, r in results.items()})
    scored = training_weights(units) > 0
    outer = role_scores(Y[scored], decided[scored], [u.doc_id for u, s in zip(units, scored) if s])
    return {"outer_folds": outer_folds, "inner_folds": inner_folds, "chosen": chosen, "inner_macro_f1": inner_scores,
            **outer}


def read_topics(path: str | Path) -> dict[str, str]:
    """doc_id -> topic from a tab-separated file (doc_id, topic, reason), with a header row."""
    rows = [line.split("\t") for line in Path(path).read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    bad = [r for r in rows if len(r) != 3]
    if bad:
        raise CorpusError(f"{path}: expected 3 tab-separated fields (doc_id, topic, reason) per line, got {bad[0]}")
    return {doc: topic for doc, topic, _ in rows}


def topic_cv(config_path: str | Path, topics_path: str | Path, *, corpus_path: str | Path | None = None,
             overrides: dict | None = None) -> dict:
    """Leave-one-topic-out CV over train+dev: one fold per topic, thresholds chosen on the other topics."""
    config, units, extras = _setup(read_training_config(config_path, overrides), corpus_path)
    topic_of = read_topics(topics_path)
    missing = sorted({u.doc_id for u in units} - set(topic_of))
    if missing:
        raise CorpusError(f"{topics_path}: no topic for speeches {', '.join(missing)}; add a line for each")
    names = sorted({topic_of[u.doc_id] for u in units})
    topic_groups = np.array([names.index(topic_of[u.doc_id]) for u in units])
    proba, folds = out_of_fold_proba(functools.partial(build_model, config), units, len(names), extras=extras,
                                     groups=topic_groups)
    result = cv_scores(units, proba, folds, threshold_grid(config))
    result["topics"] = {name: sorted({u.doc_id for u in units if topic_of[u.doc_id] == name}) for name in names}
    return result


def threshold_carry_over(config_path: str | Path, *, corpus_path: str | Path | None = None) -> dict:
    """Grouped-CV out-of-fold probabilities decided three ways: (a) thresholds chosen on all of them (today's
    rule, scored on the same units), (b) leave-one-speech-out: each speech decided by thresholds chosen on
    the other speeches, (c) a fixed 0.5 for every role."""
    config, units, extras = _setup(config_path, corpus_path)
    proba, _ = out_of_fold_proba(functools.partial(build_model, config), units, config.thresholds.cv_folds,
                                 extras=extras)
    grid = threshold_grid(config)
    scored = training_weights(units) > 0
    Y, docs = label_matrix(units), np.array([u.doc_id for u in units])
    pooled = best_thresholds(Y[scored], proba[scored], grid)
    loso = np.zeros_like(Y)
    per_speech = {}
    for doc in dict.fromkeys(docs):
        held, others = docs == doc, (docs != doc) & scored
        chosen = best_thresholds(Y[others], proba[others], grid)
        loso[held] = decide_roles(proba[held], chosen)
        per_speech[doc] = dict(zip(ROLES, map(float, chosen)))
    decided = {"pooled": decide_roles(proba, pooled), "leave_one_speech_out": loso,
               "fixed_0.5": decide_roles(proba, np.full(len(ROLES), 0.5))}
    return {"pooled_thresholds": dict(zip(ROLES, map(float, pooled))), "loso_thresholds": per_speech,
            **{name: role_scores(Y[scored], pred[scored], docs[scored]) for name, pred in decided.items()}}



def error_classes(units, Y: np.ndarray, pred: np.ndarray, mask: np.ndarray | None = None) -> dict[str, int]:
    """Counts of the error kinds the review-passage work targets.

    A review unit is gold praise inside a top-level part (its heading
    included) where praise is the most frequent gold role: a part reviewing
    the audience's work (Convention 1).
    Parts are read on whole speeches; ``mask`` then picks the units counted.
    """
    texts = [u.text for u in units]
    parts, _ = ancestor_rows(texts, speech_spans([u.doc_id for u in units]))
    g, m, c, p = (ROLES.index(r) for r in ("goal", "measure", "criticism", "praise"))
    counts: dict[int, np.ndarray] = {}
    for i, part in enumerate(parts):
        if part is not None:
            counts[part] = counts.get(part, 0) + Y[i]
    review_parts = {part for part, c in counts.items() if c[p] > 0 and c[p] == c.max()}
    review = np.array([part in review_parts and Y[i, p] == 1 for i, part in enumerate(parts)])
    if mask is not None:
        units, Y, pred, review = [u for u, k in zip(units, mask) if k], Y[mask], pred[mask], review[mask]
    return {"review units": int(review.sum()),
            "review units labelled not-praise": int((review & (pred[:, p] == 0)).sum()),
            "praise misses": int(((Y[:, p] == 1) & (pred[:, p] == 0)).sum()),
            "goal misses": int(((Y[:, g] == 1) & (pred[:, g] == 0)).sum()),
            "criticism misses": int(((Y[:, c] == 1) & (pred[:, c] == 0)).sum()),
            "criticism false alarms": int(((Y[:, c] == 0) & (pred[:, c] == 1)).sum()),
            "measure false positives": int(((Y[:, m] == 0) & (pred[:, m] == 1)).sum())}


def dev_test_errors(config_path: str | Path, *, corpus_path: str | Path | None = None,
                    overrides: dict | None = None) -> dict:
    """Error classes on dev (out-of-fold predictions of grouped CV over train+dev, thresholds from the other
    folds) and on test (the model fitted on train+dev, thresholds from all out-of-fold predictions)."""
    config = read_training_config(config_path, overrides)
    _, corpus = _load(config, corpus_path)
    units, extras = by_split(corpus, "train", "dev"), training_extras(config, corpus)
    make = functools.partial(build_model, config)
    proba, folds = out_of_fold_proba(make, units, config.thresholds.cv_folds, extras=extras)
    grid, Y, scored = threshold_grid(config), label_matrix(units), training_weights(units) > 0
    decided = np.zeros_like(Y)
    for k in range(int(folds.max()) + 1):
        held, others = (folds == k), (folds != k) & scored
        decided[held] = decide_roles(proba[held], best_thresholds(Y[others], proba[others], grid))
    dev = np.array([u.split == "dev" for u in units]) & scored
    model = fit_model(make, units, document_groups(units), extras=extras)
    test = by_split(corpus, "test")
    test_pred = decide_roles(model.predict_proba(unit_dicts(test)), best_thresholds(Y[scored], proba[scored], grid))
    test_scored = training_weights(test) > 0
    return {"dev": error_classes(units, Y, decided, dev),
            "test": error_classes(test, label_matrix(test), test_pred, test_scored)}
