"""The sentence unit of ``LABELS.md``: split after 。!?; (both widths) and at line breaks."""

from __future__ import annotations

from govspeech.features._structure import SENTENCE_BOUNDARY

__all__ = ["split_units"]

_STRIP = " \t\r\f\v\u3000\u00a0\ufeff"


def split_units(text: str) -> list[str]:
    """Split the text of a speech into units, in order.

    Splits after each terminator (a run of them counts once, with any closing
    quote or bracket that follows) and at every line break; strips surrounding
    whitespace, ideographic space included, and drops empty units.
    """
    if not isinstance(text, str):
        raise TypeError(f"split_units expects str, got {type(text).__name__}")
    units = []
    for line in text.splitlines():
        start = 0
        for match in SENTENCE_BOUNDARY.finditer(line):
            units.append(line[start : match.end()])
            start = match.end()
        units.append(line[start:])
    return [u for u in (u.strip(_STRIP) for u in units) if u]
