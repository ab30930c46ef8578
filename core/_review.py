"""`govspeech export-units`: every unit of some speeches, with the model's labels and room to correct them.

A row per unit: ``doc_id, sent_id, text, labels`` (the model's, joined by
``;``), ``score_<role>``, ``margin`` (how close the nearest score is to its
role's threshold), ``heading`` (the heading the unit sits under), ``before``
and ``after`` (its neighbours), then one empty ``gold_<role>`` column per
role for the reviewer: 1 (the unit has the role), 0 (it has not), or empty
(the model's decision stands). ``govspeech import-labels`` reads it back.
Units are those ``govspeech label`` gives: web debris is left out, so its
``sent_id``s are skipped and the ids stay those of the unit rule.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from govspeech.atomic import atomic_write_text
from govspeech.features import outline
from govspeech.predictor import read_speeches

__all__ = ["EXPORT_FORMATS", "ORDERS", "export_rows", "gold_column", "write_rows"]

EXPORT_FORMATS = ("csv", "jsonl")
ORDERS = ("speech", "uncertain")
SPEECH_SUFFIXES = ("*.txt",)


def gold_column(role: str) -> str:
    return f"gold_{role}"


def _files(inputs: list[str]) -> list[Path]:
    """Each input, a folder replaced by its ``*.txt`` files (recursively, sorted)."""
    files = []
    for name in inputs:
        path = Path(name)
        files += sorted(p for pattern in SPEECH_SUFFIXES for p in path.rglob(pattern)) if path.is_dir() else [path]
    return files


def export_rows(labeller, inputs: list[str], *, order: str = "speech") -> list[dict]:
    """The rows of every unit of ``inputs`` (speech text files or folders), in speech order or by ``order``."""
    if order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, got {order!r}")
    thresholds = dict(zip(labeller.roles, map(float, labeller.model.thresholds_)))
    rows = []
    for path in _files(inputs):
        for speech in read_speeches(path, name=str(path)):
            units = labeller.label(speech.text, first_sent_id=speech.first_sent_id)
            tree = outline([u.text for u in units])
            for i, unit in enumerate(units):
                parent = tree.parent[i]
                rows.append({
                    "doc_id": speech.doc_id, "sent_id": unit.sent_id, "text": unit.text,
                    "labels": ";".join(unit.roles),
                    **{f"score_{r}": unit.scores[r] for r in labeller.roles},
                    "margin": round(min(abs(unit.scores[r] - thresholds[r]) for r in labeller.roles), 4),
                    "heading": units[parent].text if parent is not None else "",
                    "before": units[i - 1].text if i else "",
                    "after": units[i + 1].text if i + 1 < len(units) else "",
                    **{gold_column(r): "" for r in labeller.roles},
                })
    if order == "uncertain":  # the units the model is least sure of first: most is learnt from correcting them
        rows.sort(key=lambda row: row["margin"])
    return rows


def write_rows(rows: list[dict], out: str | Path, fmt: str) -> None:
    """CSV (UTF-8 with a byte-order mark, so Excel opens the Chinese text) or JSONL, written atomically."""
    if fmt == "jsonl":
        atomic_write_text(out, "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["doc_id", "sent_id", "text"],
                            lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    atomic_write_text(out, "\ufeff" + buffer.getvalue())
