"""`govspeech profile` and ``predictor.profile``: counts and shares per speech or group, metadata, duplicates."""

import csv
import io
import json
import sys

import pytest
from speeches import OTHER, SPEECH

import govspeech.predictor as predictor
from govspeech.predictor._profile import group_profiles, profile_table, speech_profile

ROLES = ("goal", "measure", "criticism", "praise")
RECORDS = [
    {"id": "a", "text": SPEECH, "year": 2012, "region": "north"},
    {"id": "b", "text": OTHER, "year": 2013, "region": "north"},
    # the text of a in traditional script with other spacing: the same speech once normalised
    {"id": "c", "text": SPEECH.replace("招商引资", "招商引資").replace(",", ", "), "year": 2013, "region": "south"},
    {"id": "d", "text": OTHER + "要狠抓落实,确保各项任务按期完成。\n", "year": 2013, "region": "south"},
]


@pytest.fixture()
def stream(tmp_path):
    path = tmp_path / "speeches.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    return path


def _labelled(cli, stream):
    return [json.loads(line) for line in cli("label", stream, "--format", "jsonl")[1].splitlines()]


def test_counts_and_shares_of_each_speech_follow_its_units(cli, stream):
    code, out, _ = cli("profile", stream, "--format", "jsonl")
    table = [json.loads(line) for line in out.splitlines()]
    units = _labelled(cli, stream)
    assert code == 0 and [r["doc_id"] for r in table] == ["a", "b", "c", "d"]
    for row in table:
        mine = [u for u in units if u["doc_id"] == row["doc_id"]]
        assert row["n_units"] == len(mine)
        for role in ROLES:
            assert row[f"n_{role}"] == sum(role in u["labels"] for u in mine)
            assert row[f"share_{role}"] == pytest.approx(row[f"n_{role}"] / row["n_units"])
        at_least_one = sum(bool(u["labels"]) for u in mine)
        assert row["n_none"] + at_least_one == row["n_units"]
        assert row["share_none"] + at_least_one / row["n_units"] == pytest.approx(1.0)
        # several roles on a unit: the role counts add up to the role assignments, not to the units
        assert sum(row[f"n_{role}"] for role in ROLES) == sum(len(u["labels"]) for u in mine)
    assert any(len(u["labels"]) > 1 for u in units)  # so the shares above do not sum to 1 - share_none


def test_metadata_comes_through_and_duplicates_are_flagged_or_dropped(cli, stream):
    table = list(csv.DictReader(io.StringIO(cli("profile", stream)[1])))
    assert [(r["doc_id"], r["year"], r["region"], r["duplicate_of"]) for r in table] == [
        ("a", "2012", "north", ""), ("b", "2013", "north", ""), ("c", "2013", "south", "a"), ("d", "2013", "south", "")]
    deduped = list(csv.DictReader(io.StringIO(cli("profile", stream, "--dedupe")[1])))
    assert [r["doc_id"] for r in deduped] == ["a", "b", "d"]


def test_by_groups_pool_the_units_of_their_speeches(cli, stream):
    speeches = [json.loads(line) for line in cli("profile", stream, "--format", "jsonl")[1].splitlines()]
    code, out, _ = cli("profile", stream, "--by", "year", "region", "--format", "jsonl")
    groups = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [(g["year"], g["region"], g["n_speeches"]) for g in groups] == [
        (2012, "north", 1), (2013, "north", 1), (2013, "south", 2)]
    south = [s for s in speeches if s["region"] == "south"]
    for key in ("n_units", "n_none", *(f"n_{r}" for r in ROLES)):
        assert groups[2][key] == sum(s[key] for s in south)
    assert groups[2]["share_measure"] == pytest.approx(groups[2]["n_measure"] / groups[2]["n_units"])
    deduped = [json.loads(line) for line in cli("profile", stream, "--by", "region", "--dedupe",
                                                 "--format", "jsonl")[1].splitlines()]
    assert [g["n_speeches"] for g in deduped] == [2, 1]


def test_a_label_output_is_profiled_without_labelling_again(cli, stream, tmp_path, monkeypatch):
    labelled = tmp_path / "labels.jsonl"
    assert cli("label", stream, "--format", "jsonl", "--out", labelled)[0] == 0
    direct = cli("profile", stream)[1]

    def no_model(*args, **kwargs):
        raise AssertionError("a label output must not load the model")

    monkeypatch.setattr(predictor._labeller, "load", no_model)
    code, out, _ = cli("profile", labelled)
    assert code == 0 and out == direct


def test_a_metadata_field_named_explanation_survives_a_plain_label_output(cli, tmp_path):
    stream, labelled = tmp_path / "notes.jsonl", tmp_path / "labels.jsonl"
    records = [{"id": "a", "text": SPEECH, "explanation": "note of the archive"},
               {"id": "b", "text": OTHER, "explanation": {"praise": "a field of the user's, shaped like a dict"}}]
    stream.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert cli("label", stream, "--out", labelled)[0] == 0  # no --explain: the field is metadata
    direct = cli("profile", stream, "--format", "jsonl")[1]
    assert [json.loads(line)["explanation"] for line in direct.splitlines()] == [r["explanation"] for r in records]
    assert cli("profile", labelled, "--format", "jsonl")[1] == direct


def test_a_clashing_field_fails_its_speech_and_parquet_needs_out(cli, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "x", "text": SPEECH, "n_units": 3}) + "\n"
                   + json.dumps({"id": "y", "text": OTHER}) + "\n", encoding="utf-8")
    code, out, err = cli("profile", bad)
    assert code == 5 and "bad.jsonl:1: field 'n_units' is also an output field" in err
    assert [r["doc_id"] for r in csv.DictReader(io.StringIO(out))] == ["y"]
    code, _, err = cli("profile", bad, "--format", "parquet")
    assert code == 2 and "--format parquet needs --out" in err


def test_parquet_table(cli, stream, tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    out = tmp_path / "p.parquet"
    assert cli("profile", stream, "--format", "parquet", "--out", out)[0] == 0
    frame = pd.read_parquet(out)
    assert frame["doc_id"].tolist() == ["a", "b", "c", "d"] and frame["year"].tolist() == [2012, 2013, 2013, 2013]


def test_python_profile_is_a_dataframe_with_pandas_else_rows(mini_model, stream, monkeypatch):
    pd = pytest.importorskip("pandas")
    frame = predictor.profile(stream, model=str(mini_model), by=["year"])
    assert isinstance(frame, pd.DataFrame) and frame["n_speeches"].tolist() == [1, 3]
    monkeypatch.setitem(__import__("sys").modules, "pandas", None)  # as if pandas were not installed
    rows = predictor.profile(stream, model=str(mini_model), by=["year"])
    assert isinstance(rows, list) and [r["n_speeches"] for r in rows] == [1, 3]


def test_a_speech_of_no_unit_has_no_shares():
    profile = speech_profile("empty", [], ROLES, {"year": 1})
    row = profile_table([profile], ["k"], ROLES)[0]
    assert row["n_units"] == 0 and row["share_goal"] is None and row["share_none"] is None and row["year"] == 1
    assert group_profiles([row], ROLES, ["year"])[0]["share_none"] is None


def test_jobs_give_the_same_profile(cli, stream):
    assert cli("profile", stream, "-j", "2")[1] == cli("profile", stream)[1]


def test_by_a_field_no_speech_has_is_a_usage_error(cli, stream):
    code, out, err = cli("profile", stream, "--by", "speaker")
    assert code == 2 and out == "" and "--by speaker: no speech has this field; fields found: region, year" in err


def test_parquet_without_pyarrow_is_one_clear_line(cli, stream, tmp_path, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "pyarrow", None)  # as if pyarrow were not installed
    code, _, err = cli("profile", stream, "--format", "parquet", "--out", tmp_path / "p.parquet")
    assert code == 2 and "--format parquet needs pandas and pyarrow (pyarrow is not installed)" in err
    assert not (tmp_path / "p.parquet").exists()


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_a_table_that_cannot_be_written_is_one_line_naming_the_file(cli, stream, tmp_path, monkeypatch, fmt):
    import errno

    import govspeech.atomic

    if fmt == "parquet":
        pytest.importorskip("pandas")
        pytest.importorskip("pyarrow")

    def full_disk(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(govspeech.atomic.os, "replace", full_disk)
    out = tmp_path / f"shares.{fmt}"
    code, _, err = cli("profile", stream, "--out", out)
    assert code == 4 and err.splitlines()[-1].startswith(f"govspeech: cannot write {out} (No space left on device);")
    assert err.count("cannot write") == 1 and list(tmp_path.iterdir()) == [stream]  # no temp file left


def test_a_full_standard_output_names_it_not_none(cli, stream, monkeypatch):
    with open("/dev/full", "w") as full:
        monkeypatch.setattr(sys, "stdout", full)
        code, _, err = cli("profile", stream)
    assert code == 4 and err.splitlines()[-1] == ("govspeech: cannot write standard output (No space left on device); "
                                                  "free space or choose another output"), err


def test_out_naming_a_folder_or_an_input_is_refused_before_any_work(cli, stream, tmp_path, monkeypatch):
    import govspeech.cli

    def no_work(*args, **kwargs):
        raise AssertionError("profiled before --out was checked")

    monkeypatch.setattr(govspeech.cli, "profile_inputs", no_work)
    folder = tmp_path / "results"
    folder.mkdir()
    code, out, err = cli("profile", stream, "--out", folder)
    assert (code, out) == (4, "") and err == (f"govspeech: --out {folder}: is a folder; name a file to write, "
                                              f"e.g. {folder / 'shares.csv'}\n")
    assert list(folder.iterdir()) == []
    code, _, err = cli("profile", stream, "--out", stream, "--format", "csv")
    assert code == 4 and "writing it would destroy the input" in err
