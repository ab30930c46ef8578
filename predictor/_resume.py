"""What `--resume` knows: the journal ``F.resume.jsonl`` of the inputs an output holds, by identity.

An input is identified by its source and the how-many-th time that source
is given — ``("speech.txt", 1)``, ``("speeches.jsonl:7", 1)`` — never by the
ids users give, which may repeat, hold line breaks, or (a page whose first
speech is all debris) never reach the output at all. When an input is
committed, the output is flushed first and then one journal line is added:
``{"input": [source, n], "end": bytes of output after it}``. Resuming keeps
the longest run of whole journal lines whose ``end`` the output reaches,
cuts the output back to the last ``end`` (dropping a torn or uncommitted
tail), and skips exactly those inputs. The first line names the output
format, whether units carry explanations (``label --explain``) and the
sha256 of the model's model.json, so a run is not continued in another
format, with or without explanations, nor with another model (its rows would
be mixed in).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from govspeech.predictor._guard import OutputError, companion

__all__ = ["JOURNAL_SUFFIX", "RESUMABLE_FORMATS", "InputKey", "Journal"]

JOURNAL_SUFFIX = ".resume.jsonl"
RESUMABLE_FORMATS = ("text", "jsonl", "csv")  # an HTML page closes at its end: it cannot be appended to
_VERSION = 1

InputKey = tuple[str, int]  # (source, occurrence of that source among the inputs, from 1)


class Journal:
    """The journal of ``out``; ``done`` holds the committed inputs, ``end`` the output bytes they fill."""

    def __init__(self, out: str | Path, fmt: str, *, resume: bool, output_size: int, model_sha256: str = "",
                 explain: bool = False):
        self.model_sha256 = model_sha256
        self.explain = explain
        self.path = companion(out, JOURNAL_SUFFIX)
        self.done: set[InputKey] = set()
        self.end, keep = 0, 0
        if resume:
            keep = self._load(fmt, output_size)
        self._handle = open(self.path, "r+b" if keep else "wb")
        self._handle.truncate(keep)
        self._handle.seek(keep)
        if not keep:
            self._append({"govspeech_resume": _VERSION, "format": fmt, "model_sha256": model_sha256,
                          "explain": explain})

    def _load(self, fmt: str, output_size: int) -> int:
        """Read what an earlier run journaled; the journal bytes to keep (0: start afresh)."""
        if not self.path.exists():
            if output_size:
                raise OutputError(f"{self.path}: missing, so which inputs the output holds is unknown; run without "
                                  "--resume to label everything again")
            return 0
        keep = 0
        with open(self.path, "rb") as handle:
            for number, raw in enumerate(handle):
                try:
                    entry = json.loads(raw) if raw.endswith(b"\n") else None
                except ValueError:
                    entry = None
                if number == 0:
                    if not isinstance(entry, dict) or entry.get("govspeech_resume") != _VERSION:
                        raise OutputError(f"{self.path}: not a resume journal of this version; run without --resume "
                                          "to label everything again")
                    if entry.get("format") != fmt:
                        raise OutputError(f"{self.path}: the output being resumed is {entry.get('format')}, not "
                                          f"{fmt}; resume with --format {entry.get('format')}")
                    if entry.get("model_sha256", "") != self.model_sha256:
                        raise OutputError(f"{self.path}: the output being resumed was labelled by the model whose "
                                          f"model.json has sha256 {entry.get('model_sha256') or 'unknown'}, not "
                                          f"{self.model_sha256}; resume with that --model, or run without --resume")
                    if bool(entry.get("explain", False)) != self.explain:  # journals before --explain lack the key
                        was = "with" if entry.get("explain") else "without"
                        raise OutputError(f"{self.path}: the output being resumed was written {was} --explain; "
                                          f"resume {was} --explain, or run without --resume")
                elif not (isinstance(entry, dict) and isinstance(entry.get("input"), list)
                          and isinstance(entry.get("end"), int) and self.end <= entry["end"] <= output_size):
                    break  # torn, or beyond what reached the output: the interruption came here
                else:
                    source, occurrence = entry["input"]
                    self.done.add((str(source), int(occurrence)))
                    self.end = entry["end"]
                keep += len(raw)
        return keep

    def _append(self, entry: dict) -> None:
        self._handle.write(json.dumps(entry).encode("utf-8") + b"\n")

    def commit(self, key: InputKey, end: int) -> None:
        """Record an input whose output (up to ``end``) has been handed to the OS."""
        self._append({"input": list(key), "end": end})
        self._handle.flush()
        self.done.add(key)
        self.end = end

    def sync(self) -> None:
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        try:
            self._handle.close()
        except OSError:  # a full disk: what did not reach the journal is labelled again on --resume
            pass
