"""The meetings page (AppTest): demo data, empty store, page filters, lanes, upcoming events, chosen event.

A real click on the timeline needs a browser: tests/test_browser_meetings.py."""

from __future__ import annotations

import datetime as dt
import json

from streamlit.testing.v1 import AppTest

from dashboard import i18n
from dashboard import meetings as mt
from dashboard.charts import timeline
from dashboard.query import Filters, meeting_rows
from dashboard.store import Store
from tests.conftest import expander_labels, open_page

CHART = "rencontres_frise"


def _open() -> AppTest:
    return open_page("pages/meetings.py")


def _figure(at: AppTest) -> dict:
    for element in at.get("plotly_chart"):
        if CHART in element.proto.id:
            return json.loads(element.proto.spec)
    raise AssertionError("no timeline on the page")


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _period(at: AppTest) -> Filters:
    start, end = at.session_state["periode"]
    return Filters(start=start, end=end)


def _trace_ids(figure: dict) -> set[str]:
    return {c[0] for trace in figure["data"] for c in trace.get("customdata", [])}


def test_the_page_shows_the_demo_meetings_of_the_period_on_a_timeline_and_in_lists(demo_store: Store):
    at = _open()
    assert at.title[0].value == "Rencontres internationales"
    expected = meeting_rows(demo_store.read("meetings"), _period(at))
    counts = mt.counts(expected, dt.date.today())
    metrics = _metrics(at)
    assert metrics["Rencontres"] == str(counts.meetings)
    assert metrics["Passées"] == str(counts.past)
    figure = _figure(at)
    assert _trace_ids(figure) == set(expected["meeting_id"])
    lanes = figure["layout"]["yaxis"]["categoryarray"][::-1]
    assert lanes[0] == "Réunion OTAN"
    # The axis spans the period; today's line (in the server's date) is drawn only inside it.
    period = _period(at)
    assert figure["layout"]["xaxis"]["range"] == [period.start.isoformat(), (period.end + dt.timedelta(1)).isoformat()]
    today_drawn = any(s["x0"] == dt.date.today().isoformat() for s in figure["layout"].get("shapes", []))
    assert today_drawn == (period.start <= dt.date.today() <= period.end)
    labels = [tab.label for tab in at.tabs]
    assert labels == [f"À venir ({counts.upcoming})", f"Passées ({counts.past})"]
    past = at.dataframe[-1].value
    assert list(past.columns[:3]) == ["Début", "Fin", "Intitulé"]
    assert len(past) == counts.past
    assert set(past["Statut"]) <= {"Passée", "Annulée"}  # a cancelled meeting says so
    assert not at.exception


def _blocks(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _blocks(child)


def _is_tabs(node) -> bool:
    proto = getattr(node, "proto", None)
    return proto is not None and proto.DESCRIPTOR.name == "Block" and proto.WhichOneof("type") == "tab_container"


def test_the_list_opens_on_the_tab_with_rows_and_shows_whole_titles(demo_store: Store):
    at = _open()
    if at.session_state["periode"][1] >= dt.date.today():  # the demo period reaches today: end it last year
        at.date_input(key="periode").set_value((dt.date(2019, 1, 1), dt.date(dt.date.today().year - 1, 12, 31))).run()
    upcoming, past = at.tabs
    assert upcoming.label == "À venir (0)" and past.label.startswith("Passées (")
    (tabs,) = [b.proto.tab_container for b in _blocks(at._tree) if _is_tabs(b)]
    assert tabs.default_tab_index == 1
    table = at.dataframe[-1]
    config = json.loads(table.proto.columns)
    longest = int(table.value["Intitulé"].str.len().max())
    assert config["Intitulé"]["pinned"] is True and config["Intitulé"]["width"] >= 7 * longest
    # Acronyms spelled out on the headings, and a dash, never "None", for a missing value.
    assert "BRI : Bureau relations internationales" in config["Organisme"]["help"]
    assert "CEMAT : chef d'état-major de l'armée de Terre" in config["Niveau"]["help"]
    assert table.proto.placeholder == "—"


def test_a_period_ending_before_today_offers_to_show_the_upcoming_meetings(demo_store: Store):
    at = _open()
    at.session_state["periode"] = (dt.date(2019, 1, 1), dt.date(2025, 12, 31))
    at.run()
    assert _metrics(at)["À venir ou en cours"] == "0"
    assert any("rencontres à venir n'apparaissent pas" in info.value for info in at.info)
    next(b for b in at.button if "Étendre" in b.label).click().run()
    assert not at.exception, at.exception
    assert _period(at).end > dt.date.today()
    upcoming = int(_metrics(at)["À venir ou en cours"])
    assert upcoming > 0
    assert at.tabs[0].label == f"À venir ({upcoming})"
    statuses = set(at.dataframe[0].value["Statut"]) - {"Annulée"}
    assert statuses <= {"À venir", "En cours"}


def test_page_filters_narrow_the_timeline_and_the_lists(demo_store: Store):
    at = _open()
    everything = int(_metrics(at)["Rencontres"])
    at.multiselect(key="rencontre_type").set_value(["exercice"]).run()
    assert not at.exception, at.exception
    figure = _figure(at)
    assert {trace["name"] for trace in figure["data"]} == {"Exercice"}
    exercises = int(_metrics(at)["Rencontres"])
    assert 0 < exercises < everything
    at.multiselect(key="rencontre_partenaire").set_value(["JPN"]).run()
    titles = set(at.dataframe[-1].value["Intitulé"])
    assert "Exercice Brunet-Takamori 24" in titles
    assert all("Japon" in partners for partners in at.dataframe[-1].value["Pays partenaires"])


def test_lanes_per_body(demo_store: Store):
    at = _open()
    at.segmented_control(key="rencontre_lignes").set_value("body").run()
    assert not at.exception, at.exception
    lanes = _figure(at)["layout"]["yaxis"]["categoryarray"]
    assert "Comité militaire de l'OTAN" in lanes
    assert "EMI – Division Sécurité coopérative" in lanes
    assert "Réunion OTAN" not in lanes


def test_the_chosen_event_shows_its_partners_topics_and_summary_and_is_ringed(demo_store: Store):
    at = _open()
    at.session_state["rencontre_choisie"] = "RCT-2024-EMI-CSD-1"
    at.run()
    assert not at.exception, at.exception
    assert any("Réunion semestrielle de la Division Sécurité coopérative" in h.value for h in at.subheader)
    text = " ".join(m.value for m in at.markdown)
    assert "Ukraine" in text
    assert "océan numérique" in text
    assert "Rohling" in text
    assert any("28 févr" in c.value for c in at.caption)
    ring = [t for t in _figure(at)["data"] if t["name"] == "Rencontre choisie"]
    assert [c[0] for c in ring[0]["customdata"]] == ["RCT-2024-EMI-CSD-1"]
    # Closing the details forgets the event.
    next(b for b in at.button if b.label == "Fermer").click().run()
    assert "rencontre_choisie" not in at.session_state
    assert not [t for t in _figure(at)["data"] if t["name"] == "Rencontre choisie"]


def test_an_event_filtered_out_is_said_to_be_out_of_the_selection(demo_store: Store):
    at = _open()
    at.session_state["rencontre_choisie"] = "RCT-2024-CM-CHOD"
    at.multiselect(key="rencontre_format").set_value(["présentiel"]).run()
    assert not at.exception, at.exception
    assert any("n'est plus dans la sélection" in c.value for c in at.caption)


def test_the_empty_store_shows_an_empty_page_without_error(empty_store: Store):
    at = _open()
    assert at.title[0].value == "Rencontres internationales"
    assert _metrics(at)["Rencontres"] == "0"
    figure = _figure(at)
    assert figure["data"] == []
    assert any(a["text"] == timeline.NO_MEETING for a in figure["layout"]["annotations"])
    assert not at.dataframe
    assert not at.exception


def test_the_country_profile_shows_the_partners_actions_and_meetings_on_one_timeline(demo_store: Store):
    at = open_page("pages/country.py", session={"pays": ["JPN"]})
    charts = [e for e in at.get("plotly_chart") if "fiche_frise" in e.proto.id]
    assert len(charts) == 1
    figure = json.loads(charts[0].proto.spec)
    lanes = figure["layout"]["yaxis"]["categoryarray"]
    assert any(lane.startswith("Action : ") for lane in lanes)
    assert "Rencontre : Exercice" in lanes
    assert "RCT-2024-BRUNET-TAKAMORI" in _trace_ids(figure)


def test_the_timeline_has_its_sentence_counting_the_meetings(demo_store: Store):
    at = _open()
    expected = meeting_rows(demo_store.read("meetings"), _period(at))
    sentence = f"Frise des rencontres : {i18n.number(len(expected))} événements sur "
    assert any(s.startswith(sentence) for s in expander_labels(at)), expander_labels(at)


def test_in_english_the_page_its_lists_timeline_and_tables_speak_english(demo_store: Store):
    with i18n.using("en"):  # AppTest formats the widgets' options in the test's own thread
        at = open_page("pages/meetings.py", {"lang": "en"})
        assert at.title[0].value == "International meetings"
        expected = meeting_rows(demo_store.read("meetings"), _period(at))
        counts = mt.counts(expected, dt.date.today())
        assert list(_metrics(at))[:3] == ["Meetings", "Upcoming or ongoing", "Past"]
        lists = ("type", "organisme", "niveau", "format", "partenaire")
        labels = [at.multiselect(key=f"rencontre_{name}").label for name in lists]
        assert labels == ["Type", "Body", "Level", "Format", "Partner country present"]
        figure = _figure(at)
        assert figure["layout"]["yaxis"]["categoryarray"][::-1][0] == "NATO meeting"
        assert figure["layout"]["xaxis"]["tickformatstops"][0]["value"] == "%d %b %Y"
        assert [tab.label for tab in at.tabs] == [f"Upcoming ({counts.upcoming})", f"Past ({counts.past})"]
        past = at.dataframe[-1].value
        assert list(past.columns[:4]) == ["Start", "End", "Title", "Type"]
        assert set(past["Status"]) <= {"Past", "Cancelled"}
        exports = [b.label for b in at.get("download_button")][-2:]
        assert exports == ["Export to a calendar (.ics)", "Export the table (.csv)"]
        # A type chosen, then French: the same choice, the page in French.
        at.multiselect(key="rencontre_type").select("réunion OTAN").run()
        at.segmented_control(key="pmo_langue").set_value("fr").run()
        assert not at.exception and at.title[0].value == "Rencontres internationales"
        assert at.multiselect(key="rencontre_type").value == ["réunion OTAN"]
