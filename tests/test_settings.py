"""The settings: read from the environment in settings.py alone, and every one of them documented in the README."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from dashboard import settings

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "dashboard" / "settings.py"


def _read_in_settings() -> set[str]:
    """The PMO_ variables settings.py reads: every string constant that names one."""
    constants = [node.value for node in ast.walk(ast.parse(SETTINGS.read_text())) if isinstance(node, ast.Constant)]
    return {value for value in constants if isinstance(value, str) and re.fullmatch(r"PMO_[A-Z0-9_]+", value)}


def _documented() -> set[str]:
    """The PMO_ variables named in the tables of the README's Settings section."""
    text = (ROOT / "README.md").read_text()
    section = text[text.index("\n## Settings") :]
    section = section[: section.index("\n## ", 1)]
    rows = [line for line in section.splitlines() if line.startswith("| `PMO_")]
    return {name for row in rows for name in re.findall(r"`(PMO_[A-Z0-9_]+)`", row.split("|")[1])}


def test_every_setting_settings_py_reads_is_in_the_readme_table_and_nothing_else():
    read = _read_in_settings()
    assert {"PMO_STORE", "PMO_MARKING", "PMO_HOST", "PMO_S3_ENDPOINT"} <= read
    assert _documented() == read


def test_the_environment_is_read_in_settings_py_alone():
    sources = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "dashboard").rglob("*.py")]
    readers = []
    for path in sources:
        if path == SETTINGS:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert readers == []


def test_chart_functions_take_the_marking_and_read_no_setting():
    """The charts are pure: small frames and the marking in, figures out (the page passes the marking in)."""
    readers = [
        path.name
        for path in (ROOT / "dashboard" / "charts").glob("*.py")
        if "dashboard.settings" in path.read_text() or "import settings" in path.read_text()
    ]
    assert readers == []


def test_the_store_and_demo_settings(monkeypatch):
    monkeypatch.delenv("PMO_STORE", raising=False)
    monkeypatch.delenv("PMO_DEMO", raising=False)
    assert settings.store_root() == str(settings.DEFAULT_STORE)
    assert settings.demo_data()
    monkeypatch.setenv("PMO_STORE", "s3://pmo/store")
    monkeypatch.setenv("PMO_DEMO", "0")
    assert settings.store_root() == "s3://pmo/store"
    assert not settings.demo_data()
