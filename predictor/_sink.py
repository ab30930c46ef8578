"""Where `govspeech label` writes: standard output, or ``--out`` built as ``OUT.partial``
and renamed to ``OUT`` when the run ends, so ``OUT`` is never half-written.

Each input's output is appended as it is labelled and taken back (the
partial file truncated) if the input fails, so a bad file leaves nothing.
Standard output is flushed speech by speech, for a reader of the stream.
``resume`` keeps what an interrupted run wrote to ``OUT.partial`` (or what a
finished ``OUT`` holds) and reports the inputs already there, to be skipped,
from the journal ``OUT.resume.jsonl`` (``predictor._resume``). A write that
fails (a full disk) raises ``OutputError`` with the partial file cut back to
its last whole input, for ``--resume``. A format that cannot be resumed (HTML)
keeps no journal, and an interrupted or failed run of it leaves nothing.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from govspeech.errors import OutputError
from govspeech.predictor._guard import companion
from govspeech.predictor._resume import RESUMABLE_FORMATS, InputKey, Journal

__all__ = ["OutputSink"]

# A committed input is handed to the OS at once (a killed run keeps it); it is
# forced to the disk (fsync) at most this often, so a stream of many small
# inputs is not held up by the disk. A power cut loses at most this much,
# which --resume labels again.
FSYNC_SECONDS = 1.0


class OutputSink:
    def __init__(self, out: str | Path | None, fmt: str, *, resume: bool = False, model_sha256: str = "",
                 explain: bool = False):
        self.fmt = fmt
        self._journal: Journal | None = None
        self._handle: TextIO | io.BufferedRandom | io.BufferedWriter  # stdout (text), or --out's partial (bytes)
        self.first_line = b""  # of the output kept by --resume: a CSV header fixes the columns
        self._synced = time.monotonic()
        if out is None:
            self.path = self.partial = None
            self._handle, self._empty = sys.stdout, True
            return
        self.path = Path(out)
        self.partial = companion(self.path, ".partial")  # in the output's own folder: the rename is atomic
        copied = resume and not self.partial.exists() and self.path.exists()
        try:
            if copied:
                shutil.copyfile(self.path, self.partial)  # a finished run: go on from a copy, OUT stays whole
            size = self.partial.stat().st_size if resume and self.partial.exists() else 0
            if fmt in RESUMABLE_FORMATS:
                self._journal = Journal(self.path, fmt, resume=resume, output_size=size, model_sha256=model_sha256,
                                        explain=explain)
            keep = self._journal.end if self._journal else 0
            handle = open(self.partial, "r+b") if keep else open(self.partial, "wb")
            self.first_line = handle.readline() if isinstance(handle, io.BufferedRandom) else b""
            handle.truncate(keep)  # a torn or uncommitted tail goes
            handle.seek(keep)
            self._handle = handle
        except OSError as err:  # OutputError too: the journal refused to go on
            if copied:  # nothing was labelled: leave the folder as it was
                self.partial.unlink(missing_ok=True)
            if isinstance(err, OutputError):
                raise
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
            if isinstance(self._handle, io.BufferedIOBase):
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

    @property
    def resumable(self) -> bool:
        """Whether an interrupted run can go on with --resume (``--out`` in a format that keeps a journal)."""
        return self._journal is not None

    def _out(self) -> tuple[io.BufferedRandom | io.BufferedWriter, Journal | None, Path, Path]:
        """``--out``'s partial file, its journal (None: HTML), its path and final path; only called when
        ``self.path`` is set."""
        assert isinstance(self._handle, (io.BufferedRandom, io.BufferedWriter))
        assert self.partial is not None and self.path is not None
        return self._handle, self._journal, self.partial, self.path

    def _sync(self) -> None:
        handle, journal, _, _ = self._out()
        os.fsync(handle.fileno())  # the output first: the journal never names what is not on disk
        if journal:
            journal.sync()
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
                handle, journal, partial, path = self._out()
                handle.close()
                if journal:
                    journal.close()
                os.replace(partial, path)

    def abandon(self) -> None:
        """Close on interruption; the partial file stays for --resume (or goes, when it cannot be resumed)."""
        if self.path:
            handle, journal, partial, _ = self._out()
            handle.close()
            if journal:
                journal.close()
            else:
                partial.unlink(missing_ok=True)

    @contextmanager
    def _failing(self):
        """A write that fails (full disk, closed stream) ends the run with OutputError (exit 4); a reader that
        went away (BrokenPipeError) passes as it is. ``--out``'s partial file keeps the inputs committed, for
        --resume."""
        try:
            yield
        except (BrokenPipeError, OutputError):  # an OutputError: the CLI's standard output said what failed
            raise
        except OSError as err:
            where = self.partial if self.resumable else self.path or "standard output"  # HTML: no partial is kept
            if self.path:
                self._drop()
            raise OutputError(f"cannot write {where} ({err.strerror or err}); free space or choose another "
                              "output" + ("; then run again with --resume to go on" if self.resumable else "")) from None

    def _drop(self) -> None:
        """Cut the partial file back to the last committed input (or remove it, when it cannot be resumed) and
        close it, dropping unwritten buffers."""
        handle, journal, partial, _ = self._out()
        if journal is None:
            handle.raw.close()
            partial.unlink(missing_ok=True)
            return
        try:
            os.ftruncate(handle.fileno(), journal.end)
        except OSError:
            pass  # the journal still ends at the last commit: --resume cuts the rest
        handle.raw.close()  # the buffer is not flushed: it holds what failed
        journal.close()
