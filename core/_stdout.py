"""Standard output of every verb: `govspeech.cli.main` wraps it in ``GuardedStdout``, so a closed or full stream
is an OutputError (exit 4, one line) whichever verb prints, as README "Exit codes" says; a reader that went away
(BrokenPipeError) passes as it is, for main() to stop quietly."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from govspeech.errors import OutputError

__all__ = ["GuardedStdout", "check_stdout"]

CLOSED = "standard output is closed"


class GuardedStdout:
    """``stream`` (None: started with standard output closed) whose write and flush fail with OutputError."""

    def __init__(self, stream: TextIO | None):
        self.stream = stream

    def write(self, text: str) -> int:
        with self._failing() as stream:
            return stream.write(text)

    def flush(self) -> None:
        if self.stream is not None:  # nothing was written to a closed one
            with self._failing() as stream:
                stream.flush()

    def __getattr__(self, name: str):  # fileno, isatty, encoding… of the stream itself
        return getattr(self.stream, name)

    @contextmanager
    def _failing(self) -> Iterator[TextIO]:
        if self.stream is None:
            raise OutputError(f"{CLOSED}; let the output go somewhere (a file, a pipe)")
        try:
            yield self.stream
        except BrokenPipeError:
            raise
        except OSError as err:
            raise OutputError(f"cannot write standard output ({err.strerror or err}); free space or choose another "
                              "output") from None


def check_stdout(out: str | None) -> None:
    """Before any work, for a verb writing to ``--out`` or else standard output: refuse a closed standard output."""
    stream = sys.stdout.stream if isinstance(sys.stdout, GuardedStdout) else sys.stdout
    if out is None and stream is None:
        raise OutputError(f"{CLOSED}; give --out FILE, or let the output go somewhere")
