"""Hostile import files and the time and peak memory of their refusal.

The builders write the files a careless export or an attacker could bring:
an .xlsx whose sheet unpacks to hundreds of megabytes (an archive bomb), an
.xlsx holding one giant cell in its shared strings, an .xlsx with malformed
XML, and a CSV whose cells carry terminal escape sequences. They stream the
large entries, so building a 300 MB bomb takes little memory. The tests build
them too (`tests/test_ingest_limits.py`).

`measure()` analyses each file in a fresh Python process (`dashboard.ingest.analyse`,
the path of the page and the command line) and reads the process's peak
resident memory (`VmHWM`), imports included.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

from dashboard import template

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
# The first twelve columns of the template: the required ones and the pillar.
HEADERS = template.headers("actions")[:12]
ROW = [
    "HOS-0001",
    "PLACEHOLDER",
    "12/03/2024",
    "22/03/2024",
    "Sénégal",
    "formation",
    "prévention",
    "coopération",
    "former",
    "bilatéral",
    "non",
    "forces de présence",
]


def _workbook() -> dict[str, bytes]:
    """The entries of a small, valid workbook: the headers and one action."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Extraction"
    sheet.append(HEADERS)
    sheet.append(ROW)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rezip(entries: dict[str, bytes], big: str | None = None, parts: tuple[bytes, bytes, bytes, int] | None = None):
    """A workbook with `entries`, and `big` written as prefix + chunk × count + suffix, streamed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in entries.items():
            if name == big and parts is not None:
                prefix, chunk, suffix, count = parts
                with archive.open(name, "w", force_zip64=True) as out:
                    out.write(prefix)
                    for _ in range(count):
                        out.write(chunk)
                    out.write(suffix)
            else:
                archive.writestr(name, data)
    return buffer.getvalue()


def bomb_xlsx(unpacked_mb: int = 318) -> bytes:
    """A sheet of `unpacked_mb` MB of XML (millions of identical rows) in well under a megabyte."""
    entries = _workbook()
    sheet = "xl/worksheets/sheet1.xml"
    # Without a <dimension>, as many writers leave it, a reader cannot know the sheet's size in advance.
    xml = re.sub(rb"<dimension [^>]*/>", b"", entries[sheet])
    head, tail = xml.split(b"</sheetData>")
    row = b'<row><c t="inlineStr"><is><t>HOS</t></is></c><c><v>1</v></c></row>' * 64
    return _rezip(entries, sheet, (head, row, b"</sheetData>" + tail, unpacked_mb * MB // len(row)))


def giant_cell_xlsx(cell_mb: int = 300) -> bytes:
    """One `cell_mb` MB title in the shared strings, the rest an ordinary action."""
    entries = _workbook()
    sheet = "xl/worksheets/sheet1.xml"
    entries[sheet] = entries[sheet].replace(
        b'<c r="B2" t="inlineStr"><is><t>PLACEHOLDER</t></is></c>', b'<c r="B2" t="s"><v>0</v></c>'
    )
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>',
    )
    rels = "xl/_rels/workbook.xml.rels"
    entries[rels] = entries[rels].replace(
        b"</Relationships>",
        b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        b'Target="sharedStrings.xml" Id="rId9" /></Relationships>',
    )
    name = "xl/sharedStrings.xml"
    entries[name] = b""
    head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
    return _rezip(entries, name, (head, b"A" * MB, b"</t></si></sst>", cell_mb))


def malformed_xlsx() -> bytes:
    """A workbook whose sheet XML has a tag closed in the wrong order."""
    entries = _workbook()
    sheet = "xl/worksheets/sheet1.xml"
    entries[sheet] = entries[sheet].replace(b"</row>", b"</c></rowx>", 1)
    return _rezip(entries)


ESCAPES = "\x1b[2J\x1b[H\x1b]0;pwned\x07"


def escapes_csv() -> bytes:
    """An action whose title clears a terminal, and whose country is unknown so the line is printed."""
    row = list(ROW)
    row[1] = f"Titre{ESCAPES}fin"
    row[4] = f"Pays{ESCAPES}inconnu"
    ordinary = [[f"HOS-{n:04}", "Formation", *ROW[2:]] for n in range(2, 12)]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows([HEADERS, row, *ordinary])
    return buffer.getvalue().encode("utf-8")


def text_cell_xlsx(cell_mb: int = 40) -> bytes:
    """One `cell_mb` MB shared string of random letters: it compresses like text, so only the cell limit stops it."""
    entries = _workbook()
    giant = giant_cell_xlsx(cell_mb=1)
    with zipfile.ZipFile(io.BytesIO(giant)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    head = entries["xl/sharedStrings.xml"].split(b"<t>")[0] + b"<t>"
    letters = bytes(65 + b % 26 for b in os.urandom(MB))
    return _rezip(entries, "xl/sharedStrings.xml", (head, letters, b"</t></si></sst>", cell_mb))


def giant_cell_csv(cell_mb: int = 45) -> bytes:
    """A CSV whose second line opens a quoted cell of `cell_mb` MB (within the 50 MB upload limit)."""
    row = list(ROW)
    row[1] = '"' + "A" * (cell_mb * MB) + '"'
    return (";".join(HEADERS) + "\r\n" + ";".join(row) + "\r\n").encode("utf-8")


FILES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "archive bomb (.xlsx, 318 MB of sheet XML)": ("bombe.xlsx", bomb_xlsx),
    "giant cell (.xlsx, one 300 MB shared string)": ("cellule.xlsx", giant_cell_xlsx),
    "malformed XML (.xlsx)": ("mal_forme.xlsx", malformed_xlsx),
    "long text cell (.xlsx, 40 MB of letters in one shared string)": ("texte.xlsx", text_cell_xlsx),
    "giant cell (.csv, 45 MB in one quoted cell)": ("cellule.csv", giant_cell_csv),
}

# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent into the new program,
# whereas the high-water mark belongs to the program's own memory.
_PEAK = """
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""

_CHILD = (
    _PEAK
    + """
import sys, time
from pathlib import Path
started = time.perf_counter()
from dashboard import ingest
imported = time.perf_counter()
data = Path(sys.argv[1]).read_bytes()
report = ingest.analyse(Path(sys.argv[1]).name, data)
done = time.perf_counter()
import json
print(json.dumps({
    "seconds": done - imported,
    "peak_mb": peak_mb(),
    "refused": not report.ok,
    "message": report.errors[0].message if report.errors else "",
}))
"""
)

_BASELINE = (
    _PEAK
    + """
import json
from dashboard import ingest
print(json.dumps({"peak_mb": peak_mb()}))
"""
)


def _child(code: str, *args: str, timeout: float) -> dict[str, object]:
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"seconds": time.perf_counter() - started, "error": f"still running after {timeout:.0f} s"}
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(scratch: Path, *, log=print, timeout: float = 600, only: int | None = None) -> dict[str, object]:
    """Each hostile file analysed in a fresh process: seconds, peak memory, refused or not, the message.

    `only` keeps the first files (the smoke test measures one).
    """
    scratch.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {"baseline_peak_mb": _child(_BASELINE, timeout=timeout).get("peak_mb")}
    for label, (name, build) in list(FILES.items())[:only]:
        path = scratch / name
        path.write_bytes(build())
        measured = _child(_CHILD, str(path), timeout=timeout)
        measured["file_kb"] = path.stat().st_size / 1024
        results[label] = measured
        log("hostile", label, measured)
        path.unlink()
    return results


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        measured = measure(Path(folder), log=lambda *line: print(*line, file=sys.stderr))
        print(json.dumps(measured, indent=2, ensure_ascii=False))
