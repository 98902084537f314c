"""A text alternative for every chart, read from the figure itself: its data as a table and one sentence.

As Our World in Data's chart/table switch: what the chart draws, a reader of a screen reader or of the table
finds in words and numbers. A timeline reads as its number of events per line (its page lists the events);
a chart of shares (bars of 100 %) names its largest share.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from numbers import Real
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.i18n import N_, _
from dashboard.reference import country_name

_VALUE = N_("Valeur")  # the column of a one-series chart


def _plain(value: object) -> str:
    """A category as text: the `<br>` line breaks of tick labels become spaces."""
    return " ".join(str(value).replace("<br>", " ").split())


# A total that a tick label carries after its name: `Masse<br>(1 234)`.
_TOTAL = re.compile(r"\s*\([\d\s\u00a0\u202f,.]+\)$")


def _axis_names(axis: Any, values: Sequence[object]) -> list[str]:
    """The categories of a heat map's axis: its values, or, where cells sit at positions, the tick labels of
    those positions without the totals they carry."""
    if axis.tickvals is None or axis.ticktext is None:
        return [_plain(value) for value in values]
    ticks = dict(zip(axis.tickvals, axis.ticktext, strict=True))
    return [_TOTAL.sub("", _plain(ticks.get(value, value))) for value in values]


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
        names = trace.text if trace.text is not None else [country_name(c, i18n.language()) for c in trace.locations]  # type: ignore[attr-defined]
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


def _is_timeline(fig: go.Figure) -> bool:
    return any(t.type == "bar" and getattr(t, "base", None) is not None for t in fig.data)


def _ring(trace: object) -> bool:
    return trace.type == "scatter" and trace.marker is not None and trace.marker.symbol == "circle-open"  # type: ignore[attr-defined]


def _timeline_table(fig: go.Figure) -> pd.DataFrame:
    """A timeline's events counted per line and per series (a bar of a month's actions counts them all)."""
    counts: dict[str, dict[str, int]] = {}
    order: list[str] = []
    for trace in fig.data:
        if trace.type not in ("bar", "scatter") or trace.y is None or _ring(trace):
            continue  # the ring around the chosen event repeats one
        numbers = trace.customdata if trace.type == "bar" and trace.customdata is not None else None
        if numbers is not None and any(not isinstance(n, Real) for n in numbers):
            numbers = None
        column = counts.setdefault(_plain(trace.name) or _(_VALUE), {})
        for index, lane in enumerate(trace.y):
            key = _plain(lane)
            if key not in order:
                order.append(key)
            column[key] = column.get(key, 0) + (int(numbers[index]) if numbers is not None else 1)
    if not counts:
        return pd.DataFrame()
    frame = pd.DataFrame({name: [values.get(c, 0) for c in order] for name, values in counts.items()})
    frame.insert(0, "", order)
    return frame


def _value_axis(fig: go.Figure) -> Any:
    """The axis that carries the values (plotly's axis objects are untyped)."""
    horizontal = any(getattr(t, "orientation", None) == "h" for t in fig.data)
    return fig.layout.xaxis if horizontal else fig.layout.yaxis


def _shares(fig: go.Figure) -> bool:
    """Bars of 100 %: their value axis reads in per cent."""
    axis = _value_axis(fig)
    return fig.layout.barmode == "stack" and "%" in f"{axis.tickformat or ''}{axis.ticksuffix or ''}"


def table(fig: go.Figure) -> pd.DataFrame:
    """The figure's data: one row per category, one column per series (a heat map: its grid; a timeline: its
    events counted per line)."""
    if _is_timeline(fig):
        return _timeline_table(fig)
    heatmaps = [t for t in fig.data if t.type == "heatmap" and t.z is not None]
    if heatmaps:
        grid = heatmaps[0]
        frame = pd.DataFrame(
            [list(row) for row in grid.z],
            index=_axis_names(fig.layout.yaxis, grid.y),
            columns=_axis_names(fig.layout.xaxis, grid.x),
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
        name = _plain(trace.name) if trace.name and trace.type not in ("pie", "choropleth") else _(_VALUE)
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
        return _("{title} : aucune donnée à présenter.").format(title=title)
    if any(t.type == "heatmap" for t in fig.data):
        grid = data.set_index(data.columns[0]).apply(pd.to_numeric, errors="coerce")
        row, column = grid.stack().idxmax()
        return _("{title} : la case la plus forte est {row} × {column} ({value}).").format(
            title=title, row=row, column=column, value=_number(grid.loc[row, column])
        )
    if _is_timeline(fig):
        lines = data.set_index(data.columns[0]).sum(axis=1)
        return _("{title} : {count} événements sur {lines} lignes, le plus sur {top} ({top_value}).").format(
            title=title,
            count=_number(lines.sum()),
            lines=len(lines),
            top=lines.idxmax(),
            top_value=_number(lines.max()),
        )
    if _shares(fig):
        grid = data.set_index(data.columns[0]).apply(pd.to_numeric, errors="coerce")
        category, series = grid.stack().idxmax()
        share = grid.loc[category, series] / (100 if grid.max().max() > 1 else 1)
        return _("{title} : la plus forte part est « {series} » pour {category} ({share}).").format(
            title=title, series=series, category=category, share=i18n.percent(share, 0)
        )
    # A series on a second axis (a rate beside counts) is in the table, not in the totals.
    second = {_plain(t.name) for t in fig.data if getattr(t, "yaxis", None) == "y2"}
    numbers = data.drop(columns=[data.columns[0], *second]).apply(pd.to_numeric, errors="coerce")
    totals = numbers.sum(axis=1, min_count=1)
    if totals.isna().all():
        return _("{title} : {count} lignes, détaillées dans le tableau.").format(title=title, count=len(data))
    categories: Sequence[str] = list(data.iloc[:, 0])
    top, low = int(totals.idxmax()), int(totals.idxmin())
    values = {
        "title": title,
        "total": _number(totals.sum()),
        "top": categories[top],
        "top_value": _number(totals[top]),
        "low": categories[low],
        "low_value": _number(totals[low]),
    }
    if low == top:
        return _("{title} : total {total}, en tête {top} ({top_value}).").format(**values)
    return _("{title} : total {total}, en tête {top} ({top_value}), le moins {low} ({low_value}).").format(**values)
