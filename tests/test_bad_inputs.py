"""Bad input and faults: one clear line, a distinct exit code, and nothing lost of the good files."""

import codecs
import json

import opencc
import pytest
from speeches import SPEECH

import govspeech.predictor as predictor

BAD = {
    "empty": (b"", 12, "empty file"),
    "whitespace": (b" \n\t\n\xe3\x80\x80\n", 12, "only whitespace"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", 13, "a PNG image, not text"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", 13, "a PDF document, not text"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_bad_file_gets_one_line_and_its_exit_code(run, tmp_path, kind):
    data, code, message = BAD[kind]
    path = tmp_path / f"{kind}.bin"
    path.write_bytes(data)
    result, out, err = run(path)
    assert result == code and out == ""
    assert err.splitlines()[0] == next(line for line in err.splitlines() if message in line)
    assert f"{path}: " in err and "; " in err.splitlines()[0]  # names the file, then what to do


def test_a_directory_and_a_missing_path(run, tmp_path):
    assert run(tmp_path)[:2] == (11, "")
    code, _, err = run(tmp_path / "nope.txt")
    assert code == 10 and "nope.txt: no such file; check the path" in err


def test_a_file_over_the_size_limit_is_refused_unless_the_limit_is_lifted(run, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(SPEECH * 200, encoding="utf-8")
    code, out, err = run(big, "--max-file-mb", "0.01")
    assert code == 14 and out == "" and "over the 0 MB limit" not in err and "--max-file-mb 0" in err
    code, out, _ = run(big, "--max-file-mb", "0", "--format", "jsonl")
    assert code == 0 and len(out.splitlines()) == 4 * 200


def test_a_20000_character_unit_is_labelled_with_a_note(run, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("要" * 20_000 + "\n要加快园区建设。\n", encoding="utf-8")
    code, out, err = run(path, "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [len(r["text"]) for r in rows] == [20_000, 8]
    # the unterminated line runs on into the next: one sentence of both, read in its first characters
    assert "a sentence of 20008 characters" in err and err.count("\n") == 1


def test_undecodable_bytes_are_reported_with_their_offset_and_the_rest_labelled(run, tmp_path):
    data = SPEECH.encode("gb18030")
    at = len(SPEECH[:20].encode("gb18030"))
    path = tmp_path / "damaged.txt"
    path.write_bytes(data[:at] + b"\xff" + data[at:])
    code, out, err = run(path, "--format", "jsonl")
    assert code == 0 and len(out.splitlines()) == 4
    assert f"1 byte(s) undecodable as gb18030 at byte offset {at}" in err


@pytest.mark.parametrize("encoding, prefix, codec", [
    ("gbk", b"", "gb18030"), ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"), ("utf-8", codecs.BOM_UTF8, "utf-8"),
    ("big5", b"", "cp950"),
])
def test_verbose_reports_the_encoding_and_labels_the_same(run, tmp_path, good, encoding, prefix, codec):
    path = tmp_path / f"{encoding}.txt"
    text = opencc.OpenCC("s2t").convert(SPEECH) if encoding == "big5" else SPEECH
    path.write_bytes(prefix + text.encode(encoding))
    code, out, err = run(path, "--verbose", "--format", "jsonl")
    assert code == 0 and f"{path}: encoding {codec}" in err
    expected = [json.loads(x)["labels"] for x in run(good, "--format", "jsonl")[1].splitlines()]
    assert [json.loads(x)["labels"] for x in out.splitlines()] == expected


def test_many_files_one_bad_each_kind_the_good_ones_complete(run, tmp_path, good):
    paths = []
    for kind, (data, _, _) in BAD.items():
        paths.append(tmp_path / f"{kind}.bin")
        paths[-1].write_bytes(data)
    out_file = tmp_path / "out.jsonl"
    folder = tmp_path / "no speeches"  # a folder is searched for --glob (*.txt); with none inside it fails
    folder.mkdir()
    (folder / "notes.md").write_text("不是讲话", encoding="utf-8")
    code, _, err = run(good, *paths, folder, tmp_path / "missing.txt", good, "--format", "jsonl", "--out", out_file)
    assert code == 5 and "govspeech: 2 ok, 6 failed" in err
    alone = run(good, "--format", "jsonl")[1]
    assert out_file.read_text(encoding="utf-8") == alone * 2
    assert not out_file.with_name("out.jsonl.partial").exists()


def test_output_that_cannot_be_written_exits_4(run, tmp_path, good):
    code, _, err = run(good, "--out", tmp_path / "no" / "such" / "dir" / "out.txt")
    assert code == 4 and "is not an existing folder; create it first" in err


def test_resume_needs_out(run, good):
    assert run(good, "--resume")[0] == 2


# -- interruption and --resume --

@pytest.mark.parametrize("fmt", ["jsonl", "csv", "text"])
def test_an_interrupted_run_leaves_no_output_and_resume_completes_it(run, tmp_path, good, monkeypatch, fmt):
    files = []
    for i in range(4):
        files.append(tmp_path / f"s{i}.txt")
        files[-1].write_text(SPEECH if i != 2 else "篇1:讲话\n同志们:\n要加快。\n篇2:讲话\n同志们:\n要加强。\n",
                             encoding="utf-8")
    whole = tmp_path / f"whole.{fmt}"
    assert run(*files, "--format", fmt, "--out", whole)[0] == 0
    out = tmp_path / f"out.{fmt}"
    calls = {"n": 0}
    real = predictor.Labeller.label

    def label_then_interrupt(self, text, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:  # inside the third file (its second speech)
            raise KeyboardInterrupt
        return real(self, text, **kwargs)

    monkeypatch.setattr(predictor.Labeller, "label", label_then_interrupt)
    code, _, err = run(*files, "--format", fmt, "--out", out)
    assert code == 130 and "--resume" in err and not out.exists()
    partial = out.with_name(out.name + ".partial")
    assert partial.read_text(encoding="utf-8") == whole.read_text(encoding="utf-8")[: len(partial.read_text())]
    monkeypatch.setattr(predictor.Labeller, "label", real)
    with partial.open("ab") as handle:  # a kill in the middle of a line
        handle.write(b'{"doc_id": "torn')
    code, _, err = run(*files, "--format", fmt, "--out", out, "--resume")
    assert code == 0 and out.read_bytes() == whole.read_bytes() and not partial.exists()
    assert "already labelled" in err


def test_resume_on_a_finished_output_adds_only_new_files(run, tmp_path, good):
    other = tmp_path / "other.txt"
    other.write_text(SPEECH, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run(good, "--format", "jsonl", "--out", out)
    code, _, err = run(good, other, "--format", "jsonl", "--out", out, "--resume")
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert code == 0 and "1 ok, 0 failed, 1 already labelled" in err
    assert [r["doc_id"] for r in rows] == [str(good)] * 4 + [str(other)] * 4


# -- streaming --

def test_a_big_file_is_read_in_bounded_memory(tmp_path):
    import tracemalloc

    piece = "篇{}:讲话\n同志们:\n" + "要加快园区建设,力争年内建成投产。" * 40 + "\n"

    def peak_reading(n_pieces):
        path = tmp_path / f"big{n_pieces}.txt"
        with path.open("w", encoding="utf-8") as handle:
            for i in range(n_pieces):
                handle.write(piece.format(i))
        tracemalloc.start()
        assert sum(1 for _ in predictor.read_speeches(path)) == n_pieces
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak, path.stat().st_size

    small, small_size = peak_reading(1000)
    big, big_size = peak_reading(4000)
    assert big_size > 3.5 * small_size and big < 1.5 * small, (small, big)  # memory does not grow with the file


def test_streamed_speeches_are_those_of_the_whole_text(root):
    for path in (root / "data/raw").glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert [(s.doc_id, s.text) for s in predictor.read_speeches(path)] == predictor.speeches_of(str(path), text)


def test_a_huge_speech_is_labelled_in_chunks_whose_ids_continue(tmp_path, monkeypatch):
    from govspeech.features import iter_speeches

    lines = ["同志们:\n"] + [f"要加快第{i}个园区建设。\n" for i in range(300)]
    chunks = list(iter_speeches(lines, max_chars=500))
    assert len(chunks) > 3 and "".join(t for t, _ in chunks) == "".join(lines)
    assert [c for _, c in chunks] == [False] + [True] * (len(chunks) - 1)


@pytest.mark.parametrize("jobs, n_files", [("1", 40), ("2", 160)])  # workers write a chunk at a time: more files
def test_a_killed_run_leaves_no_output_and_resume_finishes_it(root, tmp_path, jobs, n_files):
    import signal
    import subprocess
    import sys
    import time

    page = next((root / "data/raw").glob("001_*.txt"))
    files = [tmp_path / f"p{i:03d}.txt" for i in range(n_files)]
    for path in files:
        path.write_bytes(page.read_bytes())
    out = tmp_path / "out.jsonl"
    partial = tmp_path / "out.jsonl.partial"
    command = [sys.executable, "-m", "govspeech.cli", "label", *map(str, files), "--format", "jsonl", "--out", str(out),
               "-j", jobs]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (partial.exists() and partial.stat().st_size) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode != 0, "the run ended before it could be killed: nothing was tested"
    assert process.returncode == 130 and "--resume" in err and "Traceback" not in err and not out.exists()
    resumed = subprocess.run([*command, "--resume"], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in rows] == [str(p) for p in files for _ in range(46)]
