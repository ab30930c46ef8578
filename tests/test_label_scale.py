"""`govspeech label` at scale: folders, JSONL streams, several cores, in order, streaming."""

import itertools
import json

import pytest
from speeches import OTHER, SPEECH, govspeech

from govspeech.predictor._batch import Done, Failure, Note, SpeechItem, iter_speeches
from govspeech.predictor._parallel import PREFETCH, Rendered, label_stream, resolve_jobs


@pytest.fixture()
def archive(tmp_path):
    """A folder tree of speeches plus a JSONL stream holding the same speeches."""
    root = tmp_path / "archive"
    for i in range(6):
        folder = root / f"year{i % 2}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"s{i}.txt").write_text(SPEECH if i % 3 else OTHER, encoding="utf-8")
    (root / "notes.md").write_text("不是讲话", encoding="utf-8")
    stream = tmp_path / "speeches.jsonl"
    stream.write_text("".join(json.dumps({"id": f"s{i}", "text": SPEECH if i % 3 else OTHER}, ensure_ascii=False)
                              + "\n" for i in range(6)), encoding="utf-8")
    return root, stream


def test_jobs_give_the_same_output_in_the_same_order(archive, mini_model, tmp_path):
    root, stream = archive
    outputs = []
    for jobs in ("1", "2", "0"):
        out = tmp_path / f"out{jobs}.jsonl"
        result = govspeech("label", root, stream, "--model", mini_model, "--format", "jsonl", "-j", jobs, "--out", out)
        assert result.returncode == 0, result.stderr
        assert not (tmp_path / f"out{jobs}.jsonl.partial").exists()
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1] == outputs[2]
    rows = [json.loads(line) for line in outputs[0].splitlines()]
    doc_ids = list(dict.fromkeys(r["doc_id"] for r in rows))
    assert doc_ids == [str(p) for p in sorted(root.rglob("*.txt"))] + [f"s{i}" for i in range(6)]
    assert len(rows) == 12 * 4


def test_a_jsonl_stream_on_stdin_with_bad_records(mini_model):
    lines = [json.dumps({"id": 7, "text": SPEECH}, ensure_ascii=False), "{oops", json.dumps({"id": "x"}),
             json.dumps({"text": OTHER}, ensure_ascii=False)]
    result = govspeech("label", "-", "--input-format", "jsonl", "--model", mini_model, "--format", "jsonl",
                       stdin="\n".join(lines) + "\n")
    assert result.returncode == 5  # some records labelled, the bad ones failed (README "Exit codes")
    assert "stdin:2: not JSON" in result.stderr and 'stdin:3: expected an object with a string "text"' in result.stderr
    assert "govspeech: 2 ok, 2 failed" in result.stderr and "Traceback" not in result.stderr  # a record is an input
    assert [r["doc_id"] for r in map(json.loads, result.stdout.splitlines())] == ["7"] * 4 + ["stdin:4"] * 4


def test_piped_output_has_no_progress_bar(speech_file, mini_model):
    result = govspeech("label", speech_file, "--model", mini_model, "--format", "csv", "-j", "2")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.splitlines()[0].startswith("doc_id,sent_id,text,labels")


def test_progress_bar_only_on_a_terminal(monkeypatch):
    import sys

    from govspeech.predictor._progress import progress_bar

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    with progress_bar() as bar:
        assert type(bar).__name__ == "_Silent"
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    with progress_bar() as bar:
        assert type(bar).__name__ == "tqdm"


def test_bad_jobs_is_a_usage_error(speech_file):
    assert govspeech("label", speech_file, "-j", "-3").returncode == 2
    assert resolve_jobs(0) == resolve_jobs(-1) >= 1 and resolve_jobs(3) == 3


def test_folders_are_searched_recursively_with_the_glob(archive):
    root, _ = archive
    items = [i for i in iter_speeches([str(root)], glob="*.md") if not isinstance(i, Note)]
    assert [type(i) for i in items] == [SpeechItem, Done] and items[0].doc_id.endswith("notes.md")
    missing = list(iter_speeches([str(root / "nope.jsonl")]))
    assert isinstance(missing[0], Failure) and "no such file" in missing[0].message and missing[0].kind == "missing"
    nothing = list(iter_speeches([str(root)], glob="*.pdf"))  # a folder with nothing to label is a failed input
    assert [(type(i), i.kind) for i in nothing] == [(Failure, "directory")] and "'*.pdf'" in nothing[0].message


def test_the_stream_is_read_only_as_fast_as_it_is_labelled(mini_model):
    """Flat memory: labelling an endless stream holds a bounded number of speeches."""
    import govspeech.predictor as predictor

    read = itertools.count()
    endless = (SpeechItem("s", f"s{next(read)}", SPEECH) for _ in itertools.count())
    labeller = predictor.load(mini_model)
    results = label_stream(endless, labeller=labeller, model_path=str(mini_model),
                           layout=predictor.Layout("jsonl", labeller.roles), jobs=2, chunk_chars=len(SPEECH) * 10)
    first = list(itertools.islice(results, 50))
    results.close()
    assert all(isinstance(r, Rendered) for r in first) and [r.doc_id for r in first] == [f"s{i}" for i in range(50)]
    assert next(read) <= 50 + (2 * PREFETCH + 2) * 10
