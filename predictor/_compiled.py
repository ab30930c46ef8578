"""A scikit-learn-free copy of a fitted model, for a sub-second `govspeech label`.

Importing scikit-learn to unpickle a model costs about a second, more than
labelling a speech. When the model is one this module can read exactly —
a ``RoleModel`` with TF-IDF blocks over the unit's words and characters
(digits folded to 0 or not) and one logistic regression per role, or a
``StackedRoleModel`` over such a first stage whose second stage is one
logistic regression per role on the sequence features, with or without the
first stage's TF-IDF features of the unit (``with_text``) before them —
its numbers are copied into plain numpy arrays and cached in the user cache
folder, keyed by the artifact's sha256 and the feature builder's source. The
sequence features are computed by the model's own numpy function
(``features._sequence``), so only the TF-IDF blocks and the logistic
regressions are copies. A copy is used only after it gave the model's own
probabilities on probe units (checked when it is made); any other model, or
a builder that has changed (a boosting second stage or one that reads the
unit's context or cue blocks, other classifiers, parameters this module
does not know), is labelled through scikit-learn as before.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
from pathlib import Path

import numpy as np

from govspeech.features import ROLES, as_units, normalize_text, segment, speech_spans
from govspeech.features._normalize import fold_digits
from govspeech.features._segment import stopwords
from govspeech.features._sequence import sequence_feature_names, sequence_features

__all__ = ["COMPILED_ENV", "CompiledModel", "CompiledStackedModel", "compile_model", "fast_or_full", "load_compiled",
           "save_compiled"]

# Bump when the arrays saved change meaning. 3: a file may hold a stacked model (the ``stacked_*`` arrays), which
# a reader of format 2 would take for its first stage alone. 4: the stacked second stage may also read the TF-IDF
# features (``stacked_with_text``, coefficients wider than the sequence features), which format 3 would misread.
COMPILED_FORMAT = 4
# Set to 0 to always label through scikit-learn (e.g. to time it).
COMPILED_ENV = "GOVSPEECH_COMPILED"
# Largest |difference| of a probability allowed between the copy and the model on the probe units.
TOLERANCE = 1e-9
_WHITE_SPACES = re.compile(r"\s\s+")  # as scikit-learn's char analyzer collapses them
_FEATURE_PARAMS = {"word_ngram_range", "char_ngram_range", "min_df", "max_df", "sublinear_tf", "drop_stopwords",
                   "neighbour_window", "neighbour_weight", "heading_weight", "position_weight", "cue_weight",
                   "digits_as_zero"}
_OFF_BLOCKS = ("neighbour_window", "heading_weight", "position_weight", "cue_weight")
_PROBE = ("同志们:", "今年以来,全县招商引资工作取得了很好的成绩。", "但是有的部门重视程度还不是很高;",
          "要加快园区建设,力争年内建成投产。", "務(wù)實推進  重大項目 2012年GDP增长8.5%!", "  ", "一、", "谢谢大家!")


def enabled() -> bool:
    return os.environ.get(COMPILED_ENV, "1") != "0"


def _logistic(decision: np.ndarray) -> np.ndarray:
    """LogisticRegression's probability of the positive class from its decision function."""
    return 1.0 / (1.0 + np.exp(-decision))


class _Thresholded:
    thresholds_: np.ndarray

    def predict_proba(self, X) -> np.ndarray:
        raise NotImplementedError

    def predict(self, X) -> np.ndarray:
        return (self.predict_proba(X) >= self.thresholds_).astype(np.int8)


class CompiledModel(_Thresholded):
    """Duck-types ``RoleModel`` for prediction: ``predict_proba``, ``predict`` and ``thresholds_``."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.arrays = arrays
        self.thresholds_ = arrays["thresholds"]
        self.drop_stopwords = bool(arrays["drop_stopwords"])
        self.digits_as_zero = bool(arrays["digits_as_zero"])
        self.blocks = []
        offset = 0
        for name in ("word", "char"):
            terms = arrays[f"{name}_terms"].tolist()
            vocab = dict(zip(terms, range(offset, offset + len(terms))))
            self.blocks.append((name, vocab, tuple(int(n) for n in arrays[f"{name}_ngram_range"]),
                                bool(arrays[f"{name}_sublinear"])))
            offset += len(terms)
        self.idf = np.concatenate([arrays["word_idf"], arrays["char_idf"]]).astype(np.float32)
        self.n_features = offset  # width of the TF-IDF matrix: the word block, then the char block
        self.coef, self.intercept = arrays["coef"], arrays["intercept"]

    @staticmethod
    def _ngrams(tokens, lo: int, hi: int, join) -> list:
        out = list(tokens) if lo == 1 else []
        for n in range(max(lo, 2), min(hi, len(tokens)) + 1):
            out.extend(join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        return out

    def _features(self, text: str, words: str) -> tuple[list[int], list[int], list[int]]:
        """(column, count, block) of every feature of one unit, blocks in order, columns sorted in a block."""
        cols, counts, blocks = [], [], []
        for b, (name, vocab, (lo, hi), _) in enumerate(self.blocks):
            if name == "word":
                grams = self._ngrams(words.split(" "), lo, hi, " ".join)
            else:
                chars = _WHITE_SPACES.sub(" ", fold_digits(text) if self.digits_as_zero else text)
                grams = self._ngrams(chars, lo, hi, "".join)
            found: dict[int, int] = {}
            for gram in grams:
                j = vocab.get(gram)
                if j is not None:
                    found[j] = found.get(j, 0) + 1
            for j in sorted(found):
                cols.append(j)
                counts.append(found[j])
                blocks.append(b)
        return cols, counts, blocks

    def tfidf(self, units: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(rows, cols, values) of the units' TF-IDF matrix (``features_.transform``): the nonzeros, row by row,
        columns sorted in each row, values float32 ones as float64."""
        drop = stopwords() if self.drop_stopwords else frozenset()
        cache: dict[str, tuple] = {}  # speeches repeat units
        rows, cols, counts, blocks = [], [], [], []
        for i, unit in enumerate(units):
            text = normalize_text(unit["text"])
            if text not in cache:
                cache[text] = self._features(text, " ".join(w for w in segment(text) if w not in drop))
            c, n, b = cache[text]
            rows.extend([i] * len(c))
            cols.extend(c)
            counts.extend(n)
            blocks.extend(b)
        rows, cols, blocks = np.array(rows, np.int64), np.array(cols, np.int64), np.array(blocks, np.int64)
        # The arithmetic of scikit-learn's TfidfVectorizer in float32, then its l2 row norm per block.
        values = np.array(counts, np.float32)
        for b, (*_, sublinear) in enumerate(self.blocks):
            if sublinear:
                mask = blocks == b
                values[mask] = np.log(values[mask]) + np.float32(1.0)
        values *= self.idf[cols]
        squares = (values * values).astype(np.float64)
        key = rows * len(self.blocks) + blocks
        norms = np.sqrt(np.bincount(key, weights=squares, minlength=len(units) * len(self.blocks)))
        return rows, cols, (values / norms[key]).astype(np.float32).astype(np.float64)

    @staticmethod
    def sparse_dot(rows, cols, values, n_rows: int, coef: np.ndarray) -> np.ndarray:
        """(n_rows, n_roles) product of the sparse matrix with ``coef`` (n_features, n_roles), summed in the order
        of scikit-learn's sparse product."""
        return np.column_stack([np.bincount(rows, weights=values * coef[cols, r], minlength=n_rows)
                                for r in range(coef.shape[1])])

    def proba_of(self, rows, cols, values, n_units: int) -> np.ndarray:
        """(n_units, n_roles) probabilities from the TF-IDF matrix ``tfidf`` gave."""
        return _logistic(self.sparse_dot(rows, cols, values, n_units, self.coef) + self.intercept)

    def predict_proba(self, X) -> np.ndarray:
        units = as_units(X)
        return self.proba_of(*self.tfidf(units), len(units))


class CompiledStackedModel(_Thresholded):
    """Duck-types a ``StackedRoleModel`` with a logistic second stage, with or without the unit's text in it.

    ``arrays`` are the first stage's (``CompiledModel``) and the ``stacked_*`` ones of the second stage. With
    ``with_text`` the second stage's input is the first stage's TF-IDF matrix, then the sequence features: its
    coefficient columns are split at the TF-IDF width.
    """

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.arrays = arrays
        self.first_ = CompiledModel(arrays)
        self.thresholds_ = arrays["stacked_thresholds"]
        self.window = int(arrays["stacked_window"])
        self.with_text = bool(arrays["stacked_with_text"])
        self.coef, self.intercept = arrays["stacked_coef"], arrays["stacked_intercept"]
        n_text = self.first_.n_features if self.with_text else 0
        if self.coef.shape[1] != n_text + len(sequence_feature_names(ROLES, window=self.window)):
            raise ValueError("second-stage coefficients do not fit its inputs")
        self.text_coef, self.context_coef = self.coef[:, :n_text].T, self.coef[:, n_text:]

    def predict_proba(self, X) -> np.ndarray:
        units = as_units(X)
        first = self.first_
        rows, cols, values = first.tfidf(units)
        proba = first.proba_of(rows, cols, values, len(units))
        context = sequence_features(proba, [u["text"] for u in units], speech_spans([u["doc_id"] for u in units]),
                                    window=self.window)
        # LogisticRegression.predict_proba of each role: its product with (1, n) coefficients, the logistic.
        decision = np.column_stack([context @ self.context_coef[r : r + 1].T for r in range(len(self.coef))])
        if self.with_text:  # the TF-IDF columns of the same product, from the first stage's matrix
            decision = first.sparse_dot(rows, cols, values, len(units), self.text_coef) + decision
        return _logistic(decision + self.intercept)


def _from_arrays(arrays: dict[str, np.ndarray]) -> CompiledModel | CompiledStackedModel:
    return CompiledStackedModel(arrays) if "stacked_coef" in arrays else CompiledModel(arrays)


def builder_fingerprint() -> str:
    """sha256 of the feature builder's source: a changed builder voids every cached copy."""
    origin = importlib.util.find_spec("govspeech.features._builder").origin
    return hashlib.sha256(Path(origin).read_bytes()).hexdigest()


def _cache_path(meta: dict) -> Path:
    from govspeech._cache import cache_dir

    key = f"{meta['sha256'][:32]}-{builder_fingerprint()[:16]}-v{COMPILED_FORMAT}"
    return cache_dir("compiled") / f"{key}.npz"


def _binary_logregs(estimators, n_features: int) -> bool:
    """Whether ``estimators`` are one binary logistic regression per role over ``n_features`` inputs."""
    from sklearn.linear_model import LogisticRegression

    return len(estimators) == len(ROLES) and all(
        type(est) is LogisticRegression and est.coef_.shape == (1, n_features) and list(est.classes_) == [0, 1]
        for est in estimators)


def _unsupported(model) -> str | None:
    """Why ``model`` cannot be copied exactly, or None."""
    from govspeech.trainer._model import RoleModel
    from govspeech.trainer._stacked import StackedRoleModel

    if type(model) is StackedRoleModel:
        if model.second_stage != "logreg":
            return f"a {model.second_stage} second stage"
        if type(getattr(model, "first_", None)) is not RoleModel:
            return "a first stage that is not a RoleModel"
        why = _unsupported(model.first_)
        if why is not None:
            return f"first stage: {why}"
        n_text = _tfidf_width(model.first_.features_) if model.with_text else 0
        if not _binary_logregs(model.estimators_, n_text + len(sequence_feature_names(ROLES, window=model.window))):
            return "second stage: classifiers other than binary logistic regression on its inputs"
        return None
    if type(model) is not RoleModel:
        return f"a {type(model).__name__}, not a RoleModel or StackedRoleModel"
    from sklearn.feature_extraction.text import TfidfVectorizer

    from govspeech.features._builder import UnitFeatures, _split_words

    features = getattr(model, "features_", None)
    if type(features) is not UnitFeatures or set(features.get_params()) != _FEATURE_PARAMS:
        return "feature builder with other parameters"
    if any(getattr(features, p) for p in _OFF_BLOCKS):
        return "context blocks are on"
    fitted = {k for k in vars(features) if k.endswith("_vectorizer_")}
    if fitted != {"word_vectorizer_", "char_vectorizer_"}:
        return f"vectorizers {sorted(fitted)}"
    common = {"lowercase": False, "preprocessor": None, "strip_accents": None, "stop_words": None, "binary": False,
              "norm": "l2", "use_idf": True, "input": "content", "dtype": np.float32}
    expected = {"word_vectorizer_": {**common, "analyzer": "word", "tokenizer": _split_words},
                "char_vectorizer_": {**common, "analyzer": "char"}}
    for attr, params in expected.items():
        vectorizer = getattr(features, attr)
        got = vectorizer.get_params()
        if type(vectorizer) is not TfidfVectorizer or any(got[k] != v for k, v in params.items()):
            return f"{attr} with other settings"
    if not _binary_logregs(model.estimators_, _tfidf_width(features)):
        return "classifiers other than binary logistic regression"
    return None


def _tfidf_width(features) -> int:
    """Columns of ``features.transform``'s matrix when only the word and char blocks are on."""
    return sum(len(getattr(features, f"{name}_vectorizer_").vocabulary_) for name in ("word", "char"))


def _role_model_arrays(model) -> dict[str, np.ndarray]:
    """The arrays of a ``CompiledModel`` copy of a RoleModel that ``_unsupported`` accepted."""
    features = model.features_
    arrays = {"thresholds": np.asarray(model.thresholds_, np.float64),
              "drop_stopwords": np.array(bool(features.drop_stopwords)),
              "digits_as_zero": np.array(bool(features.digits_as_zero)),
              "coef": np.column_stack([est.coef_[0] for est in model.estimators_]).astype(np.float64),
              "intercept": np.array([est.intercept_[0] for est in model.estimators_], np.float64)}
    for name in ("word", "char"):
        vectorizer = getattr(features, f"{name}_vectorizer_")
        terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
        arrays |= {f"{name}_terms": np.array(terms, dtype=str), f"{name}_idf": vectorizer.idf_,
                   f"{name}_ngram_range": np.array(vectorizer.ngram_range),
                   f"{name}_sublinear": np.array(bool(vectorizer.sublinear_tf))}
    return arrays


def _probe(word_terms: np.ndarray, extra=()) -> list[dict]:
    """Probe units: odd ones, then units from the model's own words (so most features are exercised) in a few
    speeches with headings (so the sequence features see neighbours, sections and speech edges), then ``extra``."""
    rng = np.random.default_rng(0)
    words = word_terms[rng.choice(len(word_terms), size=(64, 12))]
    units = [{"doc_id": "probe", "text": text} for text in _PROBE]
    for i, row in enumerate(words):
        text = f"{'一二三四'[i // 16 % 4]}、{''.join(row[:3])}" if i % 16 in (0, 9) else "".join(row) + "。"
        units.append({"doc_id": f"probe-{i // 16}", "text": text})
    return [*units, *as_units(extra)]


def compile_model(model, probe_units=()) -> CompiledModel | CompiledStackedModel | None:
    """An exact scikit-learn-free copy of ``model``, or None when it cannot be made or checked."""
    if _unsupported(model) is not None:
        return None
    if hasattr(model, "first_"):  # a StackedRoleModel: its first stage's arrays and the second stage's
        second = model.estimators_
        arrays = {**_role_model_arrays(model.first_),
                  "stacked_thresholds": np.asarray(model.thresholds_, np.float64),
                  "stacked_window": np.array(int(model.window)),
                  "stacked_with_text": np.array(bool(model.with_text)),
                  "stacked_coef": np.vstack([est.coef_[0] for est in second]).astype(np.float64),
                  "stacked_intercept": np.array([est.intercept_[0] for est in second], np.float64)}
    else:
        arrays = _role_model_arrays(model)
    compiled = _from_arrays(arrays)
    probe = _probe(arrays["word_terms"], probe_units)
    expected, got = model.predict_proba(probe), compiled.predict_proba(probe)
    if got.shape != expected.shape or not np.allclose(got, expected, rtol=0, atol=TOLERANCE):
        return None
    return compiled


def save_compiled(compiled: CompiledModel | CompiledStackedModel, meta: dict) -> None:
    """Cache the copy atomically; a cache that cannot be written only costs speed."""
    import io

    from govspeech.trainer._atomic import atomic_write_bytes

    buffer = io.BytesIO()
    np.savez(buffer, **compiled.arrays)
    try:
        atomic_write_bytes(_cache_path(meta), buffer.getvalue())
    except OSError:
        pass  # read-only cache folder: label through scikit-learn next time too


def load_compiled(meta: dict) -> CompiledModel | CompiledStackedModel | None:
    """The cached copy of the model ``meta`` vouches for, or None."""
    if not enabled():
        return None
    try:
        path = _cache_path(meta)
        with np.load(path, allow_pickle=False) as data:
            return _from_arrays({k: data[k] for k in data.files})
    except (OSError, KeyError, ValueError):  # absent, unreadable or from another format: rebuild
        return None


def fast_or_full(model_dir: Path, *, compiled: bool) -> tuple[object, dict]:
    """(model, meta): the cached copy when there is one, else the model itself (copied for next time)."""
    from govspeech.trainer._persist import checked_artifact, load_model, unpickle_artifact

    if not (compiled and enabled()):
        return load_model(model_dir)
    data, meta = checked_artifact(model_dir)  # the same checks as a full load: hash, format, segmenter, versions
    fast = load_compiled(meta)
    if fast is not None:
        return fast, meta
    model = unpickle_artifact(data)  # the bytes just checked: not read and hashed a second time
    fast = compile_model(model)
    if fast is None:
        return model, meta
    save_compiled(fast, meta)
    return fast, meta
