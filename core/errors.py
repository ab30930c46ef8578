"""The one exception base of govspeech, its kinds, and the one table kind -> exit code.

Every error the package raises on purpose is a ``GovspeechError``; its
``kind`` names what went wrong, and ``EXIT_CODES`` maps kinds to the exit
codes of README "Exit codes", which the CLI returns through ``exit_code``.
The subclasses also derive from the built-in they used to be (ValueError,
OSError) so callers catching those keep working.

This module is the base layer: it imports nothing of the project.
"""

from __future__ import annotations

__all__ = [
    "BAD_RECORD", "CRASHED", "DIRECTORY", "EMPTY", "EXIT_CODES", "INPUT_KINDS", "MISSING", "NOT_TEXT", "TOO_LARGE", "UNREADABLE",
    "ConfigError", "CorpusError", "GovspeechError", "InputError", "ModelError", "OutputError", "UsageError",
    "exit_code",
]

# What went wrong with one input (a file, or a JSONL record). BAD_RECORD: a JSONL
# line that is not an object with a string "text". CRASHED: the worker process labelling it died twice.
MISSING, DIRECTORY, EMPTY, NOT_TEXT, TOO_LARGE, UNREADABLE, BAD_RECORD, CRASHED = (
    "missing", "directory", "empty", "not text", "too large", "unreadable", "bad record", "crashed")
INPUT_KINDS = (MISSING, DIRECTORY, EMPTY, NOT_TEXT, TOO_LARGE, UNREADABLE, BAD_RECORD, CRASHED)

# README "Exit codes". When no input was labelled, the code says why: the kind's code when every input failed
# for one reason, "inputs failed" for several. When some were labelled and others failed, "partial" whatever
# the reasons: a script can tell complete (0), usable but incomplete (5) and nothing (1, 10-17) apart.
EXIT_CODES = {
    "ok": 0,
    "inputs failed": 1,
    "partial": 5,
    "usage": 2,
    "config": 3, "corpus": 3, "model": 3,
    "output": 4,
    MISSING: 10, DIRECTORY: 11, EMPTY: 12, NOT_TEXT: 13, TOO_LARGE: 14, UNREADABLE: 15, BAD_RECORD: 16, CRASHED: 17,
    "interrupted": 130,
    "broken pipe": 141,  # 128 + SIGPIPE, as `cat` exits when `head` stops reading
}


class GovspeechError(Exception):
    """An error with a one-line message saying what was expected, what was got and what to do.

    Raised bare (no subclass says better) it counts as a usage error.
    """

    kind = "usage"


class UsageError(GovspeechError):
    """The command was called wrongly (options that do not go together)."""

    kind = "usage"


class ConfigError(GovspeechError, ValueError):
    """A config file (or --set override) that cannot be read, or a setting that is unknown, mistyped or out of range."""

    kind = "config"


class CorpusError(GovspeechError, ValueError):
    """A corpus, annotation or training file that cannot be used as it is."""

    kind = "corpus"


class ModelError(GovspeechError, ValueError):
    """A saved model that cannot be loaded (missing, truncated, tampered, other version)."""

    kind = "model"


class OutputError(GovspeechError, OSError):
    """The output cannot be written."""

    kind = "output"


class InputError(GovspeechError, ValueError):
    """An input that cannot be labelled; ``kind`` is one of INPUT_KINDS, the message names the input and what to do."""

    kind = UNREADABLE

    def __init__(self, message: str, *, kind: str = UNREADABLE):
        if kind not in INPUT_KINDS:
            raise ValueError(f"InputError kind must be one of {', '.join(INPUT_KINDS)}, got {kind!r}")
        super().__init__(message)
        self.kind = kind


def exit_code(kind_or_error: str | GovspeechError) -> int:
    """The exit code of a kind (a key of EXIT_CODES) or of an error."""
    kind = kind_or_error if isinstance(kind_or_error, str) else kind_or_error.kind
    return EXIT_CODES[kind]
