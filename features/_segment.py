"""Word segmentation with jieba and the project's dictionary of domain terms."""

from __future__ import annotations

import functools
import logging
from importlib import resources

__all__ = ["SEGMENTER", "segment", "stopwords"]

# Recorded in the model meta: a model is only used with the segmenter it was trained with.
SEGMENTER = "jieba"


@functools.lru_cache(maxsize=1)
def _tokenizer():
    import jieba  # deferred: building the prefix dictionary costs about a second

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for line in _data_lines("userdict.txt"):
        word, *tag = line.split()
        tokenizer.add_word(word, tag=tag[0] if tag else None)
    return tokenizer


def _data_lines(name: str) -> list[str]:
    """Non-blank, non-comment lines of a file in ``features/data``."""
    text = (resources.files("features") / "data" / name).read_text(encoding="utf-8")
    return [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]


def segment(text: str) -> list[str]:
    """The words of a normalised unit, whitespace dropped (jieba precise mode, no HMM)."""
    return [w for w in _tokenizer().lcut(text, HMM=False) if w.strip()]


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Function words and punctuation; whether to drop them is a config choice."""
    return frozenset(_data_lines("stopwords.txt"))
