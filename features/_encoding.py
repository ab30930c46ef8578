"""Bytes to text: find the encoding of a file and decode it block by block.

UTF-8 (with or without BOM) and UTF-16 with a BOM are recognised directly;
anything else is left to charset-normalizer, whose GBK/GB2312 answer is read
as GB18030 (the superset) and Big5 as CP950. Undecodable bytes become U+FFFD
(kept out of features by ``normalize_text``) and their byte offsets are
recorded, never dropped silently.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from govspeech.errors import NOT_TEXT, InputError

__all__ = ["BadBytes", "NotTextError", "decode_blocks", "detect_encoding"]

_BOMS = (  # longest first: the UTF-32 BOMs begin with the UTF-16 ones
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Files given by mistake: their signature, and what to call them in the message.
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (a .docx/.xlsx file?)"),
    (b"\xd0\xcf\x11\xe0", "an old Word/Excel document"),
    (b"{\\rtf", "an RTF document"),
)
# charset-normalizer names for which a wider codec reads the same bytes and more.
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "cp950"}
# Tried in this order on a sample the detector refuses (a few damaged bytes).
_DAMAGED_CANDIDATES = ("utf-8", "gb18030", "cp950")
# A multi-byte character needs at most this many bytes: a shorter tail may be cut.
_MAX_CHAR_BYTES = 4


class NotTextError(InputError):
    """Bytes that are not text in any encoding found; the message says what they look like."""

    def __init__(self, message: str):
        super().__init__(message, kind=NOT_TEXT)


@dataclass
class BadBytes:
    """Undecodable byte runs met while decoding: how many bytes, and the first offsets."""

    count: int = 0
    offsets: list[int] = field(default_factory=list)
    max_offsets: int = 10

    def add(self, offset: int, n: int) -> None:
        self.count += n
        if len(self.offsets) < self.max_offsets:
            self.offsets.append(offset)


def detect_encoding(head: bytes, *, max_bad_share: float) -> tuple[str, int]:
    """(codec, BOM length) for a file starting with ``head``; NotTextError for binary data.

    When charset-normalizer finds nothing (it refuses a sample with any
    undecodable byte), a damaged file is read with the first of UTF-8,
    GB18030 and CP950 that has the fewest undecodable bytes, if they are at
    most ``max_bad_share`` of the sample.
    """
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            raise NotTextError(f"{what}, not text")
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec, len(bom)
    if b"\x00" in head:  # text with NUL bytes can only be UTF-16/32 without a BOM
        wide = _detected(head)
        if wide is None or not wide.startswith(("utf-16", "utf-32")):
            raise NotTextError("binary data (NUL bytes), not text")
        return wide, 0
    if _is_utf8(head):
        return "utf-8", 0
    return _detected(head) or _least_damaged(head, max_bad_share), 0


def _detected(head: bytes) -> str | None:
    """charset-normalizer's codec for the sample, widened; None when it finds none."""
    from charset_normalizer import from_bytes  # deferred: only for files that are not UTF-8

    for cut in range(_MAX_CHAR_BYTES):  # the sample may end inside a character
        best = from_bytes(head[: len(head) - cut]).best()
        if best is not None:
            codec = codecs.lookup(best.encoding).name
            return _WIDER.get(codec, codec)
    return None


def _least_damaged(head: bytes, max_bad_share: float) -> str:
    counts = {}
    for codec in _DAMAGED_CANDIDATES:
        bad = BadBytes()
        _decode(head, codec, 0, bad, final=False)
        counts[codec] = bad.count
    codec = min(_DAMAGED_CANDIDATES, key=counts.__getitem__)  # min keeps the first of a tie
    if counts[codec] > max_bad_share * len(head):
        raise NotTextError(f"not text in any encoding found (even as {codec}, {counts[codec]} of the first "
                           f"{len(head)} bytes do not decode)")
    return codec


def _is_utf8(head: bytes) -> bool:
    """Valid UTF-8, allowing a character cut off at the end of the sample."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        return err.reason == "unexpected end of data" and len(head) - err.start < _MAX_CHAR_BYTES
    return True


def decode_blocks(blocks: Iterable[bytes], codec: str, *, skip: int = 0, bad: BadBytes) -> Iterator[str]:
    """Decode consecutive byte blocks of one file; a character cut between blocks is carried over.

    ``skip`` bytes (a BOM) are dropped from the start. Each undecodable byte
    run becomes U+FFFD and is recorded in ``bad`` with its offset in the file.
    """
    offset, carry = 0, b""
    for block in blocks:
        data = carry + block
        if skip:
            data, skip, offset = data[skip:], max(0, skip - len(data)), offset + min(skip, len(data))
        text, used = _decode(data, codec, offset, bad, final=False)
        carry, offset = data[used:], offset + used
        if text:
            yield text
    if carry:
        text, _ = _decode(carry, codec, offset, bad, final=True)
        yield text


def _decode(data: bytes, codec: str, offset: int, bad: BadBytes, *, final: bool) -> tuple[str, int]:
    """(text, bytes used) of ``data``; an incomplete character at the end is left unused unless ``final``."""
    parts, pos = [], 0
    while pos < len(data):
        try:
            parts.append(data[pos:].decode(codec))
            pos = len(data)
        except UnicodeDecodeError as err:
            parts.append(data[pos : pos + err.start].decode(codec))
            cut_at_end = err.end >= len(data) - pos and len(data) - pos - err.start < _MAX_CHAR_BYTES
            if cut_at_end and not final:
                return "".join(parts), pos + err.start
            bad.add(offset + pos + err.start, err.end - err.start)
            parts.append("\ufffd")
            pos += err.end
    return "".join(parts), pos
