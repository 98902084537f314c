"""What a reader reads of the files the dashboard hands out: the text of each PDF sheet, of each slide."""

from __future__ import annotations

from pathlib import Path

import pypdfium2


def pdf_sheets(document: bytes | Path) -> list[str]:
    """The text layer of each sheet of a PDF, in order."""
    return [sheet.get_textpage().get_text_range() for sheet in pypdfium2.PdfDocument(document)]


def slide_text(slide) -> str:
    """The text of a slide's text frames and table cells, one per line."""
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)
