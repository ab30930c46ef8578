"""Rebuild the tables of docs/model.md: ``python -m govspeech.trainer.experiments WHAT --config FILE``.

WHAT is ablation, curve, errors, transfer (synthetic speeches alone scored on
real ones), nested (nested grouped CV over the --variants), loto
(leave-one-topic-out, --topics) thresholds (how thresholds carry over), errorclasses (error kinds on dev and test)
or shares (per-speech share error of counting decisions vs averaging calibrated probabilities).

Each prints Markdown to stdout (and writes the raw figures as JSON with --json).
All figures are document-grouped cross-validation over train+dev, except the test-split
rows of errorclasses and shares.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from govspeech.atomic import atomic_write_text
from govspeech.config import read_variants
from govspeech.errors import ConfigError, GovspeechError, exit_code
from govspeech.features import ROLES
from govspeech.trainer._experiments import ablation, error_analysis, learning_curve, synthetic_curve
from govspeech.trainer._selection import dev_test_errors, nested_cv, synthetic_transfer, threshold_carry_over, topic_cv
from govspeech.trainer._shares import share_estimates


def _row(name: str, macro: str, per_role: dict) -> str:
    return f"| {name} | {macro} | " + " | ".join(f"{per_role[r]:.3f}" for r in ROLES) + " |"


def _header(first: str) -> list[str]:
    return [f"| {first} | macro-F1 | " + " | ".join(ROLES) + " |", "|---" * (len(ROLES) + 2) + "|"]


def ablation_table(rows: list[dict]) -> str:
    lines = _header("configuration")
    for row in rows:
        s = row["scores"]
        lines.append(_row(row["name"], f"{s['macro_f1']:.3f} ± {s['macro_f1_std']:.3f}",
                          {r: v["f1"] for r, v in s["per_role"].items()}))
    return "\n".join(lines)


def scores_table(named: dict[str, dict]) -> str:
    """One row per named result of ``role_scores`` shape, with its per-speech share error."""
    lines = _header("estimate")
    for name, s in named.items():
        mae = s.get("per_speech_share_mae")
        lines.append(_row(name, f"{s['macro_f1']:.3f}", {r: v["f1"] for r, v in s["per_role"].items()})
                     + (" share MAE " + " ".join(f"{r} {mae[r]:.3f}" for r in ROLES) if mae else ""))
    return "\n".join(lines)


def _variants(path, base) -> dict[str, dict]:
    """Name -> overrides of each variant, every one checked against the base config first."""
    return {v.name: dict(v.overrides) for v in read_variants(path, base)}


def _overrides(args) -> dict | None:
    """The overrides of the ``--variant`` named (from ``--variants``), or None for the config as is."""
    if not args.variant:
        return None
    variants = _variants(args.variants, args.config)
    if args.variant not in variants:
        raise ConfigError(f"{args.variants}: no [[variant]] named {args.variant!r}; known: {', '.join(variants)}")
    return variants[args.variant]


def curve_table(rows: list[dict], key: str, label: str) -> str:
    lines = _header(label)
    lines += [_row(str(r[key]), f"{r['macro_f1']:.3f}", r["per_role"]) for r in rows]
    return "\n".join(lines)


def errors_report(result: dict) -> str:
    lines = ["Thresholds: " + ", ".join(f"{r} {t:.2f}" for r, t in result["thresholds"].items()), "",
             "| kind of unit | units | wrong role set | " + " | ".join(f"{r} F1" for r in ROLES) + " |",
             "|---" * (len(ROLES) + 3) + "|"]
    for kind, v in result["by_kind"].items():
        lines.append(f"| {kind} | {v['units']} | {v['wrong_set']:.0%} | "
                     + " | ".join(f"{v['scores']['per_role'][r]['f1']:.2f}" for r in ROLES) + " |")
    lines += ["", "| speech | units | macro-F1 |", "|---|---|---|"]
    lines += [f"| {doc} | {v['units']} | {v['macro_f1']:.3f} |" for doc, v in result["by_speech"].items()]
    for name, v in result["errors"].items():
        kinds = ", ".join(f"{k} {n}" for k, n in v["by_kind"].items())
        lines += ["", f"**{name}**: {v['count']} units ({kinds})", ""]
        lines += [f"- `{e['doc_id']}:{e['sent_id']}` p={e['p']:.2f} gold {e['gold'] or '[]'}: {e['text'][:80]}"
                  for e in v["examples"]]
    return "\n".join(lines)


def shares_table(result: dict) -> str:
    """Per-speech share MAE per role of each share estimator, on grouped CV and on the test split."""
    lines = [f"| estimator | split | {' | '.join(ROLES)} | mean |", "|---" * (len(ROLES) + 3) + "|"]
    for split in ("grouped_cv", "test"):
        for name, row in result[split].items():
            lines.append(f"| {name} | {split} ({result['n_speeches'][split]} speeches) | "
                         + " | ".join(f"{row['per_role'][r]:.3f}" for r in ROLES) + f" | {row['mean']:.3f} |")
    lines += ["", "Mean signed error (estimate - gold share) on grouped CV:", "",
              f"| estimator | {' | '.join(ROLES)} |", "|---" * (len(ROLES) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join(f"{row['bias'][r]:+.3f}" for r in ROLES) + " |"
              for name, row in result["grouped_cv"].items()]
    return "\n".join(lines)


def _run(args) -> tuple[object, str]:
    """(raw figures, Markdown) of the table asked for."""
    raw: Any  # each table has its own shape of figures
    if args.what == "ablation":
        rows = ablation(args.config, args.variants)
        return rows, ablation_table(rows)
    if args.what == "curve":
        sizes = [int(s) for s in args.sizes.split(",")]
        raw = {"real": learning_curve(args.config, sizes=sizes, repeats=args.repeats),
               "synthetic": synthetic_curve(args.config, sizes=[int(s) for s in args.synthetic_sizes.split(",")],
                                            repeats=args.repeats)}
        text = "\n\n".join([curve_table(raw["real"], "speech_groups", "real speech groups per fold"),
                             curve_table(raw["synthetic"], "synthetic_speeches", "synthetic speeches")])
    elif args.what == "transfer":
        raw = synthetic_transfer(args.config, args.synthetic)
        text = scores_table({"+".join(args.synthetic): raw}) + "\naverage precision " + str(raw["average_precision"])
    elif args.what == "nested":
        raw = nested_cv(args.config, _variants(args.variants, args.config), outer_folds=args.outer, inner_folds=args.inner)
        text = scores_table({"nested CV (outer, pooled)": raw}) + f"\nchosen per outer fold: {raw['chosen']}"
    elif args.what == "loto":
        raw = topic_cv(args.config, args.topics, overrides=_overrides(args))
        text = scores_table({"leave one topic out": raw}) + f"\ntopics: {raw['topics']}"
    elif args.what == "thresholds":
        raw = threshold_carry_over(args.config)
        text = scores_table({k: raw[k] for k in ("pooled", "leave_one_speech_out", "fixed_0.5")})
    elif args.what == "shares":
        raw = share_estimates(args.config)
        text = shares_table(raw)
    elif args.what == "errorclasses":
        raw = dev_test_errors(args.config, overrides=_overrides(args))
        text = "\n".join(f"{split}: {counts}" for split, counts in raw.items())
    else:
        raw = error_analysis(args.config)
        text = errors_report(raw)
    return raw, text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govspeech.trainer.experiments", description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("ablation", "curve", "errors", "transfer", "nested", "loto", "thresholds",
                                         "errorclasses", "shares"))
    parser.add_argument("--config", required=True)
    parser.add_argument("--variants", default="configs/ablation.toml", help="ablation: the variants file")
    parser.add_argument("--sizes", default="1,2,4,6", help="curve: real speech groups per fold, comma-separated")
    parser.add_argument("--synthetic-sizes", default="0,8,16,32,64",
                        help="curve: synthetic speeches added to training, comma-separated")
    parser.add_argument("--synthetic", action="append", default=[],
                        help="transfer: a synthetic file to train on (repeat the option for several)")
    parser.add_argument("--topics", default="data/topics.tsv", help="loto: doc_id, topic, reason per line")
    parser.add_argument("--variant", help="errorclasses, loto: the --variants entry to apply (default: the config as is)")
    parser.add_argument("--outer", type=int, default=4, help="nested: outer folds")
    parser.add_argument("--inner", type=int, default=3, help="nested: inner folds")
    parser.add_argument("--repeats", type=int, default=2, help="curve: draws per size")
    parser.add_argument("--json", help="also write the raw figures to this file")
    args = parser.parse_args(argv)
    try:
        raw, text = _run(args)  # a bad config or variant stops here, before any CV run
    except GovspeechError as err:
        print(f"experiments: {err}", file=sys.stderr)
        return exit_code(err)
    print(text)
    if args.json:
        atomic_write_text(args.json, json.dumps(raw, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
