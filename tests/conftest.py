"""Shared fixtures: stores in temporary folders, a real dashboard server (`python -m dashboard.server`),
and headless Chromium that records every request the page makes."""

from __future__ import annotations

import functools
import importlib.util
import os
import random
import socket
import sys
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import urljoin, urlparse

import pytest
from streamlit.testing.v1 import AppTest

from bench.browser import READER, chromium
from bench.server import Server
from bench.server import start as start_server
from dashboard.seed import open_store
from dashboard.store import Store
from tests import objectstore

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent


def script(name: str):
    """The maintainers' script `scripts/<name>.py`, loaded as a module (scripts/ is no package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# This process's own main module, as the test worker started (see `_main_module_kept`).
_MAIN_MODULE = sys.modules["__main__"]


@pytest.fixture(autouse=True)
def _main_module_kept() -> Iterator[None]:
    """Streamlit's script runner, which AppTest runs in this process, installs each script it runs as `__main__`
    and leaves it there. A process started with `spawn` (the concurrent-import tests) runs `__main__`'s file again
    before its own work: an AppTest script, a function's body without its arguments, failed it with a NameError,
    depending on which test files the worker had run before. The worker's own main module is put back after
    each test."""
    yield
    restore_main_module()


def restore_main_module() -> None:
    sys.modules["__main__"] = _MAIN_MODULE


@pytest.fixture(scope="session", autouse=True)
def installed_components_scanned_once() -> Iterator[Callable[[], object]]:
    """Each AppTest looks for Streamlit components among the installed packages by reading every package's
    metadata (0.3 s, half of a short AppTest's time; a server does it once at start). The packages do not
    change during a run: the first scan's result is kept. Streamlit's scanner is patched where it lives, the
    tests' one patch of a Streamlit module: if it moves, every test fails here, and
    tests/test_pages.py checks the scan still happens once."""
    from streamlit.components.v2 import manifest_scanner

    scan = functools.cache(manifest_scanner.scan_component_manifests)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests", scan)
        yield scan


@pytest.fixture(autouse=True)
def _access(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs with the demo access (every role) and its own accounts file and audit log;
    access tests remove PMO_DEMO_ACCESS and log in explicitly (see tests/test_access_pages.py)."""
    monkeypatch.setenv("PMO_DEMO_ACCESS", "1")
    monkeypatch.setenv("PMO_ACCOUNTS", str(tmp_path / "accounts.json"))
    monkeypatch.setenv("PMO_AUDIT_LOG", str(tmp_path / "audit.log"))


@pytest.fixture
def signed_in(monkeypatch: pytest.MonkeyPatch) -> Callable[[str | None], None]:
    """`signed_in(name)`: AppTest's browser presents the log-in cookie the server's log-in route would have set
    for the local account `name` (None: no cookie). AppTest has no cookies of its own: only how the cookie reaches
    the script is replaced, its signature and generation are checked as in service."""
    from dashboard.auth import AccountStore
    from dashboard.settings import settings
    from dashboard.ui import access
    from dashboard.web import identity

    jar: dict[str, str] = {}
    monkeypatch.setattr(access, "browser_cookie", jar.get)

    def sign_in(name: str | None) -> None:
        jar.clear()
        account = AccountStore(settings().accounts_path).get(name) if name else None
        if account is not None:
            jar[identity.COOKIE] = identity.issue(access.cookie_secret(), account)

    return sign_in


@pytest.fixture
def english() -> Iterator[None]:
    """English as the language of the test's own thread: what it builds, and the widgets' options AppTest formats
    there, read as a page's run in English makes them."""
    from dashboard import i18n

    with i18n.using("en"):
        yield


@pytest.fixture(scope="session")
def demo_store_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store filled with the demo data once for the whole run (do not write to it)."""
    root = tmp_path_factory.mktemp("demo-store")
    open_store(root)
    return root


@pytest.fixture
def demo_store(demo_store_root: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("PMO_STORE", str(demo_store_root))
    return Store(demo_store_root)


@pytest.fixture
def writable_demo_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A demo store of this test's own, free to change."""
    monkeypatch.setenv("PMO_STORE", str(tmp_path / "store"))
    return open_store(tmp_path / "store")


@pytest.fixture
def empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("PMO_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("PMO_DEMO", "0")
    return open_store(tmp_path / "store")


@pytest.fixture(scope="session")
def object_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[objectstore.ObjectStore]:
    """moto's S3 server on a free port, with the bucket `pmo`, for the whole run."""
    store = objectstore.start(tmp_path_factory.mktemp("moto") / "moto.log")
    yield store
    store.stop()


@pytest.fixture
def s3_root(object_store: objectstore.ObjectStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """A store root of this test's own in the bucket, with the settings that reach it (PMO_S3_*, PMO_STORE)."""
    for name, value in object_store.env().items():
        monkeypatch.setenv(name, value)
    root = f"s3://{objectstore.BUCKET}/{tmp_path.name}"
    monkeypatch.setenv("PMO_STORE", root)
    return root


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def failed(request: pytest.FixtureRequest) -> bool:
    """Whether the test of this fixture failed (in a fixture's teardown: then it prints what helps)."""
    report = getattr(request.node, "report_call", None)
    return report is not None and report.failed


# Loopback ports below the kernel's range for ports it picks itself (32768 and up on Linux): no other process's
# connection or free-port request lands there.
_OWN_PORTS = range(20_000, 32_000)


def _port_free(port: int) -> bool:
    """Whether a server may listen on `port`: as the dashboard's server binds, past the closed connections of
    the worker's previous server (SO_REUSEADDR), but not beside a server still listening there."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@pytest.fixture(scope="session")
def _own_port() -> list[int]:
    """The port of the servers this worker starts for one test, the same for each of them (kept in a list so
    that a port found taken can be replaced). A page served from an address the browser knows comes from its
    cache, scripts compiled: a test's new server no longer costs the browser a first visit (about a second of
    processor time and Streamlit's scripts compiled again)."""
    return [random.Random(os.getpid()).choice(_OWN_PORTS)]


@pytest.fixture
def server_factory(request: pytest.FixtureRequest, tmp_path: Path, _own_port: list[int]) -> Iterator:
    """Start the dashboard (`python -m dashboard.server`): the test's first server on this worker's own port,
    others on free ports; prints their logs if the test fails."""
    servers: list[Server] = []

    def start(store_root: Path, env: dict[str, str] | None = None) -> Server:
        log = tmp_path / f"server-{len(servers)}.log"
        if servers:
            server = start_server(store_root, log, env)
        else:
            while not _port_free(_own_port[0]):
                _own_port[0] = random.choice(_OWN_PORTS)
            try:
                server = start_server(store_root, log, env, port=_own_port[0])
            except RuntimeError:
                if "address already in use" not in log.read_text():
                    raise
                # Another process took the port between the probe and the bind.
                server = start_server(store_root, log, env)
        servers.append(server)
        return server

    yield start
    test_failed = failed(request)
    for server in servers:
        server.stop()
        if test_failed:
            print(f"\n----- server log ({server.url}) -----\n{server.log()}")


@pytest.fixture
def fresh_server(server_factory, demo_store_root: Path) -> Server:
    """The dashboard on the demo data, started for this test alone (a first visit after the start)."""
    return server_factory(demo_store_root)


@pytest.fixture(scope="session")
def shared_servers(demo_store_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Server]]:
    """Dashboards for the browser tests of this process that only read their store (the demo data unless `store`
    names another), one per store and set of settings, each started when a test first asks for it: every test
    loads its own page, hence its own Streamlit session, and no test writes the store."""
    started: dict[tuple[str, tuple[tuple[str, str], ...]], Server] = {}

    def serving(store: Path | None = None, **settings: str) -> Server:
        root = store or demo_store_root
        key = (str(root), tuple(sorted(settings.items())))
        if key not in started:
            folder = tmp_path_factory.mktemp("shared-server")
            env = {
                "PMO_DEMO_ACCESS": "1",
                "PMO_ACCOUNTS": str(folder / "accounts.json"),
                "PMO_AUDIT_LOG": str(folder / "audit.log"),
                **settings,
            }
            started[key] = start_server(root, folder / "server.log", env)
        return started[key]

    yield serving
    for server in started.values():
        server.stop()


@pytest.fixture
def shared(shared_servers: Callable[..., Server], request: pytest.FixtureRequest) -> Iterator[Callable[..., Server]]:
    """`shared(PMO_MARKING=...)`: the shared dashboard with these settings (none: the demo's), on the demo data
    or on the store `shared(store=root)` names; prints what each server this test used logged during it, if it
    fails."""
    used: dict[str, tuple[Server, int]] = {}

    def serving(store: Path | None = None, **settings: str) -> Server:
        server = shared_servers(store, **settings)
        used.setdefault(server.url, (server, len(server.log())))
        return server

    yield serving
    if failed(request):
        for server, start in used.values():
            print(f"\n----- server log ({server.url}) -----\n{server.log()[start:]}")


@pytest.fixture
def server(shared: Callable[..., Server]) -> Server:
    """The dashboard served on the demo data, shared by the tests of this process that only read."""
    return shared()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """This worker's headless Chromium, launched as the benchmarks launch theirs."""
    with chromium() as browser:
        yield browser


@dataclass
class RequestLog:
    urls: list[str] = field(default_factory=list)

    def outside(self, host: str = "127.0.0.1") -> list[str]:
        allowed = {host, "localhost"}
        return [
            u
            for u in self.urls
            if urlparse(u).scheme not in ("data", "blob", "about") and urlparse(u).hostname not in allowed
        ]


VIEWPORT = READER["viewport"]
# Where the shared tab waits between tests: a page of the server's own that holds no Streamlit session.
IDLE_PATH = "/_stcore/health"
# The browser profile of the tests' tabs: a French reader who asked their system for reduced motion. The animations
# of Streamlit and plotly that honour it then stand still instead of drawing sixty frames a second while the
# server works: a fifth less processor time for Chromium over a walk through the pages, the same pages and
# charts (the benchmarks' READER keeps the default motion: they time what most readers see).
TAB_PROFILE = {**READER, "reduced_motion": "reduce"}


@pytest.fixture(scope="session")
def _tab(browser) -> Iterator:
    """The tab the tests of this worker share. A tab that stays open keeps its renderer process, which keeps the
    dashboard's scripts compiled: a page load there costs about a third less processor time than in a new tab,
    and page loads are most of the suite's time."""
    context = browser.new_context(**TAB_PROFILE)
    context.add_init_script(RUN_WATCH)
    tab = context.new_page()
    tab.requests = RequestLog()
    # Read at each request: each test gets a new log.
    tab.on("request", lambda request: tab.requests.urls.append(request.url))
    yield tab
    context.close()


@pytest.fixture
def page(_tab, request: pytest.FixtureRequest) -> Iterator:
    """A browser page with no cookie, no extra header and no stored state, at the default size;
    `page.requests.outside()` lists requests to other hosts. It is the worker's shared tab: the listeners and
    routes a test adds and the tabs it opens beside it go with the test (a test that needs init scripts of its own
    or another browser profile opens a context of its own). When the test fails, what the page showed is
    printed with the report: its address, Streamlit's states and its accessibility tree."""
    _tab.context.clear_cookies()
    _tab.set_extra_http_headers({})
    _tab.set_viewport_size(VIEWPORT)
    _tab.requests = RequestLog()
    listeners: list[tuple[str, Callable]] = []
    on = _tab.on

    def listen(event: str, handler: Callable) -> None:
        listeners.append((event, handler))
        on(event, handler)

    _tab.on = listen
    yield _tab
    del _tab.on
    if failed(request):
        print(f"\n----- the page when the test failed -----\n{page_state(_tab)}")
    for event, handler in listeners:
        _tab.remove_listener(event, handler)
    _tab.unroute_all()
    for other in _tab.context.pages:
        if other is not _tab:
            other.close()
    # A test that never left the previous test's last address (a test of the browser alone) has no session to
    # end, and that address's server may be gone.
    if _tab.url.startswith("http") and urlparse(_tab.url).path != IDLE_PATH:
        # Streamlit keeps the sidebar's state and width in the origin's storage.
        _tab.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        # Ends the test's Streamlit session (a page of the same site: about:blank would cost the tab its process).
        _tab.goto(urljoin(_tab.url, IDLE_PATH))


def page_state(page) -> str:
    """The page's address, Streamlit's connection and script states, and what a screen reader reads of it."""
    from playwright.sync_api import Error

    try:
        app = page.locator("[data-testid='stApp']")
        states = app.evaluate("a => [a.dataset.testConnectionState, a.dataset.testScriptState]", timeout=2_000)
        return f"{page.url}\nconnection, script: {states}\n{page.locator('body').aria_snapshot(timeout=5_000)}"
    except Error as error:
        return f"{page.url}\n(the page could not be read: {error})"


def open_page(
    script: str,
    query_params: Mapping[str, str | list[str]] | None = None,
    session: Mapping[str, object] | None = None,
) -> AppTest:
    """The dashboard as a user reaches `script` ("pages/map.py"): through the entry script, with the
    address's `query_params` and what `session` already holds; no exception on screen."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for name, value in (query_params or {}).items():
        at.query_params[name] = value
    for key, value in (session or {}).items():
        at.session_state[key] = value
    # Before the first run, the page is known by its file's name, as a link to its address names it (each
    # page's address is its file's name).
    at.switch_page(script).run()
    assert not at.exception, at.exception
    return at


def outside_the_browser_loop(function: Callable[..., T], *args: object) -> T:
    """Call `function` in a thread of its own: Playwright's session-wide browser keeps an
    event loop running in the main thread, where `asyncio.run` is refused."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function, *args).result()


# Streamlit's app element carries its connection and script state, which Streamlit's own end-to-end tests wait on
# (`wait_for_app_run`): `initial` until the first run, then `running` and `notRunning`. A widget change sends its
# rerun request without changing that state, so the page counts the runs it sees start and the time of the last
# user input: a wait that follows an input waits for a run started after it (a click that starts none, such as
# opening a list, is known by no run starting within RUN_START_MS). It also keeps what the page's
# Content-Security-Policy refused (`window.__pmo.violations`).
RUN_WATCH = """
window.__pmo = {runs: 0, runAt: 0, inputAt: 0, violations: []};
document.addEventListener('securitypolicyviolation', e => {
  window.__pmo.violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
new MutationObserver(changes => {
  for (const change of changes) {
    if (change.target.getAttribute('data-test-script-state') === 'running') {
      window.__pmo.runs += 1; window.__pmo.runAt = performance.now();
    }
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
for (const kind of ['pointerup', 'keyup', 'change']) {
  document.addEventListener(kind, () => { window.__pmo.inputAt = performance.now(); }, true);
}
"""
RUN_START_MS = 2000
_SETTLED = """
wait => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.dataset.testConnectionState !== 'CONNECTED' || app.dataset.testScriptState !== 'notRunning') {
    return false;
  }
  if (!document.querySelector("[data-testid='stMain'] h1")) return false;
  // A widget whose code the browser is still loading (a fresh page's first use of it) stands as a skeleton.
  if (document.querySelector("[data-testid='stSkeleton']")) return false;
  const state = window.__pmo;
  if (state && state.inputAt > state.runAt && performance.now() - state.inputAt < wait) return false;
  return true;
}
"""


# How often the waits below look at the page. Playwright's default, every animation frame, keeps the browser
# drawing frames while the page waits for the server: a tenth of a processor core, for nothing.
POLL_MS = 50


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until the script run is over, as the browser's Streamlit reports it, with the page's title drawn and
    every widget's code loaded; after a click or a key, until the run it started is over."""
    page.wait_for_function(_SETTLED, arg=RUN_START_MS, timeout=timeout, polling=POLL_MS)


def click_all(locator) -> None:
    """Click every element of `locator` at once, from the page's own script, as one input of the user: the next
    `wait_for_app` waits for the run those clicks start (the run watch sees no pointer event from such a click)."""
    locator.evaluate_all("all => { all.forEach(e => e.click()); window.__pmo.inputAt = performance.now(); }")


def wait_for_charts(page, timeout: float = 30_000) -> None:
    """Wait until plotly has drawn every chart of the page."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
        ".every(chart => chart.querySelector('.main-svg'))",
        timeout=timeout,
        polling=POLL_MS,
    )


def as_read(markdown: str) -> str:
    """What a reader sees of a label written through `layout.plain`: without its escapes and word joiners."""
    return markdown.replace("\\", "").replace("\u2060", "")


def expander_labels(at: AppTest) -> list[str]:
    """The labels of the page's expanders as the user reads them (without the Markdown escapes of
    `layout.plain`): a chart's text alternative is one of them."""
    return [e.label.replace("\\", "").replace("\u2060", "") for e in at.expander]
