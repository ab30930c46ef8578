"""UnitFeatures: the n-gram TF-IDF of ``features._ngrams`` as a scikit-learn transformer giving a CSR matrix."""

from __future__ import annotations

import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from govspeech.features import NgramBlocks, as_units, normalized_texts

__all__ = ["UnitFeatures"]


class UnitFeatures(TransformerMixin, BaseEstimator):
    """Word n-gram (jieba words), character n-gram and, with ``delexicalised``, delexicalised-view n-gram TF-IDF of
    each unit, side by side.

    ``X`` is a list of units: strings or mappings with ``text``. Fitting and
    transforming both call ``features._ngrams``, the function labelling calls.
    """

    def __init__(self, *, word_ngram_range=(1, 2), char_ngram_range=(1, 3), min_df=1, max_df=1.0,
                 sublinear_tf=True, drop_stopwords=False, digits_as_zero=False, delexicalised=False):
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.sublinear_tf = sublinear_tf
        self.drop_stopwords = drop_stopwords
        self.digits_as_zero = digits_as_zero
        self.delexicalised = delexicalised

    def fit(self, X, y=None):
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X, y=None):
        texts = normalized_texts(as_units(X))
        self.blocks_ = NgramBlocks.fit(
            texts, word_ngram_range=tuple(self.word_ngram_range), char_ngram_range=tuple(self.char_ngram_range),
            min_df=self.min_df, max_df=self.max_df, sublinear_tf=self.sublinear_tf,
            digits_as_zero=self.digits_as_zero, drop_stopwords=self.drop_stopwords,
            delexicalised=self.delexicalised)
        self.n_features_out_ = self.blocks_.n_features
        return self._matrix(texts)

    def transform(self, X):
        check_is_fitted(self, "blocks_")
        return self._matrix(normalized_texts(as_units(X)))

    def _matrix(self, texts: list[str]) -> sp.csr_matrix:
        rows, cols, values = self.blocks_.transform(texts)
        return sp.csr_matrix((values, (rows, cols)), shape=(len(texts), self.blocks_.n_features))
