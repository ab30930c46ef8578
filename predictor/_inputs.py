"""Reading the files users give to `govspeech label`: bytes to speech text, or a clear error."""

from __future__ import annotations

from pathlib import Path

from features import split_speeches

__all__ = ["InputError", "read_speech_file", "speeches_of"]


class InputError(ValueError):
    """An input that cannot be labelled; the message names the file and what to do."""


def decode(data: bytes, name: str, notes: list[str] | None = None) -> str:
    """Text of a file: UTF-8 (with or without BOM), else the encoding charset-normalizer finds.

    A multi-byte character cut off at the very end (a truncated download) is
    dropped and reported in ``notes`` with its byte offset.
    """
    if not data.strip():
        raise InputError(f"{name}: empty file; nothing to label")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: binary data, not text; give a text file of the speech")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data" and len(data) - err.start < 4:
            if notes is not None:
                notes.append(f"{name}: truncated character at byte offset {err.start} dropped")
            return data[: err.start].decode("utf-8-sig")
    from charset_normalizer import from_bytes  # deferred: only for non-UTF-8 files

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: not text in any encoding found; save it as UTF-8 text")
    return str(best)


def read_speech_file(path: str | Path, notes: list[str] | None = None) -> str:
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a directory; give the speech files inside it")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror}); check its permissions") from None
    return decode(data, str(path), notes)


def speeches_of(name: str, text: str) -> list[tuple[str, str]]:
    """(doc_id, text) of each speech in a file: ``name``, or ``name#N`` when it holds several."""
    speeches = split_speeches(text)
    if len(speeches) == 1:
        return [(name, speeches[0].text)]
    return [(f"{name}#{i}", s.text) for i, s in enumerate(speeches, start=1)]
