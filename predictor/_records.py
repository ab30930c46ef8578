"""One line of a JSONL stream as (id, text, notes), or an ``InputError`` for that record alone.

Untrusted records must not take the run down with them, so a record is
refused (and the rest labelled) when it is nested deeper than
``MAX_JSON_DEPTH`` (``json`` would recurse until RecursionError), and when
its id, or a file's name, holds a line break or another control character
(it would forge or break rows in text and CSV output). Lone UTF-16
surrogates (``"\\ud800"``), which no UTF-8 output can hold, are replaced by
U+FFFD with a warning.
"""

from __future__ import annotations

import json
import re

from govspeech.errors import BAD_RECORD, EMPTY, NOT_TEXT, TOO_LARGE, InputError

__all__ = ["MAX_JSON_DEPTH", "check_name", "parse_record", "printable"]

# A speech record is {"id": ..., "text": ...}, depth 1; metadata may nest a little. Far below
# Python's recursion limit, so a hostile record is refused before json.loads recurses.
MAX_JSON_DEPTH = 64

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _depth(line: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text (brackets inside strings do not count)."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub(b'""', line)):
        depth += 1 if bracket in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def printable(name: str) -> str:
    """``name`` with its control characters escaped (``\\x0a``), for a message that stays one line."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", name)


def check_name(source: str, name: str, what: str) -> None:
    """InputError if ``name`` (an id or a file name) holds a control character."""
    if found := _CONTROL.search(name):
        raise InputError(f"{printable(source)}: the {what} holds a control character (U+{ord(found.group()):04X}), "
                         "which would break rows of text and CSV output; give one without line breaks or control "
                         "characters", kind=BAD_RECORD)


def _replace_surrogates(value: str, notes: list[str], what: str) -> str:
    value, count = _SURROGATE.subn("\ufffd", value)
    if count:
        notes.append(f"{count} lone surrogate(s) in the {what} (not Unicode text) replaced by U+FFFD")
    return value


def parse_record(source: str, line: bytes | None, max_bytes: int | None) -> tuple[str, str, dict, list[str]]:
    """(id, text, metadata, warnings) of one JSONL line, or InputError naming ``source`` and what to do."""
    if line is None:
        assert max_bytes is not None  # a record is cut off only under a limit
        raise InputError(f"{source}: a record over the {max_bytes / 2**20:g} MB limit for one speech; split it, or "
                         "pass --max-file-mb 0 to label it anyway", kind=TOO_LARGE)
    if line.count(b"[") + line.count(b"{") > MAX_JSON_DEPTH and _depth(line) > MAX_JSON_DEPTH:  # cheap test first
        raise InputError(f"{source}: JSON nested deeper than {MAX_JSON_DEPTH} levels; one speech a line: "
                         '{"id": ..., "text": ...}', kind=BAD_RECORD)
    try:
        record = json.loads(line.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(f"{source}: not UTF-8; a JSONL stream must be UTF-8 text", kind=NOT_TEXT) from None
    except json.JSONDecodeError as err:
        raise InputError(f'{source}: not JSON ({err.msg}); one speech a line: {{"id": ..., "text": ...}}',
                         kind=BAD_RECORD) from None
    text = record.get("text") if isinstance(record, dict) else None
    if not isinstance(text, str):
        raise InputError(f'{source}: expected an object with a string "text", got '
                         f"{type(text if isinstance(record, dict) else record).__name__}", kind=BAD_RECORD)
    if not text.strip():
        raise InputError(f"{source}: empty text; nothing to label", kind=EMPTY)
    notes: list[str] = []
    doc_id = _replace_surrogates(str(record.get("id", source)), notes, "id")
    check_name(source, doc_id, "id")
    meta = {k: v for k, v in record.items() if k not in ("id", "text")}
    return doc_id, _replace_surrogates(text, notes, "text"), meta, notes
