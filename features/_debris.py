"""Web-page debris: units that a scraped page adds around a speech, by the listed
patterns of ``features/data/debris.txt``.

A unit is debris when a ``[unit]`` pattern matches it, when it follows a
``[list]`` header as a short link line, or when nothing of it is left once
``[strip]`` debris (URLs, image markup) and lost-character marks are removed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from importlib import resources

from govspeech.features._normalize import normalize_text
from govspeech.features._structure import TERMINATORS

__all__ = ["debris_flags", "debris_scores", "strip_inline_debris"]

_SECTIONS = ("unit", "list", "strip")
# A link under a list header: short and without a sentence mark.
_LIST_ITEM_MAX_CHARS = 30
_CONTENT = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    """One alternation per section of the pattern file (comments and blank lines skipped)."""
    lines = (resources.files("govspeech.features") / "data" / "debris.txt").read_text(encoding="utf-8").splitlines()
    found: dict[str, list[str]] = {name: [] for name in _SECTIONS}
    section = None
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("[") and line.rstrip().endswith("]") and line.strip()[1:-1] in _SECTIONS:
            section = line.strip()[1:-1]
            continue
        if section is None:
            raise ValueError(f"debris.txt: pattern {line!r} before any [section]; expected one of {_SECTIONS}")
        found[section].append(f"(?:{line})")
    return {name: re.compile("|".join(parts) or r"(?!)", re.IGNORECASE) for name, parts in found.items()}


def strip_inline_debris(text: str) -> str:
    """The text without URLs, image markup and preview notes: what the features read."""
    return _patterns()["strip"].sub("", text)


def _is_list_item(text: str) -> bool:
    stripped = text.strip()
    return len(stripped) <= _LIST_ITEM_MAX_CHARS and stripped[-1:] not in TERMINATORS


def debris_flags(units: Sequence[str]) -> list[bool]:
    """For the units of one speech in order, whether each is web debris."""
    patterns = _patterns()
    flags, in_list = [], False
    for unit in units:
        text = normalize_text(unit)
        if in_list and _is_list_item(text):
            flags.append(True)
            continue
        in_list = bool(patterns["list"].search(text))
        flags.append(in_list or bool(patterns["unit"].search(text))
                     or not _CONTENT.search(strip_inline_debris(text)))
    return flags


def debris_scores(units: Iterable) -> dict:
    """Precision and recall of ``debris_flags`` against units that carry ``doc_id``, ``text`` and ``debris``.

    Units are taken in order and grouped into speeches by consecutive ``doc_id``.
    Returns counts, the two figures, and the missed and wrongly flagged units.
    """
    docs: dict[str, list] = {}
    for unit in units:
        docs.setdefault(unit.doc_id, []).append(unit)
    missed, wrong, true_pos = [], [], 0
    for doc_units in docs.values():
        for unit, flagged in zip(doc_units, debris_flags([u.text for u in doc_units])):
            if flagged and unit.debris:
                true_pos += 1
            elif unit.debris:
                missed.append(unit)
            elif flagged:
                wrong.append(unit)
    n_flagged, actual = true_pos + len(wrong), true_pos + len(missed)
    return {
        "n_units": sum(len(v) for v in docs.values()), "debris": actual, "flagged": n_flagged,
        "precision": true_pos / n_flagged if n_flagged else 1.0, "recall": true_pos / actual if actual else 1.0,
        "missed": [(u.doc_id, u.sent_id, u.text) for u in missed],
        "wrongly_flagged": [(u.doc_id, u.sent_id, u.text) for u in wrong],
    }
