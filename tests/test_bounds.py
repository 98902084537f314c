"""Bounds on what a session keeps: the state measured at every run and forgotten past its limit;
the filters' query-string values bounded by Streamlit and checked against their options."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.ui import bounds
from tests.conftest import ROOT

MB = 1024 * 1024


def test_the_size_of_a_state_counts_what_it_holds_and_stops_past_the_limit():
    assert bounds.size("x" * MB) > MB
    nested = {"points": [{"customdata": ["y" * 100, 3]} for _ in range(10_000)]}
    assert bounds.size(nested) > 10_000 * 100
    assert bounds.size(pd.DataFrame({"a": range(100_000)})) >= 800_000
    assert bounds.size(nested, limit=50_000) < bounds.size(nested), "counting stops once over the limit"
    loop: list = []
    loop.append(loop)
    assert bounds.size(loop) < 1_000, "a value that holds itself is counted once"


def test_a_session_over_its_limit_forgets_its_state_but_not_who_it_is(demo_store, monkeypatch, tmp_path, signed_in):
    from dashboard.auth import AccountStore

    monkeypatch.setenv("PMO_MAX_SESSION_MB", "1")
    monkeypatch.delenv("PMO_DEMO_ACCESS")
    AccountStore(tmp_path / "accounts.json").add("col.bernard", "admin", "un mot de passe assez long")
    signed_in("col.bernard")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["region"] = ["Europe"]
    # What a browser could send as a chart's selection: a list of any length.
    at.session_state["carte_pays"] = {"selection": {"points": [{"location": f"FRA{n}"} for n in range(20_000)]}}
    at.run()
    assert not at.exception, at.exception
    assert "carte_pays" not in at.session_state and at.multiselect(key="region").value == []
    assert any("col.bernard" in t.value for t in at.sidebar.text), "still logged in"
    assert any("plus de 1 Mo" in w.value for w in at.warning)
    at.run()
    assert not any("plus de 1 Mo" in w.value for w in at.warning), "said once"


def test_a_session_within_its_limit_keeps_its_state(demo_store, monkeypatch):
    monkeypatch.setenv("PMO_MAX_SESSION_MB", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["region"] = ["Europe"]
    at.run()
    assert at.multiselect(key="region").value == ["Europe"]
    assert not any("Mo de sélections" in w.value for w in at.warning)


def test_query_string_values_of_the_filters_are_bounded_before_they_are_used(demo_store):
    """Streamlit drops a query string over 1 000 parameters or 524 288 characters (this test fails if it
    stops doing so); below, each filter keeps only the values among its options."""
    for values in (["x" * 500] * 999, ["y" * 10] * 1_001, ["z" * 600_000]):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params["pays"] = values
        at.query_params["region"] = "Europe"
        at.run()
        assert not at.exception, at.exception
        assert at.multiselect(key="pays").value == []
        kept = {key: at.session_state[key] for key in ("pays", "region") if key in at.session_state}
        assert bounds.size(kept) < 10_000, "nothing of the junk stays in the session"
        if len(values) > 1_000 or len(values[0]) > 524_288:
            assert at.multiselect(key="region").value == [], "the whole query string was ignored"
        else:
            assert at.multiselect(key="region").value == ["Europe"]
