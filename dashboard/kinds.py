"""The kinds of the contract's columns, declared once: how a cell of each kind is parsed from an
uploaded file, checked against the contract, put in words or in an export, and described in
the data dictionary and the templates.

A parser returns (value, error, note): `error` is a message when the cell cannot be read (the
value is then None); `note` names an interpretation the user should know of (a two-digit year,
a spreadsheet serial number, a country alias). Messages are in the language of the run
(`dashboard.i18n`): French unless the interface is in English.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import i18n
from dashboard.i18n import N_, _
from dashboard.reference import countries, country_name, fold, resolve_country

if TYPE_CHECKING:
    from dashboard.ingest.reading import Cell
    from dashboard.schema import Taxonomy

# Two-digit years, as office suites write jj/mm/aa: 00 to 68 are 2000 to 2068, 69 to 99 are 1969 to 1999
# (the POSIX and Python rule). Partnership actions run from the 2000s, programmes plan decades ahead.
TWO_DIGIT_YEAR_PIVOT = 68


def two_digit_years() -> str:
    return _("année sur deux chiffres : 00 à {pivot} lues 2000 à 20{pivot}, {next} à 99 lues 19{next} à 1999").format(
        pivot=TWO_DIGIT_YEAR_PIVOT, next=TWO_DIGIT_YEAR_PIVOT + 1
    )


SERIAL_DATES = N_("numéro de série de tableur lu comme une date (jours depuis le 30/12/1899)")

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

DATE_EXPECTED = N_(
    "date illisible ; formats admis jj/mm/aaaa, jj/mm/aa, jj-mm-aaaa, jj.mm.aaaa, aaaa-mm-jj, 6 janv. 2025"
)
BOOLEAN_EXPECTED = N_("valeurs admises : oui, non (ou vrai/faux, true/false, 1/0)")

Converted = tuple[object, str | None, str | None]
Converter = Callable[["Cell"], Converted]


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
        return _SPREADSHEET_EPOCH + dt.timedelta(days=int(number)), None, _(SERIAL_DATES)
    return None, _(DATE_EXPECTED), None


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
        return None, _(DATE_EXPECTED), None
    try:
        return dt.date(year, month, day), None, two_digit_years() if two_digits else None
    except ValueError:
        return None, _("cette date n'existe pas ; vérifiez le jour et le mois (jj/mm/aaaa)"), None


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
            return None, _(NEGATIVE), None
    if number != number or abs(number) > 2**53:
        return None, _(NEGATIVE), None
    if not float(number).is_integer():
        return None, _("un nombre entier est attendu, sans décimale"), None
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
    return None, _(BOOLEAN_EXPECTED), None


def _category(taxonomy: Taxonomy | None) -> Converter:
    assert taxonomy is not None
    codes: dict[str, str] = {}
    for category in taxonomy.categories:
        codes.setdefault(fold(category.en), category.code)
    for category in taxonomy.categories:
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


def _categories(taxonomy: Taxonomy | None) -> Converter:
    one = _category(taxonomy)

    def convert(cell: Cell) -> Converted:
        values = [one(part)[0] for part in _split(cell)]
        return (values or None), None, None

    return convert


def _alias_note(alias: str, iso3: str) -> str:
    return _("« {alias} » lu comme {country} ({iso3}), d'après la table des sigles et noms usuels").format(
        alias=alias, country=country_name(iso3, i18n.language()), iso3=iso3
    )


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


def _unquote(text: pa.Array) -> pa.Array:
    """Free text, a whole column at once: trimmed, our own exports' quote taken off ('=… read back as =…)."""
    trimmed = pc.utf8_trim_whitespace(text)
    unquoted = pc.replace_substring_regex(trimmed, pattern=r"^'([=+\-@])", replacement=r"\1")
    return pc.if_else(pc.equal(unquoted, ""), pa.scalar(None, pa.string()), unquoted)


def _list_words(value: object) -> str:
    return " | ".join(str(v) for v in value)  # type: ignore[attr-defined]


def _plain(value: object) -> object:
    return value


def _same(values: pd.Series) -> pd.Series:
    return values


def _export_dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.date


def _export_yes_no(values: pd.Series) -> pd.Series:
    return values.map({True: "oui", False: "non"})


def _export_lists(values: pd.Series) -> pd.Series:
    return values.map(list_cell)


UNKNOWN_COUNTRY = N_(
    "n'est pas un pays connu (nom français ou anglais, code ISO2 ou ISO3, sigle usuel comme RCI ou EAU)"
)
NEGATIVE = N_("un nombre entier positif ou nul est attendu")


@dataclass(frozen=True)
class Kind:
    """One kind of column: its Arrow type, its behaviour from an uploaded cell to an export."""

    name: str
    arrow_type: pa.DataType
    # The type in the data dictionary and in the contract's messages.
    label: str
    # What a cell may hold, in the templates, when the column has no taxonomy.
    allowed: str
    # A converter of one cell, made for the column's taxonomy.
    parser: Callable[[Taxonomy | None], Converter]
    # A stored value in words (the preview), and as a user writes it in a template.
    words: Callable[[object], str] = str
    cell: Callable[[object], object] = _plain
    # A column of stored values as an export of the contract gives it: dates, oui/non, plain lists.
    export: Callable[[pd.Series], pd.Series] = _same
    # Free text of a whole column at once, where Arrow can do it without converting each cell.
    parse_text: Callable[[pa.Array], pa.Array] | None = None
    many: bool = False  # a list of values, written a | b
    text: bool = False  # one value written as text: a blank counts as empty, quoted when a change is told
    country: bool = False  # ISO3 codes, checked against the known countries
    non_negative: bool = False

    def parse(self, taxonomy: Taxonomy | None = None) -> Converter:
        return self.parser(taxonomy)

    def describe(self, taxonomy: Taxonomy | None = None) -> str:
        """What a cell may hold, in the language, for the templates and the data dictionary."""
        if taxonomy is None:
            return _(self.allowed) if self.allowed else ""
        values = " | ".join(taxonomy.codes)
        return (
            _("une ou plusieurs valeurs parmi : {values} (séparées par |)").format(values=values)
            if self.many
            else values
        )

    def empty(self, values: pa.ChunkedArray) -> pa.ChunkedArray:
        """Where a column of this kind holds nothing: null, blank text or an empty list."""
        empty = pc.is_null(values)
        if self.text:
            empty = pc.or_kleene(empty, pc.equal(pc.utf8_trim_whitespace(values), ""))
        if self.many:
            empty = pc.or_kleene(empty, pc.equal(pc.list_value_length(values), 0))
        return empty

    def check(self, values: pa.ChunkedArray, taxonomy: Taxonomy | None = None) -> list[tuple[int, object, str]]:
        """The values the contract refuses: (row index, value, what is expected), in row order per rule."""
        refused: list[tuple[int, object, str]] = []
        allowed: list[str] | None = None
        what = ""
        if taxonomy is not None:
            allowed = list(taxonomy.codes)
            what = _("valeurs admises : {values}").format(values=", ".join(allowed))
        elif self.country:
            allowed = list(countries())
            what = _(UNKNOWN_COUNTRY)
        if allowed is not None:
            if self.many:
                flat = pc.list_flatten(values)
                parents = pc.list_parent_indices(values)
                bad = pc.invert(pc.is_in(flat, value_set=pa.array(allowed)))
                refused += [(parents[i].as_py(), flat[i].as_py(), what) for i in rows_where(bad)]
            else:
                bad = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=pa.array(allowed))))
                refused += [(i, values[i].as_py(), what) for i in rows_where(bad)]
        if self.non_negative:
            refused += [(i, values[i].as_py(), _(NEGATIVE)) for i in rows_where(pc.less(values, 0))]
        return refused


def rows_where(mask: pa.ChunkedArray | pa.Array) -> list[int]:
    """The indices where `mask` is true (null counts as false)."""
    return pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()


def is_list(value: object) -> bool:
    """A list cell (Python list or tuple, or the NumPy array Arrow gives for a list column)."""
    return isinstance(value, list | tuple) or (hasattr(value, "tolist") and getattr(value, "ndim", 0) >= 1)


def list_cell(value: object) -> list[str]:
    """A list cell (list, tuple, or the NumPy array Arrow gives) as a list of strings; a missing one as []."""
    if not is_list(value):
        return []
    return [str(v) for v in (value.tolist() if hasattr(value, "tolist") else value)]  # type: ignore[union-attr]


def _yes_no(value: object) -> str:
    return "oui" if value else "non"


def _yes_no_words(value: object) -> str:
    return _("oui") if value else _("non")


def _date_words(value: object) -> str:
    """12/03/2024 in French, as files write it; 12 Mar 2024 in English, where 12/03 would read as December."""
    if i18n.language() == "fr":
        return value.strftime("%d/%m/%Y")  # type: ignore[attr-defined]
    return i18n.date(value)  # type: ignore[arg-type]


def _date_cell(value: object) -> object:
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else value


def _number(value: object) -> str:
    return i18n.number(value)  # type: ignore[arg-type]


def _country_names(value: object) -> str:
    return " | ".join(country_name(str(v), i18n.language()) for v in value)  # type: ignore[attr-defined]


def _country_name(value: object) -> str:
    return country_name(str(value), i18n.language())


def _always(convert: Converter) -> Callable[[Taxonomy | None], Converter]:
    return lambda _taxonomy: convert


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "string", pa.string(), N_("texte"), N_("texte libre"), _always(_to_string), parse_text=_unquote, text=True
        ),
        Kind(
            "date",
            pa.date32(),
            N_("date"),
            N_("date jj/mm/aaaa (ou jj/mm/aa, jj-mm-aaaa, jj.mm.aaaa, aaaa-mm-jj, 6 janv. 2025)"),
            _always(_to_date),
            words=_date_words,
            cell=_date_cell,
            export=_export_dates,
        ),
        Kind(
            "integer",
            pa.int64(),
            N_("entier ≥ 0"),
            N_("nombre entier positif ou nul"),
            _always(_to_integer),
            words=_number,
            non_negative=True,
        ),
        Kind(
            "boolean",
            pa.bool_(),
            N_("oui/non"),
            N_("oui | non (ou vrai/faux, true/false, 1/0)"),
            _always(_to_boolean),
            words=_yes_no_words,
            cell=_yes_no,
            export=_export_yes_no,
        ),
        Kind("category", pa.string(), N_("catégorie"), "", _category, text=True),
        Kind(
            "categories",
            pa.list_(pa.string()),
            N_("liste de catégories"),
            "",
            _categories,
            words=_list_words,
            cell=_list_words,
            export=_export_lists,
            many=True,
        ),
        Kind(
            "country",
            pa.string(),
            N_("pays (ISO 3166-1 alpha-3)"),
            N_("nom français ou anglais du pays, code ISO2 ou ISO3, ou sigle usuel (Côte d'Ivoire, CIV, CI, RCI)"),
            _always(_to_country),
            words=_country_name,
            text=True,
            country=True,
        ),
        Kind(
            "countries",
            pa.list_(pa.string()),
            N_("liste de pays (ISO3)"),
            N_("un ou plusieurs pays, nom ou code ISO (séparés par |)"),
            _always(_to_countries),
            words=_country_names,
            cell=_list_words,
            export=_export_lists,
            many=True,
            country=True,
        ),
        Kind(
            "strings",
            pa.list_(pa.string()),
            N_("liste de textes"),
            N_("un ou plusieurs textes (séparés par |)"),
            _always(_to_strings),
            words=_list_words,
            cell=_list_words,
            export=_export_lists,
            many=True,
        ),
    )
}
