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
            heading = is_heading(texts[i])
            since_heading = 0 if heading else since_heading + 1
            rel = (i - start) / max(end - start - 1, 1)
            rows[i] = (rel, rel < 0.15, rel > 0.85, heading, is_enumerated(texts[i]),
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
            if is_heading(texts[i]):
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


def test_hierarchy_columns_reach_the_top_level_heading_through_sub_headings():
    from govspeech.features._sequence import hierarchy_features

    texts = ["同志们:", "一、去年工作成绩显著", "(一)项目建设加快", "一是引进了一批大项目。", "二、今年的任务", "要加快园区建设。"]
    proba = np.arange(len(texts) * 2, dtype=float).reshape(len(texts), 2) / 20
    spans = [(0, len(texts))]
    rows = sequence_features(proba, texts, spans, window=1, hierarchy=True)
    names = sequence_feature_names(["a", "b"], window=1, hierarchy=True)
    assert rows.shape == (len(texts), len(names))
    block = hierarchy_features(proba, texts, spans)
    assert np.allclose(rows[:, -block.shape[1]:], block)
    part, part_mean, parent = block[:, :3], block[:, 3:5], block[:, 5:]
    assert np.allclose(part[3], [*proba[1], 1.0]) and np.allclose(parent[3], [*proba[2], 1.0])  # item under (一)
    assert np.allclose(part_mean[3], proba[[1, 2]].mean(axis=0))  # its part without itself
    assert not part[1].any() and not part[0].any()  # a heading is not its own part; nothing above the opening
    assert np.allclose(part[5], [*proba[4], 1.0])
    assert sequence_features(proba, texts, spans, window=1).shape[1] == rows.shape[1] - block.shape[1]
