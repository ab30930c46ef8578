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
from govspeech.predictor._output import SCORE_PREFIX, reserved_fields, table_columns, table_row, unit_row

__all__ = ["label_bag", "label_dataframe", "label_records", "worker_labeller"]

# Models kept per worker process; a job uses one, a second only if it compares two.
_MODELS_PER_WORKER = 2


@functools.lru_cache(maxsize=_MODELS_PER_WORKER)
def worker_labeller(model: str | None):
    """The labeller of this worker process: loaded on its first partition, reused by every later one."""
    return load(model)


def label_records(records: Iterable[dict], *, model: str | None = None) -> list[dict]:
    """Rows ``{doc_id, sent_id, text, labels, scores, <metadata>}`` for every unit of the speech records, in order.

    A record is split and cleaned as `govspeech label` does a JSONL record; one of empty text gives no rows.
    Its fields other than ``id`` and ``text`` are its metadata; one named as an output field is an error.
    """
    labeller = worker_labeller(None if model is None else str(model))
    reserved = reserved_fields(labeller.roles)
    rows: list[dict] = []
    for record in records:
        if not record["text"].strip():
            continue
        meta = {k: v for k, v in record.items() if k not in ("id", "text")}
        clash = reserved.intersection(meta)
        if clash:
            raise ValueError(f"record {record['id']!r}: field {min(clash)!r} is also an output field; "
                             "rename it before labelling")
        for speech in text_speeches(str(record["id"]), record["text"]):
            rows.extend(unit_row(speech.doc_id, unit, meta)
                        for unit in labeller.label(speech.text, first_sent_id=speech.first_sent_id))
    return rows


def label_bag(bag, *, model: str | None = None):
    """A ``dask.bag`` of output rows from a bag of speech records."""
    return bag.map_partitions(label_records, model=model)


def _label_frame(frame, *, model, roles, id_column, text_column, meta_columns):
    import pandas as pd

    records = ({"id": i, "text": t, **dict(zip(meta_columns, m))}
               for i, t, *m in zip(frame[id_column], frame[text_column], *(frame[c] for c in meta_columns)))
    rows = [table_row(r, roles, meta_columns) for r in label_records(records, model=model)]
    return pd.DataFrame(rows, columns=table_columns(roles, meta_columns))


def label_dataframe(frame, *, model: str | None = None, id_column: str = "id", text_column: str = "text"):
    """A ``dask.dataframe`` of output rows (the CSV output's columns) from one of speeches; its other columns
    are metadata, repeated on every unit."""
    import pandas as pd

    roles = list(worker_labeller(None if model is None else str(model)).roles)
    meta_columns = tuple(c for c in frame.columns if c not in (id_column, text_column))
    dtypes = {"sent_id": "int64", **dict.fromkeys(roles, "int64"), **dict.fromkeys((SCORE_PREFIX + r for r in roles), "float64"),
              **{c: frame.dtypes[c] for c in meta_columns}}
    schema = pd.DataFrame(columns=table_columns(roles, meta_columns)).astype(dtypes)
    return frame.map_partitions(_label_frame, model=model, roles=roles, id_column=id_column,
                                text_column=text_column, meta_columns=meta_columns, meta=schema)
