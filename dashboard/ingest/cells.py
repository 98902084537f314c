"""Cell conversion: each converter returns (value, None) or (None or the raw text, a French message)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

import pyarrow as pa

from dashboard.ingest.reading import Cell
from dashboard.reference import find_country, fold
from dashboard.schema import Column

_LIST_SPLIT = re.compile(r"[|;\n]")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_TRUE = {"oui", "o", "vrai", "true", "yes", "y", "1", "x"}
_FALSE = {"non", "n", "faux", "false", "no", "0"}
_FORMULA_QUOTED = ("'=", "'+", "'-", "'@")

DATE_EXPECTED = "date illisible ; format attendu jj/mm/aaaa ou aaaa-mm-jj"
BOOLEAN_EXPECTED = "valeurs admises : oui, non (ou true/false, 1/0)"


def cell_text(cell: Cell) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, bool):
        return "oui" if cell else "non"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(sep=" ")
    text = str(cell).strip()
    if text.startswith(_FORMULA_QUOTED):
        text = text[1:]  # our own exports quote cells a spreadsheet would run
    return text or None


def _to_string(cell: Cell) -> tuple[object, str | None]:
    return cell_text(cell), None


def _to_date(cell: Cell) -> tuple[object, str | None]:
    if cell is None:
        return None, None
    if isinstance(cell, dt.datetime):
        return cell.date(), None
    if isinstance(cell, dt.date):
        return cell, None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if 1 <= cell < 2958466:  # an Excel serial day number
            return _EXCEL_EPOCH + dt.timedelta(days=int(cell)), None
        return None, DATE_EXPECTED
    text = cell_text(cell)
    if text is None:
        return None, None
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _YMD.match(text)
        if not match:
            return None, DATE_EXPECTED
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day), None
    except ValueError:
        return None, "cette date n'existe pas ; format attendu jj/mm/aaaa ou aaaa-mm-jj"


def _to_integer(cell: Cell) -> tuple[object, str | None]:
    if cell is None or isinstance(cell, bool):
        return (None, None) if cell is None else (int(cell), None)
    if isinstance(cell, int):
        number: float = cell
    elif isinstance(cell, float):
        number = cell
    else:
        text = cell_text(cell)
        if text is None:
            return None, None
        compact = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
        try:
            number = float(compact)
        except ValueError:
            return None, "un nombre entier positif ou nul est attendu"
    if number != number or abs(number) > 2**53:
        return None, "un nombre entier positif ou nul est attendu"
    if not float(number).is_integer():
        return None, "un nombre entier est attendu, sans décimale"
    return int(number), None


def _to_boolean(cell: Cell) -> tuple[object, str | None]:
    if cell is None:
        return None, None
    if isinstance(cell, bool):
        return cell, None
    text = cell_text(cell)
    if text is None:
        return None, None
    folded = fold(text)
    if folded in _TRUE:
        return True, None
    if folded in _FALSE:
        return False, None
    return None, BOOLEAN_EXPECTED


def _category(column: Column) -> Callable[[Cell], tuple[object, str | None]]:
    assert column.taxonomy is not None
    codes: dict[str, str] = {}
    for category in column.taxonomy.categories:
        codes.setdefault(fold(category.en), category.code)
    for category in column.taxonomy.categories:
        codes[fold(category.code)] = category.code

    def convert(cell: Cell) -> tuple[object, str | None]:
        text = cell_text(cell)
        # an unknown value stays as written: the contract check names the allowed values
        return (codes.get(fold(text), text) if text is not None else None), None

    return convert


def _split(cell: Cell) -> list[str]:
    text = cell_text(cell)
    if text is None:
        return []
    return [part.strip() for part in _LIST_SPLIT.split(text) if part.strip()]


def _categories(column: Column) -> Callable[[Cell], tuple[object, str | None]]:
    one = _category(column)

    def convert(cell: Cell) -> tuple[object, str | None]:
        values = [one(part)[0] for part in _split(cell)]
        return (values or None), None

    return convert


def _to_country(cell: Cell) -> tuple[object, str | None]:
    text = cell_text(cell)
    return ((find_country(text) or text) if text is not None else None), None


def _to_countries(cell: Cell) -> tuple[object, str | None]:
    values = [find_country(part) or part for part in _split(cell)]
    return (values or None), None


def _to_strings(cell: Cell) -> tuple[object, str | None]:
    return (_split(cell) or None), None


def _converter(column: Column) -> Callable[[Cell], tuple[object, str | None]]:
    if column.kind == "category":
        return _category(column)
    if column.kind == "categories":
        return _categories(column)
    return {
        "string": _to_string,
        "date": _to_date,
        "integer": _to_integer,
        "boolean": _to_boolean,
        "country": _to_country,
        "countries": _to_countries,
        "strings": _to_strings,
    }[column.kind]


def convert_column(cells: Sequence[Cell], column: Column) -> tuple[pa.Array, list[tuple[int, Cell, str]]]:
    """Typed values of one column; cells repeat a lot, so each distinct one is converted once."""
    convert = _converter(column)
    distinct = dict.fromkeys(cells)
    if all(type(cell) is str or cell is None for cell in distinct):
        results = {cell: convert(cell) for cell in distinct}
        values = [results[cell][0] for cell in cells]
        bad = {cell for cell, result in results.items() if result[1] is not None}
        problems = [(i, cell, results[cell][1]) for i, cell in enumerate(cells) if cell in bad] if bad else []
        return pa.array(values, column.arrow_type), problems  # type: ignore[misc]
    # Excel cells: 1, 1.0 and True are equal keys, so the type is part of the key.
    seen: dict[tuple[type, Cell], tuple[object, str | None]] = {}
    values = []
    problems = []
    for index, cell in enumerate(cells):
        key = (type(cell), cell)
        result = seen.get(key)
        if result is None:
            result = seen[key] = convert(cell)
        values.append(result[0])
        if result[1] is not None:
            problems.append((index, cell, result[1]))
    return pa.array(values, column.arrow_type), problems
