"""An S3-compatible object store for the tests: moto in server mode on a free loopback port.

    python -m tests.objectstore PORT

moto checks a put's `If-None-Match` and then writes, in two steps; S3 and MinIO do
both at once. Requests are served one at a time here, so that two replicas
committing the same version of a table meet the same guarantee as in production.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bench.server import wait_until_serving

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "pmo"
KEYS = {"PMO_S3_ACCESS_KEY_ID": "pmo-test", "PMO_S3_SECRET_ACCESS_KEY": "pmo-test-secret"}


@dataclass
class ObjectStore:
    endpoint: str
    process: subprocess.Popen
    log_path: Path

    def env(self) -> dict[str, str]:
        """The dashboard's settings for a store on this endpoint."""
        return {"PMO_S3_ENDPOINT": self.endpoint, "PMO_S3_ALLOW_HTTP": "1", **KEYS}

    def create_bucket(self, name: str) -> None:
        # moto does not check signatures unless asked to, so a plain request creates the bucket.
        urllib.request.urlopen(urllib.request.Request(f"{self.endpoint}/{name}", method="PUT"), timeout=10).close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(log_path: Path, env: dict[str, str] | None = None) -> ObjectStore:
    """moto's S3 on a free loopback port, with the bucket `pmo`; `env` passes moto's own options."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.objectstore", str(port)],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
    )
    store = ObjectStore(f"http://127.0.0.1:{port}", process, log_path)
    # Any answer will do: a store that checks keys refuses the unsigned request.
    wait_until_serving(process, f"{store.endpoint}/", "moto", store.log, timeout=60, ready=range(200, 600))
    if "INITIAL_NO_AUTH_ACTION_COUNT" not in (env or {}):
        store.create_bucket(BUCKET)
    return store


def serve(port: int) -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import run_simple

    app = DomainDispatcherApplication(create_backend_app)
    one_at_a_time = threading.Lock()

    def serialised(environ: dict, start_response) -> Iterable[bytes]:
        with one_at_a_time:
            return list(app(environ, start_response))

    run_simple("127.0.0.1", port, serialised, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
