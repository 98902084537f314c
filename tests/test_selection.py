"""The selection in words: the period and every active filter named with its values, never a bare count."""

import datetime as dt

from dashboard import selection
from dashboard.query import Filters

YEAR_2024 = Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))


def test_no_filter_reads_as_the_whole_period():
    assert selection.describe(Filters()) == "toute la période"
    assert selection.criteria(Filters()) == []
    assert selection.rows(Filters()) == [("Période", "toute la période"), ("Filtres", "toutes les actions")]


def test_every_active_filter_is_named_with_its_values_in_the_sidebar_order():
    filters = YEAR_2024.change(
        countries=("SEN", "BEL"),
        regions=("Afrique",),
        modes=("formation", "conseil"),
        functions=("prévention",),
        factors=("masse",),
        pillars=("coopérer",),
        frameworks=("OTAN",),
        forces=("forces de présence",),
        opex=False,
    )
    assert selection.describe(filters) == (
        "du 1 janv. 2024 au 31 déc. 2024 · Régions : Afrique · Pays partenaires : Sénégal, Belgique"
        " · Modes d'action : Formation, Conseil · Fonctions stratégiques : Prévention"
        " · Facteurs de supériorité opérationnelle : Masse · Piliers : Coopérer · Cadres : OTAN"
        " · Dispositifs : Forces de présence · hors OPEX"
    )
    assert [c.name for c in selection.criteria(filters)] == [
        "regions", "countries", "modes", "functions", "factors", "pillars", "frameworks", "forces", "opex",
    ]  # fmt: skip


def test_opex_reads_as_a_choice_not_a_code():
    assert selection.describe(Filters(opex=True)) == "toute la période · en OPEX seulement"
    assert selection.rows(Filters(opex=True))[1] == ("OPEX", "en OPEX seulement")


def test_a_long_list_is_cut_in_the_line_and_given_whole_in_the_rows():
    filters = Filters(countries=("SEN", "MLI", "NER", "TCD", "BEL", "JPN"))
    assert selection.describe(filters) == (
        "toute la période · Pays partenaires : Sénégal, Mali, Niger, Tchad et 2 autres"
    )
    assert selection.describe(filters, limit=None).endswith("Tchad, Belgique, Japon")
    assert selection.rows(filters) == [
        ("Période", "toute la période"),
        ("Pays partenaires", "Sénégal, Mali, Niger, Tchad, Belgique, Japon"),
    ]
