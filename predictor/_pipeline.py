"""`govspeech label` as one pipeline: read, label (on one core or several), write.

    inputs ─ predictor._batch.iter_speeches ─ predictor._parallel.label_stream ─ OutputSink
             (this process: files, folders,    (this process, or worker          (this process, the one
              JSONL streams; decoded, split,    processes; results in input       writer: commit or roll
              size-checked)                     order)                            back each input)

An *input* is a text file (or standard input) or one record of a JSONL
stream. Its speeches are written as they are labelled; when it ends it is
committed, and if it fails what it wrote is taken back, so the output holds
whole inputs only. On an interruption (Ctrl-C, or SIGTERM turned into one by
the CLI) the input under way is taken back and ``--out``'s partial file is
kept for ``--resume``. The output starts with ``_output.header`` (CSV: its
columns, fixed by the first input's metadata or the header being resumed)
and ends with ``_output.trailer`` (HTML: the index of the speeches written).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from govspeech.predictor._batch import Done, Failure, Note, Skipped, iter_speeches
from govspeech.predictor._output import (
    EXPLAINED_FORMATS,
    Layout,
    MetaColumns,
    header,
    meta_columns_of_header,
    trailer,
)
from govspeech.predictor._parallel import Rendered, label_stream
from govspeech.predictor._progress import progress_bar
from govspeech.predictor._records import printable

__all__ = ["Summary", "label_inputs", "named_failures"]

NAMED_FAILURES = 10  # failed inputs named in the summary line; the rest are counted (each has its own line above)


def named_failures(sources: list[str]) -> str:
    """`` (a.txt, s.jsonl:3, …)``: the failed inputs, for the summary line."""
    if not sources:
        return ""
    more = len(sources) - NAMED_FAILURES
    named = ", ".join(printable(s) for s in sources[:NAMED_FAILURES])  # a name with a line break stays one line
    return f" ({named}{f', and {more} more' if more > 0 else ''})"


@dataclass
class Summary:
    """What a run did, input by input; ``failed`` holds the kind of each failure, in order."""

    ok: int = 0
    failed: list[str] = field(default_factory=list)
    failed_inputs: list[str] = field(default_factory=list)
    skipped: int = 0
    interrupted: bool = False

    @property
    def inputs(self) -> int:
        return self.ok + len(self.failed) + self.skipped

    def __str__(self) -> str:
        return (f"{self.ok} ok, {len(self.failed)} failed{named_failures(self.failed_inputs)}"
                + (f", {self.skipped} already labelled" if self.skipped else ""))


def label_inputs(inputs: list[str], *, labeller, sink, model_path=None, jobs: int = 1, glob: str = "*.txt",
                 input_format: str = "auto", max_bytes: int | None = None, verbose: bool = False,
                 excel: bool = False, explain: bool = False) -> Summary:
    """Label every input into ``sink`` (an ``OutputSink``), reporting on standard error; the sink is
    finished (or, on interruption, abandoned) when this returns. ``excel``: a CSV starts with a BOM;
    ``explain``: each unit says why it got its roles (JSONL, HTML: ``EXPLAINED_FORMATS``)."""
    if explain and sink.fmt not in EXPLAINED_FORMATS:
        raise ValueError(f"explain needs the format to be one of {', '.join(EXPLAINED_FORMATS)}, got {sink.fmt!r}")
    layout = Layout(sink.fmt, labeller.roles, excel=excel, explain=explain)
    kept = meta_columns_of_header(sink.first_line, labeller.roles) if sink.first_line and sink.fmt == "csv" else None
    columns = MetaColumns(layout, fixed=kept)
    items = iter_speeches(inputs, glob=glob, input_format=input_format, max_bytes=max_bytes,
                          skip=sink.already_labelled, check_meta=columns)
    results = label_stream(items, labeller=labeller, model_path=model_path, layout=layout, jobs=jobs)
    summary, mark = Summary(), sink.mark()
    profiles: list[dict] = []  # of the speeches written, for the HTML index
    pending: list[dict] = []
    try:
        with progress_bar() as bar:
            def report(line: str) -> None:
                bar.write(f"govspeech: {line}", file=sys.stderr)

            for result in results:
                if isinstance(result, Rendered):
                    if sink.needs_header:
                        sink.write(header(layout, columns.columns or ()))
                    sink.write(result.text)
                    pending.append(result.profile)
                    bar.update(result.n_units)
                    for note in result.notes:
                        report(f"warning: {result.doc_id}: {note}")
                elif isinstance(result, Note):
                    if verbose or not result.verbose:
                        report(result.message if result.verbose else f"warning: {result.message}")
                elif isinstance(result, Done):
                    sink.commit(result.key)
                    summary.ok += 1
                    mark = sink.mark()
                    profiles.extend(pending)
                    pending = []
                elif isinstance(result, Failure):
                    sink.rollback(mark)  # nothing of a failed input stays in the output
                    pending = []
                    report(result.message)
                    summary.failed.append(result.kind)
                    summary.failed_inputs.append(result.source)
                elif isinstance(result, Skipped):
                    summary.skipped += 1
    except KeyboardInterrupt:
        sink.rollback(mark)
        sink.abandon()
        summary.interrupted = True
        return summary
    finally:
        results.close()  # an early stop ends the worker processes too
    end = trailer(layout, profiles)
    if end and sink.needs_header:  # no speech at all: an HTML page still opens
        sink.write(header(layout, columns.columns or ()))
    sink.write(end)
    sink.finish()
    return summary
