"""The one n-gram and TF-IDF function: exact keys, no n-gram across units, scikit-learn's TF-IDF arithmetic."""

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from govspeech.features import NgramBlocks, normalized_texts
from govspeech.features._ngrams import char_keys, lookup, tfidf, word_keys, words_of

TEXTS = ["要加快园区建设,力争年内建成投产。", "今年以来,全县招商引资工作取得了很好的成绩。", "一、", "",
         "2012年GDP增长8.5%!  重大項目", "𠀀𠀁 emoji 😀 at the edge of the plane"]


def _python_char_grams(text, lo, hi):
    import re

    text = re.sub(r"\s\s+", " ", text)
    return [text[i : i + n] for n in range(lo, hi + 1) for i in range(len(text) - n + 1)]


def _key(gram):
    key = 0
    for ch in gram:
        key = (key << 21) | (ord(ch) + 1)
    return key


def test_character_keys_are_exact_and_never_cross_units():
    rows, keys = char_keys(TEXTS, (1, 3))
    expected = [(i, _key(g)) for i, t in enumerate(TEXTS) for g in _python_char_grams(t, 1, 3)]
    assert sorted(zip(rows.tolist(), keys.tolist())) == sorted(expected)
    assert len({k for _, k in expected}) == len({g for t in TEXTS for g in _python_char_grams(t, 1, 3)})


def test_more_than_three_characters_do_not_fit_a_key():
    with pytest.raises(ValueError, match=r"char_ngram_range must be .* at most 3"):
        char_keys(TEXTS, (1, 4))
    with pytest.raises(ValueError, match="word_ngram_range must be"):
        word_keys([["要"]], {"要": 0}, (2, 1))


def test_unknown_words_drop_out_with_every_ngram_they_are_in():
    index = {"加快": 0, "园区": 1, "建设": 2}
    rows, keys = word_keys([["要", "加快", "园区", "建设"], ["园区"]], index, (1, 2))
    base = len(index) + 1
    unigrams = {1, 2, 3}
    bigrams = {1 * base + 2, 2 * base + 3}  # 加快 园区, 园区 建设; nothing with 要
    assert sorted(keys[rows == 0].tolist()) == sorted(unigrams | bigrams)
    assert keys[rows == 1].tolist() == [2]


def test_lookup_keeps_known_keys_only():
    vocabulary = np.array([3, 7, 9], dtype=np.int64)
    rows, cols = lookup(vocabulary, np.array([0, 0, 1, 1]), np.array([7, 8, 9, 10], dtype=np.int64))
    assert rows.tolist() == [0, 1] and cols.tolist() == [1, 2]


@pytest.mark.parametrize("sublinear", [True, False])
def test_character_tfidf_is_scikit_learns(sublinear):
    texts = normalized_texts([{"text": t} for t in TEXTS])
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), lowercase=False, sublinear_tf=sublinear)
    expected = vectorizer.fit_transform(texts).toarray()
    blocks = NgramBlocks.fit(texts, word_ngram_range=(1, 1), char_ngram_range=(1, 3), sublinear_tf=sublinear)
    order = np.argsort([_key(t) for t in vectorizer.get_feature_names_out()])  # our columns: sorted keys
    assert np.array_equal(blocks.char_vocabulary, np.sort([_key(t) for t in vectorizer.get_feature_names_out()]))
    assert np.allclose(blocks.char_idf, vectorizer.idf_[order], rtol=0, atol=1e-12)
    rows, cols, values = blocks.transform(texts)
    got = np.zeros((len(texts), blocks.n_features))
    got[rows, cols] = values
    assert np.allclose(got[:, len(blocks.word_vocabulary):], expected[:, order], rtol=0, atol=1e-12)


def test_word_block_is_l2_normalised_and_min_df_prunes():
    texts = normalized_texts([{"text": t} for t in TEXTS])
    blocks = NgramBlocks.fit(texts, word_ngram_range=(1, 2), char_ngram_range=(1, 1))
    rows, cols, values = blocks.transform(texts)
    word = cols < len(blocks.word_vocabulary)
    norms = np.bincount(rows[word], weights=values[word] ** 2, minlength=len(texts))
    assert np.allclose(norms[norms > 0], 1.0)
    pruned = NgramBlocks.fit(texts + texts[:1], word_ngram_range=(1, 2), char_ngram_range=(1, 1), min_df=2)
    assert 0 < len(pruned.word_vocabulary) < len(blocks.word_vocabulary)
    with pytest.raises(ValueError, match="keep no n-gram"):
        NgramBlocks.fit(texts, min_df=50)


def test_tfidf_of_nothing_is_empty():
    rows, cols, values = tfidf(np.zeros(0, np.int64), np.zeros(0, np.int64), np.ones(3), sublinear=True)
    assert len(rows) == len(cols) == len(values) == 0


def test_each_column_reads_back_as_the_ngram_it_counts():
    texts = normalized_texts([{"text": t} for t in TEXTS])
    blocks = NgramBlocks.fit(texts, word_ngram_range=(1, 2), char_ngram_range=(1, 3))
    chars = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), lowercase=False).fit(texts)
    n_word = len(blocks.word_vocabulary)
    got_chars = [blocks.column_ngram(n_word + j) for j in range(len(blocks.char_vocabulary))]
    assert {kind for kind, _ in got_chars} == {"chars"}
    assert sorted(g for _, g in got_chars) == sorted(chars.get_feature_names_out())
    words = TfidfVectorizer(analyzer=lambda t: [" ".join(g) for n in (1, 2) for g in zip(*(t[i:] for i in range(n)))])
    words.fit(words_of(texts))
    got_words = [blocks.column_ngram(j) for j in range(n_word)]
    assert {kind for kind, _ in got_words} == {"word"}
    assert sorted(g for _, g in got_words) == sorted(words.get_feature_names_out())
