"""The limits of the cleaning and labelling path, read from ``features/data/cleaning.toml``."""

from __future__ import annotations

import functools
from importlib import resources

from govspeech.config import Limits, read_limits

__all__ = ["limits"]


@functools.lru_cache(maxsize=1)
def limits() -> Limits:
    """The shipped ``cleaning.toml``, checked: ``limits().input.max_file_mb`` and so on."""
    with resources.as_file(resources.files("govspeech.features") / "data" / "cleaning.toml") as path:
        return read_limits(path)
