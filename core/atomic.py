"""Atomic writes: a temp file in the target's folder, then a rename.

No folder is made: an output in a folder that does not exist is refused
(exit 4), since making one from a mistyped path would hide the typo. Verbs
that run long call ``check_folder`` before any work.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from govspeech.errors import OutputError

__all__ = ["atomic_write_bytes", "atomic_write_json", "atomic_write_text", "check_folder"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_folder(path: str | Path) -> None:
    """OutputError (exit 4) unless the folder ``path`` would be written in exists."""
    folder = Path(path).parent
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: {folder} is not an existing folder; create it first, or check the "
                          "path for a typo")


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """``data`` to ``path`` whole or not at all; OutputError (exit 4) when it cannot be written."""
    path = Path(path)
    check_folder(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise _cannot_write(path, err) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; the result is an ordinary file
        os.replace(tmp, path)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise _cannot_write(path, err) from None
        raise


def _cannot_write(path: Path, err: OSError) -> OutputError:
    return OutputError(f"cannot write {path} ({err.strerror or err}); give a file path in a writable folder, "
                       "with room on its disk")


def atomic_write_text(path: str | Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: str | Path, payload: dict) -> None:
    """``payload`` as indented UTF-8 JSON (Chinese kept readable), written atomically: a verb's ``--json``."""
    atomic_write_text(path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
