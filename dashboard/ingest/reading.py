"""Reading a CSV or XLSX file into cells: encoding, separator, the header line, the limits."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from dashboard import i18n
from dashboard.ingest.headers import match_header
from dashboard.settings import settings

Cell = str | int | float | bool | dt.date | dt.datetime | None

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
_SEPARATORS = (";", "\t", ",")


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


class FileRefused(ValueError):
    """The file cannot be read at all; the message says why, in French."""


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


def is_comment(line: str) -> bool:
    return line.lstrip().lstrip('"').startswith("#")


def _csv_cells(text: str) -> tuple[list[tuple[int, list[Cell]]], str]:
    lines = text.splitlines()
    header = next((line for line in lines if line.strip() and not is_comment(line)), "")
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


def blank(cell: Cell) -> bool:
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
        if not (isinstance(row[0], str) and is_comment(row[0])):
            candidates.append((line, row))
            if len(candidates) == 20:
                break
    if not candidates:
        raise FileRefused("le fichier ne contient aucune ligne de données")
    header_index = 0
    for index, (_, row) in enumerate(candidates[:20]):
        if sum(match_header(str(c)) is not None for c in row if not blank(c)) >= 2:
            header_index = index
            break
    header_line, header_row = candidates[header_index]
    headers = [str(c).strip() if not blank(c) else "" for c in header_row]
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
