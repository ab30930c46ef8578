"""The package's data files (``features/data``): lists of one entry a line."""

from __future__ import annotations

from importlib import resources

__all__ = ["data_lines"]


def data_lines(*path: str) -> list[str]:
    """Non-blank, non-comment (``#``) lines of ``features/data/<path…>``, stripped."""
    text = resources.files("govspeech.features").joinpath("data", *path).read_text(encoding="utf-8")
    return [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]
