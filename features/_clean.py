"""A speech as the labeller reads it: its units by the unit rule, web debris set
aside, and the pieces of a sentence broken across lines read as one sentence.

Units (and their ``sent_id``) stay exactly those of the ``LABELS.md`` rule
(split at every line break), so output lines up with the corpus and with any
annotation made by that rule. Joining only changes what the model reads: the
pieces of a line-broken sentence are classified together and each piece gets
the roles of its sentence (convention 2 of the specification).
"""

from __future__ import annotations

from dataclasses import dataclass

from govspeech.features._debris import debris_flags, strip_inline_debris
from govspeech.features._limits import limits
from govspeech.features._linejoin import continues_previous
from govspeech.features._units import split_units

__all__ = ["CleanSpeech", "clean_speech"]


@dataclass(frozen=True)
class CleanSpeech:
    """``texts[i]``/``sent_ids[i]``: every unit as written; ``sentence_of[i]``: index into
    ``sentences`` (the texts the model reads), or None for a debris unit.
    ``cut``: {sentence index: its full length} for sentences whose features read only
    their first ``max_feature_chars`` characters."""

    texts: list[str]
    sentence_of: list[int | None]
    sentences: list[str]
    cut: dict[int, int]

    @property
    def sent_ids(self) -> range:
        return range(len(self.texts))


def clean_speech(text: str, *, max_feature_chars: int | None = None) -> CleanSpeech:
    """The units of one speech, which are debris, and the sentences the model reads."""
    if max_feature_chars is None:
        max_feature_chars = limits().units.max_feature_chars
    lines = text.splitlines()
    line_units = [split_units(line) for line in lines]
    texts = [u for units in line_units for u in units]
    debris = debris_flags(texts)
    continues = continues_previous(lines)
    sentence_of: list[int | None] = []
    members: list[list[str]] = []
    i = 0
    for line, units in enumerate(line_units):
        for k, unit in enumerate(units):
            if debris[i]:
                sentence_of.append(None)
            elif k == 0 and continues[line] and i > 0 and sentence_of[-1] is not None:
                sentence_of.append(sentence_of[-1])
                members[-1].append(unit)
            else:
                sentence_of.append(len(members))
                members.append([unit])
            i += 1
    sentences = [strip_inline_debris("".join(m)) for m in members]
    cut = {j: len(s) for j, s in enumerate(sentences) if len(s) > max_feature_chars}
    for j in cut:
        sentences[j] = sentences[j][:max_feature_chars]
    return CleanSpeech(texts, sentence_of, sentences, cut)
