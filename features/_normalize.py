"""Text as the features see it: simplified script, no pinyin ruby, no lost-character marks.

The unit's original text is kept for output; only features use this form.
"""

from __future__ import annotations

import functools
import re

__all__ = ["fold_digits", "normalize_text"]

# A pinyin reading in parentheses right after a Han character: 務(wù), 區(qū).
# One lower-case syllable (initial, vowels, -n/-ng/-r), two letters at least
# or tone-marked, so (市), (2009), (一), (WTO), (Xihu) and (a) stay.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_SYLLABLE = rf"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouüv{_TONED}]{{1,3}}(?:ng|n|r)?"
_RUBY = re.compile(rf"(?<=[\u3400-\u9fff])\(\s*(?=[a-zü]{{2}}|[^)]*[{_TONED}]){_SYLLABLE}\s*\)")
# Characters lost in transit: U+FFFD and runs of "?" next to Han text or alone.
_LOST = re.compile(r"\ufffd+|\?{2,}|(?<=[\u3400-\u9fff])\?(?=[\u3400-\u9fff])")


@functools.lru_cache(maxsize=1)
def _to_simplified():
    import opencc  # deferred: the converter costs a dictionary load

    return opencc.OpenCC("t2s")


# Cleaning, line joining and the n-grams each normalise every unit of a speech: the cache spares two of three.
@functools.lru_cache(maxsize=8192)
def normalize_text(text: str) -> str:
    """Simplified-script text of a unit with pinyin ruby and lost-character marks removed."""
    text = _RUBY.sub("", text)
    text = _LOST.sub("", text)
    return _to_simplified().convert(text)


# Figures differ in every speech; as character n-grams only their shape generalises.
_DIGITS = re.compile(r"\d")


def fold_digits(text: str) -> str:
    """The text with every digit as 0 (the feature builder's ``digits_as_zero``, and its numpy copy's)."""
    return _DIGITS.sub("0", text)
