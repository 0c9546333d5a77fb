"""The desk's group mail (issue 16) in Chromium, through Dovecot, the database and the SMTP
sink: a staff member writes a mail in Dutch and English, chooses the group, sees how many and
who get it and the mail per language, sends a test to their own address, sends, and follows
"x van 2 verstuurd" until every mail went out; a text changed after its preview is not sent;
after the event the overview links to the follow-ups. Screenshot in tests/artifacts/."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from bot.outbound.outbox import flush_outbox
from bot.outbound.reply import Purpose
from bot.pipeline.flow import poll_once
from bot.staff import accounts, door
from bot.store.db import writer
from bot.store.desk_models import StaffUser
from bot.store.models import Attendee, OutboundMail
from bot.web.app import create_app
from bot.web.auth import create_user
from tests.browser import ARTIFACTS, ServedApp, log_in
from tests.helpers import PASSWORD, csrf_of, logged_in, rows
from tests.imaptools import deliver
from tests.mailfactory import build
from tests.web.test_a11y import AXE, violations


@pytest.fixture
def signed_up(make_runtime, imap):
    """Tjitske (Dutch) and Peter (English) registered; anna has her own address, bart not."""
    rt = make_runtime()
    deliver(imap, *[build(body, From=f"{name} <{local}@tweedekamer.nl>",
                          Return_Path=f"<{local}@tweedekamer.nl>",
                          Message_ID=f"<{local}@tweedekamer.nl>")
                    for name, local, body in (
                        ("Tjitske Haagsma", "t.haagsma", "Graag meld ik mij aan."),
                        ("Peter Smith", "p.smith", "I would like to register, please."))])
    poll_once(rt)
    flush_outbox(rt.engine, rt.config.smtp, rt.config.worker)
    with Session(writer(rt.engine)) as session:
        for name in ("anna", "bart"):
            create_user(session, name, PASSWORD)
    anna = next(u for u in rows(rt, StaffUser) if u.username == "anna")
    accounts.save_settings(rt, anna.id, accounts.checked("anna@kinderrechten.nl", "none", "8",
                                                          "nl"))
    return rt


def group_mails(rt) -> list[OutboundMail]:
    return [m for m in rows(rt, OutboundMail) if m.purpose == Purpose.GROUP_MAIL]


def test_write_look_test_and_send_a_group_mail(browser, signed_up, smtp_sink):
    ARTIFACTS.mkdir(exist_ok=True)
    smtp_sink.clear()
    with ServedApp(create_app(signed_up)) as url:
        # without the desk's CSP only so that axe-core can be injected (tests/web/test_a11y.py)
        page = browser.new_context(viewport={"width": 1200, "height": 900},
                                   bypass_csp=True).new_page()
        log_in(page, url)
        page.click("header a:has-text('Groepsmail')")
        page.select_option("select[name=group]", "registered")
        page.fill("input[name=subject_nl]", "Praktische informatie")
        page.fill("textarea[name=body_nl]", "Neem uw legitimatie mee naar {{ locatie }}.")
        page.fill("input[name=subject_en]", "Practical information")
        page.fill("textarea[name=body_en]", "Please bring your ID to {{ locatie }}.")
        page.click("button[value=preview]")
        assert page.locator("#preview h2").inner_text() == "2 mensen krijgen deze e-mail"
        assert page.locator("#recipients li").all_inner_texts() == [
            "Tjitske Haagsma <t.haagsma@tweedekamer.nl> (Nederlands)",
            "Peter Smith <p.smith@tweedekamer.nl> (Engels)"]
        letters = page.locator("#preview pre.mail").all_inner_texts()
        assert letters[0].startswith("Beste Tjitske Haagsma,")
        assert "Neem uw legitimatie mee naar Nieuwspoort, Lange Poten 10" in letters[0]
        assert letters[1].startswith("Dear Peter Smith,")
        assert group_mails(signed_up) == []  # looking sends nothing
        page.screenshot(path=str(ARTIFACTS / "groupmail-preview.png"), full_page=True)
        if AXE.exists():  # the states the accessibility test's GETs do not reach
            assert violations(page) == []

        page.click("button[value=test]")
        page.wait_for_selector(".notice:has-text('Testmail verstuurd naar anna@kinderrechten.nl')")
        assert page.input_value("textarea[name=body_en]") == (
            "Please bring your ID to {{ locatie }}.")  # the form keeps what was typed
        tests = smtp_sink.wait_for(2)
        assert {m.rcpt_tos for m in tests} == {("anna@kinderrechten.nl",)}

        page.click("button[value=send]")
        page.wait_for_selector(".notice:has-text('gaat naar 2 mensen')")
        assert page.locator("#progress").inner_text() == "0 van 2 verstuurd"
        assert page.locator("meta[http-equiv=refresh]").count() == 1
        flush_outbox(signed_up.engine, signed_up.config.smtp, signed_up.config.worker)
        page.reload()
        assert page.locator("#progress").inner_text() == "2 van 2 verstuurd"
        assert page.locator("meta[http-equiv=refresh]").count() == 0  # done: no more reloads
        assert page.locator("#results tbody tr").count() == 2
        if AXE.exists():
            assert violations(page) == []
        assert sorted(m.rcpt_tos[0] for m in smtp_sink.messages[2:]) == [
            "p.smith@tweedekamer.nl", "t.haagsma@tweedekamer.nl"]
        page.goto(f"{url}/groepsmail")
        assert "2 van 2 verstuurd" in page.locator("#earlier").inner_text()


def test_only_what_was_previewed_is_sent_and_bad_input_is_refused(signed_up):
    client = logged_in(signed_up)
    form = {"csrf": csrf_of(client, "/groepsmail"), "event": signed_up.config.event.key,
            "group": "registered", "subject_nl": "Praktisch", "body_nl": "Tot straks.",
            "subject_en": "", "body_en": "", "do": "preview"}
    shown = client.post("/groepsmail", data=form)
    seen = shown.text.split('name="seen" value="')[1].split('"')[0]
    changed = client.post("/groepsmail", data=form | {"do": "send", "seen": seen,
                                                      "body_nl": "Iets anders."})
    assert "De tekst of de groep is veranderd sinds u keek" in changed.text
    other_group = client.post("/groepsmail", data=form | {"do": "send", "seen": seen,
                                                          "group": "wrote"})
    assert "De tekst of de groep is veranderd sinds u keek" in other_group.text
    assert group_mails(signed_up) == []
    sent = client.post("/groepsmail", data=form | {"do": "send", "seen": seen},
                       follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"].startswith("/groepsmail/")
    assert len(group_mails(signed_up)) == 2
    refused = client.post("/groepsmail", data=form | {"body_nl": "{{ adres }}"})
    assert "Onbekende plaatshouder {{ adres }}" in refused.text
    assert "{{ adres }}</textarea>" in refused.text  # what was typed stays
    assert client.get("/groepsmail/999").status_code == 404
    assert client.get("/groepsmail/99999999999999999999").status_code == 404
    again = client.post("/groepsmail", data=form)  # the same mail: nobody new to send it to
    assert "0 mensen krijgen deze e-mail" in again.text
    assert "2 anderen in deze groep kregen deze e-mail al" in again.text
    assert 'value="send"' not in again.text
    assert client.post("/groepsmail", data=form | {"csrf": "x"}).status_code == 403


def test_the_overview_offers_the_follow_ups_after_the_event(signed_up):
    tjitske = next(a for a in rows(signed_up, Attendee) if a.name == "Tjitske Haagsma")
    door.mark(signed_up, signed_up.config.event, tjitske.id, True, by="anna")
    client = logged_in(signed_up)
    overview = client.get("/").text
    key = signed_up.config.event.key
    assert f'href="/groepsmail?event={key}&amp;groep=present"' in overview
    assert f'href="/groepsmail?event={key}&amp;groep=absent"' in overview
    chosen = client.get(f"/groepsmail?event={key}&groep=absent").text
    assert '<option value="absent" selected>' in chosen
    assert client.get("/groepsmail?groep=everyone").status_code == 200  # unknown: default
