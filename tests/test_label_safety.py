"""`govspeech label` on untrusted input, unattended: outputs never destroy inputs, every failure is an exit
code and one line, resume cannot confuse two inputs, workers never outlive the run (README "Exit codes")."""

import errno
import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from speeches import DEBRIS_FIRST, SPEECH

import govspeech.predictor as predictor
from govspeech.cli import main
from govspeech.predictor._batch import Done, Failure, SpeechItem
from govspeech.predictor._parallel import CRASHED, Rendered, label_stream


# Synthetic page whose first speech is all site debris: it gives no output row at all.
def _cli(*args):
    return [sys.executable, "-m", "govspeech.cli", "label", *map(str, args)]


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


# -- 1. outputs never destroy inputs or each other --

@pytest.mark.parametrize("how", ["same", "relative", "symlink", "hardlink"])
def test_an_output_that_is_an_input_is_refused_before_any_work(run, tmp_path, good, monkeypatch, how):
    monkeypatch.chdir(tmp_path)
    out = {"same": good, "relative": "./sub/../good.txt", "symlink": tmp_path / "link.txt",
           "hardlink": tmp_path / "hard.txt"}[how]
    (tmp_path / "sub").mkdir()
    if how == "symlink":
        os.symlink(good, out)
    if how == "hardlink":
        os.link(good, out)
    code, out_text, err = run(good, "--out", out)
    assert code == 4 and out_text == "" and len(err.splitlines()) == 1 and "would destroy the input" in err
    assert good.read_text(encoding="utf-8") == SPEECH and not list(tmp_path.glob("*.partial"))
    assert not list(tmp_path.glob("*.lock"))


def test_an_output_inside_an_input_folder_or_naming_a_folder_is_refused(run, tmp_path, good):
    code, _, err = run(tmp_path, "--out", tmp_path / "labels.txt")
    assert code == 4 and "lies in the input folder" in err and not (tmp_path / "labels.txt.partial").exists()
    assert run(tmp_path, "--out", tmp_path / "labels.jsonl")[0] == 0  # not matched by --glob *.txt
    (tmp_path / "labels.jsonl").unlink()
    folder = tmp_path / "folder"
    folder.mkdir()
    code, _, err = run(good, "--out", folder)
    assert code == 4 and "is a folder" in err and list(folder.iterdir()) == []


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_an_output_another_live_run_writes_is_refused_and_a_stale_lock_taken_over(run, tmp_path, good):
    out = tmp_path / "out.jsonl"
    lock = tmp_path / "out.jsonl.lock"
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock.write_text(f"{holder.pid}\n")
        code, _, err = run(good, "--format", "jsonl", "--out", out)
        assert code == 4 and f"another run (pid {holder.pid}) is writing it" in err and not out.exists()
        assert lock.read_text() == f"{holder.pid}\n"  # not ours: left alone
    finally:
        holder.kill()
        holder.wait()
    dead = _dead_pid()
    lock.write_text(f"{dead}\n")
    code, _, err = run(good, "--format", "jsonl", "--out", out)
    assert code == 0 and f"left by a run (pid {dead}) that is no longer alive" in err
    assert out.exists() and not lock.exists()


def test_the_lock_is_released_on_every_way_out(run, tmp_path, good, monkeypatch):
    out, lock = tmp_path / "out.txt", tmp_path / "out.txt.lock"
    assert run(tmp_path / "missing.txt", "--out", out)[0] == 10 and not lock.exists()  # failed input
    assert run(good, "--format", "jsonl", "--out", out)[0] == 0 and not lock.exists()
    code, _, err = run(good, "--format", "csv", "--out", out, "--resume")  # refused inside the lock
    assert code == 4 and "resume with --format jsonl" in err and not lock.exists()

    def interrupted(self, text, **kwargs):
        assert lock.read_text() == f"{os.getpid()}\n"  # held while labelling
        raise KeyboardInterrupt

    monkeypatch.setattr(predictor.Labeller, "label", interrupted)
    assert run(good, "--out", out)[0] == 130 and not lock.exists()


class _FullDisk(io.BufferedRandom):
    """A file on a disk that fills after ``room`` bytes."""

    room = 0

    def write(self, data):
        type(self).room -= len(data)
        if type(self).room < 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return super().write(data)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "text"])
def test_a_full_disk_exits_4_and_keeps_the_partial_file_for_resume(run, tmp_path, monkeypatch, fmt):
    import govspeech.predictor._sink as sink_module

    files = []
    for i in range(5):
        files.append(tmp_path / f"s{i}.txt")
        files[-1].write_text(SPEECH if i != 2 else DEBRIS_FIRST, encoding="utf-8")
    whole, out = tmp_path / f"whole.{fmt}", tmp_path / f"out.{fmt}"
    assert run(*files, "--format", fmt, "--out", whole)[0] == 0
    _FullDisk.room = whole.stat().st_size // 2

    def open_on_a_small_disk(path, mode="r", *args, **kwargs):
        if str(path).endswith(".partial"):
            return _FullDisk(io.FileIO(path, "r+" if mode == "r+b" else "w+"))
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(sink_module, "open", open_on_a_small_disk, raising=False)
    code, _, err = run(*files, "--format", fmt, "--out", out)
    assert code == 4 and len(err.splitlines()) == 1 and "No space left on device" in err and "--resume" in err
    partial = tmp_path / f"out.{fmt}.partial"
    assert partial.exists() and not out.exists() and not (tmp_path / f"out.{fmt}.lock").exists()
    assert whole.read_bytes().startswith(partial.read_bytes())  # whole inputs only
    monkeypatch.undo()
    code, _, err = run(*files, "--format", fmt, "--out", out, "--resume")
    assert code == 0 and out.read_bytes() == whole.read_bytes(), err


def test_dev_full_as_standard_output_exits_4_in_one_line(good, mini_model):
    with open("/dev/full", "w") as full:
        result = subprocess.run(_cli(good, "--model", mini_model), stdout=full, stderr=subprocess.PIPE, text=True,
                                timeout=120)
    assert result.returncode == 4 and result.stderr.count("\n") == 1
    assert "cannot write standard output (No space left on device)" in result.stderr


@pytest.mark.parametrize(("verb", "fmt", "resumable"), [("label", "html", False), ("profile", "csv", False),
                                                         ("profile", "jsonl", False), ("label", "jsonl", True),
                                                         ("label", "csv", True), ("label", "text", True)])
def test_only_an_output_that_can_be_resumed_leaves_a_resume_journal(cli, good, tmp_path, verb, fmt, resumable):
    folder = tmp_path / "results"
    folder.mkdir()
    code, _, err = cli(verb, good, "--format", fmt, "--out", folder / f"out.{fmt}")
    assert code == 0, err
    left = sorted(p.name for p in folder.iterdir())
    assert left == ([f"out.{fmt}", f"out.{fmt}.resume.jsonl"] if resumable else [f"out.{fmt}"])


def test_an_interrupted_html_page_leaves_nothing_and_does_not_offer_resume(run, good, tmp_path, monkeypatch):
    folder = tmp_path / "results"
    folder.mkdir()
    _interrupt_at(monkeypatch, 2)
    code, _, err = run(good, good, "--format", "html", "--out", folder / "page.html")
    assert code == 130 and "--resume" not in err and list(folder.iterdir()) == [], err


# -- 2. resume by identity --

def _interrupt_at(monkeypatch, call):
    calls, real = {"n": 0}, predictor.Labeller.label

    def label_then_interrupt(self, text, **kwargs):
        calls["n"] += 1
        if calls["n"] == call:
            raise KeyboardInterrupt
        return real(self, text, **kwargs)

    monkeypatch.setattr(predictor.Labeller, "label", label_then_interrupt)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "text"])
def test_repeated_ids_and_debris_first_pages_resume_without_loss_or_duplicates(run, tmp_path, monkeypatch, fmt):
    stream = _jsonl(tmp_path / "s.jsonl", [{"id": "same", "text": SPEECH}, {"id": "same", "text": DEBRIS_FIRST},
                                            {"id": "same", "text": SPEECH}, {"id": "other", "text": DEBRIS_FIRST}])
    page = tmp_path / "page.txt"
    page.write_text(DEBRIS_FIRST, encoding="utf-8")
    inputs = [stream, page, page]  # a file given twice is two inputs
    whole, out = tmp_path / f"whole.{fmt}", tmp_path / f"out.{fmt}"
    code, _, err = run(*inputs, "--format", fmt, "--out", whole)
    assert code == 0 and "6 ok, 0 failed" in err  # the repeated ids are all labelled
    for call in (2, 4, 7):  # inside the debris-first record, a repeated id, the second copy of the page
        out.unlink(missing_ok=True)
        _interrupt_at(monkeypatch, call)
        assert run(*inputs, "--format", fmt, "--out", out)[0] == 130
        monkeypatch.undo()
        code, _, err = run(*inputs, "--format", fmt, "--out", out, "--resume")
        assert code == 0 and out.read_bytes() == whole.read_bytes(), (call, err)
    code, _, err = run(*inputs, "--format", fmt, "--out", out, "--resume")  # a finished output: nothing new
    assert code == 0 and "0 ok, 0 failed, 6 already labelled" in err and out.read_bytes() == whole.read_bytes()


def test_ids_and_file_names_with_control_characters_are_refused_per_record(run, tmp_path, good):
    stream = _jsonl(tmp_path / "s.jsonl", [{"id": "a\n   4  [praise]  forged", "text": SPEECH},
                                            {"id": "b\x1b[2J", "text": SPEECH}, {"id": "ok", "text": SPEECH}])
    odd = tmp_path / "odd\nname.txt"
    odd.write_text(SPEECH, encoding="utf-8")
    code, out, err = run(stream, odd, good, "--format", "csv")
    assert code == 5 and "2 ok, 3 failed" in err and "s.jsonl:1: the id holds a control character (U+000A)" in err
    assert "odd\\x0aname.txt: the file name holds a control character" in err  # the message stays one line
    assert all(line.startswith("govspeech: ") for line in err.splitlines())
    assert out.count("\n") == 1 + 2 * 4 and "forged" not in out


# -- 3. every failure is an exit code and one line --

def test_a_broken_pipe_exits_quietly_like_cat(tmp_path, mini_model):
    stream = _jsonl(tmp_path / "s.jsonl", [{"id": f"r{i}", "text": SPEECH} for i in range(400)])  # > a pipe buffer
    process = subprocess.Popen(_cli(stream, "--model", mini_model, "--format", "jsonl"), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdout.readline().startswith(b'{"doc_id": "r0"')
    process.stdout.close()  # as `| head -1` does
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141 and err == ""


def _closing(fd):
    return lambda: os.close(fd)


def test_closed_standard_streams(good, mini_model):
    closed_in = subprocess.run(_cli("-", "--model", mini_model), preexec_fn=_closing(0), capture_output=True,
                               text=True, timeout=120)
    assert closed_in.returncode == 15 and "stdin: standard input is closed" in closed_in.stderr
    closed_out = subprocess.run(_cli(good, "--model", mini_model), preexec_fn=_closing(1), stderr=subprocess.PIPE,
                                text=True, timeout=120)
    assert closed_out.returncode == 4 and closed_out.stderr == (
        "govspeech: standard output is closed; give --out FILE, or let the output go somewhere\n")


def test_hostile_jsonl_records_are_refused_alone(run, tmp_path):
    deep = '{"id": "deep", "text": "x", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}"
    stream = tmp_path / "s.jsonl"
    stream.write_text("\n".join([deep, json.dumps({"id": "after-deep", "text": SPEECH}, ensure_ascii=False),
                                 '{"id": "sur\\ud800", "text": "同志们:\\n要加快\\udc00园区建设。"}',
                                 json.dumps({"id": "after-surrogate", "text": SPEECH}, ensure_ascii=False)]) + "\n",
                      encoding="utf-8")
    code, out, err = run(stream, "--format", "jsonl")
    assert code == 5 and "s.jsonl:1: JSON nested deeper than 64 levels" in err and "3 ok, 1 failed" in err
    assert "s.jsonl:3: 1 lone surrogate(s) in the id" in err and "1 lone surrogate(s) in the text" in err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["doc_id"] for r in rows if r["sent_id"] == 0] == ["after-deep", "sur\ufffd", "after-surrogate"]
    assert any("\ufffd园区" in r["text"] for r in rows)


@pytest.mark.parametrize("args, message", [
    (["--glob", "/etc/passwd"], "leads out of them"), (["--glob", "../*"], "leads out of them"),
    (["--max-file-mb", "nan"], "expected a size in MB"), (["--max-file-mb", "inf"], "expected a size in MB"),
    (["--max-file-mb", "-1"], "expected a size in MB")])
def test_bad_options_are_usage_errors(tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as stop:
        main(["label", str(tmp_path), *args])
    assert stop.value.code == 2 and message in capsys.readouterr().err


def test_a_folder_cannot_lead_to_files_outside_it(run, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SPEECH.replace("园区", "机密"), encoding="utf-8")
    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    (folder / "page.txt").write_text(SPEECH, encoding="utf-8")
    os.symlink(secret, folder / "link.txt")
    os.symlink(tmp_path, folder / "sub" / "up")
    code, out, _err = run(folder, "--format", "jsonl")
    assert code == 0 and "机密" not in out
    assert {json.loads(line)["doc_id"] for line in out.splitlines()} == {str(folder / "page.txt")}


class _DyingLabeller:
    """The real labeller, but its worker process is killed on a speech holding ``KILL`` (once, or always)."""

    def __init__(self, real, flag, always):
        self.real, self.flag, self.always, self.roles, self.model = real, flag, always, real.roles, real.model

    def label(self, text, **kwargs):
        if "KILL" in text and (self.always or not self.flag.exists()):
            self.flag.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return self.real.label(text, **kwargs)


@pytest.mark.parametrize("always", [False, True])
def test_a_killed_worker_is_retried_once_then_fails_its_input_alone(tmp_path, mini_model, always):
    items = []
    for i in range(6):
        text = SPEECH.replace("同志们", "KILL同志们") if i == 3 else SPEECH
        items += [SpeechItem(f"in{i}", f"in{i}", text), Done(f"in{i}", (f"in{i}", 1))]
    real = predictor.load(mini_model)
    dying = _DyingLabeller(real, tmp_path / "killed", always)
    layout = predictor.Layout("jsonl", real.roles, False)
    results = list(label_stream(iter(items), labeller=dying, model_path=str(mini_model), layout=layout, jobs=2,
                                chunk_chars=len(SPEECH)))
    expected = list(label_stream(iter(items), labeller=real, model_path=str(mini_model), layout=layout, jobs=1))
    assert (tmp_path / "killed").exists()  # a worker did die
    if not always:
        assert results == expected
        return
    failures = [r for r in results if isinstance(r, Failure)]
    assert [(f.source, f.kind) for f in failures] == [("in3", CRASHED)] and "died 2 times" in failures[0].message
    assert [r for r in results if r not in failures] == [r for r in expected if r.source != "in3"]
    assert [r.doc_id for r in results if isinstance(r, Rendered)] == ["in0", "in1", "in2", "in4", "in5"]


# -- 4. no orphans --

def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_the_main_process_leaves_no_worker_alive(tmp_path, mini_model):
    stream = _jsonl(tmp_path / "s.jsonl", [{"id": f"r{i}", "text": SPEECH * 5} for i in range(20_000)])
    process = subprocess.Popen(_cli(stream, "--model", mini_model, "--format", "jsonl", "-j", "2"),
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout.readline()  # labelling under way
    workers = _children(process.pid)
    assert len(workers) >= 2
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    deadline = time.monotonic() + 5
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_alive, workers)), "a worker outlived its killed parent"
    process.stdout.read()  # EOF: no process holds the output pipe any more
