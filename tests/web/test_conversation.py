"""A conversation per person (bot.store.conversation, /gesprek/N) in Chromium through the real
server: everything the person sent and everything we sent them, in time order, beside their
attendee row and what staff did to it, by whom; the address never in the URL."""

from __future__ import annotations

import time

from bot.pipeline.flow import poll_once
from bot.staff.actions import cancel_attendee
from bot.web.app import create_app
from tests.browser import ARTIFACTS, ServedApp, log_in
from tests.imaptools import deliver
from tests.mailfactory import build

TJITSKE = "t.haagsma@tweedekamer.nl"  # signed up in the desk fixture (registration_nl.eml)


def test_the_whole_conversation_with_one_person(browser, desk, imap):
    time.sleep(1.1)  # the server's receipt time has whole seconds; the confirmation went out
    deliver(imap, build("Is er parkeergelegenheid bij Nieuwspoort?",
                        From=f"Tjitske Haagsma <{TJITSKE}>", Return_Path=f"<{TJITSKE}>",
                        Subject="Parkeren", Message_ID="<talk1@tweedekamer.nl>"))
    poll_once(desk)
    cancel_attendee(desk, TJITSKE, by="bart")
    ARTIFACTS.mkdir(exist_ok=True)
    with ServedApp(create_app(desk)) as url:
        page = browser.new_page(viewport={"width": 390, "height": 900})
        log_in(page, url)
        page.goto(f"{url}/vragen")
        page.click("table.queue a:has-text('Parkeren')")
        page.click("text=Het hele gesprek met deze afzender")
        assert "@" not in page.url and "haagsma" not in page.url
        assert page.locator("h1").inner_text() == f"Gesprek met {TJITSKE}"
        assert "afgemeld" in page.inner_text("#attendee")
        assert "afgemeld door de balie door bart" in page.inner_text("#history")
        rows = [row.inner_text() for row in page.locator("#entries tbody tr").all()]
        whats = [("in" if "afzender" in row else "out",
                  next(w for w in ("ontvangstbevestiging", "bevestiging van de inschrijving",
                                   "bevestiging van de afmelding", "aanmelding", "vraag")
                       if w in row)) for row in rows]
        assert whats == [("in", "aanmelding"), ("out", "bevestiging van de inschrijving"),
                         ("in", "vraag"), ("out", "ontvangstbevestiging"),
                         ("out", "bevestiging van de afmelding")]
        assert page.locator("#entries a:has-text('vraag beantwoorden')").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(ARTIFACTS / "conversation-phone.png"), full_page=True)
        page.close()
