"""The plain copy of a table that prints in place of its scrolling grid (`dashboard.ui.printing.table_html`)."""

import datetime as dt
import re

import numpy as np
import pandas as pd

from dashboard import i18n
from dashboard.ui import printing


def _cells(markup: str) -> list[list[str]]:
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", markup)]


FRAME = pd.DataFrame(
    {
        "start_date": [dt.date(2026, 11, 21), None],
        "title": ["Exercice <Tricolore> & co", ""],
        "actions": [1234, np.nan],
        "partners": [["Belgique", "Sénégal"], []],
        "opex": [True, False],
        "year": [2024, 2025],
        "rate": [87.5, 12.0],
    }
)
HEADINGS = {
    "start_date": "Début",
    "title": "Intitulé",
    "actions": "Actions",
    "partners": "Pays",
    "opex": "OPEX",
    "year": "Année",
    "rate": "Taux",
}


def test_every_row_prints_in_french_with_a_dash_for_a_missing_value_and_never_none():
    markup = printing.table_html(FRAME, HEADINGS, formats={"year": str, "rate": lambda v: f"{i18n.number(v)} %"})
    assert _cells(markup) == [
        ["Début", "Intitulé", "Actions", "Pays", "OPEX", "Année", "Taux"],
        ["21/11/2026", "Exercice &lt;Tricolore&gt; &amp; co", "1\u202f234", "Belgique, Sénégal", "oui", "2024", "88 %"],
        ["—", "—", "—", "—", "non", "2025", "12 %"],
    ]
    assert "None" not in markup and "nan" not in markup
    # Numbers to the right, as on screen; words, dates and yes/no to the left.
    aligned = re.findall(r"<t([hd])( class=pmo-number)?>", markup.split("</tr>")[1])
    assert [bool(right) for _, right in aligned] == [False, False, True, False, False, True, True]


def test_a_table_prints_in_the_language_of_the_page():
    with i18n.using("en"):
        markup = printing.table_html(FRAME, {"start_date": "Start", "opex": "OPEX", "actions": "Actions"})
    assert _cells(markup)[1] == ["21 Nov 2026", "yes", "1,234"]
