"""Labeller: a loaded model that labels speeches and units."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from govspeech.features import as_units, clean_speech, split_units
from govspeech.predictor._explain import UnitExplanation, explain_stages
from govspeech.predictor._infer import ArrayModel, decide_roles, load_model

__all__ = ["DEFAULT_MODEL_SHA256", "LabelledUnit", "Labeller", "default_model_dir", "load"]

# sha256 of the shipped models/default/model.json (which holds the sha256 of its arrays): the default model is
# loaded only if it is byte for byte the one trained for this release (tests/test_shipped_model.py checks the pin).
DEFAULT_MODEL_SHA256 = "ea289ecfbaed3ea3ad119bd38dd185243eb305a50ba7587886262c2aef37a149"


@dataclass(frozen=True)
class LabelledUnit:
    sent_id: int
    text: str
    roles: tuple[str, ...]
    scores: dict[str, float]
    explanation: UnitExplanation | None = field(default=None, compare=False, repr=False)  # label(explain=True)


def default_model_dir() -> Path:
    """The model shipped inside the package (``models/default`` in the source tree)."""
    return Path(str(resources.files("govspeech.models") / "default"))


class Labeller:
    """Labels units with the roles of a trained model; build it with ``predictor.load()``."""

    def __init__(self, model: ArrayModel, meta: dict):
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
        return [self._roles(row) for row in decide_roles(self.predict_proba(units), self.model.thresholds_)]

    def label(self, text: str, *, clean: bool = True, notes: list[str] | None = None,
              first_sent_id: int = 0, explain: bool = False) -> list[LabelledUnit]:
        """Split the text of one speech into units and label each, in order.

        With ``clean`` (the default), web-debris units are left out (their
        ``sent_id`` is skipped, so ids stay those of the unit rule) and the pieces
        of a sentence broken across lines get the roles of the whole sentence;
        ``clean=False`` labels every unit on its own. ``notes`` receives a line
        for each unit whose features were cut to the configured length.
        ``first_sent_id`` is added to every ``sent_id``: the units before
        ``text`` in its speech, for a chunk of a huge one (``SpeechText``).
        ``explain``: each unit's ``explanation`` says why it got its scores
        (``predictor.UnitExplanation``).
        """
        if not isinstance(text, str):
            raise TypeError(f"label() takes the text of a speech as str, got {type(text).__name__}")
        speech = clean_speech(text) if clean else None
        sentences = split_units(text) if speech is None else speech.sentences
        proba, explained = self._scores(sentences, explain)
        decided = decide_roles(proba, self.model.thresholds_).tolist()
        proba = proba.tolist()  # Python floats once per speech, not a numpy scalar per score
        if speech is None:
            placed = [(i, unit, i) for i, unit in enumerate(sentences)]
        else:
            if notes is not None:
                notes.extend(f"a sentence of {n} characters without a sentence mark: its features read the first "
                             f"{len(speech.sentences[j])} (labelled all the same)" for j, n in speech.cut.items())
            placed = [(i, unit, s) for i, unit, s in zip(speech.sent_ids, speech.texts, speech.sentence_of)
                      if s is not None]
        return [LabelledUnit(first_sent_id + i, unit, self._roles(decided[s]),
                             {r: round(x, 4) for r, x in zip(self.roles, proba[s])},
                             explained[s] if explained else None) for i, unit, s in placed]

    def _scores(self, sentences, explain: bool) -> tuple[np.ndarray, list[UnitExplanation] | None]:
        """The probabilities of the units of one speech, and (``explain``) why."""
        if not explain:
            return self.predict_proba(sentences), None
        rows = as_units(sentences)
        if not rows:
            return np.zeros((0, len(self.roles))), []
        stages = self.model.stages(rows)
        return stages.proba, explain_stages(self.model, stages)

    def _roles(self, decided_row) -> tuple[str, ...]:
        return tuple(r for r, d in zip(self.roles, decided_row) if d)


def load(path: str | Path | None = None, *, sha256: str | None = None) -> Labeller:
    """The shipped default model, or the model folder at ``path``.

    ``sha256`` pins ``model.json`` (which pins its arrays): loading refuses any
    other. The default model is always pinned to ``DEFAULT_MODEL_SHA256``.
    """
    if path is None:
        model = load_model(default_model_dir(), expected_sha256=sha256 or DEFAULT_MODEL_SHA256)
    else:
        model = load_model(Path(path), expected_sha256=sha256)
    return Labeller(model, model.meta)
