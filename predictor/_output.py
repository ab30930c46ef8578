"""The one row of a labelled unit, and every output format as a view of it (text, JSONL, CSV, HTML).

``unit_row`` builds the row; JSONL writes it as it is, CSV and a Dask
dataframe write ``table_row`` (labels joined, a 0/1 and a score column per
role, then the metadata), the text and HTML views read it. Metadata is what
a JSONL input record holds besides ``text`` and ``id``; ``MetaColumns``
refuses a field that would overwrite one of the output's own, and fixes the
CSV metadata columns (the first record's fields, or those of the header of
an output being resumed).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass

from govspeech.errors import BAD_RECORD, InputError
from govspeech.predictor._explain import EXPLANATION
from govspeech.predictor._html import page_head, page_tail, speech_section
from govspeech.predictor._labeller import LabelledUnit
from govspeech.predictor._profile import speech_profile

__all__ = ["EXPLAINED_FORMATS", "FORMATS", "UNIT_FIELDS", "Layout", "MetaColumns", "cell", "check_fields",
           "csv_lines", "header", "meta_columns_of_header", "render", "reserved_fields", "table_columns", "table_row",
           "trailer", "unit_row"]

FORMATS = ("text", "jsonl", "csv", "html")
UNIT_FIELDS = ("doc_id", "sent_id", "text", "labels", "scores")
EXPLAINED_FORMATS = ("jsonl", "html")  # the formats that can hold an explanation (label --explain)
LABEL_SEPARATOR = ";"  # joins the labels in a CSV cell
SCORE_PREFIX = "score_"
BOM = "\ufeff"  # --excel: lets Excel read the CSV as UTF-8


@dataclass(frozen=True)
class Layout:
    """What an output looks like: its format, the model's roles, (CSV) whether it starts with a BOM, and
    (JSONL, HTML) whether each unit says why it got its roles."""

    fmt: str
    roles: tuple[str, ...]
    excel: bool = False
    explain: bool = False


def unit_row(doc_id: str, unit: LabelledUnit, meta: Mapping | None = None, *, explained: bool = True) -> dict:
    """A labelled unit as one JSONL output line (and one Dask bag row) holds it: its fields, its ``explanation``
    of the roles it got when it has one (and ``explained``; a profile has no use for it), then the metadata."""
    row = {"doc_id": doc_id, "sent_id": unit.sent_id, "text": unit.text, "labels": list(unit.roles),
           "scores": dict(unit.scores)}
    if explained and unit.explanation is not None:
        row[EXPLANATION] = unit.explanation.as_dict(unit.roles)
    return {**row, **(meta or {})}


def table_columns(roles, meta_columns=()) -> list[str]:
    """The CSV (and Dask dataframe) columns: unit fields, a 0/1 column per role, a score column per role, metadata."""
    return ["doc_id", "sent_id", "text", "labels", *roles, *(SCORE_PREFIX + r for r in roles), *meta_columns]


def table_row(row: dict, roles, meta_columns=()) -> list:
    """``unit_row``'s row as the values of ``table_columns``."""
    return [row["doc_id"], row["sent_id"], row["text"], LABEL_SEPARATOR.join(row["labels"]),
            *(int(r in row["labels"]) for r in roles), *(row["scores"][r] for r in roles),
            *(cell(row.get(c)) for c in meta_columns)]


def cell(value):
    """A metadata value in a CSV cell: lists and objects as JSON, a missing one empty."""
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


def reserved_fields(roles) -> frozenset[str]:
    """Names metadata may not take: the fields of a JSONL row and the columns of a CSV one."""
    return frozenset(UNIT_FIELDS) | frozenset(table_columns(roles))


def check_fields(source: str, meta: dict, reserved: frozenset[str]) -> dict:
    """``meta``, or InputError (a bad record) if a field would overwrite one of the output's own."""
    clash = [k for k in meta if k in reserved]
    if clash:
        raise InputError(f"{source}: field {clash[0]!r} is also an output field; rename it in the input "
                         f"(output fields: {', '.join(sorted(reserved))})", kind=BAD_RECORD)
    return meta


class MetaColumns:
    """Checks each record's metadata for an output; ``columns``: the CSV metadata columns once fixed."""

    def __init__(self, layout: Layout, *, fixed: tuple[str, ...] | None = None):
        self.layout = layout
        self.reserved = reserved_fields(layout.roles) | ({EXPLANATION} if layout.explain else set())
        self.columns = fixed

    def __call__(self, source: str, meta: dict) -> dict:
        """``meta`` as the output writes it, or InputError (a bad record) naming the field."""
        check_fields(source, meta, self.reserved)
        if self.layout.fmt != "csv":
            return meta
        if self.columns is None:  # the first input fixes the CSV header
            self.columns = tuple(meta)
        extra = [k for k in meta if k not in self.columns]
        if extra:
            raise InputError(f"{source}: field {extra[0]!r} is not among the CSV metadata columns "
                             f"({', '.join(self.columns) or 'none'}) fixed by the first input; give every record "
                             "the same fields, or use --format jsonl", kind=BAD_RECORD)
        return {c: meta.get(c) for c in self.columns}  # in column order: render writes them as they come


def header(layout: Layout, meta_columns=()) -> str:
    """What an output starts with: the CSV header row (after a BOM for --excel), the HTML page head; else nothing."""
    if layout.fmt == "csv":
        return (BOM if layout.excel else "") + csv_lines([table_columns(layout.roles, meta_columns)])
    if layout.fmt == "html":
        return page_head(layout.roles)
    return ""


def render(doc_id: str, units: list[LabelledUnit], layout: Layout, meta: Mapping | None = None, *,
           speech_text: str = "") -> str:
    """The units of one speech in the output format (CSV: ``meta`` as ``MetaColumns`` gives it, in column order;
    HTML: ``speech_text``, the speech as read, shows where its lines break)."""
    # HTML: the metadata heads the section; on a unit, a field named explanation would pass for one
    rows = [unit_row(doc_id, u, None if layout.fmt == "html" else meta) for u in units]
    if layout.fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if layout.fmt == "csv":
        return csv_lines(table_row(r, layout.roles, tuple(meta or ())) for r in rows)
    if layout.fmt == "html":
        profile = speech_profile(doc_id, rows, layout.roles, meta or {})
        return speech_section(doc_id, rows, layout.roles, meta or {}, profile, speech_text)
    lines = [f"== {doc_id}"]
    lines.extend(f"{r['sent_id']:4d}  [{','.join(r['labels']) or '-'}]  {r['text']}" for r in rows)
    return "\n".join(lines) + "\n\n"


def trailer(layout: Layout, profiles) -> str:
    """What an output ends with: the HTML index of the speeches (``profiles``, as ``speech_profile`` gives
    them) and the page's end; else nothing."""
    if layout.fmt != "html":
        return ""
    return page_tail(layout.roles, profiles)


def csv_lines(rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def meta_columns_of_header(raw: bytes, roles) -> tuple[str, ...]:
    """The metadata columns of a CSV output's header line (what follows the columns of ``table_columns``)."""
    row = next(csv.reader([raw.decode("utf-8").removeprefix(BOM).rstrip("\n")]))
    return tuple(row[len(table_columns(roles)):])
