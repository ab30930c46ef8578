"""Sentence ends, enumerators, headings and the outline of a speech (features._structure, _outline).

Every speech text here is synthetic, written for these tests.
"""

import pytest

from govspeech.features import Enumerator, ends_sentence, enumerator, is_enumerated, is_heading, outline
from govspeech.features._outline import ancestor_rows


@pytest.mark.parametrize("text, style, ordinal", [
    ("第一部分 过去一年的工作", "第一部分", 1),
    ("第三,关于落实的问题", "第一", 3),
    ("十二、加强组织领导", "一、", 12),
    ("二是项目推进较慢。", "一是", 2),
    ("三要讲服务。", "一要", 3),
    ("(四)改善营商环境", "(一)", 4),
    ("㈡结构调整取得新进展。", "(一)", 2),
    ("(2)擅自收费的;", "(1)", 2),
    ("3.主攻基础设施建设。", "1.", 3),
    ("4、要完善机制。", "1.", 4),
    ("6)要用三年时间建成园区。", "1.", 6),
    ("⑤加快审批。", "①", 5),
    ("其次,讲一讲短板。", "首先", 2),
    ("最后,讲一下考核问题。", "首先", None),
])
def test_enumerator_reads_style_and_ordinal(text, style, ordinal):
    mark = enumerator(text)
    assert (mark.style, mark.ordinal) == (style, ordinal)


def test_enumerator_length_covers_the_marker_only():
    assert enumerator("(四)改善营商环境") == Enumerator("(一)", 4, 3)
    assert enumerator("  二十一、加强领导") == Enumerator("一、", 21, 6)


@pytest.mark.parametrize("text", ["8.7%,农民人均纯收入增长。", "第一个关键是认识。", "2012年工作回顾", "今年一是要抓项目。"])
def test_a_decimal_an_ordinal_word_or_a_later_enumerator_is_no_item(text):
    assert enumerator(text) is None and not is_enumerated(text)


def test_sentence_ends_and_headings():
    assert ends_sentence("要加快建设。”") and ends_sentence("真的吗?") and not ends_sentence("同志们:")
    assert not ends_sentence("市长的讲话??", marks="。;;")  # a title's lost characters end no statement
    assert is_heading("一、树立居安思危的危机意识") and is_heading("二是项目建设推进普遍较慢。")
    assert not is_heading("今年以来,工作取得了很好的成绩,这些成绩的取得是大家共同努力的结果。")


def _tree(texts):
    tree = outline(texts)
    return {texts[i]: (tree.depth[i], texts[tree.parent[i]] if tree.parent[i] is not None else None)
            for i in range(len(texts))}, tree


@pytest.mark.parametrize("outer, inner, innermost", [
    (["一、抓项目", "二、抓环境"], ["(一)抓引进", "(二)抓建设"], ["1.建机制。", "2.强考核。"]),
    (["第一部分 回顾", "第二部分 部署"], ["第一,关于认识", "第二,关于落实"], ["一要讲效率。", "二要讲服务。"]),
    (["(一)抓招商", "(二)抓服务"], ["一是盯项目。", "二是盯资金。"], ["①建台账。", "②抓调度。"]),
    (["第一,关于认识问题。", "第二,关于争取的问题"], ["首先,要统一思想。", "其次,要落实责任。"],
     ["(1)班子带头。", "(2)层层落实。"]),
    (["1、加强学习", "2、当好参谋"], ["㈠学文件。", "㈡学政策。"], ["一是读原文。", "二是写体会。"]),
])
def test_each_style_nests_in_the_order_it_first_appears(outer, inner, innermost):
    texts = [outer[0], inner[0], innermost[0], "具体工作按方案办。", innermost[1], inner[1], outer[1], inner[0],
             "同样推进。"]
    tree, out = _tree(texts)
    assert tree[outer[0]] == (0, None)
    assert tree[inner[0]][0] == 1 and tree[innermost[0]] == (2, inner[0])
    assert tree["具体工作按方案办。"] == (3, innermost[0])
    assert tree[innermost[1]] == (2, inner[0]) and tree[inner[1]] == (1, outer[0])
    assert out.parent[7] == 6 and out.ancestors[8] == (6, 7) and out.part[8] == 6 and out.part[3] == 0
    assert out.level[:3] == (0, 1, 2) and out.level[3] is None


def test_the_same_styles_nest_the_other_way_in_another_speech():
    a = outline(["一、总结", "(一)成绩", "1.增长。"])
    b = outline(["(一)总结", "一、成绩", "1.增长。"])
    assert a.styles == ("一、", "(一)", "1.") and b.styles == ("(一)", "一、", "1.")
    assert a.ancestors[2] == b.ancestors[2] == (0, 1)


def test_an_enumerator_inside_a_sentence_a_lone_last_or_a_later_number_start_nothing():
    texts = ["一、抓落实", "今年要做到一是快,二是实。", "最后,祝大家新春愉快!", "4),要用三年时间建成园区。", "二是抓调度。"]
    tree = outline(texts)
    assert tree.level == (0, None, None, None, None) and tree.ancestors[1:] == ((0,),) * 4
    later = outline(["首先,统一思想。", "要提高认识。", "最后,抓好落实。", "要严格考核。"])
    assert later.level == (0, None, 0, None) and later.ancestors[3] == (2,)


REVIEW_THEN_PLAN = [
    "在全区工作会议上的讲话",          # 0 title: an unnumbered heading
    "同志们:",                        # 1 a salutation is no heading
    "下面,我讲两点意见。",              # 2
    "一、过去一年工作成绩显著",          # 3 part: review
    "(一)经济保持较快增长",             # 4
    "一是工业增加值增长百分之十二。",      # 5
    "全年新开工项目四十个。",            # 6 a plain report under 一是
    "二是财政收入创历史新高。",          # 7
    "(二)园区建设加快推进",             # 8
    "新建标准厂房十万平方米。",          # 9
    "二、明年工作安排",                 # 10 part: plan
    "(一)抓好项目建设",                # 11
    "要加快在建项目进度。",             # 12
    "一是力争新开工项目五十个。",        # 13
    "谢谢大家!",                      # 14
]


def test_review_then_plan_speech_tree():
    tree = outline(REVIEW_THEN_PLAN)
    assert tree.styles == ("一、", "(一)", "一是")
    assert tree.heading[0] and not tree.heading[1] and tree.ancestors[2] == (0,)
    assert tree.part[:3] == (None, None, None)
    assert [tree.level[i] for i in (3, 4, 5, 7, 8, 10, 11, 13)] == [0, 1, 2, 2, 1, 0, 1, 2]
    assert tree.ancestors[6] == (3, 4, 5) and tree.ancestors[7] == (3, 4)
    assert tree.ancestors[9] == (3, 8) and tree.parent[8] == 3
    assert tree.ancestors[12] == (10, 11) and tree.ancestors[13] == (10, 11) and tree.ancestors[14] == (10, 11, 13)
    assert set(tree.part[3:10]) == {3} and set(tree.part[10:]) == {10}
    assert tree.members(3) == list(range(4, 10)) and tree.depth[6] == 3


def test_ancestor_rows_index_the_whole_batch():
    texts = ["一、成绩", "增长较快。", "一、任务", "(一)抓项目", "要加快进度。"]
    parts, chains = ancestor_rows(texts, [(0, 2), (2, 5)])
    assert parts == [0, 0, 2, 2, 2] and chains == [(), (0,), (), (2,), (2, 3)]


def test_speech_structure_shares_are_those_of_the_units_under_each_heading():
    import govspeech.predictor as predictor

    labeller = predictor.load()
    text = "\n".join(REVIEW_THEN_PLAN) + "\n"
    structure = predictor.speech_structure(labeller, text)
    units = {u.sent_id: u for u in labeller.label(text)}
    by_id = {h.sent_id: h for h in structure.headings}
    assert list(by_id) == [0, 3, 4, 5, 7, 8, 10, 11, 13]
    assert [by_id[i].depth for i in (3, 4, 5, 10, 13)] == [0, 1, 2, 0, 2]
    review = by_id[3]
    assert review.n_units == 6 and review.roles == units[3].roles
    for role in labeller.roles:
        assert review.shares[role] == sum(role in units[i].roles for i in range(4, 10)) / 6
    assert structure.styles == ("一、", "(一)", "一是") and structure.n_units == len(REVIEW_THEN_PLAN)


def test_structure_verb_prints_the_tree_of_a_real_speech(root):
    import re
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "govspeech.cli", "structure", "data/raw/000_8446d01601e08bac.txt"],
                            capture_output=True, text=True, cwd=root, timeout=300)
    assert result.returncode == 0, result.stderr
    first, *lines = result.stdout.splitlines()
    assert "levels 第一 > 一要" in first
    tree = {}
    for line in lines:
        match = re.match(r"( +)\[(\d+)\] (\S+)  → ([a-z, ]+) \| (\d+) units: goal \d+%  measure \d+%", line)
        assert match, line
        tree[int(match[2])] = (len(match[1]) // 2 - 1, match[3], int(match[5]))
    assert tree[5][:2] == (0, "第一,关于认识问题。") and tree[17][0] == tree[46][0] == 0
    assert tree[22][:2] == (1, "一要坚定不移地实施项目带动战略。") and tree[50][:2] == (1, "一要讲效率。")
    assert tree[17][2] == 46 - 17 - 1  # every unit up to 第三 is under 第二
    assert [i for i, (depth, _, _) in tree.items() if depth == 1] == [22, 25, 28, 31, 33, 35, 38, 43, 50, 56, 61]
