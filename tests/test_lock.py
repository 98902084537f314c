"""The lock files install what the requirements name: a package pinned in requirements*.txt but missing from
its lock (or locked at another version) would install nowhere, and the README's commands would fail on it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;#]+)")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    """Name → version of every `name==version` line of a requirements or lock file, following `-r`."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("-r "):
            found |= pins(path.parent / line[3:].strip())
        elif match := PIN.match(line):
            found[_canonical(match[1])] = match[2]
    return found


@pytest.mark.parametrize(
    ("requirements", "lock"),
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_every_pinned_requirement_is_locked_at_its_version(requirements: str, lock: str) -> None:
    wanted = pins(ROOT / requirements)
    locked = pins(ROOT / lock)
    assert wanted, f"{requirements} names no package"
    mismatched = {name: (version, locked.get(name)) for name, version in wanted.items() if locked.get(name) != version}
    assert not mismatched, f"run scripts/lock.sh: (requirement, lock) = {mismatched}"


def test_every_locked_line_carries_hashes() -> None:
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / lock).read_text(encoding="utf-8")
        entries = [line for line in text.splitlines() if PIN.match(line)]
        assert entries and all(line.rstrip().endswith("\\") for line in entries), f"{lock}: a pin without hashes"
