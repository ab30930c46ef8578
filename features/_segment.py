"""Word segmentation with jieba's dictionary and the project's dictionary of domain terms.

``SEGMENTER`` names the tokens (jieba 0.42's dictionary, precise mode, no
HMM, ``data/userdict.txt``) and is what a model's meta records and loading
checks. Two engines produce those tokens: ``rjieba`` (the Rust jieba-rs
binding, about ten times faster and with no second-long dictionary build)
and ``jieba`` itself. ``tests/test_segment_engines.py`` checks on the whole
corpus that they give the same tokens; the faster one is used when installed.
"""

from __future__ import annotations

import functools
import importlib.machinery
import importlib.util
import logging
import os
import sys

from govspeech.features._data import data_lines

__all__ = ["ENGINES", "ENGINE_ENV", "SEGMENTER", "cutter", "engine", "rjieba_tokenizer", "segment", "stopwords"]

# Recorded in the model meta: a model is only used with the segmenter it was trained with.
SEGMENTER = "jieba"
# Engines that produce SEGMENTER's tokens, fastest first.
ENGINES = ("rjieba", "jieba")
# Forces one engine (e.g. to compare them); unset means the fastest installed.
ENGINE_ENV = "GOVSPEECH_SEGMENTER_ENGINE"


@functools.lru_cache(maxsize=1)
def engine() -> str:
    """The engine in use: the one ``GOVSPEECH_SEGMENTER_ENGINE`` names, else the fastest installed."""
    forced = os.environ.get(ENGINE_ENV)
    if forced:
        if forced not in ENGINES:
            raise ValueError(f"{ENGINE_ENV}={forced!r}: expected one of {', '.join(ENGINES)}; unset it to use "
                             "the fastest installed")
        return forced
    return "rjieba" if importlib.util.find_spec("rjieba") is not None else "jieba"  # a probe that runs nothing


def _rjieba_class():
    """rjieba's ``Jieba`` class, loaded from its extension module without running the package's
    ``__init__``: that builds a default tokenizer this module never uses, a second dictionary load
    (about 0.12 s of every start). Falls back to a plain import."""
    if "rjieba" in sys.modules:
        return sys.modules["rjieba"].Jieba
    name = "rjieba.rjieba"
    try:
        if name not in sys.modules:
            package = importlib.util.find_spec("rjieba")
            folders = package.submodule_search_locations if package else None
            spec = importlib.machinery.PathFinder.find_spec(name, list(folders or []))
            if spec is None or spec.loader is None:
                raise ImportError(name)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module  # a later ``import rjieba`` reuses it: an extension loads once
            spec.loader.exec_module(module)
        return sys.modules[name].Jieba
    except (ImportError, AttributeError, TypeError, OSError):
        sys.modules.pop(name, None)
        import rjieba

        return rjieba.Jieba


def _user_words():
    for line in data_lines("userdict.txt"):
        word, *tag = line.split()
        yield word, tag[0] if tag else None


@functools.lru_cache(maxsize=1)
def rjieba_tokenizer():
    """rjieba's tokenizer with the project's dictionary: segmentation and part-of-speech tagging share it."""
    tokenizer = _rjieba_class()()
    for word, tag in _user_words():
        tokenizer.add_word(word, None, tag)
    return tokenizer


@functools.lru_cache(maxsize=len(ENGINES))
def cutter(name: str):
    """The cut function of engine ``name``: text → words, precise mode without HMM."""
    if name == "rjieba":
        return functools.partial(rjieba_tokenizer().cut, hmm=False)

    import jieba  # deferred: building the prefix dictionary costs about a second

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()  # caches its prefix dictionary in the temp folder, atomically
    for word, tag in _user_words():
        tokenizer.add_word(word, tag=tag)
    return functools.partial(tokenizer.lcut, HMM=False)



def segment(text: str) -> list[str]:
    """The words of a normalised unit, whitespace dropped (jieba precise mode, no HMM)."""
    return [w for w in cutter(engine())(text) if w.strip()]


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Function words and punctuation; whether to drop them is a config choice."""
    return frozenset(data_lines("stopwords.txt"))
