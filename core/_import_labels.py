"""`govspeech import-labels`: a reviewed `export-units` file back into the corpus format, checked row by row.

A row's roles are its ``gold_<role>`` cells (1 or 0), and where a cell is
empty the model's decision (``labels``) stands. Every row is checked — a
``sent_id`` that is a whole number, a text that is exactly one unit under the
unit rule (and, when ``doc_id`` names a speech file that can be read, the
unit with that ``sent_id`` in it), roles that exist, no unit twice — and all
the bad rows are reported, one line each, before anything is written.
Speeches go to train, dev or test whole, in an order fixed by the seed.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from govspeech.atomic import atomic_write_text
from govspeech.errors import CorpusError, GovspeechError
from govspeech.features import ROLES, split_units
from govspeech.predictor import read_speeches

__all__ = ["Imported", "assign_splits", "import_labels"]

_TRUE, _FALSE = ("1",), ("0",)


@dataclass
class Imported:
    """What was read: the corpus records, the bad rows (one line each), and how many rows kept the model's roles."""

    records: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unreviewed: int = 0
    unchecked_docs: set[str] = field(default_factory=set)


def _rows(path: Path):
    """(line, row as a dict of text) of a CSV (with or without BOM) or JSONL file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise CorpusError(f"{path}: cannot read as UTF-8 text ({err}); save it as CSV UTF-8 or JSONL") from None
    if path.suffix.lower() == ".jsonl":
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as err:
                    row = {"__error__": f"invalid JSON: {err.msg}"}
                yield number, row if isinstance(row, dict) else {"__error__": "not a JSON object"}
        return
    reader = csv.DictReader(text.splitlines())
    for row in reader:
        yield reader.line_num, {k: v for k, v in row.items() if k is not None}


def _speech_units(doc_id: str, cache: dict) -> list[str] | None:
    """The units of speech ``doc_id`` when it names a readable speech file (``file`` or ``file#N``), else None."""
    base = doc_id if Path(doc_id).is_file() else doc_id.rsplit("#", 1)[0]
    if base not in cache:
        try:
            cache[base] = {s.doc_id: (s.first_sent_id, s.text) for s in read_speeches(base, name=base)} if Path(
                base).is_file() else {}
        except GovspeechError:
            cache[base] = {}
    found = cache[base].get(doc_id)
    return None if found is None else [""] * found[0] + split_units(found[1])


def _roles(row: dict, where: str, problems: list[str]) -> tuple[list[str], bool] | None:
    """The row's roles and whether any gold cell was filled, or None (a problem was recorded)."""
    model = [r for r in str(row.get("labels") or "").split(";") if r.strip()]
    if unknown := [r for r in model if r.strip() not in ROLES]:
        problems.append(f"{where}: labels holds {unknown[0]!r}, not a role; roles are {', '.join(ROLES)}")
        return None
    roles, reviewed = {r.strip() for r in model}, False
    for role in ROLES:
        cell = str(row.get(f"gold_{role}") if row.get(f"gold_{role}") is not None else "").strip()
        if cell in _TRUE:
            roles.add(role)
        elif cell in _FALSE:
            roles.discard(role)
        elif cell:
            problems.append(f"{where}: gold_{role} is {cell!r}; write 1 (has the role), 0 (has not) or leave "
                            "it empty (the model's decision stands)")
            return None
        reviewed |= bool(cell)
    return [r for r in ROLES if r in roles], reviewed


def _check_row(row: dict, where: str, result: Imported, seen: set, cache: dict) -> None:
    if "__error__" in row:
        result.problems.append(f"{where}: {row['__error__']}")
        return
    doc_id, text, sent_id = str(row.get("doc_id") or ""), row.get("text"), str(row.get("sent_id", "")).strip()
    if not doc_id or not isinstance(text, str) or not sent_id.isdigit():
        result.problems.append(f"{where}: doc_id, text and a whole-number sent_id are needed, got doc_id="
                               f"{doc_id!r} sent_id={sent_id!r}")
        return
    if split_units(text) != [text]:
        result.problems.append(f"{where}: the text is not one unit (the unit rule cuts it into "
                               f"{len(split_units(text))}); keep each unit on its own row, as exported")
        return
    units = _speech_units(doc_id, cache)
    if units is None:
        result.unchecked_docs.add(doc_id)
    elif int(sent_id) >= len(units) or units[int(sent_id)] != text:
        result.problems.append(f"{where}: sent_id {sent_id} of {doc_id} is not this text in the speech file; "
                               "keep sent_id and text as exported")
        return
    if (doc_id, int(sent_id)) in seen:
        result.problems.append(f"{where}: {doc_id} sent_id {sent_id} is given twice; keep one row per unit")
        return
    roles = _roles(row, where, result.problems)
    if roles is None:
        return
    seen.add((doc_id, int(sent_id)))
    result.unreviewed += not roles[1]
    result.records.append({"doc_id": doc_id, "sent_id": int(sent_id), "text": text, "labels": roles[0]})


def assign_splits(doc_ids: list[str], *, seed: int, dev: float, test: float) -> dict[str, str]:
    """train, dev or test for each speech: the speeches ordered by a hash of seed and id, test first, then dev."""
    order = sorted(set(doc_ids), key=lambda d: hashlib.sha256(f"{seed}:{d}".encode()).hexdigest())
    n_test, n_dev = round(len(order) * test), round(len(order) * dev)
    return {d: "test" if i < n_test else "dev" if i < n_test + n_dev else "train" for i, d in enumerate(order)}


def import_labels(path: str | Path, *, seed: int, dev: float, test: float) -> Imported:
    """The corpus records of a reviewed file, with their splits; ``problems`` lists every bad row."""
    path, result = Path(path), Imported()
    seen: set[tuple[str, int]] = set()
    cache: dict[str, dict] = {}
    for line, row in _rows(path):
        _check_row(row, f"{path}:{line}", result, seen, cache)
    if not result.records and not result.problems:
        result.problems.append(f"{path}: no rows; export units with `govspeech export-units` and review them")
    splits = assign_splits([r["doc_id"] for r in result.records], seed=seed, dev=dev, test=test)
    for record in result.records:
        record["split"] = splits[record["doc_id"]]
    result.records.sort(key=lambda r: (r["doc_id"], r["sent_id"]))
    return result


def write_corpus(records: list[dict], out: str | Path) -> None:
    atomic_write_text(out, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
