"""Where a unit sits in its speech: headings, neighbours, position."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["as_units", "speech_spans", "is_enumerated", "is_heading", "enclosing_headings", "position_matrix"]

_HEADING_MAX_CHARS = 40
_ENUMERATOR = re.compile(
    r"^\s*(第[一二三四五六七八九十]+[,,、]|[一二三四五六七八九十]+[、.是要]|"
    r"[((][一二三四五六七八九十\d]+[))]|\d+[.、]|[㈠-㈩])"
)
_SENTENCE_END = re.compile(r"[。;;!!??][”’\"')）]*\s*$")


def as_units(units) -> list[dict]:
    """Validate a batch of units: strings, or mappings with ``text`` (and ``doc_id``).

    Plain strings are units of one speech, in order.
    """
    if isinstance(units, (str, bytes)):
        raise TypeError(
            f"Iterable over units expected, {type(units).__name__} object received: "
            "pass a list of unit texts (or of mappings with a 'text' key)."
        )
    rows = []
    for i, unit in enumerate(units):
        if isinstance(unit, str):
            rows.append({"doc_id": None, "text": unit})
        elif isinstance(unit, Mapping) and isinstance(unit.get("text"), str):
            rows.append({"doc_id": unit.get("doc_id"), "text": unit["text"]})
        else:
            raise TypeError(
                f"unit {i}: a str or a mapping with a str 'text' expected, got {type(unit).__name__}"
            )
    return rows


def speech_spans(doc_ids: Sequence) -> list[tuple[int, int]]:
    """[start, end) index ranges of consecutive units of one speech."""
    spans, start = [], 0
    for i in range(1, len(doc_ids) + 1):
        if i == len(doc_ids) or doc_ids[i] != doc_ids[start]:
            spans.append((start, i))
            start = i
    return spans


def is_enumerated(text: str) -> bool:
    """Starts with an enumerator: 一、 (一) 1. 第一, 一是 一要 …"""
    return bool(_ENUMERATOR.match(text))


def is_heading(text: str) -> bool:
    """A section heading: enumerated and short, or a short line with no end mark."""
    stripped = text.strip()
    if len(stripped) > _HEADING_MAX_CHARS:
        return False
    return is_enumerated(stripped) or not _SENTENCE_END.search(stripped)


def enclosing_headings(texts: Sequence[str], spans) -> list[str]:
    """For each unit, the nearest heading at or above it in its speech ('' before any)."""
    out = [""] * len(texts)
    for start, end in spans:
        current = ""
        for i in range(start, end):
            if is_heading(texts[i]):
                current = texts[i]
            out[i] = current
    return out


def position_matrix(texts: Sequence[str], spans) -> np.ndarray:
    """Dense position features: relative place in the speech and unit shape."""
    rows = np.zeros((len(texts), 6))
    for start, end in spans:
        n = end - start
        since_heading = 0
        for i in range(start, end):
            heading = is_heading(texts[i])
            since_heading = 0 if heading else since_heading + 1
            rel = (i - start) / max(n - 1, 1)
            rows[i] = (
                rel,
                rel < 0.15,
                rel > 0.85,
                heading,
                is_enumerated(texts[i]),
                min(since_heading, 10) / 10,
            )
    return rows
