import json

import numpy as np
import pytest

from govspeech.features import ROLES
from govspeech.trainer import CLASSIFIERS, ModelError, RoleModel, by_split, label_matrix, load_corpus, load_model, save_model
from govspeech.trainer import unit_dicts


@pytest.fixture(scope="module")
def data(fixtures):
    units = load_corpus(fixtures / "mini_corpus.jsonl")
    train, test = by_split(units, "train"), by_split(units, "test")
    return unit_dicts(train), label_matrix(train), unit_dicts(test)


@pytest.mark.parametrize("classifier", CLASSIFIERS)
def test_one_classifier_per_role(data, classifier):
    X, Y, X_test = data
    model = RoleModel(classifier=classifier, features={"char_ngram_range": (1, 2)}).fit(X, Y)
    assert len(model.estimators_) == len(ROLES)
    proba = model.predict_proba(X_test)
    assert proba.shape == (len(X_test), len(ROLES))
    assert ((proba >= 0) & (proba <= 1)).all()
    assert set(np.unique(model.predict(X_test))) <= {0, 1}


def test_each_role_is_learned_from_its_own_column(data):
    X, Y, _ = data
    model = RoleModel().fit(X, Y)
    proba = model.predict_proba(X)
    for j in range(len(ROLES)):  # on training units, positives score above negatives
        assert proba[Y[:, j] == 1, j].mean() > proba[Y[:, j] == 0, j].mean()


def test_thresholds_decide_the_roles(data):
    X, Y, X_test = data
    model = RoleModel().fit(X, Y)
    model.thresholds_ = np.zeros(len(ROLES))
    assert model.predict(X_test).all()
    model.thresholds_ = np.full(len(ROLES), 1.01)
    assert not model.predict(X_test).any()


def test_zero_weight_units_are_not_trained_on(data):
    X, Y, X_test = data
    weights = np.ones(len(Y))
    weights[1::2] = 0  # every other unit: both classes of every role stay
    half = RoleModel().fit(X, Y, sample_weight=weights)
    full = RoleModel().fit(X, Y)
    assert not np.allclose(half.predict_proba(X_test), full.predict_proba(X_test))


def test_unknown_classifier_is_refused(data):
    X, Y, _ = data
    with pytest.raises(ValueError, match="classifier must be one of"):
        RoleModel(classifier="forest").fit(X, Y)


def test_save_load_round_trip_predicts_the_same(data, tmp_path):
    X, Y, X_test = data
    model = RoleModel().fit(X, Y)
    model.thresholds_ = np.array([0.3, 0.4, 0.5, 0.6])
    save_model(model, tmp_path, {"note": "test"})
    loaded, meta = load_model(tmp_path)
    assert meta["note"] == "test" and meta["roles"] == list(ROLES)
    assert np.array_equal(loaded.predict(X_test), model.predict(X_test))
    assert np.allclose(loaded.predict_proba(X_test), model.predict_proba(X_test))


def test_tampered_artifact_is_not_unpickled(data, tmp_path):
    X, Y, _ = data
    save_model(RoleModel().fit(X, Y), tmp_path, {})
    artifact = tmp_path / "model.joblib"
    artifact.write_bytes(artifact.read_bytes()[:-10])
    with pytest.raises(ModelError, match="sha256 does not match"):
        load_model(tmp_path)


def test_other_format_and_versions_are_refused(data, tmp_path):
    X, Y, _ = data
    save_model(RoleModel().fit(X, Y), tmp_path, {})
    meta_path = tmp_path / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps({**meta, "format_version": 99}))
    with pytest.raises(ModelError, match="model format 99"):
        load_model(tmp_path)
    meta_path.write_text(json.dumps({**meta, "versions": {**meta["versions"], "scikit-learn": "0.1.0"}}))
    with pytest.raises(ModelError, match="saved with scikit-learn 0.1.0"):
        load_model(tmp_path)
    meta_path.write_text(json.dumps({**meta, "segmenter": "pkuseg"}))
    with pytest.raises(ModelError, match="segmenter 'pkuseg'"):
        load_model(tmp_path)
    meta_path.write_text("{truncated")
    with pytest.raises(ModelError, match="not valid JSON"):
        load_model(tmp_path)


def test_missing_model_directory(tmp_path):
    with pytest.raises(ModelError, match="no such model directory"):
        load_model(tmp_path / "nope")
