"""The shared filters' one declaration: every filter of the selection is declared, and the declaration alone
drives how the query narrows the actions, how the selection reads in words (in French and in English), the
sidebar's widgets and the link's parameters (AppTest, through the entry script)."""

import dataclasses
import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import demo, i18n, links, query, selection
from dashboard.filters import ALL_STATES, FILTERS, PERIOD, Choice, Filter, Filters
from dashboard.store import Store
from tests.conftest import open_page

ACTIONS = query.prepare_actions(demo.synthetic_actions({2023: 600, 2026: 600}, seed=1, today=dt.date(2026, 6, 1)))
EVERY_STATUS = Filters(statuses=ALL_STATES)


def _options(declared: Filter) -> list[str]:
    return list(declared.options()) or query.present(ACTIONS, declared.column or "")


def _set(declared: Filter, options: list[str], filters: Filters | None = None) -> Filters:
    """`filters` with `declared` set to `options`, as its widget would set it."""
    return (filters or Filters()).change(**{declared.name: declared.value(declared.state(options))})


def _ids(filters: Filters) -> set[str]:
    return set(query.action_rows(ACTIONS, filters)["action_id"])


def test_every_field_of_the_selection_but_the_period_is_a_declared_filter_with_its_own_parameter():
    assert [f.name for f in FILTERS] == [f.name for f in dataclasses.fields(Filters)][2:]
    params = [PERIOD.param, *(f.param for f in FILTERS)]
    assert len(set(params)) == len(params), "two filters would share a widget and a link parameter"
    assert all(f.label and f.words and f.where for f in FILTERS)
    assert Filters().is_empty() and all(getattr(Filters(), f.name) == f.value(f.cleared()) for f in FILTERS)


@pytest.mark.parametrize("declared", FILTERS, ids=lambda f: f.name)
def test_the_query_narrows_the_actions_by_each_declared_filter_as_its_options_say(declared):
    whole = _ids(EVERY_STATUS)
    options = _options(declared)
    parts = {option: _ids(_set(declared, [option], EVERY_STATUS)) for option in options}
    assert all(0 < len(part) < len(whole) for part in parts.values()), "each option keeps some actions, not all"
    kept = set().union(*parts.values())
    if isinstance(declared, Choice):
        assert kept == whole and not set.intersection(*parts.values()), "each action is in one option exactly"
    else:
        assert _ids(_set(declared, options, EVERY_STATUS)) == kept, "several options keep the actions of any"
        assert _ids(_set(declared, options[:2], EVERY_STATUS)) == parts[options[0]] | parts[options[1]]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("declared", FILTERS, ids=lambda f: f.name)
def test_the_selection_line_names_each_declared_filter_with_its_values_in_words(declared, lang):
    options = _options(declared)[:2]
    chosen = _set(declared, options)
    i18n.use(lang)
    try:
        line = selection.describe(chosen)
        rows = selection.rows(chosen)
    finally:
        i18n.use("fr")
    name = i18n.translate(declared.label, lang)
    assert [c.name for c in selection.criteria(chosen)] == [declared.name]
    if declared.alone:
        assert rows[1][0] == name and line.endswith(" · " + rows[1][1])
    else:
        values = ", ".join(declared.words(option, lang) for option in options)
        assert line.endswith(" · " + i18n.translate("{label} : {values}", lang).format(label=name, values=values))
        assert rows[1] == (name, values)


@pytest.fixture
def sidebar(monkeypatch):
    monkeypatch.setenv("PMO_DEMO_ACCESS", "1")


def _widget(at: AppTest, declared: Filter):
    return (
        at.segmented_control(key=declared.param) if isinstance(declared, Choice) else at.multiselect(key=declared.param)
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_sidebar_draws_each_declared_filter_with_its_name_and_options_in_the_language(
    demo_store: Store, sidebar, lang
):
    at = open_page("pages/overview.py", query_params={"lang": lang} if lang == "en" else None)
    actions = query.prepare_actions(demo_store.read("actions"))
    for declared in FILTERS:
        widget = _widget(at, declared)
        options = list(declared.options()) or sorted(
            query.present(actions, declared.column or ""), key=lambda code: declared.words(code, "fr")
        )
        assert widget.label == i18n.translate(declared.label, lang), declared.name
        assert list(widget.options) == [declared.words(code, lang) for code in options], declared.name


def _chosen(declared: Filter, demo_store: Store) -> list[str]:
    options = list(declared.options()) or sorted(
        query.present(query.prepare_actions(demo_store.read("actions")), "country_iso3")
    )
    return options[:1] if isinstance(declared, Choice) else options[-2:]


SPELLINGS = {
    "as-written-now": lambda declared, code: declared.link(code),
    "french-words": lambda declared, code: declared.words(code, "fr"),
    "english-words": lambda declared, code: declared.words(code, "en"),
}


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_link_sets_each_declared_filter_and_the_address_then_reads_as_the_declaration_writes_it(
    demo_store: Store, sidebar, spelling
):
    chosen = {declared: _chosen(declared, demo_store) for declared in FILTERS}
    link = {f.param: [SPELLINGS[spelling](f, code) for code in codes] for f, codes in chosen.items()}
    at = open_page("pages/overview.py", query_params=link)
    assert not any("valeur inconnue" in w.value for w in at.warning), [w.value for w in at.warning]
    for declared, codes in chosen.items():
        assert at.session_state[declared.param] == declared.state(codes), declared.name
        assert at.button(key=f"pmo_chip_{declared.name}").label, "the line under the title names it"
    address = {name: [v] if isinstance(v, str) else list(v) for name, v in at.query_params.items()}
    assert address == {f.param: [f.link(code) for code in codes] for f, codes in chosen.items()}
    assert all(links.slug(v) == v or f.link is str for f in FILTERS for v in address[f.param])


def _run_link_reading() -> None:
    import streamlit as st

    from dashboard.ui import data, filters

    filters.check_link(data.actions())
    st.write(f"regions: {st.session_state.get('region')}")


def test_a_filter_whose_state_was_dropped_is_read_again_from_the_link(demo_store):
    # The session wrote this link itself; only the list's own state is gone.
    at = AppTest.from_function(_run_link_reading)
    at.query_params["region"] = "afrique"
    at.session_state["pmo_lien_ecrit"] = {"region": ["afrique"]}
    at.run()
    assert not at.exception, at.exception
    assert at.markdown[0].value == "regions: ['Afrique']"
