"""The HTML reading view of `govspeech label --format html`: one standalone page, no network.

The page is written as the other outputs are, speech by speech through the
sink: ``page_head`` (style and legend), a ``speech_section`` per speech, and
``page_tail`` with the index of the speeches' profiles (placed first on
screen by the style, written last because it needs every speech). Each unit
is a ``<span class="unit role-…">`` in reading order (its id,
``<speech>-<sent_id>``, can be linked to), underlined once per role
(stacked), its scores in its ``title`` (with ``--explain``, why it got its
roles); headings and items start a block indented by their depth in the
speech's outline.
Every text from the input goes through ``html.escape``.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Mapping, Sequence

from govspeech.features import is_heading, outline
from govspeech.predictor._explain import EXPLANATION, explanation_lines
from govspeech.predictor._profile import NONE, merge, with_shares

__all__ = ["anchor", "page_head", "page_tail", "speech_section", "structure"]

# Role colours (colour-blind-safe Okabe-Ito hues); a role not listed takes the next spare one.
ROLE_COLOURS = {"goal": "#0072B2", "measure": "#009E73", "criticism": "#D55E00", "praise": "#E69F00"}
SPARE_COLOURS = ("#CC79A7", "#56B4E9", "#F0E442", "#000000")
NONE_COLOUR = "#BBBBBB"
UNDERLINE_PX = 3  # thickness of one role's underline; a unit with k roles has k stacked
INDENT_EM = 1.5  # indentation per level of the outline

_STYLE = """
body{margin:0;background:#fafafa;color:#222;font:17px/1.9 "Noto Serif CJK SC","Source Han Serif SC","Songti SC",
"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Hiragino Sans GB","Microsoft YaHei","WenQuanYi Micro Hei",
"SimSun",serif}
#page{display:flex;flex-direction:column;max-width:52em;margin:0 auto;padding:1em 1.5em}
#top{order:-2}#index{order:-1}
h1{font-size:1.3em;margin:.2em 0}h2{font-size:1.15em;margin:1.5em 0 .3em;word-break:break-all}
.legend span{display:inline-block;margin-right:1.2em}
.swatch{display:inline-block;width:1.6em;height:.7em;margin-right:.3em;vertical-align:middle}
table{border-collapse:collapse;font-size:.85em;line-height:1.4}
td,th{border-bottom:1px solid #ddd;padding:.2em .5em;text-align:right}td:first-child,th:first-child{text-align:left}
.speech{background:#fff;border:1px solid #e4e4e4;border-radius:6px;padding:.2em 1.2em 1em;margin:1em 0}
.meta{font-size:.8em;color:#555}.meta dt{display:inline;font-weight:bold}.meta dd{display:inline;margin:0 1em 0 .3em}
.shares{font-size:.8em;line-height:1.3;margin:.5em 0 1em}.shares div{display:flex;align-items:center}
.shares .name{width:6em}.shares .bar{height:.8em;margin-right:.4em}
.block{margin:.6em 0}.heading{font-weight:bold}
.unit{box-decoration-break:clone;-webkit-box-decoration-break:clone;padding-bottom:2px}
"""


def colours(roles: Sequence[str]) -> dict[str, str]:
    spare = iter(SPARE_COLOURS)
    return {r: ROLE_COLOURS.get(r) or next(spare, NONE_COLOUR) for r in roles}


def structure(texts: Sequence[str]) -> list[tuple[bool, bool, int]]:
    """Per unit of one speech: (a short heading, an item or heading, depth in the speech's outline) — the one
    place the view reads structure (``features.outline``)."""
    tree = outline(texts)
    return [(opens and is_heading(text), opens, depth)
            for text, opens, depth in zip(texts, tree.heading, tree.depth)]


def anchor(doc_id: str) -> str:
    """The id of a speech's section in the page (stable, safe in a URL fragment)."""
    return "s-" + hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:12]


def page_head(roles: Sequence[str]) -> str:
    swatches = "".join(f'<span><i class="swatch" style="background:{c}"></i>{html.escape(r)}</span>'
                       for r, c in colours(roles).items())
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<title>govspeech: labelled speeches</title>\n"
            f"<style>{_STYLE}</style>\n</head>\n<body>\n<div id=\"page\">\n"
            f'<header id="top"><h1>Labelled speeches</h1><div class="legend">{swatches} '
            "(underlined once per role; hover a sentence for its scores)</div></header>\n<main>\n")


def _shares(profile: Mapping, roles: Sequence[str]) -> str:
    """Bars of the share of units carrying each role, and none (they need not sum to 1)."""
    shares = with_shares(profile, roles)
    bars = []
    for role, colour in {**colours(roles), NONE: NONE_COLOUR}.items():
        share = shares[f"share_{role}"] or 0.0
        bars.append(f'<div><span class="name">{html.escape(role)}</span><span class="bar" '
                    f'style="width:{share * 100:.1f}%;background:{colour}"></span>{share:.0%}</div>')
    return f'<div class="shares" title="share of units carrying each role">{"".join(bars)}</div>'


def _unit(row: Mapping, palette: Mapping[str, str], section: str) -> str:
    labels = [r for r in palette if r in row["labels"]]
    shadows = ",".join(f"inset 0 -{UNDERLINE_PX * (i + 1)}px 0 {palette[r]}" for i, r in enumerate(labels))
    style = f' style="box-shadow:{shadows};padding-bottom:{UNDERLINE_PX * len(labels)}px"' if labels else ""
    title = f"{row['sent_id']}: " + " · ".join(f"{r} {row['scores'][r]:.2f}" for r in palette)
    if EXPLANATION in row:  # label --explain
        title = "\n".join([title, *explanation_lines(row[EXPLANATION])])
    classes = "unit " + (" ".join(f"role-{r}" for r in labels) if labels else f"role-{NONE}")
    return (f'<span class="{classes}" id="{section}-{row["sent_id"]}" data-sent-id="{row["sent_id"]}" '
            f'data-labels="{html.escape(" ".join(labels))}" title="{html.escape(title)}"{style}>'
            f'{html.escape(row["text"])}</span>')


def _blocks(rows: Sequence[Mapping], speech_text: str) -> list[tuple[bool, int, list[Mapping]]]:
    """(a heading, depth, units) of each block: a heading; an item of the outline; or the units of one line of
    ``speech_text`` at one depth."""
    blocks: list[tuple[bool, int, list[Mapping]]] = []
    cursor = 0
    for row, (heading, opens, depth) in zip(rows, structure([r["text"] for r in rows])):
        found = speech_text.find(row["text"], cursor)
        new_line = found >= 0 and "\n" in speech_text[cursor:found]
        cursor = found + len(row["text"]) if found >= 0 else cursor
        if heading or opens or new_line or not blocks or blocks[-1][0] or blocks[-1][1] != depth:
            blocks.append((heading, depth, [row]))
        else:
            blocks[-1][2].append(row)
    return blocks


def speech_section(doc_id: str, rows: Sequence[Mapping], roles: Sequence[str], meta: Mapping,
                   profile: Mapping, speech_text: str = "") -> str:
    palette = colours(roles)
    meta_html = "".join(f"<dt>{html.escape(str(k))}</dt><dd>{html.escape(str(v))}</dd>" for k, v in meta.items())
    body = []
    for heading, depth, units in _blocks(rows, speech_text):
        tag, cls = ("h3", "block heading") if heading else ("p", "block")
        body.append(f'<{tag} class="{cls}" style="margin-left:{depth * INDENT_EM:g}em">'
                    + "".join(_unit(r, palette, anchor(doc_id)) for r in units) + f"</{tag}>")
    return (f'<section class="speech" id="{anchor(doc_id)}" data-doc-id="{html.escape(doc_id)}">\n'
            f"<h2>{html.escape(doc_id)}</h2>\n" + (f'<dl class="meta">{meta_html}</dl>\n' if meta else "")
            + _shares(profile, roles) + "\n" + "\n".join(body) + "\n</section>\n")


def page_tail(roles: Sequence[str], profiles: Sequence[Mapping]) -> str:
    """The index of the speeches (when there are several) and the end of the page."""
    merged: list[Mapping] = []
    for p in profiles:
        if merged and merged[-1]["doc_id"] == p["doc_id"]:  # a huge speech labelled in chunks: one entry
            merged[-1] = merge(merged[-1], p)
        else:
            merged.append(p)
    index = ""
    if len(merged) > 1:
        names = (*roles, NONE)
        head = "<tr><th>speech</th><th>units</th>" + "".join(f"<th>{html.escape(r)}</th>" for r in names) + "</tr>"
        rows = []
        for p in merged:
            shares = with_shares(p, roles)
            cells = "".join(f"<td>{shares[f'share_{r}']:.0%}</td>" if shares[f"share_{r}"] is not None else "<td></td>"
                            for r in names)
            rows.append(f'<tr><td><a href="#{anchor(p["doc_id"])}">{html.escape(p["doc_id"])}</a></td>'
                        f'<td>{p["n_units"]}</td>{cells}</tr>')
        index = (f'<nav id="index"><h2>{len(merged)} speeches</h2><p>share of units carrying each role</p>'
                 f"<table>{head}{''.join(rows)}</table></nav>\n")
    return f"</main>\n{index}</div>\n</body>\n</html>\n"
