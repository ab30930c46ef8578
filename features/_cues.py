"""Cue-word lexicons per role (features/data/cues/<role>.txt)."""

from __future__ import annotations

import functools
from importlib import resources

from features._roles import ROLES

__all__ = ["cue_lexicons"]


@functools.lru_cache(maxsize=1)
def cue_lexicons() -> dict[str, tuple[str, ...]]:
    """Role → cue words, one entry a line in the data files (comments say where each comes from)."""
    out = {}
    for role in ROLES:
        text = (resources.files("features") / "data" / "cues" / f"{role}.txt").read_text(encoding="utf-8")
        out[role] = tuple(s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#"))
    return out
