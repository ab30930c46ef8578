"""Nested CV, leave-one-topic-out, threshold carry-over and synthetic transfer run on a small corpus."""

from pathlib import Path

import pytest

from govspeech.features import ROLES
from govspeech.trainer import CorpusError
from govspeech.trainer._selection import nested_cv, read_topics, synthetic_transfer, threshold_carry_over, topic_cv

REPO = Path(__file__).resolve().parents[1]


def _topics(tmp_path, rows):
    path = tmp_path / "topics.tsv"
    path.write_text("doc_id\ttopic\treason\n" + "".join(f"{d}\t{t}\tby its title\n" for d, t in rows), encoding="utf-8")
    return path


def test_topic_cv_holds_out_one_topic_per_fold(fixtures, tmp_path):
    topics = _topics(tmp_path, [("000", "招商引资"), ("001", "招商引资"), ("002-p04", "工业园区")])
    result = topic_cv(fixtures / "mini.toml", topics, corpus_path=fixtures / "mini_corpus.jsonl")
    assert result["n_splits"] == 2 and result["topics"] == {"工业园区": ["002-p04"], "招商引资": ["000", "001"]}
    assert set(result["per_speech_share_mae"]) == set(ROLES)


def test_topics_file_must_cover_every_speech(fixtures, tmp_path):
    topics = _topics(tmp_path, [("000", "招商引资")])
    with pytest.raises(CorpusError, match="no topic for speeches 001, 002-p04"):
        topic_cv(fixtures / "mini.toml", topics, corpus_path=fixtures / "mini_corpus.jsonl")
    assert read_topics(REPO / "data" / "topics.tsv")["002-p13"] == "人事编制"


def test_threshold_carry_over_scores_three_rules_on_the_same_units(fixtures):
    result = threshold_carry_over(fixtures / "mini.toml", corpus_path=fixtures / "mini_corpus.jsonl")
    counts = {result[k]["n_units"] for k in ("pooled", "leave_one_speech_out", "fixed_0.5")}
    assert len(counts) == 1 and set(result["loso_thresholds"]) == {"000", "001", "002-p04"}
    # chosen over a grid holding 0.5 on the very units it is scored on, the pooled rule cannot lose to 0.5
    for role in ROLES:
        assert result["pooled"]["per_role"][role]["f1"] >= result["fixed_0.5"]["per_role"][role]["f1"]


def test_synthetic_transfer_trains_on_synthetic_units_only(fixtures):
    result = synthetic_transfer(fixtures / "mini.toml", [str(REPO / "data/synthetic/reviews_a.jsonl")],
                                corpus_path=fixtures / "mini_corpus.jsonl")
    assert result["n_synthetic_units"] == 738 and result["n_units"] == 85 + 48 + 115
    assert all(0.0 <= v <= 1.0 for v in result["average_precision"].values())


@pytest.mark.slow
def test_nested_cv_chooses_a_candidate_per_outer_fold(fixtures):
    candidates = {"C=1": {}, "C=4": {"model.C": 4.0}}
    result = nested_cv(fixtures / "mini.toml", candidates, outer_folds=3, inner_folds=2,
                       corpus_path=fixtures / "mini_corpus.jsonl")
    assert len(result["chosen"]) == 3 and set(result["chosen"]) <= set(candidates)
    assert all(set(s) == set(candidates) for s in result["inner_macro_f1"])


def test_error_classes_count_review_units_read_under_their_part():
    import numpy as np

    from govspeech.trainer import CorpusUnit
    from govspeech.trainer._selection import error_classes

    texts = ["一、去年工作回顾", "(一)项目建设加快", "引进了一批大项目。", "二、今年的任务", "要加快园区建设。"]
    units = [CorpusUnit("d", i, t, ()) for i, t in enumerate(texts)]
    p, m = ROLES.index("praise"), ROLES.index("measure")
    Y = np.zeros((5, len(ROLES)), dtype=int)
    Y[[1, 2], p] = 1  # the part's heading is other, its items praise
    Y[4, m] = 1
    pred = Y.copy()
    pred[1, p], pred[1, m] = 0, 1  # the review sub-headline read as a directive
    counts = error_classes(units, Y, pred)
    assert counts["review units"] == 2 and counts["review units labelled not-praise"] == 1
    assert counts["measure false positives"] == 1 and counts["praise misses"] == 1
    assert error_classes(units, Y, pred, np.array([0, 0, 1, 1, 1], dtype=bool))["review units labelled not-praise"] == 0


def test_loto_applies_a_named_variant_and_refuses_an_unknown_one(fixtures, tmp_path, capsys):
    from govspeech.errors import exit_code
    from govspeech.trainer.experiments import main

    topics = _topics(tmp_path, [("000", "招商引资"), ("001", "招商引资"), ("002-p04", "工业园区")])
    variants = tmp_path / "variants.toml"
    variants.write_text('[[variant]]\nname = "C=4"\nset = {"model.C" = 4.0}\n', encoding="utf-8")
    plain = topic_cv(fixtures / "mini.toml", topics, corpus_path=fixtures / "mini_corpus.jsonl")
    changed = topic_cv(fixtures / "mini.toml", topics, corpus_path=fixtures / "mini_corpus.jsonl",
                       overrides={"model.C": 4.0})
    assert plain["topics"] == changed["topics"] and plain["macro_f1"] != changed["macro_f1"]
    assert main(["loto", "--config", str(fixtures / "mini.toml"), "--topics", str(topics), "--variants",
                 str(variants), "--variant", "C=5"]) == exit_code("config")
    assert "no [[variant]] named 'C=5'; known: C=4" in capsys.readouterr().err
