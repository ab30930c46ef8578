"""Both READMEs list every verb with every option the parser has, and the parser documents each one."""

from __future__ import annotations

import argparse
import re

import pytest

from govspeech.cli import build_parser

READMES = ("README.md", "README.zh.md")


def _parser_options() -> dict[str, set[str]]:
    verbs = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return {name: {o for a in p._actions for o in a.option_strings if o.startswith("--") and o != "--help"}
            for name, p in verbs.choices.items()}


def _readme_options(text: str) -> dict[str, set[str]]:
    """The verbs of the command table (rows starting with `govspeech VERB`) and the options on each row."""
    rows = {}
    for line in text.splitlines():
        if match := re.match(r"\| `govspeech ([a-z-]+)", line):
            cell = re.split(r"(?<!\\)\|", line)[1]  # a `\|` inside a cell is not a column break
            rows.setdefault(match[1], set()).update(re.findall(r"(--[a-z0-9][a-z0-9-]*)", cell))
    return rows


@pytest.mark.parametrize("readme", READMES)
def test_the_readme_lists_the_parsers_verbs_and_options(root, readme):
    assert _readme_options((root / readme).read_text(encoding="utf-8")) == _parser_options()


def test_every_option_has_help_and_every_verb_an_example():
    verbs = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, parser in verbs.choices.items():
        assert parser.epilog and f"govspeech {name}" in parser.epilog, name
        assert all(a.help for a in parser._actions), name


@pytest.mark.parametrize("readme", READMES)
def test_the_readme_lists_every_exit_code(root, readme):
    from govspeech.errors import EXIT_CODES

    listed = {int(m[1]) for m in re.finditer(r"^\| (\d+) \|", (root / readme).read_text(encoding="utf-8"), re.MULTILINE)}
    assert listed == set(EXIT_CODES.values())
