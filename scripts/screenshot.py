"""Screenshot of a page of a running dashboard in headless Chromium.

python -m scripts.screenshot http://localhost:8501/ out.png [--width 1400] [--wait 8]
"""

from __future__ import annotations

import argparse

from playwright.sync_api import sync_playwright

from bench.browser import CHROMIUM, CHROMIUM_ARGS


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("output")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--wait", type=float, default=6.0)
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        page.goto(args.url)
        page.wait_for_selector("[data-testid='stApp']")
        page.wait_for_timeout(args.wait * 1000)
        page.screenshot(path=args.output, full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
