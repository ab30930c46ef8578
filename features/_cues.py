"""Cue lexicons per role: LABELS.md's lists (keyword baseline) and the feature lexicon."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from importlib import resources

import numpy as np

from govspeech.features._roles import ROLES

__all__ = ["cue_lexicons", "cue_feature_names", "cue_matrix"]


def _data_lines(*path: str) -> list[str]:
    text = resources.files("govspeech.features").joinpath("data", *path).read_text(encoding="utf-8")
    return [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]


@functools.lru_cache(maxsize=1)
def cue_lexicons() -> dict[str, tuple[str, ...]]:
    """Role → cue words of LABELS.md, one entry a line in data/cues/<role>.txt."""
    return {role: tuple(_data_lines("cues", f"{role}.txt")) for role in ROLES}


@functools.lru_cache(maxsize=1)
def _feature_lexicon() -> tuple[dict[str, tuple[str, ...]], tuple[tuple[str, re.Pattern], ...]]:
    """(role → plain cue words, ((role, pattern), …)) from data/cue_features.tsv."""
    words: dict[str, list[str]] = {role: [] for role in ROLES}
    patterns = []
    for line in _data_lines("cue_features.tsv"):
        role, entry, _source = line.split("\t")
        if role not in words:
            raise ValueError(f"cue_features.tsv: role must be one of {', '.join(ROLES)}, got {role!r}")
        if entry.startswith("re:"):
            patterns.append((role, re.compile(entry[3:])))
        else:
            words[role].append(entry)
    return {r: tuple(w) for r, w in words.items()}, tuple(patterns)


def cue_feature_names() -> list[str]:
    words, patterns = _feature_lexicon()
    return [f"cues:{r}" for r in words] + [f"pattern:{r}:{p.pattern}" for r, p in patterns]


def cue_matrix(texts: Sequence[str]) -> np.ndarray:
    """Per unit: log(1 + number of each role's cue words present), then one 0/1 column per pattern."""
    words, patterns = _feature_lexicon()
    rows = np.zeros((len(texts), len(words) + len(patterns)), dtype=np.float32)
    for i, text in enumerate(texts):
        for j, cues in enumerate(words.values()):
            rows[i, j] = np.log1p(sum(cue in text for cue in cues))
        for k, (_, pattern) in enumerate(patterns):
            rows[i, len(words) + k] = pattern.search(text) is not None
    return rows
