"""The import preview's page of rows as a table whose changed cells stand out."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from dashboard.ingest import PreviewPage

# A pale amber, readable in print and by colour-blind readers next to the bold text.
CHANGED_STYLE = "background-color: #fff3cd; font-weight: 600"


def preview_table(page: PreviewPage) -> Styler:
    """The page's rows with each changed cell (« nouveau (avant : ancien) ») shaded."""
    frame = pd.DataFrame(page.records, dtype=object)
    marks = pd.DataFrame("", index=frame.index, columns=frame.columns)
    for row, header in page.changed:
        marks.loc[row, header] = CHANGED_STYLE
    return frame.style.apply(lambda _: marks, axis=None)
