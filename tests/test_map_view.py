"""The map's chosen countries: a click leaves the figure alone, a change made elsewhere redraws and resets it."""

from dashboard import map_view

VIEW = ("actions", "Monde")


def test_a_click_is_left_to_plotly_the_figure_does_not_change():
    state: dict = {}
    first = map_view.highlight(state, VIEW, ())
    map_view.clicked(state, ("SEN",))
    assert map_view.highlight(state, VIEW, ("SEN",)) == first == ((), "1")


def test_a_change_from_the_sidebar_or_a_link_redraws_the_choice_with_a_new_revision():
    state: dict = {}
    map_view.highlight(state, VIEW, ())
    assert map_view.highlight(state, VIEW, ("SEN", "TCD")) == (("SEN", "TCD"), "2")
    assert map_view.highlight(state, VIEW, ("SEN", "TCD")) == (("SEN", "TCD"), "2")


def test_a_new_view_draws_the_clicked_countries_without_resetting_plotly():
    state: dict = {}
    map_view.highlight(state, VIEW, ())
    map_view.clicked(state, ("SEN",))
    map_view.highlight(state, VIEW, ("SEN",))
    assert map_view.highlight(state, ("person_days", "Monde"), ("SEN",)) == (("SEN",), "1")
