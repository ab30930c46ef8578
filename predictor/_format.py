"""The model format: a folder holding ``model.json`` and ``arrays.npz``; plain data, nothing executable.

``model.json`` names every array file by its bare name and sha256; the
arrays are read with ``np.load(allow_pickle=False)`` from the bytes just
hashed. Loading checks the format version, the type and range of every
field, the file names (bare names inside the folder), every hash, and that
the arrays' names, dtypes and shapes agree with each other and the JSON.
Whatever fails raises ``ModelError`` with one line saying what to do.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import numpy as np

from govspeech.errors import ModelError
from govspeech.features import ENGINES, MAX_CHAR_N, ROLES, SEGMENTER, delex_tags, sequence_feature_names

__all__ = ["ARRAYS", "FORMAT_VERSION", "META", "ModelError", "encode_model", "read_model", "sha256_hex"]

FORMAT_VERSION = 2
META = "model.json"
ARRAYS = "arrays.npz"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_MAX_WINDOW = 10  # far wider than any window measured; bounds the work a tampered value could ask for
# Second-stage blocks a model may switch on; a model saved before a block existed lacks its key (= off).
_OPTIONAL_BLOCKS = ("hierarchy", "markers")
_RETRAIN = "retrain with `govspeech train` or restore the folder"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fail(where, what: str) -> ModelError:
    return ModelError(f"{where}: {what}; {_RETRAIN}")


def _field(meta: dict, key: str, kind, where):
    value = meta.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise _fail(where, f"field {key!r} must be {getattr(kind, '__name__', kind)}, got {type(value).__name__}")
    return value


def _ngram_range(features: dict, key: str, where, limit: int | None) -> tuple[int, int]:
    value = features.get(key)
    if (not isinstance(value, list) or len(value) != 2 or not all(type(n) is int for n in value)
            or not 1 <= value[0] <= value[1] <= (limit or value[1])):
        raise _fail(where, f"field features.{key} must be [min, max] with 1 <= min <= max, got {value!r}")
    return value[0], value[1]


def _check_delex(delex, where) -> None:
    """``features.delexicalised``: absent or null (a model saved before the view existed, or without it), or the
    view's n-gram range and the digest of the tag table it was tagged with, which must be this install's."""
    if delex is None:
        return
    if not isinstance(delex, dict) or not isinstance(delex.get("tags_sha256"), str):
        raise _fail(where, "field features.delexicalised must be null or {ngram_range: [min, max], tags_sha256}")
    _ngram_range(delex, "ngram_range", where, None)
    if delex["tags_sha256"] != delex_tags().digest:
        raise ModelError(f"{where}: trained with another delexicalised view's tag table (features/data/delex.toml) "
                         "than this install's; retrain with `govspeech train`")


def _check_meta(meta, where) -> dict:
    """The checked fields of ``model.json`` that inference reads; the optional blocks a model saved before they
    existed lacks are filled in as off (``features.delexicalised`` None, ``stacking.<block>`` false), so readers
    need no default of their own."""
    if not isinstance(meta, dict):
        raise _fail(where, f"expected a JSON object, got {type(meta).__name__}")
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"{where}: model format {meta.get('format_version')!r}, this govspeech reads format "
                         f"{FORMAT_VERSION}; retrain with `govspeech train`")
    roles = _field(meta, "roles", list, where)
    if roles != list(ROLES):
        raise _fail(where, f"field 'roles' must be {list(ROLES)}, got {roles!r}")
    thresholds = _field(meta, "thresholds", dict, where)
    if set(thresholds) != set(roles) or not all(type(t) is float and 0.0 <= t <= 1.0 for t in thresholds.values()):
        raise _fail(where, "field 'thresholds' must map each role to a number in [0, 1]")
    features = _field(meta, "features", dict, where)
    _ngram_range(features, "word_ngram_range", where, None)
    _ngram_range(features, "char_ngram_range", where, MAX_CHAR_N)
    for key in ("sublinear_tf", "digits_as_zero", "drop_stopwords"):
        _field(features, key, bool, f"{where}: features")
    _check_delex(features.get("delexicalised"), where)
    features.setdefault("delexicalised", None)  # a model saved before the view existed: without it
    segmenter = _field(meta, "segmenter", dict, where)
    if segmenter.get("name") != SEGMENTER:
        raise ModelError(f"{where}: trained with segmenter {segmenter.get('name')!r}, this install uses "
                         f"{SEGMENTER!r}; retrain with `govspeech train`")
    if segmenter.get("engine") not in ENGINES or not isinstance(segmenter.get("engine_version"), str):
        raise ModelError(f"{where}: trained with segmenter engine {segmenter.get('engine')!r}, which is not known "
                         f"to give {SEGMENTER!r} tokens (known: {', '.join(ENGINES)}); retrain with `govspeech train`")
    stacking = meta.get("stacking")
    if stacking is not None:
        if (not isinstance(stacking, dict) or type(stacking.get("window")) is not int
                or not 0 <= stacking["window"] <= _MAX_WINDOW or type(stacking.get("with_text")) is not bool
                or any(type(stacking.get(key, False)) is not bool for key in _OPTIONAL_BLOCKS)):
            raise _fail(where, f"field 'stacking' must be null or {{window: 0..{_MAX_WINDOW}, with_text: true/false, "
                               "hierarchy: true/false, markers: true/false}")
        for key in _OPTIONAL_BLOCKS:  # a model saved before a block existed: without it
            stacking.setdefault(key, False)
        blocks = {key: stacking[key] for key in _OPTIONAL_BLOCKS}
        if meta.get("sequence_features") != sequence_feature_names(ROLES, window=stacking["window"], **blocks):
            raise _fail(where, "field 'sequence_features' does not match this govspeech's second-stage inputs")
    files = _field(meta, "files", dict, where)
    if set(files) != {"arrays"}:
        raise _fail(where, f"field 'files' must name exactly 'arrays', got {sorted(files)}")
    entry = files["arrays"]
    name = entry.get("name") if isinstance(entry, dict) else None
    if not isinstance(name, str) or not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise _fail(where, f"files.arrays.name must be a bare file name inside the model folder, got {name!r}")
    if not isinstance(entry.get("sha256"), str) or not _HEX64.fullmatch(entry["sha256"]):
        raise _fail(where, "files.arrays.sha256 must be 64 lower-case hex digits")
    for key in ("versions", "scores", "training"):
        _field(meta, key, dict, where)
    rates = meta["training"].get("train_role_rates")
    if (not isinstance(rates, dict) or set(rates) != set(roles)
            or not all(type(r) is float and 0.0 <= r <= 1.0 for r in rates.values())):
        raise _fail(where, "field training.train_role_rates must map each role to a number in [0, 1]")
    return meta


def _spec(meta: dict, arrays: dict[str, np.ndarray]) -> dict[str, tuple[str, tuple[int, ...]]]:
    """The arrays a model must hold: name -> (dtype kind/str, shape); sizes of the vocabularies from ``arrays``."""
    n_word_keys, n_char_keys = len(arrays["word_vocabulary"]), len(arrays["char_vocabulary"])
    spec: dict[str, tuple[str, tuple[int, ...]]] = {
        "words": ("U", (len(arrays["words"]),)), "word_vocabulary": ("<i8", (n_word_keys,)),
        "word_idf": ("<f8", (n_word_keys,)), "char_vocabulary": ("<u8", (n_char_keys,)),
        "char_idf": ("<f8", (n_char_keys,))}
    n_text = n_word_keys + n_char_keys
    if meta["features"]["delexicalised"] is not None:
        n_delex = len(arrays["delex_vocabulary"])
        spec |= {"delex_tokens": ("U", (len(arrays["delex_tokens"]),)), "delex_vocabulary": ("<i8", (n_delex,)),
                 "delex_idf": ("<f8", (n_delex,))}
        n_text += n_delex
    k = len(ROLES)
    spec |= {"stage1_coef": ("<f8", (k, n_text)), "stage1_intercept": ("<f8", (k,))}
    stacking = meta["stacking"]
    if stacking is not None:
        width = len(meta["sequence_features"]) + (n_text if stacking["with_text"] else 0)
        spec |= {"stage2_coef": ("<f8", (k, width)), "stage2_intercept": ("<f8", (k,))}
    return spec


def _check_arrays(arrays: dict[str, np.ndarray], meta: dict, where) -> None:
    delex = ("delex_tokens", "delex_vocabulary") if meta["features"]["delexicalised"] is not None else ()
    sorted_arrays = ("words", "word_vocabulary", "char_vocabulary", *delex)
    packed_words = ("word_vocabulary", *delex[1:])  # word n-gram keys, packed from 1 up (features._ngrams)
    for name in sorted_arrays:
        if name not in arrays or arrays[name].ndim != 1:
            raise _fail(where, f"array {name!r} missing or not 1-dimensional")
    spec = _spec(meta, arrays)
    if set(arrays) != set(spec):
        raise _fail(where, f"arrays {sorted(arrays)} expected {sorted(spec)}")
    for name, (dtype, shape) in spec.items():
        got = arrays[name]
        if (got.dtype.kind != dtype if len(dtype) == 1 else got.dtype.str != dtype) or got.shape != shape:
            raise _fail(where, f"array {name!r} is {got.dtype.str} {got.shape}, expected {dtype} {shape}")
    for name in sorted_arrays:
        values = arrays[name]
        if len(values) > 1 and not (values[1:] > values[:-1]).all():
            raise _fail(where, f"array {name!r} must be sorted without repeats")
    for name in packed_words:
        if len(arrays[name]) and arrays[name][0] < 1:
            raise _fail(where, f"array {name!r} holds a key below 1")
    for name, (dtype, _) in spec.items():
        if dtype == "<f8" and not np.isfinite(arrays[name]).all():
            raise _fail(where, f"array {name!r} holds NaN or infinity")


def read_model(folder: str | Path, *, expected_sha256: str | None = None) -> tuple[dict, dict[str, np.ndarray], str]:
    """(meta, arrays, sha256 of ``model.json``) of a model folder, every check passed; ``expected_sha256`` pins it."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelError(f"{folder}: no such model directory; train one with `govspeech train` or omit --model")
    meta_path = folder / META
    try:
        raw = meta_path.read_bytes()
    except FileNotFoundError:
        raise ModelError(f"{meta_path}: missing; a model folder holds {META} and {ARRAYS} — {_RETRAIN}") from None
    if expected_sha256 is not None and sha256_hex(raw) != expected_sha256.lower():
        raise ModelError(f"{meta_path}: sha256 {sha256_hex(raw)} is not the pinned {expected_sha256}; not loading "
                         "it — check where the model came from, or pin the right hash")
    try:
        meta = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError):
        raise ModelError(f"{meta_path}: not valid JSON (truncated or edited?); {_RETRAIN}") from None
    meta = _check_meta(meta, meta_path)
    entry = meta["files"]["arrays"]
    path = folder / entry["name"]
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        raise ModelError(f"{path}: missing; {_RETRAIN}") from None
    if sha256_hex(data) != entry["sha256"]:
        raise ModelError(f"{path}: sha256 does not match {META} (truncated or tampered); not loading it — {_RETRAIN}")
    try:
        loaded = np.load(io.BytesIO(data), allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            raise ValueError(f"a single {type(loaded).__name__}, not an npz archive")
        with loaded:
            arrays = {name: loaded[name] for name in loaded.files}
    except (ValueError, OSError, EOFError, KeyError, zipfile.BadZipFile) as err:  # object arrays need pickle: refused
        raise _fail(path, f"not a plain array file ({(str(err).splitlines() or [''])[0][:80]})") from None
    _check_arrays(arrays, meta, path)
    return meta, arrays, sha256_hex(raw)


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def encode_model(meta: dict, arrays: dict[str, np.ndarray]) -> dict[str, bytes]:
    """File name -> bytes of a model folder: ``arrays`` as an uncompressed npz, then ``meta`` vouching for it."""
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]  # numpy's stub takes **arrays for allow_pickle
    data = buffer.getvalue()
    full = {**meta, "format_version": FORMAT_VERSION,
            "files": {"arrays": {"name": ARRAYS, "sha256": sha256_hex(data)}}}
    text = json.dumps(full, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False) + "\n"
    files = {ARRAYS: data, META: text.encode("utf-8")}
    _check_meta(json.loads(files[META]), META)  # never write what loading would refuse
    _check_arrays(arrays, full, ARRAYS)
    return files
