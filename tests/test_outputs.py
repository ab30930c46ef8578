"""What `label` writes: one row per unit in every format, JSONL metadata on each unit, CSV for its users."""

import csv
import io
import json

import pytest
from speeches import OTHER, SPEECH

import govspeech.predictor as predictor
from govspeech.predictor._output import table_columns, table_row

ROLES = ("goal", "measure", "criticism", "praise")


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture()
def stream(tmp_path):
    return _jsonl(tmp_path / "s.jsonl", [
        {"id": "a", "text": SPEECH, "year": 2012, "province": "天津", "tags": ["园区", "招商"]},
        {"id": "b", "text": OTHER, "year": 2013},
    ])


def _csv(text):
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_every_format_is_a_view_of_the_same_row(run, stream):
    rows = [json.loads(line) for line in run(stream, "--format", "jsonl")[1].splitlines()]
    table = _csv(run(stream, "--format", "csv")[1])
    text = run(stream, "--format", "text")[1]
    assert len(rows) == len(table) == 8
    for row, line in zip(rows, table):
        assert list(line.values()) == [str(v) for v in table_row(row, ROLES, ("year", "province", "tags"))]
        assert line["labels"] == ";".join(row["labels"])
        for role in ROLES:  # one 0/1 and one score column per role, agreeing with labels and scores
            assert line[role] == str(int(role in row["labels"])) and float(line[f"score_{role}"]) == row["scores"][role]
        tag = ",".join(row["labels"]) or "-"
        assert f"{row['sent_id']:4d}  [{tag}]  {row['text']}" in text


def test_jsonl_metadata_is_on_every_unit_of_its_speech(run, stream):
    rows = [json.loads(line) for line in run(stream, "--format", "jsonl")[1].splitlines()]
    a = [r for r in rows if r["doc_id"] == "a"]
    b = [r for r in rows if r["doc_id"] == "b"]
    assert a and b and all(r["year"] == 2012 and r["province"] == "天津" and r["tags"] == ["园区", "招商"] for r in a)
    assert all(r["year"] == 2013 and "province" not in r for r in b)
    assert all("id" not in r for r in rows)  # the id is the doc_id


def test_csv_columns_then_metadata_missing_fields_empty(run, stream):
    code, out, _ = run(stream, "--format", "csv")
    header = out.splitlines()[0].split(",")
    assert code == 0 and header == [*table_columns(ROLES), "year", "province", "tags"]
    assert header[:4] == ["doc_id", "sent_id", "text", "labels"] and header[4:8] == list(ROLES)
    table = _csv(out)
    assert {r["province"] for r in table if r["doc_id"] == "b"} == {""}
    assert json.loads(table[0]["tags"]) == ["园区", "招商"]  # a list as JSON in its cell


@pytest.mark.parametrize("field", ["doc_id", "sent_id", "labels", "scores", "goal", "score_praise"])
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_field_named_as_an_output_field_fails_its_record_only(run, tmp_path, field, fmt):
    stream = _jsonl(tmp_path / "s.jsonl", [{"id": "ok", "text": SPEECH}, {"id": "bad", "text": OTHER, field: "x"}])
    code, out, err = run(stream, "--format", fmt)
    assert code == 5, err
    assert f"s.jsonl:2: field '{field}' is also an output field" in err
    assert "bad" not in out and out.count("ok") == 4  # the good record whole, the bad one not at all


def test_csv_refuses_a_field_the_first_record_did_not_have(run, tmp_path):
    stream = _jsonl(tmp_path / "s.jsonl", [{"id": "a", "text": SPEECH, "year": 1}, {"id": "b", "text": OTHER,
                                                                                   "speaker": "x"}])
    code, out, err = run(stream, "--format", "csv")
    assert code == 5 and "s.jsonl:2: field 'speaker' is not among the CSV metadata columns (year)" in err
    code, out, _ = run(stream, "--format", "jsonl")  # JSONL has no fixed columns
    assert code == 0 and '"speaker": "x"' in out


def test_excel_csv_starts_with_a_bom_and_resume_keeps_one_header(run, tmp_path, stream):
    out = tmp_path / "out.csv"
    assert run(stream, "--format", "csv", "--excel", "--out", out)[0] == 0
    first = out.read_bytes()
    assert first.startswith(b"\xef\xbb\xbfdoc_id,sent_id")
    more = _jsonl(tmp_path / "more.jsonl", [{"id": "c", "text": OTHER, "year": 2014}])
    code, _, err = run(stream, more, "--format", "csv", "--excel", "--out", out, "--resume")
    data = out.read_bytes()
    assert code == 0 and "1 ok, 0 failed, 2 already labelled" in err and data.startswith(first)
    assert data.count(b"doc_id,sent_id") == 1 and data.count(b"\xef\xbb\xbf") == 1
    assert {r["year"] for r in _csv(data.decode("utf-8")) if r["doc_id"] == "c"} == {"2014"}
    code, _, err = run(stream, _jsonl(tmp_path / "new.jsonl", [{"id": "d", "text": OTHER, "extra": 1}]),
                       "--format", "csv", "--out", out, "--resume")  # the kept header fixes the columns
    # 5, as the same inputs in one uninterrupted run: the kept ones are labelled, the new one failed
    assert code == 5 and "field 'extra' is not among the CSV metadata columns (year, province, tags)" in err


def test_the_python_row_builder(mini_model):
    labeller = predictor.load(mini_model)
    unit = labeller.label(SPEECH)[1]
    row = predictor.unit_row("d", unit, {"year": 2012})
    assert list(row) == ["doc_id", "sent_id", "text", "labels", "scores", "year"]
    assert row["labels"] == list(unit.roles) and row["scores"] == unit.scores and row["year"] == 2012


@pytest.mark.parametrize("fmt", ["csv", "html"])
def test_jobs_write_the_same_bytes_with_metadata(run, tmp_path, stream, fmt):
    outs = [tmp_path / f"{jobs}.{fmt}" for jobs in ("1", "2")]
    for jobs, out in zip(("1", "2"), outs):
        assert run(stream, "--format", fmt, "-j", jobs, "--out", out)[0] == 0
    assert outs[0].read_bytes() == outs[1].read_bytes() and b"2013" in outs[0].read_bytes()


def test_html_resume_is_a_usage_error(run, tmp_path, stream):
    code, _, err = run(stream, "--format", "html", "--out", tmp_path / "r.html", "--resume")
    assert code == 2 and "--resume works for text, jsonl and csv" in err


def test_csv_resume_after_a_cut_inside_a_multi_line_cell(run, tmp_path):
    stream = _jsonl(tmp_path / "s.jsonl", [{"id": f"r{i}", "text": SPEECH if i % 2 else OTHER,
                                            "note": f"第{i}行\n第二行,\"引号\""} for i in range(3)])
    whole = tmp_path / "whole.csv"
    assert run(stream, "--format", "csv", "--out", whole)[0] == 0
    data = whole.read_bytes()
    assert data.count(b"\n") > 1 + 12  # records span lines
    out = tmp_path / "out.csv"
    for cut in (data.index("第1行\n".encode()) + len("第1行\n".encode()), data.index(b"r2,")):
        out.with_name("out.csv.partial").write_bytes(data[:cut])  # killed inside a cell / between inputs
        # its journal, as the killed run left it: entries past the cut are not trusted (predictor._resume)
        out.with_name("out.csv.resume.jsonl").write_bytes(whole.with_name("whole.csv.resume.jsonl").read_bytes())
        code, _, err = run(stream, "--format", "csv", "--out", out, "--resume")
        assert code == 0 and out.read_bytes() == data, err
        assert [r["note"] for r in _csv(data.decode())][::4] == ["第0行\n第二行,\"引号\"", "第1行\n第二行,\"引号\"",
                                                                  "第2行\n第二行,\"引号\""]
