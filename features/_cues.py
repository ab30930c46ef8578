"""Cue lexicons per role: LABELS.md's lists, for the keyword baseline."""

from __future__ import annotations

import functools

from govspeech.features._data import data_lines
from govspeech.features._roles import ROLES

__all__ = ["cue_lexicons"]



@functools.lru_cache(maxsize=1)
def cue_lexicons() -> dict[str, tuple[str, ...]]:
    """Role → cue words of LABELS.md, one entry a line in data/cues/<role>.txt."""
    return {role: tuple(data_lines("cues", f"{role}.txt")) for role in ROLES}
