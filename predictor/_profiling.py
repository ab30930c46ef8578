"""`govspeech profile` and ``predictor.profile``: profiles of speeches read raw (and labelled) or from a
`govspeech label` JSONL output (not labelled again).

Raw inputs go through the label pipeline's reader and labeller (any
``--jobs``), so a speech is split, cleaned and labelled as `label` does it;
a label output is recognised by its first record (``doc_id``, ``sent_id``,
``labels``) and its rows are grouped by ``doc_id``, the extra fields being
the speech's metadata. Each input is whole or failed, as in `label`.
"""

from __future__ import annotations

import io
import json
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from govspeech.atomic import atomic_write_bytes, atomic_write_text
from govspeech.errors import BAD_RECORD, InputError
from govspeech.predictor._batch import JSONL_SUFFIX, Done, Failure, Note, expand_inputs, iter_speeches
from govspeech.predictor._explain import EXPLANATION, is_explanation
from govspeech.predictor._inputs import STDIN
from govspeech.predictor._labeller import load
from govspeech.predictor._output import UNIT_FIELDS, cell, check_fields, csv_lines
from govspeech.predictor._parallel import Rendered, label_stream
from govspeech.predictor._profile import (
    chain_keys,
    group_profiles,
    merge,
    profile_columns,
    profile_table,
    speech_key,
    speech_profile,
)
from govspeech.predictor._sink import OutputSink

__all__ = ["ProfileRun", "is_label_output", "parquet_unavailable", "profile", "profile_inputs", "write_table"]

_LABEL_OUTPUT_KEYS = {"doc_id", "sent_id", "labels"}


@dataclass
class ProfileRun:
    """Speech profiles (counts, ``predictor._profile``) with their duplicate keys, in input order."""

    roles: tuple[str, ...] = ()
    profiles: list[dict] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    ok: int = 0
    failed: list[str] = field(default_factory=list)
    failed_inputs: list[str] = field(default_factory=list)

    def table(self, *, by: Sequence[str] = (), dedupe: bool = False) -> list[dict]:
        """One row per speech (duplicates flagged, or dropped with ``dedupe``), or per group of ``by``."""
        rows = profile_table(self.profiles, self.keys, self.roles, dedupe=dedupe)
        return group_profiles(rows, self.roles, by) if by else rows


def _first_record(name: str, input_format: str) -> dict | None:
    """The first record of a JSONL file input (None for anything else, or a first line that is not an object)."""
    if name == STDIN or not (name.endswith(JSONL_SUFFIX) or input_format == "jsonl") or not Path(name).is_file():
        return None
    with open(name, "rb") as handle:
        first = next((line for line in handle if line.strip()), b"")
    try:
        record = json.loads(first.decode("utf-8-sig"))
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def is_label_output(name: str, input_format: str = "auto") -> bool:
    """Whether an input is a `govspeech label` JSONL output: its first record has doc_id, sent_id and labels."""
    record = _first_record(name, input_format)
    return record is not None and record.keys() >= _LABEL_OUTPUT_KEYS


def _label_output(name: str, roles: tuple[str, ...], reserved: frozenset[str]) -> Iterator:
    """The speeches of a label output as the label pipeline gives labelled ones: Rendered…, Done (or Failure)."""
    speeches: list[tuple[str, list[dict]]] = []
    try:
        with open(name, encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                row = json.loads(line)
                if not isinstance(row, dict) or not row.keys() >= _LABEL_OUTPUT_KEYS:
                    raise InputError(f"{name}:{number}: not a label output row (doc_id, sent_id, labels expected)",
                                     kind=BAD_RECORD)
                if not speeches or speeches[-1][0] != row["doc_id"]:
                    speeches.append((row["doc_id"], []))
                speeches[-1][1].append(row)
    except (ValueError, UnicodeDecodeError) as err:
        yield Failure(name, f"{name}: not a JSONL label output ({err}); give the file `govspeech label --format "
                      "jsonl` wrote", kind=BAD_RECORD)
        return
    except InputError as err:
        yield Failure(name, str(err), err.kind)
        return
    for doc_id, rows in speeches:
        explained = all(is_explanation(row.get(EXPLANATION), row.get("labels", ())) for row in rows)  # --explain
        meta = {k: v for k, v in rows[0].items() if k not in UNIT_FIELDS and not (k == EXPLANATION and explained)}
        try:
            if tuple(rows[0].get("scores", ())) != roles:
                raise InputError(f"{name}: {doc_id}: labelled with the roles {', '.join(rows[0].get('scores', ()))}, "
                                 f"expected {', '.join(roles)}; profile outputs of one model together",
                                 kind=BAD_RECORD)
            check_fields(f"{name}: {doc_id}", meta, reserved)
        except InputError as err:
            yield Failure(name, str(err), err.kind)
            return
        yield Rendered(doc_id, "", len(rows), (), speech_profile(doc_id, rows, roles, meta), speech_key(rows))
    yield Done(name)


def _items(names: list[str], label_outputs: set[str], roles: tuple[str, ...], *, glob: str, input_format: str,
           max_bytes: int | None) -> Iterator:
    reserved = frozenset(profile_columns(roles)) | {"n_speeches"}

    def check(source: str, meta: dict) -> dict:
        return check_fields(source, meta, reserved)

    for name in names:
        if name in label_outputs:
            yield from _label_output(name, roles, reserved)
        else:
            yield from iter_speeches([name], glob=glob, input_format=input_format, max_bytes=max_bytes,
                                     check_meta=check)


def profile_inputs(inputs: Sequence[str], *, model: str | None = None, sha256: str | None = None, jobs: int = 1, glob: str = "*.txt",
                   input_format: str = "auto", max_bytes: int | None = None,
                   report: Callable[[str], None] = print) -> ProfileRun:
    """Profile every speech of the inputs; ``report`` gets a line per failed input (and warning)."""

    names = list(expand_inputs(list(inputs), glob=glob))
    label_outputs = {n for n in names if is_label_output(n, input_format)}
    labeller = load(model, sha256=sha256) if set(names) - label_outputs else None
    first = (_first_record(next(iter(label_outputs)), input_format) if label_outputs else None) or {}
    run = ProfileRun(roles=labeller.roles if labeller else tuple(first.get("scores", ())))
    items = _items(names, label_outputs, run.roles, glob=glob, input_format=input_format, max_bytes=max_bytes)
    pending: list[Rendered] = []
    for result in label_stream(items, labeller=labeller, model_path=model, layout=None,
                               jobs=jobs if labeller else 1):
        if isinstance(result, Rendered):
            if pending and pending[-1].doc_id == result.doc_id:  # a huge speech labelled in chunks
                last = pending.pop()
                result = Rendered(last.doc_id, "", last.n_units + result.n_units, (),
                                  merge(last.profile, result.profile), chain_keys(last.key, result.key))
            pending.append(result)
        elif isinstance(result, Note) and not result.verbose:
            report(f"warning: {result.message}")
        elif isinstance(result, Done):
            run.ok += 1
            run.profiles.extend(r.profile for r in pending)
            run.keys.extend(r.key for r in pending)
            pending = []
        elif isinstance(result, Failure):
            pending = []
            report(result.message)
            run.failed.append(result.kind)
            run.failed_inputs.append(result.source)
    return run


def profile(inputs, *, by: Sequence[str] = (), dedupe: bool = False, model: str | None = None, jobs: int = 1,
            glob: str = "*.txt"):
    """Profiles of speeches (files, folders, JSONL streams, or label outputs): a pandas DataFrame when pandas is
    installed, else a list of dicts. One row per speech, or per group of the ``by`` metadata fields."""
    names = [str(inputs)] if isinstance(inputs, (str, Path)) else [str(i) for i in inputs]
    run = profile_inputs(names, model=model, jobs=jobs, glob=glob,
                         report=lambda line: warnings.warn(line, stacklevel=3))
    rows = run.table(by=tuple(by), dedupe=dedupe)
    try:
        import pandas as pd
    except ImportError:
        return rows
    return pd.DataFrame(rows, columns=_columns(rows, run.roles, by))


def _columns(rows: list[dict], roles, by) -> list[str]:
    """The table's columns: the profile's own, then every metadata field in order of appearance."""
    own = profile_columns(roles, by=by)
    return own + list(dict.fromkeys(k for row in rows for k in row if k not in own))


def parquet_unavailable() -> str:
    """Why a parquet table cannot be written here ('' if it can)."""
    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as err:
        return f"--format parquet needs pandas and pyarrow ({err.name} is not installed): pip install pandas pyarrow"
    return ""


def write_table(rows: list[dict], roles, out: str | None, fmt: str, *, by: Sequence[str] = ()) -> None:
    """A profile table as CSV, JSONL (to ``out`` atomically, or standard output) or parquet (``out`` only);
    OutputError naming what could not be written."""
    columns = _columns(rows, roles, by)
    if fmt == "parquet":
        import pandas as pd

        assert out is not None  # parquet is written to a file only (the caller checks)
        buffer = io.BytesIO()
        pd.DataFrame(rows, columns=columns).to_parquet(buffer, index=False)
        atomic_write_bytes(out, buffer.getvalue())
        return
    if fmt == "jsonl":
        text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    else:
        text = csv_lines([columns, *([cell(row.get(c)) for c in columns] for row in rows)])
    if out is not None:
        atomic_write_text(out, text)
        return
    sink = OutputSink(None, fmt)
    sink.write(text)
    sink.finish()
