"""The desk in English for a staff member who prefers it (issue 15): every text of the
templates, every word for a status or kind, every reason and the staff actions' result lines
have English; a staff member chooses English under "Mijn instellingen" and gets every page in
English, while a colleague keeps Dutch. Through the real server, in Chromium at desktop and
phone size (screenshots in tests/artifacts/)."""

from __future__ import annotations

import ast
import datetime as dt
import re
import string
from pathlib import Path

import pytest

from bot.staff.sorting import THEME_PREFIX, choices
from bot.staff.words import WORDS
from bot.store.story import Day
from bot.web.charts import days_chart, seats_bar
from bot.web.english_texts import ENGLISH
from bot.web.labels import VIEWS, english_result, to_english, translator
from bot.web.reasons import REASONS
from bot.web.reasons_en import REASONS_EN
from bot.web.settings import MODE_WORDS
from tests.browser import ARTIFACTS, ServedApp, log_in
from tests.helpers import ROOT

TEMPLATES = ROOT / "templates" / "web"
_T_CALL = re.compile(r"""\bt\(\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')""")


def template_texts() -> set[str]:
    """The texts the templates (and the charts) pass to ``t``."""
    found = set()
    for path in [*TEMPLATES.glob("*.html"), ROOT / "bot" / "web" / "charts.py"]:
        for match in _T_CALL.finditer(path.read_text(encoding="utf-8")):
            found.add((match.group(1) or match.group(2) or "").replace('\\"', '"'))
    return found


def refusals() -> set[str]:
    """The fixed texts the desk's actions refuse or answer with: plain string literals passed
    to ActionRefused or returned as a result (f-strings are the result patterns' work)."""
    found = set()
    for path in [*(ROOT / "bot" / "staff").glob("*.py"), *(ROOT / "bot" / "web").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "ActionRefused" \
                    and node.args and isinstance(node.args[0], ast.Constant):
                found.add(node.args[0].value)
    return found | {accounts_result()}


def accounts_result() -> str:
    from bot.staff import accounts
    return ast.literal_eval(next(
        node.value for node in ast.walk(ast.parse(Path(accounts.__file__).read_text()))
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Constant)))


def desk_texts(config) -> set[str]:
    """Every Dutch text the pages show: the templates', the word lists', the tabs', the
    settings' choices and the topics'."""
    words = {w for vocabulary in WORDS.values() for w in vocabulary.values()}
    topics = {text for value, text in choices(config.questions)
              if not value.startswith(THEME_PREFIX)}
    return template_texts() | words | set(VIEWS.values()) | set(MODE_WORDS.values()) | topics


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_text_of_the_desk_has_english(dovecot_runtime):
    texts = desk_texts(dovecot_runtime.config)
    assert len(texts) > 150
    missing = sorted(t for t in texts if t not in ENGLISH)
    assert missing == []
    untranslated = sorted(t for t in refusals() if english_result(t) == t)
    assert untranslated == []
    for dutch in texts:  # the same placeholders in both
        assert placeholders(ENGLISH[dutch]) == placeholders(dutch), dutch


def test_every_reason_has_english():
    assert set(REASONS_EN) == set(REASONS)


def test_a_theme_keeps_its_configured_name():
    assert to_english("inhoud: armoede") == "content: armoede"
    assert english_result("Standaardantwoord \"Datum\" is bewaard.") == (
        'Saved reply "Datum" is saved.')  # a title is no word of the desk


def test_the_charts_in_english():
    assert 'aria-label="30 of 40 seats taken, 5 on the waiting list"' in str(seats_bar(30, 5, 40,
                                                                                    "en"))
    chart = str(days_chart([Day(dt.date(2026, 12, 1), 3, 1, 2)], "en"))
    assert "Sign-ups per day: 01-12 3 registered, 1 on the waiting list, 2 cancelled" in chart


def test_a_value_is_never_read_as_a_format():
    assert translator("en")("{n} gevonden", n="<b>{x}</b>") == "<b>{x}</b> found"
    assert translator("nl")("{n} gevonden", n="{0.__class__}") == "{0.__class__} gevonden"


@pytest.mark.parametrize(("dutch", "english"), [
    ("Vraag #3 is toegewezen aan bart.", "Question #3 is assigned to bart."),
    ("Vraag #3 is toegewezen aan niemand.", "Question #3 is assigned to nobody."),
    ("Vraag #4 gaat over inhoud: armoede. Toegewezen aan bart.",
     "Question #4 is about content: armoede. Assigned to bart."),
    ("Vraag #4 gaat over organisatie.", "Question #4 is about organisation."),
    ("Bericht #7: als vraag behandeld.", "Message #7: treated as a question."),
    ("a@tweedekamer.nl is afgemeld; 1 van de wachtlijst geplaatst.",
     "a@tweedekamer.nl is cancelled; 1 moved up from the waiting list."),
    ("a@tweedekamer.nl is op de wachtlijst.", "a@tweedekamer.nl is on the waiting list."),
    ("a@tweedekamer.nl is afgemeld, niet wachtend op beoordeling.",
     "a@tweedekamer.nl is cancelled, not awaiting review."),
    ("De notitie is bewaard; alleen medewerkers zien haar.",
     "The note is saved; only staff see it."),
    ("Onbekende plaatshouder {{ naamm }}. Alleen tekst en de plaatshouders {{ naam }}, "
     "{{ datum }}, {{ tijd }} en {{ locatie }} kunnen in deze tekst.",
     "Unknown placeholder {{ naamm }}. Only text and the placeholders {{ naam }}, {{ datum }}, "
     "{{ tijd }} and {{ locatie }} can be in this text."),
    ("Iets wat niemand kent.", "Iets wat niemand kent."),  # unknown: stays as it is
])
def test_result_lines_in_english(dutch, english):
    assert english_result(dutch) == english


@pytest.mark.parametrize(("size", "width"), [("desktop", 1200), ("phone", 390)])
def test_a_staff_member_chooses_english(browser, desk, size, width):
    from bot.web.app import create_app
    ARTIFACTS.mkdir(exist_ok=True)
    with ServedApp(create_app(desk)) as url:
        page = browser.new_page(viewport={"width": width, "height": 900})
        log_in(page, url, "bart")
        page.click("header a.who")
        page.select_option("select[name=language]", "en")
        page.click("#settings button")
        page.wait_for_selector(".notice:has-text('Your settings are saved.')")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("header").inner_text().split()[:3] == ["Overview", "Questions",
                                                                   "Saved"]
        page.goto(f"{url}/")
        assert page.locator("#outbox").inner_text() == (
            "Outgoing mail: No mails are waiting to be sent.")
        assert "seats taken" in page.locator("figure.seats").inner_text()
        page.goto(f"{url}/vragen")
        assert page.locator("h1").inner_text() == "Questions"
        assert page.locator("nav.tabs").inner_text().split("\n")[0].strip() == "Open"
        page.screenshot(path=str(ARTIFACTS / f"english-queue-{size}.png"), full_page=True)
        page.goto(f"{url}/deelnemers")
        assert page.locator("td .code", has_text="registered").first.get_attribute(
            "title") == "registered"
        assert "ingeschreven" not in page.locator("table").inner_text()
        page.goto(f"{url}/beoordelen")
        assert "The sender is not verified" in page.locator("main").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.close()
        colleague = browser.new_page(viewport={"width": width, "height": 900})
        log_in(colleague, url, "anna")
        assert colleague.locator("html").get_attribute("lang") == "nl"
        colleague.goto(f"{url}/vragen")
        assert colleague.locator("h1").inner_text() == "Vragen"
        colleague.close()
