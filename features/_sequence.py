"""Context from the roles predicted around a unit: the input of the second stage.

A speech is a sequence: whether a plain report of work done is praise depends
on whether the passage around it is a review of achievements, and a target
list follows its heading. Given the first stage's role probabilities for every
unit, these features describe each unit's neighbourhood in its speech.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from govspeech.features._context import position_matrix
from govspeech.features._structure import is_heading

__all__ = ["sequence_feature_names", "sequence_features"]


def _span_bounds(n: int, spans) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``n`` rows, the start and end of its speech."""
    starts, ends = np.zeros(n, dtype=np.intp), np.zeros(n, dtype=np.intp)
    for start, end in spans:
        starts[start:end], ends[start:end] = start, end
    return starts, ends


def _mean_of_others(proba: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per row, the mean of the other rows of its block ``[starts, ends)`` (zeros when alone), by cumulative sums."""
    cumulative = np.vstack([np.zeros((1, proba.shape[1])), np.cumsum(proba, axis=0)])
    size = (ends - starts)[:, None]
    others = cumulative[ends] - cumulative[starts] - proba
    return np.where(size > 1, others / np.maximum(size - 1, 1), 0.0)


def sequence_features(proba: np.ndarray, texts: Sequence[str], spans, *, window: int) -> np.ndarray:
    """Dense (n_units, n_features) context of each unit, from role probabilities ``proba``.

    Blocks: the unit's own probabilities; each neighbour's up to ``window``
    units away (with a flag where the speech has no unit there); the mean over
    the unit's section (without the unit), over the whole speech, and the
    enclosing heading's probabilities; the unit's position and shape. A section
    runs from a heading (or the speech's start) to the next heading. Linear in
    the number of units.
    """
    n, k = proba.shape
    rows = np.arange(n)
    starts, ends = _span_bounds(n, spans)
    neighbours = np.zeros((n, 2 * window * (k + 1)))
    for offset_index, offset in enumerate(o for d in range(1, window + 1) for o in (-d, d)):
        first = offset_index * (k + 1)
        j = rows + offset
        inside = (j >= starts) & (j < ends)
        neighbours[inside, first:first + k] = proba[j[inside]]
        neighbours[~inside, first + k] = 1.0
    heads = np.array([is_heading(t, as_trained=True) for t in texts], dtype=bool)
    opens = heads | (rows == starts)  # where a section begins
    section_starts = np.flatnonzero(opens)
    section = np.cumsum(opens) - 1
    section_ends = np.append(section_starts[1:], n)
    first_row, last_row = section_starts[section], np.minimum(section_ends[section], ends)
    under = heads[first_row] & (first_row != rows)  # a heading is not its own context
    heading = np.zeros((n, k + 1))
    heading[under] = np.hstack([proba[first_row[under]], np.ones((under.sum(), 1))])
    return np.hstack([proba, neighbours, _mean_of_others(proba, first_row, last_row),
                      _mean_of_others(proba, starts, ends), heading, position_matrix(texts, spans)])


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
