"""Reading the files users give to `govspeech label`: bytes to speeches, streamed, or a clear error.

A file is read block by block, decoded in the encoding found on its first
bytes, cut into lines and then into speeches as they complete, so memory
holds one speech (or one chunk of a huge one) at a time, never the file.
A text already in memory (a JSONL record) is cut the same way by ``text_speeches``.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from govspeech.errors import DIRECTORY, EMPTY, MISSING, NOT_TEXT, TOO_LARGE, UNREADABLE, InputError
from govspeech.features import (
    BadBytes,
    NotTextError,
    decode_blocks,
    detect_encoding,
    iter_speeches,
    limits,
    split_speeches,
    split_units,
)

__all__ = ["STDIN", "FileInfo", "InputError", "SpeechText", "bad_bytes_note", "display_name", "open_input",
           "read_speech_file", "read_speeches", "speeches_of", "stdin_bytes", "text_speeches"]

STDIN = "-"

@dataclass(frozen=True)
class SpeechText:
    """One speech (or one chunk of a huge one) of a file; ``first_sent_id`` counts the units before it."""

    doc_id: str
    text: str
    first_sent_id: int = 0


@dataclass
class FileInfo:
    """What reading a file found: its encoding and its undecodable bytes (filled while reading)."""

    encoding: str = ""
    bad: BadBytes = field(default_factory=BadBytes)


def read_speeches(source: str | Path, *, name: str | None = None, max_bytes: int | None = None,
                  info: FileInfo | None = None) -> Iterator[SpeechText]:
    """The speeches of a file (``"-"``: standard input), streamed; InputError before any speech if unusable.

    ``doc_id`` is ``name`` for a file of one speech, ``name#N`` for each of several.
    ``max_bytes`` refuses larger files (None: no limit).
    """
    cfg = limits().input
    name = name or display_name(str(source))
    info = info if info is not None else FileInfo()
    handle = stdin_bytes() if str(source) == STDIN else open_input(Path(source), name, max_bytes)
    try:
        head = handle.read(cfg.detect_sample_bytes)
        if not head:
            raise InputError(f"{name}: empty file (0 bytes); nothing to label — check it is the speech you meant",
                             kind=EMPTY)
        try:
            codec, skip = detect_encoding(head, max_bad_share=cfg.max_bad_byte_share)
        except NotTextError as err:
            raise InputError(f"{name}: {err}; save the speech as plain text (UTF-8) and label that file",
                             kind=NOT_TEXT) from None
        info.encoding = codec
        blocks = itertools.chain([head], iter(lambda: handle.read(cfg.block_bytes), b""))
        yield from _speeches(name, decode_blocks(blocks, codec, skip=skip, bad=info.bad))
    except OSError as err:
        raise InputError(f"{name}: cannot read ({err.strerror or err}); check the file and its permissions",
                         kind=UNREADABLE) from None
    finally:
        if str(source) != STDIN:
            handle.close()


def stdin_bytes():
    """Standard input as bytes, or InputError when it is closed (``<&-``)."""
    if sys.stdin is None or sys.stdin.closed:
        raise InputError("stdin: standard input is closed; pipe the speeches in, or give files", kind=UNREADABLE)
    return sys.stdin.buffer


def display_name(source: str) -> str:
    """How an input is named in ids and messages: ``stdin`` for ``-``."""
    return "stdin" if source == STDIN else source


def open_input(path: Path, name: str, max_bytes: int | None = None):
    """``path`` opened for binary reading, or InputError (missing, a folder, over ``max_bytes``, unreadable)."""
    if path.is_dir():
        raise InputError(f"{name}: is a directory; give the speech files inside it (e.g. {name}/*.txt)",
                         kind=DIRECTORY)
    try:
        size = path.stat().st_size
        if max_bytes and size > max_bytes:
            raise InputError(f"{name}: {size / 2**20:.2f} MB, over the {max_bytes / 2**20:g} MB limit for one "
                             "file; split it, or pass --max-file-mb 0 to label it anyway (streamed)", kind=TOO_LARGE)
        return path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{name}: no such file; check the path", kind=MISSING) from None
    except OSError as err:
        raise InputError(f"{name}: cannot open ({err.strerror or err}); check its permissions",
                         kind=UNREADABLE) from None


def text_speeches(name: str, text: str) -> Iterator[SpeechText]:
    """The speeches of a text already decoded, as ``read_speeches`` gives those of a file holding it."""
    return _speeches(name, [text])


def _speeches(name: str, pieces: Iterable[str]) -> Iterator[SpeechText]:
    max_chars = limits().speech.max_chars
    return _numbered(name, iter_speeches(_lines(pieces, max_chars=max_chars), max_chars=max_chars))


def _lines(pieces: Iterable[str], *, max_chars: int) -> Iterator[str]:
    """Lines with their ends from decoded pieces; a line longer than ``max_chars`` is given in parts."""
    carry = ""
    for piece in pieces:
        lines = (carry + piece).splitlines(keepends=True)
        last = lines[-1] if lines else ""
        # an unfinished last line, or one ending in "\r" whose "\n" may start the next piece
        carry = lines.pop() if last and (last.endswith("\r") or last.splitlines()[0] == last) else ""
        yield from lines
        while len(carry) > max_chars:
            yield carry[:max_chars] + "\n"
            carry = carry[max_chars:]
    if carry:
        yield carry


def _numbered(name: str, speeches: Iterator[tuple[str, bool]]) -> Iterator[SpeechText]:
    """Doc ids and first sent_ids; one speech is held back to learn whether the file has several."""
    first, second = next(speeches, None), next(speeches, None)
    if second is None:
        if first is None or not first[0].strip():
            raise InputError(f"{name}: only whitespace; nothing to label — check it is the speech you meant",
                             kind=EMPTY)
        yield SpeechText(name, first[0])
        return
    assert first is not None  # a second speech was read, so a first one was
    number, offset = 0, 0
    for text, continued in itertools.chain((first, second), speeches):
        number, offset = (number, offset) if continued else (number + 1, 0)
        yield SpeechText(f"{name}#{number}", text, offset)
        offset += len(split_units(text))


def read_speech_file(path: str | Path, notes: list[str] | None = None) -> str:
    """The whole decoded text of a file (for small files; ``read_speeches`` streams)."""
    info = FileInfo()
    text = "".join(s.text for s in read_speeches(path, info=info))
    if notes is not None and info.bad.count:
        notes.append(bad_bytes_note(str(path), info))
    return text


def bad_bytes_note(name: str, info: FileInfo) -> str:
    """One line: how many bytes did not decode, where, and what was done."""
    offsets = ", ".join(map(str, info.bad.offsets)) + (", …" if info.bad.count > len(info.bad.offsets) else "")
    return (f"{name}: {info.bad.count} byte(s) undecodable as {info.encoding} at byte offset {offsets}; "
            "shown as U+FFFD and kept out of features, the rest is labelled")


def speeches_of(name: str, text: str) -> list[tuple[str, str]]:
    """(doc_id, text) of each speech in a file: ``name``, or ``name#N`` when it holds several."""
    speeches = split_speeches(text)
    if len(speeches) == 1:
        return [(name, speeches[0].text)]
    return [(f"{name}#{i}", s.text) for i, s in enumerate(speeches, start=1)]
