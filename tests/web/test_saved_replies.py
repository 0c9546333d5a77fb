"""Saved replies in the desk, in Chromium through the real server: staff write one with
placeholders, put it into the answer to a question with one click, edit it, and the preview and
the mail that goes out show it filled; a template trick is refused and never saved."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.store.desk_models import AuditEntry, SavedReply
from bot.web.app import create_app
from tests.browser import ARTIFACTS, ServedApp, log_in


def test_a_saved_reply_goes_into_an_answer(browser, desk, smtp_sink):
    ARTIFACTS.mkdir(exist_ok=True)
    with ServedApp(create_app(desk)) as url:
        page = browser.new_page(viewport={"width": 390, "height": 900})
        log_in(page, url)
        page.click("text=Standaardantwoorden")
        new = page.locator("#new")
        new.locator("input[name=title]").fill("Aanvang")
        new.locator("textarea[name=body_nl]").fill(
            "De masterclass is op {{ datum }} van {{ tijd }} in {{ locatie }}.")
        new.locator("button").click()
        page.wait_for_selector(".notice:has-text('is bewaard')")

        new = page.locator("#new")
        new.locator("input[name=title]").fill("Truc")
        new.locator("textarea[name=body_nl]").fill("{{ ''.__class__.__mro__ }}")
        new.locator("button").click()
        page.wait_for_selector(".notice:has-text('Alleen tekst en de plaatshouders')")
        page.screenshot(path=str(ARTIFACTS / "saved-replies-phone.png"), full_page=True)

        page.click("text=Vragen")
        page.click("table.queue td a >> nth=0")
        page.select_option("select[name=saved]", label="Aanvang")
        page.click("button[value=insert]")
        answer = page.input_value("#answer")
        assert answer == ("De masterclass is op dinsdag 15 december 2026 van 19:00 tot 21:30 "
                          "in Nieuwspoort, Lange Poten 10, 2511 CL Den Haag.")
        page.fill("#answer", answer + "\nDe zaal is open vanaf 18:30.")
        page.click("button[value=preview]")
        assert "van 19:00 tot 21:30" in page.inner_text("#preview")
        page.set_viewport_size({"width": 1200, "height": 900})
        page.screenshot(path=str(ARTIFACTS / "question-saved-reply.png"), full_page=True)
        page.click("button[value=send]")
        page.wait_for_selector(".notice")
        page.close()
    [sent] = smtp_sink.wait_for(1)
    assert "van 19:00 tot 21:30 in Nieuwspoort" in sent.text
    assert "De zaal is open vanaf 18:30." in sent.text
    with Session(desk.engine) as session:
        assert session.exec(select(SavedReply.title)).all() == ["Aanvang"]


def test_a_saved_reply_is_deleted_and_the_audit_log_says_who(browser, desk):
    with ServedApp(create_app(desk)) as url:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        log_in(page, url)
        page.goto(f"{url}/antwoorden")
        new = page.locator("#new")
        new.locator("input[name=title]").fill("Parkeren")
        new.locator("textarea[name=body_nl]").fill("Parkeer bij de Malieveld-garage.")
        new.locator("button").click()
        page.wait_for_selector(".notice:has-text('is bewaard')")
        page.locator("form.saved").first.locator("input[name=title]").fill("")  # no matter
        page.locator("form.saved button[value=delete]").click()
        page.wait_for_selector(".notice:has-text('Standaardantwoord \"Parkeren\" is verwijderd.')")
        assert page.locator("form.saved").count() == 0
        page.close()
    with Session(desk.engine) as session:
        assert session.exec(select(SavedReply)).all() == []
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "delete_reply")).one()
        assert entry.user == "anna"
