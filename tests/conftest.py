from pathlib import Path

import pytest

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
