"""Exporting a fitted model as plain arrays (``predictor._format``), checked against the fitted estimators.

The folder a model is saved to is the only form a model takes outside
training: nothing is pickled. Before it is written, the exported arrays are
loaded back through the numpy predictor and must give the estimators' own
probabilities on the units given (``check_export``).
"""

from __future__ import annotations

import platform
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from govspeech.atomic import atomic_write_bytes, check_folder
from govspeech.errors import OutputError
from govspeech.features import ROLES, SEGMENTER, delex_tags, engine, sequence_feature_names
from govspeech.predictor import ARRAYS, META, ArrayModel, ModelError, encode_model, load_model
from govspeech.trainer._model import RoleModel
from govspeech.trainer._stacked import StackedRoleModel
from govspeech.version import __version__

__all__ = ["EXPORT_TOLERANCE", "check_export", "export_model", "save_model", "versions"]

# Largest |difference| of a probability allowed between the exported arrays and the fitted estimators.
EXPORT_TOLERANCE = 1e-9


def _installed(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return ""


def versions() -> dict[str, str]:
    """Versions the model was made with; read from package metadata, importing nothing."""

    return {"govspeech": __version__, "python": platform.python_version(),
            **{package: _installed(package) for package in ("numpy", "rjieba", "jieba", "scikit-learn")}}


def _coef(estimators) -> tuple[np.ndarray, np.ndarray]:
    return (np.vstack([est.coef_[0] for est in estimators]).astype(np.float64),
            np.array([est.intercept_[0] for est in estimators], dtype=np.float64))


def export_model(model: RoleModel | StackedRoleModel, meta: dict) -> dict[str, bytes]:
    """File name -> bytes of the model folder of a fitted model with its ``thresholds_``; ``meta`` adds
    ``scores`` and ``training``."""
    stacked = isinstance(model, StackedRoleModel)
    first = model.first_ if stacked else model
    blocks = first.features_.blocks_
    coef1, intercept1 = _coef(first.estimators_)
    arrays = {"words": blocks.words, "word_vocabulary": blocks.word_vocabulary, "word_idf": blocks.word_idf,
              "char_vocabulary": blocks.char_vocabulary, "char_idf": blocks.char_idf,
              "stage1_coef": coef1, "stage1_intercept": intercept1}
    delex = None
    if blocks.delex is not None:
        arrays |= {"delex_tokens": blocks.delex.tokens, "delex_vocabulary": blocks.delex.vocabulary,
                   "delex_idf": blocks.delex.idf}
        delex = {"ngram_range": list(blocks.delex.ngram_range), "tags_sha256": delex_tags().digest}
    stacking, names = None, []
    if stacked:
        stacking = {"window": int(model.window), "with_text": bool(model.with_text),
                    "hierarchy": bool(model.hierarchy), "markers": bool(model.markers)}
        names = sequence_feature_names(ROLES, window=model.window, hierarchy=model.hierarchy, markers=model.markers)
        arrays["stage2_coef"], arrays["stage2_intercept"] = _coef(model.estimators_)
    full = {**meta, "roles": list(ROLES),
            "thresholds": {r: float(t) for r, t in zip(ROLES, model.thresholds_)},
            "features": {"word_ngram_range": list(blocks.word_ngram_range),
                         "char_ngram_range": list(blocks.char_ngram_range), "sublinear_tf": blocks.sublinear_tf,
                         "digits_as_zero": blocks.digits_as_zero, "drop_stopwords": blocks.drop_stopwords,
                         "delexicalised": delex},
            "segmenter": {"name": SEGMENTER, "engine": engine(), "engine_version": _installed(engine())},
            "stacking": stacking, "sequence_features": names, "versions": versions()}
    return encode_model(full, arrays)


def load_exported(files: dict[str, bytes]) -> ArrayModel:
    """The model the exported files hold, read back through every check of loading."""
    with tempfile.TemporaryDirectory(prefix="govspeech-export-") as folder:
        for name, data in files.items():
            Path(folder, name).write_bytes(data)
        return load_model(folder)


def check_export(exported: ArrayModel, model, units: list[dict]) -> float:
    """Largest probability difference between ``exported`` and the fitted ``model`` on ``units``; raises
    ``ModelError`` above ``EXPORT_TOLERANCE``."""
    got, expected = exported.predict_proba(units), model.predict_proba(units)
    worst = float(np.abs(got - expected).max(initial=0.0))
    if got.shape != expected.shape or not worst <= EXPORT_TOLERANCE:
        raise ModelError(f"the exported arrays give probabilities up to {worst:.3g} away from the fitted model on "
                         f"{len(units)} units (allowed {EXPORT_TOLERANCE:g}); the numpy predictor and the trainer "
                         "disagree — report this with the config")
    return worst


def save_model(files: dict[str, bytes], out_dir: str | Path) -> None:
    """Write the folder: the arrays first, then the ``model.json`` that vouches for them (a crash between the
    two leaves a hash mismatch, which loading refuses)."""
    out_dir = Path(out_dir)
    check_folder(out_dir)  # the model's own folder is made, as asked; not a missing parent (a typo, likely)
    try:
        out_dir.mkdir(exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot make the model folder {out_dir} ({err.strerror or err}); give --out a folder "
                          "to make or an existing one") from None
    atomic_write_bytes(out_dir / ARRAYS, files[ARRAYS])
    atomic_write_bytes(out_dir / META, files[META])
    for stale in ("model.joblib", "meta.json"):  # a format-1 model's files: never read again
        (out_dir / stale).unlink(missing_ok=True)
