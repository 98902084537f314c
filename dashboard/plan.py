"""The plan and its outcome: what is coming, which units are committed, what was realised, how well.

Every function takes the shared Arrow table of actions and the shared
`Filters`, and returns a small frame computed by DuckDB. The plan looks
twelve months ahead of `today`; the realisation rate counts, among the actions
whose last day is past, those realised.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from dashboard.i18n import N_
from dashboard.query import ALL_STATES, FACTOR, Filters, arrow_sql, sql, where_clause
from dashboard.schema import ASSESSMENT_SCORES, ASSESSMENTS, PLANNED, REALISED

HORIZON_MONTHS = 12
NOT_ASSESSED = "non évalué"
CALLED_OFF = ("annulée", "reportée")
# The reason of a cancelled or postponed action recorded without one, in French (`_()` translates it where shown).
NO_REASON = N_("Motif non renseigné")
# Planned actions, started or not: the plan's own `today` decides the rest, not the shown status.
_PLANNED = f"status = '{PLANNED}'"


def horizon(today: dt.date) -> tuple[dt.date, dt.date]:
    """The plan's window: from `today` to the day before the same date twelve months later."""
    index = today.year * 12 + today.month - 1 + HORIZON_MONTHS
    later = dt.date(index // 12, index % 12 + 1, 1)
    return today, dt.date(later.year, later.month, min(today.day, 28)) - dt.timedelta(days=1)


def upcoming(actions: pa.Table, filters: Filters, today: dt.date, by: str = "region") -> pd.DataFrame:
    """Planned actions starting in the next twelve months: month, `by` (region or country_iso3), actions,
    person_days. The shared period does not apply: the window is the plan's."""
    if by not in ("region", "country_iso3"):
        raise ValueError(f"répartition inconnue : {by}")
    first, last = horizon(today)
    where, params = where_clause(filters.change(start=first, end=last, statuses=ALL_STATES))
    return sql(
        f"SELECT date_trunc('month', start_date)::DATE AS month, {by}, count(*) AS actions,"
        " coalesce(sum(person_days), 0)::BIGINT AS person_days"
        f" FROM actions WHERE {where} AND {_PLANNED} GROUP BY ALL ORDER BY month, {by}",
        params,
        actions=actions,
    )


@dataclass(frozen=True)
class Commitments:
    """The units' planned commitments over the plan's window.

    `units`: unit, actions, countries, committed_days (days with at least one action), overlap_days (days
    in two countries or more), person_days; most committed first. `spans`: unit, country_iso3, region,
    start_date, end_date, actions (a unit's actions in one country merged where they touch). `overlaps`:
    unit, start_date, end_date, countries (the days one unit is committed in two places). `periods`: unit,
    start_date, end_date, actions, countries (a unit's days of commitment merged whatever the country, for a
    timeline of too many spans to draw one by one).
    """

    units: pd.DataFrame
    spans: pd.DataFrame
    overlaps: pd.DataFrame
    periods: pd.DataFrame


def _commitment_scope(filters: Filters, today: dt.date) -> tuple[str, list[object], dt.date, dt.date]:
    first, last = horizon(today)
    # Planned actions, started or not, that overlap the window (the period filter is the window).
    where, params = where_clause(filters.change(start=None, end=last, statuses=ALL_STATES))
    return (
        f"{where} AND {_PLANNED} AND end_date >= DATE '{first.isoformat()}' AND unit IS NOT NULL",
        params,
        first,
        last,
    )


# A unit's actions clipped to the window, merged per country where they touch or overlap (gaps and islands):
# one scan of the actions, a few thousand spans at most even at a million actions.
_SPANS = """
WITH clipped AS (
    SELECT unit, country_iso3, region, person_days,
           greatest(start_date, DATE '{first}') AS s, least(end_date, DATE '{last}') AS e
    FROM actions WHERE {where}
),
ordered AS (
    SELECT *, max(e) OVER (PARTITION BY unit, country_iso3 ORDER BY s, e
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM clipped
),
numbered AS (
    SELECT *, sum(CASE WHEN reach IS NULL OR s > reach + 1 THEN 1 ELSE 0 END)
              OVER (PARTITION BY unit, country_iso3 ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS span
    FROM ordered
)
SELECT unit, country_iso3, any_value(region) AS region, min(s) AS start_date, max(e) AS end_date,
       count(*) AS actions, coalesce(sum(person_days), 0)::BIGINT AS person_days
FROM numbered GROUP BY unit, country_iso3, span ORDER BY unit, start_date, country_iso3
"""

# Then, per unit, a sweep over its spans: `active` is the number of countries it is committed in from `day`
# to the day before `next_day` (spans of one country never overlap, so two active spans are two places).
_SWEEP = """
WITH steps AS (
    SELECT unit, day, sum(d) AS d FROM (
        SELECT unit, start_date AS day, 1 AS d FROM spans
        UNION ALL SELECT unit, end_date + 1 AS day, -1 AS d FROM spans
    ) GROUP BY unit, day
),
sweep AS (
    SELECT unit, day, lead(day) OVER (PARTITION BY unit ORDER BY day) AS next_day,
           sum(d) OVER (PARTITION BY unit ORDER BY day ROWS UNBOUNDED PRECEDING) AS active
    FROM steps
)
"""


def _periods(places: int) -> str:
    """SQL of `periods` (unit, start_date, end_date): the days a unit is committed in `places` countries or
    more, consecutive days merged; follows `_SWEEP`."""
    return f"""
        busy AS (
            SELECT unit, day, next_day - 1 AS last_day FROM sweep WHERE active >= {places} AND next_day IS NOT NULL
        ),
        joined AS (
            SELECT *, sum(CASE WHEN previous_last IS NULL OR day > previous_last + 1 THEN 1 ELSE 0 END)
                      OVER (PARTITION BY unit ORDER BY day ROWS UNBOUNDED PRECEDING) AS period
            FROM (SELECT *, lag(last_day) OVER (PARTITION BY unit ORDER BY day) AS previous_last FROM busy)
        ),
        periods AS (SELECT unit, min(day) AS start_date, max(last_day) AS end_date FROM joined GROUP BY unit, period)
    """


def commitments(actions: pa.Table, filters: Filters, today: dt.date) -> Commitments:
    where, params, first, last = _commitment_scope(filters, today)
    # Kept in Arrow for the three queries on it (a frame would be converted back for each).
    spans = arrow_sql(
        _SPANS.format(where=where, first=first.isoformat(), last=last.isoformat()), params, actions=actions
    )
    units = sql(
        _SWEEP
        + """,
        days AS (
            SELECT unit, sum(CASE WHEN active >= 1 THEN next_day - day ELSE 0 END)::BIGINT AS committed_days,
                   sum(CASE WHEN active >= 2 THEN next_day - day ELSE 0 END)::BIGINT AS overlap_days
            FROM sweep WHERE next_day IS NOT NULL GROUP BY unit
        ),
        per_unit AS (
            SELECT unit, sum(actions)::BIGINT AS actions, count(DISTINCT country_iso3) AS countries,
                   sum(person_days)::BIGINT AS person_days
            FROM spans GROUP BY unit
        )
        SELECT p.unit, p.actions, p.countries, d.committed_days, d.overlap_days, p.person_days
        FROM per_unit p JOIN days d USING (unit)
        ORDER BY committed_days DESC, actions DESC, unit
        """,
        spans=spans,
    )
    overlaps = sql(
        _SWEEP
        + f""",
        {_periods(2)}
        SELECT p.unit, p.start_date, p.end_date, list_sort(list_distinct(list(s.country_iso3))) AS countries
        FROM periods p JOIN spans s
          ON s.unit = p.unit AND s.start_date <= p.end_date AND s.end_date >= p.start_date
        GROUP BY p.unit, p.start_date, p.end_date
        ORDER BY p.unit, p.start_date
        """,
        spans=spans,
    )
    periods = sql(
        _SWEEP
        + f""",
        {_periods(1)}
        SELECT p.unit, p.start_date, p.end_date, sum(s.actions)::BIGINT AS actions,
               count(DISTINCT s.country_iso3) AS countries
        FROM periods p JOIN spans s
          ON s.unit = p.unit AND s.start_date <= p.end_date AND s.end_date >= p.start_date
        GROUP BY p.unit, p.start_date, p.end_date
        ORDER BY p.unit, p.start_date
        """,
        spans=spans,
    )
    return Commitments(units, spans.drop_columns(["person_days"]).to_pandas(), overlaps, periods)


def realisation(actions: pa.Table, filters: Filters, today: dt.date, by: str = "year") -> pd.DataFrame:
    """Planned against realised per `by` (year, country_iso3 or region), whatever the status filter.

    Columns: `by`, programmed (every action), due (last day past), realised, cancelled, postponed,
    not_updated (planned, last day past), to_come (planned, last day not past) and rate (realised / due;
    empty when nothing is due).
    """
    return realisations(actions, filters, today, (by,))[by]


def realisations(
    actions: pa.Table, filters: Filters, today: dt.date, by: tuple[str, ...] = ("year", "country_iso3")
) -> dict[str, pd.DataFrame]:
    """`realisation` for each of `by`, in one scan of the actions."""
    unknown = [b for b in by if b not in ("year", "country_iso3", "region")]
    if unknown or not by:
        raise ValueError(f"répartition inconnue : {unknown}")
    where, params = where_clause(filters.change(statuses=ALL_STATES))
    due = f"end_date < DATE '{today.isoformat()}'"
    sets = ", ".join(f"({b})" for b in by)
    frame = sql(
        f"SELECT {', '.join(by)}, count(*) AS programmed, count(*) FILTER (WHERE {due}) AS due,"
        f" count(*) FILTER (WHERE status = '{REALISED}') AS realised,"
        " count(*) FILTER (WHERE status = 'annulée') AS cancelled,"
        " count(*) FILTER (WHERE status = 'reportée') AS postponed,"
        f" count(*) FILTER (WHERE status = '{PLANNED}' AND {due}) AS not_updated,"
        f" count(*) FILTER (WHERE status = '{PLANNED}' AND NOT {due}) AS to_come"
        f" FROM actions WHERE {where} GROUP BY GROUPING SETS ({sets}) ORDER BY {', '.join(by)}",
        params,
        actions=actions,
    )
    # Realised among the actions due: an action realised early (last day still ahead) counts in both.
    frame["rate"] = frame["realised"].where(frame["due"] > 0) / frame["due"].where(frame["due"] > 0)
    others = {b: [o for o in by if o != b] for b in by}
    return {
        b: frame[frame[b].notna()].drop(columns=others[b]).reset_index(drop=True) if len(by) > 1 else frame for b in by
    }


def called_off_reasons(actions: pa.Table, filters: Filters) -> pd.DataFrame:
    """Cancelled and postponed actions of the selection per reason: status, reason, actions."""
    where, params = where_clause(filters.change(statuses=CALLED_OFF))
    return sql(
        f"SELECT status, coalesce(nullif(trim(cancellation_reason), ''), '{NO_REASON}') AS reason,"
        f" count(*) AS actions FROM actions WHERE {where} GROUP BY ALL ORDER BY status, actions DESC, reason",
        params,
        actions=actions,
    )


def called_off_rows(actions: pa.Table, filters: Filters, limit: int = 100) -> pd.DataFrame:
    """The latest cancelled and postponed actions of the selection, with their reason."""
    where, params = where_clause(filters.change(statuses=CALLED_OFF))
    return sql(
        "SELECT start_date, end_date, title, country_iso3, unit, status, cancellation_reason FROM actions"
        f" WHERE {where} ORDER BY start_date DESC, action_id LIMIT {int(limit)}",
        params,
        actions=actions,
    )


# Assessment of realised actions.

_LEVEL = "CASE assessment " + " ".join(f"WHEN '{c}' THEN {s}" for c, s in ASSESSMENT_SCORES.items()) + " END"


@dataclass(frozen=True)
class AssessmentSummary:
    realised: int
    assessed: int
    # Mean level of the assessed actions, 0 (non atteint) to 3 (dépassé); None when none is assessed.
    mean_level: float | None

    @property
    def share(self) -> float | None:
        return self.assessed / self.realised if self.realised else None


def assessment_summary(actions: pa.Table, filters: Filters) -> AssessmentSummary:
    """Realised actions of the selection, how many are assessed and their mean level."""
    where, params = where_clause(filters.change(statuses=(REALISED,)))
    row = sql(
        f"SELECT count(*) AS realised, count(assessment) AS assessed, avg({_LEVEL}) AS mean_level"
        f" FROM actions WHERE {where}",
        params,
        actions=actions,
    ).iloc[0]
    mean = row["mean_level"]
    return AssessmentSummary(int(row["realised"]), int(row["assessed"]), None if pd.isna(mean) else float(mean))


def assessment_levels(actions: pa.Table, filters: Filters, by: str) -> pd.DataFrame:
    """Realised actions of the selection per `by` value and assessment (NOT_ASSESSED when none):
    `by`, assessment, actions, share (of the `by` value's realised actions), mean_level (of its
    assessed ones). By superiority factor, an action counts once under each of its factors."""
    if by not in ("mode", "strategic_function", FACTOR, "region", "country_iso3", "year"):
        raise ValueError(f"répartition inconnue : {by}")
    where, params = where_clause(filters.change(statuses=(REALISED,)))
    source = "actions"
    if by == FACTOR:
        source = f"(SELECT *, unnest(superiority_factors) AS {FACTOR} FROM actions WHERE {where})"
        where = "TRUE"
    return sql(
        f"WITH levels AS (SELECT {by}, coalesce(assessment, '{NOT_ASSESSED}') AS assessment, count(*) AS actions,"
        f" sum({_LEVEL}) AS level_sum FROM {source} WHERE {where} GROUP BY ALL)"
        f" SELECT {by}, assessment, actions, actions / sum(actions) OVER (PARTITION BY {by}) AS share,"
        f" sum(level_sum) OVER (PARTITION BY {by})"
        f" / nullif(sum(CASE WHEN assessment <> '{NOT_ASSESSED}' THEN actions END) OVER (PARTITION BY {by}), 0)"
        " AS mean_level"
        f" FROM levels ORDER BY {by}, assessment",
        params,
        actions=actions,
    )


def assessed_rows(actions: pa.Table, filters: Filters, limit: int = 100) -> pd.DataFrame:
    """The latest realised actions of the selection with their objective and assessment."""
    where, params = where_clause(filters.change(statuses=(REALISED,)))
    return sql(
        "SELECT start_date, end_date, title, mode, objective, assessment, assessment_note FROM actions"
        f" WHERE {where} ORDER BY start_date DESC, action_id LIMIT {int(limit)}",
        params,
        actions=actions,
    )


def planned_rows(actions: pa.Table, filters: Filters, today: dt.date, limit: int = 100) -> pd.DataFrame:
    """The next planned actions of the selection (started or not) with their objective."""
    where, params = where_clause(filters.change(start=None, end=None, statuses=ALL_STATES))
    return sql(
        "SELECT start_date, end_date, title, mode, unit, objective FROM actions"
        f" WHERE {where} AND {_PLANNED} AND end_date >= DATE '{today.isoformat()}'"
        f" ORDER BY start_date, action_id LIMIT {int(limit)}",
        params,
        actions=actions,
    )


# The levels in the order charts show them: the assessments, then the actions not assessed.
ASSESSMENT_ORDER: tuple[str, ...] = (*ASSESSMENTS.codes, NOT_ASSESSED)
