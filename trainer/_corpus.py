"""Read and validate corpus files (JSONL, one unit a line)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from govspeech.errors import CorpusError
from govspeech.features import ROLES, split_units

__all__ = [
    "SPLITS", "CorpusError", "CorpusUnit", "by_split", "label_matrix",
    "load_corpora", "load_corpus", "load_paraphrases", "load_synthetic", "read_jsonl", "training_weights", "unit_dicts",
]

SPLITS = ("train", "dev", "test")
_REQUIRED = {"doc_id": str, "sent_id": int, "text": str, "labels": list}


@dataclass(frozen=True)
class CorpusUnit:
    doc_id: str
    sent_id: int
    text: str
    labels: tuple[str, ...]
    split: str | None = None
    debris: bool = False
    duplicate_of: str | None = None
    extra: dict = field(default_factory=dict, compare=False)


def _check(record, where: str, require_split: bool) -> CorpusUnit:
    if not isinstance(record, dict):
        raise CorpusError(f"{where}: a JSON object expected, got {type(record).__name__}")
    for key, kind in _REQUIRED.items():
        if key not in record:
            raise CorpusError(f"{where}: missing field {key!r}")
        value = record[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise CorpusError(f"{where}: field {key!r} must be {kind.__name__}, got {type(value).__name__}")
    unknown = [r for r in record["labels"] if r not in ROLES]
    if unknown:
        raise CorpusError(f"{where}: unknown role {unknown[0]!r}; roles are {', '.join(ROLES)}")
    if len(set(record["labels"])) != len(record["labels"]):
        raise CorpusError(f"{where}: a role is listed twice in {record['labels']}")
    split = record.get("split")
    if (split is not None and split not in SPLITS) or (require_split and split is None):
        raise CorpusError(f"{where}: field 'split' must be one of {', '.join(SPLITS)}, got {split!r}")
    known = {"doc_id", "sent_id", "text", "labels", "split", "debris", "duplicate_of"}
    return CorpusUnit(
        doc_id=record["doc_id"],
        sent_id=record["sent_id"],
        text=record["text"],
        labels=tuple(r for r in ROLES if r in record["labels"]),
        split=split,
        debris=bool(record.get("debris", False)),
        duplicate_of=record.get("duplicate_of"),
        extra={k: v for k, v in record.items() if k not in known},
    )


def read_jsonl(path: str | Path):
    """Yield ``("file:line", record)`` for each non-blank line; CorpusError on unreadable, non-UTF-8 or bad JSON."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise CorpusError(f"{path}: cannot read: {err.strerror or err}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line_no = raw[: err.start].count(b"\n") + 1
        raise CorpusError(f"{path}:{line_no}: not UTF-8 (byte offset {err.start}); re-save the file as UTF-8") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            yield where, json.loads(line)
        except json.JSONDecodeError as err:
            raise CorpusError(f"{where}: invalid JSON: {err.msg} (column {err.colno})") from None


def load_corpus(path: str | Path, *, require_split: bool = False) -> list[CorpusUnit]:
    """All units of a corpus file, in file order; raises CorpusError at the first bad line.

    Units of one speech (same ``doc_id``) are returned ordered by ``sent_id``,
    speeches in the order they first appear.
    """
    units, seen = [], set()
    for where, record in read_jsonl(path):
        unit = _check(record, where, require_split)
        key = (unit.doc_id, unit.sent_id)
        if key in seen:
            raise CorpusError(f"{where}: duplicate id doc_id={unit.doc_id!r} sent_id={unit.sent_id}")
        seen.add(key)
        units.append(unit)
    if not units:
        raise CorpusError(f"{path}: no units in the file")
    order = {doc: i for i, doc in reversed(list(enumerate(u.doc_id for u in units)))}
    return sorted(units, key=lambda u: (order[u.doc_id], u.sent_id))


def load_corpora(paths: Iterable[str | Path], *, require_split: bool = False) -> list[CorpusUnit]:
    """The units of several corpus files pooled (a user's and the shipped one); a speech id in two is refused."""
    units: list[CorpusUnit] = []
    origin: dict[str, str | Path] = {}
    for path in paths:
        loaded = load_corpus(path, require_split=require_split)
        for doc_id in dict.fromkeys(u.doc_id for u in loaded):
            if doc_id in origin:
                raise CorpusError(f"{path}: speech {doc_id!r} is also in {origin[doc_id]}; give each speech one "
                                  "doc_id (rename it in one file), or leave one file out")
            origin[doc_id] = path
        units += loaded
    return units


def load_synthetic(path: str | Path) -> list[CorpusUnit]:
    """Training-only units written to the guideline; every line must say ``"synthetic": true`` and have no split.

    They are never in a corpus split, so no evaluation can see them.
    """
    units = load_corpus(path)
    for unit in units:
        where = f"{path}: doc_id={unit.doc_id!r} sent_id={unit.sent_id}"
        if unit.split is not None:
            raise CorpusError(f"{where}: synthetic units must not have a 'split' (got {unit.split!r}); "
                              "they are for training only")
        if unit.extra.get("synthetic") is not True:
            raise CorpusError(f"{where}: 'synthetic': true expected; real units belong in the corpus file")
        if split_units(unit.text) != [unit.text]:
            raise CorpusError(f"{where}: the text is not exactly one unit (LABELS.md's unit rule cuts it into "
                              f"{len(split_units(unit.text))}); write one unit a line")
    return units


def load_paraphrases(path: str | Path, corpus: Iterable[CorpusUnit]) -> list[CorpusUnit]:
    """Paraphrased train/dev speeches, built from a file of rewrites and the corpus they reword.

    Each line of ``path`` rewrites one distinct corpus unit:
    ``{"source": "DOC:SENT", "text": ..., "synthetic": true}``. A paraphrased
    speech ``NAME:DOC`` (NAME the file's stem, so several files of rewrites
    stay apart) follows speech DOC unit by unit (debris left out), each
    unit's text its rewrite (a duplicate takes its original's) and its labels
    the source's gold labels: a paraphrase keeps the meaning, so it keeps the
    roles, and relabelling the corpus carries over. Only train and dev units
    may be rewritten. ``extra["paraphrase_of_doc"]`` names the source speech,
    so cross-validation trains on a paraphrase only where it trains on DOC.
    """
    corpus = list(corpus)
    by_id = {f"{u.doc_id}:{u.sent_id}": u for u in corpus}
    rewrites = {}
    for where, record in read_jsonl(path):
        key = record.get("source") if isinstance(record, dict) else None
        source = by_id.get(key) if isinstance(key, str) else None
        if source is None:
            raise CorpusError(f"{where}: 'source' must name a corpus unit as 'DOC:SENT', got "
                              f"{record.get('source') if isinstance(record, dict) else record!r}")
        if record.get("synthetic") is not True:
            raise CorpusError(f"{where}: 'synthetic': true expected; a rewrite is training-only text")
        if source.split not in ("train", "dev"):
            raise CorpusError(f"{where}: rewrites a {source.split or 'split-less'} unit; only train and dev "
                              "speeches may be paraphrased, or evaluation would see them reworded")
        if source.duplicate_of or source.debris:
            raise CorpusError(f"{where}: rewrites a {'duplicate' if source.duplicate_of else 'debris'} unit; "
                              "rewrite the original only (duplicates take its rewrite, debris is left out)")
        text = record.get("text")
        if not isinstance(text, str) or split_units(text) != [text]:
            raise CorpusError(f"{where}: the text is not exactly one unit under LABELS.md's unit rule; "
                              "write one unit a line")
        rewrites[record["source"]] = text
    sources = {key.rsplit(":", 1)[0] for key in rewrites}
    name = Path(path).stem
    units = []
    for unit in corpus:
        if unit.doc_id not in sources or unit.debris:
            continue
        original = unit.duplicate_of or f"{unit.doc_id}:{unit.sent_id}"
        if original not in rewrites:
            raise CorpusError(f"{path}: no rewrite of {original}, needed by paraphrased speech {unit.doc_id}; "
                              "a paraphrased speech must rewrite every unit of its source")
        units.append(CorpusUnit(
            doc_id=f"{name}:{unit.doc_id}", sent_id=unit.sent_id, text=rewrites[original], labels=unit.labels,
            duplicate_of=f"{name}:{unit.duplicate_of}" if unit.duplicate_of else None,
            extra={"synthetic": True, "paraphrase_of": f"{unit.doc_id}:{unit.sent_id}",
                   "paraphrase_of_doc": unit.doc_id}))
    return units


def by_split(units: Iterable[CorpusUnit], *splits: str) -> list[CorpusUnit]:
    return [u for u in units if u.split in splits]


def label_matrix(units: Iterable[CorpusUnit]):
    """(n_units, n_roles) 0/1 array in ROLES order."""
    import numpy as np

    return np.array([[role in u.labels for role in ROLES] for u in units], dtype=np.int8)


def training_weights(units: Iterable[CorpusUnit]):
    """1 per unit, 0 for duplicates: they give their speech context but are neither trained on nor scored."""
    import numpy as np

    return np.array([0.0 if u.duplicate_of else 1.0 for u in units])


def unit_dicts(units: Iterable[CorpusUnit]) -> list[dict]:
    """The form the feature builder takes: ``{"doc_id", "text"}`` per unit."""
    return [{"doc_id": u.doc_id, "text": u.text} for u in units]
