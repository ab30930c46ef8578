"""The vectorised sequence features equal a straightforward per-unit implementation."""

import json

import numpy as np
import pytest

from govspeech.features import is_enumerated, is_heading, speech_spans
from govspeech.features._sequence import sequence_feature_names, sequence_features


def _reference_position(texts, spans):
    rows = np.zeros((len(texts), 6))
    for start, end in spans:
        since_heading = 0
        for i in range(start, end):
            heading = is_heading(texts[i], as_trained=True)
            since_heading = 0 if heading else since_heading + 1
            rel = (i - start) / max(end - start - 1, 1)
            rows[i] = (rel, rel < 0.15, rel > 0.85, heading, is_enumerated(texts[i], as_trained=True),
                       min(since_heading, 10) / 10)
    return rows


def _mean_without(block, i):
    return np.zeros(block.shape[1]) if len(block) < 2 else (block.sum(axis=0) - block[i]) / (len(block) - 1)


def _reference(proba, texts, spans, window):
    """Unit by unit: each neighbour, each section and speech mean, each section's heading."""
    n, k = proba.shape
    neighbours, section, speech, heading = (np.zeros((n, 2 * window * (k + 1))), np.zeros((n, k)),
                                            np.zeros((n, k)), np.zeros((n, k + 1)))
    for start, end in spans:
        offsets = [o for d in range(1, window + 1) for o in (-d, d)]
        for i in range(start, end):
            for m, offset in enumerate(offsets):
                j = i + offset
                neighbours[i, m * (k + 1):(m + 1) * (k + 1)] = (*proba[j], 0.0) if start <= j < end else (0.0,) * k + (1.0,)
            speech[i] = _mean_without(proba[start:end], i - start)
        sections, first, head = [], start, None
        for i in range(start, end):
            if is_heading(texts[i], as_trained=True):
                if i > first:
                    sections.append((first, i, head))
                    first = i
                head = i
        sections.append((first, end, head))
        for first, last, head in sections:
            for i in range(first, last):
                section[i] = _mean_without(proba[first:last], i - first)
                if head is not None and head != i:
                    heading[i] = (*proba[head], 1.0)
    return np.hstack([proba, neighbours, section, speech, heading, _reference_position(texts, spans)])


@pytest.fixture(scope="module")
def corpus_speeches(root):
    rows = [json.loads(line) for line in (root / "data" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    edge = [("edge-a", "一、成绩"), ("edge-b", "二、任务"), ("edge-b", "(一)抓项目"), ("edge-b", "要加快。"),
            ("edge-c", "独自一句。")]  # synthetic: a one-unit speech, headings at the start and in a row
    return [r["text"] for r in rows] + [t for _, t in edge], [r["doc_id"] for r in rows] + [d for d, _ in edge]


@pytest.mark.parametrize("window", [1, 2, 3])
def test_sequence_features_equal_the_unit_by_unit_reference_on_the_corpus(corpus_speeches, window):
    texts, doc_ids = corpus_speeches
    spans = speech_spans(doc_ids)
    proba = np.random.default_rng(window).random((len(texts), 4))
    got = sequence_features(proba, texts, spans, window=window)
    expected = _reference(proba, texts, spans, window)
    assert got.shape == expected.shape == (len(texts), len(sequence_feature_names("abcd", window=window)))
    assert np.abs(got - expected).max() < 1e-12
    assert got[:, -3].sum() > 100  # the corpus has headings: the section blocks were exercised
