"""Column headers: which column of which table a header names, in French or English, any case or accents."""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.reference import fold
from dashboard.schema import TABLES

_STOP_WORDS = {"de", "du", "des", "d", "la", "le", "l", "les", "en"}


def header_key(text: str) -> str:
    return " ".join(word for word in fold(text).split() if word not in _STOP_WORDS)


def _header_lookup() -> dict[str, dict[str, str]]:
    lookup: dict[str, dict[str, str]] = {}
    for spec in TABLES.values():
        names: dict[str, str] = {}
        for column in spec.columns:
            for text in (column.header_fr, column.name, column.english_header, column.name.removesuffix("_iso3")):
                if text:
                    names[header_key(text)] = column.name
        lookup[spec.name] = names
    return lookup


_HEADERS = _header_lookup()


def match_header(text: str, table: str | None = None) -> str | None:
    key = header_key(text)
    for name, names in _HEADERS.items():
        if table in (None, name) and key in names:
            return names[key]
    return None


def guess_table(headers: Sequence[str]) -> str:
    """The table whose columns the headers name most (actions on a tie)."""
    keys = [header_key(h) for h in headers if h]
    scores = {name: sum(k in names for k in keys) for name, names in _HEADERS.items()}
    return max(scores, key=lambda name: (scores[name], name == "actions"))
