"""Lines broken mid-sentence: which line continues the sentence of the line before it.

Scraped and re-typed pages wrap a long sentence (``…使城镇居民可支配收入达到4828元,增长``
/ ``8.7%,农民人均纯收入…``). A line continues the previous one when that
line is body text (not a heading, title or salutation) ending mid-clause —
on a character, digit or comma rather than a sentence mark, closing quote or
colon — and the line itself does not open a new item (``一、``, ``㈡``, ``2.``,
``篇3:``) — or when that line leaves a quote or bracket open.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from govspeech.features._normalize import normalize_text
from govspeech.features._structure import TERMINATORS, is_enumerated, is_heading

__all__ = ["continues_previous"]

# Ends mid-clause: a Han character, a letter or digit, a percent sign or a comma.
_MID_CLAUSE_END = re.compile(r"[\u3400-\u9fff0-9A-Za-z%%,,、]\s*$")
# A new piece or speech is never a continuation, even after an open quote.
_NEW_PIECE = re.compile(r"^\s*(篇\s*\d+|同志们)")
# Besides an enumerated item and a new piece, a bracketed tag opens a new line of its own.
_NEW_TAG = re.compile(r"^\s*[【\[]")
_PAIRS = (("“", "”"), ("《", "》"), ("(", "("), ("(", ")"))


def continues_previous(lines: Sequence[str]) -> list[bool]:
    """For each line, whether it continues a sentence broken at the end of the line before."""
    clean = [normalize_text(line).strip() for line in lines]  # ruby would lengthen a title past a heading
    flags = [False] * len(lines)
    for i in range(1, len(lines)):
        before, line = clean[i - 1], clean[i]
        if not before or not line or _NEW_PIECE.match(line):
            continue
        # ``before`` is stripped, so only its last character can end it mid-clause; cheap tests first.
        flags[i] = (before[-1] not in TERMINATORS and _unclosed(before)) or bool(
            _MID_CLAUSE_END.search(before[-1]) and not _is_heading(before) and not _opens_item(line)
        )
    return flags


def _unclosed(line: str) -> bool:
    """A quote or bracket opened and not closed: the sentence goes on (``“世界一流、全国唯`` / ``一、…”``)."""
    return any(line.count(a) > line.count(b) for a, b in _PAIRS)


def _opens_item(line: str) -> bool:
    return is_enumerated(line) or bool(_NEW_TAG.match(line) or _NEW_PIECE.match(line))


def _is_heading(line: str) -> bool:
    """Short and unterminated, or an item with no sentence mark however long.

    Longer than ``is_heading`` allows: a long heading line must still not
    swallow the line under it.
    """
    return is_heading(line) or (_opens_item(line) and not any(c in TERMINATORS for c in line))
