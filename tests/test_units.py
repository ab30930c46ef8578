import pytest

from govspeech.features import split_units


def test_splits_after_each_terminator_of_either_width():
    assert split_units("甲。乙!丙?丁;戊!己?庚;辛") == ["甲。", "乙!", "丙?", "丁;", "戊!", "己?", "庚;", "辛"]


def test_closing_quote_or_bracket_stays_with_its_unit():
    assert split_units("他说:“要干。”然后(走了。)再见") == ["他说:“要干。”", "然后(走了。)", "再见"]


def test_line_breaks_split_and_headings_without_mark_are_units():
    text = "同志们:\n一、树立居安思危的危机意识\n要加快发展。"
    assert split_units(text) == ["同志们:", "一、树立居安思危的危机意识", "要加快发展。"]


def test_commas_colons_and_enumerations_do_not_split():
    unit = "一是要加快,二是要加强:三是要落实、推进。"
    assert split_units(unit) == [unit]


def test_whitespace_including_ideographic_space_is_stripped_and_empty_units_dropped():
    assert split_units("\u3000\u3000要加快。  \n\n   \r\n乙") == ["要加快。", "乙"]


def test_a_run_of_marks_ends_one_unit():
    assert split_units("市长的讲话??\n真的吗?!好。") == ["市长的讲话??", "真的吗?!", "好。"]


def test_rejects_non_text():
    with pytest.raises(TypeError, match="expects str"):
        split_units(b"bytes")
