"""Check-in at the door (issue 16), through Dovecot, the database and Chromium at phone size:
staff find people as they type (and, without the script, with the search form), tap them in
and can take it back, see "1 van 2 aanwezig", see the wait-listed apart, and add a walk-in
even when every seat is taken; two phones tapping the same person leave them present; the
exports and the printable list say who came; the overview shows the turnout, and the retention
purge keeps its counts. Screenshots in tests/artifacts/."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import pytest
from sqlmodel import Session

from bot.errors import ActionRefused
from bot.ops.export import export_person
from bot.ops.privacy import ANONYMOUS, purge_due_at, run_purge
from bot.pipeline.flow import poll_once
from bot.pipeline.scheduled import queue_reminders
from bot.staff import door
from bot.staff.exports import to_checkin_html, to_csv
from bot.store import story
from bot.store.db import writer
from bot.store.desk_models import AuditEntry
from bot.store.models import Attendee, AttendeeStatus, OutboundMail
from bot.store.queries import list_attendees
from bot.web.app import create_app
from bot.web.auth import create_user
from tests.browser import ARTIFACTS, ServedApp, log_in
from tests.helpers import PASSWORD, logged_in, rows
from tests.imaptools import deliver
from tests.mailfactory import build

SIGN_UPS = (("Tjitske Haagsma", "t.haagsma", "SP"), ("Pieter van der Berg", "p.vdberg", "VVD"),
            ("Noor El Idrissi", "n.elidrissi", "D66"))


@pytest.fixture
def at_the_door(make_runtime, imap):
    """Two seats: Tjitske and Pieter registered, Noor on the waiting list; anna and bart."""
    rt = make_runtime(capacity=2)
    deliver(imap, *[build(f"Graag meld ik mij aan voor de masterclass.\n\n{name}\n{party}",
                          From=f"{name} <{local}@tweedekamer.nl>",
                          Return_Path=f"<{local}@tweedekamer.nl>",
                          Message_ID=f"<{local}@tweedekamer.nl>")
                    for name, local, party in SIGN_UPS])
    poll_once(rt)
    with Session(writer(rt.engine)) as session:
        for name in ("anna", "bart"):
            create_user(session, name, PASSWORD)
    return rt


def person(rt, name: str) -> Attendee:
    return next(a for a in rows(rt, Attendee) if a.name == name)


def test_the_door_at_phone_size(browser, at_the_door):
    ARTIFACTS.mkdir(exist_ok=True)
    assert [a.status for a in rows(at_the_door, Attendee)] == [
        AttendeeStatus.REGISTERED, AttendeeStatus.REGISTERED, AttendeeStatus.WAITLISTED]
    with ServedApp(create_app(at_the_door)) as url:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        log_in(page, url)
        page.goto(f"{url}/deur")
        assert page.locator("#counter").inner_text() == "0 van 2 aanwezig"
        assert [n.split("\n")[0] for n in page.locator("#expected li").all_inner_texts()] == [
            "Pieter van der Berg · VVD", "Tjitske Haagsma · SP"]  # by surname: Berg, Haagsma
        assert "Noor El Idrissi" in page.locator("#waitlisted").inner_text()

        page.fill("#door-search input[name=q]", "haag")  # filtered as you type
        assert page.locator("#expected li:visible").count() == 1
        page.screenshot(path=str(ARTIFACTS / "door-search-phone.png"), full_page=True)
        page.locator("#expected li:visible button").click()
        page.wait_for_selector(".notice:has-text('Tjitske Haagsma is aanwezig.')")
        assert page.locator("#counter").inner_text() == "1 van 2 aanwezig"
        assert "aanwezig sinds" in page.locator("#expected li", has_text="Tjitske").inner_text()

        page.fill("#walk-in input[name=name]", "Sanne de Wit")
        page.fill("#walk-in input[name=party]", "Volt")
        page.fill("#walk-in input[name=email]", "s.dewit@tweedekamer.nl")
        page.click("#walk-in button")  # every seat is taken: she comes in all the same
        page.wait_for_selector(".notice:has-text('Sanne de Wit is toegevoegd en aanwezig.')")
        assert page.locator("#counter").inner_text() == "2 van 3 aanwezig"
        assert "aan de deur" in page.locator("#expected li", has_text="Sanne").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(ARTIFACTS / "door-phone.png"), full_page=True)

        page.locator("#expected li", has_text="Tjitske").locator("button").click()  # undo
        page.wait_for_selector(".notice:has-text('Tjitske Haagsma is niet aanwezig.')")
        assert page.locator("#counter").inner_text() == "1 van 3 aanwezig"
        page.close()
    sanne = person(at_the_door, "Sanne de Wit")
    assert (sanne.status, sanne.walk_in, sanne.present_by) == (
        AttendeeStatus.REGISTERED, True, "anna")


def test_two_phones_do_not_undo_each_other(browser, at_the_door):
    pieter = person(at_the_door, "Pieter van der Berg")
    with ServedApp(create_app(at_the_door)) as url:
        phones = [browser.new_context(viewport={"width": 390, "height": 844}).new_page()
                  for _ in range(2)]
        for phone, user in zip(phones, ("anna", "bart"), strict=True):
            log_in(phone, url, user)
            phone.goto(f"{url}/deur")
        for phone in phones:  # both see "Aanwezig" and both tap it
            phone.locator(f"#attendee-{pieter.id} button").click()
            phone.wait_for_selector(".notice")
        assert phones[1].locator(".notice").inner_text() == (
            "Pieter van der Berg was al aanwezig.")
        for phone in phones:
            phone.reload()
            assert phone.locator("#counter").inner_text() == "1 van 2 aanwezig"
    assert person(at_the_door, "Pieter van der Berg").present_by == "anna"
    assert [e.action for e in rows(at_the_door, AuditEntry)] == ["door_present"]


def test_the_door_refuses_what_is_not_on_its_list(at_the_door):
    event = at_the_door.config.event
    with pytest.raises(ActionRefused, match="Vul de naam in"):
        door.walk_in(at_the_door, event, name="  ", party="", email="", by="anna")
    with pytest.raises(ActionRefused, match="Dat is geen e-mailadres"):
        door.walk_in(at_the_door, event, name="X", party="", email='"x\vy"@a.nl', by="anna")
    with pytest.raises(ActionRefused, match="niet op de lijst"):
        door.mark(at_the_door, event, 999, True, by="anna")
    client = logged_in(at_the_door)
    answer = client.get("/deur")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert "script-src" not in client.get("/vragen").headers["content-security-policy"]
    assert client.get("/deur.js").headers["content-type"].startswith("text/javascript")


def test_a_walk_in_already_on_the_list_is_that_person(at_the_door):
    event = at_the_door.config.event
    said = door.walk_in(at_the_door, event, name="Noor", party="",
                        email="N.ElIdrissi@tweedekamer.nl", by="anna")  # wait-listed: in
    assert said == "Noor El Idrissi stond al op de lijst (op de wachtlijst) en is nu aanwezig."
    noor = person(at_the_door, "Noor El Idrissi")
    assert (noor.status, noor.present_at is not None, noor.walk_in) == (
        AttendeeStatus.REGISTERED, True, False)
    assert door.walk_in(at_the_door, event, name="N", party="", by="bart",
                        email="n.elidrissi@tweedekamer.nl") == (
        "Noor El Idrissi stond al op de lijst en was al aanwezig.")
    assert person(at_the_door, "Noor El Idrissi").present_by == "anna"  # the first check-in
    assert len(rows(at_the_door, Attendee)) == 3


def test_a_cancelled_person_at_the_door_and_a_double_tap(at_the_door):
    event = at_the_door.config.event
    pieter = person(at_the_door, "Pieter van der Berg")
    with Session(writer(at_the_door.engine)) as session:
        row = session.get(Attendee, pieter.id)
        row.status = AttendeeStatus.CANCELLED
        session.add(row)
        session.commit()
    assert door.walk_in(at_the_door, event, name="Pieter", party="", by="anna",
                        email="p.vdberg@tweedekamer.nl") == (
        "Pieter van der Berg stond al op de lijst (afgemeld) en is nu aanwezig.")
    for _ in range(2):  # a double tap on the walk-in form: one person
        door.walk_in(at_the_door, event, name="Sanne de Wit", party="Volt", email="", by="anna")
    assert [a.name for a in rows(at_the_door, Attendee)].count("Sanne de Wit") == 1
    door.walk_in(at_the_door, event, name="Sanne de Wit", party="CDA", email="", by="anna")
    assert [a.name for a in rows(at_the_door, Attendee)].count("Sanne de Wit") == 2  # another


def test_someone_from_the_waiting_list_who_comes_in_gets_a_seat(at_the_door):
    event = at_the_door.config.event
    noor = person(at_the_door, "Noor El Idrissi")
    assert door.mark(at_the_door, event, noor.id, True, by="anna") == (
        "Noor El Idrissi is aanwezig.")
    assert person(at_the_door, "Noor El Idrissi").status is AttendeeStatus.REGISTERED
    found = door.door(at_the_door, event)
    assert (found.present, len(found.expected), found.waitlisted) == (1, 3, [])
    door.mark(at_the_door, event, noor.id, False, by="anna")  # a mistaken tap, taken back
    assert person(at_the_door, "Noor El Idrissi").status is AttendeeStatus.WAITLISTED
    with pytest.raises(ActionRefused, match="niet op de lijst"):  # another event's door
        door.mark(at_the_door, dataclasses.replace(event, id="een-andere"), noor.id, False,
                  by="anna")


def test_adding_someone_present_again_changes_nothing(at_the_door):
    """Noor from the waiting list is checked in, then added again at the walk-in form by her
    address: she was already there, so a mistaken check-in taken back still puts her back on
    the waiting list."""
    event = at_the_door.config.event
    noor = person(at_the_door, "Noor El Idrissi")
    door.mark(at_the_door, event, noor.id, True, by="anna")
    assert door.walk_in(at_the_door, event, name="Noor", party="", by="bart",
                        email="n.elidrissi@tweedekamer.nl") == (
        "Noor El Idrissi stond al op de lijst en was al aanwezig.")
    door.mark(at_the_door, event, noor.id, False, by="anna")
    assert person(at_the_door, "Noor El Idrissi").status is AttendeeStatus.WAITLISTED


def test_nobody_from_the_door_gets_mail(at_the_door):
    event = at_the_door.config.event
    door.mark(at_the_door, event, person(at_the_door, "Tjitske Haagsma").id, True, by="anna")
    door.walk_in(at_the_door, event, name="Sanne de Wit", party="", by="anna",
                 email="s.dewit@tweedekamer.nl")
    before = len(rows(at_the_door, OutboundMail))
    reminder_time = event.starts_at - dt.timedelta(hours=1)
    assert queue_reminders(at_the_door, event, reminder_time) == 1  # Pieter only
    [reminder] = rows(at_the_door, OutboundMail)[before:]
    assert reminder.recipient == "p.vdberg@tweedekamer.nl"
    with Session(at_the_door.engine) as session:
        exported = export_person(session, "t.haagsma@tweedekamer.nl")
    assert exported["attendees"][0]["present_at"] and "present_by" not in exported["attendees"][0]


def test_exports_the_overview_and_the_purge_keep_the_turnout(at_the_door):
    event = at_the_door.config.event
    door.mark(at_the_door, event, person(at_the_door, "Tjitske Haagsma").id, True, by="anna")
    door.walk_in(at_the_door, event, name="Sanne de Wit", party="Volt", email="", by="anna")
    attendees = list_attendees(at_the_door.engine, event.key)
    table = list(csv.reader(io.StringIO(to_csv(attendees).decode())))
    assert table[0][-1] == "aanwezig"
    assert {row[0]: row[-1] for row in table[1:]} == {
        "Pieter van der Berg": "", "Tjitske Haagsma": "ja", "Noor El Idrissi": "",
        "Sanne de Wit": "ja"}
    printable = to_checkin_html(attendees, at_the_door.templates, title="x", date="y").decode()
    assert printable.count("☑") == 2 and printable.count("☐") == 1  # the registered only
    expected = story.Turnout(registered=3, present=2, no_shows=1, walk_ins=1)
    assert story.turnout(at_the_door.engine, event.key) == expected
    page = logged_in(at_the_door).get("/").text
    assert "2 aanwezig, 1 van de 3 ingeschrevenen niet gekomen, 1 aan de deur toegevoegd" in page

    run_purge(at_the_door, purge_due_at(at_the_door.config))
    assert story.turnout(at_the_door.engine, event.key) == expected  # the counts stay
    assert {(a.name, a.present_by) for a in rows(at_the_door, Attendee)} == {
        (ANONYMOUS, None)}
