"""Checks of `govspeech label` option values, for argparse: a bad value is a usage error (exit 2), before any
work, never a traceback later."""

from __future__ import annotations

import argparse
import math
from pathlib import PurePath

__all__ = ["glob_pattern", "megabytes"]


def megabytes(value: str) -> float:
    """``--max-file-mb``: a finite number of MB, 0 for no limit."""
    try:
        mb = float(value)
    except ValueError:
        mb = math.nan
    if not math.isfinite(mb) or mb < 0:
        raise argparse.ArgumentTypeError(f"expected a size in MB, 0 or more (0: no limit), got {value!r}")
    return mb


def glob_pattern(value: str) -> str:
    """``--glob``: a pattern of file names inside the folders given; it may not lead out of them."""
    pattern = PurePath(value)
    if not value or pattern.is_absolute() or ".." in pattern.parts or value.startswith("~"):
        raise argparse.ArgumentTypeError(f"expected a pattern of files inside the folders given (e.g. '*.txt'), "
                                         f"got {value!r}, which leads out of them")
    return value
