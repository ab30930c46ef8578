"""Annotation passes: per-unit role sets keyed by (doc_id, sent_id)."""

from __future__ import annotations

from pathlib import Path

from govspeech.features import ROLES
from govspeech.trainer._corpus import CorpusError, read_jsonl

__all__ = ["Annotation", "load_pass"]

Annotation = tuple[tuple[str, ...], bool]  # (roles in ROLES order, debris)


def load_pass(path: str | Path) -> dict[tuple[str, int], Annotation]:
    """One annotation pass: ``{"doc_id", "sent_id", "labels", "debris"}`` per line."""
    out: dict[tuple[str, int], Annotation] = {}
    for where, record in read_jsonl(path):
        unknown = [r for r in record.get("labels", ()) if r not in ROLES]
        if unknown or "labels" not in record:
            raise CorpusError(f"{where}: labels must be a list of {', '.join(ROLES)}")
        key = (record["doc_id"], record["sent_id"])
        if key in out:
            raise CorpusError(f"{where}: unit {key} annotated twice in one pass")
        out[key] = (tuple(r for r in ROLES if r in record["labels"]), bool(record.get("debris", False)))
    return out
