"""A text alternative for every chart, read from the figure itself: its data as a table and one sentence.

As Our World in Data's chart/table switch: what the chart draws, a reader of a screen reader or of the table
finds in words and numbers. Timelines are left out of the table (their page lists the same events).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.reference import country_name

_VALUE = "Valeur"


def _plain(value: object) -> str:
    """A category as text: the `<br>` line breaks of tick labels become spaces."""
    return " ".join(str(value).replace("<br>", " ").split())


def _count(cell: object) -> int | None:
    """The number on the first line of a heat map cell's text (`2 375<br>36 %` gives 2375)."""
    digits = re.sub(r"\D", "", str(cell).split("<br>")[0])
    return int(digits) if digits else None


def _series(trace: object) -> tuple[list[object], list[object]] | None:
    """The categories and values one trace draws, or None when it draws no such pairs."""
    kind = trace.type  # type: ignore[attr-defined]
    if kind == "pie":
        return list(trace.labels or ()), list(trace.values or ())  # type: ignore[attr-defined]
    if kind == "choropleth":
        if trace.hoverinfo == "skip" or trace.z is None or trace.showscale is False:  # type: ignore[attr-defined]
            return None  # the land underneath, and the home country drawn apart
        names = trace.text if trace.text is not None else [country_name(c) for c in trace.locations]  # type: ignore[attr-defined]
        return list(names), list(trace.z)  # type: ignore[attr-defined]
    if kind == "sunburst":
        return list(trace.labels or ()), list(trace.values or ())  # type: ignore[attr-defined]
    if kind in ("bar", "scatter"):
        if getattr(trace, "base", None) is not None or trace.x is None or trace.y is None:  # type: ignore[attr-defined]
            return None  # a timeline's bars, or a mark without data
        if kind == "scatter" and trace.marker is not None and trace.marker.color == "rgba(0,0,0,0)":  # type: ignore[attr-defined]
            return None  # the transparent click targets of a heat map
        horizontal = getattr(trace, "orientation", None) == "h"
        categories, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)  # type: ignore[attr-defined]
        return list(categories), list(values)
    return None


def table(fig: go.Figure) -> pd.DataFrame:
    """The figure's data: one row per category, one column per series (a heat map: its grid)."""
    heatmaps = [t for t in fig.data if t.type == "heatmap" and t.z is not None]
    if heatmaps:
        grid = heatmaps[0]
        frame = pd.DataFrame(
            [list(row) for row in grid.z],
            index=[_plain(y) for y in grid.y],
            columns=[_plain(x) for x in grid.x],
        )
        if grid.text is not None:  # the drawn texts carry the counts when the colour is a share
            frame = pd.DataFrame(
                [[_count(cell) for cell in row] for row in grid.text],
                index=frame.index,
                columns=frame.columns,
            )
        return frame.rename_axis("").reset_index()
    columns: dict[str, dict[str, object]] = {}
    order: list[str] = []
    for trace in fig.data:
        pairs = _series(trace)
        if pairs is None:
            continue
        name = _plain(trace.name) if trace.name and trace.type not in ("pie", "choropleth") else _VALUE
        column = columns.setdefault(name, {})
        for category, value in zip(*pairs, strict=False):
            key = _plain(category)
            if key not in order:
                order.append(key)
            column[key] = value
    if not columns:
        return pd.DataFrame()
    frame = pd.DataFrame({name: [values.get(c) for c in order] for name, values in columns.items()})
    frame.insert(0, "", order)
    return frame


def _number(value: object) -> str:
    try:
        return i18n.number(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)


def summary(fig: go.Figure, title: str) -> str:
    """One short sentence: what the chart shows, its total, its largest and smallest category (a heat map: its
    strongest cell)."""
    data = table(fig)
    if data.empty:
        return f"{title} : aucune donnée à présenter."
    if any(t.type == "heatmap" for t in fig.data):
        grid = data.set_index(data.columns[0]).apply(pd.to_numeric, errors="coerce")
        row, column = grid.stack().idxmax()
        return f"{title} : la case la plus forte est {row} × {column} ({_number(grid.loc[row, column])})."
    numbers = data.drop(columns=data.columns[0]).apply(pd.to_numeric, errors="coerce")
    totals = numbers.sum(axis=1, min_count=1)
    if totals.isna().all():
        return f"{title} : {len(data)} lignes, détaillées dans le tableau."
    categories: Sequence[str] = list(data.iloc[:, 0])
    top, low = int(totals.idxmax()), int(totals.idxmin())
    sentence = f"{title} : total {_number(totals.sum())}, en tête {categories[top]} ({_number(totals[top])})"
    if low != top:
        sentence += f", le moins {categories[low]} ({_number(totals[low])})"
    return sentence + "."
