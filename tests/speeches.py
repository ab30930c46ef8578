"""Short speeches and the subprocess runner the tests share (fixtures are in conftest.py)."""

import subprocess
import sys

# Written for the tests: a salutation, praise, criticism, goal + measure.
SPEECH = "同志们:\n今年以来,全县招商引资工作取得了很好的成绩。\n但是有的部门重视程度还不是很高;\n要加快园区建设,力争年内建成投产。\n"
OTHER = "同志们:\n去年全市工业园区建设成效明显,值得肯定。\n一些干部作风不实,群众意见较大。\n力争全年招商引资突破百亿元。\n"
# A page whose first speech is all site debris.
DEBRIS_FIRST = "篇1:本站声明\n版权所有 转载请注明\n小编推荐\n篇2:讲话\n同志们:\n要加快园区建设,力争年内建成投产。\n"


def govspeech(*args, stdin=None, cwd=None):
    """`govspeech VERB …` as a user runs it: a subprocess."""
    return subprocess.run([sys.executable, "-m", "govspeech.cli", *map(str, args)], input=stdin,
                          capture_output=True, text=True, cwd=cwd, timeout=300)
