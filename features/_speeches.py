"""Several speeches in one scraped page: split at ``篇N:`` headings and at a
fresh salutation (``同志们:``) that follows a title line."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from govspeech.features._structure import STATEMENT_MARKS, ends_sentence, heading_max_chars, is_enumerated

__all__ = ["Speech", "iter_speeches", "split_speeches"]

_PIECE_HEADING = re.compile(r"^\s*篇\s*(\d+)\s*[::]")
_SALUTATION = re.compile(r"^\s*(同志们|各位(老)?领导[^::]{0,20}|女士们[^::]{0,10})[::]\s*[??\s]*$")
_TITLE_MAX_LINES = 3


@dataclass(frozen=True)
class Speech:
    """One speech cut from a page.

    ``number`` is N of its ``篇N:`` heading (None on a page without them);
    ``part`` counts the speeches found inside that piece, from 1.
    """

    number: int | None
    part: int
    text: str


def _is_title(line: str) -> bool:
    """A title line above a salutation: short, no statement, not enumerated, not a salutation."""
    stripped = line.strip()
    return (len(stripped) <= heading_max_chars() and not ends_sentence(stripped, marks=STATEMENT_MARKS)
            and not is_enumerated(stripped) and not _SALUTATION.match(stripped))


def _speech_starts(lines: list[str]) -> list[int]:
    """Line indexes where a further speech begins inside one piece.

    A salutation under a title line starts a speech when the piece already
    holds one: an earlier salutation, or body text (a line ending a statement: 。 or ;).
    """
    starts: list[int] = []
    body_seen = False
    for i, line in enumerate(lines):
        if not _SALUTATION.match(line):
            body_seen = body_seen or ends_sentence(line, marks=STATEMENT_MARKS)
            continue
        start = i
        while start > 0 and i - start < _TITLE_MAX_LINES and _is_title(lines[start - 1]):
            start -= 1
        if body_seen and start < i and start > (starts[-1] if starts else 0):
            starts.append(start)
        body_seen = True
    return starts


def split_speeches(text: str) -> list[Speech]:
    """Cut a page into its speeches, in order; no line is lost.

    A ``篇N:`` heading starts a piece; inside a piece, a salutation under a
    title line starts another speech once the piece holds one already. Text
    before the first heading (the site's page header) stays with the first
    speech.
    """
    header: list[str] = []
    pieces: list[tuple[int | None, list[str]]] = []
    for line in text.splitlines(keepends=True):
        heading = _PIECE_HEADING.match(line)
        if heading:
            pieces.append((int(heading.group(1)), [line]))
        elif pieces:
            pieces[-1][1].append(line)
        else:
            header.append(line)
    if not pieces:
        pieces, header = [(None, header)], []
    speeches = []
    for number, piece_lines in pieces:
        bounds = [0, *_speech_starts(piece_lines), len(piece_lines)]
        for part, (a, b) in enumerate(itertools.pairwise(bounds), start=1):
            speeches.append(Speech(number, part, "".join(piece_lines[a:b])))
    first = speeches[0]
    speeches[0] = Speech(first.number, first.part, "".join(header) + first.text)
    return speeches


def iter_speeches(lines: Iterable[str], *, max_chars: int) -> Iterator[tuple[str, bool]]:
    """The speeches of ``split_speeches``, from lines read one by one (ends kept): ``(text, continued)``.

    A piece is cut when the next ``篇N:`` heading arrives, so a page is never
    held whole. A buffer past ``max_chars`` (a page without headings, one huge
    speech) gives out its finished speeches; a speech still longer is given
    out in line-aligned chunks, each after the first marked ``continued``.
    """
    buffer: list[str] = []
    size, has_heading, started, continued = 0, False, False, False
    for line in lines:
        if _PIECE_HEADING.match(line):
            if buffer and (has_heading or started):
                yield from _tagged(split_speeches("".join(buffer)), continued)
                buffer, size, started, continued = [], 0, True, False
            has_heading = True
        buffer.append(line)
        size += len(line)
        if size > max_chars:
            *done, last = split_speeches("".join(buffer))
            yield from _tagged(done, continued)
            continued = continued and not done
            if len(last.text) > max_chars:
                yield last.text, continued
                buffer, size, continued = [], 0, True
            else:
                buffer, size = last.text.splitlines(keepends=True), len(last.text)
            started, has_heading = True, False
    if buffer:
        yield from _tagged(split_speeches("".join(buffer)), continued)


def _tagged(speeches: list[Speech], continued: bool) -> Iterator[tuple[str, bool]]:
    """(text, continued) of each speech: only the first can continue a speech given out before."""
    for i, speech in enumerate(speeches):
        yield speech.text, continued and i == 0
