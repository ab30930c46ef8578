"""Review-versus-plan markers: the lexicons on sentences written for these tests, the block's shares, and a
model that reads them computing the same columns in training and labelling."""

import json
from importlib import resources

import numpy as np
import pytest

import govspeech.predictor as predictor
from govspeech.features import ROLES, sequence_feature_names, sequence_features
from govspeech.features._markers import MARKERS, marker_block_names, marker_features, unit_markers
from govspeech.predictor import ModelError, load_model
from govspeech.trainer import by_split, check_export, export_model, label_matrix, load_corpus, save_model, train, unit_dicts
from govspeech.trainer._persist import load_exported
from govspeech.trainer._stacked import StackedRoleModel

# Sentences written for these tests (synthetic), with the markers each holds.
EXAMPLES = {
    "上半年共引进项目12个,到位资金3.5亿元,同比增长20%。": {"completion", "comparison", "figure", "figure_done"},
    "今年以来,全县已完成固定资产投资五十亿元。": {"completion", "figure", "figure_done"},
    "新建标准厂房8万平方米。": {"figure"},
    "全年新增规模以上企业15家。": {"figure", "figure_done"},
    "下半年要力争新引进项目30个。": {"directive", "figure", "figure_planned"},
    "我们要进一步加强领导,务必抓出成效。": {"directive"},
    "主要领导亲自抓,重要事项集体研究。": set(),
    "为了做好这项工作,各部门积极配合。": set(),
    "抓好三项工作,建设一个平台。": set(),
    "比上年下降两个百分点。": {"comparison"},
    "截至目前,累计发放贷款3000万元。": {"completion", "figure", "figure_done"},
    "企業數量同比增長２０％。": {"comparison", "figure"},  # traditional script, full-width digits
}


def _found(row) -> set[str]:
    return {m for m, v in zip(MARKERS, row) if v}


@pytest.mark.parametrize("text", list(EXAMPLES))
def test_markers_are_found_in_written_sentences(text):
    assert _found(unit_markers([text])[0]) == EXAMPLES[text]


def test_every_lexicon_says_what_it_holds_and_lists_each_marker_once():
    folder = resources.files("govspeech.features").joinpath("data", "markers")
    names = sorted(f.name for f in folder.iterdir() if f.name.endswith(".txt"))
    assert names == ["comparison.txt", "completion.txt", "completion_verbs.txt", "directive.txt", "exclude.txt",
                     "figure_units.txt"]
    for name in names:
        lines = folder.joinpath(name).read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# ")
        entries = [s for s in lines if s and not s.startswith("#")]
        assert len(entries) == len(set(entries)) > 5, name


# A review part whose sub-heading uses a directive verb, then a plan part; a second speech without parts.
SPEECHES = ["同志们:", "一、上半年各项工作成绩显著", "(一)招商引资不断深入", "二是强化督查,压实责任。",
            "上半年共引进项目12个,同比增长20%。", "累计完成投资3亿元。", "二、下半年的任务", "要力争引进项目30个。",
            "各部门要切实负起责任。",
            "今年以来,工作取得了新进展。", "下一步要抓好落实。"]
SPANS = [(0, 9), (9, 11)]


def _reference(texts, spans):
    """Group by group: the mean of the unit markers over each section, top-level part and speech."""
    from govspeech.features import is_heading, outline

    own = unit_markers(texts)
    out = np.zeros((len(texts), 4 * len(MARKERS)))
    for start, end in spans:
        tree = outline(texts[start:end])
        section = np.cumsum([k == 0 or is_heading(texts[start + k]) for k in range(end - start)])
        for k in range(end - start):
            same_section = [start + j for j in range(end - start) if section[j] == section[k]]
            same_part = [start + j for j in range(end - start) if tree.part[j] == tree.part[k]]
            out[start + k] = np.concatenate([own[start + k], own[same_section].mean(axis=0),
                                             own[same_part].mean(axis=0), own[start:end].mean(axis=0)])
    return out


def test_the_block_is_each_units_markers_and_their_share_over_section_part_and_speech():
    got = marker_features(SPEECHES, SPANS)
    assert got.shape == (len(SPEECHES), len(marker_block_names()))
    assert np.abs(got - _reference(SPEECHES, SPANS)).max() < 1e-12
    col = {n: i for i, n in enumerate(marker_block_names())}
    # The directive sub-heading of the review part sees the part's reports of work done with figures.
    assert _found(got[3, :len(MARKERS)]) == set() and got[3, col["marker_part:figure_done"]] == pytest.approx(2 / 5)
    assert got[7, col["marker_part:figure_done"]] == 0.0 and got[7, col["marker_part:directive"]] == 1.0
    assert got[10, col["marker_part:completion"]] == got[10, col["marker_speech:completion"]] == 0.5
    assert marker_features([], []).shape == (0, len(marker_block_names()))


def test_the_second_stage_appends_the_block_last_and_names_its_columns():
    proba = np.linspace(0, 1, len(SPEECHES) * len(ROLES)).reshape(len(SPEECHES), len(ROLES))
    for hierarchy in (False, True):
        plain = sequence_features(proba, SPEECHES, SPANS, window=2, hierarchy=hierarchy)
        both = sequence_features(proba, SPEECHES, SPANS, window=2, hierarchy=hierarchy, markers=True)
        names = sequence_feature_names(ROLES, window=2, hierarchy=hierarchy, markers=True)
        assert both.shape[1] == len(names) == plain.shape[1] + len(marker_block_names())
        assert np.array_equal(both[:, :plain.shape[1]], plain)
        assert np.array_equal(both[:, plain.shape[1]:], marker_features(SPEECHES, SPANS))
        assert names[-len(marker_block_names()):] == marker_block_names()


@pytest.fixture(scope="module")
def corpus(fixtures):
    return load_corpus(fixtures / "mini_corpus.jsonl")


def test_a_model_with_markers_exports_the_columns_it_was_trained_on(corpus, tmp_path):
    train_units, test = by_split(corpus, "train", "dev"), by_split(corpus, "test")
    model = StackedRoleModel(first_stage={"features": {"word_ngram_range": (1, 1), "char_ngram_range": (1, 2)}},
                             window=1, with_text=True, markers=True, inner_folds=2)
    model.fit(unit_dicts(train_units), label_matrix(train_units))
    model.thresholds_ = np.full(len(ROLES), 0.5)
    rates = dict(zip(ROLES, (0.1, 0.4, 0.1, 0.2)))
    files = export_model(model, {"scores": {}, "training": {"train_role_rates": rates}})
    assert check_export(load_exported(files), model, unit_dicts(train_units + test)) <= 1e-9
    save_model(files, tmp_path)
    loaded = load_model(tmp_path)
    assert loaded.meta["stacking"]["markers"] is True
    assert loaded.meta["sequence_features"][-len(marker_block_names()):] == marker_block_names()
    np.testing.assert_array_equal(loaded.predict(unit_dicts(test)), model.predict(unit_dicts(test)))


def _edit_meta(folder, edit):
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    edit(meta)
    (folder / "model.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def test_trained_with_markers_the_model_saves_loads_and_labels(fixtures, tmp_path):
    out = tmp_path / "m"
    result = train(fixtures / "mini.toml", out, corpus_path=fixtures / "mini_corpus.jsonl",
                   overrides={"stacking.enabled": True, "stacking.markers": True,
                              "synthetic.files": ["shipped:synthetic/reviews_a.jsonl"]})
    assert result.meta["stacking"]["markers"] is True
    labeller = predictor.load(out)
    units = labeller.label("同志们:\n一、上半年工作成绩显著\n上半年共引进项目12个。\n二、下半年任务\n要力争引进项目30个。\n")
    assert len(units) == 5 and all(set(u.scores) == set(ROLES) for u in units)
    explained = labeller.label("同志们:\n一、上半年工作成绩显著\n上半年共引进项目12个。\n", explain=True)[2].explanation
    described = {c.feature: c.description for c in explained.terms("praise").top(10**6)}
    assert described["marker:figure_done"] == "the unit holds a marker of figure_done"
    # A model that says it reads markers but does not name their columns is refused, as is a non-bool flag.
    _edit_meta(out, lambda m: m["sequence_features"].__delitem__(-1))
    with pytest.raises(ModelError, match="sequence_features' does not match"):
        predictor.load(out)
    _edit_meta(out, lambda m: m["stacking"].__setitem__("markers", "yes"))
    with pytest.raises(ModelError, match="markers: true/false"):
        predictor.load(out)


def test_a_model_saved_before_markers_existed_reads_them_as_off(root):
    saved = json.loads((predictor.default_model_dir() / "model.json").read_text(encoding="utf-8"))
    assert "markers" not in saved["stacking"]  # the shipped model predates the block
    shipped = predictor.load()
    assert shipped.meta["stacking"]["markers"] is False  # the loader reads the missing key as off
    assert shipped.meta["sequence_features"] == sequence_feature_names(ROLES, window=2)
