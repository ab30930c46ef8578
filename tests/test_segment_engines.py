"""The fast segmenter engine gives jieba's own tokens, so a model may be used with either."""

import json

import pytest

from govspeech.features import normalize_text, split_units
from govspeech.features._segment import ENGINE_ENV, ENGINES, SEGMENTER, cutter, engine

pytest.importorskip("rjieba", reason="rjieba is not installed: only jieba's own engine is in use")


def _words(name, text):
    return [w for w in cutter(name)(text) if w.strip()]


def test_rjieba_gives_jiebas_tokens_on_the_whole_corpus(root):
    units = [json.loads(line)["text"] for line in (root / "data" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    for path in sorted((root / "data" / "raw").glob("*.txt")):
        units += split_units(path.read_text(encoding="utf-8"))
    texts = units + [normalize_text(u) for u in units]  # raw and as the features see them
    assert len(texts) > 3000
    differing = [t for t in texts if _words("rjieba", t) != _words("jieba", t)]
    assert differing == []


def test_awkward_text_splits_alike():
    for text in ["2012年GDP增长8.5%", "a&b c#d  e_f-g", "\u3000同志们:\t谢谢!\n", "々〇ＡＢ１２３…—·", "招商引资工作"]:
        assert _words("rjieba", text) == _words("jieba", text)


def test_engine_can_be_forced_and_a_wrong_name_is_refused(monkeypatch):
    engine.cache_clear()
    try:
        monkeypatch.setenv(ENGINE_ENV, "jieba")
        assert engine() == "jieba"
        engine.cache_clear()
        monkeypatch.setenv(ENGINE_ENV, "pkuseg")
        with pytest.raises(ValueError, match="expected one of rjieba, jieba"):
            engine()
    finally:
        engine.cache_clear()
    assert SEGMENTER == "jieba" and ENGINES[0] == "rjieba"


def test_meta_records_the_engine_and_an_unknown_engine_is_refused(mini_model, tmp_path):
    import shutil

    from govspeech.predictor import ModelError, load_model

    model_dir = tmp_path / "model"
    shutil.copytree(mini_model, model_dir)
    meta = json.loads((model_dir / "model.json").read_text())
    assert meta["segmenter"]["name"] == SEGMENTER and meta["segmenter"]["engine"] in ENGINES
    (model_dir / "model.json").write_text(json.dumps({**meta, "segmenter": {**meta["segmenter"], "engine": "pkuseg"}}))
    with pytest.raises(ModelError, match="segmenter engine 'pkuseg'"):
        load_model(model_dir)
