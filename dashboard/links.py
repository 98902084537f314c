"""The values of a shared link that the dashboard cannot use, named so the page can say they were ignored.

Streamlit drops a value of a filter bound to the URL (`?pays=Atlantide`, a period in 2030) without a word;
the entry script compares the link with what each filter accepts before the widgets read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from dashboard import i18n


@dataclass(frozen=True)
class Ignored:
    """A value of the link left out: the filter's name, the value as written, and why."""

    label: str
    value: str
    reason: str

    def text(self) -> str:
        return f"{self.label} « {self.value} » : {self.reason}"


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def ignored(
    params: Mapping[str, Sequence[str]],
    choices: Mapping[str, Collection[str]],
    labels: Mapping[str, str],
    *,
    period: str,
    limits: tuple[dt.date, dt.date],
) -> list[Ignored]:
    """Every value of `params` (URL name -> values) that its filter does not accept.

    `choices` gives the values each list filter accepts, `labels` the filters' names; the values of the
    `period` parameter must be days (AAAA-MM-JJ) between `limits`. Parameters of no filter are left alone.
    """
    found: list[Ignored] = []
    for name, values in params.items():
        label = labels.get(name, name)
        if name == period:
            for value in values:
                day = _day(value)
                if day is None:
                    found.append(Ignored(label, value, "date illisible (attendu AAAA-MM-JJ)"))
                elif not limits[0] <= day <= limits[1]:
                    found.append(Ignored(label, value, f"hors des dates possibles ({i18n.period(*limits)})"))
        elif name in choices:
            accepted = choices[name]
            found += [Ignored(label, v, "valeur inconnue") for v in values if v not in accepted]
    return found
