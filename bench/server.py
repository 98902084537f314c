"""A real dashboard server (`python -m dashboard.server`) on a bench store, and its memory read from /proc."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Container
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log_path: Path

    def memory_mb(self) -> dict[str, float]:
        """Resident memory now (rss) and at its peak (hwm), in MB."""
        fields = {}
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) / 1024
        return {"rss": fields.get("VmRSS", 0.0), "peak": fields.get("VmHWM", 0.0)}

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def wait_until_serving(
    process: subprocess.Popen,
    url: str,
    name: str,
    log: Callable[[], str],
    timeout: float = 90,
    ready: Container[int] = (200,),
) -> None:
    """Return once `url` answers with a status in `ready`; if `process` stops first, or `timeout` seconds pass,
    stop it and raise with what it logged (`log()`), naming it (`name`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} stopped:\n{log()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status in ready:
                    return
        except urllib.error.HTTPError as answer:
            if answer.code in ready:
                return
        except OSError:
            pass
        # Every twentieth of a second: the tests start some forty servers and wait for each.
        time.sleep(0.05)
    process.kill()
    process.wait()
    raise RuntimeError(f"{name} did not start within {timeout:.0f} s:\n{log()}")


def start(
    store_root: Path,
    log_path: Path,
    env: dict[str, str] | None = None,
    script: Path | None = None,
    plain: bool = False,
    port: int | None = None,
) -> Server:
    """Serve the dashboard (`python -m dashboard.server`) on `store_root` on a free loopback port;
    `plain`: Streamlit's own `streamlit run app.py` instead, for comparison."""
    port = port or _free_port()
    environment = {**os.environ, "PMO_STORE": str(store_root), **(env or {})}
    log_path.parent.mkdir(parents=True, exist_ok=True)
    if plain:
        command = ["-m", "streamlit", "run", str(script or ROOT / "app.py"), "--server.port", str(port)]
    elif script is None:
        command = ["-m", "dashboard.server", "--port", str(port), "--host", "127.0.0.1"]
    else:
        command = [
            "-c",
            "import sys; from dashboard import server; server.main(sys.argv[2:], sys.argv[1])",
            str(script),
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
        ]
    # .streamlit/config.toml turns the file watcher off, as in production: here other
    # engineers' saves would reload modules under running sessions.
    process = subprocess.Popen(
        [sys.executable, *command],
        cwd=ROOT,
        env=environment,
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(process, f"{url}/_stcore/health", "the server", lambda: log_path.read_text())
    return Server(url, process, log_path)
