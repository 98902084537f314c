"""Reading a CSV or XLSX file into cells: encoding, separator, the header line, the limits."""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass

from dashboard import i18n
from dashboard.i18n import _
from dashboard.ingest import xlsx
from dashboard.ingest.headers import match_header
from dashboard.settings import settings

Cell = str | int | float | bool | dt.date | dt.datetime | None

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
_SEPARATORS = (";", "\t", ",")
# A workbook may unpack to this many times the largest upload allowed (sheet XML is verbose).
UNPACKED_PER_UPLOADED = 10


@dataclass(frozen=True)
class Parsed:
    """The cells of a file, before any typing. `lines[i]` is the file line of `rows[i]`."""

    name: str
    sha256: str
    size: int
    header_line: int
    headers: tuple[str, ...]
    rows: list[list[Cell]]
    lines: list[int]
    encoding: str | None = None
    separator: str | None = None
    cells_per_row: int = 0  # cells of the header row, blank ones included
    above: tuple[int, ...] = ()  # filled lines above the header (titles, metadata), comments aside
    sheet: str | None = None  # the sheet read, in a workbook
    sheets: tuple[str, ...] = ()  # every sheet of the workbook


class FileRefused(ValueError):
    """The file cannot be read at all; the message says why, in the language of the run."""


# The header is looked for among the first filled lines (titles and metadata may stand above it).
HEADER_SEARCH = 20
MB = 1024 * 1024


def read_file(name: str, data: bytes, table: str | None = None) -> Parsed:
    """The cells of a CSV or XLSX file, limits applied while reading. Raises `FileRefused`, in the run's language.

    `table` names the table looked for when a workbook has several sheets.
    """
    limits = settings()
    if not data or data.isspace():  # isspace, unlike strip, copies nothing
        raise FileRefused(_("le fichier est vide"))
    if len(data) > limits.max_upload_mb * MB:
        raise FileRefused(
            _("le fichier pèse {size} Mo ; au plus {most} Mo sont acceptés : découpez-le en plusieurs fichiers").format(
                size=i18n.number(len(data) / MB, 1), most=i18n.number(limits.max_upload_mb)
            )
        )
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise FileRefused(_("le classeur est protégé par un mot de passe : enregistrez-le sans mot de passe"))
        raise FileRefused(_("ancien format Excel (.xls) : enregistrez le fichier au format .xlsx ou CSV"))
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(_XLSX_MAGIC) or name.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(name, digest, data, table)
    encoding = _encoding(data)
    cells, separator = _csv_cells(data, encoding)
    return _frame(name, digest, len(data), cells, encoding, separator)


def _too_many_rows(count: int, max_rows: int, *, more: bool = False) -> FileRefused:
    return FileRefused(
        (
            _(
                "le fichier compte plus de {count} lignes ; au plus {most} sont acceptées par import : "
                "découpez-le en plusieurs fichiers"
            )
            if more
            else _(
                "le fichier compte {count} lignes ; au plus {most} sont acceptées par import : "
                "découpez-le en plusieurs fichiers"
            )
        ).format(count=i18n.number(count), most=i18n.number(max_rows))
    )


def _read_xlsx(name: str, digest: str, data: bytes, table: str | None) -> Parsed:
    limits = settings()
    bounds = xlsx.Limits(
        max_cell_chars=limits.max_cell_chars,
        max_columns=limits.max_upload_columns,
        max_unpacked_bytes=UNPACKED_PER_UPLOADED * limits.max_upload_mb * MB,
    )
    # Rows read at most: the data rows allowed, the header and the lines that may stand above it.
    most = limits.max_upload_rows + HEADER_SEARCH + 1
    try:
        book = xlsx.Workbook(data, bounds)
        try:
            sheet = _table_sheet(book, table)
            cells: list[tuple[int, list[Cell]]] = []
            for row in book.rows(sheet):
                cells.append(row)  # type: ignore[arg-type]
                if len(cells) > most:
                    raise _too_many_rows(limits.max_upload_rows, limits.max_upload_rows, more=True)
        finally:
            book.close()
    except xlsx.XlsxRefused as refusal:
        raise FileRefused(str(refusal)) from None
    parsed = _frame(name, digest, len(data), cells, None, None)
    return dataclasses.replace(parsed, sheet=sheet.name, sheets=tuple(s.name for s in book.sheets))


def _header_score(row: Sequence[Cell], table: str | None) -> int:
    return sum(match_header(str(c), table) is not None for c in row if not blank(c))


def _table_sheet(book: xlsx.Workbook, table: str | None) -> xlsx.Sheet:
    """The sheet whose first lines hold the most headers of the table; the only one if there is one."""
    if len(book.sheets) == 1:
        return book.sheets[0]
    scores = []
    for sheet in book.sheets:
        rows = book.rows(sheet)
        try:
            first = [row for _, (_, row) in zip(range(HEADER_SEARCH), rows, strict=False)]
        finally:
            rows.close()
        scores.append(max((_header_score(row, table) for row in first), default=0))
    best = max(range(len(scores)), key=lambda i: scores[i])
    if scores[best] < 2:
        names = ", ".join(f"« {s.name} »" for s in book.sheets)
        raise FileRefused(
            _(
                "aucune feuille du classeur ne porte les en-têtes attendus (identifiant, intitulé, date_début…) ; "
                "feuilles trouvées : {names}. Placez le tableau dans une feuille avec ses en-têtes en première ligne"
            ).format(names=names)
        )
    return book.sheets[best]


def _encoding(data: bytes) -> str:
    """The encoding of a text file, checked over the whole file without keeping its text."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            if not _decodes(data, encoding):
                raise FileRefused(
                    _("le fichier annonce l'encodage {encoding} mais ne le respecte pas").format(encoding=encoding)
                )
            _text_only(data[:_SAMPLE].decode(encoding, errors="ignore"))
            return encoding
    if b"\x00" in data[:4096]:
        raise FileRefused(_("ce fichier n'est ni un CSV ni un classeur Excel (.xlsx) : contenu binaire"))
    # French office suites write Windows-1252; Latin-1 decodes any byte. charset-normalizer
    # arbitrates only when the text is not plausible in any of them.
    for encoding in ("utf-8", "cp1252", "latin-1"):
        if _decodes(data, encoding) and _plausible(data[:_SAMPLE].decode(encoding, errors="ignore")):
            _text_only(data[:_SAMPLE].decode(encoding, errors="ignore"))
            return encoding
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise FileRefused(_("encodage illisible : enregistrez le fichier en CSV UTF-8"))
    _text_only(str(best)[:_SAMPLE])
    return best.encoding


_SAMPLE = 64 * 1024


def _decodes(data: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for start in range(0, len(data), MB):
            decoder.decode(data[start : start + MB])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _plausible(text: str) -> bool:
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\r\n")
    # A binary file has control characters every few bytes; a text may hold a few (a stray escape).
    return controls <= len(text[:20000]) / 100


def _text_only(text: str) -> str:
    if "\x00" in text or not _plausible(text):
        raise FileRefused(_("ce fichier n'est ni un CSV ni un classeur Excel (.xlsx) : contenu binaire"))
    return text


def is_comment(line: str) -> bool:
    return line.lstrip().lstrip('"').startswith("#")


def _text_stream(data: bytes, encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")


def _separator(sample: str) -> str:
    """The separator under which a line of the sample names the most columns; else the most frequent one."""
    lines = sample.splitlines()[: HEADER_SEARCH + 10]
    scores = {}
    for sep in _SEPARATORS:
        try:
            rows = list(csv.reader(lines, delimiter=sep))
        except csv.Error:
            rows = []
        scores[sep] = max((_header_score(row, None) for row in rows), default=0)
    if max(scores.values()) >= 2:
        return max(_SEPARATORS, key=lambda sep: scores[sep])
    header = next((line for line in lines if line.strip() and not is_comment(line)), "")
    counts = {sep: header.count(sep) for sep in _SEPARATORS}
    return max(_SEPARATORS, key=lambda sep: counts[sep]) if any(counts.values()) else ";"


def _csv_cells(data: bytes, encoding: str) -> tuple[list[tuple[int, list[Cell]]], str]:
    """The filled records with their first line, read as a stream: the limits stop the reading at once."""
    limits = settings()
    _check_line_lengths(data, limits.max_upload_columns * (limits.max_cell_chars + 3) * 4)
    separator = _separator(_text_stream(data, encoding).read(_SAMPLE))
    # Process-wide, but only the import reads CSV; every reading sets the same value.
    csv.field_size_limit(limits.max_cell_chars)
    most = limits.max_upload_rows + HEADER_SEARCH + 1
    reader = csv.reader(_text_stream(data, encoding), delimiter=separator, strict=True)
    cells: list[tuple[int, list[Cell]]] = []
    line = 1
    try:
        for record in reader:
            # Every cell of a CSV record is text: joined, they are blank only if each one is.
            if "".join(record).strip():
                width = _width(record) if len(record) > limits.max_upload_columns else 0
                if width > limits.max_upload_columns:
                    raise FileRefused(
                        _(
                            "ligne {line} : {width} colonnes ; au plus {most} colonnes sont lues : "
                            "supprimez les colonnes en trop"
                        ).format(line=line, width=i18n.number(width), most=i18n.number(limits.max_upload_columns))
                    )
                cells.append((line, record))  # type: ignore[arg-type]
                if len(cells) > most:
                    raise _too_many_rows(limits.max_upload_rows, limits.max_upload_rows, more=True)
            line = reader.line_num + 1
    except csv.Error as error:
        # The csv module says so in these words when a cell passes field_size_limit.
        if "field larger than field limit" in str(error):
            raise FileRefused(
                _(
                    "ligne {line} : une cellule dépasse {most} caractères, la longueur maximale : raccourcissez-la "
                    "(ou vérifiez qu'un guillemet n'est pas resté ouvert)"
                ).format(line=line, most=i18n.number(limits.max_cell_chars))
            ) from None
        raise FileRefused(
            _(
                "ligne {line} : fichier CSV mal formé ou tronqué ({error}) ; vérifiez les guillemets de cette ligne"
            ).format(line=line, error=error)
        ) from None
    return cells, separator


def _marking(row: Sequence[Cell]) -> bool:
    """The classification marking our own exports write above the header."""
    return [str(c).strip() for c in row if not blank(c)] == [settings().marking]


def _check_line_lengths(data: bytes, most: int) -> None:
    """Refuse a line longer than `most` bytes before decoding it: the text layer would build it whole
    (a 45 MB one-line cell costs 90 MB) before the CSV reader could apply the cell limit."""
    start, line = 0, 1
    while True:
        end = data.find(b"\n", start)
        if (len(data) if end < 0 else end) - start > most:
            limits = settings()
            raise FileRefused(
                _(
                    "ligne {line} : plus de {size} Mo sur une seule ligne ; une cellule dépasse sans doute {most} "
                    "caractères, la longueur maximale : raccourcissez-la (ou vérifiez qu'un guillemet n'est pas "
                    "resté ouvert)"
                ).format(line=line, size=i18n.number(most / MB, 0), most=i18n.number(limits.max_cell_chars))
            )
        if end < 0:
            return
        start, line = end + 1, line + 1


def _width(record: Sequence[str]) -> int:
    """Cells up to the last one holding a value: spreadsheets leave empty ones after it."""
    width = len(record)
    while width and not record[width - 1].strip():
        width -= 1
    return width


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
) -> Parsed:
    max_rows = settings().max_upload_rows
    filled = cells if separator is not None else [(line, row) for line, row in cells if _filled(row)]
    candidates = []
    for line, row in filled:
        if not (isinstance(row[0], str) and is_comment(row[0])):
            candidates.append((line, row))
            if len(candidates) == HEADER_SEARCH:
                break
    if not candidates:
        raise FileRefused(_("le fichier ne contient aucune ligne de données"))
    # The line naming the most columns is the header; title lines above it name one at most.
    scores = [_header_score(row, None) for _, row in candidates]
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    header_index = best if scores[best] >= 2 else 0
    header_line, header_row = candidates[header_index]
    headers = [str(c).strip() if not blank(c) else "" for c in header_row]
    while headers and not headers[-1]:
        headers.pop()
    body = [(line, row) for line, row in filled if line > header_line]
    if len(body) > max_rows:
        raise _too_many_rows(len(body), max_rows)
    return Parsed(
        name=name,
        sha256=digest,
        size=size,
        header_line=header_line,
        headers=tuple(headers),
        cells_per_row=len(header_row),
        rows=[row for _, row in body],
        lines=[line for line, _ in body],
        encoding=encoding,
        separator=separator,
        above=tuple(line for line, row in candidates[:header_index] if not _marking(row)),
    )
