"""Context from the roles predicted around a unit: the input of the second stage.

A speech is a sequence: whether a plain report of work done is praise depends
on whether the passage around it is a review of achievements, and a target
list follows its heading. Given the first stage's role probabilities for every
unit, these features describe each unit's neighbourhood in its speech.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from govspeech.features._context import position_matrix, section_opens, span_bounds
from govspeech.features._markers import marker_block_names, marker_features
from govspeech.features._outline import ancestor_rows

__all__ = ["hierarchy_features", "sequence_feature_names", "sequence_features"]


def _mean_of_others(proba: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per row, the mean of the other rows of its block ``[starts, ends)`` (zeros when alone), by cumulative sums."""
    cumulative = np.vstack([np.zeros((1, proba.shape[1])), np.cumsum(proba, axis=0)])
    size = (ends - starts)[:, None]
    others = cumulative[ends] - cumulative[starts] - proba
    return np.where(size > 1, others / np.maximum(size - 1, 1), 0.0)


def _rows_of(rows, n: int, k: int, proba: np.ndarray, exclude_self: bool) -> np.ndarray:
    """Per unit, ``proba`` of the row given for it and a presence flag (zeros where None or, if asked, itself)."""
    index = np.array([-1 if r is None else r for r in rows], dtype=np.intp)
    present = (index >= 0) & ((index != np.arange(n)) if exclude_self else True)
    out = np.zeros((n, k + 1))
    out[present] = np.hstack([proba[index[present]], np.ones((int(present.sum()), 1))])
    return out


def hierarchy_features(proba: np.ndarray, texts: Sequence[str], spans) -> np.ndarray:
    """Where the unit sits in its speech's outline (``features.outline``): the probabilities of its top-level
    part's heading (+ flag), the mean over that whole part without the unit, and its immediate parent heading
    (+ flag). A review heading (一、…成绩显著) reaches the items under its sub-headings this way."""
    n, k = proba.shape
    parts, chains = ancestor_rows(texts, spans)
    part_heading = _rows_of(parts, n, k, proba, exclude_self=True)
    part_index = np.array([-1 if p is None else p for p in parts], dtype=np.intp)
    inside = part_index >= 0
    sums, counts = np.zeros((n, k)), np.zeros(n)
    np.add.at(sums, part_index[inside], proba[inside])
    np.add.at(counts, part_index[inside], 1.0)
    part_mean = np.zeros((n, k))
    others = counts[part_index[inside]] - 1
    shared = others > 0
    rows = np.flatnonzero(inside)[shared]
    part_mean[rows] = (sums[part_index[rows]] - proba[rows]) / others[shared][:, None]
    parent = _rows_of([chain[-1] if chain else None for chain in chains], n, k, proba, exclude_self=False)
    return np.hstack([part_heading, part_mean, parent])


def sequence_features(proba: np.ndarray, texts: Sequence[str], spans, *, window: int,
                      hierarchy: bool = False, markers: bool = False) -> np.ndarray:
    """Dense (n_units, n_features) context of each unit, from role probabilities ``proba``.

    Blocks: the unit's own probabilities; each neighbour's up to ``window``
    units away (with a flag where the speech has no unit there); the mean over
    the unit's section (without the unit), over the whole speech, and the
    enclosing heading's probabilities; the unit's position and shape; with
    ``hierarchy``, its place in the outline (``hierarchy_features``); with
    ``markers``, its review-versus-plan markers and their share over its
    section, top-level part and speech (``features._markers``). A section
    runs from a heading (or the speech's start) to the next heading. Linear in
    the number of units.
    """
    n, k = proba.shape
    rows = np.arange(n)
    starts, ends = span_bounds(n, spans)
    neighbours = np.zeros((n, 2 * window * (k + 1)))
    for offset_index, offset in enumerate(o for d in range(1, window + 1) for o in (-d, d)):
        first = offset_index * (k + 1)
        j = rows + offset
        inside = (j >= starts) & (j < ends)
        neighbours[inside, first:first + k] = proba[j[inside]]
        neighbours[~inside, first + k] = 1.0
    heads, opens = section_opens(texts, starts)
    section_starts = np.flatnonzero(opens)
    section = np.cumsum(opens) - 1
    section_ends = np.append(section_starts[1:], n)
    first_row, last_row = section_starts[section], np.minimum(section_ends[section], ends)
    under = heads[first_row] & (first_row != rows)  # a heading is not its own context
    heading = np.zeros((n, k + 1))
    heading[under] = np.hstack([proba[first_row[under]], np.ones((under.sum(), 1))])
    blocks = [proba, neighbours, _mean_of_others(proba, first_row, last_row),
              _mean_of_others(proba, starts, ends), heading, position_matrix(texts, spans)]
    if hierarchy:
        blocks.append(hierarchy_features(proba, texts, spans))
    if markers:
        blocks.append(marker_features(texts, spans))
    return np.hstack(blocks)


def sequence_feature_names(roles: Sequence[str], *, window: int, hierarchy: bool = False,
                           markers: bool = False) -> list[str]:
    """Column names of ``sequence_features``, for inspecting a fitted model."""
    names = [f"self:{r}" for r in roles]
    for d in range(1, window + 1):
        for sign in ("-", "+"):
            names += [f"{sign}{d}:{r}" for r in roles] + [f"{sign}{d}:none"]
    names += [f"section:{r}" for r in roles] + [f"speech:{r}" for r in roles]
    names += [f"heading:{r}" for r in roles] + ["heading:present"]
    names += ["pos:relative", "pos:opening", "pos:closing", "pos:heading", "pos:enumerated", "pos:since_heading"]
    if hierarchy:
        names += [f"part:{r}" for r in roles] + ["part:present"] + [f"part_mean:{r}" for r in roles]
        names += [f"parent:{r}" for r in roles] + ["parent:present"]
    if markers:
        names += marker_block_names()
    return names
