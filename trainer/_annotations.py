"""Annotation passes: per-unit role sets keyed by (doc_id, sent_id)."""

from __future__ import annotations

import json
from pathlib import Path

from features import ROLES
from trainer._corpus import CorpusError

__all__ = ["Annotation", "load_pass"]

Annotation = tuple[tuple[str, ...], bool]  # (roles in ROLES order, debris)


def load_pass(path: str | Path) -> dict[tuple[str, int], Annotation]:
    """One annotation pass: ``{"doc_id", "sent_id", "labels", "debris"}`` per line."""
    path = Path(path)
    out: dict[tuple[str, int], Annotation] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise CorpusError(f"{where}: invalid JSON: {err.msg}") from None
        unknown = [r for r in record.get("labels", ()) if r not in ROLES]
        if unknown or "labels" not in record:
            raise CorpusError(f"{where}: labels must be a list of {', '.join(ROLES)}")
        key = (record["doc_id"], record["sent_id"])
        if key in out:
            raise CorpusError(f"{where}: unit {key} annotated twice in one pass")
        out[key] = (tuple(r for r in ROLES if r in record["labels"]), bool(record.get("debris", False)))
    return out
