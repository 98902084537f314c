"""Which countries the map draws as chosen, and when plotly's own selection must be reset.

A click on the map is drawn by plotly itself and must not change the figure, or
the selection resets and shift-click could not add to it. The figure takes the
chosen countries only when it changes anyway (another measure, zone or filter)
or when they changed elsewhere (sidebar, link, button): then a new revision also
clears plotly's own selection. The state lives in the session (a mapping).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

SYNCED = "carte_synchronisee"  # the countries the browser's map shows as chosen
VIEW = "carte_vue"  # what the figure was last drawn for (measure, zone, layers)
HIGHLIGHTED = "carte_surlignes"  # the countries the figure itself draws as chosen
REVISION = "carte_revision"  # plotly's uirevision: a new one resets its selection


def clicked(state: MutableMapping[str, Any], countries: tuple[str, ...]) -> None:
    """A click chose `countries`: plotly already shows them, so the figure stays as it is."""
    state[SYNCED] = countries


def highlight(state: MutableMapping[str, Any], view: object, countries: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """The countries the figure draws as chosen, and its revision, for the chosen `countries` and the `view`."""
    if state.get(SYNCED) != countries:
        state[REVISION] = state.get(REVISION, 0) + 1
        state[HIGHLIGHTED] = countries
    elif state.get(VIEW) != view:
        state[HIGHLIGHTED] = countries
    state[SYNCED], state[VIEW] = countries, view
    return state.get(HIGHLIGHTED, ()), str(state.get(REVISION, 0))
