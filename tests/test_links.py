"""Values of a shared link that no filter accepts are named, with the reason."""

import datetime as dt

from dashboard import links

LIMITS = (dt.date(2014, 1, 1), dt.date(2027, 12, 31))
CHOICES = {
    "pays": links.spellings({"SEN": ["Sénégal", "Senegal"], "CIV": ["Côte d'Ivoire", "Côte d’Ivoire"]}),
    "region": links.spellings({"Afrique": ["Afrique"], "Europe": ["Europe"]}),
}
LABELS = {"pays": "Pays partenaires", "region": "Régions", "periode": "Période"}


def _ignored(params):
    return [i.text() for i in links.ignored(params, CHOICES, LABELS, period="periode", limits=LIMITS)]


def test_unknown_values_and_impossible_dates_are_named_with_their_reason():
    params = {"pays": ["Sénégal", "Atlantide"], "region": ["Europe"], "periode": ["2030-01-01", "31/12/2024"]}
    assert _ignored(params) == [
        "Pays partenaires « Atlantide » : valeur inconnue",
        "Période « 2030-01-01 » : hors des dates possibles (du 1 janv. 2014 au 31 déc. 2027)",
        "Période « 31/12/2024 » : date illisible (attendu AAAA-MM-JJ)",
    ]


def test_a_valid_link_and_parameters_of_no_filter_are_left_alone():
    assert _ignored({"pays": ["Côte d'Ivoire"], "periode": ["2024-01-01", "2024-12-31"], "vue": ["Piliers"]}) == []


def test_a_link_writes_codes_and_slugs_and_reads_labels_of_every_language():
    assert links.slug("Accompagnement au combat") == "accompagnement-au-combat"
    assert links.slug("Moyen-Orient") == "moyen-orient"
    assert links.slug("Hors OPEX") == "hors-opex"
    accepted = CHOICES["pays"]
    for spelling in ("SEN", "sen", "Sénégal", "senegal", "Senegal"):
        assert links.resolve(spelling, accepted) == "SEN", spelling
    assert links.resolve("Cote d'Ivoire", accepted) == "CIV"
    assert links.resolve("Atlantide", accepted) is None
