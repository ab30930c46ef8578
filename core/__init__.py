"""govspeech: label the sentences of Chinese work-conference speeches with their rhetorical roles.

>>> import govspeech
>>> labeller = govspeech.load()                      # the shipped model (numpy only)
>>> [u.roles for u in labeller.label("同志们:\\n要加快园区建设,力争年内建成投产。")]
[(), ('goal', 'measure')]

``train`` and ``evaluate`` need the training extra (``pip install 'govspeech[train]'``).
"""

from __future__ import annotations

from pathlib import Path

from govspeech.errors import ConfigError, CorpusError, GovspeechError, InputError, ModelError, OutputError, UsageError
from govspeech.predictor import LabelledUnit, Labeller, load
from govspeech.version import __version__

__all__ = [
    "ConfigError",
    "CorpusError",
    "GovspeechError",
    "InputError",
    "LabelledUnit",
    "Labeller",
    "ModelError",
    "OutputError",
    "UsageError",
    "__version__",
    "evaluate",
    "load",
    "train",
]


def train(config_path: str | Path, output_dir: str | Path | None = None, *, corpus_path: str | Path | None = None,
          overrides: dict[str, object] | None = None):
    """Train the model a config describes (``govspeech.trainer.train``); returns a ``TrainResult``."""
    from govspeech.trainer import train as train_model  # the training stack loads only when asked for

    return train_model(config_path, output_dir, corpus_path=corpus_path, overrides=overrides)


def evaluate(model: Labeller | str | Path | None, data: str | Path) -> dict:
    """Scores of a model (a ``Labeller``, a model folder, or None for the shipped one) on a corpus-format file."""
    from govspeech.trainer import evaluate as evaluate_model  # the training stack loads only when asked for

    labeller = model if isinstance(model, Labeller) else load(model)
    return evaluate_model(labeller.model, data)
