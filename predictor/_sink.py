"""Where `govspeech label` writes: standard output, or ``--out`` built as ``OUT.partial``
and renamed to ``OUT`` when the run ends, so ``OUT`` is never half-written.

Each input's output is appended as it is labelled and taken back (the
partial file truncated) if the input fails, so a bad file leaves nothing.
Standard output is flushed speech by speech, for a reader of the stream.
``resume`` keeps what an interrupted run wrote to ``OUT.partial`` (or what a
finished ``OUT`` holds) and reports the inputs already there, to be skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from pathlib import Path

from govspeech.predictor._output import doc_id_of_line, output_records

__all__ = ["OutputSink"]

# A committed input is handed to the OS at once (a killed run keeps it); it is
# forced to the disk (fsync) at most this often, so a stream of many small
# inputs is not held up by the disk. A power cut loses at most this much,
# which --resume labels again.
FSYNC_SECONDS = 1.0

_SPEECH_SUFFIX = re.compile(r"#\d+$")  # file#N: the N-th speech of a file


class OutputSink:
    def __init__(self, out: str | Path | None, fmt: str, *, resume: bool = False):
        self.fmt = fmt
        self.done: set[str] = set()
        self.first_line = b""  # of the output kept by --resume: a CSV header fixes the columns
        self._synced = time.monotonic()
        if out is None:
            self.path = self.partial = None
            self._handle, self._empty = sys.stdout, True
            return
        self.path = Path(out)
        self.partial = self.path.with_name(self.path.name + ".partial")
        keep = 0
        if resume and self.partial.exists():
            self.done, keep = _scan(self.partial, fmt, complete=False)
        elif resume and self.path.exists():  # a finished run: go on from a copy, OUT stays whole until the rename
            shutil.copyfile(self.path, self.partial)
            self.done, keep = _scan(self.partial, fmt, complete=True)
        self._handle = open(self.partial, "r+b" if keep else "wb")
        self.first_line = self._handle.readline() if keep else b""
        self._handle.truncate(keep)
        self._handle.seek(keep)
        self._empty = keep == 0

    def already_labelled(self, name: str) -> bool:
        """Whether the output kept from an earlier run holds this input's speeches."""
        return name in self.done or f"{name}#1" in self.done

    @property
    def needs_header(self) -> bool:
        return self._empty

    def mark(self) -> int:
        """A position to roll back to if the next input fails (stdout: nothing can be taken back)."""
        return self._handle.tell() if self.path else 0

    def write(self, text: str) -> None:
        if text:
            self._empty = False
        if self.path:
            self._handle.write(text.encode("utf-8"))
        else:
            self._handle.write(text)
            self._handle.flush()

    def commit(self) -> None:
        """An input is complete: hand it to the OS so a killed run keeps it (and to the disk, now and then)."""
        self._handle.flush()
        if self.path and time.monotonic() - self._synced >= FSYNC_SECONDS:
            os.fsync(self._handle.fileno())
            self._synced = time.monotonic()

    def rollback(self, mark: int) -> None:
        if self.path:
            self._handle.truncate(mark)
            self._handle.seek(mark)
            self._empty = mark == 0

    def finish(self) -> None:
        """Close and, for --out, rename the complete partial file to its name."""
        if self.path:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            os.replace(self.partial, self.path)
        else:
            self._handle.flush()

    def abandon(self) -> None:
        """Close on interruption; the partial file stays for --resume."""
        if self.path:
            self._handle.close()


def _scan(path: Path, fmt: str, *, complete: bool) -> tuple[set[str], int]:
    """(doc ids kept, bytes kept) of an earlier output. Of an interrupted one, the last
    input's speeches may be cut off: they are dropped and that input is labelled again."""
    doc_ids: set[str] = set()
    starts: list[tuple[str, int]] = []  # (input, offset of its first line)
    offset = 0
    with open(path, "rb") as handle:
        for raw in output_records(handle, fmt):
            doc_id = doc_id_of_line(raw, fmt) if raw.endswith(b"\n") else ""
            if doc_id == "":  # a torn line: the interruption came here
                break
            if doc_id is not None:
                key = _SPEECH_SUFFIX.sub("", doc_id)
                if not starts or starts[-1][0] != key:
                    starts.append((key, offset))
                doc_ids.add(doc_id)
            offset += len(raw)
    if complete or not starts:
        return doc_ids, offset if doc_ids else 0
    last, keep = starts[-1]
    return {d for d in doc_ids if _SPEECH_SUFFIX.sub("", d) != last}, keep
