"""The shipped corpus: schema, labels, split hygiene, reproducibility from data/raw."""

import re
from collections import Counter, defaultdict

import pytest

from govspeech.config import read_corpus_config
from govspeech.features import ROLES
from govspeech.trainer import agreement, load_corpus, load_pass
from govspeech.trainer._units_table import duplicate_key, unit_rows


@pytest.fixture(scope="module")
def corpus(root):
    return load_corpus(root / "data/corpus.jsonl", require_split=True)


def test_every_unit_is_labelled_with_known_roles(corpus):
    assert len(corpus) > 1200
    assert all(set(u.labels) <= set(ROLES) for u in corpus)
    assert all(u.split in ("train", "dev", "test") for u in corpus)


def test_every_role_is_present_in_every_split(corpus):
    for split in ("train", "dev", "test"):
        counts = Counter(r for u in corpus if u.split == split for r in u.labels)
        assert all(counts[r] > 0 for r in ROLES), (split, counts)


def test_every_document_is_in_exactly_one_split(corpus):
    sides = defaultdict(set)
    for u in corpus:
        sides[u.doc_id].add(u.split)
    assert all(len(s) == 1 for s in sides.values())


def test_no_unit_text_appears_on_both_sides_of_a_split(corpus, root):
    min_chars = read_corpus_config(root / "configs/corpus.toml").units.min_duplicate_chars
    sides = defaultdict(set)
    for u in corpus:
        key = duplicate_key(u.text)
        if len(key) >= min_chars:
            sides[key].add(u.split)
    assert [k for k, s in sides.items() if len(s) > 1] == []


def test_splitter_reproduces_the_stored_units_from_raw(corpus, root):
    min_chars = read_corpus_config(root / "configs/corpus.toml").units.min_duplicate_chars
    rows = unit_rows(root / "data/raw", min_duplicate_chars=min_chars)
    assert [(r.doc_id, r.sent_id, r.text, r.duplicate_of) for r in rows] == [
        (u.doc_id, u.sent_id, u.text, u.duplicate_of) for u in corpus
    ]


def test_duplicates_carry_the_labels_of_their_first_occurrence(corpus):
    by_id = {f"{u.doc_id}:{u.sent_id}": u for u in corpus}
    duplicates = [u for u in corpus if u.duplicate_of]
    assert duplicates
    assert all(by_id[u.duplicate_of].labels == u.labels for u in duplicates)


def test_debris_units_are_labelled_empty(corpus):
    debris = [u for u in corpus if u.debris]
    assert len(debris) >= 30
    assert all(u.labels == () for u in debris)


def test_data_card_counts_match_the_corpus(corpus, root):
    card = (root / "data/README.md").read_text(encoding="utf-8")
    distinct = [u for u in corpus if not u.duplicate_of]
    for role in ROLES:
        total = sum(role in u.labels for u in corpus)
        unique = sum(role in u.labels for u in distinct)
        assert re.search(rf"\|\s*{role}\s*\|\s*{total}\s*\|\s*{unique}\s*\|", card), role


def test_data_card_agreement_figures_are_recomputable(root):
    figures = agreement(load_pass(root / "data/annotation/pass_a.jsonl"),
                        load_pass(root / "data/annotation/pass_b.jsonl"))
    card = (root / "data/README.md").read_text(encoding="utf-8")
    assert figures["n_units"] >= 400 and figures["n_documents"] >= 3
    assert f"{figures['exact_set_agreement']:.3f}" in card
    for role, v in figures["per_role"].items():
        assert re.search(rf"\|\s*{role}\s*\|\s*{v['kappa']:.3f}\s*\|\s*{v['f1']:.3f}\s*\|", card), role


def test_rebuilding_the_corpus_gives_the_same_file(root, tmp_path):
    from govspeech.trainer import build_corpus

    out = tmp_path / "corpus.jsonl"
    build_corpus(root / "data/raw", root / "data/annotation/pass_a.jsonl",
                 root / "data/annotation/adjudication.jsonl", out, read_corpus_config(root / "configs/corpus.toml"))
    assert out.read_bytes() == (root / "data/corpus.jsonl").read_bytes()


def test_the_two_passes_cover_whole_speeches(root):
    second = load_pass(root / "data/annotation/pass_b.jsonl")
    first = load_pass(root / "data/annotation/pass_a.jsonl")
    for doc in {d for d, _ in second}:
        assert {k for k in first if k[0] == doc} == {k for k in second if k[0] == doc}
