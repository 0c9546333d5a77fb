"""The question queue and the desk's Dutch words (issue 15): each question with its subject, its
question sentences, the sender's verified mark and attendee status, how long it has waited and
who has it; the views open, mine, unassigned and answered; a search that stays out of the URL;
statuses and kinds in Dutch with the code name as a tooltip. Through the real servers, and in
Chromium at desktop and phone size (screenshots in tests/artifacts/)."""

from __future__ import annotations

import datetime as dt
import re
import threading

import httpx
import pytest

from bot.errors import ActionRefused
from bot.judge.classify import Kind
from bot.outbound.reply import Purpose
from bot.pipeline.flow import poll_once
from bot.staff import desk as staff_desk
from bot.staff.words import WORDS, label
from bot.store.desk_models import Group
from bot.store.models import AttendeeStatus, MessageStatus, OutboundStatus, Question, QuestionStatus
from bot.store.queries import get_row
from bot.store.queue import View, question_queue
from bot.web.app import create_app
from bot.web.labels import labelled, waited
from tests.browser import ARTIFACTS, ServedApp, log_in
from tests.helpers import PASSWORD
from tests.imaptools import deliver
from tests.mailfactory import VERIFIED, build

NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(("vocabulary", "values"), [
    ("attendee", AttendeeStatus), ("message", MessageStatus), ("question", QuestionStatus),
    ("outbound", OutboundStatus), ("kind", Kind), ("purpose", Purpose), ("group", Group)])
def test_every_value_has_a_dutch_word(vocabulary, values):
    assert set(WORDS[vocabulary]) == set(values)


def test_a_value_gets_its_word_and_an_unknown_one_stays_itself():
    assert label(AttendeeStatus.CANCELLED, "attendee") == "afgemeld"
    assert label("attendee_cancel", "audit") == "afgemeld door de balie"
    assert label("something_new", "audit") == "something_new"


def test_a_word_keeps_its_code_name_as_tooltip_and_is_escaped():
    assert labelled(AttendeeStatus.WAITLISTED, "attendee") == (
        '<span class="code" title="waitlisted">op de wachtlijst</span>')
    assert str(labelled('<b x="1">', "kind")) == (
        '<span class="code" title="&lt;b x=&#34;1&#34;&gt;">&lt;b x=&#34;1&#34;&gt;</span>')


@pytest.mark.parametrize(("ago", "words"), [
    (dt.timedelta(seconds=20), "zojuist"), (dt.timedelta(minutes=1), "1 minuut"),
    (dt.timedelta(minutes=59), "59 minuten"), (dt.timedelta(hours=2, minutes=5), "2 uur"),
    (dt.timedelta(hours=47), "47 uur"), (dt.timedelta(days=3, hours=1), "3 dagen")])
def test_how_long_a_question_has_waited(ago, words):
    assert waited(NOW - ago, NOW) == words


def more_questions(rt, imap) -> None:
    """Three more questions: one from a registered attendee, one unverified, one that names a
    percentage; then the first question goes to anna and the second is answered by bart."""
    deliver(imap, build("Is er parkeergelegenheid bij Nieuwspoort?\n\nMet vriendelijke groet,\n"
                        "Tjitske Haagsma", From="Tjitske Haagsma <t.haagsma@tweedekamer.nl>",
                        Return_Path="<t.haagsma@tweedekamer.nl>", Subject="Parkeren",
                        Message_ID="<p1@tweedekamer.nl>"),
            build("Mag mijn medewerker ook mee?", From="Onbekend <x.jansen@example.org>",
                  Return_Path="<x.jansen@example.org>", Subject="Medewerker",
                  Authentication_Results=VERIFIED.replace("pass", "fail"),
                  Message_ID="<p2@example.org>"),
            build("Klopt het dat 100% van de plaatsen al bezet is?",
                  From="Bram Bos <b.bos@tweedekamer.nl>", Return_Path="<b.bos@tweedekamer.nl>",
                  Subject="Vol?", Message_ID="<p3@tweedekamer.nl>"))
    poll_once(rt)


def queue(rt, view: View, search: str = "", me: str = "anna"):
    return question_queue(rt.engine, view, me=me, search=search,
                          default_event=rt.config.event.key)


def test_the_views_and_the_search(desk, imap):
    more_questions(desk, imap)
    everything = queue(desk, View.OPEN)
    by_subject = {row.subject: row for row in everything}
    assert list(by_subject) == ["Vraag over programma masterclass", "Parkeren", "Medewerker",
                                "Vol?"]  # oldest first
    parking = by_subject["Parkeren"]
    assert parking.text == "Is er parkeergelegenheid bij Nieuwspoort?"  # the question only
    assert parking.verified and parking.attendee is AttendeeStatus.REGISTERED
    assert not by_subject["Medewerker"].verified and by_subject["Medewerker"].attendee is None

    staff_desk.assign_question(desk, parking.id, "Anna", by="bart")
    staff_desk.answer_question(desk, by_subject["Vol?"].id, "Nee, er is nog plaats.", by="bart")

    assert [row.subject for row in queue(desk, View.MINE)] == ["Parkeren"]
    assert [row.subject for row in queue(desk, View.MINE, me="bart")] == []
    assert [row.subject for row in queue(desk, View.UNASSIGNED)] == [
        "Vraag over programma masterclass", "Medewerker"]
    staff_desk.assign_question(desk, parking.id, "Anna", by="bart")  # twice: still anna's
    staff_desk.close_question(desk, by_subject["Medewerker"].id, by="anna")
    assert [(row.subject, row.status, row.answered_by) for row in queue(desk, View.DONE)] == [
        ("Medewerker", "closed", "anna"), ("Vol?", "answered", "bart")]  # newest first

    assert [row.subject for row in queue(desk, View.OPEN, "PARKEER")] == ["Parkeren"]
    assert [row.subject for row in queue(desk, View.DONE, "x.jansen@")] == ["Medewerker"]
    assert [row.subject for row in queue(desk, View.DONE, "100%")] == ["Vol?"]
    assert queue(desk, View.OPEN, "%") == [] and queue(desk, View.OPEN, "_") == []  # literal


@pytest.mark.parametrize(("size", "width"), [("desktop", 1200), ("phone", 390)])
def test_the_queue_in_chromium(browser, desk, imap, size, width):
    more_questions(desk, imap)
    ARTIFACTS.mkdir(exist_ok=True)
    with ServedApp(create_app(desk)) as url:
        page = browser.new_page(viewport={"width": width, "height": 900})
        log_in(page, url)
        page.goto(f"{url}/vragen")
        row = page.locator("table.queue tr", has_text="Parkeren")
        assert "Is er parkeergelegenheid bij Nieuwspoort?" in row.inner_text()
        assert "gecontroleerd" in row.inner_text() and "ingeschreven" in row.inner_text()
        assert row.locator(".code").get_attribute("title") == "registered"
        assert "niemand" in row.inner_text()
        assert "niet gecontroleerd" in page.locator("tr", has_text="Medewerker").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(ARTIFACTS / f"queue-{size}.png"), full_page=True)

        page.fill("input[name=q]", "medewerker")
        page.press("input[name=q]", "Enter")
        page.wait_for_selector("#count:has-text('1 gevonden')")
        assert "medewerker" not in page.url  # the search stays out of the URL
        page.click("text=Van mij")
        assert page.locator("#count").inner_text() == "0 vragen."

        page.goto(f"{url}/deelnemers")
        status = page.locator("td .code", has_text="ingeschreven").first
        assert status.get_attribute("title") == "registered"
        assert ">registered<" not in page.content()
        page.close()


def test_a_long_question_shows_its_first_lines_only(desk, imap):
    deliver(imap, build("\n".join(f"Is er plaats voor gast {n}?" for n in range(20000)),
                        Subject="Lang", Message_ID="<long@tweedekamer.nl>"))
    poll_once(desk)
    [long] = [row for row in queue(desk, View.OPEN) if row.subject == "Lang"]
    assert long.text.splitlines() == [f"Is er plaats voor gast {n}?" for n in range(5)]
    assert len(get_row(desk.engine, Question, long.id).text) > 10_000  # stored whole


def test_a_question_goes_to_a_staff_account_from_the_list(desk):
    [first] = queue(desk, View.OPEN)
    with pytest.raises(ActionRefused, match="uit de lijst"):
        staff_desk.assign_question(desk, first.id, "someone-else", by="anna")
    staff_desk.assign_question(desk, first.id, " Bart ", by="anna")
    assert [row.subject for row in queue(desk, View.MINE, me="bart")] == [first.subject]
    staff_desk.assign_question(desk, first.id, "", by="bart")
    assert queue(desk, View.MINE, me="bart") == [] and len(queue(desk, View.UNASSIGNED)) == 1


def test_a_colleague_who_opens_the_same_question_is_warned(browser, desk):
    ARTIFACTS.mkdir(exist_ok=True)
    [first] = queue(desk, View.OPEN)
    with ServedApp(create_app(desk)) as url:
        anna = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
        bart = browser.new_context(viewport={"width": 390, "height": 900}).new_page()
        log_in(anna, url)
        log_in(bart, url, "bart")
        anna.goto(f"{url}/vragen/{first.id}")
        assert anna.locator("#colleague").count() == 0  # nobody had it open
        bart.goto(f"{url}/vragen/{first.id}")
        assert bart.locator("#colleague").inner_text().startswith(
            "Let op: anna heeft deze vraag zojuist geopend.")
        options = bart.locator("select[name=assignee] option").all_inner_texts()
        assert options == ["niemand", "anna", "bart (ikzelf)"]
        bart.screenshot(path=str(ARTIFACTS / "question-colleague-phone.png"), full_page=True)
        bart.select_option("select[name=assignee]", "bart")
        bart.click("button[value=assign]")
        bart.wait_for_selector(".notice:has-text('toegewezen aan bart')")
        anna.goto(f"{url}/vragen?toon=mijn")
        assert anna.locator("#count").inner_text() == "0 vragen."
        bart.goto(f"{url}/vragen?toon=mijn")
        assert first.subject in bart.locator("table.queue").inner_text()


def test_notes_stay_in_the_desk_and_are_shown_as_text(browser, desk, imap, smtp_sink):
    more_questions(desk, imap)
    parking = next(row for row in queue(desk, View.OPEN) if row.subject == "Parkeren")
    smtp_sink.clear()
    hostile = "<script>document.title='x'</script>{{ 7*7 }} belt morgen terug"
    with ServedApp(create_app(desk)) as url:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        log_in(page, url)
        page.goto(f"{url}/vragen/{parking.id}")
        page.fill("#answer", "Een half geschreven antwoord")
        page.fill("#note", hostile)
        page.click("button[value=note_question]")
        page.wait_for_selector(".notice:has-text('notitie is bewaard')")
        assert page.input_value("#answer") == "Een half geschreven antwoord"  # not lost
        page.fill("#note", "Zit in een rolstoel: plek bij de deur.")
        page.click("button[value=note_attendee]")  # the sender is a registered attendee
        page.wait_for_selector(".notice:has-text('notitie is bewaard')")
        notes = page.locator("#notes .note").all_inner_texts()
        assert hostile in notes[0] and "over de vraag" in notes[0]
        assert "over de deelnemer" in notes[1]
        assert page.title() != "x" and page.locator("#notes script").count() == 0
        page.screenshot(path=str(ARTIFACTS / "question-notes.png"), full_page=True)
        page.fill("#answer", "Ja, er is een parkeergarage aan de Lange Poten.")
        page.click("button[value=preview]")
        page.click("button[value=send]")
        page.wait_for_selector(".notice")
        page.close()
    [answer] = smtp_sink.wait_for(1)
    assert "belt morgen" not in answer.text and "rolstoel" not in answer.text


def test_an_answer_waiting_on_the_mail_server_holds_up_no_other_page(desk, smtp_sink):
    """The SMTP server keeps bart's answer waiting for its 250; meanwhile anna's pages load
    (the send runs in a worker thread, not on the event loop)."""
    [first] = queue(desk, View.OPEN)
    released = threading.Event()
    smtp_sink.on_message = lambda _mail: released.wait(20)
    with ServedApp(create_app(desk)) as url:
        anna, bart = http_login(url, "anna"), http_login(url, "bart")
        token = CSRF.search(bart.get(f"/vragen/{first.id}").text).group(1)
        answered = []
        sending = threading.Thread(target=lambda: answered.append(bart.post(
            f"/vragen/{first.id}", data={"csrf": token, "action": "send", "answer": "Ja."})))
        sending.start()
        smtp_sink.wait_for(1)  # the server has the answer and holds its reply
        assert anna.get("/vragen").status_code == 200
        assert anna.get("/").status_code == 200
        assert sending.is_alive()  # still waiting for the server
        released.set()
        sending.join(20)
    assert answered[0].status_code == 303


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def http_login(url: str, user: str) -> httpx.Client:
    """A browser-like client of the served desk, logged in as ``user``."""
    client = httpx.Client(base_url=url, follow_redirects=False, timeout=30)
    token = CSRF.search(client.get("/login").text).group(1)
    answer = client.post("/login", data={"username": user, "password": PASSWORD,
                                         "csrf": token})
    assert answer.status_code == 303
    return client


def test_the_search_folds_case_beyond_ascii(desk, imap):
    deliver(imap, build("Mag ik één collega meenemen naar Nieuwspoort?", Subject="Ça va",
                        Message_ID="<accents@tweedekamer.nl>"))
    poll_once(desk)
    assert [row.subject for row in queue(desk, View.OPEN, "ÉÉN COLLEGA")] == ["Ça va"]
    assert [row.subject for row in queue(desk, View.OPEN, "ça")] == ["Ça va"]
