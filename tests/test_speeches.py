from govspeech.features import split_speeches


def test_page_without_headings_is_one_speech():
    (speech,) = split_speeches("同志们:\n要加快。\n")
    assert speech.number is None and speech.part == 1


def test_pieces_split_at_headings_and_page_header_joins_the_first():
    page = "网站标题\n篇1:讲话\n同志们:\n要加快。\n篇2:讲话\n同志们:\n要加强。\n"
    speeches = split_speeches(page)
    assert [(s.number, s.part) for s in speeches] == [(1, 1), (2, 1)]
    assert speeches[0].text.startswith("网站标题\n篇1")
    assert "".join(s.text for s in speeches) == page


def test_a_titled_salutation_after_body_text_starts_another_speech():
    page = "篇4:讲话\n三、要加快发展。\n要抓落实。\n在工业园区工作会议上的讲话\n同志们:\n这次会议很重要。\n"
    speeches = split_speeches(page)
    assert [(s.number, s.part) for s in speeches] == [(4, 1), (4, 2)]
    assert speeches[1].text.startswith("在工业园区工作会议上的讲话\n同志们:")


def test_first_salutation_under_the_piece_title_does_not_split():
    page = "篇2:讲话\n工业园区工作会议讲话(三)\n同志们:\n要加快。\n"
    assert len(split_speeches(page)) == 1


def test_the_multi_speech_seed_page(root):
    text = (root / "data/raw/002_66774ca9e7b2c39c.part.txt").read_text(encoding="utf-8")
    speeches = split_speeches(text)
    assert "".join(s.text for s in speeches) == text
    pieces = sorted({s.number for s in speeches})
    assert pieces == [1, 2, 3, 4, 5, 7, 8, 10, 11, 13]  # 6, 9, 12, 14 are withheld
    assert sum(s.number == 5 for s in speeches) == 7  # four speakers, three of them repeated
