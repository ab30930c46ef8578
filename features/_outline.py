"""The heading hierarchy of a speech: which item or heading each unit sits under.

Speeches nest their enumerators differently (一、 > (一) > 1. in one,
(一) > 一是 in another, 第一 > 一要 in a third), so the order of levels is
learned per speech: a style found for the first time, with its first item
(一、, (一), 1., 首先 …), is one level below every style seen before it; a
later number of a style not yet seen (``4),要…`` cut from a sentence that
listed (1) to (4)) starts no level and is a plain unit. A unit that starts with an enumerator is an item of its
style's level and closes the open items of its level and deeper; every other
unit sits under the items open above it. An unnumbered heading (a short line
without an end mark) heads the plain units after it, under the open item,
until the next heading or item.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from govspeech.features._structure import enumerator, is_outline_heading

__all__ = ["Outline", "ancestor_rows", "outline"]


@dataclass(frozen=True)
class Outline:
    """Per unit of one speech (index = position in the ``texts`` given to ``outline``).

    ``level``: the level of the unit's enumerator style (0 = top) if it is an
    item, else None. ``heading``: an item or an unnumbered heading.
    ``ancestors``: indices of the items and headings above it, outermost first;
    ``parent`` is the last of them (None at top). ``part``: the top-level item
    at or above the unit (None before the first). ``styles``: the speech's
    enumerator styles, top level first.
    """

    level: tuple[int | None, ...]
    heading: tuple[bool, ...]
    ancestors: tuple[tuple[int, ...], ...]
    part: tuple[int | None, ...]
    styles: tuple[str, ...]

    @property
    def parent(self) -> tuple[int | None, ...]:
        return tuple(chain[-1] if chain else None for chain in self.ancestors)

    @property
    def depth(self) -> tuple[int, ...]:
        return tuple(len(chain) for chain in self.ancestors)

    def headings(self) -> list[int]:
        """Indices of the items and unnumbered headings, in order."""
        return [i for i, h in enumerate(self.heading) if h]

    def members(self, i: int) -> list[int]:
        """Indices of the units under ``i`` (its subtree without itself)."""
        return [j for j, chain in enumerate(self.ancestors) if i in chain]


def outline(texts: Sequence[str]) -> Outline:
    """The heading hierarchy of one speech's units, in order (see the module docstring)."""
    styles: list[str] = []
    open_items: list[tuple[int, int]] = []  # (index, level), outermost first
    plain: int | None = None  # the open unnumbered heading, under the open items
    level: list[int | None] = []
    heading: list[bool] = []
    ancestors: list[tuple[int, ...]] = []
    for i, text in enumerate(texts):
        mark = enumerator(text)
        if mark is not None and (mark.style in styles or mark.ordinal == 1):
            if mark.style not in styles:
                styles.append(mark.style)
            lvl = styles.index(mark.style)
            while open_items and open_items[-1][1] >= lvl:
                open_items.pop()
            chain = tuple(j for j, _ in open_items)
            open_items.append((i, lvl))
            plain = None
            level.append(lvl)
            heading.append(True)
        else:
            is_plain_heading = is_outline_heading(text)
            if is_plain_heading:
                plain = None
            chain = tuple(j for j, _ in open_items) + ((plain,) if plain is not None else ())
            if is_plain_heading:
                plain = i
            level.append(None)
            heading.append(is_plain_heading)
        ancestors.append(chain)
    part = tuple(next((j for j in (*chain, i) if level[j] == 0), None) for i, chain in enumerate(ancestors))
    return Outline(tuple(level), tuple(heading), tuple(ancestors), part, tuple(styles))


def ancestor_rows(texts: Sequence[str], spans) -> tuple[list[int | None], list[tuple[int, ...]]]:
    """For every unit of a batch (speeches as ``[start, end)`` ``spans``): the row of its
    top-level part (None before the first) and the rows of its ancestors, outermost first.

    Rows index ``texts``, so role probabilities of the part and the ancestor
    headings are ``proba[row]``.
    """
    parts: list[int | None] = [None] * len(texts)
    chains: list[tuple[int, ...]] = [()] * len(texts)
    for start, end in spans:
        tree = outline(texts[start:end])
        for k in range(end - start):
            parts[start + k] = None if tree.part[k] is None else start + tree.part[k]
            chains[start + k] = tuple(start + j for j in tree.ancestors[k])
    return parts, chains
