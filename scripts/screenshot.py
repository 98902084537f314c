"""Screenshot of a page of the dashboard in headless Chromium.

python -m scripts.screenshot / out.png [--width 1400] [--wait 8]         # starts `python -m dashboard.server`
python -m scripts.screenshot http://localhost:8501/map out.png            # a server already running

A path (`/`, `/map`) starts the dashboard's server on the demo store (PMO_STORE,
default data/store) with the demo access, for the time of the screenshot.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from contextlib import ExitStack
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.browser import CHROMIUM, CHROMIUM_ARGS
from bench.server import ROOT
from bench.server import start as start_server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url", help="a page's address, or its path (/map) to start a server for it")
    parser.add_argument("output")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--wait", type=float, default=6.0)
    args = parser.parse_args()
    with ExitStack() as stack:
        url = args.url
        if url.startswith("/"):
            log = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "server.log"
            store = Path(os.environ.get("PMO_STORE", ROOT / "data" / "store"))
            server = stack.enter_context(start_server(store, log, {"PMO_DEMO_ACCESS": "1"}))
            url = server.url + url
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            page.goto(url)
            page.wait_for_selector("[data-testid='stApp']")
            page.wait_for_timeout(args.wait * 1000)
            page.screenshot(path=args.output, full_page=True)
            browser.close()


if __name__ == "__main__":
    main()
