"""Rebuild the tables of docs/model.md: ``python -m govspeech.trainer.experiments {ablation,curve,errors} --config FILE``.

Each prints Markdown to stdout (and writes the raw figures as JSON with --json).
All figures are document-grouped cross-validation over train+dev.
"""

from __future__ import annotations

import argparse
import json
import sys

from govspeech.atomic import atomic_write_text
from govspeech.errors import GovspeechError, exit_code
from govspeech.features import ROLES
from govspeech.trainer._experiments import ablation, error_analysis, learning_curve, synthetic_curve


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


def _run(args) -> tuple[object, str]:
    """(raw figures, Markdown) of the table asked for."""
    if args.what == "ablation":
        rows = ablation(args.config, args.variants)
        return rows, ablation_table(rows)
    if args.what == "curve":
        sizes = [int(s) for s in args.sizes.split(",")]
        curves = {"real": learning_curve(args.config, sizes=sizes, repeats=args.repeats),
                  "synthetic": synthetic_curve(args.config, sizes=[int(s) for s in args.synthetic_sizes.split(",")],
                                               repeats=args.repeats)}
        return curves, "\n\n".join([curve_table(curves["real"], "speech_groups", "real speech groups per fold"),
                                     curve_table(curves["synthetic"], "synthetic_speeches", "synthetic speeches")])
    analysis = error_analysis(args.config)
    return analysis, errors_report(analysis)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govspeech.trainer.experiments", description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("ablation", "curve", "errors"))
    parser.add_argument("--config", required=True)
    parser.add_argument("--variants", default="configs/ablation.toml", help="ablation: the variants file")
    parser.add_argument("--sizes", default="1,2,4,6", help="curve: real speech groups per fold, comma-separated")
    parser.add_argument("--synthetic-sizes", default="0,8,16,32,64",
                        help="curve: synthetic speeches added to training, comma-separated")
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
