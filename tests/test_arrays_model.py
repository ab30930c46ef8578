"""The numpy predictor: labels without scikit-learn, scipy or jieba, and decides roles in one place."""

import json
import subprocess
import sys

import numpy as np

import govspeech.predictor as predictor
from govspeech.cli import main
from govspeech.predictor import decide_roles

SPEECH = "同志们:\n一、总结成绩\n今年以来,全县招商引资工作取得了很好的成绩。\n但是有的部门重视程度还不是很高;\n" \
         "二、明年任务\n要加快园区建设,力争年内建成投产。\n谢谢大家!\n"

BLOCKER = """
import sys
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('sklearn', 'scipy', 'jieba', 'joblib'):
            raise ImportError(f'{name} is blocked: labelling must not need it')
sys.meta_path.insert(0, Blocker())
"""


def test_labelling_needs_no_scikit_learn_scipy_or_jieba(stacked_model, tmp_path, capsys):
    speech = tmp_path / "s.txt"
    speech.write_text(SPEECH, encoding="utf-8")
    assert main(["label", str(speech), "--model", str(stacked_model), "--format", "jsonl"]) == 0
    in_process = capsys.readouterr().out
    script = BLOCKER + ("from govspeech.cli import main\n"
                        f"code = main(['label', {str(speech)!r}, '--model', {str(stacked_model)!r}, '--format', "
                        "'jsonl'])\n"
                        "assert not {m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy', 'jieba', 'joblib'}\n"
                        "sys.exit(code)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == in_process
    assert len(in_process.splitlines()) == len(predictor.load(stacked_model).label(SPEECH)) > 3
    assert {tuple(json.loads(line)["labels"]) for line in in_process.splitlines()} != {()}


def test_the_blocker_really_blocks():
    script = BLOCKER + "import sklearn\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "sklearn is blocked" in done.stderr


def test_importing_predictor_and_features_loads_no_trainer_library():
    script = ("import sys, govspeech.predictor, govspeech.features\n"
              "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy', 'jieba', 'joblib'}))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_role_is_given_when_its_probability_reaches_the_threshold():
    proba = np.array([[0.5, 0.49, 0.9, 0.0], [1.0, 0.5, 0.1, 0.3]])
    assert decide_roles(proba, [0.5, 0.5, 0.9, 0.0]).tolist() == [[1, 0, 1, 1], [1, 1, 0, 1]]


def test_labeller_roles_follow_the_models_thresholds(stacked_model):
    labeller = predictor.load(stacked_model)
    units = labeller.label(SPEECH)
    proba = labeller.predict_proba([u.text for u in units])
    for unit, row in zip(units, proba):
        assert unit.roles == tuple(r for r, p, t in zip(labeller.roles, row, labeller.model.thresholds_) if p >= t)
    assert labeller.predict([u.text for u in units]) == [u.roles for u in units]


def test_a_stacked_model_reads_its_text_columns(stacked_model):
    """The second stage's TF-IDF coefficients are used: zeroing them changes the probabilities."""
    model = predictor.load_model(stacked_model)
    units = SPEECH.splitlines()
    before = model.predict_proba(units)
    k = len(model.roles_)
    assert model.text_weights.shape == (model.blocks.n_features, 2 * k) and np.abs(model.text_weights[:, k:]).max() > 0
    model.text_weights[:, k:] = 0.0
    assert np.abs(model.predict_proba(units) - before).max() > 1e-6
