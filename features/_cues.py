"""Cue lexicons per role: LABELS.md's lists, for the keyword baseline."""

from __future__ import annotations

import functools
from importlib import resources

from govspeech.features._roles import ROLES

__all__ = ["cue_lexicons"]


def _data_lines(*path: str) -> list[str]:
    text = resources.files("govspeech.features").joinpath("data", *path).read_text(encoding="utf-8")
    return [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]


@functools.lru_cache(maxsize=1)
def cue_lexicons() -> dict[str, tuple[str, ...]]:
    """Role → cue words of LABELS.md, one entry a line in data/cues/<role>.txt."""
    return {role: tuple(_data_lines("cues", f"{role}.txt")) for role in ROLES}
