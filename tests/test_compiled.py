"""The scikit-learn-free copy of a model labels exactly as the model does, or is not used."""

import json
import subprocess
import sys

import numpy as np
import pytest

import govspeech.predictor as predictor
from govspeech.predictor._compiled import CompiledModel, CompiledStackedModel, compile_model
from govspeech.trainer import load_model

SPEECH = "同志们:\n一、总结成绩\n今年以来,全县招商引资工作取得了很好的成绩。\n但是有的部门重视程度还不是很高;\n" \
         "二、明年任务\n要加快园区建设,力争年内建成投产。\n谢谢大家!\n"


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVSPEECH_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_shipped_model_copy_equals_the_model_on_the_whole_corpus(root):
    model, _ = load_model(predictor.default_model_dir())
    compiled = compile_model(model)
    assert isinstance(compiled, (CompiledModel, CompiledStackedModel))  # plain or stacked, as shipped
    rows = [json.loads(line) for line in (root / "data" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    units = [{"doc_id": r["doc_id"], "text": r["text"]} for r in rows]
    expected, got = model.predict_proba(units), compiled.predict_proba(units)
    assert np.abs(got - expected).max() < 1e-12
    assert np.array_equal(compiled.predict(units), model.predict(units))


@pytest.fixture(scope="module")
def plain_model(tmp_path_factory, fixtures):
    """The mini model (first stage only, no context blocks)."""
    from govspeech.trainer import train

    out = tmp_path_factory.mktemp("plain_model")
    train(fixtures / "mini.toml", out, corpus_path=fixtures / "mini_corpus.jsonl")
    return out


def test_load_caches_the_copy_and_labels_the_same(plain_model, own_cache):
    first = predictor.load(plain_model)
    assert list(own_cache.glob("compiled/*.npz")), "the copy is cached for the next load"
    second = predictor.load(plain_model)
    full = predictor.load(plain_model, compiled=False)
    assert isinstance(second.model, CompiledModel) and not isinstance(full.model, CompiledModel)
    text = "同志们:\n要加快园区建设,力争年内建成投产。\n但是有的部门重视程度还不是很高;\n"
    assert first.label(text) == second.label(text) == full.label(text)


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
    from govspeech.trainer import train

    train(fixtures / "mini.toml", tmp_path / "model", corpus_path=fixtures / "mini_corpus.jsonl",
          overrides={"features.digits_as_zero": True})
    fast, full = predictor.load(tmp_path / "model"), predictor.load(tmp_path / "model", compiled=False)
    assert isinstance(fast.model, CompiledModel)
    text = "同志们:\n2012年全县完成投资15.8亿元,增长23%。\n要力争明年突破20亿元。\n"
    assert fast.label(text) == full.label(text)


def test_a_stacked_model_is_labelled_through_scikit_learn(fixtures, tmp_path, own_cache):
    from govspeech.trainer import StackedRoleModel, by_split, label_matrix, load_corpus, save_model, unit_dicts

    units = by_split(load_corpus(fixtures / "mini_corpus.jsonl"), "train", "dev")
    model = StackedRoleModel(first_stage={"features": {"word_ngram_range": (1, 1), "char_ngram_range": (1, 2)}},
                             second_stage="boosting", boosting_iterations=20, inner_folds=2)
    save_model(model.fit(unit_dicts(units), label_matrix(units)), tmp_path / "model", {"config": {}, "scores": {}})
    labeller = predictor.load(tmp_path / "model")
    assert type(labeller.model) is StackedRoleModel and compile_model(labeller.model) is None
    assert not list(own_cache.glob("compiled/*.npz"))
    units = labeller.label("同志们:\n要加快园区建设,力争年内建成投产。\n但是有的部门重视程度还不是很高;\n")
    assert [u.sent_id for u in units] == [0, 1, 2] and all(set(u.scores) == set(labeller.roles) for u in units)


def _stacked(fixtures, out, **params):
    """(fitted model, saved directory, units of the test split then train): a small stacked logistic model."""
    from govspeech.trainer import StackedRoleModel, by_split, label_matrix, load_corpus, save_model, unit_dicts
    from govspeech.trainer._cv import document_groups

    corpus = load_corpus(fixtures / "mini_corpus.jsonl")
    train, test = by_split(corpus, "train", "dev"), by_split(corpus, "test")
    model = StackedRoleModel(first_stage={"features": {"word_ngram_range": (1, 1), "char_ngram_range": (1, 2)}},
                             window=1, inner_folds=2, **params)
    model.fit(unit_dicts(train), label_matrix(train), groups=document_groups(train))
    save_model(model, out, {"config": {}, "scores": {}})
    return model, out, unit_dicts(test) + unit_dicts(train)


@pytest.fixture(scope="module")
def stacked(fixtures, tmp_path_factory):
    """A small stacked model whose logistic second stage reads the sequence features alone."""
    return _stacked(fixtures, tmp_path_factory.mktemp("stacked_model"))


@pytest.fixture(scope="module")
def stacked_with_text(fixtures, tmp_path_factory):
    """A small stacked model whose logistic second stage also reads the unit's TF-IDF (the new default's shape)."""
    return _stacked(fixtures, tmp_path_factory.mktemp("stacked_text_model"), with_text=True, C=4.0)


@pytest.mark.parametrize("which", ["stacked", "stacked_with_text"])
def test_a_stacked_logreg_model_copy_equals_the_model(which, request, own_cache):
    model, model_dir, units = request.getfixturevalue(which)
    compiled = compile_model(model)
    assert isinstance(compiled, CompiledStackedModel) and compiled.with_text == model.with_text
    assert np.abs(compiled.predict_proba(units) - model.predict_proba(units)).max() < 1e-9
    assert np.array_equal(compiled.predict(units), model.predict(units))
    predictor.load(model_dir)  # makes and caches the copy
    fast, full = predictor.load(model_dir), predictor.load(model_dir, compiled=False)
    assert isinstance(fast.model, CompiledStackedModel) and not isinstance(full.model, CompiledStackedModel)
    assert fast.label(SPEECH) == full.label(SPEECH)
    assert np.abs(fast.predict_proba(SPEECH.splitlines()) - full.predict_proba(SPEECH.splitlines())).max() < 1e-9


def test_the_text_columns_of_a_with_text_second_stage_count(stacked_with_text):
    """The TF-IDF coefficients are really used: zeroing them in the copy changes its probabilities."""
    model, _, units = stacked_with_text
    compiled = compile_model(model)
    n_text = compiled.first_.n_features
    assert compiled.coef.shape[1] > n_text and np.abs(compiled.coef[:, :n_text]).max() > 0
    arrays = {**compiled.arrays, "stacked_coef": compiled.coef.copy()}
    arrays["stacked_coef"][:, :n_text] = 0.0
    assert np.abs(CompiledStackedModel(arrays).predict_proba(units) - model.predict_proba(units)).max() > 1e-6


@pytest.mark.parametrize("which", ["stacked", "stacked_with_text"])
def test_labelling_with_a_cached_stacked_copy_imports_no_scikit_learn(which, request, own_cache, root):
    _, model_dir, _ = request.getfixturevalue(which)
    predictor.load(model_dir)  # the copy is cached: a fresh interpreter needs no unpickling
    script = ("import sys, predictor\n"
              f"labeller = predictor.load({str(model_dir)!r})\n"
              f"labeller.label({SPEECH!r})\n"
              "print(type(labeller.model).__name__)\n"
              "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy', 'joblib'}))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=root, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["CompiledStackedModel", "[]"]
