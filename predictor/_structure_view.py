"""What the model thinks each part of a speech is: its outline with predicted roles.

For every heading (an enumerated item or an unnumbered heading) of the
speech's outline (``features.outline``): the roles predicted for the heading
itself, and the share of each role among the units under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from govspeech.features import outline
from govspeech.predictor._batch import input_speeches
from govspeech.predictor._labeller import load

__all__ = ["HeadingView", "SpeechStructure", "format_structure", "speech_structure", "structure_report"]


@dataclass(frozen=True)
class HeadingView:
    """One heading: where it sits (``depth``, ``level`` of its enumerator style or None),
    its predicted ``roles``, and ``shares[role]`` among the ``n_units`` units under it."""

    sent_id: int
    text: str
    depth: int
    level: int | None
    roles: tuple[str, ...]
    n_units: int
    shares: dict[str, float]


@dataclass(frozen=True)
class SpeechStructure:
    """A speech's ``headings`` in order, its enumerator ``styles`` (top level first),
    and the share of each role among all its ``n_units`` units."""

    headings: list[HeadingView]
    styles: tuple[str, ...]
    n_units: int
    shares: dict[str, float]


def _shares(units: Sequence, roles: Sequence[str]) -> dict[str, float]:
    return {r: sum(r in u.roles for u in units) / len(units) if units else 0.0 for r in roles}


def speech_structure(labeller, text: str, *, first_sent_id: int = 0) -> SpeechStructure:
    """The outline of one speech with the roles ``labeller`` predicts.

    Units are those ``labeller.label`` gives (web debris left out), so
    ``sent_id`` is the unit's id in ``govspeech label`` output.
    """
    units = labeller.label(text, first_sent_id=first_sent_id)
    tree = outline([u.text for u in units])
    views = [
        HeadingView(units[i].sent_id, units[i].text, tree.depth[i], tree.level[i], units[i].roles,
                    len(members := tree.members(i)), _shares([units[j] for j in members], labeller.roles))
        for i in tree.headings()
    ]
    return SpeechStructure(views, tree.styles, len(units), _shares(units, labeller.roles))


def _share_text(n_units: int, shares: dict[str, float]) -> str:
    if not n_units:
        return "no units under it"
    return f"{n_units} units: " + "  ".join(f"{r} {100 * s:.0f}%" for r, s in shares.items())


def format_structure(doc_id: str, structure: SpeechStructure) -> str:
    """The indented tree of one speech: ``[sent_id] heading  → roles | shares of the units under it``."""
    lines = [f"{doc_id}: levels {' > '.join(structure.styles) or '(none)'}; "
             f"{_share_text(structure.n_units, structure.shares)}"]
    for view in structure.headings:
        roles = ", ".join(view.roles) or "other"
        lines.append(f"{'  ' * (view.depth + 1)}[{view.sent_id}] {view.text}  → {roles} | "
                     f"{_share_text(view.n_units, view.shares)}")
    return "\n".join(lines)


def structure_report(path: str, *, model: str | None = None, sha256: str | None = None,
                     input_format: str = "auto") -> str:
    """The tree of every speech in the file at ``path`` (read as ``govspeech label`` reads it: a text file, or
    each record of a JSONL stream), one after another."""
    labeller = load(model, sha256=sha256)
    return "\n\n".join(format_structure(s.doc_id, speech_structure(labeller, s.text, first_sent_id=s.first_sent_id))
                       for s in input_speeches(path, input_format=input_format))
