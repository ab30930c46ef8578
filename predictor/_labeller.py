"""Labeller: a loaded model that labels speeches and units."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from govspeech.features import as_units, clean_speech, split_units

__all__ = ["LabelledUnit", "Labeller", "load", "default_model_dir"]


@dataclass(frozen=True)
class LabelledUnit:
    sent_id: int
    text: str
    roles: tuple[str, ...]
    scores: dict[str, float]


def default_model_dir() -> Path:
    """The model shipped inside the package (``models/default`` in the source tree)."""
    return Path(str(resources.files("govspeech.models") / "default"))


class Labeller:
    """Labels units with the roles of a trained model; build it with ``predictor.load()``."""

    def __init__(self, model, meta: dict):
        self.model = model
        self.meta = meta
        self.roles = tuple(meta["roles"])

    def predict_proba(self, units) -> np.ndarray:
        """(n_units, n_roles) probabilities for pre-split units of one speech, in order."""
        rows = as_units(units)
        if not rows:
            return np.zeros((0, len(self.roles)))
        return self.model.predict_proba(rows)

    def predict(self, units) -> list[tuple[str, ...]]:
        """The roles of each pre-split unit (strings of one speech in order, or mappings with doc_id)."""
        return [self._roles(p) for p in self.predict_proba(units)]

    def label(self, text: str, *, clean: bool = True, notes: list[str] | None = None,
              first_sent_id: int = 0) -> list[LabelledUnit]:
        """Split the text of one speech into units and label each, in order.

        With ``clean`` (the default), web-debris units are left out (their
        ``sent_id`` is skipped, so ids stay those of the unit rule) and the pieces
        of a sentence broken across lines get the roles of the whole sentence;
        ``clean=False`` labels every unit on its own. ``notes`` receives a line
        for each unit whose features were cut to the configured length.
        ``first_sent_id`` is added to every ``sent_id``: the units before
        ``text`` in its speech, for a chunk of a huge one (``SpeechText``).
        """
        if not isinstance(text, str):
            raise TypeError(f"label() takes the text of a speech as str, got {type(text).__name__}")
        if not clean:
            units = split_units(text)
            return [self._unit(i, unit, p)
                    for i, (unit, p) in enumerate(zip(units, self.predict_proba(units)), start=first_sent_id)]
        speech = clean_speech(text)
        proba = self.predict_proba(speech.sentences)
        if notes is not None:
            notes.extend(f"a sentence of {n} characters without a sentence mark: its features read the first "
                         f"{len(speech.sentences[j])} (labelled all the same)" for j, n in speech.cut.items())
        return [self._unit(first_sent_id + i, unit, proba[s])
                for i, unit, s in zip(speech.sent_ids, speech.texts, speech.sentence_of) if s is not None]

    def _unit(self, sent_id: int, text: str, proba_row) -> LabelledUnit:
        return LabelledUnit(sent_id, text, self._roles(proba_row),
                            {r: round(float(x), 4) for r, x in zip(self.roles, proba_row)})

    def _roles(self, proba_row) -> tuple[str, ...]:
        return tuple(r for r, p, t in zip(self.roles, proba_row, self.model.thresholds_) if p >= t)


def load(path: str | Path | None = None, *, compiled: bool = True) -> Labeller:
    """The shipped default model, or the model directory at ``path``.

    ``compiled``: label with the model's verified scikit-learn-free copy when
    it has one (``predictor._compiled``; same labels, no second-long import);
    False always uses the unpickled model itself.
    """
    from govspeech.predictor._compiled import fast_or_full

    return Labeller(*fast_or_full(default_model_dir() if path is None else Path(path), compiled=compiled))
