"""Countries: ISO codes, French and English names, regions; matching free text."""

import pytest

from dashboard.reference import countries, country_name, find_countries, fold, region_of, resolve_country
from dashboard.schema import REGIONS


def test_every_iso_country_has_codes_and_both_names():
    known = countries()
    assert len(known) >= 249
    for c in known.values():
        assert len(c.iso3) == 3 and len(c.iso2) == 2
        assert c.name_fr and c.name_en


def test_french_names_use_french_spelling():
    assert country_name("CIV") == "Côte d'Ivoire"
    assert country_name("ARE") == "Émirats arabes unis"
    assert country_name("GBR") == "Royaume-Uni"
    assert country_name("KOR") == "Corée du Sud"
    assert country_name("KOR", "en") == "South Korea"
    assert country_name("ZZZ") == "ZZZ"


@pytest.mark.parametrize(
    ("iso3", "region"),
    [
        ("SEN", "Afrique"),
        ("DJI", "Afrique"),
        ("MDG", "Afrique"),
        ("EGY", "Moyen-Orient"),
        ("JOR", "Moyen-Orient"),
        ("ARE", "Moyen-Orient"),
        ("BEL", "Europe"),
        ("UKR", "Europe"),
        ("GEO", "Europe"),
        ("JPN", "Indo-Pacifique"),
        ("AUS", "Indo-Pacifique"),
        ("IND", "Indo-Pacifique"),
        ("USA", "Amériques"),
        ("BRA", "Amériques"),
        ("BMU", "Amériques"),
    ],
)
def test_partner_regions(iso3, region):
    assert region_of(iso3) == region


def test_every_inhabited_country_has_one_of_the_five_regions():
    without = {c.iso3 for c in countries().values() if c.region is None}
    assert without == {"ATA", "BVT", "SGS"}
    assert {c.region for c in countries().values()} - {None} == set(REGIONS)


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("Côte d'Ivoire", "CIV"),
        ("cote d ivoire", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("Ivory Coast", "CIV"),
        ("Émirats arabes unis", "ARE"),
        ("EMIRATS ARABES UNIS", "ARE"),
        ("United Arab Emirates", "ARE"),
        ("Royaume-Uni", "GBR"),
        ("United Kingdom", "GBR"),
        ("Corée du Sud", "KOR"),
        ("South Korea", "KOR"),
        ("sn", "SEN"),
        ("SEN", "SEN"),
        ("Sénégal", "SEN"),
        ("senegal", "SEN"),
        ("Allemagne", "DEU"),
        ("Germany", "DEU"),
        ("  Japon ", "JPN"),
        ("Kosovo", "XKX"),
    ],
)
def test_find_country_reads_french_english_iso2_and_iso3(text, iso3):
    assert resolve_country(text)[0] == iso3


@pytest.mark.parametrize("text", ["Absurdistan", "", "   ", "XX"])
def test_unknown_country_is_not_guessed(text):
    assert resolve_country(text)[0] is None


def test_fold_removes_case_accents_and_punctuation():
    assert fold("  Fonction_Stratégique ") == "fonction strategique"
    assert fold("Entraînement") == "entrainement"


def test_acronyms_are_spelled_out_whole_words_only():
    from dashboard.reference import acronyms

    texts = ["BRI", "EMI – Division Sécurité coopérative", "Comité militaire de l'OTAN", "CEMA/CHOD", "UEFA", "PAF-N"]
    assert acronyms(texts).split("  \n") == [
        "BRI : Bureau relations internationales de l'armée de Terre",
        "CEMA : chef d'état-major des Armées",
        "CHOD : chef d'état-major des armées d'un pays (chief of defence)",
        "EMI : État-major militaire international de l'OTAN",
        "OTAN : Organisation du traité de l'Atlantique nord",
        "PAF-N : cadre de forces partenaires d'appoint pour l'OTAN",
    ]
    assert acronyms(["bilatéral", "Union européenne"]) is None


def test_a_country_is_found_whatever_its_accents_case_and_apostrophes():
    codes = ["CIV", "SEN", "GIN", "GNB", "GNQ", "PNG", "EGY", "USA"]
    assert find_countries("Cote", codes) == ["CIV"]
    assert find_countries("  CÔTE D’IVOIRE ", codes) == ["CIV"]
    assert find_countries("senegal", codes) == ["SEN"]
    assert find_countries("egypte", codes) == ["EGY"]
    # Names that start with the text first, then those that hold it, each by French name.
    assert find_countries("guinee", codes) == ["GIN", "GNB", "GNQ", "PNG"]
    # The English name and the ISO code find it too; nothing typed finds nothing.
    assert find_countries("united states", codes) == find_countries("etats-unis", codes) == ["USA"]
    assert find_countries("usa", codes) == ["USA"]
    assert find_countries("", codes) == [] and find_countries("Atlantide", codes) == []


def test_a_label_follows_the_language_of_the_run_or_the_one_asked():
    from dashboard import i18n
    from dashboard.reference import label

    assert label("mode", "formation") == "Formation"
    assert label("country_iso3", "CIV") == country_name("CIV")
    assert label("region", "Moyen-Orient") == "Moyen-Orient"
    assert label("mode", None) == "Non renseigné"
    assert label("strategic_function", "connaissance et anticipation", "en") == "Knowledge and anticipation"
    with i18n.using("en"):
        assert label("mode", "formation") == "Training"
        assert label("country_iso3", "CIV") == country_name("CIV", "en")
        assert label("region", "Moyen-Orient") == "Middle East"
        assert label("mode", None) == "Not given"
        assert label("superiority_factor", "force morale", "fr") == "Force morale"


def test_acronyms_are_spelled_out_in_the_language_of_the_run():
    from dashboard import i18n
    from dashboard.reference import acronyms

    with i18n.using("en"):
        spelled = acronyms(["EMI – Division Sécurité coopérative", "OTAN"])
    assert spelled.split("  \n") == [
        "EMI: NATO International Military Staff",
        "OTAN: North Atlantic Treaty Organization (NATO)",
    ]
