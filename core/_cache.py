"""The per-user cache folder: derived files that are cheap to rebuild and slow to build each run."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["CACHE_ENV", "cache_dir"]

# Overrides the platform's user cache folder (e.g. for a read-only home or in tests).
CACHE_ENV = "GOVSPEECH_CACHE_DIR"


def cache_dir(*parts: str) -> Path:
    """``<user cache dir>/govspeech/<parts…>``, created on demand (XDG_CACHE_HOME is honoured on Linux)."""
    root = os.environ.get(CACHE_ENV)
    if not root:
        from platformdirs import user_cache_dir  # deferred: only for callers that write a cache

        root = user_cache_dir("govspeech", appauthor=False)
    path = Path(root, *parts)
    path.mkdir(parents=True, exist_ok=True)
    return path
