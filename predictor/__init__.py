"""Label new speeches with a trained model: ``predictor.load().label(text)``."""

from govspeech.predictor._inputs import (FileInfo, InputError, SpeechText, bad_bytes_note, read_speech_file, read_speeches,
                               speeches_of, text_speeches)
from govspeech.predictor._guard import OutputError, OutputLock, check_out
from govspeech.predictor._labeller import Labeller, LabelledUnit, default_model_dir, load
from govspeech.predictor._output import FORMATS, render
from govspeech.predictor._sink import OutputSink

__all__ = [
    "FORMATS", "FileInfo", "InputError", "Labeller", "LabelledUnit", "OutputError", "OutputLock", "OutputSink",
    "SpeechText", "bad_bytes_note", "check_out", "default_model_dir", "load", "read_speech_file", "read_speeches",
    "render", "speeches_of", "text_speeches",
]
