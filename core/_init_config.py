"""`govspeech init-config`: the shipped default config, rewritten so its data paths are the user's.

The hyperparameters are those of the shipped file, with its comments (the
one place they live); only the data lines change: the corpus is the user's
file beside the shipped corpus, and the training speeches are named
``shipped:…`` so the config works from an installed copy, in any folder.
"""

from __future__ import annotations

import re
from importlib import resources

__all__ = ["init_config_text"]

_HEADER = """\
# Your govspeech training config, written by `govspeech init-config`.
# Train with: govspeech train --config THIS_FILE --out mymodel   (docs/adapt.md)
# Paths are relative to the folder you run govspeech in; "shipped:NAME" is a
# file installed with govspeech (the corpus and training speeches it was built on).
# Below the data lines, every value is the shipped default model's, with why.
"""


def _corpus_lines(corpus: str, with_shipped: bool) -> str:
    files = [corpus, "shipped:corpus.jsonl"] if with_shipped else [corpus]
    listed = ", ".join(f'"{f}"' for f in files)
    return ("# Your units (govspeech import-labels writes them) and, to learn from the shipped\n"
            "# speeches too, the shipped corpus: leave it out to train on your units alone.\n"
            f"corpus = [{listed}]")


def init_config_text(*, corpus: str = "my_corpus.jsonl", with_shipped: bool = True) -> str:
    """The text of a training config whose corpus is ``corpus`` (with the shipped corpus, if ``with_shipped``)."""
    text = (resources.files("govspeech.configs") / "default.toml").read_text(encoding="utf-8")
    body = text[text.index("\nseed") + 1:]  # the shipped file's own header speaks of the repository
    body = re.sub(r"^corpus = .*$", lambda _: _corpus_lines(corpus, with_shipped), body, count=1, flags=re.MULTILINE)
    body = re.sub(r'"data/([^"]+\.jsonl)"', r'"shipped:\1"', body)
    if not with_shipped:  # the shipped paraphrases reword shipped corpus speeches: without them, no source
        body = re.sub(r"(\[paraphrases\][^\[]*?)^files = \[[^\]]*\]", r"\1files = []", body, count=1,
                      flags=re.MULTILINE | re.DOTALL)
    return _HEADER + "\n" + body
