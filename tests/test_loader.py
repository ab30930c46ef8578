import json

import pytest

from govspeech.trainer import CorpusError, load_corpus

GOOD = {"doc_id": "d", "sent_id": 0, "text": "要加快。", "labels": ["measure"], "split": "train"}


def write(tmp_path, *lines, raw=None):
    path = tmp_path / "c.jsonl"
    if raw is not None:
        path.write_bytes(raw)
    else:
        path.write_text("\n".join(json.dumps(x, ensure_ascii=False) if isinstance(x, dict) else x for x in lines),
                        encoding="utf-8")
    return path


def test_reads_a_valid_file_and_orders_units_within_a_speech(tmp_path):
    path = write(tmp_path, {**GOOD, "sent_id": 1}, GOOD)
    assert [u.sent_id for u in load_corpus(path)] == [0, 1]


@pytest.mark.parametrize(
    "record, message",
    [
        ({**GOOD, "labels": ["target"]}, r"c\.jsonl:1: unknown role 'target'"),
        ({k: v for k, v in GOOD.items() if k != "text"}, r"c\.jsonl:1: missing field 'text'"),
        ({**GOOD, "sent_id": "0"}, r"c\.jsonl:1: field 'sent_id' must be int"),
        ({**GOOD, "split": "validation"}, r"c\.jsonl:1: field 'split' must be one of"),
        ({**GOOD, "labels": ["goal", "goal"]}, r"c\.jsonl:1: a role is listed twice"),
    ],
)
def test_rejects_a_bad_record_with_file_and_line(tmp_path, record, message):
    with pytest.raises(CorpusError, match=message):
        load_corpus(write(tmp_path, record))


def test_rejects_duplicate_ids(tmp_path):
    with pytest.raises(CorpusError, match=r"c\.jsonl:2: duplicate id doc_id='d' sent_id=0"):
        load_corpus(write(tmp_path, GOOD, GOOD))


def test_rejects_invalid_json(tmp_path):
    with pytest.raises(CorpusError, match=r"c\.jsonl:2: invalid JSON"):
        load_corpus(write(tmp_path, GOOD, '{"doc_id": '))


def test_rejects_wrong_encoding(tmp_path):
    raw = (json.dumps(GOOD, ensure_ascii=False) + "\n").encode("gbk")
    with pytest.raises(CorpusError, match=r"c\.jsonl:1: not UTF-8"):
        load_corpus(write(tmp_path, raw=raw))


def test_split_required_for_training(tmp_path):
    record = {k: v for k, v in GOOD.items() if k != "split"}
    assert load_corpus(write(tmp_path, record))[0].split is None
    with pytest.raises(CorpusError, match="field 'split' must be one of"):
        load_corpus(write(tmp_path, record), require_split=True)


def test_rejects_an_empty_file(tmp_path):
    with pytest.raises(CorpusError, match="no units"):
        load_corpus(write(tmp_path, raw=b"\n\n"))
