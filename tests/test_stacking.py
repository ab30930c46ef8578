"""The second stage, the sequence features it reads, and synthetic and paraphrased training units."""

import json

import numpy as np
import pytest

from govspeech.features import ROLES, sequence_feature_names, sequence_features
from govspeech.features._ngrams import char_keys
from govspeech.predictor import load_model
from govspeech.trainer import (
    CorpusError,
    UnitFeatures,
    by_split,
    export_model,
    label_matrix,
    load_corpus,
    save_model,
    unit_dicts,
)
from govspeech.trainer._corpus import load_paraphrases, load_synthetic
from govspeech.trainer._cv import TrainingExtras, document_groups, fit_model, out_of_fold_proba
from govspeech.trainer._model import RoleModel
from govspeech.trainer._stacked import StackedRoleModel

SMALL_FEATURES = {"word_ngram_range": (1, 1), "char_ngram_range": (1, 2)}


@pytest.fixture(scope="module")
def corpus(fixtures):
    return load_corpus(fixtures / "mini_corpus.jsonl")


def test_sequence_features_see_neighbours_within_the_speech_only():
    proba = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.9, 0.0, 0.0, 0.0]])
    texts = ["一、总结成绩", "今年招商引资成效明显。", "新的一年要再接再厉。"]
    spans = [(0, 2), (2, 3)]  # two speeches
    out = sequence_features(proba, texts, spans, window=1)
    names = sequence_feature_names(ROLES, window=1)
    assert out.shape == (3, len(names))
    col = {n: i for i, n in enumerate(names)}
    assert out[1, col["-1:goal"]] == pytest.approx(0.1)      # the unit before, same speech
    assert out[1, col["+1:none"]] == 1.0                      # the next unit is in another speech
    assert out[2, col["-1:none"]] == 1.0 and out[2, col["-1:goal"]] == 0.0
    assert out[1, col["heading:present"]] == 1.0              # under 一、总结成绩
    assert out[1, col["heading:praise"]] == pytest.approx(0.4)
    assert out[0, col["heading:present"]] == 0.0              # a heading is not its own context


def _has_chars(features, text: str) -> bool:
    """Whether the fitted builder's character vocabulary holds the n-gram ``text``."""
    key = char_keys([text], (len(text), len(text)))[1]
    return bool(np.isin(key, features.blocks_.char_vocabulary).all())


def test_sequence_features_of_a_long_speech_are_each_units_leave_one_out_means():
    rng = np.random.default_rng(0)
    proba = rng.random((50, 4))
    texts = ["一、总结"] + ["今年工作取得了成绩。"] * 24 + ["二、任务"] + ["要加快园区建设。"] * 24
    out = sequence_features(proba, texts, [(0, 50)], window=2)
    col = {n: i for i, n in enumerate(sequence_feature_names(ROLES, window=2))}
    speech = [col[f"speech:{r}"] for r in ROLES]
    section = [col[f"section:{r}"] for r in ROLES]
    for i in (0, 7, 49):
        assert np.allclose(out[i, speech], np.delete(proba, i, axis=0).mean(axis=0))
    assert np.allclose(out[30, section], np.delete(proba[25:50], 5, axis=0).mean(axis=0))
    assert out[0, col["-2:none"]] == 1.0 and out[2, col["-2:goal"]] == proba[0, 0]


def test_digits_as_zero_makes_figures_share_character_ngrams():
    features = UnitFeatures(word_ngram_range=(1, 1), char_ngram_range=(2, 2), digits_as_zero=True)
    features.fit(["投资10亿元。", "投资7亿元。"])
    assert _has_chars(features, "0亿") and not _has_chars(features, "7亿")


def test_stacked_model_round_trips_and_predicts_deterministically(corpus, tmp_path):
    train, test = by_split(corpus, "train", "dev"), by_split(corpus, "test")
    def fit():
        model = StackedRoleModel(first_stage={"features": SMALL_FEATURES}, window=1, inner_folds=2)
        return model.fit(unit_dicts(train), label_matrix(train), groups=document_groups(train))
    model = fit()
    proba = model.predict_proba(unit_dicts(test))
    assert proba.shape == (len(test), len(ROLES)) and ((proba >= 0) & (proba <= 1)).all()
    np.testing.assert_array_equal(proba, fit().predict_proba(unit_dicts(test)))
    rates = dict(zip(ROLES, (0.1, 0.4, 0.1, 0.2)))
    save_model(export_model(model, {"scores": {}, "training": {"train_role_rates": rates}}), tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    assert np.abs(loaded.predict_proba(unit_dicts(test)) - proba).max() < 1e-9
    np.testing.assert_array_equal(loaded.predict(unit_dicts(test)), model.predict(unit_dicts(test)))


def test_stacked_model_needs_two_speeches(corpus):
    one = [u for u in corpus if u.doc_id == corpus[0].doc_id]
    with pytest.raises(ValueError, match="at least 2 speeches"):
        StackedRoleModel(first_stage={"features": SMALL_FEATURES}).fit(unit_dicts(one), label_matrix(one))


def _write(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


SYNTHETIC = [
    {"doc_id": "syn-1", "sent_id": 0, "text": "鑫源园区全年引进项目不少于20个。", "labels": ["goal"], "synthetic": True},
    {"doc_id": "syn-1", "sent_id": 1, "text": "有的部门工作不力。", "labels": ["criticism"], "synthetic": True},
]


def test_synthetic_units_must_say_so_and_carry_no_split(tmp_path):
    assert len(load_synthetic(_write(tmp_path / "ok.jsonl", SYNTHETIC))) == 2
    with pytest.raises(CorpusError, match="'synthetic': true expected"):
        load_synthetic(_write(tmp_path / "flag.jsonl", [{**SYNTHETIC[0], "synthetic": False}]))
    with pytest.raises(CorpusError, match="must not have a 'split'"):
        load_synthetic(_write(tmp_path / "split.jsonl", [{**SYNTHETIC[0], "split": "train"}]))


def test_synthetic_units_are_trained_on_and_never_predicted(corpus, tmp_path):
    synthetic = load_synthetic(_write(tmp_path / "s.jsonl", SYNTHETIC))
    real = by_split(corpus, "train", "dev")
    make = lambda: RoleModel(features=SMALL_FEATURES)  # noqa: E731
    extras = TrainingExtras(synthetic=synthetic, synthetic_weight=2.0)
    model = fit_model(make, real, document_groups(real), extras=extras)
    assert _has_chars(model.features_, "鑫")  # seen only in the synthetic unit
    proba, _folds = out_of_fold_proba(make, real, 2, extras=extras)
    assert proba.shape == (len(real), len(ROLES))


def _rewrites_of(units, **changes):
    return [{"source": f"{u.doc_id}:{u.sent_id}", "text": f"鑫源园区第{i}句。", "synthetic": True, **changes}
            for i, u in enumerate(units)]


def _originals(corpus, doc_id):
    return [u for u in corpus if u.doc_id == doc_id and not u.debris and not u.duplicate_of]


def test_a_paraphrased_speech_follows_its_source_and_keeps_its_roles(corpus, tmp_path):
    doc = next(u.doc_id for u in corpus if u.split == "train")
    source = [u for u in corpus if u.doc_id == doc and not u.debris]
    speech = load_paraphrases(_write(tmp_path / "ok.jsonl", _rewrites_of(_originals(corpus, doc))), corpus)
    assert [(u.sent_id, u.labels) for u in speech] == [(u.sent_id, u.labels) for u in source]
    assert {u.doc_id for u in speech} == {f"ok:{doc}"}
    assert all(u.extra["paraphrase_of_doc"] == doc and u.text.startswith("鑫源") for u in speech)


def test_paraphrases_refuse_test_speeches_gaps_and_unflagged_lines(corpus, tmp_path):
    test_doc = next(u.doc_id for u in corpus if u.split == "test")
    train_doc = next(u.doc_id for u in corpus if u.split == "train")
    with pytest.raises(CorpusError, match="only train and dev"):
        load_paraphrases(_write(tmp_path / "t.jsonl", _rewrites_of(_originals(corpus, test_doc))), corpus)
    with pytest.raises(CorpusError, match="no rewrite of"):
        load_paraphrases(_write(tmp_path / "gap.jsonl", _rewrites_of(_originals(corpus, train_doc))[1:]), corpus)
    with pytest.raises(CorpusError, match="'synthetic': true expected"):
        load_paraphrases(_write(tmp_path / "f.jsonl", _rewrites_of(_originals(corpus, train_doc), synthetic=False)),
                         corpus)
    with pytest.raises(CorpusError, match="must name a corpus unit"):
        load_paraphrases(_write(tmp_path / "n.jsonl", [{"source": "nowhere:0", "text": "好。", "synthetic": True}]),
                         corpus)


def test_a_paraphrase_trains_only_in_folds_that_train_on_its_source(corpus, tmp_path):
    real = by_split(corpus, "train", "dev")
    doc = real[0].doc_id
    extras = TrainingExtras(paraphrases=load_paraphrases(
        _write(tmp_path / "p.jsonl", _rewrites_of(_originals(corpus, doc))), corpus))
    with_source, _ = extras.for_training([u for u in real if u.doc_id == doc])
    without_source, _ = extras.for_training([u for u in real if u.doc_id != doc])
    assert with_source and without_source == []
    make = lambda: RoleModel(features=SMALL_FEATURES)  # noqa: E731
    others = [u for u in real if u.doc_id != doc]
    assert not _has_chars(fit_model(make, others, document_groups(others), extras=extras).features_, "鑫")
    assert _has_chars(fit_model(make, real, document_groups(real), extras=extras).features_, "鑫")


def test_a_synthetic_line_must_be_one_unit(tmp_path):
    two = {**SYNTHETIC[0], "text": "全年引进项目不少于20个。有的部门工作不力。"}
    with pytest.raises(CorpusError, match="not exactly one unit"):
        load_synthetic(_write(tmp_path / "two.jsonl", [two]))


def test_synthetic_card_matches_the_file(root):
    import re

    from govspeech.config import read_training_config
    from govspeech.trainer import agreement, load_pass

    files = read_training_config(root / "configs" / "default.toml").synthetic.files
    units = [u for f in files for u in load_synthetic(root / f)]
    card = (root / "data/synthetic/README.md").read_text(encoding="utf-8")
    speeches = len({u.doc_id for u in units})
    assert f"**{speeches} speeches, {len(units):,} units**" in card
    for role in (*ROLES, "none"):
        count = sum((role in u.labels) if role != "none" else not u.labels for u in units)
        assert re.search(rf"\|\s*{role}\s*\|\s*{count:,}\s*\|", card), role
    figures = agreement(load_pass(root / files[0]), load_pass(root / "data/synthetic/second_pass.jsonl"))
    for role, v in figures["per_role"].items():
        assert re.search(rf"\|\s*{role}\s*\|\s*{v['kappa']:.3f}\s*\|\s*{v['f1']:.3f}\s*\|", card), role


def test_paraphrase_card_matches_the_files(root, tmp_path):
    import re

    from govspeech.cli import main

    corpus = load_corpus(root / "data/corpus.jsonl")
    units = load_paraphrases(root / "data/paraphrases/round1.jsonl", corpus)
    trained = [u for u in units if not u.duplicate_of]
    card = (root / "data/paraphrases/README.md").read_text(encoding="utf-8")
    assert f"**{len(trained):,} rewrites**" in card
    assert f"**{len({u.doc_id for u in units})} paraphrased" in card
    for role in (*ROLES, "none"):
        count = sum((role in u.labels) if role != "none" else not u.labels for u in trained)
        assert re.search(rf"\|\s*{role}\s*\|\s*{count:,}\s*\|\s*$", card, re.M), role
    out = tmp_path / "agreement.json"
    assert main(["agreement", "--first", str(root / "data/paraphrases/round1.jsonl"), "--second",
                 str(root / "data/paraphrases/second_pass.jsonl"), "--paraphrases-of",
                 str(root / "data/corpus.jsonl"), "--json", str(out)]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    for role, v in figures["per_role"].items():
        assert re.search(rf"\|\s*{role}\s*\|\s*{v['kappa']:.3f}\s*\|\s*{v['f1']:.3f}\s*\|", card), role
    assert f"({figures['n_units']} units" in card and f"Macro-F1 {figures['macro_f1']:.3f}" in card
