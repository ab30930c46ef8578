"""A progress bar on standard error when a person is watching; nothing when it is piped or logged."""

from __future__ import annotations

import sys
from contextlib import nullcontext

__all__ = ["progress_bar"]


class _Silent:
    def update(self, n: int = 1) -> None:
        pass

    @staticmethod
    def write(line: str, file=None) -> None:
        """As ``tqdm.write``: one line, here with no bar to keep clear of."""
        print(line, file=file or sys.stderr)


def progress_bar(*, unit: str = "unit"):
    """A context manager yielding something with ``update(n)`` and ``write(line, file=)``: a tqdm bar with
    units/s on a terminal (its ``write`` prints above the bar)."""
    if not sys.stderr.isatty():
        return nullcontext(_Silent())  # and tqdm is not even imported
    from tqdm import tqdm

    return tqdm(unit=unit, unit_scale=True, file=sys.stderr, dynamic_ncols=True, desc="labelling")
