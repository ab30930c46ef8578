"""Where `govspeech label` writes: standard output, or ``--out`` built as ``OUT.partial``
and renamed to ``OUT`` when the run ends, so ``OUT`` is never half-written.

Each input's output is appended as it is labelled and taken back (the
partial file truncated) if the input fails, so a bad file leaves nothing.
Standard output is flushed speech by speech, for a reader of the stream.
``resume`` keeps what an interrupted run wrote to ``OUT.partial`` (or what a
finished ``OUT`` holds) and reports the inputs already there, to be skipped,
from the journal ``OUT.resume.jsonl`` (``predictor._resume``). A write that
fails (a full disk) raises ``OutputError`` with the partial file cut back to
its last whole input, for ``--resume``.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from govspeech.errors import OutputError
from govspeech.predictor._guard import companion
from govspeech.predictor._resume import InputKey, Journal

__all__ = ["OutputSink"]

# A committed input is handed to the OS at once (a killed run keeps it); it is
# forced to the disk (fsync) at most this often, so a stream of many small
# inputs is not held up by the disk. A power cut loses at most this much,
# which --resume labels again.
FSYNC_SECONDS = 1.0


class OutputSink:
    def __init__(self, out: str | Path | None, fmt: str, *, resume: bool = False, model_sha256: str = ""):
        self.fmt = fmt
        self._journal = None
        self.first_line = b""  # of the output kept by --resume: a CSV header fixes the columns
        self._synced = time.monotonic()
        if out is None:
            self.path = self.partial = None
            self._handle, self._empty = sys.stdout, True
            return
        self.path = Path(out)
        self.partial = companion(self.path, ".partial")  # in the output's own folder: the rename is atomic
        try:
            if resume and not self.partial.exists() and self.path.exists():
                shutil.copyfile(self.path, self.partial)  # a finished run: go on from a copy, OUT stays whole
            size = self.partial.stat().st_size if resume and self.partial.exists() else 0
            self._journal = Journal(self.path, fmt, resume=resume, output_size=size, model_sha256=model_sha256)
            keep = self._journal.end
            self._handle = open(self.partial, "r+b" if keep else "wb")
            self.first_line = self._handle.readline() if keep else b""
            self._handle.truncate(keep)  # a torn or uncommitted tail goes
            self._handle.seek(keep)
        except OutputError:
            raise
        except OSError as err:
            raise OutputError(f"cannot write {self.path} ({err.strerror or err}); check that its folder exists "
                              "and is writable") from None
        self._empty = keep == 0

    def already_labelled(self, key: InputKey) -> bool:
        """Whether the output kept from an earlier run holds this input (``predictor._resume``)."""
        return self._journal is not None and key in self._journal.done

    @property
    def needs_header(self) -> bool:
        return self._empty

    def mark(self) -> int:
        """A position to roll back to if the next input fails (stdout: nothing can be taken back)."""
        return self._handle.tell() if self.path else 0

    def write(self, text: str) -> None:
        if text:
            self._empty = False
        with self._failing():
            if self.path:
                self._handle.write(text.encode("utf-8"))
            else:
                self._handle.write(text)
                self._handle.flush()

    def commit(self, key: InputKey | None = None) -> None:
        """An input is complete: hand it to the OS so a killed run keeps it (and to the disk, now and then)."""
        with self._failing():
            self._handle.flush()
            if self._journal is not None and key is not None:
                self._journal.commit(key, self._handle.tell())
            if self.path and time.monotonic() - self._synced >= FSYNC_SECONDS:
                self._sync()

    def _sync(self) -> None:
        os.fsync(self._handle.fileno())  # the output first: the journal never names what is not on disk
        self._journal.sync()
        self._synced = time.monotonic()

    def rollback(self, mark: int) -> None:
        if self.path:
            with self._failing():
                self._handle.truncate(mark)
                self._handle.seek(mark)
            self._empty = mark == 0

    def finish(self) -> None:
        """Close and, for --out, rename the complete partial file to its name (its journal stays beside it)."""
        with self._failing():
            self._handle.flush()
            if self.path:
                self._sync()
                self._handle.close()
                self._journal.close()
                os.replace(self.partial, self.path)

    def abandon(self) -> None:
        """Close on interruption; the partial file stays for --resume."""
        if self.path:
            self._handle.close()
            self._journal.close()

    @contextmanager
    def _failing(self):
        """A write that fails (full disk, closed stream) ends the run with OutputError (exit 4); a reader that
        went away (BrokenPipeError) passes as it is. ``--out``'s partial file keeps the inputs committed, for
        --resume."""
        try:
            yield
        except BrokenPipeError:
            raise
        except OSError as err:
            where = self.partial if self.path else "standard output"
            if self.path:
                self._drop()
            raise OutputError(f"cannot write {where} ({err.strerror or err}); free space or choose another "
                              "output" + ("; then run again with --resume to go on" if self.path else "")) from None

    def _drop(self) -> None:
        """Cut the partial file back to the last committed input and close it, dropping unwritten buffers."""
        committed = self._journal.end
        try:
            os.ftruncate(self._handle.fileno(), committed)
        except OSError:
            pass  # the journal still ends at the last commit: --resume cuts the rest
        self._handle.raw.close()  # the buffer is not flushed: it holds what failed
        self._journal.close()
