"""The delexicalised view (features._delex) and its n-gram block: the view's tokens on sentences written for this
test (synthetic), its block in the one n-gram function, and a model trained with it that saves, loads, labels and
explains; a model saved without the view reads as off, and one tagged with another table is refused."""

from __future__ import annotations

import json

import numpy as np
import pytest

import govspeech.predictor as predictor
from govspeech.config import read_training_config
from govspeech.features import DelexTags, NgramBlocks, as_units, clean_speech, delex_tags, delexicalise, segment
from govspeech.predictor import ModelError, explain
from govspeech.trainer import (
    EXPORT_TOLERANCE,
    build_model,
    by_split,
    check_export,
    export_model,
    label_matrix,
    load_corpus,
    train,
    unit_dicts,
)
from govspeech.trainer._persist import load_exported

# Written for this test: the same review of work done on two topics, and a plan with a directive.
REVIEW_PARKS = "今年以来，我市已建成标准厂房三栋。"
REVIEW_FLOODS = "今年以来，我市已建成堤坝三段。"
PLAN = "下半年，要确保开发区新开工项目10个以上。"
FIGURES = "力争全年引进资金5亿元，同比增长20%。"
EXACT = 1e-9


def test_the_view_keeps_function_words_verbs_and_time_words_and_masks_content_nouns():
    assert delexicalise("我们已经完成了100个项目，下一步要加快推进工业园区建设。") == [
        "我们", "已经", "完成", "了", "<m>", "<q>", "<n>", "，", "下", "<m>", "要", "加快", "推进", "<n>", "建设", "。"]
    assert delexicalise(PLAN) == ["下半年", "，", "要", "确保", "<n>", "新开工", "<n>", "<m>", "<q>", "以上", "。"]


def test_the_view_masks_names_places_and_figures_but_keeps_the_listed_marker_words():
    tokens = delexicalise("市委书记李志达在澧县调研招商引资工作。")
    assert "<ns>" in tokens and "<nr>" in tokens and "调研" in tokens and "在" in tokens
    assert not {"李志达", "澧县", "招商引资"} & set(tokens)
    # 力争 and 同比 are tagged as nouns by the dictionary; the table keeps them as words.
    assert delexicalise(FIGURES) == ["力争", "<m>", "引进", "<n>", "<m>", "<m>", "，", "同比", "增长", "<m>", "%", "。"]


def test_the_view_has_one_token_per_word_of_the_segmenter():
    for text in (REVIEW_PARKS, PLAN, FIGURES, "2012年GDP增长8.5%!  重大項目", ""):
        words, tokens = segment(text), delexicalise(text)
        assert len(words) == len(tokens)
        assert all(t == w or (t.startswith("<") and t.endswith(">")) for w, t in zip(words, tokens))


def test_the_table_masks_an_unlisted_tag_by_itself_and_lists_no_tag_twice():
    tags = delex_tags()
    assert not tags.keep & set(tags.mask)
    assert tags.token("某", "zz-unlisted") == "<zz-unlisted>"
    assert tags.token("要", "v") == "要" and tags.token("园区", "n") == "<n>"
    other = DelexTags(tags.ngram_range, tags.keep - {"t"}, tags.keep_words, tags.mask)
    assert other.digest != tags.digest


def _delex_block(blocks: NgramBlocks, triplets) -> dict[int, dict[str, float]]:
    rows, cols, values = triplets
    first = len(blocks.word_vocabulary) + len(blocks.char_vocabulary)
    out: dict[int, dict[str, float]] = {}
    for r, c, v in zip(rows.tolist(), cols.tolist(), values.tolist()):
        if c >= first:
            kind, ngram = blocks.column_ngram(c)
            assert kind == "delex"
            out.setdefault(r, {})[ngram] = v
    return out


def test_the_block_reads_the_views_ngrams_so_two_topics_share_their_review_ngrams():
    texts = [REVIEW_PARKS, PLAN, FIGURES]
    blocks = NgramBlocks.fit(texts, word_ngram_range=(1, 1), char_ngram_range=(1, 1), delexicalised=True)
    plain = NgramBlocks.fit(texts, word_ngram_range=(1, 1), char_ngram_range=(1, 1))
    assert blocks.n_features == plain.n_features + blocks.n_delex and blocks.n_delex > 0
    assert blocks.delex is not None and blocks.delex.ngram_range == delex_tags().ngram_range
    rows = _delex_block(blocks, blocks.transform([REVIEW_PARKS, REVIEW_FLOODS, PLAN]))
    tokens = delexicalise(REVIEW_PARKS)
    lo, hi = delex_tags().ngram_range
    expected = {" ".join(tokens[i:i + n]) for n in range(lo, hi + 1) for i in range(len(tokens) - n + 1)}
    assert set(rows[0]) == expected and "已 建成 <n>" in expected
    assert rows[0] == pytest.approx(rows[1])  # another topic, the same review: same view, same columns
    assert sum(v * v for v in rows[0].values()) == pytest.approx(1.0)  # the block is l2-normalised on its own
    assert "要 确保 <n>" in rows[2]
    word_char = plain.transform([PLAN])  # the words' and characters' columns are untouched by the view
    with_view = blocks.transform([PLAN])
    keep = with_view[1] < plain.n_features
    assert np.array_equal(with_view[1][keep], word_char[1]) and np.allclose(with_view[2][keep], word_char[2])


@pytest.fixture(scope="module")
def trained(tmp_path_factory, fixtures):
    """``govspeech train``'s path (export checked against the fitted model) with the view on, one stage."""
    out = tmp_path_factory.mktemp("delex_trained")
    train(fixtures / "mini.toml", out, corpus_path=fixtures / "mini_corpus.jsonl",
          overrides={"features.delexicalised": True})
    return out


def test_train_saves_the_view_and_labelling_reads_it(trained, root):
    labeller = predictor.load(trained)
    assert labeller.model.blocks.n_delex > 0
    assert labeller.model.meta["training"]["config"]["features"]["delexicalised"] is True
    speech = (root / "data/raw/000_8446d01601e08bac.txt").read_text(encoding="utf-8")
    assert len(labeller.label(speech)) > 50


def test_a_model_with_the_view_saves_loads_labels_and_explains(delex_model, root):
    labeller = predictor.load(delex_model)
    model = labeller.model
    assert model.meta["features"]["delexicalised"] == {"ngram_range": list(delex_tags().ngram_range),
                                                       "tags_sha256": delex_tags().digest}
    assert model.blocks.n_delex > 0 and model.text_coef2 is not None  # the second stage reads the view too
    speech = (root / "data/raw/000_8446d01601e08bac.txt").read_text(encoding="utf-8")
    units = as_units(clean_speech(speech).sentences)
    stages = model.stages(units)
    labelled = labeller.label(speech)
    assert [u.scores for u in labelled] == [{r: round(float(p), 4) for r, p in zip(model.roles_, row)}
                                            for row in stages.proba]
    named = 0
    for k, (unit, explained) in enumerate(zip(units, explain(model, units))):
        view = f" {' '.join(delexicalise(unit['text']))} "
        for j, role in enumerate(model.roles_):
            for terms, logit in ((explained.first[role], stages.logit1), (explained.second[role], stages.logit2)):
                assert abs(terms.intercept + terms.contributions.sum() - logit[k, j]) < EXACT
                for c in terms.top(50):
                    if c.feature.startswith("delex:"):
                        ngram = c.feature.removeprefix("delex:")
                        assert c.description == f"delex {ngram}" and f" {ngram} " in view
                        named += 1
    assert named > 100


@pytest.mark.parametrize("stacked", [False, True])
def test_the_exported_view_gives_the_fitted_models_probabilities(fixtures, stacked):
    config = read_training_config(fixtures / "mini.toml", {"features.delexicalised": True,
                                                          "stacking.enabled": stacked, "stacking.with_text": True})
    units = by_split(load_corpus(fixtures / "mini_corpus.jsonl"), "train", "dev")
    model = build_model(config).fit(unit_dicts(units), label_matrix(units))
    rates = {"goal": 0.1, "measure": 0.4, "criticism": 0.1, "praise": 0.2}
    exported = load_exported(export_model(model, {"scores": {}, "training": {"train_role_rates": rates}}))
    assert exported.blocks.n_delex > 0
    assert check_export(exported, model, unit_dicts(units)) <= EXPORT_TOLERANCE


def test_every_column_of_a_model_with_the_view_has_a_name_of_its_own(delex_model):
    blocks = predictor.load(delex_model).model.blocks
    named = [blocks.column_ngram(c) for c in range(blocks.n_features)]
    assert len(set(named)) == len(named)
    kinds = [kind for kind, _ in named]
    n_word, n_char = len(blocks.word_vocabulary), len(blocks.char_vocabulary)
    assert kinds == ["word"] * n_word + ["chars"] * n_char + ["delex"] * blocks.n_delex
    assert all(ngram.strip() for kind, ngram in named if kind != "chars")  # a character n-gram may be a space


def test_a_model_tagged_with_another_table_is_refused_and_one_without_the_key_reads_as_off(delex_model, tmp_path):
    for name in ("model.json", "arrays.npz"):
        (tmp_path / name).write_bytes((delex_model / name).read_bytes())
    meta = json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))
    meta["features"]["delexicalised"]["tags_sha256"] = "0" * 64
    (tmp_path / "model.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ModelError, match=r"another delexicalised view's tag table.*retrain"):
        predictor.load(tmp_path)
    saved = json.loads((predictor.default_model_dir() / "model.json").read_text(encoding="utf-8"))
    assert "delexicalised" not in saved["features"]  # the shipped model predates the view
    shipped = predictor.load().model
    assert shipped.meta["features"]["delexicalised"] is None and shipped.blocks.n_delex == 0
