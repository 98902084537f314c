"""Files the user downloads: CSV and Excel, marked and safe to open in a spreadsheet.

Every export carries the classification marking (first line of a CSV, first
row of a sheet) and neutralises cells a spreadsheet would run as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.kinds import is_list as _is_list
from dashboard.kinds import list_cell
from dashboard.schema import TableSpec
from dashboard.settings import settings

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# Characters that make a spreadsheet read a cell as a formula (OWASP CSV
# injection), with their full-width forms, which some Excel versions accept too.
_FORMULA_CHARS = "=+-@＝＋－＠"
_CONTROL_STARTS = ("\t", "\r", "\n")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would evaluate, prefixed with a quote.

    Leading spaces do not protect a cell (some spreadsheets skip them), so the
    first character after them is what counts.
    """
    if isinstance(value, str) and (value.startswith(_CONTROL_STARTS) or value.lstrip(" ")[:1] in tuple(_FORMULA_CHARS)):
        return "'" + value
    return value


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.copy()
    for column in safe.columns:
        series = safe[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            safe[column] = series.map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    return safe


def _cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists shown as `a | b`, as the import reads them back."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object and out[column].map(_is_list).any():
            out[column] = out[column].map(lambda v: " | ".join(list_cell(v)) if _is_list(v) else v)
    return out


def _french_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Date columns written `21/11/2026`, as French spreadsheets show them and the import reads them."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            out[column] = values.dt.strftime("%d/%m/%Y")
        elif values.dtype == object and values.map(lambda v: isinstance(v, dt.date)).any():
            out[column] = values.map(lambda v: v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v)
    return out


def notes(version: str, selection: str | None, today: dt.date) -> list[str]:
    """The lines that say what an export holds: the data version and its date, the day of the export and,
    for a filtered view, the selection in words."""
    from dashboard import i18n
    from dashboard.i18n import _

    version = version[:1].upper() + version[1:]
    found = [_("{version} ; exporté le {date}").format(version=version, date=i18n.date(today))]
    if selection:
        found.append(_("Sélection : {selection}").format(selection=selection))
    return found


def _marking(marking: str | None) -> str:
    """The marking on one line (a line break would start a data row of its own)."""
    return " ".join((marking or settings().marking).split())


def csv_bytes(frame: pd.DataFrame, *, marking: str | None = None, about: Sequence[str] = ()) -> bytes:
    """UTF-8 with BOM, `;` separated, dates `jj/mm/aaaa`, as French Excel opens it; the marking on the first
    line, then each line of `about` (see `notes`), as comments the import skips."""
    marking = _marking(marking)
    body = _safe(_cells(_french_dates(frame))).to_csv(index=False, sep=";", lineterminator="\r\n")
    head = "".join(f"# {_marking(line)}\r\n" for line in [marking, *about])
    return ("\ufeff" + head + body).encode("utf-8")


def xlsx_bytes(sheets: dict[str, pd.DataFrame], *, marking: str | None = None) -> bytes:
    """One sheet per frame; the marking stands on the first row of each and in the header/footer."""
    from openpyxl.styles import Font

    marking = _marking(marking)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for index, (name, frame) in enumerate(sheets.items()):
            sheet_name = _sheet_name(name, index, writer.sheets)
            _safe(_cells(frame)).to_excel(writer, sheet_name=sheet_name, index=False, startrow=1)
            sheet = writer.sheets[sheet_name]
            sheet["A1"] = neutralise(marking)
            sheet["A1"].font = Font(bold=True, color="B00020")
            # `&` starts a code in a header or footer (page number, font): doubled, it is printed as is.
            sheet.oddHeader.center.text = marking.replace("&", "&&")
            sheet.oddFooter.center.text = marking.replace("&", "&&")
            _lay_out(sheet, frame)
    return buffer.getvalue()


def _lay_out(sheet: Worksheet, frame: pd.DataFrame) -> None:
    """Columns as wide as their longest cell (within reason) and the header row frozen under the marking."""
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(frame.columns, start=1):
        cells = [str(column), *(str(v) for v in frame[column].head(1000) if v is not None)]
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, max(map(len, cells)) + 2))
    sheet.freeze_panes = "A3"  # row 1: the marking, row 2: the headers


def _sheet_name(name: str, index: int, taken: object) -> str:
    """A valid, unique sheet name: no `[]:*?/\\`, at most 31 characters."""
    clean = _SHEET_FORBIDDEN.sub(" ", str(name)).strip().strip("'")[:31] or f"Feuille {index + 1}"
    if clean in taken:  # type: ignore[operator]
        clean = f"{clean[:27]} ({index + 1})"
    return clean


def contract_frame(rows: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """The rows of `spec`'s table under the French headers of the data contract, as an import reads them
    back: dates as dates, oui/non, lists as plain lists (written `a | b`)."""
    out = rows[list(spec.names)].copy()
    for column in spec.columns:
        out[column.name] = column.behaviour.export(out[column.name])
    return out.rename(columns={c.name: c.header_fr for c in spec.columns})
