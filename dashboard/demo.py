"""Deterministic demo data: fictional PMO actions and meetings, plus the real
public events of the source documents.

`demo_actions()` gives about 1,500 actions a year from 2019 to 2025 in about
sixty partner countries, then the same pace up to twelve months after today:
realised, cancelled and postponed actions (with their reasons) before today,
planned ones after it, and an assessment on about two thirds of the realised
ones. `synthetic_actions(n)` gives any number of actions of the same shape for
benchmarks. Both are vectorised and seeded: the same call on the same day
always gives the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import status as statuses
from dashboard.i18n import N_
from dashboard.reference import country_name, region_of
from dashboard.schema import (
    ACTION_STATUSES,
    ACTIONS,
    ASSESSMENTS,
    FORCES,
    FRAMEWORKS,
    MEETINGS,
    MODES,
    PILLARS,
    STRATEGIC_FUNCTIONS,
    SUPERIORITY_FACTORS,
)

PUBLIC = Path(__file__).resolve().parent.parent / "data" / "public"
SEED = 20190621  # the day CaMo entered into force
# The `source` noted on the first commit of a store filled with the demo data (how a store is known as demo).
DEMO_NOTICE = N_(
    "Données de démonstration fictives, générées pour illustrer le tableau de bord ; "
    "seules les rencontres publiques citées par les sources sont réelles."
)

# Actions per year: a dip in 2020 (pandemic), then back to about 1,500.
YEAR_COUNTS = {2019: 1480, 2020: 1090, 2021: 1360, 2022: 1510, 2023: 1540, 2024: 1600, 2025: 1560}
# Each year after 2025, up to twelve months after today (see `plan_counts`).
LATER_YEAR_COUNT = 1580
PLAN_MONTHS = 12


@dataclass(frozen=True)
class Partner:
    iso3: str
    weight: float
    first_year: int = 2019
    last_year: int = 9999  # still a partner
    force: str = "régiments de métropole"
    opex: bool = False


# Heaviest in Africa, then Europe, the Middle East and the Indo-Pacific.
PARTNERS: tuple[Partner, ...] = (
    Partner("SEN", 5.0, force="forces de présence"),
    Partner("CIV", 5.5, force="forces de présence"),
    Partner("GAB", 4.0, force="forces de présence"),
    Partner("DJI", 4.5, force="forces de présence"),
    Partner("CMR", 3.0),
    Partner("TCD", 3.5, last_year=2024, opex=True),
    Partner("NER", 3.0, last_year=2023, opex=True),
    Partner("MLI", 3.5, last_year=2022, opex=True),
    Partner("BFA", 2.5, last_year=2022, opex=True),
    Partner("MRT", 2.0),
    Partner("BEN", 2.0, force="forces de présence"),
    Partner("TGO", 1.5, force="forces de présence"),
    Partner("GIN", 1.2),
    Partner("GHA", 1.2),
    Partner("NGA", 1.0),
    Partner("COD", 1.2),
    Partner("COG", 1.0, force="forces de présence"),
    Partner("CAF", 1.0, last_year=2021),
    Partner("MAR", 2.0),
    Partner("TUN", 1.5),
    Partner("KEN", 1.0, force="forces de présence"),
    Partner("MDG", 1.2, force="forces de souveraineté"),
    Partner("COM", 0.8, force="forces de souveraineté"),
    Partner("MUS", 0.6, force="forces de souveraineté"),
    Partner("BEL", 4.5),
    Partner("DEU", 2.5),
    Partner("GBR", 2.5),
    Partner("ITA", 1.5),
    Partner("ESP", 1.2),
    Partner("EST", 2.0, opex=True),
    Partner("LTU", 1.0),
    Partner("ROU", 2.5, first_year=2022, opex=True),
    Partner("POL", 1.2),
    Partner("GRC", 1.0),
    Partner("CZE", 0.8),
    Partner("UKR", 3.0, first_year=2022),
    Partner("MDA", 0.8),
    Partner("GEO", 0.8),
    Partner("NLD", 0.8),
    Partner("ARM", 0.6, first_year=2024),
    Partner("JOR", 2.5),
    Partner("LBN", 2.5),
    Partner("ARE", 3.0, force="forces de présence"),
    Partner("QAT", 1.2),
    Partner("SAU", 1.0),
    Partner("IRQ", 2.0, opex=True),
    Partner("KWT", 0.8),
    Partner("EGY", 1.2),
    Partner("JPN", 1.5),
    Partner("AUS", 1.5, force="forces de souveraineté"),
    Partner("IND", 1.5),
    Partner("SGP", 0.8),
    Partner("IDN", 0.8),
    Partner("VNM", 0.5),
    Partner("KOR", 0.6),
    Partner("VUT", 0.8, force="forces de souveraineté"),
    Partner("FJI", 0.6, force="forces de souveraineté"),
    Partner("PNG", 0.5, force="forces de souveraineté"),
    Partner("USA", 1.5),
    Partner("CAN", 0.6),
    Partner("BRA", 0.8, force="forces de souveraineté"),
    Partner("SUR", 0.5, force="forces de souveraineté"),
    Partner("DOM", 0.4, force="forces de souveraineté"),
)

UNITS = {
    "forces de présence": (
        "5e RIAOM (Djibouti)",
        "6e BIMa (Gabon)",
        "43e BIMa (Côte d'Ivoire)",
        "EFS (Sénégal)",
        "13e DBLE (Émirats arabes unis)",
    ),
    "forces de souveraineté": (
        "RIMaP-NC (Nouvelle-Calédonie)",
        "RIMaP-P (Polynésie)",
        "2e RPIMa (La Réunion)",
        "3e REI (Guyane)",
        "33e RIMa (Martinique)",
    ),
    "régiments de métropole": (
        "1er RIMa",
        "2e REP",
        "3e RPIMa",
        "8e RPIMa",
        "92e RI",
        "126e RI",
        "1er RCP",
        "35e RAP",
        "2e RD",
        "3e RG",
        "1er RHC",
        "17e RGP",
        "1er RI",
        "2e RIMa",
        "3e RIMa",
        "21e RIMa",
        "152e RI",
        "1er RTir",
        "16e BC",
        "7e BCA",
        "13e BCA",
        "27e BCA",
        "501e RCC",
        "1er REC",
        "1er RCh",
        "4e RCh",
        "12e RC",
        "2e RH",
        "1er REG",
        "2e REI",
        "13e RG",
        "19e RG",
        "31e RG",
        "11e RAMa",
        "40e RA",
        "68e RAA",
        "93e RAM",
        "28e GG",
        "40e RT",
        "48e RT",
        "3e RHC",
        "5e RHC",
    ),
    "écoles et centres": (
        "École d'infanterie",
        "École de cavalerie",
        "Écoles de Saint-Cyr Coëtquidan",
        "CENZUB",
        "CPMO",
        "École du génie",
    ),
}

THEMES = (
    "combat en zone urbaine",
    "tir de combat",
    "secourisme au combat",
    "lutte contre les engins explosifs improvisés",
    "commandement de section",
    "planification opérationnelle",
    "renseignement",
    "transmissions",
    "logistique de l'avant",
    "maintenance des véhicules",
    "appui feu",
    "aguerrissement",
    "contrôle de zone",
    "formation de formateurs",
    "état-major de bataillon",
    "déminage",
    "parachutisme",
    "combat en jungle",
    "combat en montagne",
    "droit des conflits armés",
)

# Mode weights (conseil, formation, entraînement, accompagnement) and
# duration range in days per mode.
_MODE_WEIGHTS = {
    "Afrique": (0.25, 0.40, 0.25, 0.10),
    "Europe": (0.10, 0.25, 0.65, 0.00),
    "Moyen-Orient": (0.30, 0.40, 0.20, 0.10),
    "Indo-Pacifique": (0.15, 0.30, 0.55, 0.00),
    "Amériques": (0.15, 0.35, 0.50, 0.00),
}
_DURATION = {"conseil": (3, 30), "formation": (5, 45), "entraînement": (3, 21), "accompagnement au combat": (30, 150)}
_PERSONNEL = {
    "conseil": (2, 12),
    "formation": (4, 30),
    "entraînement": (10, 160),
    "accompagnement au combat": (15, 120),
}
_TRAINEES = {
    "conseil": (5, 60),
    "formation": (15, 250),
    "entraînement": (30, 400),
    "accompagnement au combat": (40, 600),
}
_FACTOR_WEIGHTS = np.array([0.22, 0.27, 0.04, 0.13, 0.04, 0.04, 0.22, 0.04])
_FRAMEWORK_WEIGHTS = {
    "Afrique": (0.50, 0.20, 0.00, 0.10, 0.20),
    "Europe": (0.15, 0.05, 0.45, 0.15, 0.20),
    "Moyen-Orient": (0.45, 0.15, 0.10, 0.05, 0.25),
    "Indo-Pacifique": (0.35, 0.10, 0.00, 0.05, 0.50),
    "Amériques": (0.35, 0.10, 0.10, 0.00, 0.45),
}


# What each mode aims at; the theme of the action completes the sentence.
_OBJECTIVES = {
    "conseil": "Renforcer l'état-major partenaire : ",
    "formation": "Rendre les cadres partenaires autonomes : ",
    "entraînement": "Certifier l'unité partenaire : ",
    "accompagnement au combat": "Conduire avec l'unité partenaire des opérations autonomes : ",
}
# Weights of (non atteint, partiellement atteint, atteint, dépassé) by mode, shifted by region:
# combat partnering reaches its objectives less often than training, and Africa and the Middle
# East less often than Europe.
_ASSESSMENT_WEIGHTS = {
    "conseil": (0.10, 0.33, 0.45, 0.12),
    "formation": (0.05, 0.22, 0.53, 0.20),
    "entraînement": (0.06, 0.24, 0.52, 0.18),
    "accompagnement au combat": (0.18, 0.37, 0.37, 0.08),
}
_ASSESSMENT_REGION_SHIFT = {
    "Afrique": (0.03, 0.04, -0.05, -0.02),
    "Europe": (-0.03, -0.04, 0.03, 0.04),
    "Moyen-Orient": (0.04, 0.03, -0.05, -0.02),
    "Indo-Pacifique": (-0.02, -0.02, 0.02, 0.02),
    "Amériques": (0.0, 0.0, 0.0, 0.0),
}
_ASSESSMENT_NOTES = {
    "non atteint": (
        "Stagiaires moins nombreux que prévu ; module à reprendre.",
        "Prérequis non acquis par l'unité partenaire.",
        "Action écourtée par la situation sécuritaire.",
    ),
    "partiellement atteint": (
        "Acquis à consolider lors d'une prochaine action.",
        "Formateurs partenaires à accompagner encore.",
        "Matériel partenaire indisponible pour une partie des exercices.",
    ),
    "atteint": (
        "Contrôle final réussi par l'unité partenaire.",
        "Objectifs tenus dans les délais.",
        "Cadres partenaires en mesure de reprendre la formation.",
    ),
    "dépassé": (
        "Unité partenaire certifiée avant le terme prévu.",
        "Formateurs partenaires déjà autonomes.",
        "Demande du partenaire d'étendre l'action à une autre unité.",
    ),
}
CANCELLATION_REASONS = (
    "Dégradation de la situation sécuritaire",
    "Demande du pays partenaire",
    "Unité réengagée en opération",
    "Réorientation de la coopération",
    "Contraintes budgétaires",
)
POSTPONEMENT_REASONS = (
    "Demande du pays partenaire",
    "Calendrier électoral du pays partenaire",
    "Indisponibilité de l'unité désignée",
    "Saison des pluies",
    "Retard de livraison des équipements",
)


def _choice(rng: np.random.Generator, weights: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """For each row, an index drawn from that row's weights (rows index `weights`)."""
    cumulative = np.cumsum(weights, axis=1)
    cumulative /= cumulative[:, -1:]
    draws = rng.random(len(rows))
    return (draws[:, None] > cumulative[rows]).sum(axis=1)


def _take(values: tuple[str, ...] | list[str], indices: np.ndarray) -> pa.Array:
    return pa.array(list(values)).take(pa.array(indices, type=pa.int32()))


def _partner_weights(years: list[int]) -> np.ndarray:
    return np.array([[p.weight if p.first_year <= y <= p.last_year else 0.0 for p in PARTNERS] for y in years])


def synthetic_actions(
    year_counts: dict[int, int], *, seed: int = SEED, first_number: int = 0, today: dt.date | None = None
) -> pa.Table:
    """Actions following the contract, `year_counts[y]` of them starting in year y, with statuses and
    assessments as of `today` (the real today by default)."""
    rng = np.random.default_rng([seed, first_number])
    years_list = sorted(year_counts)
    year_index = np.repeat(np.arange(len(years_list)), [year_counts[y] for y in years_list])
    n = len(year_index)
    years = np.array(years_list)[year_index]

    partner = _choice(rng, _partner_weights(years_list), year_index)
    iso3 = np.array([p.iso3 for p in PARTNERS])[partner]
    regions = tuple(_MODE_WEIGHTS)
    region_index = np.array([regions.index(region_of(p.iso3)) for p in PARTNERS])[partner]
    opex_partner = np.array([p.opex for p in PARTNERS])[partner]

    mode = _choice(rng, np.array([_MODE_WEIGHTS[r] for r in regions]), region_index)
    # Combat partnering happens only where French forces were engaged in operations.
    mode = np.where((mode == 3) & ~opex_partner, 2, mode)
    mode_codes = MODES.codes

    low = np.array([_DURATION[m][0] for m in mode_codes])[mode]
    high = np.array([_DURATION[m][1] for m in mode_codes])[mode]
    duration = (low + (high - low) * rng.beta(1.4, 3.0, n)).astype(np.int64)
    year_start = np.array([dt.date(y, 1, 1).toordinal() for y in years_list])[year_index]
    days_in_year = np.where((years % 4 == 0), 366, 365)
    start_ordinal = year_start + rng.integers(0, days_in_year)
    epoch = dt.date(1970, 1, 1).toordinal()
    start = (start_ordinal - epoch).astype("int32")
    end = (start + duration - 1).astype("int32")

    # Strategic function follows the mode: combat partnering is intervention,
    # the rest mostly prevention, with knowledge and protection mixed in.
    function_weights = np.array(
        [
            (0.55, 0.00, 0.35, 0.10),
            (0.75, 0.00, 0.15, 0.10),
            (0.60, 0.05, 0.15, 0.20),
            (0.05, 0.85, 0.05, 0.05),
        ]
    )
    function = _choice(rng, function_weights, mode)

    factor_count = rng.choice([1, 2, 3], size=n, p=[0.45, 0.4, 0.15])
    keys = rng.random((n, len(_FACTOR_WEIGHTS))) ** (1 / _FACTOR_WEIGHTS)
    ranked = np.argsort(-keys, axis=1)
    keep = np.arange(len(_FACTOR_WEIGHTS))[None, :] < factor_count[:, None]
    factor_values = _take(SUPERIORITY_FACTORS.codes, ranked[keep])
    offsets = pa.array(np.concatenate([[0], np.cumsum(factor_count)]).astype("int32"))
    factors = pa.ListArray.from_arrays(offsets, factor_values)

    pillar = rng.choice(4, size=n, p=[0.55, 0.30, 0.05, 0.10])
    pillar_missing = rng.random(n) < 0.04
    framework = _choice(rng, np.array([_FRAMEWORK_WEIGHTS[r] for r in regions]), region_index)
    partner_force = np.array([FORCES.codes.index(p.force) for p in PARTNERS])[partner]
    force = np.where(rng.random(n) < 0.55, partner_force, rng.choice([2, 3], size=n, p=[0.8, 0.2]))
    force = np.where(mode == 3, 2, force)
    opex = opex_partner & (rng.random(n) < np.where(mode == 3, 1.0, 0.35))

    unit_offsets = {f: rng.integers(0, len(UNITS[f]), n) for f in FORCES.codes}
    unit_names = [name for f in FORCES.codes for name in UNITS[f]]
    unit_base = np.cumsum([0] + [len(UNITS[f]) for f in FORCES.codes])[:-1]
    unit_index = unit_base[force] + np.choose(force, [unit_offsets[f] for f in FORCES.codes])
    unit_missing = rng.random(n) < 0.03

    p_low = np.array([_PERSONNEL[m][0] for m in mode_codes])[mode]
    p_high = np.array([_PERSONNEL[m][1] for m in mode_codes])[mode]
    personnel = (p_low + (p_high - p_low) * rng.beta(1.3, 3.0, n)).astype(np.int64)
    t_low = np.array([_TRAINEES[m][0] for m in mode_codes])[mode]
    t_high = np.array([_TRAINEES[m][1] for m in mode_codes])[mode]
    trainees = (t_low + (t_high - t_low) * rng.beta(1.3, 3.0, n)).astype(np.int64)

    camo = (iso3 == "BEL") & (rng.random(n) < 0.6) & (years >= 2019)
    programme = np.full(n, None, dtype=object)
    programme[camo] = "CaMo"
    pillar = np.where(camo & (rng.random(n) < 0.5), 2, pillar)

    theme = rng.integers(0, len(THEMES), n)
    mode_labels = _take([MODES.label(m) for m in mode_codes], mode)
    country_names = _take([country_name(p.iso3) for p in PARTNERS], partner)
    title = pc.binary_join_element_wise(mode_labels, _take(THEMES, theme), " : ")
    title = pc.binary_join_element_wise(title, country_names, " – ")

    numbers = pa.array(np.arange(first_number, first_number + n))
    action_id = pc.binary_join_element_wise(
        "PMO-", pc.cast(pa.array(years), pa.string()), "-", pc.utf8_lpad(pc.cast(numbers, pa.string()), 7, "0"), ""
    )
    table = pa.table(
        {
            "action_id": action_id,
            "title": title,
            "start_date": pa.array(start, type=pa.date32()),
            "end_date": pa.array(end, type=pa.date32()),
            "country_iso3": pa.array(iso3),
            "mode": _take(mode_codes, mode),
            "strategic_function": _take(STRATEGIC_FUNCTIONS.codes, function),
            "superiority_factors": factors,
            "pillar": pc.if_else(pa.array(pillar_missing), pa.scalar(None, pa.string()), _take(PILLARS.codes, pillar)),
            "framework": _take(FRAMEWORKS.codes, framework),
            "opex": pa.array(opex),
            "force": _take(FORCES.codes, force),
            "unit": pc.if_else(pa.array(unit_missing), pa.scalar(None, pa.string()), _take(unit_names, unit_index)),
            "french_personnel": pa.array(personnel),
            "partner_trainees": pa.array(trainees),
            "programme": pa.array(programme, type=pa.string()),
            "description": pa.nulls(n, pa.string()),
            **_plan_columns(
                np.random.default_rng([seed, first_number, 1]),
                start=start,
                end=end,
                mode=mode,
                region=region_index,
                theme=theme,
                today=today or dt.date.today(),
            ),
        }
    )
    return table.cast(ACTIONS.arrow_schema())


def _plan_columns(
    rng: np.random.Generator,
    *,
    start: np.ndarray,
    end: np.ndarray,
    mode: np.ndarray,
    region: np.ndarray,
    theme: np.ndarray,
    today: dt.date,
) -> dict[str, pa.Array]:
    """Status, objective, assessment and reasons of actions as of `today` (a generator of their own, so
    the other columns stay those of a call without them)."""
    n = len(start)
    day = (today - dt.date(1970, 1, 1)).days
    ended, coming = end < day, start > day
    draw = rng.random(n)
    status = np.full(n, ACTION_STATUSES.codes.index("prévue"))
    # Before today: most actions realised, a few cancelled or postponed; some that ended in the last two
    # months still wait for their status to be updated. After today: planned, a few already called off.
    status = np.where(ended, ACTION_STATUSES.codes.index("réalisée"), status)
    status = np.where(ended & (end >= day - 60) & (rng.random(n) < 0.15), 0, status)
    called_off = ended | coming
    status = np.where(called_off & (draw < 0.045), ACTION_STATUSES.codes.index("annulée"), status)
    status = np.where(called_off & (draw >= 0.045) & (draw < 0.08), ACTION_STATUSES.codes.index("reportée"), status)
    realised = status == ACTION_STATUSES.codes.index("réalisée")
    cancelled = status == ACTION_STATUSES.codes.index("annulée")
    postponed = status == ACTION_STATUSES.codes.index("reportée")

    regions = tuple(_MODE_WEIGHTS)
    weights = np.array(
        [
            np.clip(np.add(_ASSESSMENT_WEIGHTS[m], _ASSESSMENT_REGION_SHIFT[r]), 0.01, None)
            for m in MODES.codes
            for r in regions
        ]
    )
    level = _choice(rng, weights, mode * len(regions) + region)
    # About two thirds of the realised actions assessed; the most recent ones less often, not yet reviewed.
    assessed = realised & (rng.random(n) < np.where(end >= day - 90, 0.3, 0.7))
    note_pick = rng.integers(0, 3, n)
    notes = [note for code in ASSESSMENTS.codes for note in _ASSESSMENT_NOTES[code]]
    noted = assessed & (rng.random(n) < 0.6)
    reason = rng.integers(0, len(CANCELLATION_REASONS), n)
    objective = pc.binary_join_element_wise(
        _take([_OBJECTIVES[m] for m in MODES.codes], mode), _take(THEMES, theme), ""
    )
    no_text = pa.scalar(None, pa.string())
    return {
        "status": _take(ACTION_STATUSES.codes, status),
        "objective": pc.if_else(pa.array(rng.random(n) < 0.85), objective, no_text),
        "assessment": pc.if_else(pa.array(assessed), _take(ASSESSMENTS.codes, level), no_text),
        "assessment_note": pc.if_else(pa.array(noted), _take(notes, level * 3 + note_pick), no_text),
        "cancellation_reason": pc.if_else(
            pa.array(cancelled),
            _take(CANCELLATION_REASONS, reason),
            pc.if_else(pa.array(postponed), _take(POSTPONEMENT_REASONS, reason), no_text),
        ),
    }


def public_rows(table: str) -> pa.Table:
    """The real public events of `table`, kept in data/public/ in the import's format so that an officer can
    review and correct them without reading code, and read by the import as any file."""
    from dashboard.ingest import analyse

    path = PUBLIC / f"{table}.csv"
    report = analyse(path.name, path.read_bytes(), table)
    if report.errors:
        raise ValueError(f"{path} : " + " ; ".join(str(problem) for problem in report.errors))
    return report.valid_rows()


def _named_actions() -> pa.Table:
    """Actions the source documents name (dates indicative where they give none), from data/public/actions.csv."""
    return public_rows("actions")


def plan_counts(today: dt.date) -> dict[int, int]:
    """Actions per year after 2025, for the years up to twelve months after `today`."""
    horizon = _months_after(today, PLAN_MONTHS)
    return {year: LATER_YEAR_COUNT for year in range(max(YEAR_COUNTS) + 1, horizon.year + 1)}


def _months_after(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


def demo_actions(today: dt.date | None = None) -> pa.Table:
    """The demo actions as of `today`: the record from 2019, and the plan up to twelve months ahead."""
    today = today or dt.date.today()
    parts = [synthetic_actions(YEAR_COUNTS, today=today), _named_actions()]
    later = plan_counts(today)
    if later:
        # Numbered after the first years, so their rows never change with the date.
        rows = synthetic_actions(later, first_number=sum(YEAR_COUNTS.values()), today=today)
        horizon = pa.scalar(_months_after(today, PLAN_MONTHS), pa.date32())
        parts.append(rows.filter(pc.less_equal(rows.column("start_date"), horizon)))
    return _planned_units(pa.concat_tables(parts), today)


def _planned_units(actions: pa.Table, today: dt.date) -> pa.Table:
    """The plan as a staff would draw it: each planned action goes to the first unit of its force that is
    free on its dates (or already in that country), so a unit is committed in two places only when every
    unit of its force is taken."""
    rows = actions.select(["start_date", "end_date", "country_iso3", "force", "unit", "status"]).to_pylist()
    busy: dict[str, list[tuple[dt.date, dt.date, str]]] = {name: [] for names in UNITS.values() for name in names}
    planned = sorted(
        (i for i, r in enumerate(rows) if r["status"] == "prévue" and r["end_date"] >= today and r["unit"]),
        key=lambda i: (rows[i]["start_date"], i),
    )
    units = [r["unit"] for r in rows]
    for i in planned:
        row = rows[i]
        pool = UNITS[row["force"]]
        start = pool.index(row["unit"]) if row["unit"] in pool else 0
        for name in pool[start:] + pool[:start]:
            if all(e < row["start_date"] or s > row["end_date"] or c == row["country_iso3"] for s, e, c in busy[name]):
                units[i] = name
                break
        busy[units[i]].append((row["start_date"], row["end_date"], row["country_iso3"]))
    return actions.set_column(actions.schema.get_field_index("unit"), "unit", pa.array(units, pa.string()))


def synthetic_chunks(
    total: int, *, chunk: int = 1_000_000, seed: int = SEED, today: dt.date | None = None
) -> Iterator[pa.Table]:
    """`total` actions spread evenly over the demo years and the following ones up to twelve months after
    `today`, in chunks of `chunk` rows."""
    today = today or dt.date.today()
    years = sorted(YEAR_COUNTS) + sorted(plan_counts(today))
    done = 0
    while done < total:
        size = min(chunk, total - done)
        counts = {y: size // len(years) + (1 if i < size % len(years) else 0) for i, y in enumerate(years)}
        yield synthetic_actions(counts, seed=seed, first_number=done, today=today)
        done += size


# Real public events, as the source documents give them.
def real_meetings() -> tuple[dict, ...]:
    """The real meetings of the source documents, from data/public/meetings.csv; their status follows the dates
    of the day the demo is built for."""
    rows = public_rows("meetings").to_pylist()
    return tuple({**row, "status": None} for row in rows)


_STAFF_TALK_PARTNERS = (
    "BEL",
    "DEU",
    "GBR",
    "ITA",
    "ESP",
    "USA",
    "JPN",
    "SEN",
    "CIV",
    "MAR",
    "JOR",
    "ARE",
    "IND",
    "AUS",
)
_VISIT_PARTNERS = ("BEL", "DEU", "GBR", "USA", "SEN", "CIV", "DJI", "ARE", "JPN", "ROU", "EST", "UKR", "IND", "EGY")
_EXERCISES = (
    ("Exercice Dynamic Front", "DEU"),
    ("Exercice Steadfast Defender", "POL"),
    ("Exercice Baltic Guardian", "EST"),
    ("Exercice Sahel Partenaire", "SEN"),
    ("Exercice Lagune", "CIV"),
    ("Exercice Sable d'Or", "ARE"),
    ("Exercice Shakti", "IND"),
    ("Exercice Croix du Sud", "AUS"),
    ("Exercice Tricolore", "BEL"),
    ("Exercice Dacian Fall", "ROU"),
)


def demo_meetings(*, seed: int = SEED, last_year: int | None = None, today: dt.date | None = None) -> pa.Table:
    """Fictional meetings 2019 to `last_year` (by default 2027, or the year twelve months after `today`
    when later), plus the real ones above; held or planned as of `today`, a few cancelled."""
    today = today or dt.date.today()
    last_year = last_year or max(2027, _months_after(today, PLAN_MONTHS).year)
    rng = np.random.default_rng(seed)
    rows: list[dict] = list(real_meetings())
    taken = {(m["kind"], m["start_date"]) for m in rows}
    notice = "Rencontre fictive (données de démonstration)."

    def add(number: int, year: int, month: int, day: int, days: int, **fields) -> None:
        start = dt.date(year, month, day)
        if (fields["kind"], start) in taken:
            return
        rows.append(
            {
                "meeting_id": f"RCT-{year}-{number:03d}",
                "start_date": start,
                "end_date": start + dt.timedelta(days=days - 1),
                "summary": notice,
                "topics": [],
                "partner_countries": [],
                "participants": None,
                "city": None,
                **fields,
            }
        )

    for year in range(2019, last_year + 1):
        n = 0
        for month in (2, 9):
            n += 1
            if not (year == 2024 and month == 2):
                add(
                    n,
                    year,
                    month,
                    int(rng.integers(20, 28)),
                    1,
                    title="Réunion semestrielle de l'EMI avec les partenaires",
                    kind="réunion OTAN",
                    body="EMI – Division Sécurité coopérative",
                    level="état-major",
                    format="virtuel" if year in (2020, 2021) else "présentiel",
                    city="Bruxelles",
                    country_iso3="BEL",
                    participants=int(rng.integers(24, 34)),
                    topics=["partenariats", "renforcement des capacités de défense"],
                )
        for month in (1, 5):
            n += 1
            add(
                n,
                year,
                month,
                int(rng.integers(14, 20)),
                2,
                title="Comité militaire de l'OTAN en session avec les partenaires",
                kind="réunion OTAN",
                body="Comité militaire de l'OTAN",
                level="CEMA/CHOD",
                format="virtuel" if year == 2020 else "présentiel",
                city="Bruxelles",
                country_iso3="BEL",
                participants=int(rng.integers(15, 40)),
                topics=["sécurité coopérative"],
            )
        for month in (3, 6, 10, 12):
            n += 1
            add(
                n,
                year,
                month,
                int(rng.integers(3, 25)),
                1,
                title="Comité militaire de l'UE",
                kind="réunion UE",
                body="Comité militaire de l'Union européenne",
                level="CEMA/CHOD",
                format=str(rng.choice(["présentiel", "hybride"])),
                city="Bruxelles",
                country_iso3="BEL",
                participants=27,
                topics=["politique de sécurité et de défense commune"],
            )
        for iso3 in rng.choice(_STAFF_TALK_PARTNERS, size=8, replace=False):
            n += 1
            add(
                n,
                year,
                int(rng.integers(1, 13)),
                int(rng.integers(1, 26)),
                int(rng.integers(2, 4)),
                title=f"Entretiens d'état-major France – {country_name(str(iso3))}",
                kind="entretiens d'état-major",
                body="BRI",
                level="état-major",
                format=str(rng.choice(["présentiel", "présentiel", "virtuel"])),
                city="Paris",
                country_iso3="FRA",
                partner_countries=[str(iso3)],
                participants=2,
                topics=["coopération bilatérale", "programme de PMO"],
            )
        for iso3 in rng.choice(_VISIT_PARTNERS, size=5, replace=False):
            n += 1
            add(
                n,
                year,
                int(rng.integers(1, 13)),
                int(rng.integers(1, 26)),
                int(rng.integers(1, 4)),
                title=f"Visite du CEMAT – {country_name(str(iso3))}",
                kind="rencontre de haut niveau",
                body="Cabinet du CEMAT",
                level="CEMAT",
                format="présentiel",
                country_iso3=str(iso3),
                partner_countries=[str(iso3)],
                participants=2,
                topics=["relations bilatérales"],
            )
        for title, iso3 in [_EXERCISES[i] for i in rng.choice(len(_EXERCISES), size=5, replace=False)]:
            n += 1
            add(
                n,
                year,
                int(rng.integers(1, 13)),
                int(rng.integers(1, 20)),
                int(rng.integers(5, 21)),
                title=f"{title} {year % 100:02d}",
                kind="exercice",
                body="BRI",
                level="état-major",
                format="présentiel",
                country_iso3=iso3,
                partner_countries=[iso3],
                participants=int(rng.integers(2, 12)),
                topics=["interopérabilité", "entraînement conjoint"],
            )
        n += 1
        add(
            n,
            year,
            11,
            int(rng.integers(10, 25)),
            2,
            title="Comité directeur du programme CaMo",
            kind="jalon de programme",
            body="Programme CaMo",
            level="CEMAT",
            format="présentiel",
            city="Bruxelles" if year % 2 else "Paris",
            country_iso3="BEL" if year % 2 else "FRA",
            partner_countries=["BEL"],
            participants=2,
            topics=["CaMo", "Scorpion"],
        )
    table = statuses.filled(pa.Table.from_pylist(rows, schema=MEETINGS.arrow_schema()), MEETINGS, today)
    fictional = pc.starts_with(table.column("summary"), notice)
    cancelled = pc.and_(fictional, pa.array(np.random.default_rng([seed, 1]).random(table.num_rows) < 0.04))
    table = table.set_column(
        table.schema.get_field_index("status"), "status", pc.if_else(cancelled, "annulée", table.column("status"))
    )
    return table.cast(MEETINGS.arrow_schema()).sort_by("start_date")
