"""Accessibility in headless Chromium: axe-core (WCAG 2.1 A and AA, on which RGAA 4.1 is built) on every page,
and the main journeys by keyboard alone.

axe-core comes from npm, pinned in tests/axe/package.json; scripts/test.sh installs it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.ui.navigation import PAGES
from tests.conftest import ROOT, wait_for_app, wait_for_charts

pytestmark = pytest.mark.browser

# The chip of the region filter (its label carries an invisible word joiner after the colon).
CHIP = re.compile(r"^Régions :\W*Afrique$")
AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
_RUN = """async () => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      nodes: v.nodes.map(n => n.target.join(' '))}));
}"""
# Violations in markup Streamlit draws and the app cannot change, by rule: none today. Each one listed here
# must also be listed in the README's accessibility section.
UPSTREAM: dict[str, tuple[str, ...]] = {}


def _serious(violations: list[dict]) -> list[dict]:
    found = []
    for violation in violations:
        if violation["impact"] not in ("serious", "critical"):
            continue
        ours = [n for n in violation["nodes"] if not any(part in n for part in UPSTREAM.get(violation["id"], ()))]
        if ours:
            found.append({**violation, "nodes": ours})
    return found


def test_every_page_has_no_serious_accessibility_violation(server, page):
    script = Path(AXE).read_text()
    problems = {}
    for spec in PAGES:
        page.goto(f"{server.url}/{spec.url_path}")
        wait_for_app(page)
        wait_for_charts(page)
        # Through the browser's debugging protocol, which the page's Content-Security-Policy (no inline
        # script) does not apply to.
        page.evaluate(script)
        found = _serious(page.evaluate(_RUN))
        if found:
            problems[spec.url_path] = found
    assert not problems, problems


def test_a_commander_filters_and_changes_page_by_keyboard_alone(server, page):
    page.goto(server.url)
    wait_for_app(page)
    # Into the region filter by Tab, as a keyboard user does, from the menu's first link.
    page.locator(".st-key-pmo_menu a").first.focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.closest('[data-testid=stMultiSelect]') !== null"):
            break
    else:
        pytest.fail("the region filter is not reachable with Tab")
    page.keyboard.type("Afriq")
    page.get_by_role("option", name="Afrique").wait_for()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_for_app(page)
    chip = page.get_by_role("button", name=CHIP)
    chip.wait_for()
    # The chip is a button: focused by Tab and pressed with Enter, it removes the filter.
    chip.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=CHIP)).to_have_count(0)
    wait_for_app(page)
    # The menu: a link reached by Tab opens its page with Enter.
    link = page.locator(".st-key-pmo_menu a", has_text="Carte des partenaires")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/map")
    wait_for_app(page)
    assert page.get_by_role("heading", name="Carte des partenaires").is_visible()
    # The map's controls take the keyboard too: the change map switched on with Space.
    toggle = page.locator(".st-key-carte_evolution input")
    toggle.focus()
    page.keyboard.press("Space")
    wait_for_app(page)
    assert toggle.is_checked()
