"""Why a unit got a role: each stage's linear score taken apart into intercept + Σ weight × value.

Stage 1 scores a unit's own words: its TF-IDF columns (``features.NgramBlocks``)
times their weights. Stage 2 (a stacked model) scores the unit in its speech:
the context columns (``features.sequence_feature_names``: the first stage's
probabilities of the unit, its neighbours, section, heading, speech; its
position) and, with ``with_text``, the TF-IDF columns again. The numbers are
those of ``ArrayModel.stages``, the very ones ``predict_proba`` turns into
probabilities, so intercept + the sum of a unit's contributions is its score's
logit up to float rounding. ``CONTEXT_WORDS`` is the one table of how a
context column reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from govspeech.predictor._infer import ArrayModel, Stages, logistic

__all__ = ["CONTEXT_WORDS", "EXPLANATION", "TOP_CONTRIBUTIONS", "Contribution", "Terms", "UnitExplanation",
           "context_words", "explain", "explain_stages", "explanation_lines", "is_explanation"]

EXPLANATION = "explanation"  # the field of a unit's row (JSONL, HTML) that holds it: label --explain
TOP_CONTRIBUTIONS = 5  # contributions shown per role and stage; the others are summed
DECIMALS = 6  # of the linear terms in an explanation's dict (JSONL)

# How each context column reads, by its name in ``features.sequence_feature_names``: a name ending in ":{role}"
# is looked up by what precedes the role ("{}" takes the role), a neighbour ("-1:goal", "+2:none") by its offset.
# Flags (0 or 1) are shown without their value.
CONTEXT_WORDS = {
    "self:": "first stage: {}",
    "section:": "section mean: {}",
    "speech:": "speech mean: {}",
    "heading:": "heading above: {}",
    "part:": "heading of the part: {}",
    "part_mean:": "mean of the part: {}",
    "parent:": "parent heading: {}",
    "marker:": "the unit holds a marker of {}",
    "marker_section:": "share of the section holding a marker of {}",
    "marker_part:": "share of the top-level part holding a marker of {}",
    "marker_speech:": "share of the speech holding a marker of {}",
    "heading:present": "under a heading",
    "part:present": "in a top-level part, under its heading",
    "parent:present": "under a parent heading",
    "pos:relative": "place in the speech (0 first, 1 last)",
    "pos:opening": "opening part of the speech",
    "pos:closing": "closing part of the speech",
    "pos:heading": "a heading itself",
    "pos:enumerated": "an enumerated item",
    "pos:since_heading": "distance to the heading above (0.1 a unit, at most 1)",
    "-1": "previous unit", "+1": "next unit", "-": "{} units before", "+": "{} units after",
    "none": "no {} (edge of the speech)",
}
_NOT_FLAGS = ("pos:relative", "pos:since_heading")
_FLAG_BLOCKS = ("marker:",)  # blocks of 0/1 columns named "{block}{what}"


def context_words(name: str) -> tuple[str, bool]:
    """(how a context column reads, whether it is a 0/1 flag) by ``CONTEXT_WORDS``."""
    if name in CONTEXT_WORDS:
        return CONTEXT_WORDS[name], name not in _NOT_FLAGS
    where, role = name.split(":", 1)
    if f"{where}:" in CONTEXT_WORDS:
        return CONTEXT_WORDS[f"{where}:"].format(role), f"{where}:" in _FLAG_BLOCKS
    place = CONTEXT_WORDS.get(where) or CONTEXT_WORDS[where[0]].format(int(where[1:]))
    if role == "none":
        return CONTEXT_WORDS["none"].format(place), True
    return f"{place}: {role}", False


@dataclass(frozen=True)
class Contribution:
    """One input column's share of a linear score: ``weight × value``; ``feature`` names the column (a context
    column as in model.json's ``sequence_features``, ``word:…`` or ``chars:…``), ``description`` reads it."""

    feature: str
    description: str
    value: float
    weight: float
    contribution: float

    def as_dict(self) -> dict:
        return {"feature": self.feature, "description": self.description, "value": round(self.value, DECIMALS),
                "weight": round(self.weight, DECIMALS), "contribution": round(self.contribution, DECIMALS)}


class _Columns:
    """Names of a model's input columns: its TF-IDF columns, then (offset by their number) its context columns."""

    def __init__(self, model: ArrayModel):
        self.blocks = model.blocks
        self.context = model.meta.get("sequence_features", [])

    def named(self, column: int, value: float) -> tuple[str, str]:
        if column < self.blocks.n_features:
            kind, ngram = self.blocks.column_ngram(column)
            return f"{kind}:{ngram}", f"{kind} {ngram}"
        name = self.context[column - self.blocks.n_features]
        words, flag = context_words(name)
        return name, words if flag else f"{words} {value:.2f}"


@dataclass(frozen=True)
class Terms:
    """One unit's linear score for one role at one stage, taken apart: ``intercept + contributions.sum()`` is
    ``logit`` (``_Columns`` numbering: TF-IDF columns, then context columns)."""

    role: str
    stage: int
    logit: float
    intercept: float
    columns: np.ndarray  # the columns where the unit's value is not 0
    values: np.ndarray
    weights: np.ndarray
    names: _Columns = field(repr=False, compare=False)

    @property
    def contributions(self) -> np.ndarray:
        return self.values * self.weights

    @property
    def score(self) -> float:
        return float(logistic(np.asarray(self.logit)))

    def _order(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Columns by the size of their contribution, largest first (ties: in column order): the ``k`` first, the
        others."""
        if k < 0:  # a slice would read it from the end
            raise ValueError(f"a number of contributions, 0 or more, expected; got {k}")
        order = np.argsort(-np.abs(self.contributions), kind="stable")
        return order[:k], order[k:]

    def top(self, k: int = TOP_CONTRIBUTIONS) -> list[Contribution]:
        """The ``k`` contributions of largest size, largest first."""
        contributions = self.contributions
        out = []
        for j in self._order(k)[0]:
            feature, description = self.names.named(int(self.columns[j]), float(self.values[j]))
            out.append(Contribution(feature, description, float(self.values[j]), float(self.weights[j]),
                                    float(contributions[j])))
        return out

    def rest(self, k: int = TOP_CONTRIBUTIONS) -> float:
        """The sum of the contributions not among the ``k`` largest."""
        return float(self.contributions[self._order(k)[1]].sum())

    def as_dict(self, k: int = TOP_CONTRIBUTIONS) -> dict:
        return {"score": round(self.score, 4), "logit": round(self.logit, DECIMALS),
                "intercept": round(self.intercept, DECIMALS), "contributions": [c.as_dict() for c in self.top(k)],
                "rest": round(self.rest(k), DECIMALS)}


@dataclass(frozen=True)
class UnitExplanation:
    """Why one unit got its scores: per role, stage 1's terms (``first``) and, for a stacked model, stage 2's
    (``second``, whose score is the unit's); ``thresholds`` by role."""

    first: dict[str, Terms]
    second: dict[str, Terms] | None
    thresholds: dict[str, float]

    def terms(self, role: str) -> Terms:
        """The terms of the score the unit gets for ``role`` (its last stage)."""
        return (self.second or self.first)[role]

    def as_dict(self, roles: Sequence[str], top: int = TOP_CONTRIBUTIONS) -> dict:
        """``{role: {score, threshold, logit, intercept, contributions, rest[, first_stage]}}`` for ``roles``."""
        out = {}
        for role in roles:
            terms = self.terms(role)
            entry = {"score": round(terms.score, 4), "threshold": self.thresholds[role], **terms.as_dict(top)}
            if self.second is not None:
                entry["first_stage"] = self.first[role].as_dict(top)
            out[role] = entry
        return out


def explain_stages(model: ArrayModel, stages: Stages) -> list[UnitExplanation]:
    """The explanation of each unit of ``stages`` (``model.stages(units)``)."""
    names = _Columns(model)
    roles = model.roles_
    thresholds = dict(zip(roles, model.thresholds_.tolist()))
    rows, cols, values = stages.tfidf
    n = len(stages.logit1)
    bounds = np.searchsorted(rows, np.arange(n + 1))
    out = []
    for i in range(n):
        c, v = cols[bounds[i]:bounds[i + 1]], values[bounds[i]:bounds[i + 1]]
        first = {r: Terms(r, 1, float(stages.logit1[i, j]), float(model.intercept1[j]), c, v,
                          model.text_coef1[c, j], names) for j, r in enumerate(roles)}
        out.append(UnitExplanation(first, _second(model, i, c, v, stages, names), thresholds))
    return out


def _second(model: ArrayModel, i: int, c: np.ndarray, v: np.ndarray, stages: Stages,
            names: _Columns) -> dict[str, Terms] | None:
    """Stage 2's terms of unit ``i``: its TF-IDF columns (when the stage reads them), then its context columns."""
    if stages.context is None or stages.logit2 is None:
        return None
    text = model.text_coef2
    at = np.flatnonzero(stages.context[i])
    columns = np.concatenate([c if text is not None else c[:0], names.blocks.n_features + at])
    values = np.concatenate([v if text is not None else v[:0], stages.context[i, at]])
    out = {}
    for j, r in enumerate(model.roles_):
        w = np.concatenate([text[c, j] if text is not None else np.zeros(0), model.context_coef2[j, at]])
        out[r] = Terms(r, 2, float(stages.logit2[i, j]), float(model.intercept2[j]), columns, values, w, names)
    return out


def explain(model: ArrayModel, units) -> list[UnitExplanation]:
    """Why ``model`` gives each of ``units`` (one speech's, in order, as ``predict_proba`` takes them) its scores."""
    return explain_stages(model, model.stages(units))


def is_explanation(value, labels: Sequence[str]) -> bool:
    """Whether a row's ``explanation`` field is what ``label --explain`` writes for a unit with ``labels``
    (``UnitExplanation.as_dict``), not a metadata field of that name in an output written without it."""
    return (isinstance(value, dict) and list(value) == list(labels)
            and all(isinstance(entry, dict) and {"logit", "contributions"} <= entry.keys() for entry in value.values()))


def _terms_text(entry: Mapping) -> str:
    parts = [f"{c['description']} {c['contribution']:+.2f}" for c in entry["contributions"]]
    return "; ".join([*parts, f"other features {entry['rest']:+.2f}", f"intercept {entry['intercept']:+.2f}"])


def score_and_threshold(score: float, threshold: float) -> str:
    """"0.93 (threshold 0.72)": two decimals, or four where two would make a score below its threshold read
    as equal to it (0.7189 against 0.72)."""
    digits = 2 if f"{score:.2f}" != f"{threshold:.2f}" else 4
    return f"{score:.{digits}f} (threshold {threshold:.{digits}f})"


def explanation_lines(explained: Mapping) -> list[str]:
    """An explanation as ``UnitExplanation.as_dict`` gives it, in words: a line per role, and a line under it for
    its first stage (a stacked model)."""
    lines = []
    for role, entry in explained.items():
        lines.append(f"{role} {score_and_threshold(entry['score'], entry['threshold'])}: {_terms_text(entry)}")
        if "first_stage" in entry:
            first = entry["first_stage"]
            lines.append(f"  first stage {role} {first['score']:.2f}: {_terms_text(first)}")
    return lines
