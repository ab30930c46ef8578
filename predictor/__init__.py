"""Label new speeches with a trained model: ``predictor.load().label(text)``."""

from predictor._inputs import InputError, read_speech_file, speeches_of
from predictor._labeller import Labeller, LabelledUnit, default_model_dir, load
from predictor._output import FORMATS, render

__all__ = [
    "FORMATS", "InputError", "Labeller", "LabelledUnit", "default_model_dir", "load", "read_speech_file", "render",
    "speeches_of",
]
