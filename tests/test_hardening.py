"""Hardening: data shown as text, never HTML or Markdown; exports formula-safe; pages reachable only
through the entry script; security settings; secrets out of the repository.

Injection strings go the way a staff officer's file goes: a CSV read and
committed by dashboard.ingest, then every page and the exports.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import html
import io
import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from dashboard import export, ingest
from dashboard.charts import base
from dashboard.schema import MEETING_KINDS
from dashboard.seed import open_store
from dashboard.settings import settings
from dashboard.store import Store
from dashboard.ui import layout
from dashboard.ui.marking import marking_html
from dashboard.ui.navigation import PAGES
from tests.conftest import ROOT, as_read, wait_for_app, wait_for_charts
from tests.files.make_corpus import FR as ACTIONS_HEADER
from tests.files.make_corpus import MEETINGS_FR as MEETINGS_HEADER
from tests.files.make_corpus import csv_text
from tests.hostile import HOSTILE, shown_by_markdown, shown_in_figure

HTML = "<img src=x onerror=alert(1)>"
LINK = "[clic](javascript:alert(1))"
FORMULA = '=HYPERLINK("http://exemple.invalid","x")'
STREAMLIT_MARKUP = ":red[rouge] **gras** $x^2$"
# Every hostile string of tests/hostile.py, and those above, each in the text columns of one row.
PAYLOADS = tuple(dict.fromkeys((*HOSTILE, HTML, LINK, FORMULA, STREAMLIT_MARKUP)))


def _actions_file() -> bytes:
    rows = []
    for number, payload in enumerate(PAYLOADS, start=1):
        rows.append(
            [f"INJ-{number}", payload, "12/03/2024", "22/03/2024", "Côte d'Ivoire", "formation", "prévention",
             "coopération | influence", "former", "bilatéral", "non", "forces de présence", payload, "12", "60",
             payload, payload]
        )  # fmt: skip
    return csv_text(ACTIONS_HEADER, rows).encode("utf-8")


def _meetings_file() -> bytes:
    rows = []
    for number, payload in enumerate(PAYLOADS, start=1):
        # Ten days long, three weeks apart, of every kind in turn: each is a mark of its own on the timeline.
        start = dt.date(2024, 1, 8) + dt.timedelta(weeks=3 * number)
        days = [f"{d:%d/%m/%Y}" for d in (start, start + dt.timedelta(days=9))]
        kind = MEETING_KINDS.codes[number % len(MEETING_KINDS.codes)]
        rows.append(
            [f"INJ-R-{number}", payload, *days, kind, payload, "état-major",
             "présentiel", payload, "Côte d'Ivoire", "Sénégal", "2", payload, payload]
        )  # fmt: skip
    return csv_text(MEETINGS_HEADER, rows).encode("utf-8")


def _inject(store: Store) -> Store:
    for name, data in (("actions.csv", _actions_file()), ("rencontres.csv", _meetings_file())):
        report, result = ingest.import_bytes(name, data, store, "adj.leroy")
        assert not report.errors, [p.message for p in report.problems]
        assert result.inserted == len(PAYLOADS)
    return store


@pytest.fixture
def injected_store(empty_store):
    """A store whose only rows came in through the import, carrying the injection strings."""
    return _inject(empty_store)


@pytest.fixture(scope="module")
def injected_root(tmp_path_factory) -> Path:
    """The same store, made once for this module's browser tests, which only read it."""
    root = tmp_path_factory.mktemp("injected") / "store"
    with pytest.MonkeyPatch.context() as settings:
        settings.setenv("PMO_DEMO", "0")
        _inject(open_store(root))
    return root


# --- Pages: data values never interpreted ------------------------------------

# Elements whose strings Streamlit renders as Markdown (or HTML), and the widget
# fields that do (labels, help, radio options). Tables, charts, st.text and
# select options are shown as text.
_MARKDOWN_ELEMENTS = {
    "markdown",
    "alert",
    "heading",
    "metric",
    "toast",
    "expandable",
    "tab",
    "button",
    "download_button",
}
_MARKDOWN_FIELDS = {"label", "help", "body", "caption", "options", "placeholder"}
_UNESCAPED = [
    re.compile(r"(?<!\\)<img"),
    re.compile(r"(?<!\\)\]\(javascript"),
    re.compile(r"(?<!\\):red(?<!\\)\["),
]


def _strings(value: object, fields: set[str] | None, key: str = "") -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, fields, k)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v, fields, key)]
    if isinstance(value, str) and (fields is None or key in fields):
        return [value]
    return []


def _rendered_as_markdown(node) -> list[tuple[str, str]]:
    """Every (element type, string) of the page that Streamlit renders as Markdown or HTML."""
    found: list[tuple[str, str]] = []
    kind = getattr(node, "type", "")
    proto = getattr(node, "proto", None)
    if proto is not None and not isinstance(node, Block):
        data = MessageToDict(proto)
        if kind == "html":
            strings = _strings(data, {"body"})
        elif kind in ("arrow_data_frame", "plotly_chart", "text", "code", "json", "deck_gl_json_chart"):
            strings = []
        elif kind in _MARKDOWN_ELEMENTS:
            strings = _strings(data, None)
        else:
            plain = {"options", "default", "value"} if kind in ("selectbox", "multiselect") else set()
            strings = _strings(data, _MARKDOWN_FIELDS - plain)
        found += [(kind, text) for text in strings]
    elif isinstance(node, Block) and proto is not None:
        found += [(kind, text) for text in _strings(MessageToDict(proto), {"label", "help"})]
    for child in getattr(node, "children", {}).values():
        found += _rendered_as_markdown(child)
    return found


@pytest.mark.parametrize("spec", PAGES, ids=[s.url_path for s in PAGES])
def test_injection_strings_from_an_import_stay_literal_on_every_page(injected_store, spec):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).switch_page(spec.script).run()
    if spec.script == "pages/country.py" and at.selectbox:
        # The profile of the injected country.
        choice = next(s for s in at.selectbox if "Côte d'Ivoire" in s.options)
        choice.select("Côte d'Ivoire").run()
    assert not at.exception, at.exception
    _assert_literal(at, spec.script)
    if spec.script == "pages/meetings.py":
        # The detail of each injected meeting, as a click on the timeline opens it.
        for number, payload in enumerate(PAYLOADS, start=1):
            at.session_state["rencontre_choisie"] = f"INJ-R-{number}"
            at.run()
            assert not at.exception, at.exception
            titles = [shown_by_markdown(h.value) for h in at.subheader]
            assert payload in titles, "the detail of the meeting shows its title as typed"
            assert layout.plain(payload) in [h.value for h in at.subheader]
            _assert_literal(at, spec.script)


def _assert_literal(at: AppTest, script: str) -> None:
    """Every hostile string on the page is shown as typed: HTML-escaped in `st.html`, through `layout.plain`
    where Streamlit reads Markdown, through `charts.base.text` in every figure."""
    for kind, text in _rendered_as_markdown(at.main) + _rendered_as_markdown(at.sidebar):
        if kind == "html":
            # HTML, not Markdown: only tags and entities are read, so data must be escaped as HTML.
            shown = html.unescape(re.sub(r"<[^>]*>", "", text))
            for payload in PAYLOADS:
                if payload in shown:
                    assert html.escape(payload, quote=False) in text.replace("&quot;", '"').replace("&#x27;", "'")
            for payload in PAYLOADS:
                assert "<" not in payload or payload not in text, f"{script}: html renders {payload!r} as HTML"
            continue
        for pattern in _UNESCAPED:
            assert not pattern.search(text), f"{script}: {kind} renders {text!r} as Markdown/HTML"
        for payload in PAYLOADS:
            if payload in shown_by_markdown(text):
                assert layout.plain(payload) in text, f"{script}: {kind} {text!r} shows data as Markdown"
    for chart in at.get("plotly_chart"):
        shown_in_figure(json.loads(chart.proto.spec))  # fails on any data plotly would read as markup


def test_values_in_a_shared_link_are_checked_before_they_are_shown(demo_store):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["region"] = [HTML, "Europe"]
    at.query_params["pays"] = LINK
    at.run()
    assert not at.exception
    assert at.multiselect(key="region").value == ["Europe"], "only the known value is kept"
    assert as_read(at.button(key="pmo_chip_regions").label) == "Régions : Europe"
    # The hostile values are named as ignored, as text.
    (ignored,) = [as_read(w.value) for w in at.warning]
    assert "Régions « " in ignored and "valeur inconnue" in ignored
    _assert_literal(at, "app.py")


def test_the_injected_rows_are_exported_formula_safe(injected_store):
    actions = injected_store.read("actions").to_pandas()
    text = export.csv_bytes(actions).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    cells = [cell for row in rows[2:] for cell in row]
    assert "'" + FORMULA in cells
    assert FORMULA not in cells
    assert HTML in cells, "text is kept as is, only formulas are neutralised"


def test_the_calendar_of_the_injected_meetings_is_marked_on_every_event(injected_store, monkeypatch):
    import icalendar

    from dashboard import ical

    monkeypatch.setenv("PMO_MARKING", "DIFFUSION RESTREINTE")
    meetings = injected_store.read("meetings").to_pandas()
    parsed = icalendar.Calendar.from_ical(ical.ics_bytes(meetings))
    assert "DIFFUSION RESTREINTE" in str(parsed["x-wr-calname"])
    events = list(parsed.walk("VEVENT"))
    assert len(events) == len(PAYLOADS)
    for event in events:
        assert str(event["description"]).startswith("DIFFUSION RESTREINTE")
        assert "x-alt-desc" not in event, "no HTML description for a calendar program to render"


# --- The marking is text too -------------------------------------------------


def test_the_marking_banner_and_chart_marking_escape_their_text(monkeypatch):
    monkeypatch.setenv("PMO_MARKING", f"DR {HTML}")
    html = marking_html(settings().marking, "#2e7d32", "#ffffff")
    assert "<img" not in html and "&lt;img src=x" in html
    figure = base.mark(base.style(base.empty()), base.Marking(settings().marking, "#2e7d32", "#ffffff"))
    marks = [a for a in figure.layout.annotations if a.name == base.MARKING_NAME]
    assert len(marks) == 1 and "<img" not in marks[0].text and "&lt;img" in marks[0].text


def test_every_figure_carries_the_marking_once():
    marking = base.Marking("DIFFUSION RESTREINTE", "#c62828", "#ffffff")
    figure = base.mark(base.style(base.style(base.empty())), marking)
    marks = [a for a in figure.layout.annotations if a.name == base.MARKING_NAME]
    assert [(m.text, m.bgcolor, m.font.color) for m in marks] == [("DIFFUSION RESTREINTE", "#c62828", "#ffffff")]
    assert figure.layout.margin.t >= base.MARKING_MARGIN
    assert len(figure.layout.annotations) == 2, "the figure's own annotations are kept"


# --- Pages only through the entry script ---------------------------------------


@pytest.mark.parametrize("spec", PAGES, ids=[s.url_path for s in PAGES])
def test_a_page_run_without_the_entry_script_is_refused(demo_store, spec):
    """What Streamlit does on a fresh server for `/<file name>`: runs pages/<file>.py alone."""
    at = AppTest.from_file(str(ROOT / spec.script), default_timeout=60).run()
    assert not at.exception, at.exception
    assert any("Accès refusé" in e.value for e in at.error)
    for kind in ("plotly_chart", "arrow_data_frame", "metric", "file_uploader", "title"):
        assert not at.get(kind), kind


def test_every_page_address_is_the_name_of_its_script():
    """Before the entry script has run once, Streamlit serves `pages/<stem>.py` at `/<stem>` by itself.
    With addresses equal to the stems that first run finds its page, whose guard then runs the
    entry script (identity, role, marking) instead; see test_browser_navigation.py."""
    for spec in PAGES:
        assert spec.url_path == Path(spec.script).stem, spec.script


def test_every_page_script_starts_with_the_guard():
    for spec in PAGES:
        module = ast.parse((ROOT / spec.script).read_text(encoding="utf-8"))
        statements = [
            node
            for node in module.body
            if not isinstance(node, ast.Import | ast.ImportFrom)
            and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
        ]
        assert ast.unparse(statements[0]) == "access.guard()", spec.script


def test_the_session_state_carries_no_identity(signed_in, monkeypatch, demo_store, tmp_path):
    """Who is logged in comes from the browser's signed cookie on every rerun, never from the session: a name
    put in the session state (by a widget key, or a session taken over by its id) gives nothing."""
    from dashboard.auth import AccountStore

    monkeypatch.delenv("PMO_DEMO_ACCESS")
    AccountStore(tmp_path / "accounts.json").add("col.bernard", "admin", "un mot de passe assez long")
    signed_in(None)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key in ("pmo_user", "user", "account", "role"):
        at.session_state[key] = "col.bernard"
    at.run()
    assert [t.value for t in at.title] == ["Connexion"]
    assert not at.get("plotly_chart")
    assert not any("col.bernard" in t.value for t in at.sidebar.text)
    signed_in("col.bernard")  # the browser's cookie, and only it, logs in
    assert any("col.bernard" in t.value for t in at.run().sidebar.text)


# --- Settings and secrets -------------------------------------------------------


def test_server_settings_keep_xsrf_on_and_uploads_capped_at_the_import_limit(monkeypatch):
    monkeypatch.delenv("PMO_MAX_UPLOAD_MB", raising=False)
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["enableCORS"] is True
    assert config["server"]["maxUploadSize"] == settings().max_upload_mb
    assert config["client"]["showErrorDetails"] == "none"
    # No developer options, and no app menu of Streamlit's English entries.
    assert config["client"]["toolbarMode"] == "minimal"
    assert config["browser"]["gatherUsageStats"] is False


def test_no_streamlit_setting_grants_access_silently():
    config = (ROOT / ".streamlit" / "config.toml").read_text()
    assert "PMO_DEMO_ACCESS" not in config and "trustedUserHeaders" not in config


@pytest.mark.parametrize("path", [".streamlit/secrets.toml", "data/accounts.json", "data/audit.log"])
def test_secrets_accounts_and_audit_log_are_never_committed(path):
    ignored = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT, check=False)
    assert ignored.returncode == 0, f"{path} is not in .gitignore"
    tracked = subprocess.run(["git", "ls-files", "--error-unmatch", path], cwd=ROOT, capture_output=True, check=False)
    assert tracked.returncode != 0, f"{path} is in the repository"


def test_the_secrets_example_documents_what_st_login_requires():
    example = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text())
    auth = example["auth"]
    for key in ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"):
        assert key in auth, key
    assert auth["redirect_uri"].endswith("/oauth2callback")
    assert "REPLACE" in auth["cookie_secret"] and "REPLACE" in auth["client_secret"]


# --- In a real browser ---------------------------------------------------------


@pytest.mark.browser
def test_in_the_browser_nothing_from_the_data_or_the_marking_runs(shared, injected_root, page):
    server = shared(store=injected_root, PMO_MARKING=f"DR {HTML}")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for spec in PAGES:
        if spec.script in ("pages/import.py", "pages/history.py"):
            continue
        page.goto(f"{server.url}/{spec.url_path}")
        wait_for_app(page, timeout=90_000)
        wait_for_charts(page)
        assert page.locator("img[src='x']").count() == 0, spec.url_path
        assert page.locator("a[href^='javascript']").count() == 0, spec.url_path
        banner = page.locator("[data-testid='pmo-marking']").first
        assert banner.inner_text() == f"DR {HTML}", spec.url_path
    assert dialogs == []
    assert page.requests.outside() == []


_HOVER = """() => {
  const layer = document.querySelector('.js-plotly-plot .hoverlayer');
  return layer ? {text: layer.textContent, links: layer.querySelectorAll('a').length,
                  big: [...layer.querySelectorAll('tspan')].some((t) => /60px/.test(t.getAttribute('style') || ''))}
               : null;
}"""
_HOVER_SHOWS = f"payload => {{ const label = ({_HOVER})(); return label !== null && label.text.includes(payload); }}"


@pytest.mark.browser
def test_in_the_browser_hover_labels_and_details_show_hostile_titles_as_typed(shared, injected_root, page):
    """Each injected meeting, one lane per body: its hover label, then for some its detail, read from the page."""
    from tests.test_browser_meetings import _MARK_CENTRE

    server = shared(store=injected_root, PMO_MARKING=f"DR {HTML}")
    page.goto(f"{server.url}/meetings")
    wait_for_app(page, timeout=90_000)
    page.get_by_text("Par organisme").click()
    wait_for_app(page)
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()

    def hover(number: int, payload: str) -> dict:
        """Move onto the mark of meeting `number` until its hover label shows (the chart may still be
        redrawing after a rerun); returns where the mark is."""
        for attempt in range(40):
            centre = page.evaluate(_MARK_CENTRE, f"INJ-R-{number}")
            assert centre is not None, payload
            page.mouse.move(centre["x"] + attempt % 2, centre["y"])
            try:
                page.wait_for_function(_HOVER_SHOWS, arg=payload, timeout=250)
            except PlaywrightTimeoutError:
                continue
            return centre
        raise AssertionError(f"no hover label for {payload!r}: {page.evaluate(_HOVER)}")

    for number, payload in enumerate(PAYLOADS, start=1):
        hover(number, payload)
        label = page.evaluate(_HOVER)
        assert label["links"] == 0 and not label["big"], (payload, label)
    # The detail of the meetings whose titles hold an entity, a Material icon, a colour, LaTeX and a link.
    for payload in HOSTILE[4:9]:
        # Plotly clicks the point its hover label shows: hover first.
        page.mouse.click(**hover(PAYLOADS.index(payload) + 1, payload))
        detail = page.locator(".st-key-rencontre_detail")
        # A colon is followed by an invisible word joiner (layout.plain): what the eye reads is the title as typed.
        heading = detail.locator("h3")
        expect(heading).to_have_text(re.compile(re.escape(payload).replace(":", ":\u2060?")), timeout=30_000)
        assert heading.inner_text().replace("\u2060", "") == payload
        for hostile in ("[data-testid='stIconMaterial']", ".katex", "a", "span[style*='color']", "img"):
            assert detail.locator(f"h3 {hostile}, [data-testid='stMarkdownContainer'] {hostile}").count() == 0, (
                payload,
                hostile,
            )
        wait_for_app(page)
    assert page.requests.outside() == []
