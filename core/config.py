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

import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from govspeech._checks import build, fail, setting, unknown, with_overrides
from govspeech.errors import ConfigError

__all__ = [
    "SHIPPED_PREFIX", "THRESHOLD_SOURCES", "ConfigError", "CorpusConfig", "Floor", "Limits", "TrainingConfig", "Variant",
    "parse_override", "read_corpus_config", "read_floor", "read_limits", "read_toml", "read_training_config",
    "read_variants", "resolve_data_path", "shipped_names",
]

THRESHOLD_SOURCES = ("grouped_cv", "dev")
# A data path starting with this names a file installed with the package (data/ of the repository), so a
# config works from an installed copy: "shipped:corpus.jsonl", "shipped:synthetic/speeches.jsonl".
SHIPPED_PREFIX = "shipped:"
CLASS_WEIGHTS = ("balanced", "none")


# ---- the training config (configs/default.toml) ----

@dataclass(frozen=True)
class TrainingFiles:
    files: tuple[str, ...]
    weight: float = field(metadata=setting(lo=0.0))

    def problems(self):
        yield from _unknown_shipped("files", self.files)


@dataclass(frozen=True)
class FeaturesConfig:
    # Dropped settings (context blocks, cue lexicon): no measured gain, docs/model.md.
    REMOVED = ("neighbour_window", "neighbour_weight", "heading_weight", "position_weight", "cue_weight")

    word_ngram_range: tuple[int, int] = field(metadata=setting(lo=1))
    # Character n-grams longer than 3 multiply the vocabulary for no measured gain (docs/model.md).
    char_ngram_range: tuple[int, int] = field(metadata=setting(lo=1, item_max=3))
    min_df: int = field(metadata=setting(lo=1))
    max_df: float = field(metadata=setting(above=0.0, hi=1.0))
    sublinear_tf: bool
    drop_stopwords: bool
    digits_as_zero: bool
    delexicalised: bool  # the delexicalised view's n-grams beside the words and characters (features._delex)


@dataclass(frozen=True)
class ModelConfig:
    REMOVED = ("classifier",)  # linear_svm and complement_nb: the arrays hold logistic regressions only
    C: float = field(metadata=setting(above=0.0))
    class_weight: str = field(metadata=setting(choices=CLASS_WEIGHTS))
    max_iter: int = field(metadata=setting(lo=1))


@dataclass(frozen=True)
class StackingConfig:
    # Dropped second stages (boosting, linear-chain CRF): no measured gain over the logistic one, docs/model.md.
    REMOVED = ("second_stage", "boosting_iterations", "boosting_learning_rate", "boosting_leaves", "crf_c1", "crf_c2",
               "crf_iterations")

    enabled: bool
    window: int = field(metadata=setting(lo=0))
    with_text: bool
    hierarchy: bool
    markers: bool
    inner_folds: int = field(metadata=setting(lo=2))
    C: float = field(metadata=setting(above=0.0))
    class_weight: str = field(metadata=setting(choices=CLASS_WEIGHTS))
    max_iter: int = field(metadata=setting(lo=1))


@dataclass(frozen=True)
class ThresholdsConfig:
    source: str = field(metadata=setting(choices=THRESHOLD_SOURCES))
    cv_folds: int = field(metadata=setting(lo=2))
    start: float = field(metadata=setting(above=0.0, hi=1.0))
    stop: float = field(metadata=setting(above=0.0, hi=1.0))
    step: float = field(metadata=setting(above=0.0, hi=1.0))

    def problems(self):
        if self.start > self.stop:
            yield "start", f"expected start <= stop ({self.stop}), got {self.start}"


@dataclass(frozen=True)
class TrainingConfig:
    seed: int = field(metadata=setting(lo=0))
    # One corpus file, or several (a user's units and "shipped:corpus.jsonl"): their splits are pooled.
    corpus: tuple[str, ...]
    synthetic: TrainingFiles
    paraphrases: TrainingFiles
    features: FeaturesConfig
    model: ModelConfig
    stacking: StackingConfig
    thresholds: ThresholdsConfig

    def problems(self):
        if not self.corpus:
            yield "corpus", "expected a corpus file, or a list of them, got an empty list"
        yield from _unknown_shipped("corpus", self.corpus)


def shipped_names() -> list[str]:
    """The data files installed with the package, as ``shipped:`` names them."""
    root = resources.files("govspeech.data")
    names = [f.name for f in root.iterdir() if f.name.endswith(".jsonl")]
    for folder in ("synthetic", "paraphrases"):
        names += [f"{folder}/{f.name}" for f in (root / folder).iterdir() if f.name.endswith(".jsonl")]
    return sorted(names)


def resolve_data_path(path: str | Path) -> Path:
    """``shipped:NAME`` -> the installed file; any other path as given (relative to the current directory)."""
    text = str(path)
    if not text.startswith(SHIPPED_PREFIX):
        return Path(path)
    name = text[len(SHIPPED_PREFIX):]
    if name not in shipped_names():
        raise ConfigError(f"{text}: no such shipped file; shipped files are "
                          f"{', '.join(SHIPPED_PREFIX + n for n in shipped_names())}")
    return Path(str(resources.files("govspeech.data").joinpath(name)))


def _unknown_shipped(key: str, paths):
    known = None
    for path in paths:
        if path.startswith(SHIPPED_PREFIX):
            known = known if known is not None else shipped_names()
            if path[len(SHIPPED_PREFIX):] not in known:
                yield key, (f"no shipped file {path!r}; shipped files are "
                            f"{', '.join(SHIPPED_PREFIX + n for n in known)}")


# ---- configs/corpus.toml, configs/ci.toml, features/data/cleaning.toml ----

@dataclass(frozen=True)
class DuplicateUnits:
    min_duplicate_chars: int = field(metadata=setting(lo=1))


@dataclass(frozen=True)
class SplitConfig:
    seed: int = field(metadata=setting(lo=0))
    dev: float = field(metadata=setting(above=0.0, hi=1.0))
    test: float = field(metadata=setting(above=0.0, hi=1.0))
    trials: int = field(metadata=setting(lo=1))

    def problems(self):
        if self.dev + self.test >= 1:
            yield "test", f"expected dev + test < 1 (train keeps the rest), got {self.dev} + {self.test}"


@dataclass(frozen=True)
class CorpusConfig:
    units: DuplicateUnits
    split: SplitConfig


@dataclass(frozen=True)
class FloorScores:
    test_macro_f1: float = field(metadata=setting(lo=0.0, hi=1.0))


@dataclass(frozen=True)
class Floor:
    floor: FloorScores


@dataclass(frozen=True)
class InputLimits:
    max_file_mb: float = field(metadata=setting(lo=0.0))
    detect_sample_bytes: int = field(metadata=setting(lo=1))
    block_bytes: int = field(metadata=setting(lo=1))
    max_bad_byte_share: float = field(metadata=setting(lo=0.0, hi=1.0))


@dataclass(frozen=True)
class SpeechLimits:
    max_chars: int = field(metadata=setting(lo=1))


@dataclass(frozen=True)
class UnitLimits:
    max_feature_chars: int = field(metadata=setting(lo=1))


@dataclass(frozen=True)
class StructureLimits:
    heading_max_chars: int = field(metadata=setting(lo=1))


@dataclass(frozen=True)
class Limits:
    input: InputLimits
    speech: SpeechLimits
    units: UnitLimits
    structure: StructureLimits


@dataclass(frozen=True)
class Variant:
    """One ablation variant: its name, its overrides as written, and the training config they give."""

    name: str
    overrides: dict
    config: TrainingConfig


def parse_override(item: str) -> tuple[str, str]:
    """``"KEY=VALUE"`` -> ``(KEY, VALUE)``, both text; the value is read against its field by ``with_overrides``."""
    key, sep, value = item.partition("=")
    if not sep or not key:
        raise ConfigError(f"{item!r}: expected KEY=VALUE, e.g. model.C=2")
    return key.strip(), value


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
    """The training config of ``path`` with ``overrides`` (``{"model.C": 2}`` or ``{"model.C": "2"}``) applied.

    ``corpus`` may be one path (read as a list of one) or a list of paths.
    """
    return build(TrainingConfig, with_overrides(_corpus_list(read_toml(path)), _corpus_list(overrides or {}),
                                                TrainingConfig, "--set"), str(path))


def _corpus_list(raw: dict) -> dict:
    """``corpus = "x.jsonl"`` (the shape of every config written before several corpora) as ``["x.jsonl"]``."""
    if isinstance(raw.get("corpus"), str) and not raw["corpus"].lstrip().startswith("["):
        return {**raw, "corpus": [raw["corpus"]]}
    return raw


def read_variants(path: str | Path, base: str | Path) -> list[Variant]:
    """The ``[[variant]]`` tables of ``path`` (``name`` and ``set`` = dotted overrides), each applied to ``base``."""
    raw, base_raw = read_toml(path), _corpus_list(read_toml(base))
    for key in raw:
        if key != "variant":
            unknown(str(path), "", key, ["variant"])
    variants = []
    for i, table in enumerate(raw.get("variant", []), 1):
        where = f"{path}:variant[{i}]"
        if not isinstance(table, dict) or not isinstance(table.get("name"), str):
            fail(where, 'expected a [[variant]] table with a name = "..."')
        for key in table:
            if key not in ("name", "set"):
                unknown(str(path), f"variant[{i}].", key, ["name", "set"])
        overrides = table.get("set", {})
        if not isinstance(overrides, dict):
            fail(f"{where}.set", 'expected a table of dotted keys, e.g. set = { "model.C" = 2.0 }')
        merged = with_overrides(base_raw, overrides, TrainingConfig, f"{where}.set")
        variants.append(Variant(table["name"], dict(overrides), build(TrainingConfig, merged, str(base))))
    return variants


def read_corpus_config(path: str | Path) -> CorpusConfig:
    return build(CorpusConfig, read_toml(path), str(path))


def read_floor(path: str | Path) -> Floor:
    return build(Floor, read_toml(path), str(path))


def read_limits(path: str | Path) -> Limits:
    return build(Limits, read_toml(path), str(path))
