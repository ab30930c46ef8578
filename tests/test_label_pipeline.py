"""One `label` pipeline: the bad-input guarantees (rollback, exit codes, --resume, streaming, encodings)
hold for folders, JSONL streams and --jobs alike."""

import codecs
import dataclasses
import json

import pytest
from speeches import OTHER, SPEECH, govspeech

import govspeech.predictor as predictor


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_jobs_keep_rollback_exit_codes_and_the_summary(tmp_path, mini_model, fmt):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.txt").write_text(SPEECH, encoding="utf-8")
    (folder / "b.txt").write_bytes(OTHER.encode("gb18030"))
    (folder / "empty.txt").write_bytes(b"")
    stream = _jsonl(tmp_path / "s.jsonl", [{"id": "r1", "text": OTHER}, {"id": "r2", "text": " "}])
    inputs = [tmp_path / "missing.txt", folder, stream]
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.{fmt}"
        runs[jobs] = govspeech("label", *inputs, "--model", mini_model, "--format", fmt, "-j", jobs, "--out", out)
        assert runs[jobs].returncode == 5, runs[jobs].stderr  # some labelled, some failed
        assert runs[jobs].stderr.splitlines()[-1].startswith("govspeech: 3 ok, 3 failed (")
        assert not out.with_name(out.name + ".partial").exists()
    assert runs["1"].stderr == runs["2"].stderr
    one, two = ((tmp_path / f"out{j}.{fmt}").read_text(encoding="utf-8") for j in ("1", "2"))
    assert one == two
    if fmt == "csv":  # the header once, though the first input failed
        assert one.count("doc_id,sent_id") == 1 and one.startswith("doc_id,sent_id")
    else:
        ids = list(dict.fromkeys(json.loads(line)["doc_id"] for line in one.splitlines()))
        assert ids == [str(folder / "a.txt"), str(folder / "b.txt"), "r1"]


def test_jsonl_records_are_read_as_files_are(run, tmp_path):
    text_file = tmp_path / "one.txt"
    text_file.write_text(SPEECH, encoding="utf-8")
    stream = tmp_path / "s.jsonl"
    with stream.open("wb") as handle:
        handle.write(json.dumps({"id": "good", "text": SPEECH}, ensure_ascii=False).encode() + b"\n")
        handle.write(b'{"id": "latin", "text": "\xe9t\xe9"}\n')  # not UTF-8
        handle.write(json.dumps({"id": "big", "text": SPEECH * 50}, ensure_ascii=False).encode() + b"\n")
    code, out, err = run(stream, "--format", "jsonl", "--max-file-mb", "0.005")
    assert code == 5 and "s.jsonl:2: not UTF-8" in err and "s.jsonl:3: a record over the" in err
    alone = run(text_file, "--format", "jsonl")[1].replace(json.dumps(str(text_file)), '"good"')
    assert out == alone
    code, _, err = run(stream, "--format", "jsonl", "--max-file-mb", "0.005", "--input-format", "text")
    assert code == 14  # read as one text file, the stream is over the limit


def test_a_huge_speech_in_a_record_is_chunked_like_a_file(run, tmp_path, monkeypatch):
    import govspeech.predictor._inputs as inputs

    shipped = inputs.limits()
    small = dataclasses.replace(shipped, speech=dataclasses.replace(shipped.speech, max_chars=200))
    monkeypatch.setattr(inputs, "limits", lambda: small)
    text = "同志们:\n" + "".join(f"要加快第{i}个园区建设。\n" for i in range(60))
    (tmp_path / "huge.txt").write_text(text, encoding="utf-8")
    _jsonl(tmp_path / "huge.jsonl", [{"id": "huge", "text": text}])
    rows = {}
    for name in ("huge.txt", "huge.jsonl"):
        code, out, _ = run(tmp_path / name, "--format", "jsonl")
        assert code == 0
        rows[name] = [(r["sent_id"], r["text"], r["labels"]) for r in map(json.loads, out.splitlines())]
    assert rows["huge.txt"] == rows["huge.jsonl"] and [r[0] for r in rows["huge.txt"]] == list(range(61))


def test_an_interrupted_jsonl_stream_resumes_record_by_record(run, tmp_path, monkeypatch):
    stream = _jsonl(tmp_path / "s.jsonl", [{"id": f"r{i}", "text": SPEECH if i % 2 else OTHER} for i in range(5)])
    whole, out = tmp_path / "whole.jsonl", tmp_path / "out.jsonl"
    assert run(stream, "--format", "jsonl", "--out", whole)[0] == 0
    calls, real = {"n": 0}, predictor.Labeller.label

    def label_then_interrupt(self, text, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return real(self, text, **kwargs)

    monkeypatch.setattr(predictor.Labeller, "label", label_then_interrupt)
    code, _, err = run(stream, "--format", "jsonl", "--out", out)
    assert code == 130 and "after 3 input(s)" in err and "--resume" in err and not out.exists()
    monkeypatch.setattr(predictor.Labeller, "label", real)
    code, _, err = run(stream, "--format", "jsonl", "--out", out, "--resume")
    # the journal names exactly the inputs committed: none is labelled twice
    assert code == 0 and out.read_bytes() == whole.read_bytes() and "2 ok, 0 failed, 3 already labelled" in err


def test_verbose_reports_encodings_with_jobs(tmp_path, mini_model):
    gbk, utf16 = tmp_path / "gbk.txt", tmp_path / "utf16.txt"
    gbk.write_bytes(SPEECH.encode("gbk"))
    utf16.write_bytes(codecs.BOM_UTF16_LE + SPEECH.encode("utf-16-le"))
    result = govspeech("label", gbk, utf16, "--model", mini_model, "--verbose", "-j", "2", "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"govspeech: {gbk}: encoding gb18030", f"govspeech: {gbk}: 1 speech(es) labelled",
        f"govspeech: {utf16}: encoding utf-16-le", f"govspeech: {utf16}: 1 speech(es) labelled",
        "govspeech: 2 ok, 0 failed"]
    assert len(result.stdout.splitlines()) == 8
