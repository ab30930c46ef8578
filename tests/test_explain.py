"""Explanations: each stage's linear score taken apart adds up to the score the predictor computes, on a real
speech; their names read; `govspeech explain` and `label --explain` show them, and refuse what they cannot do."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest
from speeches import OTHER, SPEECH, govspeech

import govspeech.predictor as predictor
from govspeech.cli import main
from govspeech.features import ROLES, as_units, clean_speech, normalize_text, sequence_feature_names
from govspeech.predictor import explain, explanation_lines, score_and_threshold
from govspeech.predictor._explain import context_words

SAMPLE = "data/raw/000_8446d01601e08bac.txt"
EXACT = 1e-9
JSON_DECIMALS = 1e-5  # the linear terms of a JSONL explanation are rounded to 6 decimals
# two stages with text, without, with the delexicalised view; one stage
MODELS = ["shipped", "stacked_model", "outline_model", "delex_model", "mini_model"]


@pytest.fixture(scope="module")
def shipped():
    return predictor.load()


@pytest.fixture(scope="module")
def speech(root) -> str:
    return (root / SAMPLE).read_text(encoding="utf-8")


def _labeller(request, which):
    return predictor.load(None if which == "shipped" else request.getfixturevalue(which))


@pytest.mark.parametrize("which", MODELS)
def test_contributions_add_up_to_the_scores_the_predictor_computes(request, speech, which):
    labeller = _labeller(request, which)
    model = labeller.model
    units = as_units(clean_speech(speech).sentences)
    stages = model.stages(units)
    logits = [stages.logit1] if stages.logit2 is None else [stages.logit1, stages.logit2]
    proba = model.predict_proba(units)
    explained = explain(model, units)
    assert len(explained) == len(units) > 50
    for i, unit in enumerate(explained):
        for j, role in enumerate(model.roles_):
            stage_terms = [unit.first[role]] + ([unit.second[role]] if unit.second else [])
            assert len(stage_terms) == len(logits)
            for terms, logit in zip(stage_terms, logits):
                assert abs(terms.intercept + terms.contributions.sum() - logit[i, j]) < EXACT
            assert abs(unit.terms(role).score - proba[i, j]) < EXACT
    labelled = labeller.label(speech, explain=True)
    assert [u.scores for u in labelled] == [u.scores for u in labeller.label(speech)]
    for unit in labelled:
        assert unit.scores == {r: round(unit.explanation.terms(r).score, 4) for r in model.roles_}


@pytest.mark.parametrize("which", ["shipped", "outline_model"])
def test_the_second_stage_reads_the_first_stages_probability_as_self(request, speech, which):
    model = _labeller(request, which).model
    names = model.meta["sequence_features"]
    for unit in explain(model, as_units(clean_speech(speech).sentences)):
        for role in model.roles_:
            second = unit.second[role]
            at = second.columns == model.blocks.n_features + names.index(f"self:{role}")
            assert second.values[at].tolist() == pytest.approx([unit.first[role].score], abs=EXACT)


def test_top_contributions_are_the_largest_in_order_and_the_rest_sums_the_others(shipped, speech):
    k = 5
    for unit in explain(shipped.model, as_units(clean_speech(speech).sentences)):
        for role in ROLES:
            for terms in (unit.first[role], unit.second[role]):
                top = terms.top(k)
                sizes = [abs(c.contribution) for c in top]
                assert sizes == sorted(sizes, reverse=True) and len(top) == min(k, len(terms.columns))
                others = np.sort(np.abs(terms.contributions))[::-1][k:]
                assert not len(others) or sizes[-1] >= others[0]
                assert abs(sum(c.contribution for c in top) + terms.rest(k) - terms.contributions.sum()) < EXACT
                assert all(c.contribution == pytest.approx(c.value * c.weight, abs=EXACT) for c in top)


def test_ngram_contributions_name_ngrams_of_the_unit(shipped, speech):
    named = 0
    units = as_units(clean_speech(speech).sentences)
    for unit, explained in zip(units, explain(shipped.model, units)):
        text = normalize_text(unit["text"])
        for role in ROLES:
            for c in explained.first[role].top(20):
                kind, ngram = c.feature.split(":", 1)
                assert c.description == f"{kind} {ngram}"
                assert (ngram.replace(" ", "") if kind == "word" else ngram) in text.replace(" ", ""), c
                named += 1
    assert named > 1000


def test_every_context_column_reads_as_words_of_its_own():
    names = sequence_feature_names(ROLES, window=3, hierarchy=True, markers=True)
    words = [context_words(n)[0] for n in names]
    assert len(set(words)) == len(names)
    assert not [w for w in words if re.search(r"pos:|self:|marker[_:]|[+-]\d:", w)]
    assert context_words("heading:praise") == ("heading above: praise", False)
    assert context_words("section:goal") == ("section mean: goal", False)
    assert context_words("-1:measure") == ("previous unit: measure", False)
    assert context_words("pos:closing") == ("closing part of the speech", True)
    assert context_words("+3:none") == ("no 3 units after (edge of the speech)", True)
    assert context_words("marker_part:figure_done") == ("share of the top-level part holding a marker of figure_done",
                                                        False)
    assert context_words("marker:directive") == ("the unit holds a marker of directive", True)


def _unit_with(labeller, speech, has_role: bool):
    return next(u for u in labeller.label(speech) if bool(u.roles) == has_role)


def test_explain_shows_each_role_given_its_threshold_and_features(root, shipped, speech, capsys):
    unit = _unit_with(shipped, speech, True)
    assert main(["explain", str(root / SAMPLE), "--unit", str(unit.sent_id), "--top", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"== {root / SAMPLE}" and lines[1] == f"{unit.sent_id:4d}  [{','.join(unit.roles)}]  {unit.text}"
    thresholds = shipped.meta["thresholds"]
    role_lines = [line for line in lines if re.match(r" {6}\w", line)]
    assert [line.split()[0] for line in role_lines] == list(unit.roles)
    for role, line in zip(unit.roles, role_lines):
        assert line.startswith(f"      {role} {unit.scores[role]:.2f} (threshold {thresholds[role]:.2f}): ")
        assert len(re.findall(r" [+-]\d+\.\d\d(;|$)", line)) == 3 + 2  # three features, the rest, the intercept
    assert sum(line.startswith("        first stage ") for line in lines) == len(unit.roles)


def test_explain_with_a_role_explains_it_where_it_was_not_given(root, shipped, speech, capsys):
    unit = _unit_with(shipped, speech, False)
    assert main(["explain", str(root / SAMPLE), "--unit", str(unit.sent_id)]) == 0
    assert "no role; nearest: " in capsys.readouterr().out
    assert main(["explain", str(root / SAMPLE), "--unit", str(unit.sent_id), "--role", "praise"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].startswith(f"      praise {unit.scores['praise']:.2f} (threshold ")
    assert lines[3].startswith("        first stage praise ")


def test_explain_refuses_a_unit_out_of_range_an_unknown_role_and_no_features(root, capsys):
    assert main(["explain", str(root / SAMPLE), "--unit", "100000"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert re.search(r"--unit 100000: no such unit in .*; its units are numbered \d+ to \d+", err)
    assert main(["explain", str(root / SAMPLE), "--role", "blame"]) == 2
    assert "give one of goal, measure, criticism, praise" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="2"):
        main(["explain", str(root / SAMPLE), "--top", "0"])
    assert "1 or more" in capsys.readouterr().err


def test_label_explain_jsonl_round_trips_and_adds_only_the_explanation(root, shipped, tmp_path, capsys):
    plain, explained, parallel = (tmp_path / f"{n}.jsonl" for n in ("plain", "explained", "parallel"))
    assert main(["label", str(root / SAMPLE), "--out", str(plain)]) == 0
    assert main(["label", str(root / SAMPLE), "--explain", "--out", str(explained)]) == 0
    assert main(["label", str(root / SAMPLE), "--explain", "--out", str(parallel), "-j", "2"]) == 0
    assert parallel.read_bytes() == explained.read_bytes()
    rows = [json.loads(line) for line in explained.read_text(encoding="utf-8").splitlines()]
    assert [json.dumps(r, ensure_ascii=False) for r in rows] == explained.read_text(encoding="utf-8").splitlines()
    assert [{k: v for k, v in r.items() if k != "explanation"} for r in rows] == [
        json.loads(line) for line in plain.read_text(encoding="utf-8").splitlines()]
    assert "explanation" not in plain.read_text(encoding="utf-8")
    for row in rows:
        assert list(row["explanation"]) == row["labels"]
        for role, entry in row["explanation"].items():
            assert entry["score"] == row["scores"][role] and entry["threshold"] == shipped.meta["thresholds"][role]
            for part in (entry, entry["first_stage"]):
                total = part["intercept"] + sum(c["contribution"] for c in part["contributions"]) + part["rest"]
                assert abs(total - part["logit"]) < JSON_DECIMALS
                assert all(set(c) == {"feature", "description", "value", "weight", "contribution"}
                           for c in part["contributions"])
            assert explanation_lines({role: entry})[0].startswith(f"{role} {entry['score']:.2f} (threshold ")
    assert sum(bool(r["labels"]) for r in rows) > 20


@pytest.mark.parametrize("fmt", ["text", "csv"])
def test_label_explain_refuses_formats_that_cannot_hold_it(root, tmp_path, capsys, fmt):
    out = tmp_path / f"out.{fmt}"
    assert main(["label", str(root / SAMPLE), "--explain", "--format", fmt, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and f"--explain works with --format jsonl or html, not {fmt}" in err
    assert list(tmp_path.iterdir()) == []


def test_label_explain_refuses_a_metadata_field_named_explanation(tmp_path, mini_model, capsys):
    stream = tmp_path / "s.jsonl"
    stream.write_text(json.dumps({"text": "要加快园区建设。", "explanation": "mine"}, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    args = ["label", str(stream), "--model", str(mini_model), "--format", "jsonl"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["explanation"] == "mine"
    assert main([*args, "--explain"]) == 16
    assert "field 'explanation' is also an output field" in capsys.readouterr().err


def test_profile_reads_an_explained_output_as_the_plain_one(root, tmp_path, capsys):
    plain, explained = tmp_path / "plain.jsonl", tmp_path / "explained.jsonl"
    assert main(["label", str(root / SAMPLE), "--out", str(plain)]) == 0
    assert main(["label", str(root / SAMPLE), "--explain", "--out", str(explained)]) == 0
    capsys.readouterr()
    profiles = []
    for output in (plain, explained):
        assert main(["profile", str(output)]) == 0
        profiles.append(capsys.readouterr().out)
    assert profiles[0] == profiles[1] and "explanation" not in profiles[1] and len(profiles[0].splitlines()) == 2


def _unit_lines(out: str) -> list[str]:
    """The `== doc_id` and unit lines of `label --format text` or `explain` output (not the explanation lines)."""
    return [line for line in out.splitlines() if line.startswith("== ") or re.match(r" *\d+  \[", line)]


def test_explain_reads_a_jsonl_stream_as_label_does_from_a_file_and_from_stdin(tmp_path, mini_model, capsys):
    stream = tmp_path / "speeches.jsonl"
    records = [{"id": "r1", "text": SPEECH, "year": 2012}, {"id": "r2", "text": OTHER}]
    stream.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert main(["label", str(stream), "--model", str(mini_model)]) == 0
    labelled = _unit_lines(capsys.readouterr().out)
    assert labelled[0] == "== r1" and len(labelled) > 6
    assert main(["explain", str(stream), "--model", str(mini_model)]) == 0
    assert _unit_lines(capsys.readouterr().out) == labelled
    piped = govspeech("explain", "-", "--model", mini_model, stdin=stream.read_text(encoding="utf-8"))
    assert piped.returncode == 0 and _unit_lines(piped.stdout) == labelled


def test_structure_reads_a_jsonl_stream_one_speech_a_record(tmp_path, mini_model, capsys):
    stream = tmp_path / "speeches.jsonl"
    records = [{"id": "r1", "text": SPEECH}, {"id": "r2", "text": OTHER}]
    stream.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert main(["structure", str(stream), "--model", str(mini_model)]) == 0
    trees = [line.split(":")[0] for line in capsys.readouterr().out.splitlines() if not line.startswith(" ")]
    assert [t for t in trees if t] == ["r1", "r2"]  # one tree a record, not the JSON lines as one speech
    assert main(["structure", str(stream), "--model", str(mini_model), "--input-format", "text"]) == 0
    assert capsys.readouterr().out.startswith(f"{stream}: ")  # read as one speech text when asked


@pytest.mark.parametrize("verb", ["explain", "structure"])
def test_a_full_or_closed_standard_output_exits_4_in_one_line(good, mini_model, verb):
    command = [sys.executable, "-m", "govspeech.cli", verb, str(good), "--model", str(mini_model)]
    with open("/dev/full", "w") as full:
        result = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == 4 and result.stderr == (
        "govspeech: cannot write standard output (No space left on device); free space or choose another output\n")
    closed = subprocess.run(command, preexec_fn=lambda: os.close(1), stderr=subprocess.PIPE, text=True, timeout=120)
    assert closed.returncode == 4 and closed.stderr == (
        "govspeech: standard output is closed; let the output go somewhere (a file, a pipe)\n")


def test_explain_says_a_unit_left_out_as_web_debris_is_debris(tmp_path, mini_model, capsys):
    page = tmp_path / "page.txt"  # written for the test: a site notice before the speech, a navigation link inside it
    page.write_text("本站声明\n同志们:\n今年以来,全县招商引资工作取得了很好的成绩。\n返回首页\n"
                    "但是有的部门重视程度还不是很高;\n要加快园区建设,力争年内建成投产。\n", encoding="utf-8")
    assert main(["label", str(page), "--model", str(mini_model), "--format", "jsonl"]) == 0
    assert [json.loads(line)["sent_id"] for line in capsys.readouterr().out.splitlines()] == [1, 2, 4, 5]
    for unit, text in ((3, "返回首页"), (0, "本站声明")):
        assert main(["explain", str(page), "--model", str(mini_model), "--unit", str(unit)]) == 2
        out, err = capsys.readouterr()
        assert out == "" and len(err.splitlines()) == 1
        assert f"--unit {unit}: web debris in {page} ('{text}'), left out as `govspeech label` leaves it out;" in err
        assert "its units are numbered 1 to 5" in err
    assert main(["explain", str(page), "--model", str(mini_model), "--unit", "6"]) == 2
    assert "--unit 6: no such unit in" in capsys.readouterr().err


def test_a_negative_number_of_contributions_is_refused_not_read_from_the_end(shipped, speech):
    unit = shipped.label(speech, explain=True)[12]
    terms = unit.explanation.terms("praise")
    assert terms.top(0) == [] and terms.rest(0) == pytest.approx(terms.contributions.sum())
    for call in (lambda: terms.top(-1), lambda: terms.rest(-1), lambda: unit.explanation.as_dict(["praise"], -2)):
        with pytest.raises(ValueError, match=r"a number of contributions, 0 or more, expected; got -\d"):
            call()


def test_a_score_just_below_its_threshold_never_reads_as_equal_to_it():
    assert score_and_threshold(0.93, 0.72) == "0.93 (threshold 0.72)"
    assert score_and_threshold(0.7189, 0.72) == "0.7189 (threshold 0.7200)"
    assert score_and_threshold(0.7225, 0.72) == "0.7225 (threshold 0.7200)"
