"""Corpus, model, training, evaluation and persistence.

Names are imported on first use: loading a model to label must not pay for
scikit-learn's import when it does not need it.
"""

import importlib

_EXPORTS = {
    "govspeech.trainer._agreement": ["agreement"],
    "govspeech.trainer._annotations": ["load_pass"],
    "govspeech.trainer._atomic": ["atomic_write_text"],
    "govspeech.trainer._build_corpus": ["build_corpus", "gold_labels"],
    "govspeech.trainer._corpus": ["SPLITS", "CorpusError", "CorpusUnit", "by_split", "label_matrix", "load_corpora", "load_corpus",
                        "load_paraphrases", "load_synthetic", "unit_dicts"],
    "govspeech.trainer._cv": ["TrainingExtras"],
    "govspeech.trainer._evaluate": ["baseline_scores", "evaluate"],
    "govspeech.trainer._evaluate_labelled": ["EVAL_SPLITS", "Evaluation", "evaluate_labelled", "file_sha256",
                                             "select_split"],
    "govspeech.trainer._metrics": ["format_scores", "role_scores"],
    "govspeech.trainer._features": ["UnitFeatures"],
    "govspeech.trainer._model": ["RoleModel"],
    "govspeech.trainer._persist": ["EXPORT_TOLERANCE", "check_export", "export_model", "save_model"],
    "govspeech.predictor": ["ModelError"],
    "govspeech.trainer._stacked": ["StackedRoleModel"],
    "govspeech.trainer._train": ["TrainResult", "build_model", "cross_validate", "text_digest", "train",
                                       "training_extras"],
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    if name not in _MODULE_OF:
        raise AttributeError(f"module 'trainer' has no attribute {name!r}")
    value = getattr(importlib.import_module(_MODULE_OF[name]), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
