"""`govspeech explain` (why each unit got its roles) and `label --explain`'s check, kept out of cli.py's length.

The numbers come from ``predictor.explain`` through ``Labeller.label(explain=True)``: the units, their ids
and scores are those `govspeech label` gives, and the explanation is taken from the same arrays.
"""

from __future__ import annotations

import argparse

from govspeech import predictor
from govspeech._arguments import add_input_format_argument, add_model_arguments
from govspeech.errors import UsageError, exit_code
from govspeech.features import clean_speech
from govspeech.predictor import (
    EXPLAINED_FORMATS,
    TOP_CONTRIBUTIONS,
    LabelledUnit,
    explanation_lines,
    score_and_threshold,
)

__all__ = ["add_explain_verb", "check_explain", "cmd_explain"]


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"a whole number of features, 1 or more, expected; got {value!r}")
    return number


def add_explain_verb(verb) -> None:
    """Add the verb through ``verb(name, summary, example)`` (a new subparser)."""
    p = verb("explain", "why each unit got its roles: score, threshold and the features that pushed it most",
             "govspeech explain speech.txt --unit 12 --role praise")
    p.add_argument("file", metavar="FILE",
                   help="a speech text file or a JSONL stream (read as `label` reads it), or - for standard input")
    p.add_argument("--unit", type=int, metavar="N", help="only the unit N, numbered as `govspeech label` numbers it")
    p.add_argument("--top", type=_positive, default=TOP_CONTRIBUTIONS, metavar="K",
                   help=f"features shown per role and stage, largest first; the others are summed "
                        f"(default {TOP_CONTRIBUTIONS})")
    p.add_argument("--role", metavar="ROLE",
                   help="explain this role for every unit shown, whether it was given or not (default: the roles "
                        "given)")
    add_input_format_argument(p)
    add_model_arguments(p)
    p.set_defaults(run=cmd_explain)


def check_explain(explain: bool, fmt: str) -> None:
    """``label --explain`` needs a format that can hold an explanation (before any work)."""
    if explain and fmt not in EXPLAINED_FORMATS:
        raise UsageError(f"--explain works with --format {' or '.join(EXPLAINED_FORMATS)}, not {fmt}; for a "
                         "readable view use `govspeech explain FILE`")


def _unit_text(unit: LabelledUnit, roles: tuple[str, ...], top: int, thresholds: dict[str, float]) -> str:
    """A unit, and under it why it got each of ``roles`` (or, given none, which score came nearest)."""
    assert unit.explanation is not None  # labelled with explain=True
    lines = [f"{unit.sent_id:4d}  [{','.join(unit.roles) or '-'}]  {unit.text}"]
    if roles:
        lines += [f"      {line}" for line in explanation_lines(unit.explanation.as_dict(roles, top))]
    else:
        best = max(unit.scores, key=lambda r: unit.scores[r] - thresholds[r])
        lines.append(f"      no role; nearest: {best} {score_and_threshold(unit.scores[best], thresholds[best])}; "
                     f"--role {best} says why")
    return "\n".join(lines)


def _debris_text(text: str, index: int) -> list[str]:
    """The unit at ``index`` of a speech's ``text`` when the cleaner drops it as web debris (``label`` skips its
    sent_id), else nothing: a unit that is not there at all."""
    units = clean_speech(text).texts
    return [units[index]] if 0 <= index < len(units) else []


def cmd_explain(args) -> int:
    labeller = predictor.load(args.model, sha256=args.model_sha256)
    if args.role is not None and args.role not in labeller.roles:
        raise UsageError(f"--role {args.role}: not a role of this model; give one of {', '.join(labeller.roles)}")
    thresholds = dict(zip(labeller.roles, labeller.model.thresholds_.tolist()))
    ids: list[int] = []
    debris: list[str] = []  # the text of unit --unit where a speech has it as web debris
    for speech in predictor.input_speeches(args.file, input_format=args.input_format):
        units = labeller.label(speech.text, first_sent_id=speech.first_sent_id, explain=True)
        ids += [u.sent_id for u in units]
        shown = [u for u in units if args.unit is None or u.sent_id == args.unit]
        if shown:
            print("\n".join([f"== {speech.doc_id}", *(_unit_text(u, (args.role,) if args.role else u.roles,
                                                                 args.top, thresholds) for u in shown), ""]),
                  flush=True)
        elif args.unit is not None:
            debris += _debris_text(speech.text, args.unit - speech.first_sent_id)
    if args.unit is not None and args.unit not in ids:
        numbered = (f"its units are numbered {min(ids)} to {max(ids)} as `govspeech label` prints them (web debris "
                    "left out)") if ids else "it has no unit"
        what = (f"web debris in {args.file} ({debris[0]!r}), left out as `govspeech label` leaves it out" if debris
                else f"no such unit in {args.file}")
        raise UsageError(f"--unit {args.unit}: {what}; {numbered}")
    return exit_code("ok")
