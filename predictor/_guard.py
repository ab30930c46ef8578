"""What `govspeech label --out F` checks before any work, and the lock that keeps two runs off one F.

An output must never destroy an input or another run's output, so ``F`` is
refused when it is (through symlinks, relative paths or hard links) one of
the inputs or lies among the files a folder input would label, when it is an
existing folder, and when another live run holds ``F.lock``. The lock is a
file made with O_CREAT|O_EXCL holding the owner's pid; a lock whose pid is no
longer alive was left by a killed run and is taken over, with a note.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from govspeech.atomic import check_folder
from govspeech.errors import OutputError

__all__ = ["OutputError", "OutputLock", "check_out", "companion", "lock_path"]


def companion(out: str | Path, suffix: str) -> Path:
    """A file beside ``out`` in its own folder (``F.partial``, ``F.lock``, ``F.resume.jsonl``)."""
    out = Path(out)
    return out.with_name(out.name + suffix)


def lock_path(out: str | Path) -> Path:
    return companion(out, ".lock")


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _inside(path: Path, folder: Path, glob: str) -> bool:
    """Whether a folder input searched for ``glob`` would pick up ``path`` (now or once it exists)."""
    try:
        relative = path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return relative.match(glob)


def check_out(out: str | Path, inputs: list[str], *, glob: str, stdin: str, example: str = "labels.jsonl") -> None:
    """OutputError unless ``out`` is safe to write for these inputs; nothing is written. ``example``: a file name
    the verb writes, suggested when ``out`` is a folder."""
    out = Path(out)
    if out.is_dir():
        raise OutputError(f"--out {out}: is a folder; name a file to write, e.g. {out / example}")
    check_folder(out)
    targets = [out] + [companion(out, s) for s in (".partial", ".lock", ".resume.jsonl")]
    for name in inputs:
        if name == stdin:
            continue
        given = Path(name)
        for target in targets:
            if given.is_dir() and _inside(target, given, glob):
                raise OutputError(f"--out {out}: {target} lies in the input folder {name} and matches --glob "
                                  f"{glob!r}; write the output outside the folders being labelled")
            if target.exists() and given.exists() and _same(target, given):
                raise OutputError(f"--out {out}: {target} is the input {name}; writing it would destroy the input, "
                                  "choose another output file")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


class OutputLock:
    """``F.lock`` held while a run writes ``F``; a context manager, released on every way out."""

    def __init__(self, out: str | Path):
        self.path = lock_path(out)
        self.note = ""  # set when a stale lock of a killed run was taken over
        self._held = False

    def _create(self) -> bool:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        except OSError as err:
            raise OutputError(f"cannot write {self.path.with_suffix('')} ({err.strerror or err}); check that its "
                              "folder exists and is writable") from None
        with os.fdopen(fd, "w") as handle:
            handle.write(f"{os.getpid()}\n")
        return True

    def _owner(self) -> int | None:
        try:
            return int(self.path.read_text(encoding="ascii").strip())
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return 0  # unreadable or torn (killed while writing it): no live owner can be named

    def acquire(self) -> OutputLock:
        for _ in range(2):  # a second try after removing a stale lock; losing that race means a live owner
            if self._create():
                self._held = True
                return self
            owner = self._owner()
            if owner is None:  # released meanwhile
                continue
            if owner and owner != os.getpid() and _alive(owner):
                raise OutputError(f"{self.path.with_suffix('')}: another run (pid {owner}) is writing it; wait for "
                                  f"it, or remove {self.path} if no such run exists")
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass
            self.note = f"took over {self.path}, left by a run (pid {owner}) that is no longer alive"
        raise OutputError(f"{self.path}: another run took the lock at the same moment; run again when it ends")

    def release(self) -> None:
        if self._held:
            self._held = False
            try:
                self.path.unlink()
            except OSError as err:
                if err.errno != errno.ENOENT:
                    raise

    def __enter__(self) -> OutputLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
