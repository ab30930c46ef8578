"""Writing labelled units as readable text, JSONL or CSV."""

from __future__ import annotations

import csv
import io
import json

from govspeech.predictor._labeller import LabelledUnit

__all__ = ["FORMATS", "header", "render", "unit_record"]

FORMATS = ("text", "jsonl", "csv")


def unit_record(doc_id: str, unit: LabelledUnit) -> dict:
    """A labelled unit as one JSONL output line (and one Dask output row) holds it."""
    return {"doc_id": doc_id, "sent_id": unit.sent_id, "text": unit.text, "labels": list(unit.roles),
            "scores": unit.scores}


def header(fmt: str, roles: tuple[str, ...]) -> str:
    """What an output starts with: the CSV header row; nothing in the other formats."""
    return render("", [], fmt, roles, header=True) if fmt == "csv" else ""


def render(doc_id: str, units: list[LabelledUnit], fmt: str, roles: tuple[str, ...], *, header: bool) -> str:
    """The units of one speech in the chosen format (``header``: the CSV header row first)."""
    if fmt == "jsonl":
        return "".join(json.dumps(unit_record(doc_id, u), ensure_ascii=False) + "\n" for u in units)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if header:
            writer.writerow(["doc_id", "sent_id", "text", "labels", *(f"score_{r}" for r in roles)])
        for u in units:
            writer.writerow([doc_id, u.sent_id, u.text, ";".join(u.roles), *(u.scores[r] for r in roles)])
        return buffer.getvalue()
    lines = [f"== {doc_id}"]
    for u in units:
        tag = ",".join(u.roles) if u.roles else "-"
        lines.append(f"{u.sent_id:4d}  [{tag}]  {u.text}")
    return "\n".join(lines) + "\n\n"
