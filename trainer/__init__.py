"""Corpus, fitting with scikit-learn, export to arrays, cross-validation, evaluation and experiments.

Importing it imports scikit-learn: labelling never does (``govspeech.predictor``
needs numpy only); the CLI and ``govspeech.train`` load it when training is asked for.
"""

from govspeech.errors import CorpusError, ModelError
from govspeech.trainer._agreement import agreement
from govspeech.trainer._annotations import load_pass
from govspeech.trainer._build_corpus import build_corpus, gold_labels
from govspeech.trainer._corpus import (
    SPLITS,
    CorpusUnit,
    by_split,
    label_matrix,
    load_corpora,
    load_corpus,
    load_paraphrases,
    load_synthetic,
    unit_dicts,
)
from govspeech.trainer._cv import TrainingExtras
from govspeech.trainer._evaluate import baseline_scores, evaluate
from govspeech.trainer._evaluate_labelled import EVAL_SPLITS, Evaluation, evaluate_labelled, file_sha256, select_split
from govspeech.trainer._features import UnitFeatures
from govspeech.trainer._metrics import format_scores, per_speech_share_mae, role_scores
from govspeech.trainer._model import RoleModel
from govspeech.trainer._persist import EXPORT_TOLERANCE, check_export, export_model, save_model
from govspeech.trainer._stacked import StackedRoleModel
from govspeech.trainer._train import TrainResult, build_model, cross_validate, text_digest, train, training_extras

__all__ = [
    "EVAL_SPLITS",
    "EXPORT_TOLERANCE",
    "SPLITS",
    "CorpusError",
    "CorpusUnit",
    "Evaluation",
    "ModelError",
    "RoleModel",
    "StackedRoleModel",
    "TrainResult",
    "TrainingExtras",
    "UnitFeatures",
    "agreement",
    "baseline_scores",
    "build_corpus",
    "build_model",
    "by_split",
    "check_export",
    "cross_validate",
    "evaluate",
    "evaluate_labelled",
    "export_model",
    "file_sha256",
    "format_scores",
    "gold_labels",
    "label_matrix",
    "load_corpora",
    "load_corpus",
    "load_paraphrases",
    "load_pass",
    "load_synthetic",
    "per_speech_share_mae",
    "role_scores",
    "save_model",
    "select_split",
    "text_digest",
    "train",
    "training_extras",
    "unit_dicts",
]
