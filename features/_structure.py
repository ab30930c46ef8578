"""Sentence ends, enumerators and headings: the one place that says what each looks like.

The unit splitter, the line joiner, the speech splitter, the position features
and the outline of a speech all read these definitions.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from govspeech.features._limits import limits

__all__ = [
    "CLOSERS", "ENUMERATOR_STYLES", "SENTENCE_BOUNDARY", "STATEMENT_MARKS", "TERMINATORS", "Enumerator",
    "ends_sentence", "enumerator", "heading_max_chars", "is_enumerated", "is_heading", "is_outline_heading",
]

# Both the full-width and ASCII forms: scraped pages mix them.
TERMINATORS = "。!?;!?;"
# A closing quote or bracket right after a terminator stays with its unit.
CLOSERS = "”’\"')）]】》」』〕>"
# A run of terminators (e.g. "??" or "!」") ends one unit, not several:
# units made only of punctuation carry no meaning to label.
SENTENCE_BOUNDARY = re.compile(f"[{re.escape(TERMINATORS)}]+[{re.escape(CLOSERS)}]*")
# Title lines of a scraped page end in "!" or in "??" (characters lost in
# transit); for them only these marks end a sentence (``ends_sentence(marks=…)``).
STATEMENT_MARKS = "。;;"
_LEAD_IN_END = re.compile(r"[::]\s*$")

_HAN = "(?:[二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])"
# Style name (how its first item looks) -> pattern of its marker, whose one
# non-empty group is the ordinal. "1." is not "8.7%": a decimal is no item.
_STYLE_PATTERNS = (
    ("第一部分", rf"第({_HAN})部分"),
    ("第一", rf"第({_HAN})[,,、::]"),
    ("一、", rf"({_HAN})[、.．]"),
    ("一是", rf"({_HAN})是"),
    ("一要", rf"({_HAN})要"),
    ("(一)", rf"[((]({_HAN})[))]|([㈠-㈩])"),
    ("(1)", r"[((](\d+)[))]"),
    ("1.", r"(\d+)(?:[.、．](?!\d)|[))])"),
    ("①", r"([①-⑳])"),
    ("首先", r"(首先|其次|再次|最后)"),
)
ENUMERATOR_STYLES = tuple(name for name, _ in _STYLE_PATTERNS)
_STYLE_RES = tuple(re.compile(p) for _, p in _STYLE_PATTERNS)
# One alternation to test a unit at once; the named group says which style matched.
_ENUMERATOR = re.compile(r"\s*(?:" + "|".join(f"(?P<s{k}>{p})" for k, (_, p) in enumerate(_STYLE_PATTERNS)) + ")")
_HAN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
_ORDINAL_WORDS = {"首先": 1, "其次": 2, "再次": 3, "最后": None}


@dataclass(frozen=True)
class Enumerator:
    """The item marker a unit starts with: its ``style`` (one of ``ENUMERATOR_STYLES``),
    its ``ordinal`` (1 for 一、, 3 for ③; None for 最后) and its length in characters."""

    style: str
    ordinal: int | None
    length: int


def _ordinal(token: str) -> int | None:
    if token in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[token]
    if token.isdecimal():
        return int(token)
    if "㈠" <= token <= "㈩":
        return ord(token) - ord("㈠") + 1
    if "①" <= token <= "⑳":
        return ord(token) - ord("①") + 1
    tens, ten, ones = token.partition("十")
    if not ten:
        return _HAN_DIGITS[token]
    return _HAN_DIGITS.get(tens, 1) * 10 + _HAN_DIGITS.get(ones, 0)


def enumerator(text: str) -> Enumerator | None:
    """The enumerator ``text`` starts with (``一、`` ``(一)`` ``1.`` ``第一,`` ``一是`` ``首先`` ``①`` …), or None.

    Only the start counts: ``一是……二是……`` inside a sentence enumerates
    nothing here.
    """
    match = _ENUMERATOR.match(text)
    if match is None:
        return None
    group = match.lastgroup
    assert group is not None  # every alternative of _ENUMERATOR is a named group
    k = int(group[1:])  # the style's group encloses its ordinal's, so it closes last
    style = _STYLE_RES[k].match(text, match.start(group))
    assert style is not None  # _ENUMERATOR's alternative k is _STYLE_RES[k]
    token = next(g for g in style.groups() if g is not None)
    return Enumerator(ENUMERATOR_STYLES[k], _ordinal(token), match.end())


def is_enumerated(text: str) -> bool:
    """Starts with an enumerator (see ``enumerator``)."""
    return _ENUMERATOR.match(text) is not None


@functools.lru_cache(maxsize=4)
def _sentence_end(marks: str) -> re.Pattern:
    return re.compile(f"[{re.escape(marks)}][{re.escape(CLOSERS)}]*\\s*$")


def ends_sentence(text: str, *, marks: str = TERMINATORS) -> bool:
    """Ends with one of ``marks``, perhaps followed by closing quotes or brackets."""
    return _sentence_end(marks).search(text) is not None


def heading_max_chars() -> int:
    """The longest heading, in characters (``cleaning.toml``)."""
    return limits().structure.heading_max_chars


def is_heading(text: str) -> bool:
    """A section heading: short, and enumerated or without a sentence mark at its end."""
    stripped = text.strip()
    if len(stripped) > heading_max_chars():
        return False
    return is_enumerated(stripped) or not ends_sentence(stripped)


def is_outline_heading(text: str) -> bool:
    """A heading without an enumerator that the outline of a speech shows (a title, an unnumbered section).

    Unlike ``is_heading`` (a feature of the model), a lead-in or salutation ending in a colon is left out: it
    introduces the text under it rather than naming a section.
    """
    stripped = text.strip()
    return is_heading(stripped) and not is_enumerated(stripped) and not _LEAD_IN_END.search(stripped)
