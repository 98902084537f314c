"""The shared look of every figure, the category palettes, and `text`: every text a figure shows goes through it.

Plotly reads a subset of HTML in every text it draws (`<b>`, `<a href>`, `<span style>`, `<br>`,
entities such as `&lt;`), substitutes `%{...}` in templates and hands `$...$` to MathJax when a page
has it. `text` writes a value so that plotly shows it as it is: `& < > $ %` as character references,
which plotly turns back into the characters only when it draws them. Chart modules take labels
from `label` and `country` here, which go through it, and pass every other value they show
(titles, places, bodies, units) through `text`; their templates hold only their own markup.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import plotly.graph_objects as go

from dashboard import i18n, reference
from dashboard.i18n import N_, _
from dashboard.reference import taxonomy_of
from dashboard.schema import REGION_COLORS

FONT = "Source Sans Pro, Segoe UI, Arial, sans-serif"
# `separators` is the decimal mark then the thousands separator: `1 234,5`, `1,234.5` in English.
SEPARATORS = ", "
_SEPARATORS = {"fr": SEPARATORS, "en": ".,"}
NO_DATA = N_("Aucune donnée pour cette sélection")
# The classification marking drawn on every figure, so a PNG downloaded from the
# chart's toolbar carries it too. Keep `margin.t` at least MARKING_MARGIN when
# changing margins after style(), or the marking is cut off.
MARKING_NAME = "marquage"
MARKING_MARGIN = 58
MARKING_SHIFT = 30  # pixels between the plot and the marking, room for a legend above the plot


_NO_TEMPLATE = go.layout.Template()
_REFERENCES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "$": "&#36;", "%": "&#37;"})


def text(value: object) -> str:
    """`value` as text plotly shows literally: no markup, no entity, no template field, no formula."""
    return str(value).translate(_REFERENCES)


def label(dimension: str, value: object) -> str:
    """The label of a category in the language of the run (`dashboard.reference.label`), as text for a figure."""
    return text(reference.label(dimension, value))


def country(iso3: str) -> str:
    """A country's name in the language of the run, as text for a figure."""
    return text(reference.country_name(iso3, i18n.language()))


def wrapped(value: object, width: int) -> str:
    """`value` as text for a figure, on lines of at most `width` characters."""
    return "<br>".join(text(line) for line in textwrap.wrap(str(value), width))


def style(fig: go.Figure, *, height: int = 360, legend: bool = True) -> go.Figure:
    fig.update_layout(
        separators=_SEPARATORS[i18n.language()],
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 10, "r": 10, "t": MARKING_MARGIN, "b": 10},
        showlegend=legend,
        # The legend under the plot: above it, a legend that wraps onto several lines in a narrow column
        # ran into the marking, which holds the top left corner.
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "title": None},
        hoverlabel={"font": {"family": FONT}},
        plot_bgcolor="white",
        paper_bgcolor="white",
        # Streamlit draws with its own theme in the browser: plotly's default template
        # is 3.6 KB of every figure resent on every rerun, for nothing (bench/RESULTS.md).
        template=_NO_TEMPLATE,
    )
    fig.update_xaxes(gridcolor="#eee")
    fig.update_yaxes(gridcolor="#eee")
    _mark(fig)
    return fig


@dataclass(frozen=True)
class Marking:
    """The classification marking as a figure draws it: its words and its colours (`#rrggbb`)."""

    text: str
    color: str
    text_color: str


def mark(fig: go.Figure, marking: Marking) -> go.Figure:
    """Write `marking` into the place style() kept for it: the page shows every figure marked, and a PNG
    downloaded from the chart's toolbar carries it."""
    return fig.update_annotations(
        selector={"name": MARKING_NAME},
        text=text(marking.text),
        font={"size": 11, "color": marking.text_color, "family": FONT},
        bgcolor=marking.color,
    )


def _mark(fig: go.Figure) -> None:
    """The place of the marking, in the top left corner above the legend (once, however often style() runs): the
    chart's toolbar shows in the top right corner, where it would hide the marking. `mark` writes it."""
    others = [a for a in fig.layout.annotations if a.name != MARKING_NAME]
    fig.layout.annotations = others
    fig.add_annotation(
        name=MARKING_NAME,
        text="",
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0,
        y=1,
        xanchor="left",
        yanchor="bottom",
        yshift=MARKING_SHIFT,
        font={"size": 11, "family": FONT},
        borderpad=2,
        captureevents=False,
    )


def empty(message: str = NO_DATA, *, height: int = 360) -> go.Figure:
    """A blank figure that says there is nothing to show."""
    fig = go.Figure()
    fig.add_annotation(
        text=text(_(message)),
        showarrow=False,
        font={"size": 15, "color": "#666"},
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return style(fig, height=height, legend=False)


def palette(dimension: str) -> dict[str, str]:
    """Category value -> colour, for a dimension name or a taxonomy name."""
    if dimension == "region":
        return dict(REGION_COLORS)
    taxonomy = taxonomy_of(dimension)
    return taxonomy.colors() if taxonomy else {}
