"""The delexicalised view of a unit: its words with the content words masked by part of speech.

Review and plan passages differ in their function words, verbs, adverbs and
time words (已经 完成 vs 要 加快, 今年 vs 今后), which character n-grams hold
only mixed with the topic's nouns. The view keeps those and replaces nouns,
names, places, organisations and figures by a class token (``<n>``, ``<ns>``,
``<m>`` …), so ``<n> 已 完成`` is one n-gram whatever the topic. Which tags
are kept and how the others read is ``features/data/delex.toml``. Words and
tags come from rjieba's tagger with the segmenter's dictionary (the one
tokenizer ``features._segment`` cuts with), so training and labelling agree.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from govspeech.config import read_toml
from govspeech.features._segment import rjieba_tokenizer

__all__ = ["DelexTags", "delex_tags", "delexicalise", "delexicalise_texts"]


@dataclass(frozen=True)
class DelexTags:
    """The view's table: tags kept as words, words kept whatever their tag, masked tag -> token."""

    ngram_range: tuple[int, int]
    keep: frozenset[str]
    keep_words: frozenset[str]
    mask: dict[str, str]

    @property
    def digest(self) -> str:
        """sha256 of the table (not of the file's comments): a model records it and is used only with it."""
        table = {"keep": sorted(self.keep), "keep_words": sorted(self.keep_words), "mask": self.mask}
        return hashlib.sha256(json.dumps(table, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()

    def token(self, word: str, tag: str) -> str:
        """The word itself when its tag or the word is kept, else its class token (``<tag>`` if unlisted)."""
        if tag in self.keep or word in self.keep_words:
            return word
        return self.mask.get(tag, f"<{tag}>")


@functools.lru_cache(maxsize=1)
def delex_tags() -> DelexTags:
    """The shipped ``features/data/delex.toml``, checked (a tag both kept and masked is refused)."""
    with resources.as_file(resources.files("govspeech.features") / "data" / "delex.toml") as path:
        data = read_toml(path)
    keep, mask = frozenset(data["keep"]), dict(data["mask"])
    if keep & set(mask):
        raise ValueError(f"delex.toml lists tags {sorted(keep & set(mask))} as both kept and masked; "
                         "list each tag in one table")
    lo, hi = data["ngram_range"]
    return DelexTags((int(lo), int(hi)), keep, frozenset(data["keep_words"]), mask)


def delexicalise(text: str, tags: DelexTags | None = None) -> list[str]:
    """The view's tokens of one normalised unit (whitespace dropped, as ``segment`` drops it)."""
    tags = tags or delex_tags()
    return [tags.token(word, tag) for word, tag in rjieba_tokenizer().tag(text, hmm=False) if word.strip()]


def delexicalise_texts(texts: Sequence[str]) -> list[list[str]]:
    """``delexicalise`` of each text (speeches repeat units: each distinct text is tagged once)."""
    tags = delex_tags()
    cache: dict[str, list[str]] = {}
    out = []
    for text in texts:
        if text not in cache:
            cache[text] = delexicalise(text, tags)
        out.append(cache[text])
    return out
