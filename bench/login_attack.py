"""Attacks on the local log-in, measured on a real server: giant names, then a password-guessing run.

    python -m bench.login_attack [--root DIR] [--tries 10] [--name-mb 5] [--guesses 30]

Serves `app.py` of `--root` (default: this checkout) with `streamlit run` on a loopback port, with one
admin account and no demo access, then talks Streamlit's WebSocket protocol as an attacker would,
without a browser (so nothing in the page limits what is sent):
1. `--tries` log-ins whose name is `--name-mb` MB long: the audit log's growth and the server's
   resident memory before and after;
2. `--guesses` wrong passwords on the admin's name, then the owner's right password: whether the
   owner gets in, and after how long.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.wsclient import Session

ROOT = Path(__file__).resolve().parent.parent
OWNER, PASSWORD = "col.bernard", "un mot de passe assez long"


class LoginSession(Session):
    """A tab on the log-in page: learns the form's widgets and submits it with any values."""

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url)
        self.inputs: dict[str, str] = {}
        self.submit = ""
        self.errors: list[str] = []

    def _learn(self, msg: ForwardMsg, exceptions: list[str]) -> None:
        super()._learn(msg, exceptions)
        if msg.delta.WhichOneof("type") != "new_element":
            return
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "text_input":
            self.inputs[element.text_input.label] = element.text_input.id
        elif kind == "button" and element.button.is_form_submitter:
            self.submit = element.button.id
        elif kind == "alert":
            self.errors.append(element.alert.body)

    async def log_in(self, name: str, password: str) -> str:
        """Submit the form; the message the page shows (empty when logged in)."""
        message = BackMsg()
        state = message.rerun_script
        state.page_script_hash = self.page_hash
        for label, value in (("Identifiant", name), ("Mot de passe", password)):
            widget = state.widget_states.widgets.add()
            widget.id, widget.string_value = self.inputs[label], value
        trigger = state.widget_states.widgets.add()
        trigger.id, trigger.trigger_value = self.submit, True
        self.errors = []
        await self.socket.send(message.SerializeToString())
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(self.socket.recv(), 120))
            kind = msg.WhichOneof("type")
            if kind == "delta":
                self._learn(msg, [])
            elif kind == "navigation":
                self.page_hash = msg.navigation.page_script_hash
            elif kind == "script_finished":
                break
        return next((e for e in self.errors if "mot de passe" in e or "essais" in e or "long" in e), "")


def _rss_mb(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", text).group(1)) / 1024


async def _attack(url: str, pid: int, audit: Path, tries: int, name_mb: float, guesses: int) -> dict:
    attacker = LoginSession(url)
    await attacker.connect()
    await attacker.run()
    result: dict = {"audit_bytes_before": audit.stat().st_size if audit.exists() else 0, "rss_mb_before": _rss_mb(pid)}
    size = int(name_mb * 1024 * 1024)
    started = time.perf_counter()
    # A different name each time, as an attacker filling a table would send.
    shown = [await attacker.log_in(chr(ord("a") + n % 26) * size, "devine") for n in range(tries)]
    result |= {
        "giant_name_seconds": round(time.perf_counter() - started, 2),
        "giant_name_message": shown[-1],
        "audit_bytes_after": audit.stat().st_size,
        "rss_mb_after": _rss_mb(pid),
    }
    for _ in range(guesses):
        await attacker.log_in(OWNER, "devine")
    await attacker.close()
    owner = LoginSession(url)
    await owner.connect()
    await owner.run()
    started, attempts = time.perf_counter(), 0
    while True:
        attempts += 1
        message = await owner.log_in(OWNER, PASSWORD)
        if not message:
            break
        result.setdefault("owner_first_message", message)
        waited = re.search(r"dans (\d+) s", message)
        if not waited or time.perf_counter() - started > 120:
            result["owner_logged_in"] = False
            break
        await asyncio.sleep(int(waited.group(1)))
    result.setdefault("owner_logged_in", True)
    result |= {"owner_seconds": round(time.perf_counter() - started, 1), "owner_attempts": attempts}
    await owner.close()
    return result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.login_attack")
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--tries", type=int, default=10)
    parser.add_argument("--name-mb", type=float, default=5.0)
    parser.add_argument("--guesses", type=int, default=30)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="login-attack-"))
    accounts, audit = work / "accounts.json", work / "audit.log"
    subprocess.run(
        [sys.executable, "-m", "dashboard.accounts", "--file", str(accounts), "add", OWNER, "--role", "admin",
         "--password-stdin"],
        input=PASSWORD + "\n", text=True, check=True, cwd=args.root, capture_output=True,
    )  # fmt: skip
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PMO_ACCOUNTS": str(accounts), "PMO_AUDIT_LOG": str(audit), "PMO_ANONYMOUS": "none",
           "PMO_STORE": str(work / "store"), "PMO_DEMO": "0", "PYTHONPATH": str(args.root)}  # fmt: skip
    env.pop("PMO_DEMO_ACCESS", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true"],
        cwd=args.root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        result = asyncio.run(_attack(url, server.pid, audit, args.tries, args.name_mb, args.guesses))
    finally:
        server.terminate()
        server.wait(15)
    print(json.dumps(result, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
