"""Per-speech role-share error: the figure researchers compute from labelled speeches."""

import numpy as np
import pytest

from govspeech.features import ROLES
from govspeech.trainer import per_speech_share_mae, role_scores


def test_share_error_is_the_mean_over_speeches_of_each_role_gap():
    # Speech a: 4 units, gold goal share 2/4, predicted 1/4 -> 0.25. Speech b: 2 units, gold 0/2, predicted 1/2 -> 0.5.
    gold = np.zeros((6, len(ROLES)), dtype=int)
    pred = np.zeros_like(gold)
    goal, praise = ROLES.index("goal"), ROLES.index("praise")
    gold[[0, 1], goal] = 1
    pred[[0, 4], goal] = 1
    gold[[2, 3, 4, 5], praise] = 1  # shares 2/4 and 2/2; predicted 2/4 and 2/2 -> no error
    pred[[2, 3, 4, 5], praise] = 1
    doc_ids = ["a", "a", "a", "a", "b", "b"]
    error = per_speech_share_mae(gold, pred, doc_ids)
    assert error["goal"] == pytest.approx((0.25 + 0.5) / 2)  # each speech weighs the same, not each unit
    assert error["praise"] == 0.0
    assert set(error) == set(ROLES)


def test_role_scores_add_the_share_error_only_when_speeches_are_known():
    gold = np.eye(len(ROLES), dtype=int)
    assert "per_speech_share_mae" not in role_scores(gold, gold)
    scores = role_scores(gold, 1 - gold, ["x"] * len(ROLES))
    assert scores["macro_f1"] == 0.0 and scores["per_speech_share_mae"]["goal"] == pytest.approx(0.5)
