"""Review-versus-plan markers: topic-free signs that a unit reports work done or asks for work to do.

A long review of the audience's work (Convention 1 of the labelling guide)
has sub-headings with directive verbs, yet its units report completed work
with figures. Character n-grams carry such markers only mixed with topic
words; these columns carry them alone, so a part whose units report work
done reads as a review whatever its topic. The lexicons are package data
(``features/data/markers/*.txt``); each column is presence (0/1) in a unit,
so a long unit does not weigh more than a short one, and a mean over a
section, top-level part or speech is the share of its units with the marker.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

import numpy as np

from govspeech.features._context import section_opens, span_bounds
from govspeech.features._data import data_lines
from govspeech.features._normalize import normalize_text
from govspeech.features._outline import ancestor_rows

__all__ = ["MARKERS", "marker_block_names", "marker_features", "unit_markers"]

# Per-unit columns: completion/past report, directive/future, comparison, a figure, a figure reported done
# (a completion marker or verb and no directive), a figure set as a target (with a directive).
MARKERS = ("completion", "directive", "comparison", "figure", "figure_done", "figure_planned")
_SCOPES = ("section", "part", "speech")


def _alternation(words) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    """The compiled lexicons: the markers, the false friends removed first, and the figure pattern."""
    lexicons = {name: _alternation(data_lines("markers", f"{name}.txt"))
                for name in ("completion", "directive", "comparison", "completion_verbs", "exclude")}
    units = "|".join(re.escape(u) for u in sorted(data_lines("markers", "figure_units.txt"), key=len, reverse=True))
    number = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]*[十百千万亿][零〇一二两三四五六七八九十百千万亿]*)"
    lexicons["figure"] = re.compile(rf"{number}[多余]?(?:{units})")
    return lexicons


def _text(text: str) -> str:
    """The unit as the markers read it: simplified script, full-width digits and signs folded (NFKC)."""
    return unicodedata.normalize("NFKC", normalize_text(text))


def unit_markers(texts: Sequence[str]) -> np.ndarray:
    """(n_units, len(MARKERS)) 0/1: which markers each unit holds."""
    p = _patterns()
    out = np.zeros((len(texts), len(MARKERS)))
    for i, raw in enumerate(texts):
        text = _text(raw)
        figure = p["figure"].search(text) is not None
        words = p["exclude"].sub("\u3000", text)  # a gap, so removing a word joins no new marker
        done, ahead = p["completion"].search(words) is not None, p["directive"].search(words) is not None
        verb = p["completion_verbs"].search(words) is not None
        out[i] = (done, ahead, p["comparison"].search(words) is not None, figure,
                  figure and (done or verb) and not ahead, figure and ahead)
    return out


def _group_mean(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Per row, the mean of ``values`` over the rows of its group (itself included)."""
    n_groups = int(group.max()) + 1
    sums = np.zeros((n_groups, values.shape[1]))
    np.add.at(sums, group, values)
    return (sums / np.bincount(group, minlength=n_groups)[:, None])[group]


def marker_features(texts: Sequence[str], spans) -> np.ndarray:
    """(n_units, 4 * len(MARKERS)): the unit's markers, then their share over its section (from a heading
    to the next), its top-level part (``features.outline``; the units before a speech's first top-level
    item form one part) and its speech. Speeches are ``[start, end)`` ``spans`` of ``texts``."""
    n = len(texts)
    if n == 0:
        return np.zeros((0, len(MARKERS) * (1 + len(_SCOPES))))
    own = unit_markers(texts)
    starts, _ = span_bounds(n, spans)
    _, opens = section_opens(texts, starts)
    parts, _ = ancestor_rows(texts, spans)
    # A part is keyed by its item's row; a speech's preamble by -1 - its first row, which no row equals.
    part_key = np.array([-1 - starts[i] if p is None else p for i, p in enumerate(parts)], dtype=np.intp)
    part = np.unique(part_key, return_inverse=True)[1].reshape(-1)
    speech = np.unique(starts, return_inverse=True)[1].reshape(-1)
    return np.hstack([own, _group_mean(own, np.cumsum(opens) - 1), _group_mean(own, part),
                      _group_mean(own, speech)])


def marker_block_names() -> list[str]:
    """Column names of ``marker_features``."""
    return [f"marker:{m}" for m in MARKERS] + [f"marker_{s}:{m}" for s in _SCOPES for m in MARKERS]
