"""Units, speeches, text normalisation, cleaning, segmentation and the feature builder."""

from features._clean import CleanSpeech, clean_speech
from features._context import as_units, is_heading, speech_spans
from features._debris import debris_flags, debris_scores, strip_inline_debris
from features._encoding import BadBytes, NotTextError, decode_blocks, detect_encoding
from features._limits import limits
from features._linejoin import continues_previous
from features._normalize import normalize_text
from features._roles import ROLES
from features._segment import SEGMENTER, segment
from features._speeches import Speech, iter_speeches, split_speeches
from features._units import split_units

__all__ = [
    "ROLES",
    "SEGMENTER",
    "BadBytes",
    "CleanSpeech",
    "NotTextError",
    "Speech",
    "UnitFeatures",
    "as_units",
    "clean_speech",
    "continues_previous",
    "debris_flags",
    "debris_scores",
    "decode_blocks",
    "detect_encoding",
    "is_heading",
    "iter_speeches",
    "limits",
    "normalize_text",
    "segment",
    "speech_spans",
    "split_speeches",
    "split_units",
    "strip_inline_debris",
]


def __getattr__(name: str):
    # Deferred: the builder imports scikit-learn (about a second), which labelling may not need.
    if name == "UnitFeatures":
        from features._builder import UnitFeatures

        return UnitFeatures
    raise AttributeError(f"module 'features' has no attribute {name!r}")
