"""The CLI verbs end to end, as a user runs them (a subprocess each)."""

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from speeches import SPEECH, govspeech


def test_train_writes_model_and_meta(tmp_path, fixtures):
    out = tmp_path / "model"
    result = govspeech("train", "--config", fixtures / "mini.toml", "--corpus", fixtures / "mini_corpus.jsonl",
                       "--out", out)
    assert result.returncode == 0, result.stderr
    assert "test:       macro-F1" in result.stdout and "grouped_cv: macro-F1" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["arrays.npz", "model.json"]
    meta = json.loads((out / "model.json").read_text())
    assert set(meta["scores"]) == {"grouped_cv", "dev", "test"}
    assert meta["training"]["config"]["model"]["C"] == 1.0
    assert len(meta["training"]["corpus_sha256"]) == 64 and len(meta["files"]["arrays"]["sha256"]) == 64


def test_evaluate_prints_report_with_baselines_and_writes_exact_json(tmp_path, fixtures, mini_model):
    out = tmp_path / "scores.json"
    result = govspeech("evaluate", "--data", fixtures / "mini_corpus.jsonl", "--model", mini_model, "--json", out,
                       "--split", "all")
    assert result.returncode == 0, result.stderr
    for system in ("model", "majority", "keywords"):
        assert system in result.stdout
    scores = json.loads(out.read_text())
    assert set(scores) == {"n_units", "per_role", "macro_f1", "micro_f1", "per_speech_share_mae"}
    debris = sum(json.loads(line).get("debris", False) for line in open(fixtures / "mini_corpus.jsonl"))
    assert scores["n_units"] == 302 - debris  # debris is not speech: not scored
    assert set(scores["per_speech_share_mae"]) == {"goal", "measure", "criticism", "praise"}
    assert set(scores["per_role"]) == {"goal", "measure", "criticism", "praise"}
    assert all(set(v) == {"precision", "recall", "f1", "support"} for v in scores["per_role"].values())


def test_label_text_output(speech_file, mini_model):
    result = govspeech("label", speech_file, "--model", mini_model)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"== {speech_file}"
    assert len([line for line in lines if line.strip().startswith(("0", "1", "2", "3"))]) == 4


def test_label_jsonl_and_csv_carry_every_unit(speech_file, mini_model):
    rows = [json.loads(line) for line in govspeech("label", speech_file, "--model", mini_model,
                                                   "--format", "jsonl").stdout.splitlines()]
    assert [r["sent_id"] for r in rows] == [0, 1, 2, 3]
    assert rows[1]["text"] == "今年以来,全县招商引资工作取得了很好的成绩。"
    assert all(set(r) == {"doc_id", "sent_id", "text", "labels", "scores"} for r in rows)
    assert all(set(r["scores"]) == {"goal", "measure", "criticism", "praise"} for r in rows)
    table = list(csv.DictReader(io.StringIO(govspeech("label", speech_file, "--model", mini_model,
                                                      "--format", "csv").stdout)))
    assert [r["text"] for r in table] == [r["text"] for r in rows]


def test_label_reads_stdin(mini_model):
    result = govspeech("label", "-", "--model", mini_model, "--format", "jsonl", stdin=SPEECH)
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 4


def test_a_bad_file_fails_alone(speech_file, tmp_path, mini_model):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "out.jsonl"
    result = govspeech("label", empty, tmp_path / "missing.txt", speech_file, "--model", mini_model,
                       "--format", "jsonl", "--out", out)
    assert result.returncode == 5
    assert f"{empty}: empty file" in result.stderr
    assert "missing.txt: no such file" in result.stderr
    assert "1 ok, 2 failed" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(out.read_text().splitlines()) == 4


def test_a_page_of_several_speeches_gets_one_doc_id_each(tmp_path, mini_model):
    page = tmp_path / "page.txt"
    page.write_text("篇1:讲话\n同志们:\n要加快。\n篇2:讲话\n同志们:\n要加强。\n", encoding="utf-8")
    rows = [json.loads(x) for x in govspeech("label", page, "--model", mini_model, "--format", "jsonl").stdout.splitlines()]
    assert sorted({r["doc_id"] for r in rows}) == [f"{page}#1", f"{page}#2"]


def test_unusable_model_exits_3_with_one_line(speech_file, tmp_path):
    result = govspeech("label", speech_file, "--model", tmp_path / "nope")
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1 and "no such model directory" in result.stderr


def test_usage_error_exits_2():
    assert govspeech("label").returncode == 2


def test_a_config_override_takes_a_plain_text_value(fixtures):
    result = govspeech("cv", "--config", fixtures / "mini.toml", "--corpus", fixtures / "mini_corpus.jsonl",
                       "--set", "model.class_weight=none")
    assert result.returncode == 0, result.stderr


def test_a_corpus_too_small_for_its_folds_is_one_clear_line(tmp_path, fixtures):
    config = tmp_path / "c.toml"
    config.write_text((fixtures / "mini.toml").read_text().replace("cv_folds = 2", "cv_folds = 9"))
    result = govspeech("train", "--config", config, "--corpus", fixtures / "mini_corpus.jsonl")
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr and "use fewer folds" in result.stderr


def test_a_fold_without_some_role_is_refused_clearly(fixtures):
    from govspeech.trainer import CorpusError, RoleModel, load_corpus
    from govspeech.trainer._cv import out_of_fold_proba

    units = load_corpus(fixtures / "mini_corpus.jsonl")
    only_goal_doc = {u.doc_id for u in units if "goal" in u.labels}.pop()
    units = [u for u in units if "goal" not in u.labels or u.doc_id == only_goal_doc]
    with pytest.raises(CorpusError, match="no goal units to train on"):
        out_of_fold_proba(RoleModel, units, 2)


def test_an_output_that_cannot_be_written_exits_4_in_one_line(tmp_path, fixtures, mini_model, good):
    folder = tmp_path / "taken.jsonl"  # an extension export-units writes
    folder.mkdir()  # the output named is a folder: written through a temp file, the rename fails
    for args in (["evaluate", "--data", fixtures / "mini_corpus.jsonl", "--model", mini_model, "--split", "all",
                  "--json", folder],
                 ["export-units", good, "--model", mini_model, "--out", folder]):
        result = govspeech(*args)
        assert result.returncode == 4 and "Traceback" not in result.stderr, result.stderr
        assert result.stderr.splitlines()[-1].startswith(f"govspeech: cannot write {folder} (Is a directory);")
    assert [p.name for p in tmp_path.iterdir() if p.name != good.name] == ["taken.jsonl"]  # no temp file left
    assert list(folder.iterdir()) == []


def _stdout_verbs(root, fixtures, mini_model, good):
    """Verbs whose output is standard output, each with arguments that succeed."""
    corpus = fixtures / "mini_corpus.jsonl"
    return {
        "profile": ["profile", good, "--model", mini_model],
        "debris": ["debris", "--data", corpus],
        "agreement": ["agreement", "--first", root / "data/annotation/pass_a.jsonl",
                      "--second", root / "data/annotation/pass_b.jsonl"],
        "evaluate": ["evaluate", "--data", corpus, "--model", mini_model, "--split", "all"],
        "init-config": ["init-config"],
    }


@pytest.mark.parametrize("verb", ["profile", "debris", "agreement", "evaluate", "init-config"])
def test_a_full_or_closed_standard_output_exits_4_in_one_line_for_every_verb(root, fixtures, mini_model, good, verb):
    command = [sys.executable, "-m", "govspeech.cli", *map(str, _stdout_verbs(root, fixtures, mini_model, good)[verb])]
    with open("/dev/full", "w") as full:
        result = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
    last = result.stderr.splitlines()[-1] if result.stderr else ""
    assert result.returncode == 4 and "Traceback" not in result.stderr, result.stderr
    assert last == "govspeech: cannot write standard output (No space left on device); free space or choose another output"
    closed = subprocess.run(command, preexec_fn=lambda: os.close(1), stderr=subprocess.PIPE, text=True, timeout=300)
    assert closed.returncode == 4 and "Traceback" not in closed.stderr, closed.stderr
    assert closed.stderr.splitlines()[-1].startswith("govspeech: standard output is closed; ")


@pytest.mark.parametrize("verb", ["label", "profile", "evaluate", "export-units", "import-labels", "train"])
def test_an_output_in_a_missing_folder_is_refused_and_no_folder_is_made(fixtures, mini_model, good, tmp_path, capsys,
                                                                        monkeypatch, verb):
    import govspeech.predictor as predictor
    import govspeech.trainer._train as training
    from govspeech.cli import main

    todo = tmp_path / "todo.jsonl"  # an export-units file, for import-labels
    assert main(["export-units", str(good), "--model", str(mini_model), "--out", str(todo)]) == 0
    missing = tmp_path / "typo" / "results"
    out = missing / {"train": "model", "evaluate": "scores.json"}.get(verb, "out.jsonl")
    model, corpus = ["--model", mini_model], fixtures / "mini_corpus.jsonl"
    args = {"label": ["label", good, *model, "--out", out], "profile": ["profile", good, *model, "--out", out],
            "evaluate": ["evaluate", "--data", corpus, *model, "--split", "all", "--json", out],
            "export-units": ["export-units", good, *model, "--out", out],
            "import-labels": ["import-labels", todo, "--out", out],
            "train": ["train", "--config", fixtures / "mini.toml", "--corpus", corpus, "--out", out]}[verb]

    def no_work(*args, **kwargs):
        raise AssertionError("worked before the output's folder was checked")

    if verb in ("label", "profile", "train"):  # the long-running verbs check before any work
        monkeypatch.setattr(predictor.Labeller, "label", no_work)
        monkeypatch.setattr(training, "_load", no_work)
    capsys.readouterr()
    code = main([str(a) for a in args])
    err = capsys.readouterr().err
    assert code == 4 and "Traceback" not in err, err
    assert err.splitlines()[-1] == (f"govspeech: cannot write {out}: {missing} is not an existing folder; create it "
                                    "first, or check the path for a typo")
    assert not (tmp_path / "typo").exists()


def test_train_makes_the_model_folder_it_is_given(fixtures, tmp_path, capsys):
    from govspeech.cli import main

    out = tmp_path / "models" / "mine"
    (tmp_path / "models").mkdir()
    assert main(["train", "--config", str(fixtures / "mini.toml"), "--corpus", str(fixtures / "mini_corpus.jsonl"),
                 "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["arrays.npz", "model.json"]
