"""The lines `govspeech evaluate` writes to standard error: what the scores cover, and what could make them mislead."""

from __future__ import annotations

from govspeech.trainer import file_sha256

__all__ = ["evaluation_notes"]


def evaluation_notes(data, result, training: dict, rates: list[float]) -> list[str]:
    """What the scores cover and what could make them mislead, one line each, for standard error."""
    split = result.split
    notes = [(f"scored {len(result.units)} units ({'split ' + split if split != 'all' else 'every split'}); "
             f"{result.other_splits} units of other splits skipped (--split all scores them), {result.gold_debris} "
             "units marked debris not scored"),
             ("scored as `govspeech label` gives them: cleaned, speech by speech; "
             f"{result.cleaned_away} unit(s) the cleaner removes as debris count as labelled with no role"),
             ("majority: each role predicted when it is on more than half the model's training units; keywords: a "
             "role for every unit holding one of its cue words (LABELS.md)")]
    if all(rate <= 0.5 for rate in rates):
        notes.append("the majority baseline predicts no role for any unit (no role is on more than half the "
                     "training units), so its F1 is 0 by construction")
    if result.not_rebuilt:
        notes.append(f"warning: {len(result.not_rebuilt)} speech(es) could not be rebuilt from their units (e.g. "
                     f"{result.not_rebuilt[0]}); their units were scored one by one, without cleaning")
    trained = {**training.get("corpora_sha256", {}), "corpus": training.get("corpus_sha256")}
    if file_sha256(data) in trained.values() and split in ("train", "dev", "all"):
        notes.append(f"warning: {data} is the corpus this model was trained on, and its train and dev "
                     "splits are in the scores: they overstate what to expect on new speeches; use --split test")
    elif result.seen_in_training:
        notes.append(f"warning: {result.seen_in_training} of {len(result.units)} scored units have the exact text "
                     "of a unit the model was trained on; scores on them overstate what to expect on new speeches")
    return notes
