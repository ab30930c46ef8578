"""What `govspeech label` reads: files, folders and JSONL streams, as a lazy stream of speeches.

A JSONL stream (``-`` with ``--input-format jsonl``, or any ``*.jsonl`` file)
holds one speech a line: ``{"id": "2012-tj-03", "text": "同志们:……"}``.
``text`` (a string) is required; ``id`` (string or number) names the speech
in the output and defaults to ``<file>:<line number>``; other keys are
ignored. A text that holds several speeches is split as a file's would be
(``id#1``, ``id#2``…).

Nothing is read before it is needed, so memory does not grow with the input.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from predictor._inputs import InputError, read_speech_file, speeches_of

__all__ = ["INPUT_FORMATS", "JSONL_SUFFIX", "Done", "Failure", "Item", "SpeechItem", "expand_inputs", "iter_speeches"]

INPUT_FORMATS = ("auto", "text", "jsonl")
JSONL_SUFFIX = ".jsonl"
STDIN = "-"


@dataclass(frozen=True)
class SpeechItem:
    """One speech to label; ``source`` is the input it came from (a file, or ``file:line``)."""

    source: str
    doc_id: str
    text: str


@dataclass(frozen=True)
class Failure:
    """An input (a file, or one ``record`` of a JSONL stream) that could not be read; the message says what to do."""

    source: str
    message: str
    kind: str = "file"


@dataclass(frozen=True)
class Done:
    """A file read in full: all its speeches were yielded before this."""

    source: str


Item = SpeechItem | Failure | Done


def expand_inputs(inputs: list[str], *, glob: str) -> Iterator[str]:
    """Each input in order, a folder replaced by its files matching ``glob`` (recursively, sorted)."""
    for name in inputs:
        path = Path(name)
        if name != STDIN and path.is_dir():
            yield from (str(p) for p in sorted(path.rglob(glob)) if p.is_file())
        else:
            yield name


def _is_jsonl(name: str, input_format: str) -> bool:
    if input_format == "auto":
        return name != STDIN and name.endswith(JSONL_SUFFIX)
    return input_format == "jsonl"


def _jsonl_speeches(name: str, lines) -> Iterator[Item]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        source = f"{name}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield Failure(source, f"{source}: not JSON ({err.msg}); one speech a line: "
                                  '{"id": ..., "text": ...}', "record")
            continue
        text = record.get("text") if isinstance(record, dict) else None
        if not isinstance(text, str):
            yield Failure(source, f'{source}: expected an object with a string "text", got '
                                  f"{type(text if isinstance(record, dict) else record).__name__}", "record")
            continue
        if not text.strip():
            yield Failure(source, f"{source}: empty text; nothing to label", "record")
            continue
        doc_id = record.get("id", source)
        for sub_id, speech in speeches_of(str(doc_id), text):
            yield SpeechItem(source, sub_id, speech)


def _open_jsonl(name: str):
    if name == STDIN:
        return sys.stdin
    try:
        return open(name, encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{name}: no such file; check the path") from None
    except OSError as err:
        raise InputError(f"{name}: cannot read ({err.strerror}); check its permissions") from None


def _text_speeches(name: str) -> Iterator[Item]:
    notes: list[str] = []
    text = sys.stdin.read() if name == STDIN else read_speech_file(name, notes)
    for note in notes:
        print(f"govspeech: warning: {note}", file=sys.stderr)
    doc_name = "stdin" if name == STDIN else name
    if not text.strip():
        raise InputError(f"{doc_name}: empty input; nothing to label")
    for doc_id, speech in speeches_of(doc_name, text):
        yield SpeechItem(doc_name, doc_id, speech)
    yield Done(doc_name)


def iter_speeches(inputs: list[str], *, glob: str = "*.txt", input_format: str = "auto") -> Iterator[Item]:
    """Speeches of every input in order, a ``Failure`` for each input (or JSONL line) that cannot be read."""
    if input_format not in INPUT_FORMATS:
        raise ValueError(f"input_format must be one of {', '.join(INPUT_FORMATS)}, got {input_format!r}")
    for name in expand_inputs(inputs, glob=glob):
        try:
            if _is_jsonl(name, input_format):
                stream = _open_jsonl(name)
                try:
                    yield from _jsonl_speeches("stdin" if name == STDIN else name, stream)
                    yield Done(name)
                except UnicodeDecodeError:
                    raise InputError(f"{name}: not UTF-8 text; a JSONL stream must be UTF-8") from None
                finally:
                    if stream is not sys.stdin:
                        stream.close()
            else:
                yield from _text_speeches(name)
        except InputError as err:
            yield Failure(name, str(err))
