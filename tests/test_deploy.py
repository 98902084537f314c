"""The production recipe of `deploy/`: nginx in front of two replicas sharing a store on S3 (moto's server).

Two staff officers, each held by nginx on a replica of their own, import a file
at the same moment through the import page; both replicas then show every row,
and the store holds both imports. The WebSocket goes through nginx, static files
come compressed, and a file over the upload cap is refused by nginx itself.
"""

from __future__ import annotations

import datetime as dt
import getpass
import gzip
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.server import Server, wait_until_serving
from bench.server import start as start_replica
from dashboard.seed import open_store
from dashboard.store import Store
from tests import objectstore
from tests.conftest import TAB_PROFILE, failed, wait_for_app
from tests.files import make_corpus

pytestmark = [pytest.mark.browser, pytest.mark.deploy]

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
UPLOAD_CAP_MB = 2
# One line per request: which replica answered, for which sticky key.
LOG_FORMAT = "'$request_method $uri $status $upstream_addr key=$pmo_replica_key'"


def render(template: str, values: dict[str, str]) -> str:
    """The template with its ${PMO_...} names filled, as `envsubst` with the list of names does."""
    text = template
    for name, value in values.items():
        text = text.replace(f"${{{name}}}", value)
    assert not re.search(r"\$\{PMO_[A-Z0-9_]+\}", text), "a name of the template was left unfilled"
    return text


@dataclass
class Front:
    url: str
    process: subprocess.Popen
    prefix: Path

    def routes(self) -> list[tuple[str, str, str, str, str]]:
        """(method, path, status, replica address, sticky key) of every request nginx has logged."""
        lines = (self.prefix / "access.log").read_text().splitlines()
        return [tuple(line.split(" ", 4)) for line in lines]  # type: ignore[misc]

    def replica_for(self, key: str) -> str:
        """The replica nginx sends a browser holding `key` to."""
        request = urllib.request.Request(f"{self.url}/_stcore/health", headers={"Cookie": f"pmo_replica={key}"})
        urllib.request.urlopen(request, timeout=10).close()
        # nginx writes a request's log line as it finalises the request, which may come just after the
        # client has read the answer: wait for this key's line rather than read the last one.
        deadline = time.monotonic() + 10
        while True:
            mine = [r for r in self.routes() if r[1] == "/_stcore/health" and r[4] == f"key={key}"]
            if mine or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert mine, f"nginx logged no health check for key={key}"
        _, _, status, replica, _ = mine[-1]
        assert status == "200"
        return replica

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_nginx(prefix: Path, replicas: list[Server]) -> Front:
    """nginx as the current user, in `prefix`, with the recipe's template filled for loopback."""
    port = objectstore.free_port()
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / folder).mkdir(parents=True, exist_ok=True)
    values = {
        "PMO_SERVER_NAME": "127.0.0.1",
        "PMO_LISTEN": f"127.0.0.1:{port}",
        "PMO_REPLICA_1": replicas[0].url.removeprefix("http://"),
        "PMO_REPLICA_2": replicas[1].url.removeprefix("http://"),
        "PMO_MAX_UPLOAD_MB": str(UPLOAD_CAP_MB),
    }
    (prefix / "pmo.conf").write_text(render(TEMPLATE.read_text(), values))
    (prefix / "nginx.conf").write_text(
        f"""
        user {getpass.getuser()};
        worker_processes 1;
        pid {prefix}/nginx.pid;
        error_log {prefix}/error.log info;
        events {{ worker_connections 256; }}
        http {{
            log_format routed {LOG_FORMAT};
            access_log {prefix}/access.log routed;
            client_body_temp_path {prefix}/body;
            proxy_temp_path {prefix}/proxy;
            fastcgi_temp_path {prefix}/fastcgi;
            uwsgi_temp_path {prefix}/uwsgi;
            scgi_temp_path {prefix}/scgi;
            include {prefix}/pmo.conf;
        }}
        """
    )
    log = (prefix / "nginx.out").open("w")
    process = subprocess.Popen(
        [
            NGINX,
            "-p",
            str(prefix),
            "-c",
            str(prefix / "nginx.conf"),
            "-e",
            str(prefix / "error.log"),
            "-g",
            "daemon off;",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    front = Front(f"http://127.0.0.1:{port}", process, prefix)
    wait_until_serving(
        process,
        f"{front.url}/_stcore/health",
        "nginx",
        lambda: (prefix / "nginx.out").read_text() + (prefix / "error.log").read_text(errors="replace"),
        timeout=30,
    )
    return front


@dataclass
class Deployment:
    front: Front
    replicas: list[Server]
    root: str
    folder: Path


@pytest.fixture(scope="module")
def deployment(object_store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """The demo store on S3, two replicas on it and nginx in front, for the tests of this module."""
    folder = tmp_path_factory.mktemp("deploy")
    root = f"s3://{objectstore.BUCKET}/{folder.name}"
    with pytest.MonkeyPatch.context() as env:
        for name, value in {
            **object_store.env(),
            "PMO_STORE": root,
            "PMO_DEMO_ACCESS": "1",
            "PMO_MAX_UPLOAD_MB": str(UPLOAD_CAP_MB),
            "PMO_ACCOUNTS": str(folder / "accounts.json"),
            "PMO_AUDIT_LOG": str(folder / "audit.log"),
        }.items():
            env.setenv(name, value)
        open_store(root)  # the demo data, written once before the replicas start
        replicas: list[Server] = []
        front = None
        try:
            for number in (1, 2):
                replicas.append(start_replica(root, folder / f"replica-{number}.log"))  # type: ignore[arg-type]
            front = start_nginx(folder / "nginx", replicas)
            yield Deployment(front, replicas, root, folder)
        finally:
            if front is not None:
                front.stop()
            for replica in replicas:
                replica.stop()


@pytest.fixture
def deployed(request, deployment: Deployment, object_store) -> Iterator[Deployment]:
    """The deployment, with every log printed if the test fails."""
    yield deployment
    if failed(request):
        for replica in deployment.replicas:
            print(f"\n----- replica log ({replica.url}) -----\n{replica.log()}")
        for name in ("error.log", "access.log"):
            path = deployment.folder / "nginx" / name
            print(f"\n----- nginx {name} -----\n{path.read_text() if path.exists() else ''}")
        print(f"\n----- moto log (end) -----\n{object_store.log()[-5000:]}")


def _metric(page, label: str) -> int:
    card = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return int("".join(ch for ch in card.locator("[data-testid='stMetricValue']").inner_text() if ch.isdigit()))


def _keys_on_both_replicas(front: Front) -> dict[str, str]:
    """One sticky key per replica: replica address → key."""
    found: dict[str, str] = {}
    for number in range(64):
        key = f"essai-{number}"
        found.setdefault(front.replica_for(key), key)
        if len(found) == 2:
            return found
    raise AssertionError(f"every key went to one replica: {found}")


def test_two_staff_officers_import_at_once_on_two_replicas_and_both_see_every_row(deployed, browser, page, tmp_path):
    front, root = deployed.front, deployed.root
    keys = _keys_on_both_replicas(front)
    assert set(keys) == {r.url.removeprefix("http://") for r in deployed.replicas}
    before = Store(root).read("actions").num_rows
    files = {"NORD": 30, "SUD": 20}
    # Two officers, two browsers: this worker's tab and a browser profile of its own, each with its replica's cookie.
    other = browser.new_context(**TAB_PROFILE)
    pages = []
    for (replica, key), (prefix, count), tab in zip(keys.items(), files.items(), (page, other.new_page()), strict=True):
        path = tmp_path / f"{prefix.lower()}.csv"
        path.write_text(make_corpus.csv_text(make_corpus.FR, make_corpus.numbered_actions(prefix, count)))
        tab.context.add_cookies([{"name": "pmo_replica", "value": key, "url": front.url}])
        urls: list[str] = []
        tab.on("request", lambda r, urls=urls: urls.append(r.url))
        tab.goto(front.url)
        wait_for_app(tab)
        shown = _metric(tab, "Actions")
        tab.goto(f"{front.url}/import")
        wait_for_app(tab)
        tab.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
        pages.append((tab, replica, key, count, urls, shown))
    for page, *_ in pages:
        page.get_by_text("3. Aperçu avant import").wait_for(timeout=60_000)
        wait_for_app(page)

    # both commits at once, one per replica
    for page, _, _, count, *_ in pages:
        page.get_by_role("button", name=f"Importer {count} ligne(s)").click()
    for page, *_ in pages:
        page.get_by_text(re.compile(r"Version \d+ de « Actions de PMO » enregistrée")).wait_for(timeout=60_000)

    # nothing lost: both imports are versions of the store, with every row
    store = Store(root)
    ids = store.read("actions").column("action_id").to_pylist()
    assert len(ids) == len(set(ids)) == before + 50
    assert sum(i.startswith("NORD-") for i in ids) == 30 and sum(i.startswith("SUD-") for i in ids) == 20
    imports = [c for c in store.history("actions") if c.metadata.get("operation") == "import"]
    assert sorted(c.metadata["file"] for c in imports) == ["nord.csv", "sud.csv"]

    # two seconds after the last commit, each replica shows every row, the other's import included
    last = max(c.timestamp for c in imports)
    wait = (last + dt.timedelta(seconds=2) - dt.datetime.now(dt.UTC)).total_seconds()
    if wait > 0:
        time.sleep(wait)
    for page, *_, shown in pages:
        page.goto(front.url)
        wait_for_app(page)
        assert _metric(page, "Actions") == shown + 50

    # sticky: every request of a browser, its WebSocket included, reached its replica through nginx
    routes = front.routes()
    for _, replica, key, _, urls, _ in pages:
        mine = [r for r in routes if r[4] == f"key={key}"]
        assert {r[3] for r in mine} == {replica}
        assert ("GET", "/_stcore/stream", "101") in {r[:3] for r in mine}
        assert [u for u in urls if not u.startswith(front.url) and not u.startswith(("data:", "blob:"))] == []
    other.close()


def test_static_files_come_compressed_and_the_first_visit_gets_its_sticky_cookie(deployed, page):
    front = deployed.front
    page.goto(front.url)
    wait_for_app(page)
    script = next(u for u in page.requests.urls if re.search(r"/static/js/index\.[^/]+\.js$", u))
    request = urllib.request.Request(script, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        body = gzip.decompress(response.read())
    with urllib.request.urlopen(script.replace(front.url, deployed.replicas[0].url), timeout=30) as direct:
        assert body == direct.read()

    with urllib.request.urlopen(f"{front.url}/_stcore/health", timeout=10) as first_visit:
        cookies = first_visit.headers.get_all("Set-Cookie")
    sticky = [c for c in cookies if c.startswith("pmo_replica=")]
    assert len(sticky) == 1 and re.fullmatch(r"pmo_replica=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Strict", sticky[0])
    # a browser that has its key keeps it
    again = urllib.request.Request(f"{front.url}/_stcore/health", headers={"Cookie": sticky[0].split(";")[0]})
    with urllib.request.urlopen(again, timeout=10) as next_visit:
        assert not [c for c in next_visit.headers.get_all("Set-Cookie") or [] if c.startswith("pmo_replica=")]


def test_a_file_over_the_upload_cap_is_refused_by_nginx(deployed):
    earlier = len(deployed.front.routes())
    body = b"x" * (UPLOAD_CAP_MB * 1024 * 1024 + 1)
    request = urllib.request.Request(f"{deployed.front.url}/_stcore/upload_file/session/file", data=body, method="PUT")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 413

    # refused by nginx: no replica received it
    def uploads() -> list[tuple[str, ...]]:
        return [r[:4] for r in deployed.front.routes()[earlier:] if r[1].startswith("/_stcore/upload_file/")]

    # nginx logs the request once it has discarded the rest of the body, after answering
    deadline = time.monotonic() + 30
    while not uploads() and time.monotonic() < deadline:
        time.sleep(0.05)
    logged = uploads()
    assert logged == [("PUT", "/_stcore/upload_file/session/file", "413", "-")]
