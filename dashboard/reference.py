"""Reference data: countries (ISO3, French and English names, region), and the label of any value in each language.

Names come from pycountry (ISO 3166) and Babel (CLDR French names); only the
grouping of countries into the five regions the Army reasons in is ours.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import cast

import pycountry
from babel import Locale

from dashboard import i18n
from dashboard.i18n import N_, _
from dashboard.schema import REGIONS, TAXONOMIES, Taxonomy

# Partner regions as the Army's international relations cut the world. Africa
# and the Americas follow the continents; the Middle East and the Indo-Pacific
# are listed because no standard grouping matches them; Europe takes the rest of
# the Euro-Atlantic area, the Caucasus and Central Asia.
_MIDDLE_EAST = [
    "ARE",
    "BHR",
    "EGY",
    "IRN",
    "IRQ",
    "ISR",
    "JOR",
    "KWT",
    "LBN",
    "OMN",
    "PSE",
    "QAT",
    "SAU",
    "SYR",
    "YEM",
    "AFG",
    "PAK",
]
_INDO_PACIFIC = [
    "AUS",
    "BGD",
    "BRN",
    "BTN",
    "CHN",
    "COK",
    "FJI",
    "FSM",
    "HKG",
    "IDN",
    "IND",
    "JPN",
    "KHM",
    "KIR",
    "KOR",
    "LAO",
    "LKA",
    "MAC",
    "MDV",
    "MHL",
    "MMR",
    "MNG",
    "MYS",
    "NPL",
    "NRU",
    "NZL",
    "PHL",
    "PLW",
    "PNG",
    "PRK",
    "SGP",
    "SLB",
    "THA",
    "TLS",
    "TON",
    "TUV",
    "TWN",
    "VNM",
    "VUT",
    "WSM",
    "ASM",
    "GUM",
    "MNP",
    "NCL",
    "PYF",
    "WLF",
    "NIU",
    "NFK",
    "PCN",
    "TKL",
    "CXR",
    "CCK",
    "IOT",
    "ATF",
    "HMD",
    "UMI",
]
_EUROPE_OUTSIDE_CONTINENT = ["ARM", "AZE", "CYP", "GEO", "KAZ", "KGZ", "TJK", "TKM", "UZB", "TUR", "RUS", "GRL"]
_AFRICA_ISLANDS = ["CPV", "STP", "MUS", "SYC", "COM", "MDG", "MYT", "REU", "SHN"]
_AMERICAS_ATLANTIC = ["BMU", "FLK"]
_NO_REGION = {"ATA", "BVT", "SGS"}

# Babel does not expose CLDR's continent grouping, so the continent of the
# remaining countries comes from their time zones, which it does expose.
_ZONE_PREFIX_REGION = {
    "Africa": "Afrique",
    "America": "Amériques",
    "Europe": "Europe",
    "Atlantic": "Europe",
    "Arctic": "Europe",
}


@dataclass(frozen=True)
class Country:
    iso3: str
    iso2: str
    name_fr: str
    name_en: str
    region: str | None

    def name(self, lang: str = "fr") -> str:
        return self.name_fr if lang == "fr" else self.name_en


def _region(iso3: str, iso2: str, zones: dict[str, list[str]]) -> str | None:
    if iso3 in _NO_REGION:
        return None
    if iso3 in _MIDDLE_EAST:
        return "Moyen-Orient"
    if iso3 in _INDO_PACIFIC:
        return "Indo-Pacifique"
    if iso3 in _EUROPE_OUTSIDE_CONTINENT:
        return "Europe"
    if iso3 in _AFRICA_ISLANDS:
        return "Afrique"
    if iso3 in _AMERICAS_ATLANTIC:
        return "Amériques"
    for zone in zones.get(iso2, []):
        region = _ZONE_PREFIX_REGION.get(zone.split("/")[0])
        if region:
            return region
    return None


@cache
def countries() -> dict[str, Country]:
    """Every ISO 3166-1 country, keyed by alpha-3 code."""
    from babel.core import get_global

    territory_zones = cast(dict[str, list[str]], get_global("territory_zones"))
    french = Locale("fr").territories
    english = Locale("en").territories
    result: dict[str, Country] = {}
    for entry in pycountry.countries:
        iso2, iso3 = entry.alpha_2, entry.alpha_3
        name_fr = french.get(iso2, entry.name).replace("’", "'")
        name_en = english.get(iso2, getattr(entry, "common_name", entry.name))
        result[iso3] = Country(iso3, iso2, name_fr, name_en, _region(iso3, iso2, territory_zones))
    # Kosovo has no ISO code; NATO and the EU use XKX.
    result["XKX"] = Country("XKX", "XK", "Kosovo", "Kosovo", "Europe")
    assert set(c.region for c in result.values()) - {None} <= set(REGIONS)
    return result


def country(iso3: str) -> Country:
    return countries()[iso3]


def country_name(iso3: str, lang: str = "fr") -> str:
    found = countries().get(iso3)
    return found.name(lang) if found else iso3


def region_of(iso3: str) -> str | None:
    found = countries().get(iso3)
    return found.region if found else None


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation: the form used to match free text."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for mark in "'’‘ʼ´`-_.,()":
        plain = plain.replace(mark, " ")
    return " ".join(plain.split())


def find_countries(typed: str, codes: Iterable[str]) -> list[str]:
    """The countries of `codes` whose name (French or English) or ISO code holds `typed`, accents, case and
    punctuation aside (« cote » finds Côte d'Ivoire): those whose name starts with it first, then by French name."""
    wanted = fold(typed)
    if not wanted:
        return []
    found: list[tuple[bool, str, str]] = []
    for code in codes:
        names = [fold(country_name(code, "fr")), fold(country_name(code, "en"))]
        if wanted == code.lower() or any(wanted in name for name in names):
            found.append((not any(name.startswith(wanted) for name in names), names[0], code))
    return [code for *_, code in sorted(found)]


# Abbreviations and usual names French staff write that neither ISO nor CLDR spell that way.
# The import reads them (with a warning naming the country understood); the import page lists them.
# "RU" stays Russia (its ISO code), never Royaume-Uni.
COUNTRY_ALIASES: dict[str, str] = {
    "RCI": "CIV",
    "RCA": "CAF",
    "RDC": "COD",
    "EAU": "ARE",
    "KSA": "SAU",
    "UK": "GBR",
    "ARYM": "MKD",
    "Angleterre": "GBR",
    "Grande-Bretagne": "GBR",
    "États-Unis d'Amérique": "USA",
    "Corée": "KOR",
    "République de Corée": "KOR",
    "Émirats": "ARE",
    "Centrafrique": "CAF",
    "Zaïre": "COD",
    "République démocratique du Congo": "COD",
    "République du Congo": "COG",
    "Cote divoire": "CIV",
    "Ivory Coast": "CIV",
    "Birmanie": "MMR",
    "Hollande": "NLD",
    "Bosnie": "BIH",
    "Macédoine": "MKD",
    "République tchèque": "CZE",
    "Turkey": "TUR",
    "Swaziland": "SWZ",
    "Guinée-Conakry": "GIN",
    "Palestine": "PSE",
    "Vatican": "VAT",
}


@cache
def _country_lookup() -> dict[str, str]:
    """Folded ISO codes and names (CLDR French and English, ISO official and common) -> ISO3."""
    lookup: dict[str, str] = {}
    for entry in pycountry.countries:
        for name in (getattr(entry, "official_name", None), getattr(entry, "common_name", None), entry.name):
            if name:
                lookup.setdefault(fold(name), entry.alpha_3)
    for c in countries().values():
        for key in (c.iso3, c.iso2, c.name_fr, c.name_en):
            lookup[fold(key)] = c.iso3
    return lookup


@cache
def _alias_lookup() -> dict[str, tuple[str, str]]:
    """Folded alias -> (ISO3, the alias as the table writes it); names and codes win over aliases."""
    names = _country_lookup()
    return {fold(alias): (iso3, alias) for alias, iso3 in COUNTRY_ALIASES.items() if fold(alias) not in names}


def resolve_country(text: str) -> tuple[str | None, str | None]:
    """(ISO3, None) for a name or ISO code, (ISO3, alias) for an entry of COUNTRY_ALIASES, (None, None) else."""
    if not text or not text.strip():
        return None, None
    key = fold(text)
    if len(key) > 1 and all(len(word) == 1 for word in key.split()):
        key = key.replace(" ", "")  # R.D.C. as RDC
    found = _country_lookup().get(key)
    if found is not None:
        return found, None
    alias = _alias_lookup().get(key)
    return (alias[0], alias[1]) if alias else (None, None)


def taxonomy_of(dimension: str) -> Taxonomy | None:
    """The taxonomy whose values a dimension takes (dimension names are taxonomy names)."""
    for taxonomy in TAXONOMIES:
        if taxonomy.name == dimension:
            return taxonomy
    return None


NOT_GIVEN = N_("Non renseigné")


def label(dimension: str, value: object, lang: str | None = None) -> str:
    """The label of one value of a dimension, in `lang` (by default the language of the run); « Non renseigné »
    for a missing one."""
    lang = lang or i18n.language()
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return i18n.translate(NOT_GIVEN, lang)
    if dimension == "country_iso3":
        return country_name(str(value), lang)
    if dimension == "region":
        return i18n.translate(str(value), lang)
    taxonomy = taxonomy_of(dimension)
    if taxonomy and value in taxonomy.codes:
        return taxonomy.label(str(value), "en" if lang == "en" else "fr")
    return str(value)


# Acronyms the data and the pages use, spelled out in tooltips: in French, in English.
ACRONYMS: dict[str, tuple[str, str]] = {
    "BRI": ("Bureau relations internationales de l'armée de Terre", "French Army international relations office"),
    "CaMo": (
        "capacité motorisée, partenariat de l'armée de Terre avec l'armée de Terre belge",
        "motorised capability, the partnership of the French Army with the Belgian Army",
    ),
    "CEMA": ("chef d'état-major des Armées", "French chief of defence"),
    "CEMAT": ("chef d'état-major de l'armée de Terre", "chief of staff of the French Army"),
    "CHOD": ("chef d'état-major des armées d'un pays (chief of defence)", "a country's chief of defence"),
    "CPMO": (
        "Centre terre pour le partenariat militaire opérationnel",
        "French Army centre for military operational partnership",
    ),
    "EMA": ("état-major des Armées", "French defence staff"),
    "EMI": ("État-major militaire international de l'OTAN", "NATO International Military Staff"),
    "EMUE": ("État-major de l'Union européenne", "EU Military Staff"),
    "MEAE": ("ministère de l'Europe et des Affaires étrangères", "French ministry for Europe and foreign affairs"),
    "OPEX": ("opération extérieure", "operation abroad"),
    "OTAN": ("Organisation du traité de l'Atlantique nord", "North Atlantic Treaty Organization (NATO)"),
    "PAF-N": (
        "cadre de forces partenaires d'appoint pour l'OTAN",
        "partnership forces framework for NATO",
    ),
    "PMO": ("partenariat militaire opérationnel", "military operational partnership"),
    "SACEUR": ("commandant suprême des forces alliées en Europe", "Supreme Allied Commander Europe"),
    "UE": ("Union européenne", "European Union"),
}
_ACRONYM = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(map(re.escape, ACRONYMS), key=len, reverse=True)) + r")(?![\w-])"
)


def acronyms(texts: Iterable[object]) -> str | None:
    """The acronyms found in `texts`, each spelled out on a line of its own in the language of the run
    (`BRI : Bureau …`); None if none."""
    found = sorted({m for text in texts for m in _ACRONYM.findall(str(text))}, key=str.casefold)
    english = i18n.language() == "en"
    return (
        "  \n".join(_("{acronym} : {meaning}").format(acronym=a, meaning=ACRONYMS[a][english]) for a in found) or None
    )
