"""The scikit-learn-free copy of a model labels exactly as the model does, or is not used."""

import json

import numpy as np
import pytest

import predictor
from predictor._compiled import CompiledModel, compile_model
from trainer import load_model


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVSPEECH_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_shipped_model_copy_equals_the_model_on_the_whole_corpus(root):
    model, _ = load_model(predictor.default_model_dir())
    compiled = compile_model(model)
    assert isinstance(compiled, CompiledModel)
    rows = [json.loads(line) for line in (root / "data" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    units = [{"doc_id": r["doc_id"], "text": r["text"]} for r in rows]
    expected, got = model.predict_proba(units), compiled.predict_proba(units)
    assert np.abs(got - expected).max() < 1e-12
    assert np.array_equal(compiled.predict(units), model.predict(units))


@pytest.fixture(scope="module")
def plain_model(tmp_path_factory, fixtures):
    """The mini model without its context blocks: the shape of the default config."""
    from trainer import train

    out = tmp_path_factory.mktemp("plain_model")
    off = {"features.neighbour_window": 0, "features.heading_weight": 0.0, "features.position_weight": 0.0}
    train(fixtures / "mini.toml", out, corpus_path=fixtures / "mini_corpus.jsonl", overrides=off)
    return out


def test_load_caches_the_copy_and_labels_the_same(plain_model, own_cache):
    first = predictor.load(plain_model)
    assert list(own_cache.glob("compiled/*.npz")), "the copy is cached for the next load"
    second = predictor.load(plain_model)
    full = predictor.load(plain_model, compiled=False)
    assert isinstance(second.model, CompiledModel) and not isinstance(full.model, CompiledModel)
    text = "同志们:\n要加快园区建设,力争年内建成投产。\n但是有的部门重视程度还不是很高;\n"
    assert first.label(text) == second.label(text) == full.label(text)


def test_a_model_with_context_blocks_is_labelled_by_itself(mini_model, own_cache):
    model, _ = load_model(mini_model)
    assert model.features_.position_weight and compile_model(model) is None
    assert not isinstance(predictor.load(mini_model).model, CompiledModel)
    assert not list(own_cache.glob("compiled/*.npz"))


def test_a_copy_that_disagrees_is_refused(plain_model):
    model, _ = load_model(plain_model)
    assert compile_model(model) is not None
    real = model.predict_proba

    def shifted(units):
        out = real(units)
        out[:, 0] += 1e-6
        return out

    model.predict_proba = shifted
    assert compile_model(model) is None


def test_digits_folded_to_zero_are_copied_too(fixtures, tmp_path, own_cache):
    from trainer import train

    off = {"features.neighbour_window": 0, "features.heading_weight": 0.0, "features.position_weight": 0.0,
           "features.digits_as_zero": True}
    train(fixtures / "mini.toml", tmp_path / "model", corpus_path=fixtures / "mini_corpus.jsonl", overrides=off)
    fast, full = predictor.load(tmp_path / "model"), predictor.load(tmp_path / "model", compiled=False)
    assert isinstance(fast.model, CompiledModel)
    text = "同志们:\n2012年全县完成投资15.8亿元,增长23%。\n要力争明年突破20亿元。\n"
    assert fast.label(text) == full.label(text)


def test_a_stacked_model_is_labelled_through_scikit_learn(fixtures, tmp_path, own_cache):
    from trainer import StackedRoleModel, by_split, label_matrix, load_corpus, save_model, unit_dicts

    units = by_split(load_corpus(fixtures / "mini_corpus.jsonl"), "train", "dev")
    model = StackedRoleModel(first_stage={"features": {"word_ngram_range": (1, 1), "char_ngram_range": (1, 2)}},
                             second_stage="boosting", boosting_iterations=20, inner_folds=2)
    save_model(model.fit(unit_dicts(units), label_matrix(units)), tmp_path / "model", {"config": {}, "scores": {}})
    labeller = predictor.load(tmp_path / "model")
    assert type(labeller.model) is StackedRoleModel and compile_model(labeller.model) is None
    assert not list(own_cache.glob("compiled/*.npz"))
    units = labeller.label("同志们:\n要加快园区建设,力争年内建成投产。\n但是有的部门重视程度还不是很高;\n")
    assert [u.sent_id for u in units] == [0, 1, 2] and all(set(u.scores) == set(labeller.roles) for u in units)
