"""Adapting the model to one's own speeches, as docs/adapt.md tells it, from the installed package's data."""

from __future__ import annotations

import csv
import json
import re

import pytest

from govspeech.cli import main
from govspeech.config import ConfigError, read_training_config, resolve_data_path

SPEECH = "data/raw/000_8446d01601e08bac.txt"


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_shipped_names_resolve_to_installed_files_and_a_wrong_one_is_refused(tmp_path):
    assert resolve_data_path("shipped:synthetic/speeches.jsonl").is_file()
    assert resolve_data_path("shipped:corpus.jsonl").is_file()
    config = tmp_path / "c.toml"
    text = (resolve_data_path("shipped:corpus.jsonl").parents[1] / "configs/default.toml").read_text(encoding="utf-8")
    config.write_text(text.replace('"data/synthetic/speeches.jsonl"', '"shipped:synthetic/speechs.jsonl"'),
                      encoding="utf-8")
    with pytest.raises(ConfigError, match=r"synthetic\.files: no shipped file 'shipped:synthetic/speechs.jsonl'"):
        read_training_config(config)


def test_init_config_writes_a_valid_config_naming_the_users_corpus_and_shipped_data(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "init-config", "--corpus", "mine.jsonl")
    assert code == 0
    (tmp_path / "my.toml").write_text(out, encoding="utf-8")
    config = read_training_config(tmp_path / "my.toml")
    assert config.corpus == ("mine.jsonl", "shipped:corpus.jsonl")
    assert config.synthetic.files == ("shipped:synthetic/speeches.jsonl",)
    assert "data/" not in re.sub(r"#.*", "", out)  # no path of the repository outside comments
    code, out, _ = run(capsys, "init-config", "--without-shipped")
    (tmp_path / "alone.toml").write_text(out, encoding="utf-8")
    alone = read_training_config(tmp_path / "alone.toml")
    assert alone.corpus == ("my_corpus.jsonl",) and alone.paraphrases.files == ()


def test_export_units_writes_every_unit_with_context_and_empty_gold_columns(root, tmp_path, capsys, mini_model):
    todo = tmp_path / "todo.csv"
    code, _, _ = run(capsys, "export-units", root / SPEECH, "--out", todo, "--model", mini_model)
    assert code == 0
    assert todo.read_bytes().startswith("\ufeff".encode("utf-8"))  # Excel reads the BOM as UTF-8
    rows = _rows(todo)
    from govspeech import predictor

    units = predictor.load(mini_model).label(predictor.read_speech_file(root / SPEECH))
    assert [(int(r["sent_id"]), r["text"]) for r in rows] == [(u.sent_id, u.text) for u in units]
    assert [r["labels"] for r in rows] == [";".join(u.roles) for u in units]
    assert rows[1]["before"] == rows[0]["text"] and rows[0]["after"] == rows[1]["text"]
    assert all(r[f"gold_{role}"] == "" for r in rows for role in ("goal", "measure", "criticism", "praise"))
    assert any(r["heading"] for r in rows)
    run(capsys, "export-units", root / SPEECH, "--out", tmp_path / "u.jsonl", "--order", "uncertain",
        "--model", mini_model)
    margins = [json.loads(line)["margin"] for line in (tmp_path / "u.jsonl").read_text(encoding="utf-8").splitlines()]
    assert margins == sorted(margins) and len(margins) == len(rows)


@pytest.mark.parametrize("name", ["todo.xlsx", "todo", "todo.tsv"])
def test_export_units_refuses_an_out_it_would_not_write_as_named(root, tmp_path, capsys, mini_model, name):
    out = tmp_path / name
    code, stdout, err = run(capsys, "export-units", root / SPEECH, "--out", out, "--model", "no such model")
    assert (code, stdout) == (2, "") and err == (f"govspeech: --out {out}: export-units writes a .csv (UTF-8 with BOM, "
                                                 "opens in Excel) or .jsonl file; give --out with one of those "
                                                 "extensions, e.g. todo.csv\n")
    assert not out.exists()
    assert run(capsys, "export-units", root / SPEECH, "--out", tmp_path / "TODO.CSV", "--model", mini_model)[0] == 0


def test_import_labels_reports_every_bad_row_on_one_line_and_writes_nothing(root, tmp_path, capsys, mini_model):
    todo = tmp_path / "todo.csv"
    run(capsys, "export-units", root / SPEECH, "--out", todo, "--model", mini_model)
    rows = _rows(todo)
    rows[0]["gold_praise"] = "yes"
    rows[1]["sent_id"] = rows[2]["sent_id"]  # not the text of that sent_id in the speech
    rows[3]["text"] = "一句。两句。"
    rows[4]["labels"] = "target"
    _write(todo, rows)
    code, _, err = run(capsys, "import-labels", todo, "--out", tmp_path / "mine.jsonl")
    assert code == 3 and not (tmp_path / "mine.jsonl").exists()
    lines = [line for line in err.splitlines() if "todo.csv:" in line]
    assert [line.split("todo.csv:")[1].split(":")[0] for line in lines] == ["2", "3", "5", "6"]
    assert "4 bad row(s)" in err


def test_import_labels_assigns_whole_speeches_to_splits_deterministically(tmp_path):
    from govspeech._import_labels import assign_splits

    docs = [f"speech{i}" for i in range(20)]
    first = assign_splits(docs, seed=7, dev=0.15, test=0.15)
    assert first == assign_splits(list(reversed(docs)), seed=7, dev=0.15, test=0.15)
    assert sorted(first.values()).count("test") == 3 and sorted(first.values()).count("dev") == 3
    assert first != assign_splits(docs, seed=8, dev=0.15, test=0.15)


def test_the_adaptation_loop_runs_end_to_end(root, fixtures, tmp_path, capsys, monkeypatch, mini_model):
    """export -> correct -> import -> train on the user's units with other ones -> label with the new model."""
    monkeypatch.chdir(tmp_path)
    speech = tmp_path / "speech.txt"
    speech.write_bytes((root / SPEECH).read_bytes())
    assert run(capsys, "export-units", "speech.txt", "--out", "todo.csv", "--model", mini_model)[0] == 0
    rows = _rows("todo.csv")
    rows[0]["gold_goal"], rows[0]["gold_measure"] = "1", "0"
    _write("todo.csv", rows)
    code, _, err = run(capsys, "import-labels", "todo.csv", "--out", "my_corpus.jsonl")
    assert code == 0, err
    mine = [json.loads(line) for line in (tmp_path / "my_corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    assert mine[0]["labels"][0] == "goal" and "measure" not in mine[0]["labels"]
    assert {r["split"] for r in mine} == {"train"}  # one speech: it is trained on, whole
    code, config, _ = run(capsys, "init-config", "--without-shipped")
    (tmp_path / "my.toml").write_text(config, encoding="utf-8")
    small = [f"--set={s}" for s in (  # the user's config, made small so that this test takes seconds
        f"corpus={json.dumps(['my_corpus.jsonl', str(fixtures / 'mini_corpus.jsonl')])}", "synthetic.files=[]",
        "stacking.enabled=false", "features.word_ngram_range=[1,1]", "features.char_ngram_range=[1,2]", "thresholds.cv_folds=2")]
    code, out, err = run(capsys, "train", "--config", "my.toml", "--out", "mymodel", *small)
    assert code == 0, err
    meta = json.loads((tmp_path / "mymodel/model.json").read_text(encoding="utf-8"))
    assert "my_corpus.jsonl" in meta["training"]["corpora_sha256"]
    code, out, _ = run(capsys, "label", "speech.txt", "--model", "mymodel", "--format", "jsonl")
    assert code == 0 and [json.loads(line)["sent_id"] for line in out.splitlines()] == [int(r["sent_id"]) for r in rows]


# ---- evaluate cannot fool ----

def _corpus(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_evaluate_scores_the_test_split_by_default_and_says_what_it_skipped(fixtures, tmp_path, cli):
    records = _corpus(fixtures / "mini_corpus.jsonl")
    test = [r for r in records if r["split"] == "test" and not r.get("debris")]
    code, _, err = cli("evaluate", "--data", fixtures / "mini_corpus.jsonl", "--json", tmp_path / "s.json")
    assert code == 0
    assert json.loads((tmp_path / "s.json").read_text())["n_units"] == len(test)
    assert f"scored {len(test)} units (split test)" in err
    assert f"{len(records) - sum(r['split'] == 'test' for r in records)} units of other splits skipped" in err
    assert "warning" not in err  # the test split was never trained on


def test_evaluate_warns_when_the_scored_units_were_trained_on(fixtures, cli):
    code, _, err = cli("evaluate", "--data", fixtures / "mini_corpus.jsonl", "--split", "all")
    assert code == 0 and "is the corpus this model was trained on" in err
    code, _, err = cli("evaluate", "--data", fixtures / "mini_corpus.jsonl", "--split", "train")
    assert "warning" in err


def test_evaluate_warns_on_training_texts_in_another_file(fixtures, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    records = [r for r in _corpus(fixtures / "mini_corpus.jsonl")]
    copied = [{**r, "split": "test"} for r in records if r["split"] == "train"]  # training speeches, relabelled test
    (tmp_path / "copy.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in copied),
                                         encoding="utf-8")
    assert run(capsys, "train", "--config", fixtures / "mini.toml", "--corpus", fixtures / "mini_corpus.jsonl",
               "--out", "m")[0] == 0
    code, _, err = run(capsys, "evaluate", "--data", "copy.jsonl", "--model", "m")
    assert code == 0 and re.search(r"warning: \d+ of \d+ scored units have the exact text of a unit the model", err)


def test_evaluate_scores_a_unit_the_cleaner_drops_as_unlabelled(fixtures, tmp_path, cli):
    records = _corpus(fixtures / "mini_corpus.jsonl")
    for r in records:
        r["split"] = "test"
        if r.get("debris"):  # called speech with a role here: label drops it, so it is a missed role
            r["debris"], r["labels"] = False, ["praise"]
    data = tmp_path / "d.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    code, _, err = cli("evaluate", "--data", data)
    dropped = int(re.search(r"(\d+) unit\(s\) the cleaner removes as debris count as labelled with no role", err)[1])
    assert code == 0 and dropped > 0


def test_evaluate_explains_an_all_zero_majority_baseline_and_only_then(root, fixtures, capsys, cli):
    code, out, err = run(capsys, "evaluate", "--data", root / "data/corpus.jsonl")  # the shipped model
    assert code == 0 and "majority     macro-F1                  0.000" in out
    assert "the majority baseline predicts no role for any unit" in err
    code, out, err = cli("evaluate", "--data", fixtures / "mini_corpus.jsonl")  # measure is on most of its units
    assert "majority     macro-F1                  0.000" not in out
    assert "predicts no role for any unit" not in err


# ---- no silent wrong output ----

def _label(args, stdin=b""):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "govspeech.cli", "label", *map(str, args)], input=stdin,
                          capture_output=True, check=False)


def test_jsonl_on_standard_input_is_read_as_records(mini_model):
    stream = '{"id": "a", "text": "同志们:\\n要加快园区建设。"}\n{"id": "b", "text": "要抓好招商引资。"}\n'
    result = _label(["-", "--format", "jsonl", "--model", mini_model], stream.encode("utf-8"))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert [(r["doc_id"], r["text"]) for r in rows] == [("a", "同志们:"), ("a", "要加快园区建设。"), ("b", "要抓好招商引资。")]


def test_standard_input_that_is_half_jsonl_is_refused_with_a_hint(mini_model):
    stream = '{"id": "a", "text": "同志们:"}\n同志们:要加快园区建设。\n'
    result = _label(["-", "--model", mini_model], stream.encode("utf-8"))
    assert result.returncode == 2 and result.stdout == b""
    assert b"pass --input-format jsonl" in result.stderr
    plain = _label(["-", "--format", "jsonl", "--model", mini_model], "同志们:\n要加快园区建设。\n".encode())
    assert plain.returncode == 0 and json.loads(plain.stdout.splitlines()[0])["doc_id"] == "stdin"


@pytest.mark.parametrize(("suffix", "starts"), [(".csv", "doc_id,sent_id"), (".jsonl", '{"doc_id"'),
                                                (".html", "<!DOCTYPE html>"), (".txt", "== ")])
def test_the_output_format_follows_the_out_extension(root, tmp_path, cli, suffix, starts):
    out = tmp_path / f"labels{suffix}"
    code, _, err = cli("label", root / SPEECH, "--out", out)
    assert code == 0, err
    assert out.read_text(encoding="utf-8").lstrip("\ufeff").startswith(starts)


def test_resume_refuses_another_model(root, tmp_path, capsys, mini_model):
    out = tmp_path / "labels.jsonl"
    assert run(capsys, "label", root / SPEECH, "--out", out, "--model", mini_model)[0] == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    code, _, err = run(capsys, "label", root / SPEECH, root / "data/raw/001_9f8900bff870adf4.txt", "--out", out,
                       "--resume")  # the shipped model, not the one the output was labelled with
    assert code == 4 and "labelled by the model whose model.json has sha256" in err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # refused: nothing left behind
    code, _, err = run(capsys, "label", root / SPEECH, root / "data/raw/001_9f8900bff870adf4.txt", "--out", out,
                       "--resume", "--model", mini_model)
    assert code == 0, err


def test_resume_refuses_to_mix_rows_with_and_without_explanations(root, tmp_path, capsys, mini_model):
    out = tmp_path / "labels.jsonl"
    second = root / "data/raw/001_9f8900bff870adf4.txt"
    assert run(capsys, "label", root / SPEECH, "--out", out, "--model", mini_model, "--explain")[0] == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    code, _, err = run(capsys, "label", root / SPEECH, second, "--out", out, "--resume", "--model", mini_model)
    assert code == 4 and "written with --explain; resume with --explain" in err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # refused: no copy left to resume from
    code, _, err = run(capsys, "label", root / SPEECH, second, "--out", out, "--resume", "--model", mini_model,
                       "--explain")
    assert code == 0, err
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {row["doc_id"] for row in rows} == {str(root / SPEECH), str(second)}
    assert all("explanation" in row for row in rows)


def test_partial_failure_nothing_labelled_and_complete_have_distinct_codes_and_the_failures_are_named(
        root, tmp_path, cli):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, _, err = cli("label", root / SPEECH, tmp_path / "gone.txt", empty)
    assert code == 5 and "1 ok, 2 failed" in err and f"({tmp_path / 'gone.txt'}, {empty})" in err
    assert cli("label", tmp_path / "gone.txt")[0] == 10  # nothing labelled, one reason
    assert cli("label", tmp_path / "gone.txt", empty)[0] == 1  # nothing labelled, several reasons
    assert cli("label", root / SPEECH)[0] == 0


# ---- progress on long work ----

def test_train_reports_stages_and_folds_with_verbose_and_nothing_otherwise(fixtures, tmp_path, capsys):
    args = ["train", "--config", fixtures / "mini.toml", "--corpus", fixtures / "mini_corpus.jsonl",
            "--set", "thresholds.source=grouped_cv"]
    code, _, err = run(capsys, *args, "--verbose")
    assert code == 0
    stages = [line for line in err.splitlines() if re.match(r"govspeech: \[ *\d+\.\d s\] ", line)]
    assert any(line.endswith("grouped CV: fold 2 of 2") for line in stages)
    assert stages[-1].endswith("exporting, checking the arrays and scoring the test split")
    code, _, err = run(capsys, *args)  # standard error is not a terminal here
    assert code == 0 and err == ""
    code, _, err = run(capsys, "cv", "--config", fixtures / "mini.toml", "--corpus", fixtures / "mini_corpus.jsonl",
                       "--verbose")
    assert code == 0 and "grouped CV: fold 1 of 2" in err
