"""The naive baseline: what most Streamlit dashboards do on every rerun.

Re-read every Parquet file of the Delta table with pandas, derive the columns,
filter with boolean masks and group with pandas, then build the same overview
figures and serialise them. Nothing is cached between reruns. The same
workload stands for every page (its cost is the re-read, whatever is drawn).
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
from deltalake import DeltaTable

from dashboard.charts import overview as charts
from dashboard.query import Filters
from dashboard.reference import countries


def _select(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    if filters.start is not None:
        mask &= frame["start_date"] >= pd.Timestamp(filters.start)
    if filters.end is not None:
        mask &= frame["start_date"] <= pd.Timestamp(filters.end)
    if filters.regions:
        mask &= frame["region"].isin(filters.regions)
    if filters.countries:
        mask &= frame["country_iso3"].isin(filters.countries)
    if filters.modes:
        mask &= frame["mode"].isin(filters.modes)
    return frame[mask]


def rerun(store_root: Path, filters: Filters) -> float:
    """Seconds for one naive rerun of the overview with `filters`."""
    started = time.perf_counter()
    files = DeltaTable(str(store_root / "actions")).file_uris()
    frame = pd.read_parquet(files)
    regions = {iso3: c.region for iso3, c in countries().items()}
    frame["region"] = frame["country_iso3"].map(regions)
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    frame["year"] = frame["start_date"].dt.year
    duration = (pd.to_datetime(frame["end_date"]) - frame["start_date"]).dt.days + 1
    frame["person_days"] = frame["french_personnel"] * duration
    selected = _select(frame, filters)
    figures = {
        "actions": len(selected),
        "countries": selected["country_iso3"].nunique(),
        "person_days": int(selected["person_days"].sum()),
        "partner_trainees": int(selected["partner_trainees"].sum()),
    }
    previous = filters.previous()
    if previous is not None:
        before = _select(frame, previous)
        figures["previous_actions"] = len(before)
    per_year = selected.groupby(["year", "mode"]).size().rename("value").reset_index()
    by_country = selected.groupby(["country_iso3", "region"]).size().rename("value").reset_index()
    by_region = selected.groupby("region").size().rename("value").reset_index()
    for fig in (charts.per_year(per_year, "mode"), charts.leading_countries(by_country), charts.regions(by_region)):
        fig.to_json()
    return time.perf_counter() - started
