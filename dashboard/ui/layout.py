"""Page furniture shared by every page: title, demo notice, key figure cards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from dashboard import i18n
from dashboard.demo import DEMO_NOTICE
from dashboard.query import Filters
from dashboard.ui import data


def page_header(title: str, filters: Filters | None = None) -> None:
    """Title, the period in words and, on demo data, the notice that it is fictional."""
    st.title(title, anchor=False)
    if filters is not None:
        st.caption(f"Sélection : {describe(filters)}")
    if data.is_demo():
        st.info(DEMO_NOTICE, icon=":material/science:")


def describe(filters: Filters) -> str:
    """The selection in a short French sentence."""
    parts = [i18n.period(filters.start, filters.end)]
    if filters.regions:
        parts.append(", ".join(filters.regions))
    if filters.countries:
        from dashboard.reference import country_name

        names = [country_name(c) for c in filters.countries]
        parts.append(", ".join(names[:4]) + (f" et {len(names) - 4} autres" if len(names) > 4 else ""))
    others = sum(
        bool(getattr(filters, f)) for f in ("modes", "functions", "factors", "pillars", "frameworks", "forces")
    ) + (filters.opex is not None)
    if others:
        parts.append(f"{others} autre(s) filtre(s)")
    return " · ".join(parts)


@dataclass(frozen=True)
class Figure:
    label: str
    value: float
    previous: float | None = None
    help: str | None = None


def key_figures(figures: Sequence[Figure], *, comparison: str | None = None) -> None:
    """A row of key figure cards with the change against the previous period."""
    columns = st.columns(len(figures))
    for column, figure in zip(columns, figures, strict=True):
        delta = i18n.change(figure.value, figure.previous)
        column.metric(
            figure.label,
            i18n.number(figure.value),
            delta=delta,
            help=figure.help,
            border=True,
        )
    if comparison:
        st.caption(comparison)


_MARKDOWN_SPECIAL = "\\`*_{}[]()<>#+-.!|~$:"


def plain(text: object) -> str:
    """A data value made safe to embed in a Markdown string: every special character escaped."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in str(text))
