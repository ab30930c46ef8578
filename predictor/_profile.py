"""Profiles: per speech (or per group of speeches), how many units carry each role, and how many none.

A unit may carry several roles, so the role shares of a speech need not sum
to 1: ``share_<role>`` is the share of its units carrying the role,
``share_none`` the share carrying none, and ``1 - share_none`` the share
carrying at least one. A group's counts are its speeches' summed, and its
shares those of its pooled units. Two speeches are duplicates when their
labelled units hold the same text once normalised (script, ruby, whitespace):
the later one gets ``duplicate_of`` the first's doc id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

from govspeech.features import normalize_text

__all__ = ["group_profiles", "profile_columns", "profile_table", "speech_key", "speech_profile", "with_shares"]

NONE = "none"  # the pseudo-role of units carrying no role


def speech_profile(doc_id: str, rows: Iterable[Mapping], roles: Sequence[str], meta: Mapping) -> dict:
    """The counts of one speech from its output rows (``unit_row``'s): ``{doc_id, n_units, n_<role>…, n_none, meta}``."""
    rows = list(rows)
    counts = {f"n_{r}": sum(r in row["labels"] for row in rows) for r in roles}
    return {"doc_id": doc_id, "n_units": len(rows), **counts, f"n_{NONE}": sum(not row["labels"] for row in rows),
            "meta": dict(meta)}


def speech_key(rows: Iterable[Mapping]) -> str:
    """A digest of the speech's normalised unit text: equal for duplicated speeches."""
    text = "".join(normalize_text(row["text"]) for row in rows)
    return hashlib.sha1("".join(text.split()).encode("utf-8")).hexdigest()


def chain_keys(first: str, second: str) -> str:
    """The key of a speech labelled in two chunks, from theirs."""
    return hashlib.sha1((first + second).encode("ascii")).hexdigest()


def merge(first: Mapping, second: Mapping) -> dict:
    """Counts of a speech labelled in two chunks (same doc id)."""
    return {k: first[k] + v if k.startswith("n_") else first[k] for k, v in second.items()}


def with_shares(profile: Mapping, roles: Sequence[str]) -> dict:
    """The counts with ``share_<role>`` and ``share_none`` added (None for a speech of no unit)."""
    n = profile["n_units"]
    shares = {f"share_{r}": profile[f"n_{r}"] / n if n else None for r in (*roles, NONE)}
    return {**profile, **shares}


def profile_columns(roles: Sequence[str], *, by: Sequence[str] = ()) -> list[str]:
    """The columns of a profile table before the metadata: per speech, or per group of ``by``."""
    first = [*by, "n_speeches"] if by else ["doc_id"]
    counts = [f"n_{r}" for r in (*roles, NONE)]
    shares = [f"share_{r}" for r in (*roles, NONE)]
    return [*first, "n_units", *counts, *shares, *([] if by else ["duplicate_of"])]


def profile_table(profiles: Sequence[Mapping], keys: Sequence[str], roles: Sequence[str], *,
                  dedupe: bool = False) -> list[dict]:
    """One row per speech, in ``profile_columns`` then its metadata; duplicates flagged, or dropped (``dedupe``)."""
    first_of: dict[str, str] = {}
    table = []
    for profile, key in zip(profiles, keys):
        duplicate_of = first_of.setdefault(key, profile["doc_id"])
        duplicate_of = "" if duplicate_of == profile["doc_id"] else duplicate_of
        if dedupe and duplicate_of:
            continue
        row = with_shares({k: v for k, v in profile.items() if k != "meta"}, roles)
        table.append({**{c: row.get(c) for c in profile_columns(roles)}, "duplicate_of": duplicate_of,
                      **profile["meta"]})
    return table


def group_profiles(table: Sequence[Mapping], roles: Sequence[str], by: Sequence[str]) -> list[dict]:
    """Rows of ``profile_table`` summed by the values of the ``by`` fields, groups in order of appearance."""
    groups: dict[tuple, dict] = {}
    counts = ["n_units", *(f"n_{r}" for r in (*roles, NONE))]
    for row in table:
        value = tuple(_hashable(row.get(field)) for field in by)
        group = groups.setdefault(value, {**dict(zip(by, value)), "n_speeches": 0, **dict.fromkeys(counts, 0)})
        group["n_speeches"] += 1
        for c in counts:
            group[c] += row[c]
    columns = profile_columns(roles, by=by)
    return [{c: row[c] for c in columns} for row in (with_shares(g, roles) for g in groups.values())]


def _hashable(value):
    return repr(value) if isinstance(value, (list, dict)) else value
