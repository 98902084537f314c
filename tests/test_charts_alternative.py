"""Every chart's text alternative: its data as a table and one sentence, read from the figure."""

import datetime as dt

import pandas as pd

from dashboard import analysis, query
from dashboard.charts import alternative, maps, overview, timeline
from dashboard.charts import analysis as analysis_charts
from dashboard.charts import plan as plan_charts
from dashboard.demo import demo_actions

EVERY = query.Filters()


def _actions():
    return query.prepare_actions(demo_actions())


def test_a_doughnut_reads_as_its_slices_and_names_the_largest_and_the_smallest():
    frame = pd.DataFrame({"region": ["Afrique", "Europe", "Amériques"], "value": [50, 30, 4]})
    fig = overview.regions(frame)
    table = alternative.table(fig)
    assert list(table.iloc[:, 0]) == ["Afrique", "Europe", "Amériques"] and list(table["Valeur"]) == [50, 30, 4]
    assert alternative.summary(fig, "Actions par région") == (
        "Actions par région : total 84, en tête Afrique (50), le moins Amériques (4)."
    )


def test_stacked_bars_read_as_one_column_per_series():
    actions = _actions()
    frame = query.aggregate(actions, EVERY, ["year", "mode"])
    table = alternative.table(overview.per_year(frame, "mode"))
    assert {"Conseil", "Formation", "Entraînement"} <= set(table.columns)
    counts = frame.pivot_table(index="year", columns="mode", values="value", aggfunc="sum")
    first = table.iloc[0]
    assert int(first["Formation"]) == int(counts.loc[int(first.iloc[0]), "formation"])


def test_the_map_reads_as_its_partners_without_the_land_or_france():
    actions = _actions()
    totals = query.aggregate(actions, EVERY, ["country_iso3"])
    table = alternative.table(maps.partner_map(totals))
    assert "France" not in set(table.iloc[:, 0])
    assert len(table) == (totals["country_iso3"] != "FRA").sum()
    assert table["Valeur"].sum() == totals[totals["country_iso3"] != "FRA"]["value"].sum()


def test_the_matrix_reads_as_its_grid_of_counts_and_names_its_strongest_cell():
    actions = _actions()
    fig = analysis_charts.matrix(analysis.matrix(actions, EVERY))
    table = alternative.table(fig)
    assert table.shape == (4, 9)
    sentence = alternative.summary(fig, "Matrice")
    assert sentence.startswith("Matrice : la case la plus forte est ") and " × " in sentence


def test_a_chart_without_data_says_so():
    assert alternative.summary(overview.regions(pd.DataFrame({"region": [], "value": []})), "Régions") == (
        "Régions : aucune donnée à présenter."
    )


def test_a_timeline_reads_as_its_events_per_line():
    meetings = pd.DataFrame(
        {
            "meeting_id": ["R1", "R2", "R3"],
            "title": ["Comité A", "Comité B", "Visite"],
            "start_date": pd.to_datetime(["2025-01-10", "2025-03-01", "2025-02-02"]),
            "end_date": pd.to_datetime(["2025-01-12", "2025-03-01", "2025-02-02"]),
            "kind": ["réunion OTAN", "réunion OTAN", "réunion UE"],
            "body": ["OTAN", "OTAN", "UE"],
            "level": ["", "", ""],
        }
    )
    fig = timeline.meetings_timeline(meetings, lanes="body", selected="R1", today=dt.date(2025, 2, 1))
    table = alternative.table(fig)
    assert dict(zip(table.iloc[:, 0], table.drop(columns=table.columns[0]).sum(axis=1), strict=True)) == {
        "OTAN": 2,
        "UE": 1,
    }
    assert alternative.summary(fig, "Frise") == "Frise : 3 événements sur 2 lignes, le plus sur OTAN (2)."


def test_bars_of_shares_name_their_largest_share():
    frame = pd.DataFrame(
        {
            "mode": ["formation", "formation", "conseil"],
            "assessment": ["dépassé", "atteint", "atteint"],
            "actions": [3, 1, 2],
            "share": [0.75, 0.25, 1.0],
            "mean_level": [2.75, 2.75, 2.0],
        }
    )
    fig = plan_charts.assessment(frame, "mode")
    sentence = alternative.summary(fig, "Évaluation")
    assert sentence == "Évaluation : la plus forte part est « Atteint » pour Conseil (100 %)."


def test_a_rate_on_a_second_axis_is_in_the_table_not_in_the_total():
    frame = pd.DataFrame({"year": [2024, 2025], "due": [10, 4], "realised": [8, 1], "rate": [0.8, 0.25]})
    fig = plan_charts.realisation(frame)
    assert list(alternative.table(fig)["Taux de réalisation"]) == [0.8, 0.25]
    assert alternative.summary(fig, "Réalisation") == ("Réalisation : total 23, en tête 2024 (18), le moins 2025 (5).")
