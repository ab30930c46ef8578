"""Units, speeches, text normalisation, segmentation and the feature builder."""

from features._context import as_units, is_heading, speech_spans
from features._normalize import normalize_text
from features._roles import ROLES
from features._segment import SEGMENTER, segment
from features._speeches import Speech, split_speeches
from features._units import split_units

__all__ = [
    "ROLES",
    "SEGMENTER",
    "Speech",
    "UnitFeatures",
    "as_units",
    "is_heading",
    "normalize_text",
    "segment",
    "speech_spans",
    "split_speeches",
    "split_units",
]


def __getattr__(name: str):
    # Deferred: the builder imports scikit-learn (about a second), which labelling may not need.
    if name == "UnitFeatures":
        from features._builder import UnitFeatures

        return UnitFeatures
    raise AttributeError(f"module 'features' has no attribute {name!r}")
