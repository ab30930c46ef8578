"""Typed configs (govspeech.config) and the one error table (govspeech.errors)."""

import re

import pytest
from speeches import govspeech

from govspeech import config as cfg
from govspeech.config import ConfigError
from govspeech.errors import EXIT_CODES, INPUT_KINDS, GovspeechError, InputError, exit_code

SHIPPED = {
    "configs/default.toml": cfg.read_training_config,
    "tests/fixtures/mini.toml": cfg.read_training_config,
    "configs/corpus.toml": cfg.read_corpus_config,
    "configs/ci.toml": cfg.read_floor,
    "features/data/cleaning.toml": cfg.read_limits,
}


@pytest.fixture()
def mini_text(fixtures):
    return (fixtures / "mini.toml").read_text(encoding="utf-8")


def _config_with(tmp_path, text):
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_shipped_config_file_parses(root, name):
    assert SHIPPED[name](root / name) is not None


def test_the_shipped_ablation_variants_all_parse(root):
    variants = cfg.read_variants(root / "configs/ablation.toml", root / "configs/default.toml")
    assert variants[0].config == cfg.read_training_config(root / "configs/default.toml")  # the unchanged default
    assert all(v.config != variants[0].config for v in variants[1:])  # every other row changes something


def test_a_shipped_config_lists_every_setting_no_file_carries_an_unknown_one(root):
    assert set(cfg.read_toml(root / "configs/default.toml")) == {"seed", "corpus", "synthetic", "paraphrases",
                                                                 "features", "model", "stacking", "thresholds"}


@pytest.mark.parametrize("old, new, message", [
    ("max_iter = 500\n", "max_itr = 500\n", r"model\.max_itr: unknown key; did you mean model\.max_iter\?$"),
    ("[model]", "[modle]", r"modle: unknown key; did you mean model\?$"),
    ("digits_as_zero = false", "digits_as_zero = false\nneighbour_window = 1",
     r"features\.neighbour_window: this setting was removed"),
    ("sublinear_tf = true", 'sublinear_tf = "yes"', r'features\.sublinear_tf: expected true or false, got "yes"'),
    ("word_ngram_range = [1, 1]", "word_ngram_range = [1]", r"features\.word_ngram_range: expected a list of 2 ints"),
    ("max_df = 1.0\n", "", r"features\.max_df: missing"),
    ("C = 1.0\nclass_weight", "C = 0\nclass_weight", r"model\.C: expected more than 0\.0, got 0\.0"),
    ("cv_folds = 2", "cv_folds = 1", r"thresholds\.cv_folds: expected at least 2, got 1"),
    ('source = "dev"', 'source = "test"', r"thresholds\.source: expected one of grouped_cv, dev, got 'test'"),
    ("char_ngram_range = [1, 2]", "char_ngram_range = [1, 4]", r"features\.char_ngram_range: .*max <= 3, got \[1, 4\]"),
    ("char_ngram_range = [1, 2]", "char_ngram_range = [3, 2]", r"features\.char_ngram_range: .*min <= max"),
    ("start = 0.2", "start = 0.9", r"thresholds\.start: expected start <= stop"),
])
def test_a_bad_setting_is_one_line_naming_file_and_key(tmp_path, mini_text, old, new, message):
    """Unknown (with a suggestion), removed, mistyped, missing or out of range: one line, ``file:section.key``."""
    assert old in mini_text
    with pytest.raises(ConfigError, match=r"c\.toml:" + message) as caught:
        cfg.read_training_config(_config_with(tmp_path, mini_text.replace(old, new, 1)))
    assert "\n" not in str(caught.value)


def test_overrides_take_plain_values_and_json(fixtures):
    config = cfg.read_training_config(fixtures / "mini.toml", dict(map(cfg.parse_override, [
        "model.C=2", "stacking.enabled=true", "thresholds.source=grouped_cv", "features.char_ngram_range=[1,3]",
        "synthetic.files=[\"a.jsonl\"]", "corpus=other.jsonl"])))
    assert config.model.C == 2.0 and isinstance(config.model.C, float)
    assert config.stacking.enabled is True and config.thresholds.source == "grouped_cv"
    assert config.features.char_ngram_range == (1, 3) and config.synthetic.files == ("a.jsonl",)
    assert config.corpus == ("other.jsonl",)


def test_python_overrides_take_values_as_they_are(fixtures):
    assert cfg.read_training_config(fixtures / "mini.toml", {"model.C": 3}).model.C == 3.0


@pytest.mark.parametrize("override, message", [
    ("model.Cx=2", r"--set:model\.Cx: unknown key; did you mean model\.C\?"),
    ("model.C=two", r'--set:model\.C: expected a number, got "two"'),
    ("features.char_ngram_range=[1,5]", r"--set:features\.char_ngram_range: .*got \[1, 5\]"),
    ("stacking.second_stage=crf", r"--set:stacking\.second_stage: this setting was removed"),
])
def test_a_bad_override_is_refused_as_the_file_would_be(fixtures, override, message):
    with pytest.raises(ConfigError, match=message):
        cfg.read_training_config(fixtures / "mini.toml", dict([cfg.parse_override(override)]))


def test_a_variant_naming_a_removed_or_unknown_key_is_refused_before_any_run(tmp_path, fixtures):
    variants = _config_with(tmp_path, '[[variant]]\nname = "ok"\n\n[[variant]]\nname = "bad"\n'
                                      'set = { "features.cue_weight" = 1.0 }\n')
    with pytest.raises(ConfigError, match=r"c\.toml:variant\[2\]\.set:features\.cue_weight: this setting was removed"):
        cfg.read_variants(variants, fixtures / "mini.toml")


def test_a_set_typo_exits_3_with_one_line_and_no_data_read(fixtures, tmp_path):
    result = govspeech("train", "--config", fixtures / "mini.toml", "--corpus", tmp_path / "no-such-corpus.jsonl",
                       "--set", "model.Cx=2")
    assert result.returncode == 3
    assert result.stderr == "govspeech: --set:model.Cx: unknown key; did you mean model.C?\n"


def test_a_set_without_equals_is_a_usage_error(fixtures):
    result = govspeech("cv", "--config", fixtures / "mini.toml", "--set", "model.C")
    assert result.returncode == 2 and "Traceback" not in result.stderr and "expected KEY=VALUE" in result.stderr


def _readme_exit_codes(root) -> set[int]:
    text = (root / "README.md").read_text(encoding="utf-8")
    table = text.split("**Exit codes.**", 1)[1].split("\n\n", 2)[1]
    return {int(code) for code in re.findall(r"^\| (\d+) \|", table, flags=re.M)}


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def test_the_exit_table_is_the_readme_table(root):
    assert set(EXIT_CODES.values()) == _readme_exit_codes(root)


def test_every_error_kind_maps_to_a_documented_code(root):
    import govspeech.features._encoding
    import govspeech.predictor._inputs
    import govspeech.trainer._corpus
    import govspeech.trainer._persist  # noqa: F401

    documented = _readme_exit_codes(root)
    classes = [GovspeechError, *_all_subclasses(GovspeechError)]
    assert {c.__name__ for c in classes} >= {"ConfigError", "CorpusError", "ModelError", "InputError", "OutputError",
                                             "UsageError", "NotTextError"}
    assert all(exit_code(c.kind) in documented for c in classes)
    assert [exit_code(InputError("x", kind=k)) for k in INPUT_KINDS] == list(range(10, 18))
    assert {exit_code(k) for k in ("config", "corpus", "model")} == {3}


def test_the_experiments_command_refuses_a_bad_variant_in_one_line(tmp_path, fixtures, capsys):
    from govspeech.trainer.experiments import main

    variants = _config_with(tmp_path, '[[variant]]\nname = "typo"\nset = { "model.Cx" = 2 }\n')
    assert main(["ablation", "--config", str(fixtures / "mini.toml"), "--variants", str(variants)]) == 3
    expected = f"experiments: {variants}:variant[1].set:model.Cx: unknown key; did you mean model.C?\n"
    assert capsys.readouterr().err == expected
