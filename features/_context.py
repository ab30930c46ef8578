"""Where a unit sits in its speech: headings, neighbours, position."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from govspeech.features._structure import is_enumerated, is_heading

__all__ = ["as_units", "enclosing_headings", "position_matrix", "section_opens", "span_bounds", "speech_spans"]


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


def span_bounds(n: int, spans) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``n`` rows, the start and end of its speech."""
    starts, ends = np.zeros(n, dtype=np.intp), np.zeros(n, dtype=np.intp)
    for start, end in spans:
        starts[start:end], ends[start:end] = start, end
    return starts, ends


def section_opens(texts: Sequence[str], starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(is a heading, opens a section) per row: a section runs from a heading or its speech's start to the
    next heading; ``starts`` from ``span_bounds``."""
    heads = np.array([is_heading(t) for t in texts], dtype=bool)
    return heads, heads | (np.arange(len(texts)) == starts)


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
    heads = np.array([is_heading(t) for t in texts], dtype=bool)
    enumerated = np.array([is_enumerated(t) for t in texts], dtype=bool)
    index = np.arange(len(texts))
    last_heading = np.where(heads, index, -1)  # at or before each unit in its speech, else the speech's start - 1
    for start, end in spans:
        n = end - start
        rows[start:end, 0] = (index[start:end] - start) / max(n - 1, 1)
        if end > start and not heads[start]:
            last_heading[start] = start - 1
    last_heading = np.maximum.accumulate(last_heading) if len(texts) else last_heading
    rows[:, 1] = rows[:, 0] < 0.15
    rows[:, 2] = rows[:, 0] > 0.85
    rows[:, 3] = heads
    rows[:, 4] = enumerated
    rows[:, 5] = np.minimum(index - last_heading, 10) / 10
    return rows
