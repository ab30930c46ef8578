"""THE predictor: both stages of a model computed with numpy from its arrays (``predictor._format``).

Stage 1: the unit's word, character and (when the model has it)
delexicalised-view TF-IDF (``features._ngrams``, the function training used) times one logistic regression per role. Stage 2
(when the model stacks): ``features.sequence_features`` of the stage-1
probabilities of the unit and its speech, with the unit's TF-IDF in front
when ``with_text``, times a second logistic regression per role.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from govspeech.features import DelexBlock, NgramBlocks, Triplets, as_units, normalized_texts, sequence_features, speech_spans
from govspeech.predictor._format import read_model

__all__ = ["ArrayModel", "Stages", "decide_roles", "load_model", "logistic"]


def decide_roles(proba: np.ndarray, thresholds) -> np.ndarray:
    """(n_units, n_roles) 0/1: a unit has a role when its probability reaches the role's threshold."""
    return (np.asarray(proba) >= np.asarray(thresholds)).astype(np.int8)


def logistic(decision: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-decision))


def _sparse_dot(rows, cols, values, n_rows: int, weights: np.ndarray) -> np.ndarray:
    """(n_rows, k): the triplets' matrix times ``weights`` (n_columns, k); rows are sorted."""
    out = np.zeros((n_rows, weights.shape[1]))
    if len(rows):
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        out[rows[starts]] = np.add.reduceat(values[:, None] * weights[cols], starts, axis=0)
    return out


@dataclass(frozen=True)
class Stages:
    """A batch of units through the model: the TF-IDF triplets (row, column, value) both stages read, stage 1's
    linear scores (n_units, n_roles), and, for a stacked model, stage 2's context columns and linear scores."""

    tfidf: Triplets
    logit1: np.ndarray
    context: np.ndarray | None = None
    logit2: np.ndarray | None = None

    @property
    def proba(self) -> np.ndarray:
        """The probabilities the model gives: the logistic of the last stage's linear scores."""
        return logistic(self.logit1 if self.logit2 is None else self.logit2)


class ArrayModel:
    """A loaded model: ``predict_proba`` / ``predict`` over units, ``thresholds_``, ``roles_``, ``meta``, ``sha256``."""

    def __init__(self, meta: dict, arrays: dict[str, np.ndarray], sha256: str = ""):
        self.meta = meta
        self.sha256 = sha256  # of the model.json it was read from
        self.roles_ = tuple(meta["roles"])
        self.thresholds_ = np.array([meta["thresholds"][r] for r in self.roles_], dtype=np.float64)
        f = meta["features"]
        delex = f["delexicalised"]
        view = None if delex is None else DelexBlock(arrays["delex_tokens"], arrays["delex_vocabulary"],
                                                     arrays["delex_idf"], tuple(delex["ngram_range"]))
        self.blocks = NgramBlocks(arrays["words"], arrays["word_vocabulary"], arrays["word_idf"],
                                  arrays["char_vocabulary"], arrays["char_idf"], tuple(f["word_ngram_range"]),
                                  tuple(f["char_ngram_range"]), f["sublinear_tf"], f["digits_as_zero"],
                                  f["drop_stopwords"], view)
        self._index = self.blocks.word_index()
        self.stacking = meta.get("stacking")
        self.intercept1 = arrays["stage1_intercept"]
        text_coef = [arrays["stage1_coef"]]  # both stages' weights of the TF-IDF columns, gathered in one pass
        if self.stacking is not None:
            n_text = self.blocks.n_features if self.stacking["with_text"] else 0
            text_coef.append(arrays["stage2_coef"][:, :n_text])
            self.context_coef2 = arrays["stage2_coef"][:, n_text:]
            self.intercept2 = arrays["stage2_intercept"]
        self.text_weights = np.ascontiguousarray(np.vstack([c for c in text_coef if c.shape[1]]).T)
        k = len(self.roles_)  # each stage's linear pieces, as views (for predictor.explain)
        self.text_coef1 = self.text_weights[:, :k]  # (n_text, k)
        self.text_coef2 = self.text_weights[:, k:] if self.stacking and self.stacking["with_text"] else None

    def stages(self, units) -> Stages:
        """Both stages' linear scores of ``units`` and what they were computed from (one speech's units
        consecutive and in order)."""
        units = as_units(units)
        k = len(self.roles_)
        triplets = self.blocks.transform(normalized_texts(units), self._index)
        text = _sparse_dot(*triplets, len(units), self.text_weights)
        logit1 = text[:, :k] + self.intercept1
        if self.stacking is None:
            return Stages(triplets, logit1)
        context = sequence_features(logistic(logit1), [u["text"] for u in units],
                                    speech_spans([u["doc_id"] for u in units]), window=self.stacking["window"],
                                    hierarchy=self.stacking["hierarchy"], markers=self.stacking["markers"])
        logit2 = context @ self.context_coef2.T + self.intercept2
        if self.stacking["with_text"]:
            logit2 += text[:, k:]
        return Stages(triplets, logit1, context, logit2)

    def predict_proba(self, units) -> np.ndarray:
        """(n_units, n_roles) probabilities; units of one speech consecutive and in order."""
        units = as_units(units)
        if not units:
            return np.zeros((0, len(self.roles_)))
        return self.stages(units).proba

    def predict(self, units) -> np.ndarray:
        """(n_units, n_roles) 0/1 roles by the model's thresholds."""
        return decide_roles(self.predict_proba(units), self.thresholds_)


def load_model(folder: str | Path, *, expected_sha256: str | None = None) -> ArrayModel:
    """The model in ``folder`` after every check of ``predictor._format.read_model``."""
    return ArrayModel(*read_model(folder, expected_sha256=expected_sha256))
