"""What `govspeech label` reads: files, folders and JSONL streams, as a lazy stream of speeches.

Text files (and ``-``) are read by ``predictor._inputs.read_speeches``:
streamed, encoding detected, size-limited. A JSONL stream (``-`` with
``--input-format jsonl``, or found so by ``_stdin_sniff``; any ``*.jsonl`` file) holds one speech a line,
in UTF-8: ``{"id": "2012-tj-03", "text": "同志们:……"}``. ``text`` (a string)
is required; ``id`` (string or number) names the speech in the output and
defaults to ``<file>:<line number>``; every other key is metadata, written
on each unit of the speech (``check_meta`` may refuse it: a bad record). A text that
holds several speeches is split as a file's would be (``id#1``, ``id#2``…).

The stream is made of *inputs* — a text file, or one record of a JSONL
stream — each ending in ``Done`` (all its speeches were given) or
``Failure`` (what was given of it must be taken back), or given as
``Skipped`` (already in the output being resumed). Nothing is read before it
is needed, so memory does not grow with the input.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from govspeech.errors import DIRECTORY, UNREADABLE, InputError
from govspeech.predictor._inputs import (
    STDIN,
    FileInfo,
    bad_bytes_note,
    display_name,
    open_input,
    read_speeches,
    stdin_bytes,
    text_speeches,
)
from govspeech.predictor._records import check_name, parse_record
from govspeech.predictor._resume import InputKey
from govspeech.predictor._stdin_sniff import stdin_is_jsonl

__all__ = ["INPUT_FORMATS", "JSONL_SUFFIX", "Done", "Failure", "Item", "Note", "Skipped", "SpeechItem",
           "expand_inputs", "input_speeches", "iter_speeches"]

INPUT_FORMATS = ("auto", "text", "jsonl")
JSONL_SUFFIX = ".jsonl"


@dataclass(frozen=True)
class SpeechItem:
    """One speech (or a chunk of a huge one) to label; ``source`` is its input (a file, or ``file:line``);
    ``meta``: its JSONL record's other fields."""

    source: str
    doc_id: str
    text: str
    first_sent_id: int = 0
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Note:
    """A line for standard error about an input: a warning, or (``verbose``) a report for ``--verbose`` only."""

    source: str
    message: str
    verbose: bool = False


@dataclass(frozen=True)
class Failure:
    """An input that could not be read; ``kind`` is one of ``govspeech.errors.INPUT_KINDS``, the message says what to do."""

    source: str
    message: str
    kind: str = UNREADABLE


@dataclass(frozen=True)
class Done:
    """An input read in full: all its speeches were given before this; ``key`` identifies it for --resume."""

    source: str
    key: InputKey | None = None


@dataclass(frozen=True)
class Skipped:
    """An input whose speeches the output being resumed holds already."""

    source: str


Item = SpeechItem | Note | Failure | Done | Skipped


def _never(key: InputKey) -> bool:
    return False


def _any_meta(source: str, meta: dict) -> dict:
    return meta


def expand_inputs(inputs: list[str], *, glob: str) -> Iterator[str]:
    """Each input in order, a folder replaced by its files matching ``glob`` (recursively, sorted).

    A folder with no such file stays as it is given, for the reader to report. A file reached through a
    symlink that leads out of the folder is left out: a folder of untrusted pages cannot point at other files.
    """
    for name in inputs:
        path = Path(name)
        files = sorted(p for p in path.rglob(glob) if p.is_file() and _within(p, path)) if (
            name != STDIN and path.is_dir()) else []
        yield from (str(p) for p in files) if files else [name]


def _within(file: Path, folder: Path) -> bool:
    return file.resolve().is_relative_to(folder.resolve())


def _is_jsonl(name: str, input_format: str, max_bytes: int | None) -> bool:
    if input_format == "auto":
        return stdin_is_jsonl(max_bytes) if name == STDIN else name.endswith(JSONL_SUFFIX)
    return input_format == "jsonl"


def _record_lines(handle, max_bytes: int | None) -> Iterator[bytes | None]:
    """The lines of a binary stream; None for a line over ``max_bytes``, which is read past, never held."""
    while line := handle.readline(max_bytes + 1 if max_bytes else -1):
        if max_bytes and len(line) > max_bytes:
            while line and not line.endswith(b"\n"):
                line = handle.readline(max_bytes + 1)
            yield None
        else:
            yield line


def _jsonl_speeches(name: str, occurrence: int, *, max_bytes: int | None, skip: Callable[[InputKey], bool],
                    check_meta: Callable[[str, dict], dict]) -> Iterator[Item]:
    """Every record of a JSONL stream as an input of its own, identified by its line."""
    label = display_name(name)
    handle = stdin_bytes() if name == STDIN else open_input(Path(name), label)
    try:
        for number, line in enumerate(_record_lines(handle, max_bytes), start=1):
            if line is not None and not line.strip():
                continue
            source = f"{label}:{number}"
            key = (source, occurrence)
            if skip(key):
                yield Skipped(source)
                continue
            try:
                doc_id, text, meta, notes = parse_record(source, line, max_bytes)
                meta = check_meta(source, meta)
            except InputError as err:
                yield Failure(source, str(err), err.kind)
                continue
            yield from (Note(source, f"{source}: {note}") for note in notes)
            for speech in text_speeches(doc_id, text):
                yield SpeechItem(source, speech.doc_id, speech.text, speech.first_sent_id, meta)
            yield Done(source, key)
    except OSError as err:
        raise InputError(f"{label}: cannot read ({err.strerror or err}); check the file", kind=UNREADABLE) from None
    finally:
        if name != STDIN:
            handle.close()


def _text_speeches(name: str, occurrence: int, *, max_bytes: int | None, skip: Callable[[InputKey], bool],
                   check_meta: Callable[[str, dict], dict]) -> Iterator[Item]:
    """The speeches of one text file (or standard input), streamed by ``read_speeches``."""
    doc_name = display_name(name)
    key = (doc_name, occurrence)
    if skip(key):
        yield Skipped(doc_name)
        return
    check_name(doc_name, doc_name, "file name")
    info, speeches, meta = FileInfo(), 0, check_meta(doc_name, {})  # none, but it may fix the CSV columns
    for speech in read_speeches(name, name=doc_name, max_bytes=max_bytes, info=info):
        if speeches == 0:
            yield Note(doc_name, f"{doc_name}: encoding {info.encoding}", verbose=True)
        yield SpeechItem(doc_name, speech.doc_id, speech.text, speech.first_sent_id, meta)
        speeches += 1
    if info.bad.count:
        yield Note(doc_name, bad_bytes_note(doc_name, info))
    yield Note(doc_name, f"{doc_name}: {speeches} speech(es) labelled", verbose=True)
    yield Done(doc_name, key)


def iter_speeches(inputs: list[str], *, glob: str = "*.txt", input_format: str = "auto",
                  max_bytes: int | None = None, skip: Callable[[InputKey], bool] = _never,
                  check_meta: Callable[[str, dict], dict] = _any_meta) -> Iterator[Item]:
    """Speeches of every input in order, a ``Failure`` for each input (or JSONL line) that cannot be read.

    ``max_bytes`` refuses a larger text file or JSONL record (None: no limit);
    ``skip(key)`` tells which inputs (``predictor._resume.InputKey``) an output being resumed holds already;
    ``check_meta(source, meta)`` gives a JSONL record's metadata as written, or InputError.
    """
    if input_format not in INPUT_FORMATS:
        raise ValueError(f"input_format must be one of {', '.join(INPUT_FORMATS)}, got {input_format!r}")
    given: Counter[str] = Counter()  # the same file given twice is two inputs
    for name in expand_inputs(inputs, glob=glob):
        given[name] += 1
        try:
            if name != STDIN and Path(name).is_dir():
                raise InputError(f"{name}: a folder with no file matching {glob!r} inside; give the speech files, "
                                 "or a --glob that finds them", kind=DIRECTORY)
            if _is_jsonl(name, input_format, max_bytes):
                yield from _jsonl_speeches(name, given[name], max_bytes=max_bytes, skip=skip, check_meta=check_meta)
            else:
                yield from _text_speeches(name, given[name], max_bytes=max_bytes, skip=skip, check_meta=check_meta)
        except InputError as err:
            yield Failure(display_name(name), str(err), err.kind)


def input_speeches(name: str, *, input_format: str = "auto", max_bytes: int | None = None) -> Iterator[SpeechItem]:
    """The speeches of one file (or ``-``) as `govspeech label` reads it: a text file's, or each record's of a
    JSONL stream, for a verb that shows one input (``explain``); InputError at the first part that cannot be read."""
    if input_format not in INPUT_FORMATS:
        raise ValueError(f"input_format must be one of {', '.join(INPUT_FORMATS)}, got {input_format!r}")
    reader = _jsonl_speeches if _is_jsonl(name, input_format, max_bytes) else _text_speeches
    for item in reader(name, 1, max_bytes=max_bytes, skip=_never, check_meta=_any_meta):
        if isinstance(item, Failure):
            raise InputError(item.message, kind=item.kind)
        if isinstance(item, SpeechItem):
            yield item
