"""The limits of the cleaning and labelling path, read from ``features/data/cleaning.toml``."""

from __future__ import annotations

import functools
import sys
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["limits"]


@functools.lru_cache(maxsize=1)
def limits() -> dict:
    """``{"input": {...}, "speech": {...}, "units": {...}}`` as in the shipped ``cleaning.toml``."""
    return tomllib.loads((resources.files("govspeech.features") / "data" / "cleaning.toml").read_text(encoding="utf-8"))
