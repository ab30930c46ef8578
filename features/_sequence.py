"""Context from the roles predicted around a unit: the input of the second stage.

A speech is a sequence: whether a plain report of work done is praise depends
on whether the passage around it is a review of achievements, and a target
list follows its heading. Given the first stage's role probabilities for every
unit, these features describe each unit's neighbourhood in its speech.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from govspeech.features._context import is_heading, position_matrix

__all__ = ["sequence_features", "sequence_feature_names"]


def _sections(texts: Sequence[str], start: int, end: int) -> list[tuple[int, int, int | None]]:
    """(first, end, heading index or None) of each heading-delimited run in one speech."""
    out, first, heading = [], start, None
    for i in range(start, end):
        if is_heading(texts[i]):
            if i > first:
                out.append((first, i, heading))
                first = i
            heading = i
    out.append((first, end, heading))
    return out


def _means_without(block: np.ndarray) -> np.ndarray:
    """Row i: the mean of the rows of ``block`` other than row i (zeros when it is alone); linear in its length."""
    if len(block) < 2:
        return np.zeros(block.shape)
    return (block.sum(axis=0) - block) / (len(block) - 1)


def sequence_features(proba: np.ndarray, texts: Sequence[str], spans, *, window: int) -> np.ndarray:
    """Dense (n_units, n_features) context of each unit, from role probabilities ``proba``.

    Blocks: the unit's own probabilities; each neighbour's up to ``window``
    units away (with a flag where the speech has no unit there); the mean over
    the unit's section (without the unit), over the whole speech, and the
    enclosing heading's probabilities; the unit's position and shape.
    """
    n, k = proba.shape
    neighbours = np.zeros((n, 2 * window * (k + 1)))
    section = np.zeros((n, k))
    speech = np.zeros((n, k))
    heading = np.zeros((n, k + 1))
    lengths = np.array([end - start for start, end in spans], dtype=np.int64)
    first = np.repeat(np.array([start for start, _ in spans], dtype=np.int64), lengths)
    last = first + np.repeat(lengths, lengths)
    index = np.arange(n)
    for offset_index, offset in enumerate(o for d in range(1, window + 1) for o in (-d, d)):
        col = offset_index * (k + 1)
        j = index + offset
        inside = (j >= first) & (j < last)
        neighbours[inside, col : col + k] = proba[j[inside]]
        neighbours[~inside, col + k] = 1.0
    for start, end in spans:
        speech[start:end] = _means_without(proba[start:end])
        for lo, hi, head in _sections(texts, start, end):
            section[lo:hi] = _means_without(proba[lo:hi])
            if head is not None:
                heading[lo:hi] = (*proba[head], 1.0)
                if lo <= head < hi:
                    heading[head] = 0.0  # a heading is not its own context
    return np.hstack([proba, neighbours, section, speech, heading, position_matrix(texts, spans)])


def sequence_feature_names(roles: Sequence[str], *, window: int) -> list[str]:
    """Column names of ``sequence_features``, for inspecting a fitted model."""
    names = [f"self:{r}" for r in roles]
    for d in range(1, window + 1):
        for sign in ("-", "+"):
            names += [f"{sign}{d}:{r}" for r in roles] + [f"{sign}{d}:none"]
    names += [f"section:{r}" for r in roles] + [f"speech:{r}" for r in roles]
    names += [f"heading:{r}" for r in roles] + ["heading:present"]
    names += ["pos:relative", "pos:opening", "pos:closing", "pos:heading", "pos:enumerated", "pos:since_heading"]
    return names
