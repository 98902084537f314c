"""Import of CSV and Excel extracts: read, validate, preview, commit.

A pure module the import page and the command line share:

    parsed = read_file(name, data)        # bytes -> cells (refuses binary, empty, too big)
    report = validate(parsed, table=None) # every problem, in French, with line and column
    preview(report, store)                # new / updated / unchanged / rejected rows
    commit(report, store, user=...)       # one atomic merge by key, with its metadata

`analyse(name, data)` runs the first two and never raises: a file that cannot
be read becomes a report with one problem. `import_bytes(...)` runs them all.
Nothing is written while a file has errors, unless the caller asks for its
valid rows only. Command line: `python -m dashboard.ingest FILE --help`.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import dataclasses
import datetime as dt
import hashlib
import io
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc

from dashboard import i18n
from dashboard.reference import find_country, fold
from dashboard.schema import TABLES, Column, TableSpec
from dashboard.settings import settings
from dashboard.store import Commit, MergeResult, Store
from dashboard.validation import ContractError, Problem, check_table, conform

Cell = str | int | float | bool | dt.date | dt.datetime | None

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
_SEPARATORS = (";", "\t", ",")
_STOP_WORDS = {"de", "du", "des", "d", "la", "le", "l", "les", "en"}
_LIST_SPLIT = re.compile(r"[|;\n]")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_TRUE = {"oui", "o", "vrai", "true", "yes", "y", "1", "x"}
_FALSE = {"non", "n", "faux", "false", "no", "0"}
_FORMULA_QUOTED = ("'=", "'+", "'-", "'@")

DATE_EXPECTED = "date illisible ; format attendu jj/mm/aaaa ou aaaa-mm-jj"
BOOLEAN_EXPECTED = "valeurs admises : oui, non (ou true/false, 1/0)"


@dataclass(frozen=True)
class Parsed:
    """The cells of a file, before any typing. `lines[i]` is the file line of `rows[i]`."""

    name: str
    sha256: str
    size: int
    header_line: int
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    lines: list[int]
    encoding: str | None = None
    separator: str | None = None
    cells_per_row: int = 0  # cells of the header row, blank ones included


@dataclass
class Report:
    """What a file holds and every problem found in it."""

    name: str
    sha256: str
    table: str | None
    rows: pa.Table
    lines: list[int]
    problems: list[Problem] = field(default_factory=list)
    encoding: str | None = None
    separator: str | None = None
    _valid: pa.Table | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def file_errors(self) -> list[Problem]:
        """Errors about the whole file (unreadable, missing column): no row can be imported."""
        lines = set(self.lines)
        return [p for p in self.errors if p.row not in lines]

    @property
    def rejected_lines(self) -> list[int]:
        bad = {p.row for p in self.errors}
        return [line for line in self.lines if line in bad]

    @property
    def ok(self) -> bool:
        return not self.errors

    def valid_mask(self) -> pa.Array:
        bad = set(self.rejected_lines)
        return pa.array([line not in bad for line in self.lines], pa.bool_())

    def valid_rows(self) -> pa.Table:
        """The rows without error, in the contract's types; none when the file itself is wrong."""
        if self._valid is None:
            spec = TABLES[self.table] if self.table else None
            if spec is None or self.file_errors:
                self._valid = spec.empty() if spec else pa.table({})
            else:
                self._valid = conform(self.rows.filter(self.valid_mask()), spec)
        return self._valid

    def raise_for_errors(self) -> None:
        if self.errors:
            raise ContractError(self.problems)


@dataclass(frozen=True)
class Change:
    """An updated row: its line, its key, the French headers of the changing fields and, for the
    first rows shown, each change as (header, stored value, new value) in words."""

    line: int
    key: str
    fields: tuple[str, ...]
    values: tuple[tuple[str, str, str], ...] = field(default=(), compare=False)

    def describe(self) -> str:
        return " ; ".join(f"{header} : {old} → {new}" for header, old, new in self.values)


@dataclass(frozen=True)
class Preview:
    """What a commit would do, against the current version."""

    table: str
    version: int
    new: int
    updated: int
    unchanged: int
    rejected: int
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class ImportResult:
    table: str
    version: int
    previous_version: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int

    @property
    def changed(self) -> bool:
        return self.version != self.previous_version


class FileRefused(ValueError):
    """The file cannot be read at all; the message says why, in French."""


# ---------------------------------------------------------------------------
# Reading


def read_file(name: str, data: bytes) -> Parsed:
    """The cells of a CSV or XLSX file. Raises `FileRefused` with a French message."""
    limits = settings()
    if not data or not data.strip():
        raise FileRefused("le fichier est vide")
    if len(data) > limits.max_upload_mb * 1024 * 1024:
        raise FileRefused(
            f"le fichier pèse {i18n.number(len(data) / 1024 / 1024, 1)} Mo ; "
            f"au plus {i18n.number(limits.max_upload_mb)} Mo sont acceptés : découpez-le en plusieurs fichiers"
        )
    if data.startswith(_OLE_MAGIC):
        raise FileRefused("ancien format Excel (.xls) : enregistrez le fichier au format .xlsx ou CSV")
    if data.startswith(_XLSX_MAGIC) or name.lower().endswith((".xlsx", ".xlsm")):
        cells, encoding, separator = _xlsx_cells(data), None, None
    else:
        text, encoding = _decode(data)
        cells, separator = _csv_cells(text)
    digest = hashlib.sha256(data).hexdigest()
    return _frame(name, digest, len(data), cells, encoding, separator, limits.max_upload_rows)


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _text_only(data.decode(encoding)), encoding
            except UnicodeDecodeError:
                raise FileRefused(f"le fichier annonce l'encodage {encoding} mais ne le respecte pas") from None
    if b"\x00" in data[:4096]:
        raise FileRefused("ce fichier n'est ni un CSV ni un classeur Excel (.xlsx) : contenu binaire")
    try:
        return _text_only(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    # French Excel writes Windows-1252; Latin-1 decodes any byte. charset-normalizer
    # arbitrates only when the text is not plausible in either.
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return _text_only(text), encoding
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise FileRefused("encodage illisible : enregistrez le fichier en CSV UTF-8")
    return _text_only(str(best)), best.encoding


def _plausible(text: str) -> bool:
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\r\n")
    return controls <= len(text[:20000]) / 1000


def _text_only(text: str) -> str:
    if "\x00" in text or not _plausible(text):
        raise FileRefused("ce fichier n'est ni un CSV ni un classeur Excel (.xlsx) : contenu binaire")
    return text


def _is_comment(line: str) -> bool:
    return line.lstrip().lstrip('"').startswith("#")


def _csv_cells(text: str) -> tuple[list[tuple[int, list[Cell]]], str]:
    lines = text.splitlines()
    header = next((line for line in lines if line.strip() and not _is_comment(line)), "")
    counts = {sep: header.count(sep) for sep in _SEPARATORS}
    separator = max(_SEPARATORS, key=lambda sep: counts[sep]) if any(counts.values()) else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    try:
        records: list[list[Cell]] = list(reader)  # type: ignore[arg-type]
    except csv.Error:
        records = []
    if records and reader.line_num == len(records):
        # no cell spans several lines: record i is on line i + 1
        return list(enumerate(records, start=1)), separator
    # a quoted cell holds a line break, or the file is malformed: count lines record by record
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    cells: list[tuple[int, list[Cell]]] = []
    line = 1
    try:
        for record in reader:
            cells.append((line, record))
            line = reader.line_num + 1
    except csv.Error as error:
        raise FileRefused(
            f"ligne {line} : fichier CSV mal formé ou tronqué ({error}) ; vérifiez les guillemets de cette ligne"
        ) from None
    return cells, separator


def _xlsx_cells(data: bytes) -> list[tuple[int, list[Cell]]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise FileRefused(
            f"classeur Excel illisible ou tronqué ({type(error).__name__}) : "
            "ouvrez-le et enregistrez-le à nouveau en .xlsx"
        ) from None
    try:
        if not workbook.worksheets:
            raise FileRefused("le classeur ne contient aucune feuille")
        sheet = workbook.worksheets[0]
        return [(number, list(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise FileRefused(
            f"classeur Excel illisible ou tronqué ({type(error).__name__}) : "
            "ouvrez-le et enregistrez-le à nouveau en .xlsx"
        ) from None
    finally:
        workbook.close()


def _filled(row: Sequence[Cell]) -> bool:
    return any(cell is not None and cell != "" and not (isinstance(cell, str) and cell.isspace()) for cell in row)


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _frame(
    name: str,
    digest: str,
    size: int,
    cells: list[tuple[int, list[Cell]]],
    encoding: str | None,
    separator: str | None,
    max_rows: int,
) -> Parsed:
    filled = [(line, row) for line, row in cells if _filled(row)]
    candidates = []
    for line, row in filled:
        if not (isinstance(row[0], str) and _is_comment(row[0])):
            candidates.append((line, row))
            if len(candidates) == 20:
                break
    if not candidates:
        raise FileRefused("le fichier ne contient aucune ligne de données")
    header_index = 0
    for index, (_, row) in enumerate(candidates[:20]):
        if sum(_match_header(str(c)) is not None for c in row if not _blank(c)) >= 2:
            header_index = index
            break
    header_line, header_row = candidates[header_index]
    headers = [str(c).strip() if not _blank(c) else "" for c in header_row]
    while headers and not headers[-1]:
        headers.pop()
    body = [(line, row) for line, row in filled if line > header_line]
    if len(body) > max_rows:
        raise FileRefused(
            f"le fichier compte {i18n.number(len(body))} lignes ; au plus {i18n.number(max_rows)} sont acceptées "
            "par import : découpez-le en plusieurs fichiers"
        )
    return Parsed(
        name=name,
        sha256=digest,
        size=size,
        header_line=header_line,
        headers=tuple(headers),
        cells_per_row=len(header_row),
        rows=[tuple(row) for _, row in body],
        lines=[line for line, _ in body],
        encoding=encoding,
        separator=separator,
    )


# ---------------------------------------------------------------------------
# Headers and tables


def _header_key(text: str) -> str:
    return " ".join(word for word in fold(text).split() if word not in _STOP_WORDS)


def _header_lookup() -> dict[str, dict[str, str]]:
    lookup: dict[str, dict[str, str]] = {}
    for spec in TABLES.values():
        names: dict[str, str] = {}
        for column in spec.columns:
            for text in (column.header_fr, column.name, column.english_header, column.name.removesuffix("_iso3")):
                if text:
                    names[_header_key(text)] = column.name
        lookup[spec.name] = names
    return lookup


_HEADERS = _header_lookup()


def _match_header(text: str, table: str | None = None) -> str | None:
    key = _header_key(text)
    for name, names in _HEADERS.items():
        if table in (None, name) and key in names:
            return names[key]
    return None


def guess_table(headers: Sequence[str]) -> str:
    """The table whose columns the headers name most (actions on a tie)."""
    keys = [_header_key(h) for h in headers if h]
    scores = {name: sum(k in names for k in keys) for name, names in _HEADERS.items()}
    return max(scores, key=lambda name: (scores[name], name == "actions"))


# ---------------------------------------------------------------------------
# Cell conversion: each returns (value, None) or (None or the raw text, French message)


def _text(cell: Cell) -> str | None:
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
    return _text(cell), None


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
    text = _text(cell)
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
        text = _text(cell)
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
    text = _text(cell)
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
        text = _text(cell)
        # an unknown value stays as written: the contract check names the allowed values
        return (codes.get(fold(text), text) if text is not None else None), None

    return convert


def _split(cell: Cell) -> list[str]:
    text = _text(cell)
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
    text = _text(cell)
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


def _convert_column(cells: Sequence[Cell], column: Column) -> tuple[pa.Array, list[tuple[int, Cell, str]]]:
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


# ---------------------------------------------------------------------------
# Validation


def validate(parsed: Parsed, table: str | None = None) -> Report:
    """Type every cell and check the contract; every problem is gathered, none raised."""
    name = table or guess_table(parsed.headers)
    spec = TABLES[name]
    header_line = parsed.header_line
    problems: list[Problem] = []

    positions: dict[str, int] = {}
    for position, header in enumerate(parsed.headers):
        if not header:
            if any(not _blank(row[position]) for row in parsed.rows if position < len(row)):
                problems.append(
                    Problem(
                        header_line,
                        f"n° {position + 1}",
                        None,
                        "colonne sans en-tête : ses valeurs sont ignorées",
                        "warning",
                    )
                )
            continue
        column = _match_header(header, name)
        if column is None:
            problems.append(
                Problem(
                    header_line,
                    header,
                    None,
                    "colonne inconnue, ignorée ; colonnes attendues : " + ", ".join(c.header_fr for c in spec.columns),
                    "warning",
                )
            )
        elif column in positions:
            problems.append(
                Problem(
                    header_line,
                    header,
                    None,
                    f"la colonne {spec.column(column).header_fr} figure deux fois ; gardez-en une seule",
                )
            )
        else:
            positions[column] = position
    missing = [c for c in spec.columns if c.required and c.name not in positions]
    for column in missing:
        problems.append(
            Problem(header_line, column.header_fr, None, f"colonne obligatoire absente ({column.type_label})")
        )

    width = len(parsed.headers)
    shifted: set[int] = set()
    lengths = Counter(len(row) for row in parsed.rows)
    usual = max(parsed.cells_per_row, lengths.most_common(1)[0][0] if lengths else 0)
    for row, line in zip(parsed.rows, parsed.lines, strict=True):
        extra = [c for c in row[width:] if not _blank(c)]
        if extra or (parsed.separator is not None and len(row) > usual):
            # A separator inside a cell shifts every cell after it: say so once, not per cell.
            shifted.add(line)
            problems.append(
                Problem(
                    line,
                    None,
                    None,
                    f"la ligne compte {len(row)} cellules pour {usual} colonnes : une valeur contient "
                    f"sans doute le séparateur « {_separator_name(parsed.separator)} » ; mettez-la entre guillemets "
                    "ou séparez les éléments d'une liste par |",
                )
            )

    arrays: dict[str, pa.Array] = {}
    parse_problems: set[tuple[int, str]] = set()
    count = len(parsed.rows)
    padded = [row if len(row) >= width else row + (None,) * (width - len(row)) for row in parsed.rows]
    by_column = list(zip(*padded, strict=False)) if padded else [()] * width
    for column in spec.columns:
        position = positions.get(column.name)
        if position is None:
            arrays[column.name] = pa.nulls(count, column.arrow_type)
            continue
        cells = by_column[position]
        arrays[column.name], bad = _convert_column(cells, column)
        for index, cell, message in bad:
            line = parsed.lines[index]
            problems.append(Problem(line, column.header_fr, _text(cell), message))
            parse_problems.add((index, column.header_fr))
    schema = pa.schema([pa.field(c.name, c.arrow_type) for c in spec.columns])
    rows = pa.Table.from_arrays([arrays[c.name] for c in spec.columns], schema=schema)

    missing_headers = {c.header_fr for c in missing}
    for problem in check_table(rows, spec, first_row=0):
        if problem.column in missing_headers or (problem.row, problem.column) in parse_problems:
            continue
        if problem.message.startswith(("la date de fin précède", "identifiant en double")):
            continue  # checked below, with the file's own line numbers
        problems.append(
            dataclasses.replace(problem, row=parsed.lines[problem.row] if problem.row is not None else None)
        )
    problems.extend(_date_order(rows, spec, parsed.lines))
    problems.extend(_duplicates(rows, spec, parsed.lines))
    problems = [p for p in problems if p.row not in shifted or p.column is None]
    problems.sort(key=lambda p: (p.row if p.row is not None else -1, p.severity != "error", p.column or ""))
    return Report(
        name=parsed.name,
        sha256=parsed.sha256,
        table=name,
        rows=rows,
        lines=list(parsed.lines),
        problems=problems,
        encoding=parsed.encoding,
        separator=parsed.separator,
    )


def _separator_name(separator: str | None) -> str:
    return {"\t": "tabulation", None: "aucun"}.get(separator, separator or "")


def _date_order(rows: pa.Table, spec: TableSpec, lines: list[int]) -> list[Problem]:
    start, end = rows.column("start_date"), rows.column("end_date")
    late = pc.indices_nonzero(pc.fill_null(pc.less(end, start), False)).to_pylist()
    header = spec.column("end_date").header_fr
    return [
        Problem(
            lines[i],
            header,
            end[i].as_py().strftime("%d/%m/%Y"),
            f"la date de fin précède la date de début ({start[i].as_py().strftime('%d/%m/%Y')})",
        )
        for i in late
    ]


def _duplicates(rows: pa.Table, spec: TableSpec, lines: list[int]) -> list[Problem]:
    first_seen: dict[str, int] = {}
    problems = []
    header = spec.column(spec.key).header_fr
    for index, key in enumerate(rows.column(spec.key).to_pylist()):
        if key is None:
            continue
        if key in first_seen:
            problems.append(
                Problem(
                    lines[index],
                    header,
                    key,
                    f"identifiant en double (déjà présent ligne {first_seen[key]}) ; "
                    "chaque identifiant doit être unique",
                )
            )
        else:
            first_seen[key] = lines[index]
    return problems


def refused(name: str, data: bytes, reason: str) -> Report:
    """The report of a file that could not be read."""
    return Report(
        name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        table=None,
        rows=pa.table({}),
        lines=[],
        problems=[Problem(None, None, None, f"fichier refusé : {reason}")],
    )


def analyse(name: str, data: bytes, table: str | None = None) -> Report:
    """Read and validate a file; never raises for a bad file."""
    try:
        parsed = read_file(name, data)
    except FileRefused as refusal:
        return refused(name, data, str(refusal))
    return validate(parsed, table)


# ---------------------------------------------------------------------------
# Preview and commit


def _importable(report: Report, valid_only: bool) -> pa.Table:
    if report.table is None or report.file_errors:
        raise ContractError(report.problems)
    if report.errors and not valid_only:
        raise ContractError(report.problems)
    return report.valid_rows()


# The preview spells out old and new values for this many updated rows; beyond, it names the fields.
DETAILED_CHANGES = 1000


def shown(value: object, column: Column) -> str:
    """A stored value in words, as the preview shows it: 12/03/2024, oui, a | b, « texte », (vide)."""
    if value is None or value == []:
        return "(vide)"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return " | ".join(str(v) for v in value)
    if isinstance(value, int):
        return i18n.number(value)
    return f"« {value} »"


def preview(report: Report, store: Store, *, valid_only: bool = True) -> Preview:
    """New, updated (with the changing fields) and unchanged rows, and the rows rejected."""
    if report.table is None:
        raise ContractError(report.problems)
    spec = TABLES[report.table]
    rejected = len(report.rejected_lines)
    rows = report.valid_rows() if not report.file_errors else spec.empty()
    version = store.version(report.table)
    if rows.num_rows == 0:
        return Preview(report.table, version, 0, 0, 0, rejected, ())
    diff = store.diff(report.table, rows)
    status = diff.column("status").to_pylist()
    valid_lines = [line for line, ok in zip(report.lines, report.valid_mask().to_pylist(), strict=True) if ok]
    updated = [i for i, state in enumerate(status) if state == "updated"]
    keys, changed = diff.column("key").to_pylist(), diff.column("changed").to_pylist()
    columns = {c.name: c for c in spec.columns}
    detailed = set(updated[:DETAILED_CHANGES])
    changes = []
    for i in updated:
        names = changed[i]
        values: tuple[tuple[str, str, str], ...] = ()
        if i in detailed:
            before, after = diff.column("before")[i].as_py(), rows.slice(i, 1).to_pylist()[0]
            values = tuple(
                (columns[n].header_fr, shown(before[n], columns[n]), shown(after[n], columns[n])) for n in names
            )
        changes.append(Change(valid_lines[i], keys[i], tuple(columns[n].header_fr for n in names), values))
    return Preview(
        report.table,
        version,
        new=status.count("new"),
        updated=status.count("updated"),
        unchanged=status.count("unchanged"),
        rejected=rejected,
        changes=tuple(changes),
    )


def commit(
    report: Report,
    store: Store,
    *,
    user: str,
    valid_only: bool = False,
    now: dt.datetime | None = None,
) -> ImportResult:
    """Merge the file's rows by key in one atomic commit, with who, what and when.

    Raises `ContractError` when the file has errors (unless `valid_only`) and
    writes nothing then. A file already imported makes no new version.
    """
    rows = _importable(report, valid_only)
    assert report.table is not None
    if rows.num_rows == 0:
        raise ContractError([*report.problems, Problem(None, None, None, "aucune ligne valide à importer")])
    previous = store.version(report.table)
    moment = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    metadata = {
        "operation": "import",
        "user": user,
        "file": report.name,
        "sha256": report.sha256,
        "rows": str(rows.num_rows),
        "rejected": str(len(report.rejected_lines)),
        "time": moment,
    }
    result: MergeResult = store.merge(report.table, rows, metadata=metadata)
    return ImportResult(
        report.table,
        result.version,
        previous,
        result.inserted,
        result.updated,
        result.unchanged,
        len(report.rejected_lines),
    )


def import_bytes(
    name: str,
    data: bytes,
    store: Store,
    user: str,
    *,
    table: str | None = None,
    valid_only: bool = False,
) -> tuple[Report, ImportResult]:
    """Validate and commit a file in one call (the path the benchmarks time)."""
    report = analyse(name, data, table)
    return report, commit(report, store, user=user, valid_only=valid_only)


def problems_rows(problems: Sequence[Problem]) -> list[dict[str, object]]:
    """Problems as table rows for a page: line, column, value, problem, severity."""
    return [
        {
            "Ligne": p.row,
            "Colonne": p.column or "",
            "Valeur": "" if p.value is None else str(p.value),
            "Problème": p.message,
            "Gravité": "erreur" if p.severity == "error" else "avertissement",
        }
        for p in problems
    ]


def restore_version(store: Store, table: str, version: int, *, user: str, now: dt.datetime | None = None) -> int:
    """Make `version` of `table` current again, recorded as a new version with who and from where."""
    moment = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    metadata = {"operation": "restauration", "user": user, "restored_from": str(version), "time": moment}
    return store.restore(table, version, metadata=metadata)


def _operation(commit: Commit) -> str:
    meta = commit.metadata
    if commit.operation == "RESTORE":
        source = meta.get("restored_from")
        return f"Restauration de la version {source}" if source else "Restauration"
    if commit.operation == "MERGE":
        return "Import" if meta.get("operation") == "import" else "Fusion"
    if commit.operation in ("WRITE", "CREATE TABLE"):
        source = meta.get("source")
        return f"Création ({source})" if source else "Écriture"
    return commit.operation.capitalize()


def _metric(metrics: dict[str, object], *names: str) -> int | None:
    for name in names:
        if metrics.get(name) is not None:
            return int(metrics[name])  # type: ignore[call-overload]
    return None


def _when(commit: Commit) -> str:
    local = commit.timestamp.astimezone(ZoneInfo("Europe/Paris"))
    return f"{i18n.date(local.date())} {local:%H:%M}"


def _count(value: int | None) -> str:
    return "—" if value is None else i18n.number(value)


def version_label(commit: Commit) -> str:
    """`Version 3 · 21 nov. 2026 15:42 · Import (extraction.csv)`, for a version picker."""
    file = commit.metadata.get("file")
    return f"Version {commit.version} · {_when(commit)} · {_operation(commit)}" + (f" ({file})" if file else "")


def history_rows(commits: Sequence[Commit]) -> list[dict[str, object]]:
    """The versions of a table as a page shows them, newest first, with what each changed."""
    rows = []
    for commit in commits:
        meta = commit.metadata
        rejected = str(meta.get("rejected", ""))
        rows.append(
            {
                "Version": commit.version,
                "Date (Paris)": _when(commit),
                "Opération": _operation(commit),
                "Utilisateur": meta.get("user", ""),
                "Fichier": meta.get("file", ""),
                "Ajoutées": _count(_metric(commit.metrics, "num_target_rows_inserted", "num_added_rows")),
                "Modifiées": _count(_metric(commit.metrics, "num_target_rows_updated")),
                "Rejetées": _count(int(rejected) if rejected.isdigit() else None),
                "Empreinte SHA-256": str(meta.get("sha256", ""))[:16],
            }
        )
    return rows


# ---------------------------------------------------------------------------
# Command line


def _summary(report: Report) -> list[str]:
    table = TABLES[report.table].title_fr if report.table else "table inconnue"
    return [
        f"{report.name} : {i18n.number(len(report.lines))} ligne(s) lue(s), table « {table} »",
        f"{i18n.number(len(report.errors))} erreur(s), {i18n.number(len(report.warnings))} avertissement(s), "
        f"{i18n.number(len(report.rejected_lines))} ligne(s) rejetée(s)",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.ingest",
        description="Valide et importe un fichier CSV ou Excel d'actions ou de rencontres.",
    )
    parser.add_argument("file", type=Path, help="fichier CSV ou XLSX")
    parser.add_argument("--table", choices=sorted(TABLES), help="table visée (sinon déduite des en-têtes)")
    parser.add_argument("--store", help="racine du magasin de données (sinon PMO_STORE ou data/store)")
    parser.add_argument("--user", default="import-automatique", help="nom enregistré dans l'historique")
    parser.add_argument("--valid-only", action="store_true", help="importer les lignes valides, rejeter les autres")
    parser.add_argument("--dry-run", action="store_true", help="valider et prévoir sans rien écrire")
    args = parser.parse_args(argv)

    from dashboard.store import open_store

    try:
        data = args.file.read_bytes()
    except OSError as error:
        print(f"fichier illisible : {args.file} ({error.strerror})", file=sys.stderr)
        return 2
    report = analyse(args.file.name, data, args.table)
    for problem in report.problems:
        tag = "ERREUR" if problem.severity == "error" else "attention"
        print(f"{tag} : {problem}")
    for line in _summary(report):
        print(line)
    if report.table is None or report.file_errors or (report.errors and not args.valid_only):
        print("Rien n'a été importé : corrigez le fichier ou utilisez --valid-only.")
        return 1
    store = open_store(args.store)
    forecast = preview(report, store)
    print(
        f"Prévision : {i18n.number(forecast.new)} nouvelle(s), {i18n.number(forecast.updated)} modifiée(s), "
        f"{i18n.number(forecast.unchanged)} inchangée(s), {i18n.number(forecast.rejected)} rejetée(s)"
    )
    if args.dry_run:
        print("Essai à blanc : rien n'a été écrit.")
        return 1 if report.errors else 0
    try:
        result = commit(report, store, user=args.user, valid_only=args.valid_only)
    except ContractError as error:
        print(str(error), file=sys.stderr)
        return 1
    if result.changed:
        print(
            f"Version {result.version} de « {result.table} » enregistrée : {i18n.number(result.inserted)} ajoutée(s), "
            f"{i18n.number(result.updated)} modifiée(s)."
        )
    else:
        print("Aucun changement : ces données sont déjà dans la version en vigueur.")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
