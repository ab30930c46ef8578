"""Decoding: a real seed excerpt in each encoding users send comes back as the same text."""

import codecs
import random

import opencc
import pytest

from govspeech.features import BadBytes, NotTextError, decode_blocks, detect_encoding

MAX_BAD = 0.02


@pytest.fixture(scope="module")
def excerpt(root):
    text = (root / "data/raw/000_8446d01601e08bac.txt").read_text(encoding="utf-8")
    return text[text.index("下面,我再讲几点意见"):][:1500]


def decode(data: bytes, block: int = 64, sample: int = 256):
    codec, skip = detect_encoding(data[:sample], max_bad_share=MAX_BAD)
    bad = BadBytes()
    blocks = (data[i : i + block] for i in range(0, len(data), block))
    return "".join(decode_blocks(blocks, codec, skip=skip, bad=bad)), codec, bad


@pytest.mark.parametrize(
    "encoding, prefix, expected_codec",
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8"),
        ("gbk", b"", "gb18030"),
        ("gb18030", b"", "gb18030"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
        ("utf-16-le", b"", "utf-16-le"),
    ],
)
def test_each_encoding_decodes_to_the_same_text(excerpt, encoding, prefix, expected_codec):
    text, codec, bad = decode(prefix + excerpt.encode(encoding))
    assert (text, codec, bad.count) == (excerpt, expected_codec, 0)


def test_big5_of_the_traditional_excerpt(excerpt):
    traditional = opencc.OpenCC("s2t").convert(excerpt)
    encodable = "".join(c for c in traditional if c.encode("cp950", errors="ignore"))
    text, codec, bad = decode(encodable.encode("big5"))
    assert (text, codec, bad.count) == (encodable, "cp950", 0)


@pytest.mark.parametrize("block", [1, 3, 7, 1000])
def test_a_character_cut_between_blocks_is_carried_over(excerpt, block):
    assert decode(excerpt.encode("gb18030"), block=block)[0] == excerpt


def test_undecodable_bytes_become_a_mark_with_their_offset(excerpt):
    data, at = excerpt.encode("gb18030"), len(excerpt[:50].encode("gb18030"))
    damaged = data[:at] + b"\xff" + data[at:]
    text, codec, bad = decode(damaged)
    assert codec == "gb18030" and bad.count == 1 and bad.offsets == [at]
    assert text.replace("\ufffd", "") == excerpt


def test_a_truncated_last_character_is_reported_not_dropped_silently(excerpt):
    data = excerpt.encode("utf-8")[:-1]
    text, codec, bad = decode(data)
    assert codec == "utf-8" and text.endswith("\ufffd") and bad.offsets == [len(data) - 2]


@pytest.mark.parametrize(
    "head, what",
    [(b"%PDF-1.7\n%\xe2\xe3", "PDF"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
     (b"PK\x03\x04\x14\x00", "ZIP"), (b"\x00\x01\x02\x03binary\x00", "NUL")],
)
def test_binary_files_are_named_not_decoded(head, what):
    with pytest.raises(NotTextError, match=what):
        detect_encoding(head, max_bad_share=MAX_BAD)


def test_random_bytes_are_not_text():
    noise = random.Random(0).randbytes(4096).replace(b"\x00", b"\x01")
    with pytest.raises(NotTextError, match="not text"):
        detect_encoding(noise, max_bad_share=MAX_BAD)
