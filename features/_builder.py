"""The feature builder: TF-IDF over segmented words and characters, plus context."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from govspeech.features._cues import cue_matrix
from govspeech.features._context import as_units, enclosing_headings, position_matrix, speech_spans
from govspeech.features._normalize import fold_digits, normalize_text
from govspeech.features._segment import segment, stopwords

__all__ = ["UnitFeatures"]


def _split_words(joined: str) -> list[str]:
    return joined.split(" ")


class UnitFeatures(TransformerMixin, BaseEstimator):
    """Turn the units of speeches into a sparse feature matrix.

    Blocks, each switched by a parameter: word n-gram TF-IDF over jieba words,
    character n-gram TF-IDF (digits optionally folded to 0), context — the
    enclosing heading's words, the neighbouring units' words, the unit's
    position in its speech — and per-role cue-lexicon counts.

    ``X`` is a list of units: strings (one speech, in order) or mappings with
    ``text`` and ``doc_id``; units of one speech must be consecutive and in order.
    """

    def __init__(
        self,
        *,
        word_ngram_range=(1, 2),
        char_ngram_range=(1, 3),
        min_df=1,
        max_df=1.0,
        sublinear_tf=True,
        drop_stopwords=False,
        neighbour_window=0,
        neighbour_weight=0.5,
        heading_weight=0.0,
        position_weight=0.0,
        cue_weight=0.0,
        digits_as_zero=False,
    ):
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.sublinear_tf = sublinear_tf
        self.drop_stopwords = drop_stopwords
        self.neighbour_window = neighbour_window
        self.neighbour_weight = neighbour_weight
        self.heading_weight = heading_weight
        self.position_weight = position_weight
        self.cue_weight = cue_weight
        self.digits_as_zero = digits_as_zero

    def _tfidf(self, **params) -> TfidfVectorizer:
        return TfidfVectorizer(
            lowercase=False, min_df=self.min_df, max_df=self.max_df, sublinear_tf=self.sublinear_tf,
            dtype=np.float32, **params,
        )

    def _prepare(self, X):
        units = as_units(X)
        texts = [normalize_text(u["text"]) for u in units]
        drop = stopwords() if self.drop_stopwords else frozenset()
        cache: dict[str, str] = {}  # per-run token cache: speeches repeat units
        words = []
        for text in texts:
            if text not in cache:
                cache[text] = " ".join(w for w in segment(text) if w not in drop)
            words.append(cache[text])
        spans = speech_spans([u["doc_id"] for u in units])
        return texts, words, spans

    def _neighbours(self, words, spans) -> list[str]:
        out = []
        for start, end in spans:
            for i in range(start, end):
                lo, hi = max(start, i - self.neighbour_window), min(end, i + self.neighbour_window + 1)
                out.append(" ".join(words[j] for j in range(lo, hi) if j != i))
        return out

    def fit(self, X, y=None):
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X, y=None):
        self.word_vectorizer_ = self._tfidf(
            tokenizer=_split_words, token_pattern=None, ngram_range=tuple(self.word_ngram_range)
        )
        self.char_vectorizer_ = self._tfidf(analyzer="char", ngram_range=tuple(self.char_ngram_range))
        if self.neighbour_window:
            self.neighbour_vectorizer_ = self._tfidf(tokenizer=_split_words, token_pattern=None)
        if self.heading_weight:
            self.heading_vectorizer_ = self._tfidf(analyzer="char", ngram_range=(1, 2))
        matrix = self._blocks(X, fit=True)
        self.n_features_out_ = matrix.shape[1]
        return matrix

    def transform(self, X):
        check_is_fitted(self, "word_vectorizer_")
        return self._blocks(X, fit=False)

    def _blocks(self, X, *, fit: bool):
        """The feature blocks side by side; ``fit`` fits each vectorizer on X first."""
        texts, words, spans = self._prepare(X)

        def tfidf(vectorizer, docs):
            return vectorizer.fit_transform(docs) if fit else vectorizer.transform(docs)

        chars = [fold_digits(t) for t in texts] if self.digits_as_zero else texts
        blocks = [tfidf(self.word_vectorizer_, words), tfidf(self.char_vectorizer_, chars)]
        if self.neighbour_window:
            blocks.append(self.neighbour_weight * tfidf(self.neighbour_vectorizer_, self._neighbours(words, spans)))
        if self.heading_weight:
            blocks.append(self.heading_weight * tfidf(self.heading_vectorizer_, enclosing_headings(texts, spans)))
        if self.position_weight:
            blocks.append(sp.csr_matrix(self.position_weight * position_matrix(texts, spans), dtype=np.float32))
        if self.cue_weight:
            blocks.append(sp.csr_matrix(self.cue_weight * cue_matrix(texts)))
        return sp.hstack(blocks, format="csr")
