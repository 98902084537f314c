"""Files the user downloads: CSV and Excel, marked and safe to open in a spreadsheet.

Every export carries the classification marking (first line of a CSV, first
row of a sheet) and neutralises cells a spreadsheet would run as a formula.
"""

from __future__ import annotations

import io

import pandas as pd

from dashboard.settings import settings

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would evaluate, prefixed with a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    return safe


def _cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists shown as `a | b`, as the import reads them back."""
    out = frame.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, list | tuple) or hasattr(v, "tolist")).any():
            out[column] = out[column].map(
                lambda v: " | ".join(str(x) for x in (v.tolist() if hasattr(v, "tolist") else v))
                if v is not None and not isinstance(v, str)
                else v
            )
    return out


def csv_bytes(frame: pd.DataFrame, *, marking: str | None = None) -> bytes:
    """UTF-8 with BOM, `;` separated, as French Excel opens it; marking on the first line."""
    marking = marking or settings().marking
    body = _safe(_cells(frame)).to_csv(index=False, sep=";", lineterminator="\r\n")
    return ("\ufeff" + f"# {marking}\r\n" + body).encode("utf-8")


def xlsx_bytes(sheets: dict[str, pd.DataFrame], *, marking: str | None = None) -> bytes:
    """One sheet per frame; the marking stands on the first row of each and in the header/footer."""
    from openpyxl.styles import Font

    marking = marking or settings().marking
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            _safe(_cells(frame)).to_excel(writer, sheet_name=name[:31], index=False, startrow=1)
            sheet = writer.sheets[name[:31]]
            sheet["A1"] = marking
            sheet["A1"].font = Font(bold=True, color="B00020")
            sheet.oddHeader.center.text = marking
            sheet.oddFooter.center.text = marking
    return buffer.getvalue()
