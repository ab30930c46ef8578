"""What the verbs that print (explain, structure) write to standard output: a closed or full stream is an
OutputError (exit 4, one line), as it is for `govspeech label`; a reader that went away passes as it is."""

from __future__ import annotations

import sys

from govspeech.errors import OutputError

__all__ = ["write_out"]


def write_out(text: str) -> None:
    """``text`` and a line break on standard output, flushed, so a failure is met here and not at exit."""
    if sys.stdout is None:
        raise OutputError("standard output is closed; let the output go somewhere (a file, a pipe)")
    try:
        print(text, flush=True)
    except BrokenPipeError:
        raise
    except OSError as err:
        raise OutputError(f"cannot write standard output ({err.strerror or err}); free space or choose another "
                          "output") from None
