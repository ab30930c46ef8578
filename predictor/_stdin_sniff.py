"""Whether standard input given as ``-`` (with ``--input-format auto``) is a JSONL stream or speech text.

Its first non-empty lines are read (and given back to the reader untouched):
all of them JSON objects with a string ``text`` -> JSONL; a first line that
opens like JSON (``{``) but is not such an object throughout -> refused,
since a wrong guess either way labels the JSON syntax as speech or drops the
text; anything else is speech text.
"""

from __future__ import annotations

import io
import json
import sys

from govspeech.errors import UsageError
from govspeech.predictor._inputs import stdin_bytes

__all__ = ["stdin_is_jsonl"]

SNIFF_LINES = 3  # non-empty lines looked at: enough to tell a stream of records from a page that opens with "{"


class _Replayed(io.RawIOBase):
    """The bytes already read, then the rest of the stream."""

    def __init__(self, head: bytes, rest):
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n], self._head = self._head[:n], self._head[n:]
            return n
        data = self._rest.read1(len(buffer)) if hasattr(self._rest, "read1") else self._rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _record(line: bytes) -> bool:
    try:
        value = json.loads(line.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return False
    return isinstance(value, dict) and isinstance(value.get("text"), str)


def stdin_is_jsonl(max_bytes: int | None) -> bool:
    """Decide what standard input holds; UsageError when it cannot be told. The lines read are given back."""
    source = stdin_bytes()
    head = b""
    lines: list[bytes] = []
    while len(lines) < SNIFF_LINES and (line := source.readline(max_bytes + 1 if max_bytes else -1)):
        head += line
        if line.strip():
            lines.append(line)
        if not line.endswith(b"\n"):
            break  # over the limit, or the end: no more lines to look at
    sys.stdin = io.TextIOWrapper(io.BufferedReader(_Replayed(head, source)), encoding="utf-8")
    records = [_record(line) for line in lines]
    if lines and lines[0].lstrip(b"\xef\xbb\xbf \t").startswith(b"{") and not all(records):
        bad = records.index(False) + 1
        raise UsageError(f"standard input opens like JSONL, but its non-empty line {bad} is not a JSON object with a "
                         "string \"text\"; pass --input-format jsonl (one speech a line) or --input-format text")
    return bool(lines) and all(records)
