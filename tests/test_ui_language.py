"""The language of a run, as `language.choose` decides it at the start of every run."""

from streamlit.testing.v1 import AppTest


def _run_language_choice() -> None:
    import streamlit as st

    from dashboard import i18n
    from dashboard.ui import language

    language.choose()
    st.write(f"language: {i18n.language()}")


def _language(query_params: dict[str, str], session: dict[str, str]) -> str:
    at = AppTest.from_function(_run_language_choice)
    for name, value in query_params.items():
        at.query_params[name] = value
    for key, value in session.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at.markdown[0].value.removeprefix("language: ")


def test_a_link_naming_english_opens_in_english():
    assert _language({"lang": "en"}, {}) == "en"


def test_without_a_link_the_setting_decides():
    assert _language({}, {}) == "fr"


def test_a_session_whose_switch_lost_its_state_keeps_the_language_of_its_link():
    # The link says English and the session wrote it there: only the switch's own state is gone.
    assert _language({"lang": "en"}, {"pmo_langue_ecrite": "en", "pmo_langue_montree": "en"}) == "en"


def test_a_session_whose_switch_lost_its_state_keeps_the_language_it_showed():
    assert _language({}, {"pmo_langue_montree": "en"}) == "en"
