"""Deployment settings, read from environment variables with safe defaults.

| variable | meaning | default |
|---|---|---|
| PMO_STORE | store root: a folder or an S3 URI | data/store |
| PMO_DEMO | fill a new store with the demo data (1) or leave it empty (0) | 1 |
| PMO_MARKING | classification marking on every page and export | NON PROTÉGÉ |
| PMO_MARKING_COLOR | background colour of the marking | #2e7d32 |
| PMO_MAX_UPLOAD_MB | largest file accepted by the import | 50 |
| PMO_MAX_UPLOAD_ROWS | most rows accepted by the import | 200000 |
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    marking: str
    marking_color: str
    max_upload_mb: int
    max_upload_rows: int


def settings() -> Settings:
    return Settings(
        marking=os.environ.get("PMO_MARKING", "NON PROTÉGÉ"),
        marking_color=os.environ.get("PMO_MARKING_COLOR", "#2e7d32"),
        max_upload_mb=int(os.environ.get("PMO_MAX_UPLOAD_MB", "50")),
        max_upload_rows=int(os.environ.get("PMO_MAX_UPLOAD_ROWS", "200000")),
    )
