"""Import of CSV and Excel extracts: read, validate, preview, commit.

A pure package the import page and the command line share:

    parsed = read_file(name, data)        # bytes -> cells (reading.py: refuses binary, empty, too big)
    report = validate(parsed, table=None) # every problem, in French, with line and column (report.py)
    preview(report, store)                # the rows as they will be stored, new / updated / unchanged (changes.py)
    commit(report, store, user=...)       # one atomic merge by key, with its metadata (changes.py)

Workbooks are read by `xlsx.py` (limits checked before and while parsing),
cells typed by `cells.py`, headers matched by `headers.py`; the history
page's rows come from `history.py`. `analyse(name, data)` runs the first two
and never raises: a file that cannot be read becomes a report with one
problem. `import_bytes(...)` runs them all. Nothing is written while a file
has errors, unless the caller asks for its valid rows only. Command line:
`python -m dashboard.ingest FILE --help` (`cli.py`).
"""

from dashboard.ingest.cells import TWO_DIGIT_YEAR_PIVOT
from dashboard.ingest.changes import (
    DETAILED_CHANGES,
    Change,
    ImportResult,
    Preview,
    PreviewPage,
    commit,
    import_bytes,
    preview,
    shown,
    stored_words,
)
from dashboard.ingest.headers import guess_table
from dashboard.ingest.history import history_rows, restore_version, version_label
from dashboard.ingest.reading import Cell, FileRefused, Parsed, read_file
from dashboard.ingest.report import Report, analyse, problems_rows, refused, validate
from dashboard.validation import ContractError, Problem

__all__ = [
    "DETAILED_CHANGES",
    "TWO_DIGIT_YEAR_PIVOT",
    "Cell",
    "Change",
    "ContractError",
    "FileRefused",
    "ImportResult",
    "Parsed",
    "Preview",
    "PreviewPage",
    "Problem",
    "Report",
    "analyse",
    "commit",
    "guess_table",
    "history_rows",
    "import_bytes",
    "preview",
    "problems_rows",
    "read_file",
    "refused",
    "restore_version",
    "shown",
    "stored_words",
    "validate",
    "version_label",
]
