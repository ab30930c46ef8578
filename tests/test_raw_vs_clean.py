"""Labelling a scraped page gives the roles its hand-cleaned copy gets.

``fixtures/001_clean.txt`` is ``data/raw/001_*.txt`` cleaned once by hand,
not by this package: converted to simplified script with another converter
(zhconv), ruby pinyin cut, the page's date and blurb lines deleted, and the
scrape's lost characters (``结果??催^(guò)程``) restored from the sense
(``结果。看过程``).
"""

import difflib
import re

import pytest

import govspeech.predictor as predictor
from govspeech.features import normalize_text

AGREEMENT_FLOOR = 0.95
SAME_UNIT_RATIO = 0.8  # share of characters two copies of one unit have in common at least
_NOT_CONTENT = re.compile(r"[^0-9A-Za-z\u3400-\u9fff]")


def _key(text: str) -> str:
    """What two copies of a unit share: normalised characters, punctuation and marks dropped."""
    return _NOT_CONTENT.sub("", normalize_text(text))


def test_raw_page_and_hand_cleaned_copy_get_the_same_roles(root, fixtures):
    labeller = predictor.load()
    raw = labeller.label(next((root / "data/raw").glob("001_*.txt")).read_text(encoding="utf-8"))
    clean = labeller.label((fixtures / "001_clean.txt").read_text(encoding="utf-8"))
    # Align the two unit sequences by their normalised text (difflib). Equal runs
    # pair up; so does a replaced run of the same length whose units are still
    # mostly the same text (a restored character, 著/着 read differently by the
    # two converters). A clean unit left without a partner counts as a
    # disagreement, so the figure is over every unit of the clean copy.
    keys_raw, keys_clean = [_key(u.text) for u in raw], [_key(u.text) for u in clean]
    matcher = difflib.SequenceMatcher(a=keys_raw, b=keys_clean, autojunk=False)
    pairs = [
        (i, j)
        for tag, a0, a1, b0, b1 in matcher.get_opcodes() if tag == "equal" or (tag == "replace" and a1 - a0 == b1 - b0)
        for i, j in zip(range(a0, a1), range(b0, b1))
        if difflib.SequenceMatcher(a=keys_raw[i], b=keys_clean[j]).ratio() >= SAME_UNIT_RATIO
    ]
    same = sum(raw[i].roles == clean[j].roles for i, j in pairs)
    assert len(pairs) >= len(clean) - 2
    assert same / len(clean) >= AGREEMENT_FLOOR, f"{same}/{len(clean)} units agree"


def test_the_page_debris_is_not_labelled(root):
    units = predictor.load().label(next((root / "data/raw").glob("001_*.txt")).read_text(encoding="utf-8"))
    assert not any(u.text.startswith(("時(shí)間", "導(dǎo)語(yǔ)")) for u in units)
    assert [u.sent_id for u in units][:2] == [0, 3]  # ids stay those of the unit rule


@pytest.mark.parametrize("clean", [True, False])
def test_label_keeps_the_text_as_written(root, clean):
    text = next((root / "data/raw").glob("001_*.txt")).read_text(encoding="utf-8")
    units = predictor.load().label(text, clean=clean)
    assert units[0].text.startswith("常務(wù)副區(qū)長(zhǎng)")
