import re

import numpy as np
import pytest

from govspeech.config import read_training_config
from govspeech.errors import ConfigError
from govspeech.features import ROLES
from govspeech.predictor import ModelError, load_model
from govspeech.trainer import RoleModel, by_split, export_model, label_matrix, load_corpus, save_model, unit_dicts


@pytest.fixture(scope="module")
def data(fixtures):
    units = load_corpus(fixtures / "mini_corpus.jsonl")
    train, test = by_split(units, "train"), by_split(units, "test")
    return unit_dicts(train), label_matrix(train), unit_dicts(test)


def test_one_classifier_per_role(data):
    X, Y, X_test = data
    model = RoleModel(features={"char_ngram_range": (1, 2)}).fit(X, Y)
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


def test_removed_settings_are_refused_by_name(fixtures):
    # Settings the plain-array model cannot express were removed; an old config names them and is told so.
    for key, value in (("model.classifier", "linear_svm"), ("features.neighbour_window", 1),
                       ("features.cue_weight", 1.0), ("stacking.second_stage", "crf")):
        with pytest.raises(ConfigError, match=rf"{re.escape(key)}: this setting was removed"):
            read_training_config(fixtures / "mini.toml", {key: value})


def test_save_load_round_trip_predicts_the_same(data, tmp_path):
    X, Y, X_test = data
    model = RoleModel().fit(X, Y)
    model.thresholds_ = np.array([0.3, 0.4, 0.5, 0.6])
    rates = dict(zip(ROLES, (0.1, 0.4, 0.1, 0.2)))
    save_model(export_model(model, {"scores": {"note": {}}, "training": {"train_role_rates": rates}}), tmp_path)
    loaded = load_model(tmp_path)
    assert loaded.meta["scores"] == {"note": {}} and loaded.meta["roles"] == list(ROLES)
    assert loaded.meta["thresholds"] == dict(zip(ROLES, (0.3, 0.4, 0.5, 0.6)))
    assert np.abs(loaded.predict_proba(X_test) - model.predict_proba(X_test)).max() < 1e-12
    assert np.array_equal(loaded.predict(X_test), model.predict(X_test))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["arrays.npz", "model.json"]


def test_an_export_that_disagrees_with_the_estimators_fails_training(data, tmp_path):
    from govspeech.trainer import check_export
    from govspeech.trainer._persist import load_exported

    X, Y, X_test = data
    model = RoleModel().fit(X, Y)
    rates = dict(zip(ROLES, (0.1, 0.4, 0.1, 0.2)))
    exported = load_exported(export_model(model, {"scores": {}, "training": {"train_role_rates": rates}}))
    assert check_export(exported, model, X + X_test) <= 1e-9
    exported.text_weights[0, 0] += 1.0  # one coefficient off: some unit with that feature moves
    with pytest.raises(ModelError, match=r"the exported arrays give probabilities up to .* away from the fitted"):
        check_export(exported, model, X + X_test)
