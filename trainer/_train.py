"""`govspeech train`: choose thresholds, fit on train+dev, report grouped CV and test, save.

Thresholds come from grouped cross-validation over train+dev (out-of-fold
predictions) or from the dev split, as the config says; the final model is
always fitted on train+dev.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from govspeech.atomic import check_folder
from govspeech.config import TrainingConfig, read_training_config, resolve_data_path
from govspeech.predictor import ArrayModel
from govspeech.trainer._corpus import (
    CorpusUnit,
    by_split,
    label_matrix,
    load_corpora,
    load_paraphrases,
    load_synthetic,
    training_weights,
    unit_dicts,
)
from govspeech.trainer._cv import TrainingExtras, cv_scores, document_groups, fit_model, grouped_cv, out_of_fold_proba
from govspeech.trainer._evaluate import evaluate
from govspeech.trainer._metrics import role_scores
from govspeech.trainer._model import RoleModel
from govspeech.trainer._persist import check_export, export_model, load_exported, save_model
from govspeech.trainer._stacked import StackedRoleModel
from govspeech.trainer._thresholds import best_thresholds

__all__ = ["TrainResult", "build_model", "cross_validate", "text_digest", "threshold_grid", "train", "training_extras"]


@dataclass
class TrainResult:
    """``model``: the exported arrays as loaded for labelling; ``estimator``: the fitted scikit-learn model."""

    model: ArrayModel
    estimator: RoleModel | StackedRoleModel
    meta: dict
    out_dir: Path | None


def _class_weight(value: str) -> str | None:
    return None if value == "none" else value


def build_model(config: TrainingConfig) -> RoleModel | StackedRoleModel:
    """The estimator the config describes: a RoleModel, under a second stage when [stacking] is on."""
    m, s = config.model, config.stacking
    first = {"features": dataclasses.asdict(config.features), "random_state": config.seed,
             "C": m.C, "class_weight": _class_weight(m.class_weight), "max_iter": m.max_iter}
    if not s.enabled:
        return RoleModel(**first)
    return StackedRoleModel(first_stage=first, window=s.window, with_text=s.with_text, hierarchy=s.hierarchy,
                            markers=s.markers, inner_folds=s.inner_folds,
                            C=s.C, class_weight=_class_weight(s.class_weight), max_iter=s.max_iter,
                            random_state=config.seed)


def threshold_grid(config: TrainingConfig) -> np.ndarray:
    t = config.thresholds
    return np.round(np.arange(t.start, t.stop + t.step / 2, t.step), 6)


def _load(config: TrainingConfig, corpus_path) -> tuple[list[Path], list]:
    """The corpus paths (``corpus_path`` or the config's, ``shipped:`` names resolved) and their units, pooled."""
    paths = [Path(corpus_path)] if corpus_path else [resolve_data_path(p) for p in config.corpus]
    return paths, load_corpora(paths, require_split=True)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def text_digest(text: str) -> str:
    """A unit text's fingerprint, as the model meta lists its training units (``evaluate`` warns on overlap)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def training_extras(config: TrainingConfig, corpus: list[CorpusUnit]) -> TrainingExtras:
    """The config's training-only units: synthetic speeches and paraphrased corpus speeches."""
    return TrainingExtras(
        synthetic=[u for path in config.synthetic.files for u in load_synthetic(resolve_data_path(path))],
        synthetic_weight=config.synthetic.weight,
        paraphrases=[u for path in config.paraphrases.files
                     for u in load_paraphrases(resolve_data_path(path), corpus)],
        paraphrase_weight=config.paraphrases.weight,
    )


def _silent(stage: str) -> None:
    pass


def cross_validate(config_path: str | Path, *, corpus_path: str | Path | None = None,
                   overrides: dict[str, object] | None = None, report=_silent) -> dict:
    """Document-grouped CV over train+dev with the config's model (test is not touched); ``report`` gets each
    stage and fold as it starts."""
    config = read_training_config(config_path, overrides)  # checked before any data is read
    report("reading the corpus and training speeches")
    _, units = _load(config, corpus_path)
    both = by_split(units, "train", "dev")
    return grouped_cv(lambda: build_model(config), both, config.thresholds.cv_folds, threshold_grid(config),
                      extras=training_extras(config, units), report=report)


def train(config_path: str | Path, output_dir: str | Path | None = None, *, corpus_path: str | Path | None = None,
          overrides: dict[str, object] | None = None, report=_silent) -> TrainResult:
    """Train the model the config describes; save it to ``output_dir`` when given. ``report`` gets each stage
    and fold as it starts."""
    config = read_training_config(config_path, overrides)  # checked before any data is read
    if output_dir is not None:
        check_folder(output_dir)  # before fitting: a missing parent is refused after minutes of work otherwise
    report("reading the corpus and training speeches")
    corpus_paths, units = _load(config, corpus_path)
    train_units, dev_units, test_units = (by_split(units, s) for s in ("train", "dev", "test"))

    both = by_split(units, "train", "dev")
    grid = threshold_grid(config)
    source = config.thresholds.source
    scores = {}
    extras = training_extras(config, units)
    make_model = functools.partial(build_model, config)
    proba, folds = out_of_fold_proba(make_model, both, config.thresholds.cv_folds, extras=extras, report=report)
    scores["grouped_cv"] = cv_scores(both, proba, folds, grid)
    if source == "grouped_cv":
        scored = training_weights(both) > 0
        thresholds = best_thresholds(label_matrix(both)[scored], proba[scored], grid)
    else:  # "dev"; the config allows no other
        report("thresholds: fitting on train, choosing on dev")
        model = fit_model(make_model, train_units, document_groups(train_units), extras=extras)
        thresholds = best_thresholds(label_matrix(dev_units), model.predict_proba(unit_dicts(dev_units)), grid)
        model.thresholds_ = thresholds
        scores["dev"] = role_scores(label_matrix(dev_units), model.predict(unit_dicts(dev_units)))
    report("fitting the final model on train+dev")
    estimator = fit_model(make_model, both, document_groups(both), extras=extras)
    estimator.thresholds_ = thresholds
    training = {
        "config": dataclasses.asdict(config),
        "corpus_sha256": _sha256(corpus_paths[0]) if len(corpus_paths) == 1 else None,
        "corpora_sha256": {str(p): _sha256(p) for p in corpus_paths},
        "synthetic_sha256": {str(p): _sha256(resolve_data_path(p))
                             for p in config.synthetic.files + config.paraphrases.files},
        # Every text the model was fitted on, so `evaluate` can tell exactly which units it has seen.
        "unit_text_sha256": sorted({text_digest(u.text) for u in [*both, *extras.synthetic, *extras.paraphrases]}),
        "train_role_rates": dict(zip(estimator.roles_, map(float, label_matrix(both).mean(axis=0)))),
        "n_train_units": int(training_weights(both).sum()),
        "n_synthetic_units": len(extras.synthetic),
        "n_paraphrase_units": len(extras.paraphrases),
    }
    # The arrays are exported, checked against the estimators, and score the test split as labelling would;
    # then exported again with that score in their meta.
    report("exporting, checking the arrays and scoring the test split")
    model = load_exported(export_model(estimator, {"scores": {}, "training": training}))
    check_export(model, estimator, unit_dicts([*both, *extras.for_training(both)[0], *test_units]))
    scores["test"] = evaluate(model, test_units)
    files = export_model(estimator, {"scores": scores, "training": training})
    model = load_exported(files)
    if output_dir is not None:
        save_model(files, output_dir)
    return TrainResult(model=model, estimator=estimator, meta=model.meta,
                       out_dir=Path(output_dir) if output_dir else None)
