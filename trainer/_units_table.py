"""The units of the raw speeches, one row per unit, with duplicates marked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from govspeech.features import split_speeches, split_units

__all__ = ["UnitRow", "duplicate_groups", "raw_documents", "unit_rows"]


@dataclass(frozen=True)
class UnitRow:
    doc_id: str
    sent_id: int
    text: str
    duplicate_of: str | None  # "doc_id:sent_id" of the first occurrence


# Copies inside scraped pages differ in punctuation and lost-character marks
# ("……以上。" vs "……以上。?"): duplicates are found on the text without them.
_NOT_CONTENT = re.compile(r"[^\w]|_", re.UNICODE)


def duplicate_key(text: str) -> str:
    """The unit's letters, digits and Chinese characters only."""
    return _NOT_CONTENT.sub("", text)


def doc_id_for(source: Path, number: int | None, part: int) -> str:
    """``000`` for a one-speech file; ``002-p05`` / ``002-p05-2`` inside a page of pieces."""
    prefix = source.name.split("_", 1)[0]
    if number is None:
        return prefix if part == 1 else f"{prefix}-{part}"
    return f"{prefix}-p{number:02d}" + ("" if part == 1 else f"-{part}")


def raw_documents(raw_dir: Path) -> list[tuple[str, str]]:
    """(doc_id, text) for every speech of every ``*.txt`` in ``raw_dir``, sorted by file."""
    documents = []
    for source in sorted(raw_dir.glob("*.txt")):
        text = source.read_text(encoding="utf-8")
        for speech in split_speeches(text):
            documents.append((doc_id_for(source, speech.number, speech.part), speech.text))
    return documents


def unit_rows(raw_dir: Path, *, min_duplicate_chars: int) -> list[UnitRow]:
    """Every unit of every speech, in reading order, duplicates pointing at their first occurrence."""
    first_seen: dict[str, str] = {}
    rows = []
    for doc_id, text in raw_documents(raw_dir):
        for sent_id, unit in enumerate(split_units(text)):
            key = f"{doc_id}:{sent_id}"
            content = duplicate_key(unit)
            original = None
            if len(content) >= min_duplicate_chars:
                original = first_seen.setdefault(content, key)
                original = None if original == key else original
            rows.append(UnitRow(doc_id, sent_id, unit, original))
    return rows


def duplicate_groups(rows) -> dict[str, str]:
    """Map each doc_id to the smallest doc_id it is linked to by shared unit texts.

    ``rows``: anything with ``doc_id`` and ``duplicate_of`` (UnitRow, CorpusUnit).
    """
    parent: dict[str, str] = {}

    def find(doc: str) -> str:
        while parent.setdefault(doc, doc) != doc:
            doc = parent[doc]
        return doc

    for row in rows:
        find(row.doc_id)
        if row.duplicate_of:
            a, b = find(row.doc_id), find(row.duplicate_of.rsplit(":", 1)[0])
            parent[max(a, b)] = min(a, b)
    return {doc: find(doc) for doc in parent}
