"""THE n-gram and TF-IDF function: training fits with it and labelling transforms with it, so they cannot drift.

Every n-gram becomes an exact integer key, computed with numpy over a whole
batch of units: a character n-gram packs (code point + 1) into 21 bits per
character (n <= 3 fits a uint64), a word n-gram packs (word id + 1) in base
(vocabulary size + 1). The leading digit is never 0, so n-grams of different
lengths never share a key. Features are the sorted key arrays of the fitted
vocabulary; a unit's TF-IDF row is (row, column, value) triplets: sublinear
term frequency 1 + log(count), smooth idf log((1 + n) / (1 + df)) + 1, each
block (words, characters, and the delexicalised view's tokens of
``features._delex`` when asked, packed as words are) l2-normalised on its own.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from govspeech.features._delex import delex_tags, delexicalise_texts
from govspeech.features._normalize import fold_digits, normalize_text
from govspeech.features._segment import segment, stopwords

__all__ = ["MAX_CHAR_N", "DelexBlock", "NgramBlocks", "Triplets", "char_keys", "lookup", "normalized_texts", "tfidf",
           "word_keys", "words_of"]

MAX_CHAR_N = 3
_BITS = 21  # a code point (+1) needs 21 bits
_CHAR_MASK = (1 << _BITS) - 1
_WHITE_SPACES = re.compile(r"\s\s+")  # a run of whitespace counts as one space, as in scikit-learn's char analyzer
_INT64_MAX = np.iinfo(np.int64).max

Triplets = tuple[np.ndarray, np.ndarray, np.ndarray]  # (row int64, column int64, value float64)


def _check_range(name: str, n_range, limit: int | None = None) -> tuple[int, int]:
    lo, hi = (int(n) for n in n_range)
    if not 1 <= lo <= hi or (limit is not None and hi > limit):
        most = f" and at most {limit}" if limit else ""
        raise ValueError(f"{name} must be (min, max) with 1 <= min <= max{most}, got {tuple(n_range)}; "
                         "fix it in the config's [features]")
    return lo, hi


def char_keys(texts: Sequence[str], n_range, *, digits_as_zero: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(unit index, uint64 key) of every character n-gram of every text, n in ``n_range`` (n <= 3)."""
    lo, hi = _check_range("char_ngram_range", n_range, MAX_CHAR_N)
    texts = [_WHITE_SPACES.sub(" ", fold_digits(t) if digits_as_zero else t) for t in texts]
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64) + np.uint64(1)
    unit = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    end = np.repeat(np.cumsum(lengths), lengths)  # one past the last character of each character's unit
    rows, keys = [], []
    for n in range(lo, hi + 1):
        starts = np.flatnonzero(np.arange(len(codes)) + n <= end)  # windows that stay inside their unit
        key = np.zeros(len(starts), dtype=np.uint64)
        for k in range(n):
            key = (key << np.uint64(_BITS)) | codes[starts + k]
        rows.append(unit[starts])
        keys.append(key)
    return np.concatenate(rows), np.concatenate(keys)


def words_of(texts: Sequence[str], *, drop_stopwords: bool = False) -> list[list[str]]:
    """The segmented words of each (normalised) text, stop-words left out when asked."""
    drop = stopwords() if drop_stopwords else frozenset()
    cache: dict[str, list[str]] = {}  # speeches repeat units
    out = []
    for text in texts:
        if text not in cache:
            cache[text] = [w for w in segment(text) if w not in drop]
        out.append(cache[text])
    return out


def word_keys(words: Sequence[Sequence[str]], index: dict[str, int], n_range) -> tuple[np.ndarray, np.ndarray]:
    """(unit index, int64 key) of every word n-gram whose words are all in ``index`` (word -> id)."""
    lo, hi = _check_range("word_ngram_range", n_range)
    base = len(index) + 1
    if base ** hi > _INT64_MAX:
        raise ValueError(f"word {hi}-grams over {len(index)} words do not fit 64-bit keys; lower word_ngram_range")
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    flat = itertools.chain.from_iterable(words)
    ids = np.fromiter(map(index.get, flat, itertools.repeat(-1)), dtype=np.int64, count=int(lengths.sum())) + 1
    unit = np.repeat(np.arange(len(words), dtype=np.int64), lengths)
    end = np.repeat(np.cumsum(lengths), lengths)
    rows, keys = [], []
    for n in range(lo, hi + 1):
        starts = np.flatnonzero(np.arange(len(ids)) + n <= end)
        key = np.zeros(len(starts), dtype=np.int64)
        known = np.ones(len(starts), dtype=bool)
        for k in range(n):
            digit = ids[starts + k]
            known &= digit > 0  # an unknown word drops the n-gram, as an unknown term is ignored
            key = key * base + digit
        rows.append(unit[starts[known]])
        keys.append(key[known])
    return np.concatenate(rows), np.concatenate(keys)


def lookup(vocabulary: np.ndarray, rows: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows, columns) of the keys found in the sorted ``vocabulary``; the others drop out."""
    distinct, inverse = np.unique(keys, return_inverse=True)  # sorted needles search faster, and fewer of them
    at = np.searchsorted(vocabulary, distinct)
    known = at < len(vocabulary)
    known[known] = vocabulary[at[known]] == distinct[known]
    found = known[inverse]
    return rows[found], at[inverse[found]]


def tfidf(rows: np.ndarray, cols: np.ndarray, idf: np.ndarray, *, sublinear: bool) -> Triplets:
    """One block's l2-normalised TF-IDF triplets from its (row, column) occurrences, sorted by row then column."""
    width = np.int64(len(idf))
    pair, counts = np.unique(rows * width + cols, return_counts=True)
    r, c = pair // width, pair % width
    tf = 1.0 + np.log(counts) if sublinear else counts.astype(np.float64)
    values = tf * idf[c]
    starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]]) if len(r) else np.zeros(0, np.int64)
    norms = np.sqrt(np.add.reduceat(values * values, starts)) if len(r) else np.zeros(0)
    return r, c, values / np.repeat(norms, np.diff(np.r_[starts, len(r)]))


def _df_limit(value, n_docs: int) -> float:
    return value if isinstance(value, int) and not isinstance(value, bool) else value * n_docs


def _fit_block(rows: np.ndarray, keys: np.ndarray, n_docs: int, min_df, max_df) -> tuple[np.ndarray, np.ndarray]:
    """(sorted kept keys, their idf) from one block's occurrences in ``n_docs`` training units."""
    order = np.lexsort((rows, keys))
    k, r = keys[order], rows[order]
    first = np.r_[True, (k[1:] != k[:-1]) | (r[1:] != r[:-1])]  # each (key, unit) pair once
    vocabulary, df = np.unique(k[first], return_counts=True)
    keep = (df >= _df_limit(min_df, n_docs)) & (df <= _df_limit(max_df, n_docs))
    if not keep.any():
        raise ValueError(f"min_df={min_df!r} and max_df={max_df!r} keep no n-gram of {n_docs} units; "
                         "loosen them in the config's [features]")
    return vocabulary[keep], np.log((1.0 + n_docs) / (1.0 + df[keep])) + 1.0


def _decode_words(key: int, tokens: np.ndarray) -> str:
    """The words of a word n-gram key as ``word_keys`` packed it, joined by a space."""
    base, words = len(tokens) + 1, []
    while key:
        key, digit = divmod(key, base)
        words.append(str(tokens[digit - 1]))
    return " ".join(reversed(words))


def _token_block(tokens: Sequence[Sequence[str]], n_range, n_docs: int, min_df,
                 max_df) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sorted distinct tokens, kept n-gram keys, their idf) of a block of token sequences."""
    vocab = np.array(sorted({w for ws in tokens for w in ws}), dtype=str)
    index = dict(zip(vocab.tolist(), range(len(vocab))))
    return (vocab, *_fit_block(*word_keys(tokens, index, n_range), n_docs, min_df, max_df))


@dataclass(frozen=True)
class DelexBlock:
    """The fitted block of the delexicalised view (``features._delex``): token n-grams, packed as word n-grams."""

    tokens: np.ndarray  # every training token of the view, sorted; a token's id is its index
    vocabulary: np.ndarray  # sorted int64 keys of its token n-grams
    idf: np.ndarray
    ngram_range: tuple[int, int]

    @functools.cached_property
    def index(self) -> dict[str, int]:
        """Token -> id, built once per block, not once per batch (as ``NgramBlocks.word_index`` is kept)."""
        return dict(zip(self.tokens.tolist(), range(len(self.tokens))))

    def triplets(self, texts: Sequence[str], *, sublinear: bool) -> Triplets:
        keys = word_keys(delexicalise_texts(texts), self.index, self.ngram_range)
        return tfidf(*lookup(self.vocabulary, *keys), self.idf, sublinear=sublinear)


@dataclass(frozen=True)
class NgramBlocks:
    """A fitted word block, character block and (when asked) delexicalised block: vocabularies, idf and the
    options that made them. Columns run words, characters, delexicalised tokens."""

    words: np.ndarray  # every training word, sorted; a word's id is its index
    word_vocabulary: np.ndarray  # sorted int64 keys of the word n-gram features
    word_idf: np.ndarray
    char_vocabulary: np.ndarray  # sorted uint64 keys of the character n-gram features
    char_idf: np.ndarray
    word_ngram_range: tuple[int, int]
    char_ngram_range: tuple[int, int]
    sublinear_tf: bool = True
    digits_as_zero: bool = False
    drop_stopwords: bool = False
    delex: DelexBlock | None = None  # the delexicalised view's block; None without it

    @property
    def n_features(self) -> int:
        return len(self.word_vocabulary) + len(self.char_vocabulary) + self.n_delex

    @property
    def n_delex(self) -> int:
        return 0 if self.delex is None else len(self.delex.vocabulary)

    @classmethod
    def fit(cls, texts: Sequence[str], *, word_ngram_range=(1, 2), char_ngram_range=(1, 3), min_df=1, max_df=1.0,
            sublinear_tf=True, digits_as_zero=False, drop_stopwords=False, delexicalised=False) -> NgramBlocks:
        """The blocks of the normalised training ``texts`` (each text counts once per unit for df)."""
        n = len(texts)
        vocab, word_vocabulary, word_idf = _token_block(words_of(texts, drop_stopwords=drop_stopwords),
                                                        word_ngram_range, n, min_df, max_df)
        char_vocabulary, char_idf = _fit_block(*char_keys(texts, char_ngram_range, digits_as_zero=digits_as_zero),
                                               n, min_df, max_df)
        delex = None
        if delexicalised:
            n_range = delex_tags().ngram_range
            delex = DelexBlock(*_token_block(delexicalise_texts(texts), n_range, n, min_df, max_df), n_range)
        return cls(vocab, word_vocabulary, word_idf, char_vocabulary, char_idf, tuple(word_ngram_range),
                   tuple(char_ngram_range), bool(sublinear_tf), bool(digits_as_zero), bool(drop_stopwords), delex)

    def column_ngram(self, column: int) -> tuple[str, str]:
        """What a column of ``transform`` counts: ("word", its words joined by a space), ("chars", its
        characters) or ("delex", its tokens of the delexicalised view joined by a space), read back from the
        column's key as ``word_keys`` / ``char_keys`` packed it."""
        n_word, n_char = len(self.word_vocabulary), len(self.char_vocabulary)
        if column < n_word:
            return "word", _decode_words(int(self.word_vocabulary[column]), self.words)
        if self.delex is not None and column >= n_word + n_char:
            return "delex", _decode_words(int(self.delex.vocabulary[column - n_word - n_char]), self.delex.tokens)
        key, chars = int(self.char_vocabulary[column - n_word]), []
        while key:
            chars.append(chr((key & _CHAR_MASK) - 1))
            key >>= _BITS
        return "chars", "".join(reversed(chars))

    def word_index(self) -> dict[str, int]:
        return dict(zip(self.words.tolist(), range(len(self.words))))

    def transform(self, texts: Sequence[str], index: dict[str, int] | None = None) -> Triplets:
        """TF-IDF triplets of the normalised ``texts``: word columns first, then character columns, then the
        delexicalised view's.

        ``index`` is ``word_index()``, passed by a caller that transforms many batches.
        """
        words = words_of(texts, drop_stopwords=self.drop_stopwords)
        index = self.word_index() if index is None else index
        blocks = [tfidf(*lookup(self.word_vocabulary, *word_keys(words, index, self.word_ngram_range)),
                        self.word_idf, sublinear=self.sublinear_tf),
                  tfidf(*lookup(self.char_vocabulary, *char_keys(texts, self.char_ngram_range,
                                                                 digits_as_zero=self.digits_as_zero)),
                        self.char_idf, sublinear=self.sublinear_tf)]
        if self.delex is not None:
            blocks.append(self.delex.triplets(texts, sublinear=self.sublinear_tf))
        offsets = np.cumsum([0, len(self.word_vocabulary), len(self.char_vocabulary)])
        rows, cols, values = (np.concatenate(parts) for parts in
                              zip(*((r, c + offset, v) for (r, c, v), offset in zip(blocks, offsets))))
        order = np.argsort(rows, kind="stable")  # each block is in CSR order, and the blocks in column order: so is this
        return rows[order], cols[order], values[order]


def normalized_texts(units) -> list[str]:
    """The texts the n-grams read: each unit's ``normalize_text``."""
    return [normalize_text(unit["text"]) for unit in units]
