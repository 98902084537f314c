"""Attacks on the local log-in, measured on a real server: giant names, then a password-guessing run.

    python -m bench.login_attack [--tries 10] [--name-mb 5] [--guesses 30]

Serves the dashboard (`python -m dashboard.server`) with one admin account and no demo access, and
posts to its log-in route (`POST /account/login`, what the page's form sends) as an attacker would,
without a browser, so nothing in the page limits what is sent:
1. `--tries` log-ins whose name is `--name-mb` MB long, each a different name: the audit log's
   growth and the server's resident memory before and after;
2. `--guesses` wrong passwords on the admin's name, then the owner's right password: whether the
   owner gets in, and after how long.
Prints one JSON object. Loopback only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

from bench.server import start

OWNER, PASSWORD = "col.bernard", "un mot de passe assez long"


def log_in(url: str, name: str, password: str) -> str:
    """Post the log-in form; the refusal the server sends back (`?refus=…`), or "" when it logged in."""
    address = urlparse(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=120)
    body = urlencode({"identifiant": name, "mot_de_passe": password, "page": ""})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin"}
    try:
        connection.request("POST", "/account/login", body, headers)
        response = connection.getresponse()
        location = response.getheader("location") or ""
        response.read()
    except (ConnectionError, http.client.HTTPException) as error:  # a body the server will not read
        return f"connexion fermée ({type(error).__name__})"
    finally:
        connection.close()
    if response.status != 303:
        return f"HTTP {response.status}"
    return location.partition("refus=")[2]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.login_attack")
    parser.add_argument("--tries", type=int, default=10)
    parser.add_argument("--name-mb", type=float, default=5.0)
    parser.add_argument("--guesses", type=int, default=30)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="login-attack-"))
    accounts, audit = work / "accounts.json", work / "audit.log"
    subprocess.run(
        [sys.executable, "-m", "dashboard.accounts", "--file", str(accounts), "add", OWNER, "--role", "admin",
         "--password-stdin"],
        input=PASSWORD + "\n", text=True, check=True, capture_output=True,
    )  # fmt: skip
    env = {"PMO_ACCOUNTS": str(accounts), "PMO_AUDIT_LOG": str(audit), "PMO_ANONYMOUS": "none", "PMO_DEMO": "0",
           "PMO_DEMO_ACCESS": ""}  # fmt: skip
    with start(work / "store", work / "server.log", env) as server:
        result: dict = {"audit_bytes_before": audit.stat().st_size if audit.exists() else 0}
        result["rss_mb_before"] = round(server.memory_mb()["rss"], 1)
        size = int(args.name_mb * 1024 * 1024)
        started = time.perf_counter()
        # A different name each time, as an attacker filling a table would send.
        answers = [log_in(server.url, chr(ord("a") + n % 26) * size, "devine") for n in range(args.tries)]
        result |= {
            "giant_name_seconds": round(time.perf_counter() - started, 2),
            "giant_name_answer": answers[-1],
            "audit_bytes_after": audit.stat().st_size if audit.exists() else 0,
            "rss_mb_after": round(server.memory_mb()["rss"], 1),
        }
        guesses = [log_in(server.url, OWNER, "devine") for _ in range(args.guesses)]
        result["guess_answers"] = {answer: guesses.count(answer) for answer in set(guesses)}
        started, attempts = time.perf_counter(), 0
        while True:
            attempts += 1
            answer = log_in(server.url, OWNER, PASSWORD)
            if not answer or answer != "attente" or time.perf_counter() - started > 120:
                break
            time.sleep(1)
        result |= {
            "owner_logged_in": answer == "",
            "owner_seconds": round(time.perf_counter() - started, 1),
            "owner_attempts": attempts,
        }
    print(json.dumps(result, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
