"""The commands behind docs/model.md run on a small corpus and report what they claim."""

import pytest

from govspeech.features import ROLES
from govspeech.trainer._experiments import UNIT_KINDS, ablation, error_analysis, learning_curve, unit_kind
from govspeech.trainer.experiments import ablation_table, errors_report


@pytest.mark.parametrize("text, place, kind", [
    ("一、认清形势,自加压力", 0.1, "heading"),
    ("一是要加强组织领导,各乡镇、各部门主要负责同志要亲自抓、负总责,层层分解任务,落实责任,确保各项工作落到实处。", 0.5, "enumerated item"),
    ("上半年完成投资12.5亿元,增长23%。", 0.3, "figure line"),
    ("同志们,让我们团结一心,扎实工作。", 0.95, "closing call"),
    ("去年,我们引进了一批大项目。", 0.3, "report of past work"),
    ("项目建设是经济发展的生命线。", 0.3, "other sentence"),
])
def test_unit_kind(text, place, kind):
    assert unit_kind(text, place) == kind


def test_ablation_scores_each_variant(fixtures, tmp_path):
    variants = tmp_path / "v.toml"
    variants.write_text('[[variant]]\nname = "as configured"\n\n[[variant]]\nname = "C = 4"\nset = {"model.C" = 4.0}\n')
    rows = ablation(fixtures / "mini.toml", variants, corpus_path=fixtures / "mini_corpus.jsonl")
    assert [r["name"] for r in rows] == ["as configured", "C = 4"]
    assert rows[0]["scores"]["macro_f1"] != rows[1]["scores"]["macro_f1"]  # the override took effect
    table = ablation_table(rows)
    assert table.count("\n") == 3 and "C = 4" in table


def test_learning_curve_has_a_row_per_size(fixtures):
    rows = learning_curve(fixtures / "mini.toml", sizes=[1, 10], repeats=1, corpus_path=fixtures / "mini_corpus.jsonl")
    assert [r["speech_groups"] for r in rows] == [1, 10] and set(rows[0]["per_role"]) == set(ROLES)


def test_error_analysis_counts_every_scored_unit_once(fixtures):
    result = error_analysis(fixtures / "mini.toml", corpus_path=fixtures / "mini_corpus.jsonl")
    assert sum(v["units"] for v in result["by_kind"].values()) == result["overall"]["n_units"]
    assert set(result["by_kind"]) <= set(UNIT_KINDS)
    assert "goal missed" in errors_report(result)
