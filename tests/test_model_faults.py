"""A model folder that is missing, truncated, swapped, renamed, of another version or tampered with:
`govspeech label` says so in one line, exits 3, and nothing in it is ever executed."""

import hashlib
import io
import json
import shutil

import numpy as np
import pytest

from govspeech.cli import main
from govspeech.predictor import ModelError, load_model


def _meta(d):
    return json.loads((d / "model.json").read_text(encoding="utf-8"))


def _write_meta(d, meta):
    (d / "model.json").write_text(json.dumps(meta), encoding="utf-8")


def _edit(**changes):
    def edit(d):
        _write_meta(d, {**_meta(d), **changes})
    return edit


def _edit_in(section, **changes):
    def edit(d):
        meta = _meta(d)
        _write_meta(d, {**meta, section: {**meta[section], **changes}})
    return edit


def _rewrite_arrays(change):
    """Rewrite arrays.npz with ``change`` applied and vouch for it in model.json: only the checks of the
    arrays themselves stand between it and labelling."""
    def edit(d):
        with np.load(d / "arrays.npz", allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        change(arrays)
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        (d / "arrays.npz").write_bytes(buffer.getvalue())
        meta = _meta(d)
        meta["files"]["arrays"]["sha256"] = hashlib.sha256(buffer.getvalue()).hexdigest()
        _write_meta(d, meta)
    return edit


def _truncate(name):
    def edit(d):
        data = (d / name).read_bytes()
        (d / name).write_bytes(data[: len(data) // 2])
    return edit


def _flip_byte(d):
    data = bytearray((d / "arrays.npz").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (d / "arrays.npz").write_bytes(bytes(data))


def _rename_arrays(d):
    (d / "arrays.npz").rename(d / "other.npz")


def _point_outside(name):
    def edit(d):
        meta = _meta(d)
        meta["files"]["arrays"]["name"] = name
        _write_meta(d, meta)
    return edit


def _swap_in_other_model(other):
    def edit(d):
        shutil.copy(other / "arrays.npz", d / "arrays.npz")
    return edit


def _pop(name):
    return lambda arrays: arrays.pop(name)


def _retype(name, dtype):
    def change(arrays):
        arrays[name] = arrays[name].astype(dtype)
    return change


def _shorten(name):
    def change(arrays):
        arrays[name] = arrays[name][:-1]
    return change


def _unsort(arrays):
    arrays["char_vocabulary"] = arrays["char_vocabulary"][::-1].copy()


def _nan(arrays):
    arrays["stage1_coef"][0, 0] = np.nan


FAULTS = {
    "missing model.json": (lambda d: (d / "model.json").unlink(), "model.json: missing"),
    "missing arrays": (lambda d: (d / "arrays.npz").unlink(), "arrays.npz: missing"),
    "renamed arrays": (_rename_arrays, "arrays.npz: missing"),
    "truncated arrays": (_truncate("arrays.npz"), "sha256 does not match"),
    "tampered arrays": (_flip_byte, "sha256 does not match"),
    "other hash": (lambda d: _write_meta(d, {**_meta(d), "files": {"arrays": {"name": "arrays.npz",
                                                                             "sha256": "0" * 64}}}),
                   "sha256 does not match"),
    "truncated model.json": (_truncate("model.json"), "not valid JSON"),
    "model.json not an object": (lambda d: (d / "model.json").write_text("[1, 2]"), "expected a JSON object"),
    "other format": (_edit(format_version=1), "model format 1"),
    "no format": (_edit(format_version=None), "model format None"),
    "thresholds out of range": (_edit(thresholds={"goal": 1.5, "measure": 0.5, "criticism": 0.5, "praise": 0.5}),
                                "field 'thresholds'"),
    "thresholds missing a role": (_edit(thresholds={"goal": 0.5}), "field 'thresholds'"),
    "roles renamed": (_edit(roles=["goal", "measure", "criticism", "blame"]), "field 'roles'"),
    "roles not a list": (_edit(roles="goal"), "field 'roles' must be list"),
    "char n-grams over 3": (_edit_in("features", char_ngram_range=[1, 4]), "features.char_ngram_range"),
    "flag not a bool": (_edit_in("features", sublinear_tf="yes"), "'sublinear_tf' must be bool"),
    "other segmenter": (_edit(segmenter={"name": "pkuseg", "engine": "rjieba", "engine_version": "0"}),
                        "segmenter 'pkuseg'"),
    "unknown engine": (_edit(segmenter={"name": "jieba", "engine": "pkuseg", "engine_version": "0"}),
                       "segmenter engine 'pkuseg'"),
    "window out of range": (_edit_in("stacking", window=99), "field 'stacking'"),
    "window changed": (_edit_in("stacking", window=2), "'sequence_features' does not match"),
    "path traversal": (_point_outside("../arrays.npz"), "bare file name"),
    "absolute path": (_point_outside("/etc/passwd"), "bare file name"),
    "sub-folder": (_point_outside("sub/arrays.npz"), "bare file name"),
    "files lists more": (_edit(files={"arrays": {"name": "arrays.npz", "sha256": "0" * 64}, "code": {}}),
                         "must name exactly 'arrays'"),
    "bad hash text": (_edit(files={"arrays": {"name": "arrays.npz", "sha256": "xyz"}}), "64 lower-case hex"),
    "array missing": (_rewrite_arrays(_pop("char_idf")), "arrays ["),
    "array of another dtype": (_rewrite_arrays(_retype("char_idf", np.float32)), "array 'char_idf' is <f4"),
    "coefficients of another shape": (_rewrite_arrays(_shorten("stage1_intercept")), "array 'stage1_intercept'"),
    "idf shorter than its vocabulary": (_rewrite_arrays(_shorten("word_idf")), "array 'word_idf'"),
    "vocabulary unsorted": (_rewrite_arrays(_unsort), "must be sorted"),
    "NaN coefficient": (_rewrite_arrays(_nan), "NaN or infinity"),
    "extra array": (_rewrite_arrays(lambda a: a.update(extra=np.zeros(1))), "arrays ["),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_broken_model_is_one_line_and_exit_3(fault, stacked_model, tmp_path, capsys):
    breaks, message = FAULTS[fault]
    model = tmp_path / "model"
    shutil.copytree(stacked_model, model)
    breaks(model)
    speech = tmp_path / "s.txt"
    speech.write_text("要加快园区建设。\n", encoding="utf-8")
    code = main(["label", str(speech), "--model", str(model)])
    out, err = capsys.readouterr()
    assert code == 3 and out == "" and err.count("\n") == 1, err
    assert message in err and "Traceback" not in err
    assert any(what_to_do in err for what_to_do in ("retrain", "restore", "check")), err


def test_arrays_swapped_from_another_model_are_refused(mini_model, stacked_model, tmp_path):
    model = tmp_path / "model"
    shutil.copytree(mini_model, model)
    _swap_in_other_model(stacked_model)(model)
    with pytest.raises(ModelError, match="sha256 does not match"):
        load_model(model)


class _Payload:
    """Would run code if unpickled."""

    def __reduce__(self):
        return (exec, ("raise SystemExit('unpickled')",))


def test_an_object_array_is_refused_and_nothing_runs(mini_model, tmp_path, capsys):
    model = tmp_path / "model"
    shutil.copytree(mini_model, model)

    def smuggle(arrays):
        arrays["words"] = np.array([_Payload()], dtype=object)

    buffer = io.BytesIO()
    with np.load(model / "arrays.npz", allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    smuggle(arrays)
    np.savez(buffer, **arrays)  # numpy pickles the object array inside the npz
    (model / "arrays.npz").write_bytes(buffer.getvalue())
    meta = _meta(model)
    meta["files"]["arrays"]["sha256"] = hashlib.sha256(buffer.getvalue()).hexdigest()
    _write_meta(model, meta)
    speech = tmp_path / "s.txt"
    speech.write_text("要加快园区建设。\n", encoding="utf-8")
    assert main(["label", str(speech), "--model", str(model)]) == 3  # SystemExit('unpickled') would escape
    err = capsys.readouterr().err
    assert "not a plain array file" in err and err.count("\n") == 1


def test_a_pickle_in_place_of_the_arrays_is_refused(mini_model, tmp_path):
    import pickle

    model = tmp_path / "model"
    shutil.copytree(mini_model, model)
    data = pickle.dumps(_Payload())
    (model / "arrays.npz").write_bytes(data)
    meta = _meta(model)
    meta["files"]["arrays"]["sha256"] = hashlib.sha256(data).hexdigest()
    _write_meta(model, meta)
    with pytest.raises(ModelError, match="not a plain array file"):
        load_model(model)


def test_a_pinned_hash_refuses_any_other_model(mini_model, tmp_path, capsys):
    speech = tmp_path / "s.txt"
    speech.write_text("要加快园区建设。\n", encoding="utf-8")
    right = hashlib.sha256((mini_model / "model.json").read_bytes()).hexdigest()
    assert main(["label", str(speech), "--model", str(mini_model), "--model-sha256", right.upper()]) == 0
    capsys.readouterr()
    assert main(["label", str(speech), "--model", str(mini_model), "--model-sha256", "ab" * 32]) == 3
    err = capsys.readouterr().err
    assert "is not the pinned" in err and err.count("\n") == 1
    with pytest.raises(SystemExit):
        main(["label", str(speech), "--model-sha256", "not-hex"])


def test_a_missing_model_directory(tmp_path, capsys):
    speech = tmp_path / "s.txt"
    speech.write_text("要加快园区建设。\n", encoding="utf-8")
    assert main(["label", str(speech), "--model", str(tmp_path / "nope")]) == 3
    assert "no such model directory" in capsys.readouterr().err
