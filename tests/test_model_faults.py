"""A model directory that is missing, truncated, of another version or tampered with:
one line, exit 3, and nothing unpickled."""

import json
import shutil

import joblib
import pytest

from govspeech.cli import main


def _missing_meta(d):
    (d / "meta.json").unlink()


def _missing_artifact(d):
    (d / "model.joblib").unlink()


def _truncated_artifact(d):
    data = (d / "model.joblib").read_bytes()
    (d / "model.joblib").write_bytes(data[: len(data) // 2])


def _tampered_artifact(d):
    data = bytearray((d / "model.joblib").read_bytes())
    data[100] ^= 0xFF
    (d / "model.joblib").write_bytes(bytes(data))


def _edit_meta(**changes):
    def edit(d):
        meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
        (d / "meta.json").write_text(json.dumps({**meta, **changes}), encoding="utf-8")
    return edit


def _meta_not_an_object(d):
    (d / "meta.json").write_text("[1, 2]", encoding="utf-8")


def _meta_truncated(d):
    text = (d / "meta.json").read_text(encoding="utf-8")
    (d / "meta.json").write_text(text[: len(text) // 2], encoding="utf-8")


FAULTS = {
    "missing meta": (_missing_meta, "meta.json: missing"),
    "missing artifact": (_missing_artifact, "model.joblib: missing"),
    "truncated artifact": (_truncated_artifact, "sha256 does not match"),
    "tampered artifact": (_tampered_artifact, "sha256 does not match"),
    "other hash": (_edit_meta(sha256="0" * 64), "sha256 does not match"),
    "other format": (_edit_meta(format_version=2), "model format 2"),
    "no format": (_meta_not_an_object, "model format None"),
    "truncated meta": (_meta_truncated, "not valid JSON"),
    "other scikit-learn": (_edit_meta(versions={"scikit-learn": "0.20.0", "jieba": "0.42.1"}), "scikit-learn 0.20.0"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_broken_model_is_one_line_exit_3_and_never_unpickled(fault, mini_model, tmp_path, monkeypatch, capsys):
    breaks, message = FAULTS[fault]
    model = tmp_path / "model"
    shutil.copytree(mini_model, model)
    breaks(model)
    speech = tmp_path / "s.txt"
    speech.write_text("要加快园区建设。\n", encoding="utf-8")

    def refuse(*args, **kwargs):
        raise AssertionError("an untrusted model file was unpickled")

    monkeypatch.setattr(joblib, "load", refuse)
    code = main(["label", str(speech), "--model", str(model)])
    out, err = capsys.readouterr()
    assert code == 3 and out == "" and err.count("\n") == 1
    assert message in err and any(what_to_do in err for what_to_do in ("retrain", "restore", "install"))


def test_a_missing_model_directory(tmp_path, capsys):
    speech = tmp_path / "s.txt"
    speech.write_text("要加快园区建设。\n", encoding="utf-8")
    assert main(["label", str(speech), "--model", str(tmp_path / "nope")]) == 3
    assert "no such model directory" in capsys.readouterr().err
