from pathlib import Path

import pytest
from speeches import SPEECH

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def mini_model(tmp_path_factory):
    """A model trained once on the small fixture corpus, saved to a temp directory."""
    from govspeech.trainer import train

    out = tmp_path_factory.mktemp("mini_model")
    train(FIXTURES / "mini.toml", out, corpus_path=FIXTURES / "mini_corpus.jsonl")
    return out


@pytest.fixture()
def cli(mini_model, capsys):
    """`govspeech VERB …` run in this process with the mini model: (exit code, stdout, stderr)."""
    from govspeech.cli import main

    def cli(*args):
        code = main([*map(str, args), "--model", str(mini_model)])
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err
    return cli


def _stacked(tmp_path_factory, name: str, *, with_text: bool, hierarchy: bool, delexicalised: bool = False,
             markers: bool = False):
    """A small two-stage model trained on the fixture corpus, saved."""
    import numpy as np

    from govspeech.trainer import (
        StackedRoleModel,
        by_split,
        export_model,
        label_matrix,
        load_corpus,
        save_model,
        unit_dicts,
    )

    units = by_split(load_corpus(FIXTURES / "mini_corpus.jsonl"), "train", "dev")
    model = StackedRoleModel(first_stage={"features": {"word_ngram_range": (1, 2), "char_ngram_range": (1, 3),
                                                        "delexicalised": delexicalised}},
                             window=1, with_text=with_text, hierarchy=hierarchy, markers=markers, C=4.0, inner_folds=2)
    model.fit(unit_dicts(units), label_matrix(units))
    model.thresholds_ = np.array([0.3, 0.4, 0.5, 0.6])
    rates = {"goal": 0.1, "measure": 0.4, "criticism": 0.1, "praise": 0.2}
    out = tmp_path_factory.mktemp(name)
    save_model(export_model(model, {"scores": {}, "training": {"train_role_rates": rates}}), out)
    return out


@pytest.fixture(scope="session")
def stacked_model(tmp_path_factory):
    """A small two-stage model whose second stage reads the unit's text too (the default's shape), saved."""
    return _stacked(tmp_path_factory, "stacked_model", with_text=True, hierarchy=False)


@pytest.fixture(scope="session")
def outline_model(tmp_path_factory):
    """A small two-stage model whose second stage reads the outline and not the unit's text, saved."""
    return _stacked(tmp_path_factory, "outline_model", with_text=False, hierarchy=True)


@pytest.fixture(scope="session")
def delex_model(tmp_path_factory):
    """A small two-stage model with both optional blocks, the delexicalised view (both stages read the unit's text)
    and the review-versus-plan markers, saved."""
    return _stacked(tmp_path_factory, "delex_model", with_text=True, hierarchy=False, delexicalised=True, markers=True)


@pytest.fixture()
def run(cli):
    """`govspeech label …` in this process (``cli``)."""
    def run(*args):
        return cli("label", *args)
    return run


@pytest.fixture()
def good(tmp_path):
    """A short speech file that labels cleanly."""
    path = tmp_path / "good.txt"
    path.write_text(SPEECH, encoding="utf-8")
    return path


@pytest.fixture()
def speech_file(tmp_path):
    path = tmp_path / "speech.txt"
    path.write_text(SPEECH, encoding="utf-8")
    return path
