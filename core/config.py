"""Every config file of govspeech, read into frozen dataclasses and checked before any data is loaded.

Shapes: the training config (configs/default.toml; ``read_training_config``),
its ablation variants (configs/ablation.toml; ``read_variants``), the CI
floor (configs/ci.toml; ``read_floor``), the corpus build (configs/corpus.toml;
``read_corpus_config``) and the cleaning limits (features/data/cleaning.toml;
``read_limits``). An unknown key (with a "did you mean"), a missing key, a
wrong type or an out-of-range value is one ConfigError line naming
``file:section.key``; ``--set KEY=VALUE`` overrides go through the same checks.

Where defaults live: in the shipped TOML files, and only there. The
dataclasses have no defaults, so every key must be in the file. A config
file is then the whole record of a model (the comment beside each value says
why it was chosen), and a file written today keeps its meaning when the code
changes; a new setting fails loudly on old files instead of taking a value
nobody wrote down. To write your own config, copy configs/default.toml.

This module is the base layer: it imports nothing of the project but ``govspeech.errors``.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import json
import sys
import typing
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from govspeech.errors import ConfigError

__all__ = [
    "CLASSIFIERS", "THRESHOLD_SOURCES", "ConfigError", "CorpusConfig", "Floor", "Limits", "TrainingConfig", "Variant",
    "parse_override", "read_corpus_config", "read_floor", "read_limits", "read_toml", "read_training_config",
    "read_variants", "with_overrides",
]

CLASSIFIERS = ("logreg", "linear_svm", "complement_nb")
THRESHOLD_SOURCES = ("grouped_cv", "dev")
CLASS_WEIGHTS = ("balanced", "none")


def _key(*, lo=None, hi=None, above=None, choices=None, item_max=None):
    """A field's checks: ``lo <= v <= hi``, ``v > above``, one of ``choices``; ``item_max`` bounds an n-gram range."""
    return field(metadata={"lo": lo, "hi": hi, "above": above, "choices": choices, "item_max": item_max})


# ---- the training config (configs/default.toml) ----

@dataclass(frozen=True)
class TrainingFiles:
    files: tuple[str, ...]
    weight: float = _key(lo=0.0)


@dataclass(frozen=True)
class FeaturesConfig:
    word_ngram_range: tuple[int, int] = _key(lo=1)
    # Character n-grams longer than 3 multiply the vocabulary for no measured gain (docs/model.md).
    char_ngram_range: tuple[int, int] = _key(lo=1, item_max=3)
    min_df: int = _key(lo=1)
    max_df: float = _key(above=0.0, hi=1.0)
    sublinear_tf: bool
    drop_stopwords: bool
    digits_as_zero: bool


@dataclass(frozen=True)
class ModelConfig:
    classifier: str = _key(choices=CLASSIFIERS)
    C: float = _key(above=0.0)
    class_weight: str = _key(choices=CLASS_WEIGHTS)
    max_iter: int = _key(lo=1)


@dataclass(frozen=True)
class StackingConfig:
    enabled: bool
    window: int = _key(lo=0)
    with_text: bool
    inner_folds: int = _key(lo=2)
    C: float = _key(above=0.0)
    class_weight: str = _key(choices=CLASS_WEIGHTS)
    max_iter: int = _key(lo=1)


@dataclass(frozen=True)
class ThresholdsConfig:
    source: str = _key(choices=THRESHOLD_SOURCES)
    cv_folds: int = _key(lo=2)
    start: float = _key(above=0.0, hi=1.0)
    stop: float = _key(above=0.0, hi=1.0)
    step: float = _key(above=0.0, hi=1.0)

    def problems(self):
        if self.start > self.stop:
            yield "start", f"expected start <= stop ({self.stop}), got {self.start}"


@dataclass(frozen=True)
class TrainingConfig:
    seed: int = _key(lo=0)
    corpus: str
    synthetic: TrainingFiles
    paraphrases: TrainingFiles
    features: FeaturesConfig
    model: ModelConfig
    stacking: StackingConfig
    thresholds: ThresholdsConfig


# ---- configs/corpus.toml, configs/ci.toml, features/data/cleaning.toml ----

@dataclass(frozen=True)
class DuplicateUnits:
    min_duplicate_chars: int = _key(lo=1)


@dataclass(frozen=True)
class SplitConfig:
    seed: int = _key(lo=0)
    dev: float = _key(above=0.0, hi=1.0)
    test: float = _key(above=0.0, hi=1.0)
    trials: int = _key(lo=1)

    def problems(self):
        if self.dev + self.test >= 1:
            yield "test", f"expected dev + test < 1 (train keeps the rest), got {self.dev} + {self.test}"


@dataclass(frozen=True)
class CorpusConfig:
    units: DuplicateUnits
    split: SplitConfig


@dataclass(frozen=True)
class FloorScores:
    test_macro_f1: float = _key(lo=0.0, hi=1.0)


@dataclass(frozen=True)
class Floor:
    floor: FloorScores


@dataclass(frozen=True)
class InputLimits:
    max_file_mb: float = _key(lo=0.0)
    detect_sample_bytes: int = _key(lo=1)
    block_bytes: int = _key(lo=1)
    max_bad_byte_share: float = _key(lo=0.0, hi=1.0)


@dataclass(frozen=True)
class SpeechLimits:
    max_chars: int = _key(lo=1)


@dataclass(frozen=True)
class UnitLimits:
    max_feature_chars: int = _key(lo=1)


@dataclass(frozen=True)
class Limits:
    input: InputLimits
    speech: SpeechLimits
    units: UnitLimits


@dataclass(frozen=True)
class Variant:
    """One ablation variant: its name, its overrides as written, and the training config they give."""

    name: str
    overrides: dict
    config: TrainingConfig


# ---- checking ----

def _fail(where: str, message: str) -> typing.NoReturn:
    raise ConfigError(f"{where}: {message}")


def _fields(cls) -> dict[str, tuple[object, dict]]:
    hints = typing.get_type_hints(cls)
    return {f.name: (hints[f.name], f.metadata) for f in dataclasses.fields(cls)}


# Settings that existed once and were dropped (they measured no gain): named, so an old file says so.
_REMOVED = {f"features.{k}" for k in ("neighbour_window", "neighbour_weight", "heading_weight", "position_weight",
                                      "cue_weight")} | {
    f"stacking.{k}" for k in ("second_stage", "boosting_iterations", "boosting_learning_rate", "boosting_leaves",
                              "crf_c1", "crf_c2", "crf_iterations")}


def _unknown(source: str, prefix: str, key: str, known) -> typing.NoReturn:
    where = f"{source}:{prefix}{key}"
    if f"{prefix}{key}" in _REMOVED:
        _fail(where, "this setting was removed (no measured gain, docs/model.md); drop it")
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f"did you mean {prefix}{close[0]}?" if close else f"known keys: {', '.join(known)}"
    _fail(where, f"unknown key; {hint}")


def _type_name(hint) -> str:
    if typing.get_origin(hint) is tuple:
        args = typing.get_args(hint)
        item = args[0].__name__
        return f"a list of {item}s" if args[-1] is Ellipsis else f"a list of {len(args)} {item}s"
    return {bool: "true or false", int: "an integer", float: "a number", str: "text"}[hint]


def _typed(where: str, hint, value):
    """``value`` as ``hint``, or ConfigError."""
    wrong = f"expected {_type_name(hint)}, got {json.dumps(value, ensure_ascii=False, default=str)}"
    if typing.get_origin(hint) is tuple:
        args = typing.get_args(hint)
        if not isinstance(value, (list, tuple)) or (args[-1] is not Ellipsis and len(value) != len(args)):
            _fail(where, wrong)
        return tuple(_typed(where, args[0], v) for v in value)
    ok = {bool: isinstance(value, bool),
          int: isinstance(value, int) and not isinstance(value, bool),
          float: isinstance(value, (int, float)) and not isinstance(value, bool),
          str: isinstance(value, str)}[hint]
    if not ok:
        _fail(where, wrong)
    return float(value) if hint is float else value


def _checked(where: str, hint, meta, value):
    value = _typed(where, hint, value)
    for v in value if isinstance(value, tuple) else (value,):
        if meta.get("lo") is not None and v < meta["lo"]:
            _fail(where, f"expected at least {meta['lo']}, got {v}")
        if meta.get("hi") is not None and v > meta["hi"]:
            _fail(where, f"expected at most {meta['hi']}, got {v}")
        if meta.get("above") is not None and v <= meta["above"]:
            _fail(where, f"expected more than {meta['above']}, got {v}")
        if meta.get("choices") and v not in meta["choices"]:
            _fail(where, f"expected one of {', '.join(meta['choices'])}, got {v!r}")
    if meta.get("item_max") is not None:
        low, high = value
        if low > high or high > meta["item_max"]:
            _fail(where, f"expected [min, max] n-gram lengths with min <= max <= {meta['item_max']}, got {list(value)}")
    return value


def _build(cls, data, source: str, prefix: str = ""):
    """An instance of dataclass ``cls`` from the TOML table ``data``; every key checked, none missing."""
    where = f"{source}:{prefix.rstrip('.')}" if prefix else source
    if not isinstance(data, dict):
        _fail(where, f"expected a table of settings, got {json.dumps(data, ensure_ascii=False, default=str)}")
    fields = _fields(cls)
    for key in data:
        if key not in fields:
            _unknown(source, prefix, key, fields)
    values = {}
    for name, (hint, meta) in fields.items():
        if name not in data:
            _fail(f"{source}:{prefix}{name}", "missing; every setting must be given (copy it from the shipped file)")
        if dataclasses.is_dataclass(hint):
            values[name] = _build(hint, data[name], source, f"{prefix}{name}.")
        else:
            values[name] = _checked(f"{source}:{prefix}{name}", hint, meta, data[name])
    result = cls(**values)
    for key, message in getattr(result, "problems", lambda: ())():
        _fail(f"{source}:{prefix}{key}", message)
    return result


# ---- overrides ----

def parse_override(item: str) -> tuple[str, str]:
    """``"KEY=VALUE"`` -> ``(KEY, VALUE)``, both text; the value is read against its field by ``with_overrides``."""
    key, sep, value = item.partition("=")
    if not sep or not key:
        raise ConfigError(f"{item!r}: expected KEY=VALUE, e.g. model.C=2")
    return key.strip(), value


def _field_of(cls, dotted: str, source: str):
    """(type hint, checks) of the setting ``dotted`` of ``cls``, or ConfigError with a "did you mean"."""
    *path, last = dotted.split(".")
    prefix = ""
    for part in path:
        fields = _fields(cls)
        if part not in fields or not dataclasses.is_dataclass(fields[part][0]):
            _unknown(source, prefix, part, [k for k, (h, _) in fields.items() if dataclasses.is_dataclass(h)])
        cls, prefix = fields[part][0], f"{prefix}{part}."
    fields = _fields(cls)
    if last not in fields or dataclasses.is_dataclass(fields[last][0]):
        _unknown(source, prefix, last, [k for k, (h, _) in fields.items() if not dataclasses.is_dataclass(h)])
    return fields[last]


def _override_value(hint, value):
    """A value given as text is read as JSON unless the setting is text (``model.C=2``, ``thresholds.source=dev``)."""
    if not isinstance(value, str):
        return value
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        return value
    return parsed if hint is not str or isinstance(parsed, str) else value


def with_overrides(raw: dict, overrides: dict | None, cls=None, source: str = "--set") -> dict:
    """``raw`` (a TOML table of ``cls``) with dotted-key overrides applied, each checked against its setting."""
    cls = cls or TrainingConfig
    raw = copy.deepcopy(raw)
    for dotted, value in (overrides or {}).items():
        hint, meta = _field_of(cls, dotted, source)
        value = _override_value(hint, value)
        checked = _checked(f"{source}:{dotted}", hint, meta, value)
        *path, last = dotted.split(".")
        section = raw
        for part in path:
            section = section.setdefault(part, {})
        section[last] = list(checked) if isinstance(checked, tuple) else checked
    return raw


# ---- reading files ----

def read_toml(path: str | Path) -> dict:
    """A TOML file as a dict, or ConfigError (missing, not TOML)."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found; pass --config with an existing file") from None
    except OSError as err:
        raise ConfigError(f"{path}: cannot read ({err.strerror or err}); check the file and its permissions") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: invalid TOML: {err}") from None


def read_training_config(path: str | Path, overrides: dict | None = None) -> TrainingConfig:
    """The training config of ``path`` with ``overrides`` (``{"model.C": 2}`` or ``{"model.C": "2"}``) applied."""
    return _build(TrainingConfig, with_overrides(read_toml(path), overrides), str(path))


def read_variants(path: str | Path, base: str | Path) -> list[Variant]:
    """The ``[[variant]]`` tables of ``path`` (``name`` and ``set`` = dotted overrides), each applied to ``base``."""
    raw, base_raw = read_toml(path), read_toml(base)
    for key in raw:
        if key != "variant":
            _unknown(str(path), "", key, ["variant"])
    variants = []
    for i, table in enumerate(raw.get("variant", []), 1):
        where = f"{path}:variant[{i}]"
        if not isinstance(table, dict) or not isinstance(table.get("name"), str):
            _fail(where, 'expected a [[variant]] table with a name = "..."')
        for key in table:
            if key not in ("name", "set"):
                _unknown(str(path), f"variant[{i}].", key, ["name", "set"])
        overrides = table.get("set", {})
        if not isinstance(overrides, dict):
            _fail(f"{where}.set", 'expected a table of dotted keys, e.g. set = { "model.C" = 2.0 }')
        merged = with_overrides(base_raw, overrides, source=f"{where}.set")
        variants.append(Variant(table["name"], dict(overrides), _build(TrainingConfig, merged, str(base))))
    return variants


def read_corpus_config(path: str | Path) -> CorpusConfig:
    return _build(CorpusConfig, read_toml(path), str(path))


def read_floor(path: str | Path) -> Floor:
    return _build(Floor, read_toml(path), str(path))


def read_limits(path: str | Path) -> Limits:
    return _build(Limits, read_toml(path), str(path))
