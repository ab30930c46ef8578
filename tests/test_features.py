import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from govspeech.features import is_heading, normalize_text, segment
from govspeech.trainer import UnitFeatures

SPEECH = [
    {"doc_id": "a", "text": "同志们:"},
    {"doc_id": "a", "text": "一、要加快园区建设"},
    {"doc_id": "a", "text": "今年以来,工作取得了很好的成绩。"},
    {"doc_id": "a", "text": "但是有的部门重视程度还不是很高。"},
    {"doc_id": "b", "text": "要把双争和招商引资工作作为一把手工程。"},
]


def test_segmentation_keeps_domain_terms_whole():
    words = segment("要把双争和招商引资工作作为一把手工程,一是要加快工业园区建设")
    for term in ("双争", "招商引资", "一把手", "一是", "工业园区"):
        assert term in words


def test_normalize_converts_script_and_strips_pinyin_ruby_but_not_real_brackets():
    assert normalize_text("常務(wù)副區(qū)長(zhǎng)") == "常务副区长"
    assert normalize_text("区县(市)在(2009)年(一)") == "区县(市)在(2009)年(一)"
    assert normalize_text("同志们:??") == "同志们:"


def test_headings():
    assert is_heading("一、树立居安思危的危机意识")
    assert is_heading("二是项目建设推进普遍较慢。")
    assert not is_heading("今年以来,工作取得了很好的成绩,这些成绩的取得是大家共同努力的结果。")


def test_fit_transform_shape_and_transform_agree():
    builder = UnitFeatures()
    matrix = builder.fit_transform(SPEECH)
    assert matrix.shape == (5, builder.n_features_out_)
    assert np.allclose(builder.transform(SPEECH).toarray(), matrix.toarray())


def test_smaller_ngram_ranges_give_fewer_features():
    plain = UnitFeatures().fit(SPEECH).n_features_out_
    words_only = UnitFeatures(char_ngram_range=(1, 1), word_ngram_range=(1, 1)).fit(SPEECH).n_features_out_
    assert words_only < plain


def test_a_unit_transforms_alike_alone_and_in_a_batch():
    builder = UnitFeatures().fit(SPEECH)
    alone = builder.transform([SPEECH[4]]).toarray()
    in_corpus = builder.transform(SPEECH).toarray()[4]
    assert np.array_equal(alone[0], in_corpus)


def test_transform_before_fit_raises():
    with pytest.raises(NotFittedError):
        UnitFeatures().transform(SPEECH)


def test_a_string_instead_of_units_is_refused():
    with pytest.raises(TypeError, match="Iterable over units expected, str object received"):
        UnitFeatures().fit("同志们:")
