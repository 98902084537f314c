"""Cell conversion of a whole column, through its kind's parser (dashboard.kinds): each cell
gives (value, error, note), and the report gathers the notes of a column into warnings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from dashboard.ingest.reading import Cell
from dashboard.kinds import TWO_DIGIT_YEAR_PIVOT, Converted, cell_text
from dashboard.schema import Column

__all__ = ["TWO_DIGIT_YEAR_PIVOT", "Note", "cell_text", "convert_column"]


@dataclass(frozen=True)
class Note:
    """Cells of one column read through one interpretation: how many, and the first one."""

    text: str
    first: int
    cell: Cell
    count: int


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
    kind = column.behaviour
    if kind.parse_text is not None:
        return kind.parse_text(text), [], []
    convert = kind.parse(column.taxonomy)
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
    convert = column.behaviour.parse(column.taxonomy)
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
