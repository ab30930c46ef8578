"""Per-speech share estimators: calibration fitted on other folds only, applied with numpy as scikit-learn would."""

import numpy as np
import pytest
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from govspeech.features import ROLES
from govspeech.trainer._calibration import calibrated, cross_calibrated, fit_calibration, logit
from govspeech.trainer._cv import grouped_cv
from govspeech.trainer._experiments import _setup
from govspeech.trainer._metrics import speech_shares
from govspeech.trainer._shares import SHARE_ESTIMATORS, share_estimates
from govspeech.trainer._train import build_model, threshold_grid
from govspeech.trainer.experiments import shares_table


def _overconfident(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Gold drawn from logistic(0.5 * logit(p) - 1): probabilities too high and too sure, as a balanced fit gives."""
    rng = np.random.default_rng(seed)
    proba = rng.uniform(0.01, 0.99, size=(n, len(ROLES)))
    truth = 1.0 / (1.0 + np.exp(-(0.5 * logit(proba) - 1.0)))
    return (rng.uniform(size=truth.shape) < truth).astype(int), proba


def test_platt_recovers_the_map_that_made_the_labels():
    Y, proba = _overconfident(20000, seed=0)
    coef = fit_calibration(Y, proba, "platt")["coef"]
    for role in ROLES:
        assert coef[role] == pytest.approx([0.5, -1.0], abs=0.08)


@pytest.mark.parametrize("method", ["platt", "isotonic"])
def test_numpy_calibration_gives_what_scikit_learn_gives(method):
    Y, proba = _overconfident(500, seed=1)
    _, new = _overconfident(300, seed=2)
    new[:3] = [[0.0], [1.0], [0.5]]  # at and beyond the fitted range
    got = calibrated(new, fit_calibration(Y, proba, method))
    for j in range(len(ROLES)):
        if method == "platt":
            model = LogisticRegression(C=np.inf, solver="lbfgs").fit(logit(proba[:, j])[:, None], Y[:, j])
            expected = model.predict_proba(logit(new[:, j])[:, None])[:, 1]
        else:
            model = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(proba[:, j], Y[:, j])
            expected = model.predict(new[:, j])
        np.testing.assert_allclose(got[:, j], expected, rtol=0, atol=1e-9)
    assert np.isfinite(got).all() and ((got >= 0) & (got <= 1)).all()


def test_each_fold_is_calibrated_by_the_other_folds_only():
    Y, proba = _overconfident(900, seed=3)
    folds = np.repeat([0, 1, 2], 300)
    Y[folds == 0] = 1  # a fold unlike the others: its own labels must not shape its map
    got = cross_calibrated(Y, proba, folds, "platt")
    held = folds == 0
    np.testing.assert_allclose(got[held], calibrated(proba[held], fit_calibration(Y[~held], proba[~held], "platt")),
                               rtol=0, atol=1e-12)
    assert got[held].mean() < 0.5  # fitted on folds 1 and 2 alone, it does not learn that fold 0 is all 1


def test_an_unknown_calibration_method_is_refused():
    Y, proba = _overconfident(50, seed=4)
    with pytest.raises(ValueError, match="platt or isotonic, got 'beta'"):
        fit_calibration(Y, proba, "beta")


def test_speech_shares_average_each_speech_separately():
    Y = np.zeros((5, len(ROLES)))
    Y[:, 0] = [1, 0, 0.5, 0.25, 0.75]
    shares = speech_shares(Y, ["b", "b", "a", "a", "a"])
    np.testing.assert_allclose(shares[:, 0], [0.5, 0.5])  # a: (0.5 + 0.25 + 0.75) / 3, b: 1 / 2
    assert shares.shape == (2, len(ROLES))


def test_counting_decisions_reproduces_the_grouped_cv_share_error(fixtures):
    config, units, extras = _setup(fixtures / "mini.toml", fixtures / "mini_corpus.jsonl")
    cv = grouped_cv(lambda: build_model(config), units, config.thresholds.cv_folds, threshold_grid(config),
                    extras=extras)
    result = share_estimates(fixtures / "mini.toml", corpus_path=fixtures / "mini_corpus.jsonl")
    assert set(result["grouped_cv"]) == set(result["test"]) == set(SHARE_ESTIMATORS)
    cc = result["grouped_cv"]["CC (thresholded decisions)"]
    assert cc["per_role"] == pytest.approx(cv["per_speech_share_mae"], abs=1e-12)
    assert cc["mean"] == pytest.approx(np.mean(list(cv["per_speech_share_mae"].values())))
    raw = result["grouped_cv"]["PCC raw probabilities"]
    assert raw["per_role"] != cc["per_role"]
    table = shares_table(result)
    assert table.count("| PCC Platt-calibrated |") == 3  # grouped CV, test, signed error
