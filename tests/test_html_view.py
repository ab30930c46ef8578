"""The HTML reading view, rendered by a real browser (headless Chromium): every unit once, classes = labels,
input text shown as text (a <script> in a speech does not run), an index linking to each speech."""

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from speeches import OTHER, SPEECH

from govspeech.cli import main
from govspeech.predictor import explanation_lines

SAMPLE = "data/raw/000_8446d01601e08bac.txt"
TITLE = "govspeech: labelled speeches"
# Written for this test: markup in a speech that would change the page title if it ran.
HOSTILE = ("同志们:\n<script>document.title='pwned'</script>\n"
           "要加快园区建设,<img src=x onerror=\"document.title='pwned'\">力争年内建成投产。\n")
BROWSER_TIMEOUT_S = 120
BROWSER_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--hide-scrollbars")


@pytest.fixture(scope="module")
def chromium():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("headless Chromium not found: install the Debian package `chromium` (.ci/run does)")
    return path


def _browse(chromium, page, tmp_path, *extra):
    profile = tmp_path / f"profile{len(list(tmp_path.glob('profile*')))}"  # a fresh one each time
    done = subprocess.run([chromium, *BROWSER_FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
                          capture_output=True, text=True, timeout=BROWSER_TIMEOUT_S)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class _Page(HTMLParser):
    """What the test reads of the DOM: units, sections, index links, ids and the title."""

    def __init__(self):
        super().__init__()
        self.units, self.sections, self.links, self.ids, self.title = [], [], [], set(), ""
        self._unit, self._in_title, self._doc = None, False, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "section":
            self._doc = a["data-doc-id"]
            self.sections.append(self._doc)
        elif tag == "span" and "unit" in a.get("class", "").split():
            self._unit = {"doc_id": self._doc, "sent_id": int(a["data-sent-id"]), "text": "",
                          "classes": a["class"].split()[1:], "title": a["title"]}
        elif tag == "a" and a.get("href", "").startswith("#"):
            self.links.append(a["href"][1:])
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "span" and self._unit is not None:
            self.units.append(self._unit)
            self._unit = None
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data):
        if self._unit is not None:
            self._unit["text"] += data
        if self._in_title:
            self.title += data


def _label(*args):
    return main(["label", *map(str, args)])


def _check(page: _Page, rows: list[dict]):
    assert page.title == TITLE  # no script of the input ran
    assert [(u["doc_id"], u["sent_id"]) for u in page.units] == [(r["doc_id"], r["sent_id"]) for r in rows]
    for unit, row in zip(page.units, rows):
        assert unit["text"] == row["text"]
        assert unit["classes"] == ([f"role-{r}" for r in row["labels"]] or ["role-none"])
        assert all(f"{role} {score:.2f}" in unit["title"] for role, score in row["scores"].items())


def test_one_speech_in_a_browser(chromium, root, tmp_path, mini_model, capsys):
    report, rows = tmp_path / "report.html", tmp_path / "rows.jsonl"
    assert _label(root / SAMPLE, "--model", mini_model, "--format", "html", "--out", report) == 0
    assert _label(root / SAMPLE, "--model", mini_model, "--format", "jsonl", "--out", rows) == 0
    page = _Page()
    page.feed(_browse(chromium, report, tmp_path, "--dump-dom"))
    _check(page, [json.loads(line) for line in rows.read_text(encoding="utf-8").splitlines()])
    assert page.links == [] and len(page.sections) == 1  # one speech: no index
    assert len({i for i in page.ids if i.startswith("s-")}) == len(page.units) + 1  # each unit can be linked to
    shot = tmp_path / "report.png"
    _browse(chromium, report, tmp_path, f"--screenshot={shot}", "--window-size=1100,1400")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_several_speeches_get_an_index_and_markup_in_them_stays_text(chromium, tmp_path, mini_model, capsys):
    stream = tmp_path / "s.jsonl"
    records = [{"id": "hostile", "text": HOSTILE, "year": 2012}, {"id": "a", "text": SPEECH},
               {"id": "b&<c>", "text": OTHER}]
    stream.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    report, rows = tmp_path / "index.html", tmp_path / "rows.jsonl"
    assert _label(stream, "--model", mini_model, "--format", "html", "--out", report) == 0
    assert _label(stream, "--model", mini_model, "--format", "jsonl", "--out", rows) == 0
    assert "<script>document" not in report.read_text(encoding="utf-8")
    page = _Page()
    page.feed(_browse(chromium, report, tmp_path, "--dump-dom"))
    _check(page, [json.loads(line) for line in rows.read_text(encoding="utf-8").splitlines()])
    assert page.sections == ["hostile", "a", "b&<c>"]
    assert len(page.links) == 3 and set(page.links) <= page.ids  # each index entry links to its speech
    assert any("<script>" in u["text"] for u in page.units)  # shown as the text it is
    _browse(chromium, report, tmp_path, f"--screenshot={tmp_path / 'index.png'}", "--window-size=1100,900")
    assert (tmp_path / "index.png").stat().st_size > 0


def test_hover_says_why_each_unit_got_its_roles(chromium, root, tmp_path, stacked_model, capsys):
    report, rows = tmp_path / "explained.html", tmp_path / "explained.jsonl"
    for out in (report, rows):
        assert _label(root / SAMPLE, "--model", stacked_model, "--explain", "--out", out) == 0
    page = _Page()
    page.feed(_browse(chromium, report, tmp_path, "--dump-dom"))
    expected = [json.loads(line) for line in rows.read_text(encoding="utf-8").splitlines()]
    _check(page, expected)
    labelled = [(unit, row) for unit, row in zip(page.units, expected) if row["labels"]]
    assert labelled and all(unit["title"].splitlines()[1:] == explanation_lines(row["explanation"])
                            for unit, row in labelled)
    unit, row = labelled[0]
    role = row["labels"][0]
    assert re.search(rf"^{role} \d\.\d\d \(threshold \d\.\d\d\): [^;]+ [+-]\d+\.\d\d;", unit["title"], re.MULTILINE)
    assert all(len(unit["title"].splitlines()) == 1 for unit, row in zip(page.units, expected) if not row["labels"])


def test_a_metadata_field_named_explanation_is_metadata_in_a_page_without_explain(tmp_path, mini_model, capsys):
    stream, report = tmp_path / "notes.jsonl", tmp_path / "report.html"
    records = [{"id": "a", "text": SPEECH, "explanation": "note <of> the archive"},
               {"id": "b", "text": OTHER, "explanation": {"praise": {"score": 1}}}]
    stream.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert main(["label", str(stream), "--model", str(mini_model), "--out", str(report)]) == 0
    page = _Page()
    page.feed(report.read_text(encoding="utf-8"))
    assert page.sections == ["a", "b"] and all(len(u["title"].splitlines()) == 1 for u in page.units)
    assert "<dt>explanation</dt><dd>note &lt;of&gt; the archive</dd>" in report.read_text(encoding="utf-8")
