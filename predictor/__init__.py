"""Label new speeches with a trained model: ``predictor.load().label(text)``."""

from govspeech.predictor._inputs import (FileInfo, InputError, SpeechText, bad_bytes_note, read_speech_file, read_speeches,
                               speeches_of, text_speeches)
from govspeech.predictor._labeller import Labeller, LabelledUnit, default_model_dir, load
from govspeech.predictor._output import FORMATS, render
from govspeech.predictor._sink import OutputSink
from govspeech.predictor._structure_view import HeadingView, SpeechStructure, speech_structure, structure_report

__all__ = [
    "FORMATS", "FileInfo", "HeadingView", "InputError", "Labeller", "LabelledUnit", "OutputSink", "SpeechStructure",
    "SpeechText", "bad_bytes_note", "default_model_dir", "load", "read_speech_file", "read_speeches", "render",
    "speech_structure", "speeches_of", "structure_report", "text_speeches",
]
