"""Cleaning on real seed excerpts: ruby and lost characters, web debris, broken lines."""

import pytest

from govspeech.features import (
    clean_speech,
    continues_previous,
    debris_flags,
    debris_scores,
    normalize_text,
    split_units,
)
from govspeech.trainer import load_corpus


@pytest.fixture(scope="module")
def raw(root):
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in (root / "data/raw").glob("*.txt")}


# -- script, ruby pinyin, lost characters (features/_normalize.py) --

def test_traditional_script_and_ruby_of_the_001_title(raw):
    title = raw["001"].splitlines()[0]
    assert title.startswith("常務(wù)副區(qū)長(zhǎng)")
    assert normalize_text(title) == "常务副区长在招商引资重大项目调度会上的讲话"


@pytest.mark.parametrize("text", ["**区(市)", "《**区2009年“重大项目建设年”活动实施方案》(2009)", "(一)加强领导",
                                  "西湖区(Xihu)", "世界贸易组织(WTO)", "条款(a)", "第(3)条"])
def test_real_parentheses_are_kept(text):
    assert normalize_text(text) == text


def test_lost_characters_are_kept_out_of_features_but_the_unit_is_labelled(raw):
    unit = next(u for u in split_units(raw["001"]) if "催^" in u)  # "看過程" lost to "??催^" in the scrape
    assert "?" not in normalize_text("既要看过程,更要看结果??")
    assert normalize_text("工作\ufffd\ufffd会议") == "工作会议"
    assert clean_speech(unit).sentence_of == [0]


# -- web debris (features/_debris.py, features/data/debris.txt) --

def test_debris_of_the_corpus_is_found_and_nothing_else(root):
    scores = debris_scores(load_corpus(root / "data/corpus.jsonl"))
    assert scores["debris"] == 38
    assert scores["precision"] == 1.0 and scores["recall"] == 1.0, (scores["missed"], scores["wrongly_flagged"])


@pytest.mark.parametrize("line", [
    "责任编辑:王小明", "来源:某某日报", "版权所有 © 2015 某某网 京ICP备12345678号", "当前位置:首页 > 讲话稿 > 领导讲话",
    "上一篇:在全县经济工作会议上的讲话", "(未完,全文共5678字)", "http://www.example.com/a/123.html",
    "![](https://img.example.com/1.png)", "扫一扫关注微信公众号", "本文由小编整理", "点击下载word文档",
    "推荐阅读:", "更新时间:2019-03-01 10:00", "浏览次数:1234", "欢迎阅读在全市工作会议上的讲话。",
])
def test_generic_debris_of_other_sites(line):
    assert debris_flags([line]) == [True]


def test_links_under_a_list_header_are_debris_until_the_text_goes_on():
    units = ["相关文章:", "1.工作会议讲话", "2.防汛工作会议讲话", "要加快园区建设,力争年内建成投产。"]
    assert debris_flags(units) == [True, True, True, False]


@pytest.mark.parametrize("line", [
    "一、树立居安思危的危机意识", "同志们:", "谢谢大家!", "我们要来看看兄弟县市的做法。", "第一,关于认识问题。",
    "二要充分利用各种社会资源和社会力量。", "(一)加强组织领导", "今年是“十二五”规划的开局之年。",
])
def test_speech_lines_are_not_debris(line):
    assert debris_flags([line]) == [False]


# -- lines broken mid-sentence (features/_linejoin.py) --

def _piece(raw, number):
    text = raw["002"]
    start = text.index(f"篇{number}:")
    return text[start : text.index("篇", start + 3)].splitlines()


def test_broken_lines_of_pieces_7_and_8_are_joined(raw):
    for number, expected in ((7, ["8.7%,农民人均纯收入"]),
                             (8, ["意见;对“十二五”", "教育、文化、卫生", "荐重大课题", "提出的重要意见和建议"])):
        lines = _piece(raw, number)
        joined = [line for line, c in zip(lines, continues_previous(lines)) if c]
        assert [j[: len(e)] for j, e in zip(joined, expected)] == expected and len(joined) == len(expected)


def test_headings_titles_and_items_are_not_joined():
    lines = ["篇7:工作会议讲话", "同志们:", "一、XX年计划物价工作回顾",
             "XX年,在市委的正确领导下,全市各级各部门坚持以经济建设为中心,经济运行呈现出以下几个特点:",
             "㈠国民经济继续保持快速增长。",
             "三、着眼工业长远发展,必须转变理念,强化服务,强力推进项目建设,全面优化提升两大园区",
             "两大园区是工业的核心板块。"]
    assert continues_previous(lines) == [False] * len(lines)


def test_a_broken_sentence_keeps_its_units_and_gets_one_reading():
    text = ("通过机构改革,全面实行“两个确保”、退耕还林、以工代赈等政策,使城镇居民可支配收入达到4828元,增长\n"
            "8.7%,农民人均纯收入达到155元,增长4.7%。\n")
    speech = clean_speech(text)
    assert speech.texts == split_units(text)  # the unit rule is untouched
    assert speech.sentence_of == [0, 0] and speech.sentences == ["".join(speech.texts)]


def test_debris_units_read_by_no_sentence(raw):
    speech = clean_speech(raw["000"])
    assert speech.texts == split_units(raw["000"])
    assert [i for i, s in zip(speech.sent_ids, speech.sentence_of) if s is None] == [0, *range(69, 85)]


def test_an_overlong_unit_is_cut_for_features_only():
    speech = clean_speech("要" * 20_000, max_feature_chars=100)
    assert speech.texts == ["要" * 20_000] and speech.sentences == ["要" * 100] and speech.cut == {0: 20_000}


def test_the_debris_verb_reports_the_figures_of_docs(root, capsys):
    from govspeech.cli import main

    assert main(["debris", "--data", str(root / "data/corpus.jsonl")]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert line in (root / "docs/cleaning.md").read_text(encoding="utf-8")
