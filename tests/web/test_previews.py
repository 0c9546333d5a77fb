"""The desk's page *Voorbeelden* (issue 16): every mail the bot can send, in Dutch and English,
as the recipient sees it, made by the real renderer with the configured look and event, through
the real desk server: the HTML in a sandboxed iframe (the logo as a data: URL, allowed on this
page alone), the plain text, the subject and attachments; another event with ?event=; only
after login. In Chromium at phone size, the logo shows and nothing is loaded from elsewhere;
screenshots in tests/artifacts/ (mail-phone.png is docs/mail.png)."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from bot.outbound.layout import LOOKS
from bot.outbound.reply import Purpose
from bot.staff.words import label
from bot.store.db import writer
from bot.web.app import create_app
from bot.web.auth import create_user
from bot.web.deps import DOOR_CSP, PAGE_CSP
from tests.browser import ARTIFACTS, ServedApp, log_in
from tests.helpers import PASSWORD, logged_in
from tests.outbound.test_branding import png

ROUTE = "https://www.example.nl/route-nieuwspoort"
SECOND = {"name": "Masterclass Jeugdzorg", "date": "2027-01-19", "start": "19:30",
          "end": "21:00", "venue": "Pakhuis de Zwijger", "address": "Piet Heinkade 179, Amsterdam",
          "capacity": 30, "id": "jeugdzorg"}


@pytest.fixture
def branded_desk(make_runtime, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(png(96, 96, (139, 31, 74), ring=True))
    rt = make_runtime(branding={"logo": str(logo), "colour": "#8b1f4a"},
                      event={"route_url": ROUTE})
    with Session(writer(rt.engine)) as session:
        create_user(session, "anna", PASSWORD)
    return rt


def framed(page: str) -> list[str]:
    """The HTML of every mail on the page, as its iframe gets it."""
    return [html.unescape(doc) for doc in re.findall(r'srcdoc="([^"]*)"', page)]


def test_every_mail_in_both_languages_as_it_is_sent(branded_desk):
    client = logged_in(branded_desk)
    answer = client.get("/voorbeelden")
    assert answer.status_code == 200
    page = answer.text
    for purpose in Purpose:
        assert f'<section class="card" id="{purpose}"' in page
        assert label(purpose, "purpose") in page
    mails = framed(page)
    assert len(mails) == 2 * len(Purpose)
    assert all('lang="nl"' in m for m in mails[0::2]) and all('lang="en"' in m for m in mails[1::2])
    assert all("Kinderrechtencollectief" in m and "#8b1f4a" in m for m in mails)
    assert all("data:image/png;base64," in m and "cid:" not in m for m in mails)
    cards = sum(look.card for look in LOOKS.values())
    assert sum(f'href="{ROUTE}"' in m for m in mails) == 2 * cards
    assert "Lange Poten 10, 2511 CL Den Haag" in mails[0] and "Route naar Nieuwspoort" in mails[0]
    assert "Bevestiging: u bent ingeschreven voor de Masterclass Kinderrechten" in page
    assert "Confirmation: you are registered for the Masterclass Kinderrechten" in page
    assert "uitnodiging.ics" in page and "invite.ics" in page
    assert "Beste Fatima Bakker," in page and "Dear Fatima Bakker," in page  # the plain text
    assert page.count("<iframe class=\"mail\" sandbox srcdoc=") == 2 * len(Purpose)


def test_only_this_page_may_show_data_images(branded_desk):
    client = logged_in(branded_desk)
    csp = client.get("/voorbeelden").headers["content-security-policy"]
    assert csp == PAGE_CSP.replace("img-src 'self';", "img-src 'self' data:;")
    assert "script-src" not in csp and "frame-ancestors 'none'" in csp
    assert client.get("/vragen").headers["content-security-policy"] == PAGE_CSP
    assert client.get("/deur").headers["content-security-policy"] == DOOR_CSP
    assert "data:" not in PAGE_CSP and "data:" not in DOOR_CSP


def test_the_page_needs_a_login(branded_desk):
    answer = TestClient(create_app(branded_desk)).get("/voorbeelden", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"


def test_another_event_is_chosen_with_its_key(make_runtime):
    first = {"name": "Masterclass Kinderrechten", "date": "2026-12-15", "start": "19:00",
             "end": "21:30", "venue": "Nieuwspoort", "address": "Lange Poten 10, Den Haag",
             "capacity": 40}
    rt = make_runtime(event=[first, SECOND])
    with Session(writer(rt.engine)) as session:
        create_user(session, "anna", PASSWORD)
    client = logged_in(rt)
    page = client.get("/voorbeelden").text
    assert '<option value="jeugdzorg">' in page and "Nieuwspoort" in framed(page)[0]
    page = client.get("/voorbeelden?event=jeugdzorg").text
    mails = framed(page)
    assert "Pakhuis de Zwijger" in mails[0] and "dinsdag 19 januari 2027" in mails[0]
    assert "19:30\u201321:00 uur" in mails[0] and "Nieuwspoort" not in mails[0]
    assert "Route naar" not in mails[0]  # this event has no route_url
    assert '<option value="jeugdzorg" selected>' in page


def test_the_previews_at_phone_size(browser, branded_desk):
    ARTIFACTS.mkdir(exist_ok=True)
    with ServedApp(create_app(branded_desk)) as url:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        elsewhere = []
        page.on("request", lambda r: r.url.startswith(("http:", "https:")) and not (
            r.url.startswith(url)) and elsewhere.append(r.url))
        log_in(page, url)
        page.goto(f"{url}/voorbeelden")
        first = page.locator("#registration_confirmed iframe").first
        first.scroll_into_view_if_needed()
        mail = first.element_handle().content_frame()
        mail.wait_for_selector("img")
        assert mail.evaluate("document.images[0].complete && document.images[0].naturalWidth") \
            == 96
        assert "Route naar Nieuwspoort" in mail.inner_text("body")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(ARTIFACTS / "previews-phone.png"))
        source = framed(page.content())[0]  # a branded confirmation, as a phone shows it
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.set_content(source)
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        phone.screenshot(path=str(ARTIFACTS / "mail-phone.png"), full_page=True)
        phone.close()
        page.close()
    assert elsewhere == []
