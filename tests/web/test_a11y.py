"""The desk's pages under axe-core (an automated accessibility check) in Chromium, at desktop
and phone size: no serious or critical violation on any page. axe-core is installed by `make`
from the npm registry, pinned in tests/a11y/package-lock.json, and injected from disk: the
page never loads it from the internet."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store.models import Question
from bot.store.queries import get_row
from bot.web.app import create_app
from tests.browser import ServedApp, log_in
from tests.helpers import PASSWORD
from tests.servers import require

AXE = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["/", "/vragen", "/vragen/1", "/beoordelen", "/deelnemers", "/quarantaine",
         "/uitgaand", "/antwoorden", "/gesprek/1", "/instellingen",
         "/deur", "/groepsmail", "/voorbeelden"]


def violations(page) -> list[str]:
    """The serious and critical violations axe finds on the page, one line each."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            f"{', '.join(n['target'][0] for n in v['nodes'][:3])}"
            for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("width", [1200, 390])
def test_no_page_has_a_serious_accessibility_violation(browser, desk, width):
    require(AXE.exists(), "axe-core not installed: make test installs it with npm")
    assert get_row(desk.engine, Question, 1) is not None
    with ServedApp(create_app(desk)) as url:
        context = browser.new_context(viewport={"width": width, "height": 900},
                                      bypass_csp=True)  # the desk's CSP forbids scripts
        page = context.new_page()
        page.set_content('<html lang="nl"><title>t</title><main><input type="text"></main>')
        assert any(line.startswith("label (critical)") for line in violations(page))  # it sees
        page.goto(f"{url}/login")
        found = {"/login": violations(page)}
        log_in(page, url)
        for path in PAGES:
            page.goto(f"{url}{path}")
            found[path] = violations(page)
        context.close()
    assert {path: lines for path, lines in found.items() if lines} == {}


def test_the_desk_works_with_the_keyboard_alone(browser, desk):
    """Log in, open the queue and a question, and ask for the preview of an answer: Tab,
    typing and Enter only."""
    with ServedApp(create_app(desk)) as url:
        page = browser.new_page(viewport={"width": 390, "height": 900})
        page.goto(f"{url}/login")
        page.keyboard.press("Tab")
        page.keyboard.type("anna")
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{url}/")

        def tab_to(selector: str) -> None:
            for _ in range(60):
                page.keyboard.press("Tab")
                if page.evaluate(f"document.activeElement.matches({selector!r})"):
                    return
            raise AssertionError(f"Tab never reached {selector}")

        tab_to("header a[href='/vragen']")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{url}/vragen")
        tab_to("table.queue a")
        page.keyboard.press("Enter")
        page.wait_for_selector("#answer")
        tab_to("#answer")
        page.keyboard.type("De zaal is open vanaf 18:30.")
        tab_to("button[value=preview]")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        page.keyboard.press("Enter")
        page.wait_for_selector("#preview")
        assert "De zaal is open vanaf 18:30." in page.inner_text("#preview")
        page.close()
    assert outline != "none"  # the focused control can be seen
