"""A streaming reader of .xlsx workbooks that checks its limits before and while parsing.

Before any XML is parsed, the archive's directory is checked: number of
entries, the size each entry declares once unpacked, their total, and the
compression ratio (an archive bomb packs hundreds of megabytes of repeated XML
into one). Python's zipfile never unpacks more than an entry declares, so
these checks bound what is read. While parsing (expat, fed in small chunks),
a text longer than the cell limit, a value beyond the last allowed column and
rows beyond the row limit stop the reading at once. A DTD is refused: an
Office Open XML part never has one, and entity tricks need one.

Cells come out as Python values: str, int, float, bool, datetime (numbers
formatted as dates, in the workbook's 1900 or 1904 system) or None.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from dashboard import i18n
from dashboard.i18n import _

MB = 1024 * 1024
MAX_ENTRIES = 10_000
# Office suites compress sheet XML 5 to 30 times; an archive bomb, hundreds of times.
MAX_RATIO = 100
RATIO_FROM = 1 * MB  # small parts (styles, themes) may compress better: judged from this size
_CHUNK = 64 * 1024
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d*)$")
_BUILTIN_DATE_FORMATS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57}
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)

Value = str | int | float | bool | dt.datetime | None


class XlsxRefused(ValueError):
    """The workbook breaks a limit or cannot be read; the message says why, in the language of the run."""


@dataclass(frozen=True)
class Limits:
    max_cell_chars: int
    max_columns: int
    max_unpacked_bytes: int


@dataclass(frozen=True)
class Sheet:
    name: str
    path: str


def column_letters(index: int) -> str:
    """1 -> A, 28 -> AB."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


def _is_date_format(code: str) -> bool:
    """Whether a number format shows a date: a d or y outside quotes, brackets and escapes."""
    plain = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.', "", code.lower())
    return "d" in plain or "y" in plain


class Workbook:
    """An opened, checked archive. `sheets` in workbook order; `rows(sheet)` streams one sheet."""

    def __init__(self, data: bytes, limits: Limits):
        self.limits = limits
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            self._check_archive()
            self._names = set(self._zip.namelist())
            workbook_path = self._main_part()
            relations = self._relations(workbook_path)
            self.sheets, self._date1904 = self._workbook(workbook_path, relations)
            self._shared_path = self._related(relations, "/sharedStrings")
            self._styles_path = self._related(relations, "/styles")
        except XlsxRefused:
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError, ValueError) as error:
            raise XlsxRefused(_unreadable(error)) from None
        self._shared: list[str] | None = None
        self._date_styles: set[int] | None = None

    # --- the archive, before any parsing

    def _check_archive(self) -> None:
        entries = self._zip.infolist()
        if len(entries) > MAX_ENTRIES:
            raise XlsxRefused(
                _("le classeur contient {count} fichiers internes : ce n'est pas un classeur ordinaire").format(
                    count=i18n.number(len(entries))
                )
            )
        total = 0
        for entry in entries:
            if entry.flag_bits & 0x1:
                raise XlsxRefused(_("le classeur est chiffré : enregistrez-le sans mot de passe"))
            total += entry.file_size
            ratio = entry.file_size / max(entry.compress_size, 1)
            if entry.file_size > RATIO_FROM and ratio > MAX_RATIO:
                raise XlsxRefused(
                    _(
                        "la partie « {part} » se décompresse en {size} Mo pour {packed} Ko (taux {ratio} : 1, "
                        "au plus {most} : 1) : classeur piégé ou corrompu, refusé sans être lu"
                    ).format(
                        part=entry.filename,
                        size=i18n.number(entry.file_size / MB, 0),
                        packed=i18n.number(max(entry.compress_size, 1) / 1024, 0),
                        ratio=i18n.number(ratio, 0),
                        most=i18n.number(MAX_RATIO),
                    )
                )
        if total > self.limits.max_unpacked_bytes:
            raise XlsxRefused(
                _(
                    "le classeur se décompresse en {size} Mo ; au plus {most} Mo sont acceptés : "
                    "découpez-le en plusieurs fichiers"
                ).format(size=i18n.number(total / MB, 0), most=i18n.number(self.limits.max_unpacked_bytes / MB, 0))
            )

    # --- workbook structure

    def _parse(self, path: str, start: Callable, end: Callable | None = None, text: Callable | None = None) -> None:
        for _event in self._events(path, start, end, text):
            pass

    def _events(
        self, path: str, start: Callable, end: Callable | None = None, text: Callable | None = None
    ) -> Iterator[None]:
        """Parse one part in chunks; yields after each chunk so that a caller can take what is ready."""
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.buffer_size = _CHUNK
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

        def no_dtd(*_args: object) -> None:
            raise XlsxRefused(
                _("la partie « {part} » déclare un DTD, ce qu'aucun classeur ne fait : refusé").format(part=path)
            )

        parser.StartDoctypeDeclHandler = no_dtd
        parser.EntityDeclHandler = no_dtd
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
        if text is not None:
            parser.CharacterDataHandler = text
        try:
            with self._zip.open(path) as stream:
                while chunk := stream.read(_CHUNK):
                    parser.Parse(chunk, False)
                    yield
                parser.Parse(b"", True)
                yield
        except expat.ExpatError as error:
            raise XlsxRefused(
                _(
                    "classeur Excel mal formé : XML invalide dans « {part} » (ligne {line}, colonne {column}, "
                    "{error}) ; ouvrez-le dans votre tableur et enregistrez-le à nouveau en .xlsx"
                ).format(part=path, line=error.lineno, column=error.offset, error=expat.ErrorString(error.code))
            ) from None
        except (zipfile.BadZipFile, EOFError, OSError, KeyError) as error:
            raise XlsxRefused(_unreadable(error)) from None

    def _main_part(self) -> str:
        found: list[str] = []

        def start(name: str, attrs: dict[str, str]) -> None:
            if _local(name) == "Relationship" and attrs.get("Type", "").endswith("/officeDocument"):
                found.append(attrs.get("Target", "").lstrip("/"))

        if "_rels/.rels" in self._names:
            self._parse("_rels/.rels", start)
        path = found[0] if found else "xl/workbook.xml"
        if path not in self._names:
            raise XlsxRefused(
                _("ce fichier .xlsx ne contient pas de classeur : enregistrez-le à nouveau depuis votre tableur")
            )
        return path

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        relations: dict[str, tuple[str, str]] = {}

        def start(tag: str, attrs: dict[str, str]) -> None:
            if _local(tag) == "Relationship":
                target = attrs.get("Target", "")
                path = (
                    target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
                )
                relations[attrs.get("Id", "")] = (attrs.get("Type", ""), path)

        if rels in self._names:
            self._parse(rels, start)
        return relations

    @staticmethod
    def _related(relations: dict[str, tuple[str, str]], kind: str) -> str | None:
        return next((path for type_, path in relations.values() if type_.endswith(kind)), None)

    def _workbook(self, path: str, relations: dict[str, tuple[str, str]]) -> tuple[list[Sheet], bool]:
        sheets: list[Sheet] = []
        date1904 = [False]

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = _local(tag)
            if local == "sheet":
                rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
                target = relations.get(rid, ("", ""))[1]
                if target in self._names:
                    sheets.append(Sheet(attrs.get("name", target), target))
            elif local == "workbookPr":
                date1904[0] = attrs.get("date1904", "0").lower() in ("1", "true")

        self._parse(path, start)
        if not sheets:
            raise XlsxRefused(_("le classeur ne contient aucune feuille"))
        return sheets, date1904[0]

    def _shared_strings(self) -> list[str]:
        if self._shared is not None:
            return self._shared
        strings: list[str] = []
        if self._shared_path and self._shared_path in self._names:
            limit = self.limits.max_cell_chars
            parts: list[str] = []
            size = [0]
            state = {"t": False, "rph": 0}

            def start(tag: str, attrs: dict[str, str]) -> None:
                local = _local(tag)
                if local == "si":
                    parts.clear()
                    size[0] = 0
                elif local == "t":
                    state["t"] = True
                elif local == "rPh":  # phonetic reading of East Asian text, not part of the value
                    state["rph"] += 1

            def end(tag: str) -> None:
                local = _local(tag)
                if local == "si":
                    strings.append("".join(parts))
                elif local == "t":
                    state["t"] = False
                elif local == "rPh":
                    state["rph"] -= 1

            def text(data: str) -> None:
                if state["t"] and not state["rph"]:
                    size[0] += len(data)
                    if size[0] > limit:
                        raise XlsxRefused(
                            _(
                                "le texte n° {number} du classeur dépasse {most} caractères, la longueur maximale "
                                "d'une cellule : raccourcissez-le ou retirez-le"
                            ).format(number=i18n.number(len(strings) + 1), most=i18n.number(limit))
                        )
                    parts.append(data)

            self._parse(self._shared_path, start, end, text)
        self._shared = strings
        return strings

    def _date_style_indexes(self) -> set[int]:
        if self._date_styles is not None:
            return self._date_styles
        custom: dict[int, str] = {}
        formats: list[int] = []
        in_cell_xfs = [False]

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = _local(tag)
            if local == "numFmt":
                custom[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")
            elif local == "cellXfs":
                in_cell_xfs[0] = True
            elif local == "xf" and in_cell_xfs[0]:
                formats.append(int(attrs.get("numFmtId", "0")))

        def end(tag: str) -> None:
            if _local(tag) == "cellXfs":
                in_cell_xfs[0] = False

        if self._styles_path and self._styles_path in self._names:
            self._parse(self._styles_path, start, end)
        self._date_styles = {
            index
            for index, fmt in enumerate(formats)
            if fmt in _BUILTIN_DATE_FORMATS or (fmt in custom and _is_date_format(custom[fmt]))
        }
        return self._date_styles

    # --- a sheet, row by row

    def rows(self, sheet: Sheet) -> Generator[tuple[int, list[Value]], None, None]:
        """(row number, cells) of every row holding a value, in order; empty cells are None."""
        shared = self._shared_strings()
        dates = self._date_style_indexes()
        epoch = _EPOCH_1904 if self._date1904 else _EPOCH_1900
        limit, max_columns = self.limits.max_cell_chars, self.limits.max_columns
        ready: list[tuple[int, list[Value]]] = []
        row: dict[int, Value] = {}
        where: dict[str, Any] = {"row": 0, "col": 0, "type": "n", "style": 0}
        # inside <v>, inside <is>, inside <t>, inside <rPh> (a phonetic reading, not part of the value)
        inside = {"v": False, "is": False, "t": False, "rPh": False}
        text: list[str] = []
        size = [0]

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = _local(tag)
            if local in inside:
                inside[local] = True
            elif local == "c":
                ref = _CELL_REF.match(attrs.get("r", ""))
                where["col"] = _column_index(ref.group(1)) if ref else where["col"] + 1
                where["type"] = attrs.get("t", "n")
                style = attrs.get("s", "0")
                where["style"] = int(style) if style.isdigit() else 0
                text.clear()
                size[0] = 0
            elif local == "row":
                number = attrs.get("r", "")
                where["row"] = int(number) if number.isdigit() else where["row"] + 1
                where["col"] = 0
                row.clear()

        def end(tag: str) -> None:
            local = _local(tag)
            if local in inside:
                inside[local] = False
            elif local == "c":
                value = self._value(where["type"], "".join(text), where["style"], shared, dates, epoch)
                if value is not None and value != "":
                    if where["col"] > max_columns:
                        raise XlsxRefused(
                            _(
                                "ligne {line} : une valeur en colonne {column} ; au plus {most} colonnes sont lues : "
                                "supprimez les colonnes en trop"
                            ).format(
                                line=where["row"], column=column_letters(where["col"]), most=i18n.number(max_columns)
                            )
                        )
                    row[where["col"]] = value
            elif local == "row" and row:
                cells: list[Value] = [None] * max(row)
                for col, value in row.items():
                    cells[col - 1] = value
                ready.append((where["row"], cells))

        def characters(data: str) -> None:
            if inside["v"] or (inside["is"] and inside["t"] and not inside["rPh"]):
                size[0] += len(data)
                if size[0] > limit:
                    raise XlsxRefused(
                        _(
                            "ligne {line}, colonne {column} : la cellule dépasse {most} caractères, la longueur "
                            "maximale : raccourcissez-la"
                        ).format(line=where["row"], column=column_letters(where["col"]), most=i18n.number(limit))
                    )
                text.append(data)

        for _event in self._events(sheet.path, start, end, characters):
            if ready:
                yield from ready
                ready.clear()

    @staticmethod
    def _value(kind: str, raw: str, style: int, shared: list[str], dates: set[int], epoch: dt.datetime) -> Value:
        if kind == "s":
            if not raw.strip():
                return None  # a styled cell with no value
            try:
                return shared[int(raw)]
            except (ValueError, IndexError):
                raise XlsxRefused(
                    _("classeur Excel mal formé : renvoi vers un texte absent (n° {number})").format(number=raw)
                ) from None
        if kind in ("inlineStr", "str", "e"):
            return raw
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            try:
                return dt.datetime.fromisoformat(raw.strip())
            except ValueError:
                return raw
        if not raw.strip():
            return None
        try:
            number = float(raw)
        except ValueError:
            return raw
        if style in dates and 0 <= number < 2958466:
            return epoch + dt.timedelta(days=number)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number

    def close(self) -> None:
        self._zip.close()


def _unreadable(error: BaseException) -> str:
    return _(
        "classeur Excel illisible ou tronqué ({error}) : ouvrez-le dans votre tableur et enregistrez-le à nouveau "
        "en .xlsx"
    ).format(error=type(error).__name__)
