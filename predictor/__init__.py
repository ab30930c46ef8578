"""Label new speeches with a trained model: ``predictor.load().label(text)``."""

from govspeech.errors import ModelError
from govspeech.predictor._batch import input_speeches
from govspeech.predictor._explain import (
                               TOP_CONTRIBUTIONS,
                               Contribution,
                               Terms,
                               UnitExplanation,
                               explain,
                               explanation_lines,
                               score_and_threshold,
)
from govspeech.predictor._format import ARRAYS, FORMAT_VERSION, META, encode_model, read_model
from govspeech.predictor._guard import OutputError, OutputLock, check_out
from govspeech.predictor._infer import ArrayModel, Stages, decide_roles, load_model
from govspeech.predictor._inputs import (
                               FileInfo,
                               InputError,
                               SpeechText,
                               bad_bytes_note,
                               read_speech_file,
                               read_speeches,
                               speeches_of,
                               text_speeches,
)
from govspeech.predictor._labeller import DEFAULT_MODEL_SHA256, LabelledUnit, Labeller, default_model_dir, load
from govspeech.predictor._output import EXPLAINED_FORMATS, FORMATS, Layout, render, unit_row
from govspeech.predictor._parallel import resolve_jobs
from govspeech.predictor._pipeline import label_inputs, named_failures
from govspeech.predictor._profiling import parquet_unavailable, profile, profile_inputs, write_table
from govspeech.predictor._resume import RESUMABLE_FORMATS
from govspeech.predictor._sink import OutputSink
from govspeech.predictor._structure_view import HeadingView, SpeechStructure, speech_structure, structure_report

__all__ = [
                               "ARRAYS",
                               "DEFAULT_MODEL_SHA256",
                               "EXPLAINED_FORMATS",
                               "FORMATS",
                               "FORMAT_VERSION",
                               "META",
                               "RESUMABLE_FORMATS",
                               "TOP_CONTRIBUTIONS",
                               "ArrayModel",
                               "Contribution",
                               "FileInfo",
                               "HeadingView",
                               "InputError",
                               "LabelledUnit",
                               "Labeller",
                               "Layout",
                               "ModelError",
                               "OutputError",
                               "OutputLock",
                               "OutputSink",
                               "SpeechStructure",
                               "SpeechText",
                               "Stages",
                               "Terms",
                               "UnitExplanation",
                               "bad_bytes_note",
                               "check_out",
                               "decide_roles",
                               "default_model_dir",
                               "encode_model",
                               "explain",
                               "explanation_lines",
                               "input_speeches",
                               "label_inputs",
                               "load",
                               "load_model",
                               "named_failures",
                               "parquet_unavailable",
                               "profile",
                               "profile_inputs",
                               "read_model",
                               "read_speech_file",
                               "read_speeches",
                               "render",
                               "resolve_jobs",
                               "score_and_threshold",
                               "speech_structure",
                               "speeches_of",
                               "structure_report",
                               "text_speeches",
                               "unit_row",
                               "write_table",
]
