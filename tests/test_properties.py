"""Property tests: any bytes or text given to the reader, the cleaner, the labeller or the CLI
ends in labels or one clear error — never a traceback — and never costs a good file its output."""

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govspeech.predictor as predictor
from govspeech.cli import main
from govspeech.errors import exit_code
from govspeech.features import clean_speech, split_units

SPEECH = "同志们:\n要加快园区建设,力争年内建成投产。\n但是有的部门重视程度还不是很高;\n"
# Text that looks like scraped speeches: Han, both punctuation widths, ruby, lost marks, headings, breaks.
_PIECES = [*"要加快园区建设務區发展。,;:!?;!?“”()(),wùqū篇12同志们\ufffd?* \u3000\n\r\t",
           "篇3:", "同志们:\n", "相关文章:\n", "1.工作会议讲话\n", "(市)", "務(wù)", "http://x.cn/a", "<img src=a>"]
speech_text = st.lists(st.sampled_from(_PIECES) | st.characters(), max_size=200).map("".join)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def labeller(mini_model):
    return predictor.load(mini_model)


@FAST
@given(data=st.binary(max_size=3000) | speech_text.map(lambda t: t.encode("utf-8")))
def test_any_bytes_are_read_or_refused_clearly(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.txt"
        path.write_bytes(data)
        try:
            speeches = list(predictor.read_speeches(path))
        except predictor.InputError as err:
            assert str(err).startswith(f"{path}: ") and "\n" not in str(err)
            return
    assert speeches and all(s.doc_id.startswith(str(path)) for s in speeches)


@FAST
@given(text=speech_text)
def test_cleaning_keeps_the_units_of_the_unit_rule(text):
    speech = clean_speech(text)
    assert speech.texts == split_units(text)
    used = sorted({s for s in speech.sentence_of if s is not None})
    assert used == list(range(len(speech.sentences)))


@FAST
@given(text=speech_text)
def test_labelling_any_text_labels_every_unit_that_is_not_debris(labeller, text):
    units = labeller.label(text)
    speech = clean_speech(text)
    assert [u.sent_id for u in units] == [i for i, s in zip(speech.sent_ids, speech.sentence_of) if s is not None]
    assert all(set(u.roles) <= set(labeller.roles) for u in units)


@FAST
@given(data=st.binary(max_size=2000) | speech_text.map(lambda t: t.encode("gb18030", errors="replace")))
def test_a_run_with_any_file_keeps_the_good_files_output_whole(mini_model, capsys, data):
    with tempfile.TemporaryDirectory() as folder:
        good, other, out = Path(folder) / "good.txt", Path(folder) / "other.txt", Path(folder) / "out.jsonl"
        good.write_text(SPEECH, encoding="utf-8")
        other.write_bytes(data)
        code = main(["label", str(other), str(good), "--model", str(mini_model), "--format", "jsonl", "--out", str(out)])
        err = capsys.readouterr().err
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert "Traceback" not in err and code in {exit_code("ok"), exit_code("partial")}  # the good file is labelled
    assert [r["sent_id"] for r in rows if r["doc_id"] == str(good)] == [0, 1, 2]
