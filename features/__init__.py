"""Units, speeches, text normalisation, cleaning, segmentation, n-grams and sequence features (numpy only)."""

from govspeech.features._clean import CleanSpeech, clean_speech
from govspeech.features._context import as_units, speech_spans
from govspeech.features._cues import cue_lexicons
from govspeech.features._debris import debris_flags, debris_scores, strip_inline_debris
from govspeech.features._delex import DelexTags, delex_tags, delexicalise
from govspeech.features._encoding import BadBytes, NotTextError, decode_blocks, detect_encoding
from govspeech.features._limits import limits
from govspeech.features._linejoin import continues_previous
from govspeech.features._ngrams import MAX_CHAR_N, DelexBlock, NgramBlocks, Triplets, normalized_texts
from govspeech.features._normalize import normalize_text
from govspeech.features._outline import Outline, ancestor_rows, outline
from govspeech.features._roles import ROLES
from govspeech.features._segment import ENGINES, SEGMENTER, engine, segment
from govspeech.features._sequence import hierarchy_features, sequence_feature_names, sequence_features
from govspeech.features._speeches import Speech, iter_speeches, split_speeches
from govspeech.features._structure import Enumerator, ends_sentence, enumerator, is_enumerated, is_heading
from govspeech.features._units import split_units

__all__ = [
    "ENGINES",
    "MAX_CHAR_N",
    "ROLES",
    "SEGMENTER",
    "BadBytes",
    "CleanSpeech",
    "DelexBlock",
    "DelexTags",
    "Enumerator",
    "NgramBlocks",
    "NotTextError",
    "Outline",
    "Speech",
    "Triplets",
    "ancestor_rows",
    "as_units",
    "clean_speech",
    "continues_previous",
    "cue_lexicons",
    "debris_flags",
    "debris_scores",
    "decode_blocks",
    "delex_tags",
    "delexicalise",
    "detect_encoding",
    "ends_sentence",
    "engine",
    "enumerator",
    "hierarchy_features",
    "is_enumerated",
    "is_heading",
    "iter_speeches",
    "limits",
    "normalize_text",
    "normalized_texts",
    "outline",
    "segment",
    "sequence_feature_names",
    "sequence_features",
    "speech_spans",
    "split_speeches",
    "split_units",
    "strip_inline_debris",
]

