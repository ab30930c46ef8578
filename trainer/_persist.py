"""Saving and loading a model directory: ``model.joblib`` and ``meta.json``.

The meta carries a format number, the versions the model was made with and
the artifact's sha256; loading refuses an artifact whose hash does not match
before unpickling anything.
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from govspeech.errors import ModelError
from govspeech.features import ROLES, SEGMENTER
from govspeech.features._segment import ENGINES, engine
from govspeech.trainer._atomic import atomic_write_bytes, atomic_write_text

__all__ = ["FORMAT_VERSION", "ModelError", "checked_artifact", "save_model", "load_model", "read_meta",
           "unpickle_artifact", "versions"]

FORMAT_VERSION = 1
ARTIFACT = "model.joblib"
META = "meta.json"


def _installed(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return ""


def versions() -> dict[str, str]:
    """Versions that decide what a model computes; read from package metadata, importing nothing."""
    from govspeech import __version__

    return {"govspeech": __version__, "python": platform.python_version(),
            **{package: _installed(package) for package in ("scikit-learn", "jieba", "numpy", "rjieba")}}


def save_model(model, out_dir: str | Path, meta: dict) -> dict:
    """Write the artifact, then the meta that vouches for it; returns the full meta."""
    out_dir = Path(out_dir)
    import joblib  # deferred: only saving and unpickling need it

    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=3)
    data = buffer.getvalue()
    full = {"format_version": FORMAT_VERSION, "artifact": ARTIFACT,
            "sha256": hashlib.sha256(data).hexdigest(), "versions": versions(),
            "segmenter": SEGMENTER, "segmenter_engine": engine(), "roles": list(ROLES), **meta}
    # Artifact first: a crash between the two writes leaves a hash mismatch, which load refuses.
    atomic_write_bytes(out_dir / ARTIFACT, data)
    atomic_write_text(out_dir / META, json.dumps(full, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return full


def read_meta(model_dir: str | Path) -> dict:
    model_dir = Path(model_dir)
    meta_path = model_dir / META
    if not model_dir.is_dir():
        raise ModelError(f"{model_dir}: no such model directory; train one with `govspeech train` or omit --model")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{meta_path}: missing; a model directory holds {ARTIFACT} and {META} — "
                         "retrain with `govspeech train` or omit --model") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ModelError(f"{meta_path}: not valid JSON (truncated or edited?); retrain with `govspeech train`") from None
    if not isinstance(meta, dict) or meta.get("format_version") != FORMAT_VERSION:
        got = meta.get("format_version") if isinstance(meta, dict) else None
        raise ModelError(f"{meta_path}: model format {got!r}, this govspeech reads format {FORMAT_VERSION}; "
                         "retrain with `govspeech train`")
    return meta


def checked_artifact(model_dir: str | Path) -> tuple[bytes, dict]:
    """(artifact bytes, meta) of a model directory, after checking hash, format, segmenter and versions."""
    model_dir = Path(model_dir)
    meta = read_meta(model_dir)
    artifact = model_dir / meta.get("artifact", ARTIFACT)
    try:
        data = artifact.read_bytes()
    except FileNotFoundError:
        raise ModelError(f"{artifact}: missing; retrain with `govspeech train`") from None
    if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
        raise ModelError(f"{artifact}: sha256 does not match {META} (truncated or tampered); "
                         "not loading it — retrain with `govspeech train` or restore the file")
    if meta.get("segmenter") != SEGMENTER:
        raise ModelError(f"{model_dir}: trained with segmenter {meta.get('segmenter')!r}, this install uses "
                         f"{SEGMENTER!r}; retrain with `govspeech train`")
    trained_with = meta.get("segmenter_engine", SEGMENTER)  # older metas name no engine: jieba's own
    if trained_with not in ENGINES:
        raise ModelError(f"{model_dir}: trained with segmenter engine {trained_with!r}, which is not known to give "
                         f"{SEGMENTER!r} tokens (known: {', '.join(ENGINES)}); retrain with `govspeech train`")
    try:
        engine()
    except ValueError as err:
        raise ModelError(str(err)) from None
    saved, current = meta.get("versions", {}), versions()
    for package in ("scikit-learn", "jieba"):
        if saved.get(package, "").split(".")[:2] != current[package].split(".")[:2]:
            raise ModelError(f"{model_dir}: saved with {package} {saved.get(package)}, this install has "
                             f"{current[package]}; install {package}=={saved.get(package)} or retrain with "
                             "`govspeech train`")
    return data, meta


def load_model(model_dir: str | Path):
    """(model, meta) from a model directory, after checking hash, format, segmenter and versions."""
    data, meta = checked_artifact(model_dir)
    return unpickle_artifact(data), meta


def unpickle_artifact(data: bytes):
    """The model in the bytes ``checked_artifact`` returned (and only those: they were checked)."""
    import joblib  # deferred: scikit-learn comes with the unpickled model

    return joblib.load(io.BytesIO(data))
