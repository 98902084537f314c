"""charts.base.text, and every chart function fed hostile strings: each one shown as typed, none read as markup."""

from __future__ import annotations

import datetime as dt
import inspect
import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts
from dashboard.charts import analysis, base, maps, overview, plan, timeline
from tests.hostile import HOSTILE, shown_by_plotly, shown_in_figure

N = len(HOSTILE)


@pytest.mark.parametrize("value", HOSTILE)
def test_text_writes_a_value_plotly_shows_as_typed(value):
    written = base.text(value)
    assert not set("<>$%") & set(written), "no tag, formula or template field left"
    assert shown_by_plotly(written) == value


def _meetings() -> pd.DataFrame:
    days = [dt.date(2024, 3, 1) + dt.timedelta(days=7 * n) for n in range(N)]
    return pd.DataFrame(
        {
            "meeting_id": [f"R-{n}" for n in range(N)],
            "title": HOSTILE,
            "start_date": days,
            "end_date": [d + dt.timedelta(days=n % 2) for n, d in enumerate(days)],
            "kind": ["entretiens d'état-major", *HOSTILE[1:]],
            "body": HOSTILE[::-1],
        }
    )


def _actions() -> pd.DataFrame:
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=9 * n) for n in range(N)]
    return pd.DataFrame(
        {
            "action_id": [f"A-{n}" for n in range(N)],
            "title": HOSTILE,
            "start_date": days,
            "end_date": [d + dt.timedelta(days=2 * (n % 2)) for n, d in enumerate(days)],
            "mode": ["formation", *HOSTILE[1:]],
            "unit": HOSTILE[::-1],
        }
    )


def _counts(**columns) -> pd.DataFrame:
    return pd.DataFrame({**columns, "value": range(1, N + 1)})


# Every public chart function, with frames whose text columns hold the hostile strings, and whether
# its figure shows them (a chart drawn on a taxonomy's own categories leaves unknown values out),
# or which of them it shows.
CASES = {
    "overview.per_year": (lambda: overview.per_year(_counts(year=[2024] * N, unit=HOSTILE), "unit"), True),
    "overview.leading_countries": (
        lambda: overview.leading_countries(_counts(country_iso3=HOSTILE, region=HOSTILE), top=N),
        True,
    ),
    "overview.regions": (lambda: overview.regions(_counts(region=["Afrique", *HOSTILE[1:]])), False),
    "analysis.matrix": (
        lambda: analysis.matrix(
            pd.DataFrame(
                [
                    {FUNCTION: f, FACTOR: g, "value": 1, "share": 0.1, "function_total": 8, "factor_total": 4}
                    for f in analysis.STRATEGIC_FUNCTIONS.codes
                    for g in analysis.SUPERIORITY_FACTORS.codes
                ]
            )
        ),
        False,
    ),
    "analysis.per_year": (
        lambda: analysis.per_year(_counts(year=[2024] * N, strategic_function=["prévention", *HOSTILE[1:]])),
        False,
    ),
    "analysis.factor_profile": (
        lambda: analysis.factor_profile(
            _counts(region=["Afrique", *HOSTILE[1:]], superiority_factor=["influence", *HOSTILE[1:]]).assign(share=0.5)
        ),
        False,
    ),
    "analysis.sunburst": (
        lambda: analysis.sunburst(_counts(region=["Afrique"] * N, country_iso3=HOSTILE, mode=HOSTILE)),
        True,
    ),
    "analysis.breakdown": (lambda: analysis.breakdown(_counts(unit=HOSTILE), "unit"), True),
    "analysis.year_over_year": (
        lambda: analysis.year_over_year(
            pd.DataFrame({"unit": HOSTILE, "previous": [1] * N, "current": [2] * N, "change": [1.0] * N}),
            "unit",
            2024,
        ),
        True,
    ),
    "maps.partner_map": (
        lambda: maps.partner_map(
            _counts(country_iso3=HOSTILE),
            per_year=_counts(country_iso3=HOSTILE, year=[2024] * N),
            meetings=pd.DataFrame({"country_iso3": HOSTILE, "meetings": [1] * N, "cities": HOSTILE}),
            centroids={h: (0.0, 0.0) for h in HOSTILE},
        ),
        True,
    ),
    "maps.change_map": (
        lambda: maps.change_map(_counts(country_iso3=HOSTILE), _counts(country_iso3=HOSTILE).assign(value=0)),
        True,
    ),
    "maps.functions_by_factor": (
        lambda: maps.functions_by_factor(
            _counts(strategic_function=["prévention", *HOSTILE[1:]], superiority_factor=["influence", *HOSTILE[1:]])
        ),
        False,
    ),
    "plan.upcoming": (
        lambda: plan.upcoming(
            _counts(month=[dt.date(2025, 1, 1)] * N, unit=HOSTILE).rename(columns={"value": "actions"}), "unit"
        ),
        HOSTILE[1:],  # the ten leading units, the eleventh among « Autres pays »
    ),
    "plan.unit_load": (
        lambda: plan.unit_load(
            pd.DataFrame(
                {
                    "unit": HOSTILE,
                    "region": ["Afrique"] * N,
                    "start_date": [dt.date(2025, 1, 1)] * N,
                    "end_date": [dt.date(2025, 1, 9)] * N,
                    "country_iso3": HOSTILE,
                    "actions": [1] * N,
                }
            ),
            pd.DataFrame(
                {
                    "unit": HOSTILE,
                    "start_date": [dt.date(2025, 1, 2)] * N,
                    "end_date": [dt.date(2025, 1, 3)] * N,
                    "countries": [list(HOSTILE[:2])] * N,
                }
            ),
            pd.DataFrame(
                {
                    "unit": HOSTILE,
                    "start_date": [dt.date(2025, 1, 1)] * N,
                    "end_date": [dt.date(2025, 1, 9)] * N,
                    "actions": [1] * N,
                    "countries": [2] * N,
                }
            ),
            list(HOSTILE),
            dt.date(2025, 1, 1),
        ),
        True,
    ),
    "plan.realisation": (
        lambda: plan.realisation(
            pd.DataFrame({"unit": HOSTILE, "due": [2] * N, "realised": [1] * N, "rate": [0.5] * N}), "unit"
        ),
        True,
    ),
    "plan.reasons": (
        lambda: plan.reasons(pd.DataFrame({"status": ["annulée"] * N, "reason": HOSTILE, "actions": [1] * N})),
        True,
    ),
    "plan.assessment": (
        lambda: plan.assessment(
            pd.DataFrame(
                {
                    "unit": HOSTILE,
                    "mean_level": [1.0] * N,
                    "assessment": ["non évalué"] * N,
                    "share": [1.0] * N,
                    "actions": [1] * N,
                }
            ),
            "unit",
        ),
        True,
    ),
    "timeline.meetings_timeline": (lambda: timeline.meetings_timeline(_meetings(), selected="R-3"), True),
    "timeline.meetings_timeline(body)": (lambda: timeline.meetings_timeline(_meetings(), lanes="body"), True),
    "timeline.country_timeline": (
        lambda: timeline.country_timeline(_actions(), _meetings(), selected="A-2"),
        True,
    ),
}
FUNCTION, FACTOR = "strategic_function", "superiority_factor"


def _public_chart_functions() -> set[str]:
    found = set()
    for module in (overview, analysis, maps, timeline, plan):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            returns = inspect.signature(function).return_annotation
            if (
                function.__module__ == module.__name__
                and not name.startswith("_")
                and returns in (go.Figure, "go.Figure")
            ):
                found.add(f"{module.__name__.rsplit('.', 1)[1]}.{name}")
    return found


def test_every_chart_function_is_fed_the_hostile_strings():
    assert charts.__name__ == "dashboard.charts"
    covered = {case.split("(")[0] for case in CASES}
    assert _public_chart_functions() == covered


@pytest.mark.parametrize("case", CASES)
def test_every_text_of_every_figure_shows_hostile_data_as_typed(case):
    build, shows_data = CASES[case]
    marking = base.Marking("<b>DR</b> $x$ %{y}", "#2e7d32", "#ffffff")
    figure = json.loads(base.mark(build(), marking).to_json())
    shown = shown_in_figure(figure)  # fails on any text plotly would read as markup
    assert marking.text in shown, "the marking is text too"
    expected = HOSTILE if shows_data is True else shows_data or ()
    for value in HOSTILE:
        assert (value in shown) == (value in expected), value
