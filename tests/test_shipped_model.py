"""The shipped default model: loads, labels, and is reproduced by retraining from its config."""

import json

import numpy as np
import pytest

import govspeech.predictor as predictor
from govspeech.config import read_floor
from govspeech.trainer import load_corpus, train


@pytest.fixture(scope="module")
def shipped(root):
    return json.loads((root / "models/default/meta.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def retrained(root):
    return train(root / "configs/default.toml", corpus_path=root / "data/corpus.jsonl")


def test_default_model_loads_and_labels_a_speech():
    labeller = predictor.load()
    units = labeller.label("同志们:\n要加快轻工业园区基础设施建设进度。\n")
    assert [u.text for u in units] == ["同志们:", "要加快轻工业园区基础设施建设进度。"]
    assert all(set(u.scores) == {"goal", "measure", "criticism", "praise"} for u in units)
    assert labeller.predict([u.text for u in units]) == [u.roles for u in units]


def test_retraining_from_the_config_reproduces_the_shipped_scores(shipped, retrained, root):
    assert retrained.meta["corpus_sha256"] == shipped["corpus_sha256"]
    assert retrained.meta["thresholds"] == shipped["thresholds"]
    assert retrained.meta["scores"] == shipped["scores"]


def test_retrained_model_predicts_like_the_shipped_one(retrained, root):
    units = load_corpus(root / "data/corpus.jsonl")
    sample = [{"doc_id": u.doc_id, "text": u.text} for u in units if u.split == "test"]
    assert np.allclose(retrained.model.predict_proba(sample), predictor.load().model.predict_proba(sample), atol=1e-6)


def test_test_split_macro_f1_stays_above_the_floor(retrained, root):
    floor = read_floor(root / "configs/ci.toml").floor.test_macro_f1
    assert retrained.meta["scores"]["test"]["macro_f1"] >= floor
