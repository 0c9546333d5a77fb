"""Questions sorted by topic at the desk (issue 15), through the real servers: each question
recorded from the mailbox is tagged "organisatie" or "inhoud" with its theme and the words that
said so; a question on a theme with an owner goes to that staff account (not to a name that is
no active account); staff change the tag from a list, the queue filters on it, and a choice that
is not on the list is refused. In Chromium at desktop and phone size (screenshots)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot.errors import ActionRefused
from bot.pipeline.flow import poll_once
from bot.staff import sorting
from bot.store.db import writer
from bot.store.desk_models import AuditEntry, StaffUser
from bot.store.models import Question, Topic
from bot.store.queue import View, question_queue
from bot.web.app import create_app
from bot.web.auth import create_user
from tests.browser import ARTIFACTS, ServedApp, log_in
from tests.helpers import PASSWORD, csrf_of, logged_in, rows
from tests.imaptools import deliver
from tests.mailfactory import build

THEMES = {"theme": [
    {"name": "armoede", "words": ["armoede*", "schuld*"], "owner": "bart"},
    {"name": "asiel", "words": ["asiel*", "azc"], "owner": "carla"},  # carla has left
    {"name": "klimaat", "words": ["klimaat*"], "owner": "nobody"},    # no such account
]}


@pytest.fixture
def sorted_desk(make_runtime, imap):
    rt = make_runtime(questions=THEMES)
    with Session(writer(rt.engine)) as session:
        for name in ("anna", "bart", "carla"):
            create_user(session, name, PASSWORD)
        carla = session.exec(select(StaffUser).where(StaffUser.username == "carla")).one()
        carla.active = False
        session.add(carla)
        session.commit()
    asked = {"Parkeren": "Is er parkeergelegenheid bij Nieuwspoort?",
             "Armoede": "Komt armoede onder kinderen aan bod, en gezinnen met schulden?",
             "Azc": "Hoe gaat het met de kinderen in het azc?",
             "Klimaat": "Gaat het ook over klimaatangst?",
             "Sprekers": "Wie zijn de sprekers?"}
    deliver(imap, *[build(text, Subject=subject, Message_ID=f"<{subject}@tweedekamer.nl>")
                    for subject, text in asked.items()])
    poll_once(rt)
    return rt


def by_subject(rt) -> dict[str, Question]:
    return {q.subject: q for q in rows(rt, Question)}


def test_questions_are_tagged_and_go_to_their_themes_owner(sorted_desk):
    found = by_subject(sorted_desk)
    assert [(found[s].topic, found[s].theme, found[s].topic_words, found[s].assignee)
            for s in ("Parkeren", "Armoede", "Azc", "Klimaat", "Sprekers")] == [
        (Topic.ORGANISATION, None, ["nieuwspoort", "parkeer*"], None),
        (Topic.CONTENT, "armoede", ["armoede*", "schuld*"], "bart"),  # bart owns it
        (Topic.CONTENT, "asiel", ["azc"], None),      # carla's account is not active
        (Topic.CONTENT, "klimaat", ["klimaat*"], None),  # nobody is no account at all
        (Topic.UNSORTED, None, [], None),
    ]


def test_staff_sort_a_question_and_a_forged_choice_is_refused(sorted_desk):
    question = by_subject(sorted_desk)["Sprekers"]
    client = logged_in(sorted_desk)
    path = f"/vragen/{question.id}"
    answer = client.post(path, data={"csrf": csrf_of(client, path), "action": "sort",
                                     "onderwerp": "inhoud:<b>niet bestaand</b>"})
    assert "Kies een onderwerp uit de lijst." in answer.text and "<b>niet" not in answer.text
    said = sorting.sort_question(sorted_desk, question.id, "inhoud:armoede", by="anna")
    assert said == (f"Vraag #{question.id} gaat over inhoud: armoede. Toegewezen aan bart.")
    sorted_again = by_subject(sorted_desk)["Sprekers"]
    assert (sorted_again.topic, sorted_again.theme, sorted_again.topic_words,
            sorted_again.assignee) == (Topic.CONTENT, "armoede", [], "bart")
    sorting.sort_question(sorted_desk, question.id, "organisatie", by="anna")
    assert by_subject(sorted_desk)["Sprekers"].assignee == "bart"  # sorting takes nobody's
    [entry, _] = [e for e in rows(sorted_desk, AuditEntry) if e.action == "sort_question"]
    assert (entry.user, entry.detail) == ("anna", "inhoud: armoede")


def test_the_queue_keeps_to_a_topic(sorted_desk):
    def subjects(choice: str) -> list[str]:
        topic, theme = sorting.chosen(sorted_desk.config.questions, choice)
        return [row.subject for row in question_queue(
            sorted_desk.engine, View.OPEN, me="anna", default_event=sorted_desk.config.event.key,
            topic=(topic, theme.name if theme else None))]
    assert subjects("organisatie") == ["Parkeren"]
    assert subjects("inhoud:armoede") == ["Armoede"]
    assert subjects("onbekend") == ["Sprekers"]
    for forged in ("inhoud", "inhoud:weer", "inhoud:armoede' OR 1=1"):
        with pytest.raises(ActionRefused):  # the page then shows every topic
            sorting.chosen(sorted_desk.config.questions, forged)


@pytest.mark.parametrize(("size", "width"), [("desktop", 1200), ("phone", 390)])
def test_sorting_in_chromium(browser, sorted_desk, size, width):
    found = by_subject(sorted_desk)
    ARTIFACTS.mkdir(exist_ok=True)
    with ServedApp(create_app(sorted_desk)) as url:
        page = browser.new_page(viewport={"width": width, "height": 900})
        log_in(page, url)
        page.goto(f"{url}/vragen")
        assert "organisatie" in page.locator("tr", has_text="Parkeren").inner_text()
        assert "inhoud: armoede" in page.locator("tr", has_text="Armoede").inner_text()
        page.select_option("select[name=onderwerp]", "inhoud:armoede")
        page.click("#search button")
        page.wait_for_selector("#count:has-text('1 gevonden over inhoud: armoede')")
        page.screenshot(path=str(ARTIFACTS / f"queue-topics-{size}.png"), full_page=True)

        page.goto(f"{url}/vragen/{found['Armoede'].id}")
        assert page.locator("#topic").inner_text() == (
            "Soort vraag: inhoud: armoede (herkend aan: armoede*, schuld*)")
        page.goto(f"{url}/vragen/{found['Sprekers'].id}")
        assert page.locator("#topic").inner_text() == "Soort vraag: nog niet ingedeeld"
        page.fill("#answer", "Een half antwoord")
        page.select_option("#sort select", "organisatie")
        page.click("button[value=sort]")
        page.wait_for_selector(".notice:has-text('gaat over organisatie')")
        assert page.input_value("#answer") == "Een half antwoord"  # one form: nothing lost
        assert page.locator("#topic").inner_text() == (
            "Soort vraag: organisatie (ingedeeld door de balie)")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(ARTIFACTS / f"question-topic-{size}.png"), full_page=True)
        page.close()
