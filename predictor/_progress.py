"""A progress bar on standard error when a person is watching; nothing when it is piped or logged."""

from __future__ import annotations

import sys
from contextlib import nullcontext

__all__ = ["progress_bar"]


class _Silent:
    def update(self, n: int = 1) -> None:
        pass


def progress_bar(*, unit: str = "unit"):
    """A context manager yielding something with ``update(n)``: a tqdm bar with units/s on a terminal."""
    if not sys.stderr.isatty():
        return nullcontext(_Silent())  # and tqdm is not even imported
    from tqdm import tqdm

    return tqdm(unit=unit, unit_scale=True, file=sys.stderr, dynamic_ncols=True, desc="labelling")
