"""The options verbs share, and checks of option values for argparse: a bad value is a usage error (exit 2),
before any work, never a traceback later."""

from __future__ import annotations

import argparse
import math
from pathlib import PurePath

from govspeech.config import ConfigError, parse_override
from govspeech.predictor import resolve_jobs

__all__ = ["add_input_arguments", "add_input_format_argument", "add_model_arguments", "add_training_arguments", "glob_pattern", "jobs",
           "megabytes", "model_sha256", "override", "verb_parser"]


def megabytes(value: str) -> float:
    """``--max-file-mb``: a finite number of MB, 0 for no limit."""
    try:
        mb = float(value)
    except ValueError:
        mb = math.nan
    if not math.isfinite(mb) or mb < 0:
        raise argparse.ArgumentTypeError(f"expected a size in MB, 0 or more (0: no limit), got {value!r}")
    return mb


def glob_pattern(value: str) -> str:
    """``--glob``: a pattern of file names inside the folders given; it may not lead out of them."""
    pattern = PurePath(value)
    if not value or pattern.is_absolute() or ".." in pattern.parts or value.startswith("~"):
        raise argparse.ArgumentTypeError(f"expected a pattern of files inside the folders given (e.g. '*.txt'), "
                                         f"got {value!r}, which leads out of them")
    return value


def jobs(value: str) -> int:
    try:
        return resolve_jobs(int(value))
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def override(item: str) -> tuple[str, str]:
    """One ``--set KEY=VALUE`` (no ``=``: a usage error, exit 2); the config checks key and value (exit 3)."""
    try:
        return parse_override(item)
    except ConfigError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def add_input_arguments(p: argparse.ArgumentParser, *, label_outputs: bool = False) -> None:
    """What label and profile share: the inputs and how they are read and labelled."""
    also = ", or JSONL outputs of `govspeech label` (not labelled again)" if label_outputs else ""
    p.add_argument("inputs", nargs="+", metavar="FILE",
                   help="speech text files, folders (searched recursively), *.jsonl streams, or - for standard "
                        "input" + also)
    add_model_arguments(p)
    p.add_argument("-j", "--jobs", type=jobs, default=1, metavar="N",
                   help="worker processes; 0 or -1: one per core (default 1). Output is the same for any N")
    p.add_argument("--glob", default="*.txt", type=glob_pattern,
                   help="files to label inside folders (default: *.txt); cannot lead out of them")
    add_input_format_argument(p)
    p.add_argument("--max-file-mb", type=megabytes, metavar="MB",
                   help="refuse larger files and JSONL records (default: features/data/cleaning.toml; 0 = no limit)")


def add_input_format_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--input-format", choices=("auto", "text", "jsonl"), default="auto",
                   help='auto: *.jsonl files are JSONL streams ({"id": ..., "text": ...} a line), standard input '
                        "(-) one when its first lines are JSON records, anything else is speech text")


def add_training_arguments(p: argparse.ArgumentParser) -> None:
    """What train and cv share: the config, the corpus, and overrides of the config."""
    p.add_argument("--config", required=True, help="the training config (TOML; write one with init-config)")
    p.add_argument("--corpus", help="corpus file (default: the config's `corpus`)")
    p.add_argument("--verbose", action="store_true",
                   help="report each stage and fold with the elapsed time on standard error (shown anyway on a "
                        "terminal)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", type=override,
                   help="override a config value, e.g. --set model.C=2 --set thresholds.source=dev "
                        "--set features.char_ngram_range=[1,2] (a list or number is read as JSON)")


def model_sha256(value: str) -> str:
    if len(value) != 64 or any(c not in "0123456789abcdefABCDEF" for c in value):
        raise argparse.ArgumentTypeError(f"64 hex digits expected (sha256sum of model.json), got {value!r}")
    return value.lower()


def add_model_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", help="model directory (default: the shipped model)")
    p.add_argument("--model-sha256", type=model_sha256, metavar="HEX",
                   help="refuse the model unless its model.json has this sha256 (models/README.md, trust model)")


def verb_parser(verbs, name: str, summary: str, example: str) -> argparse.ArgumentParser:
    """A verb's parser, its help ending in an example of its use."""
    return verbs.add_parser(name, help=summary, epilog=f"example:\n  {example}",
                            formatter_class=argparse.RawDescriptionHelpFormatter)
