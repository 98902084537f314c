"""Every page runs without exception, on the demo data and on an empty store (AppTest)."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import freshness, i18n, query
from dashboard.demo import DEMO_NOTICE
from dashboard.schema import REGIONS
from dashboard.store import Store
from dashboard.ui.navigation import PAGES
from tests.conftest import ROOT, as_read, open_page


@pytest.fixture(autouse=True)
def every_role(monkeypatch):
    # These tests are about the pages themselves; access rules are tested in test_access_pages.py.
    monkeypatch.setenv("PMO_DEMO_ACCESS", "1")


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path)
def test_every_page_runs_on_the_demo_data(demo_store, spec):
    at = open_page(spec.script)
    assert not at.exception, at.exception
    assert at.title, "the page shows no title"


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path)
def test_every_page_runs_on_an_empty_store(empty_store, spec):
    at = open_page(spec.script)
    assert not at.exception, at.exception


def test_page_runs_share_one_scan_of_the_installed_components(demo_store, installed_components_scanned_once):
    """The suite's one patch of Streamlit (tests/conftest.py): AppTest still scans the installed packages for
    components through the patched scanner, and only its first scan reads them."""
    open_page("pages/about.py")
    open_page("pages/about.py")
    scans = installed_components_scanned_once.cache_info()
    assert scans.misses == 1 and scans.hits >= 1, scans


def test_overview_shows_the_key_figures_of_the_selection(demo_store: Store):
    at = open_page("pages/overview.py")
    actions = query.prepare_actions(demo_store.read("actions"))
    everything = query.key_figures(actions, at_filters(at))
    values = {m.label: m.value for m in at.metric}
    assert values["Actions réalisées"] == i18n.number(everything.actions)
    assert values["Pays partenaires"] == i18n.number(everything.countries)
    assert values["Journées-personnel"] == i18n.number(everything.person_days)
    assert values["Stagiaires partenaires"] == i18n.number(everything.partner_trainees)
    assert values["Actions prévues"] == i18n.number(everything.planned)
    assert any("fictives" in caption.value for caption in at.caption)


def test_key_figures_count_realised_actions_unless_the_status_filter_says_otherwise(demo_store: Store):
    import pyarrow.compute as pc

    stored = demo_store.read("actions")
    realised = pc.sum(pc.equal(stored["status"], "réalisée")).as_py()
    planned = pc.sum(pc.equal(stored["status"], "prévue")).as_py()
    at = open_page("pages/overview.py", query_params={"periode": ["2000-01-01", "2040-12-31"]})
    values = {m.label: m.value for m in at.metric}
    assert (values["Actions réalisées"], values["Actions prévues"]) == (i18n.number(realised), i18n.number(planned))
    at.multiselect(key="statut").select("en cours").select("prévue").run()
    values = {m.label: m.value for m in at.metric}
    assert values["Actions"] == i18n.number(planned)
    assert as_read(at.button(key="pmo_chip_statuses").label) == "Statut des actions : En cours, Prévue"


def test_choosing_a_region_narrows_the_key_figures_and_shows_the_change(demo_store: Store):
    at = open_page("pages/overview.py")
    before = at.metric[0].value
    at.multiselect(key="region").select("Europe").run()
    assert not at.exception
    assert at.metric[0].value != before
    europe = query.key_figures(query.prepare_actions(demo_store.read("actions")), at_filters(at))
    assert at.metric[0].value == i18n.number(europe.actions)


def test_a_one_year_period_compares_with_the_year_before(demo_store: Store):
    import datetime as dt

    at = open_page("pages/overview.py")
    at.date_input(key="periode").set_value((dt.date(2024, 1, 1), dt.date(2024, 12, 31))).run()
    actions = query.prepare_actions(demo_store.read("actions"))
    now = query.key_figures(actions, query.Filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)))
    before = query.key_figures(actions, query.Filters(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31)))
    assert at.metric[0].value == i18n.number(now.actions)
    assert at.metric[0].delta == i18n.change(now.actions, before.actions)
    assert any("Évolution par rapport à la période précédente" in c.value for c in at.caption)


def test_no_change_is_shown_when_the_previous_period_has_no_data(demo_store: Store):
    at = open_page("pages/overview.py")  # 2019 to 2025: the seven years before hold no action
    assert all(m.delta is None or m.delta == "" for m in at.metric)
    assert any("aucune donnée sur la période précédente" in c.value for c in at.caption)


def test_empty_store_shows_zero_and_says_there_is_no_data(empty_store):
    at = open_page("pages/overview.py")
    assert at.metric[0].value == "0"
    assert not any("fictives" in caption.value for caption in at.caption)


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path)
def test_every_page_says_which_data_version_it_shows(demo_store: Store, spec):
    at = open_page(spec.script)
    version = freshness.data_version(demo_store)
    (line,) = [c for c in at.caption if version.text() in c.value]
    assert f"version {version.actions.version}" in line.value
    assert "fictives" in line.value and line.proto.help == DEMO_NOTICE


def test_every_active_filter_is_named_as_a_chip_that_removes_it(demo_store: Store):
    at = open_page("pages/overview.py", {"region": "Afrique", "mode": "Formation", "opex": "Hors OPEX"})
    chips = {b.key: as_read(b.label) for b in at.button if (b.key or "").startswith("pmo_chip_")}
    assert chips == {
        "pmo_chip_regions": "Régions : Afrique",
        "pmo_chip_modes": "Modes d'action : Formation",
        "pmo_chip_opex": "hors OPEX",
        "pmo_chip_all": "Tout effacer",
    }
    narrowed = at.metric[0].value
    at.button(key="pmo_chip_regions").click().run()
    assert not at.exception
    assert at.multiselect(key="region").value == [] and at.multiselect(key="mode").value == ["formation"]
    assert at.metric[0].value != narrowed
    assert "pmo_chip_regions" not in {b.key for b in at.button}
    at.button(key="pmo_chip_all").click().run()
    assert not [b for b in at.button if (b.key or "").startswith("pmo_chip_")]
    assert at.segmented_control(key="opex").value is None


def test_values_of_a_link_that_no_filter_accepts_are_said_to_be_ignored(demo_store: Store):
    at = open_page(
        "pages/overview.py", {"pays": "Atlantide", "region": "Europe", "periode": ["2030-01-01", "2030-12-31"]}
    )
    (warning,) = [as_read(w.value) for w in at.warning]
    assert "Pays partenaires « Atlantide » : valeur inconnue" in warning
    assert "Période « 2030-01-01 » : hors des dates possibles" in warning
    # What the link held that is valid applies; the rest fell back to the defaults.
    assert at.multiselect(key="region").value == ["Europe"] and at.multiselect(key="pays").value == []
    at.run()  # the address no longer holds the ignored values: the notice stays until it is read
    assert at.warning
    at.button(key="pmo_lien_compris").click().run()
    assert not at.warning


def test_in_english_the_ignored_values_of_a_link_are_named_in_english(demo_store: Store):
    at = open_page("pages/overview.py", {"lang": "en", "pays": "Atlantide", "periode": ["2030-01-01", "01/01/2024"]})
    (warning,) = [as_read(w.value) for w in at.warning]
    assert 'Partner countries "Atlantide": unknown value' in warning
    assert 'Period "2030-01-01": outside the possible dates (from ' in warning
    assert 'Period "01/01/2024": unreadable date (expected YYYY-MM-DD)' in warning
    assert "«" not in warning and "inconnue" not in warning and " ; " not in warning


def at_filters(at: AppTest) -> query.Filters:
    """The Filters the page used, rebuilt from the widget values AppTest exposes."""
    period = at.date_input(key="periode").value
    return query.Filters(start=period[0], end=period[1], regions=tuple(at.multiselect(key="region").value))


# One selection written three ways: as links write it now (codes and slugs), as French links wrote it
# before, and with the English labels; each opens the same filters, and the address then reads in codes.
SAME_SELECTION = (
    {"pays": ["CIV", "SEN"], "mode": "accompagnement-au-combat", "region": "moyen-orient", "opex": "hors-opex"},
    {
        "pays": ["Côte d'Ivoire", "Sénégal"],
        "mode": "Accompagnement au combat",
        "region": "Moyen-Orient",
        "opex": "Hors OPEX",
    },
    {"pays": ["Côte d’Ivoire", "Senegal"], "mode": "Combat partnering", "region": "Moyen-Orient", "opex": "Hors OPEX"},
)


@pytest.mark.parametrize("link", SAME_SELECTION, ids=["codes", "french-labels", "english-labels"])
def test_a_link_opens_the_same_selection_whatever_language_wrote_it(demo_store, link):
    at = open_page("pages/overview.py", query_params=link)
    assert at.multiselect(key="pays").value == ["CIV", "SEN"]
    assert at.multiselect(key="mode").value == ["accompagnement au combat"]
    assert at.multiselect(key="region").value == ["Moyen-Orient"]
    assert at.session_state["opex"] == "Hors OPEX"
    assert not at.warning or not any("valeur inconnue" in w.value for w in at.warning)
    address = {name: [v] if isinstance(v, str) else list(v) for name, v in at.query_params.items()}
    assert address == {
        "pays": ["CIV", "SEN"],
        "mode": ["accompagnement-au-combat"],
        "region": ["moyen-orient"],
        "opex": ["hors-opex"],
    }


def _sidebar_texts(at: AppTest) -> list[str]:
    return [m.value for m in at.sidebar.markdown] + [w.label for w in at.sidebar.multiselect]


def test_the_dashboard_opens_in_french_by_default_with_french_numbers(demo_store):
    at = open_page("pages/overview.py")
    assert at.segmented_control(key="pmo_langue").value == "fr"
    assert "### Filtres" in _sidebar_texts(at) and "Pays partenaires" in _sidebar_texts(at)
    assert at.multiselect(key="region").options == list(REGIONS)
    assert "lang" not in at.query_params
    assert any("\u202f" in m.value for m in at.metric), "thousands grouped by a narrow space"


def test_a_link_with_lang_en_opens_the_sidebar_and_numbers_in_english_and_the_switch_goes_back(demo_store):
    at = open_page("pages/overview.py", query_params={"lang": "en", "region": "afrique"})
    texts = _sidebar_texts(at)
    assert "### Filters" in texts and "Partner countries" in texts and "Regions" in texts
    assert at.multiselect(key="region").options == ["Africa", "Europe", "Middle East", "Indo-Pacific", "Americas"]
    assert at.multiselect(key="region").value == ["Afrique"], "the stored value does not change with the language"
    assert any("," in m.value for m in at.metric) and not any("\u202f" in m.value for m in at.metric)
    assert at.query_params["lang"] in ("en", ["en"])
    assert as_read(at.button(key="pmo_chip_regions").label) == "Regions: Africa"
    assert [m.label for m in at.metric][:4] == [
        "Completed actions",
        "Partner countries",
        "Person-days",
        "Partner trainees",
    ]
    assert any(c.value.startswith("From 1 Jan") and "data as of" in c.value for c in at.caption)
    assert at.title[0].value == "Operational military partnership"
    assert "Where the French Army works" in [h.value for h in at.subheader]
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert figures and all(f["layout"]["separators"] == ".," for f in figures), "1,234.5 on the charts"
    names = {trace.get("name") for f in figures for trace in f["data"]}
    assert "Training" in names and "Formation" not in names, "the modes in English on the yearly chart"
    menu = [link.proto.label for link in at.sidebar.get("page_link")]
    assert "Overview" in menu and "Partner map" in menu and "Vue d'ensemble" not in menu

    # AppTest formats the map page's own lists in the test's thread: that thread speaks the page's language.
    with i18n.using("en"):
        at.switch_page("pages/map.py").run()
        assert "### Filters" in _sidebar_texts(at), "the session keeps the language across pages"
        at.segmented_control(key="pmo_langue").set_value("fr").run()
    assert "### Filtres" in _sidebar_texts(at)
    assert "lang" not in at.query_params
    assert at.multiselect(key="region").value == ["Afrique"]


def test_a_page_opened_by_its_address_is_the_page_reached_from_the_menu(demo_store):
    """The page tests open a page as its address does, in one run (`open_page`): before its first run, Streamlit
    knows a page by its file's name, which is each page's address. Fails if a page's address leaves its file's
    name, or if Streamlit stops resolving a page that way (the run would then show the overview)."""

    def shown(at: AppTest) -> list[str]:
        return [t.value for t in at.title] + [h.value for h in at.subheader] + [h.value for h in at.header]

    assert all(spec.url_path == spec.script.removeprefix("pages/").removesuffix(".py") for spec in PAGES)
    overview = shown(open_page("pages/overview.py"))
    for script in ("pages/map.py", "pages/history.py"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        at.switch_page(script).run()
        assert shown(open_page(script)) == shown(at) != overview, script
