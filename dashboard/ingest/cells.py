"""Cell conversion: each converter returns (value, error, note).

`error` is a French message when the cell cannot be read (the value is then
None); `note` names an interpretation the user should know of (a two-digit
year, a spreadsheet serial number, a country alias): the report gathers the
notes of a column into warnings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from dashboard.ingest.reading import Cell
from dashboard.reference import country_name, fold, resolve_country
from dashboard.schema import Column

# Two-digit years, as office suites write jj/mm/aa: 00 to 68 are 2000 to 2068, 69 to 99 are 1969 to 1999
# (the POSIX and Python rule). Partnership actions run from the 2000s, programmes plan decades ahead.
TWO_DIGIT_YEAR_PIVOT = 68
TWO_DIGIT_YEARS = (
    f"année sur deux chiffres : 00 à {TWO_DIGIT_YEAR_PIVOT} lues 2000 à 20{TWO_DIGIT_YEAR_PIVOT}, "
    f"{TWO_DIGIT_YEAR_PIVOT + 1} à 99 lues 19{TWO_DIGIT_YEAR_PIVOT + 1} à 1999"
)
SERIAL_DATES = "numéro de série de tableur lu comme une date (jours depuis le 30/12/1899)"

_LIST_SPLIT = re.compile(r"[|;\n]")
_TIME = r"(?:[ T]\d{1,2}[:h]\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DMY = re.compile(rf"^(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_TIME}$")
_YMD = re.compile(rf"^(\d{{4}})([-/.])(\d{{1,2}})\2(\d{{1,2}}){_TIME}$")
_SERIAL = re.compile(r"^\d{5}(?:[.,]0+)?$")
# 6 janv. 2025, 6 janvier 2025, 1er mars 25, 06-févr.-2025: the text is folded first (no accents, dots, dashes).
_NAMED = re.compile(r"^(\d{1,2})(?:er)? ?([a-z]+) (\d{4}|\d{2})$")
_MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1,
    "fevrier": 2, "fevr": 2, "fev": 2, "fevri": 2,
    "mars": 3, "mar": 3,
    "avril": 4, "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7, "juil": 7,
    "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9,
    "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
}  # fmt: skip
_SPREADSHEET_EPOCH = dt.date(1899, 12, 30)
_FIRST_SERIAL, _LAST_SERIAL = 10_000, 99_999
_TRUE = {"oui", "o", "vrai", "true", "yes", "y", "1", "x"}
_FALSE = {"non", "n", "faux", "false", "no", "0"}
_FORMULA_QUOTED = ("'=", "'+", "'-", "'@")
# Digit grouping in French: spaces, no-break spaces, narrow no-break spaces, thin spaces.
_GROUPING = re.compile(r"[\s\u00a0\u202f\u2009]")

DATE_EXPECTED = "date illisible ; formats admis jj/mm/aaaa, jj/mm/aa, jj-mm-aaaa, jj.mm.aaaa, aaaa-mm-jj, 6 janv. 2025"
BOOLEAN_EXPECTED = "valeurs admises : oui, non (ou vrai/faux, true/false, 1/0)"

Converted = tuple[object, str | None, str | None]


@dataclass(frozen=True)
class Note:
    """Cells of one column read through one interpretation: how many, and the first one."""

    text: str
    first: int
    cell: Cell
    count: int


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


def _to_string(cell: Cell) -> Converted:
    return cell_text(cell), None, None


def _year(text: str) -> tuple[int, bool]:
    year = int(text)
    if len(text) == 2:
        return (2000 + year if year <= TWO_DIGIT_YEAR_PIVOT else 1900 + year), True
    return year, False


def _serial(number: float) -> Converted:
    # Five digits: 1927 to 2173. A smaller number in a date column is more likely a year or a typo.
    if _FIRST_SERIAL <= number <= _LAST_SERIAL:
        return _SPREADSHEET_EPOCH + dt.timedelta(days=int(number)), None, SERIAL_DATES
    return None, DATE_EXPECTED, None


def _to_date(cell: Cell) -> Converted:
    if cell is None:
        return None, None, None
    if isinstance(cell, dt.datetime):
        return cell.date(), None, None
    if isinstance(cell, dt.date):
        return cell, None, None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return _serial(cell)
    text = cell_text(cell)
    if text is None:
        return None, None, None
    two_digits = False
    if match := _DMY.match(text):
        day, month = int(match.group(1)), int(match.group(3))
        year, two_digits = _year(match.group(4))
    elif match := _YMD.match(text):
        year, month, day = int(match.group(1)), int(match.group(3)), int(match.group(4))
    elif _SERIAL.match(text):
        return _serial(float(text.replace(",", ".")))
    elif (match := _NAMED.match(fold(text))) and match.group(2) in _MONTHS:
        day, month = int(match.group(1)), _MONTHS[match.group(2)]
        year, two_digits = _year(match.group(3))
    else:
        return None, DATE_EXPECTED, None
    try:
        return dt.date(year, month, day), None, TWO_DIGIT_YEARS if two_digits else None
    except ValueError:
        return None, "cette date n'existe pas ; vérifiez le jour et le mois (jj/mm/aaaa)", None


def _to_integer(cell: Cell) -> Converted:
    if cell is None or isinstance(cell, bool):
        return (None, None, None) if cell is None else (int(cell), None, None)
    if isinstance(cell, int):
        number: float = cell
    elif isinstance(cell, float):
        number = cell
    else:
        text = cell_text(cell)
        if text is None:
            return None, None, None
        try:
            number = float(_GROUPING.sub("", text).replace(",", "."))
        except ValueError:
            return None, "un nombre entier positif ou nul est attendu", None
    if number != number or abs(number) > 2**53:
        return None, "un nombre entier positif ou nul est attendu", None
    if not float(number).is_integer():
        return None, "un nombre entier est attendu, sans décimale", None
    return int(number), None, None


def _to_boolean(cell: Cell) -> Converted:
    if cell is None:
        return None, None, None
    if isinstance(cell, bool):
        return cell, None, None
    text = cell_text(cell)
    if text is None:
        return None, None, None
    folded = fold(text)
    if folded in _TRUE:
        return True, None, None
    if folded in _FALSE:
        return False, None, None
    return None, BOOLEAN_EXPECTED, None


def _category(column: Column) -> Callable[[Cell], Converted]:
    assert column.taxonomy is not None
    codes: dict[str, str] = {}
    for category in column.taxonomy.categories:
        codes.setdefault(fold(category.en), category.code)
    for category in column.taxonomy.categories:
        codes[fold(category.code)] = category.code

    def convert(cell: Cell) -> Converted:
        text = cell_text(cell)
        # an unknown value stays as written: the contract check names the allowed values
        return (codes.get(fold(text), text) if text is not None else None), None, None

    return convert


def _split(cell: Cell) -> list[str]:
    text = cell_text(cell)
    if text is None:
        return []
    return [part.strip() for part in _LIST_SPLIT.split(text) if part.strip()]


def _categories(column: Column) -> Callable[[Cell], Converted]:
    one = _category(column)

    def convert(cell: Cell) -> Converted:
        values = [one(part)[0] for part in _split(cell)]
        return (values or None), None, None

    return convert


def _alias_note(alias: str, iso3: str) -> str:
    return f"« {alias} » lu comme {country_name(iso3)} ({iso3}), d'après la table des sigles et noms usuels"


def _country(text: str) -> tuple[str, str | None]:
    iso3, alias = resolve_country(text)
    if iso3 is None:
        return text, None  # unknown: the contract check says so, with the value as written
    return iso3, _alias_note(alias, iso3) if alias else None


def _to_country(cell: Cell) -> Converted:
    text = cell_text(cell)
    if text is None:
        return None, None, None
    value, note = _country(text)
    return value, None, note


def _to_countries(cell: Cell) -> Converted:
    found = [_country(part) for part in _split(cell)]
    notes = [note for _, note in found if note]
    return ([value for value, _ in found] or None), None, " ; ".join(notes) or None


def _to_strings(cell: Cell) -> Converted:
    return (_split(cell) or None), None, None


def _converter(column: Column) -> Callable[[Cell], Converted]:
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


def convert_column(cells: Sequence[Cell], column: Column) -> tuple[pa.Array, list[tuple[int, Cell, str]], list[Note]]:
    """Typed values of one column, its errors (index, cell, message) and its notes.

    Cells repeat a lot, so each distinct one is converted once: text cells (a CSV's) are
    dictionary-encoded by Arrow, the distinct values converted, and the results taken back
    to every row; free text is only trimmed, by Arrow too.
    """
    try:
        text = pa.array(cells, pa.string())
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        return _convert_cells(cells, column)
    if column.kind == "string":
        trimmed = pc.utf8_trim_whitespace(text)
        # our own exports quote cells a spreadsheet would run: '=… is read back as =…
        unquoted = pc.replace_substring_regex(trimmed, pattern=r"^'([=+\-@])", replacement=r"\1")
        return pc.if_else(pc.equal(unquoted, ""), pa.scalar(None, pa.string()), unquoted), [], []
    convert = _converter(column)
    encoded = text.dictionary_encode()
    distinct = encoded.dictionary.to_pylist()
    results = [convert(value) for value in distinct]
    typed = pa.array([result[0] for result in results], column.arrow_type).take(encoded.indices)
    flagged = [position for position, result in enumerate(results) if result[1] is not None or result[2] is not None]
    if not flagged:
        return typed, [], []
    rows = pc.indices_nonzero(pc.is_in(encoded.indices, pa.array(flagged, encoded.indices.type))).to_pylist()
    positions = encoded.indices.take(pa.array(rows, pa.int64())).to_pylist() if rows else []
    outcomes = [(i, distinct[k], results[k]) for i, k in zip(rows, positions, strict=True)]
    return typed, *_gather(outcomes)


def _convert_cells(cells: Sequence[Cell], column: Column) -> tuple[pa.Array, list[tuple[int, Cell, str]], list[Note]]:
    """Spreadsheet cells of mixed types: 1, 1.0 and True are equal keys, so the type is part of the key."""
    convert = _converter(column)
    seen: dict[tuple[type, Cell], Converted] = {}
    values = []
    outcomes = []
    for index, cell in enumerate(cells):
        key = (type(cell), cell)
        result = seen.get(key)
        if result is None:
            result = seen[key] = convert(cell)
        values.append(result[0])
        if result[1] is not None or result[2] is not None:
            outcomes.append((index, cell, result))
    return pa.array(values, column.arrow_type), *_gather(outcomes)  # type: ignore[arg-type]


def _gather(outcomes: list[tuple[int, Cell, Converted]]) -> tuple[list[tuple[int, Cell, str]], list[Note]]:
    problems = [(i, cell, result[1]) for i, cell, result in outcomes if result[1] is not None]
    notes: dict[str, Note] = {}
    for i, cell, result in outcomes:
        if result[2] is not None:
            known = notes.get(result[2])
            notes[result[2]] = (
                Note(result[2], i, cell, 1)
                if known is None
                else Note(known.text, known.first, known.cell, known.count + 1)
            )
    return problems, list(notes.values())
