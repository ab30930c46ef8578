"""Labelling beyond one machine with Dask: partition by partition, the model loaded once per worker.

``label_records`` is the whole job for one partition of speech records
(``{"id": ..., "text": ...}``, the JSONL input schema of `govspeech label`)
and returns one row per unit, the same rows `govspeech label --format jsonl`
writes. ``label_bag`` and ``label_dataframe`` map it over a ``dask.bag`` or
``dask.dataframe``; any engine with a per-partition map (Spark's
``mapPartitions``) can call ``label_records`` the same way. Workers need
govspeech installed and the model directory readable (the default model
ships inside the package). See docs/performance.md.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from govspeech.predictor._inputs import text_speeches
from govspeech.predictor._labeller import load
from govspeech.predictor._output import unit_record

__all__ = ["label_bag", "label_dataframe", "label_records", "worker_labeller"]

# Models kept per worker process; a job uses one, a second only if it compares two.
_MODELS_PER_WORKER = 2


@functools.lru_cache(maxsize=_MODELS_PER_WORKER)
def worker_labeller(model: str | None):
    """The labeller of this worker process: loaded on its first partition, reused by every later one."""
    return load(model)


def label_records(records: Iterable[dict], *, model: str | None = None) -> list[dict]:
    """Rows ``{doc_id, sent_id, text, labels, scores}`` for every unit of the speech records, in order.

    A record is split and cleaned as `govspeech label` does a JSONL record; one of empty text gives no rows.
    """
    labeller = worker_labeller(None if model is None else str(model))
    rows = []
    for record in records:
        if not record["text"].strip():
            continue
        for speech in text_speeches(str(record["id"]), record["text"]):
            rows.extend(unit_record(speech.doc_id, unit)
                        for unit in labeller.label(speech.text, first_sent_id=speech.first_sent_id))
    return rows


def label_bag(bag, *, model: str | None = None):
    """A ``dask.bag`` of output rows from a bag of speech records."""
    return bag.map_partitions(label_records, model=model)


def _frame_rows(rows: list[dict], roles: list[str]) -> dict[str, list]:
    columns = {"doc_id": [], "sent_id": [], "text": [], "labels": [], **{f"score_{r}": [] for r in roles}}
    for row in rows:
        for key in ("doc_id", "sent_id", "text"):
            columns[key].append(row[key])
        columns["labels"].append(";".join(row["labels"]))  # as in the CSV output
        for role in roles:
            columns[f"score_{role}"].append(row["scores"][role])
    return columns


def _label_frame(frame, *, model, roles, id_column, text_column):
    import pandas as pd

    records = ({"id": i, "text": t} for i, t in zip(frame[id_column], frame[text_column]))
    return pd.DataFrame(_frame_rows(label_records(records, model=model), roles))


def label_dataframe(frame, *, model: str | None = None, id_column: str = "id", text_column: str = "text"):
    """A ``dask.dataframe`` of output rows (the CSV output's columns) from one of speeches."""
    import pandas as pd

    roles = list(worker_labeller(None if model is None else str(model)).roles)
    meta = pd.DataFrame(_frame_rows([], roles)).astype({"sent_id": "int64", **{f"score_{r}": "float64" for r in roles}})
    return frame.map_partitions(_label_frame, model=model, roles=roles, id_column=id_column,
                                text_column=text_column, meta=meta)
