"""Hostile strings: data a file may carry that a page or a figure must show exactly as typed.

Each aims at one interpreter between the store and the eye: plotly's HTML subset (tags, styles,
links, entities, `%{...}` template fields, `$...$` for MathJax), and Streamlit's Markdown with
its own directives (Material icons, colours, emoji shortcodes, LaTeX, links).
"""

from __future__ import annotations

import html
import re

HOSTILE: tuple[str, ...] = (
    "<b>gras</b>",
    '<a href="https://exemple.invalid/">lien</a>',
    '<span style="font-size:60px">grand</span>',
    "<img src=x onerror=alert(1)>",
    "&lt;b&gt; &amp; &#36;",
    ":material/warning: icône",
    ":red[rouge] :smile: :material_home:",
    "$x^2$ et $$y$$",
    "[clic](javascript:alert(1)) https://exemple.invalid",
    "%{customdata[0]} %{x}",
    "**gras** _it_ `code` # titre",
)
# What our own templates write around the data: nothing else may be markup in a figure.
_OWN_MARKUP = re.compile(r"</?b>|<br>|</?extra>|<span style='color:#[0-9a-f]{6}'>|</span>")


def shown_by_plotly(value: str) -> str:
    """What plotly draws for `value`: our own tags dropped (bold, line breaks), character references read.

    Fails when anything else in `value` is markup: plotly would draw it as markup."""
    bare = _OWN_MARKUP.sub(" ", value)
    assert "<" not in bare, f"markup a figure would interpret: {value!r}"
    return html.unescape(bare)


# Trace properties that are never drawn: identifiers and codes a click reads back.
_NOT_DRAWN = {"ids", "parents", "locations", "customdata", "legendgroup", "uid"}
_FIELD = re.compile(r"%\{customdata(?:\[(\d+)\])?")


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def _drawn_customdata(trace: dict) -> list[str]:
    """The cells of `customdata` that the trace's hover templates draw."""
    templates = " ".join(_strings(trace.get("hovertemplate", "")) + _strings(trace.get("texttemplate", "")))
    fields = {int(n) if n else None for n in _FIELD.findall(templates)}
    drawn: list[str] = []
    for row in trace.get("customdata") or []:
        cells = row if isinstance(row, list) else [row]
        drawn += [c for i, c in enumerate(cells) if isinstance(c, str) and (None in fields or i in fields)]
    return drawn


def figure_strings(figure: dict) -> list[str]:
    """Every string a figure may draw: its layout, and what its traces (and animation frames) show."""
    traces = [*figure.get("data", []), *(t for f in figure.get("frames", []) for t in f.get("data", []))]
    strings = _strings(figure.get("layout", {}))
    for trace in traces:
        strings += [s for key, v in trace.items() if key not in _NOT_DRAWN for s in _strings(v)]
        strings += _drawn_customdata(trace)
    return strings


def shown_in_figure(figure: dict) -> str:
    """Every text of a figure as plotly draws it, one text a line (asserts no data is markup)."""
    return "\n".join(shown_by_plotly(s) for s in figure_strings(figure))


def shown_by_markdown(source: str) -> str:
    """What Streamlit shows for a Markdown string built with `layout.plain`: escapes and word joiners read."""
    return re.sub(r"\\(.)", r"\1", source).replace("\u2060", "")
