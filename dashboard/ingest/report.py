"""Validation of a read file against the contract: every problem, in the language of the run, with line and column."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from dashboard import i18n, status
from dashboard.i18n import _
from dashboard.ingest.cells import Note, cell_text, convert_column
from dashboard.ingest.headers import guess_table, match_header
from dashboard.ingest.reading import FileRefused, Parsed, blank, read_file
from dashboard.schema import TABLES, Column, TableSpec
from dashboard.settings import settings
from dashboard.validation import Problem, check_table, conform, stale_plans


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
    sheet: str | None = None
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


def validate(parsed: Parsed, table: str | None = None) -> Report:
    """Type every cell and check the contract; every problem is gathered, none raised."""
    name = table or guess_table(parsed.headers)
    spec = TABLES[name]
    header_line = parsed.header_line
    problems: list[Problem] = []

    positions: dict[str, int] = {}
    for position, header in enumerate(parsed.headers):
        if not header:
            if any(not blank(row[position]) for row in parsed.rows if position < len(row)):
                problems.append(
                    Problem(
                        header_line,
                        _("n° {position}").format(position=position + 1),
                        None,
                        _("colonne sans en-tête : ses valeurs sont ignorées"),
                        "warning",
                    )
                )
            continue
        matched = match_header(header, name)
        if matched is None:
            problems.append(
                Problem(
                    header_line,
                    header,
                    None,
                    _("colonne inconnue, ignorée ; colonnes attendues : {headers}").format(
                        headers=", ".join(c.header_fr for c in spec.columns)
                    ),
                    "warning",
                )
            )
        elif matched in positions:
            problems.append(
                Problem(
                    header_line,
                    header,
                    None,
                    _("la colonne {header} figure deux fois ; gardez-en une seule").format(
                        header=spec.column(matched).header_fr
                    ),
                )
            )
        else:
            positions[matched] = position
    missing = [c.name for c in spec.columns if c.required and not c.fallback and c.name not in positions]
    for column in spec.columns:
        if column.fallback and column.name not in positions:
            # A file made before the contract had this column stays valid: the value comes from the dates.
            problems.append(
                Problem(
                    header_line,
                    column.header_fr,
                    None,
                    _(
                        "colonne absente : {header} {fallback} ; ajoutez la colonne « {header} » pour le préciser"
                    ).format(header=column.header_fr, fallback=column.fallback_words),
                    "warning",
                )
            )
    problems.extend(_interpretations(parsed))

    width = len(parsed.headers)
    shifted: set[int] = set()
    lengths = Counter(len(row) for row in parsed.rows)
    usual = max(parsed.cells_per_row, lengths.most_common(1)[0][0] if lengths else 0)
    for row, line in zip(parsed.rows, parsed.lines, strict=True):
        if len(row) <= width:
            continue  # the usual case; `usual` is never below the header's width
        extra = [c for c in row[width:] if not blank(c)]
        if extra or (parsed.separator is not None and len(row) > usual):
            # A separator inside a cell shifts every cell after it: say so once, not per cell.
            shifted.add(line)
            problems.append(
                Problem(
                    line,
                    None,
                    None,
                    _(
                        "la ligne compte {cells} cellules pour {columns} colonnes : une valeur contient sans doute "
                        "le séparateur « {separator} » ; mettez-la entre guillemets ou séparez les éléments d'une "
                        "liste par |"
                    ).format(cells=len(row), columns=usual, separator=_separator_name(parsed.separator)),
                )
            )

    arrays: dict[str, pa.Array] = {}
    unread: set[tuple[int, str]] = set()  # cells that could not be read, already reported
    count = len(parsed.rows)
    padded = [row if len(row) >= width else [*row, *[None] * (width - len(row))] for row in parsed.rows]
    by_column = list(zip(*padded, strict=False)) if padded else [()] * width
    for column in spec.columns:
        found = positions.get(column.name)
        if found is None:
            arrays[column.name] = pa.nulls(count, column.arrow_type)
            continue
        arrays[column.name], bad, notes = convert_column(by_column[found], column)
        for index, cell, message in bad:
            line = parsed.lines[index]
            problems.append(Problem(line, column.header_fr, cell_text(cell), message))
            unread.add((line, column.header_fr))
        for note in notes:
            problems.append(_warning(note, column, parsed.lines))
    schema = pa.schema([pa.field(c.name, c.arrow_type) for c in spec.columns])
    rows = pa.Table.from_arrays([arrays[c.name] for c in spec.columns], schema=schema)
    if "status" in spec.names:
        rows, said = _status_from_dates(rows, spec, "status" in positions, parsed.lines)
        problems.extend(said)
        # Without a last day there is no status either: the date's own problem says what to fix.
        header = spec.column("status").header_fr
        for index in pc.indices_nonzero(pc.is_null(rows.column("status"))).to_pylist():
            unread.add((parsed.lines[index], header))
        settings_now = settings()
        for problem in stale_plans(rows, spec, dt.date.today(), settings_now.stale_plan_days, settings_now.stale_plan):
            assert problem.row is not None  # stale_plans names the row of every problem
            problems.append(dataclasses.replace(problem, row=parsed.lines[problem.row]))
    # The contract's rules, checked in one place; a missing column is reported once, not on every row.
    problems.extend(
        check_table(rows.drop_columns(missing), spec, lines=parsed.lines, header_row=header_line, known=unread)
    )
    # On a line whose cells are shifted by a stray separator, the shift is the one problem to fix.
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
        sheet=parsed.sheet,
    )


def _status_from_dates(
    rows: pa.Table, spec: TableSpec, given: bool, lines: list[int]
) -> tuple[pa.Table, list[Problem]]:
    """Rows with a status on each: where the file gives none, the one the dates give, said as a warning
    on each such row (when the column is absent, the header line already says it once)."""
    empty = status.missing(rows)
    filled = status.filled(rows, spec)
    if not given:
        return filled, []
    header = spec.column("status").header_fr
    derived = filled.column("status")
    return filled, [
        Problem(
            lines[i],
            header,
            None,
            _("statut vide : « {status} » d'après les dates ; indiquez-le pour le préciser").format(
                status=derived[i].as_py()
            ),
            "warning",
        )
        for i in pc.indices_nonzero(pc.and_(empty, pc.is_valid(derived))).to_pylist()
    ]


def _warning(note: Note, column: Column, lines: list[int]) -> Problem:
    """One warning per interpretation and column: what was understood, how often, where first."""
    where = "" if note.count == 1 else _(" ; {count} cellules, la première ici").format(count=i18n.number(note.count))
    return Problem(lines[note.first], column.header_fr, cell_text(note.cell), note.text + where, "warning")


def _interpretations(parsed: Parsed) -> list[Problem]:
    """What the reading decided for the user: the sheet read, the lines left above the header."""
    problems = []
    if len(parsed.sheets) > 1:
        others = ", ".join(f"« {name} »" for name in parsed.sheets if name != parsed.sheet)
        problems.append(
            Problem(
                None,
                None,
                parsed.sheet,
                _(
                    "feuille lue : celle qui porte les en-têtes ; les autres feuilles du classeur ({others}) "
                    "sont ignorées"
                ).format(others=others),
                "warning",
            )
        )
    if parsed.above:
        problems.append(
            Problem(
                parsed.above[0],
                None,
                None,
                _(
                    "{count} ligne(s) au-dessus de l'en-tête (titre, métadonnées) ignorée(s) ; "
                    "les données sont lues sous l'en-tête de la ligne {line}"
                ).format(count=i18n.number(len(parsed.above)), line=parsed.header_line),
                "warning",
            )
        )
    return problems


def _separator_name(separator: str | None) -> str:
    return {"\t": _("tabulation"), None: _("aucun")}.get(separator, separator or "")


def refused(name: str, data: bytes, reason: str) -> Report:
    """The report of a file that could not be read."""
    return Report(
        name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        table=None,
        rows=pa.table({}),
        lines=[],
        problems=[Problem(None, None, None, _("fichier refusé : {reason}").format(reason=reason))],
    )


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a file's millions of cells are held.

    They are lists and strings with no cycle, yet each allocation burst makes the collector
    scan them all again: 150 000 rows read in 17 s with it, 6 s without, on a busy machine.
    Reference counting still frees everything; the collector resumes after, as it was.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def analyse(name: str, data: bytes, table: str | None = None) -> Report:
    """Read and validate a file; never raises for a bad file."""
    with _collection_paused():
        try:
            parsed = read_file(name, data, table)
        except FileRefused as refusal:
            return refused(name, data, str(refusal))
        return validate(parsed, table)


def problems_rows(problems: Sequence[Problem]) -> list[dict[str, object]]:
    """Problems as table rows for a page, in the language: line, column, value, problem, severity."""
    line, column, value, problem, severity = _("Ligne"), _("Colonne"), _("Valeur"), _("Problème"), _("Gravité")
    error, warning = _("erreur"), _("avertissement")
    return [
        {
            line: p.row,
            column: p.column or "",
            value: "" if p.value is None else str(p.value),
            problem: p.message,
            severity: error if p.severity == "error" else warning,
        }
        for p in problems
    ]
