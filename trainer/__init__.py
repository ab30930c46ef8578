"""Corpus, model, training, evaluation and persistence."""

from trainer._agreement import agreement
from trainer._annotations import load_pass
from trainer._build_corpus import build_corpus, gold_labels
from trainer._config import ConfigError, read_config
from trainer._corpus import SPLITS, CorpusError, CorpusUnit, by_split, label_matrix, load_corpus, unit_dicts
from trainer._evaluate import baseline_scores, evaluate
from trainer._metrics import format_scores, role_scores
from trainer._model import CLASSIFIERS, RoleModel
from trainer._persist import FORMAT_VERSION, ModelError, load_model, read_meta, save_model
from trainer._train import TrainResult, build_model, cross_validate, train

__all__ = [
    "CLASSIFIERS", "FORMAT_VERSION", "SPLITS", "ConfigError", "CorpusError", "CorpusUnit", "ModelError",
    "RoleModel", "TrainResult", "agreement", "baseline_scores", "build_corpus", "build_model", "by_split", "cross_validate",
    "evaluate", "format_scores", "gold_labels", "label_matrix", "load_corpus", "load_model", "load_pass",
    "read_config", "read_meta", "role_scores", "save_model", "train", "unit_dicts",
]
