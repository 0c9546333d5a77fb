"""Several events ([[event]]): each message goes to the event it names, or to staff; seats,
replies, staff actions, reminders and pages are per event. Real Dovecot, SMTP sink, database.
"""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest
from sqlmodel import Session, select

from bot.config.load import parse_config
from bot.errors import ActionRefused, ConfigError
from bot.pipeline.flow import poll_once
from bot.pipeline.scheduled import queue_scheduled_mail
from bot.staff.actions import cancel_attendee
from bot.staff.desk import decide_review
from bot.store.db import writer
from bot.store.models import Attendee, InboundMessage
from bot.web.auth import create_user
from tests.helpers import PASSWORD, csrf_of, logged_in
from tests.imaptools import deliver
from tests.mailfactory import build

HAAG = {"name": "Masterclass Kinderrechten", "date": "2026-12-15", "start": "19:00",
        "end": "21:30", "venue": "Nieuwspoort", "address": "Lange Poten 10, 2511 CL Den Haag",
        "capacity": 1}
UTRECHT = {"name": "Masterclass Kinderrechten Utrecht", "date": "2027-01-20", "start": "19:00",
           "end": "21:30", "venue": "Stadhuis Utrecht", "address": "Korte Minrebroederstraat 2",
           "capacity": 1, "id": "utrecht"}


def signup(n: int, body: str, **headers) -> bytes:
    headers.setdefault("Message_ID", f"<several-{n}@tk.nl>")
    return build(body, From=f"Lid {n} <lid{n}@tweedekamer.nl>",
                 Return_Path=f"<lid{n}@tweedekamer.nl>", **headers)


def attendees(rt) -> set[tuple[str, str, str]]:
    with Session(rt.engine) as session:
        return {(a.email, a.event, a.status) for a in session.exec(select(Attendee)).all()}


@pytest.fixture
def rt(make_runtime):
    return make_runtime(event=[HAAG, UTRECHT])


def test_each_message_goes_to_the_event_it_names_or_to_staff(rt, imap, smtp_sink):
    deliver(imap, signup(1, "Graag meld ik mij aan voor de masterclass in Utrecht op 20 "
                            "januari.", Subject="Aanmelding"),
            signup(2, "Ik kom graag op 15 december.", Subject="Aanmelding masterclass"),
            signup(3, "Ik meld mij graag aan voor de masterclass.", Subject="Aanmelding"),
            signup(4, "Ook ik kom graag naar de masterclass van 15 december.",
                   Subject="Aanmelding"))
    summary = poll_once(rt)

    assert attendees(rt) == {("lid1@tweedekamer.nl", "utrecht", "registered"),
                             ("lid2@tweedekamer.nl", "masterclass-kinderrechten", "registered"),
                             ("lid4@tweedekamer.nl", "masterclass-kinderrechten", "waitlisted")}
    with Session(rt.engine) as session:
        unclear = session.exec(select(InboundMessage).where(
            InboundMessage.sender == "lid3@tweedekamer.nl")).one()
    assert unclear.status == "needs_review" and "event_unclear" in unclear.reasons
    assert unclear.event is None and summary.fates["needs_review"] == 1
    replies = {m.rcpt_tos[0]: m.message for m in smtp_sink.messages}
    assert set(replies) == {"lid1@tweedekamer.nl", "lid2@tweedekamer.nl",
                            "lid4@tweedekamer.nl"}  # nothing to the unclear sign-up
    utrecht = replies["lid1@tweedekamer.nl"].get_body(("plain",)).get_content()
    assert "Stadhuis Utrecht" in utrecht and "20 januari 2027" in utrecht
    haag = replies["lid2@tweedekamer.nl"].get_body(("plain",)).get_content()
    assert "Nieuwspoort" in haag and "15 december 2026" in haag

    # staff decide the unclear one: Utrecht is full, so the waiting list of Utrecht
    decide_review(rt, unclear.id, "registration", by="anna", event_key="utrecht")
    assert ("lid3@tweedekamer.nl", "utrecht", "waitlisted") in attendees(rt)


def test_a_cancellation_naming_no_event_cancels_the_one_the_sender_is_on(rt, imap):
    deliver(imap, signup(1, "Aanmelding voor Utrecht, 20 januari.", Subject="Aanmelding"))
    poll_once(rt)
    deliver(imap, signup(1, "Ik moet mij helaas afmelden.", Subject="Afmelding",
                         Message_ID="<several-1-cancel@tk.nl>"))
    poll_once(rt)
    assert attendees(rt) == {("lid1@tweedekamer.nl", "utrecht", "cancelled")}


def test_staff_actions_ask_which_event_when_a_person_is_on_two(rt, imap):
    deliver(imap, signup(1, "Aanmelding voor Utrecht, 20 januari.", Subject="Aanmelding"),
            signup(1, "En ook voor 15 december.", Subject="Aanmelding",
                   Message_ID="<several-1b@tk.nl>"))
    poll_once(rt)
    with pytest.raises(ActionRefused, match="meer dan één bijeenkomst"):
        cancel_attendee(rt, "lid1@tweedekamer.nl", by="anna")
    cancel_attendee(rt, "lid1@tweedekamer.nl", by="anna", event_key="utrecht")
    assert attendees(rt) == {("lid1@tweedekamer.nl", "utrecht", "cancelled"),
                             ("lid1@tweedekamer.nl", "masterclass-kinderrechten", "registered")}


def test_reminders_go_per_event(rt, imap, smtp_sink):
    deliver(imap, signup(1, "Aanmelding Utrecht, 20 januari.", Subject="Aanmelding"),
            signup(2, "Aanmelding 15 december.", Subject="Aanmelding"))
    poll_once(rt)
    smtp_sink.clear()
    eve_of_haag = dt.datetime(2026, 12, 14, 20, 0, tzinfo=dt.UTC)
    assert queue_scheduled_mail(rt, eve_of_haag) == 1
    poll_once(rt)
    assert [m.rcpt_tos[0] for m in smtp_sink.messages] == ["lid2@tweedekamer.nl"]


def test_the_desk_shows_seats_per_event_and_lists_each_event(rt, imap):
    deliver(imap, signup(1, "Aanmelding Utrecht, 20 januari.", Subject="Aanmelding"),
            signup(3, "Ik meld mij graag aan.", Subject="Aanmelding"))
    poll_once(rt)
    with Session(writer(rt.engine)) as session:
        create_user(session, "anna", PASSWORD)
    client = logged_in(rt)
    home = client.get("/").text
    assert 'id="events"' in home and "Masterclass Kinderrechten Utrecht" in home
    assert "1 / 1" in home and "0 / 1" in home
    assert "lid1@tweedekamer.nl" in client.get("/deelnemers?event=utrecht").text
    assert "lid1@tweedekamer.nl" not in client.get("/deelnemers").text  # the first event
    review = client.get("/beoordelen").text
    assert '<select name="event">' in review
    with Session(rt.engine) as session:
        message_id = session.exec(select(InboundMessage.id).where(
            InboundMessage.status == "needs_review")).one()
    client.post(f"/beoordelen/{message_id}", data={
        "csrf": csrf_of(client, "/beoordelen"), "decision": "registration", "event": "utrecht"})
    assert ("lid3@tweedekamer.nl", "utrecht", "waitlisted") in attendees(rt)


def config_with(events_toml: str) -> str:
    return f"""
[mailbox]
host = "localhost"
port = 993
security = "ssl"
username = "info@kinderrechten.nl"
password_env = "PW"
address = "info@kinderrechten.nl"
[smtp]
host = "localhost"
port = 587
security = "starttls"
from = "Kinderrechtencollectief <info@kinderrechten.nl>"
[trust]
allowed_domains = ["tweedekamer.nl"]
authserv_id = "mx.kinderrechten.nl"
{events_toml}
"""


EVENT = """[[event]]
name = "{name}"
date = {date}
start = "19:00"
end = "21:30"
venue = "Nieuwspoort"
address = "Lange Poten 10"
capacity = 40
"""


@pytest.mark.parametrize(("events", "message"), [
    (EVENT.format(name="A", date="2026-12-15") + EVENT.format(name="A", date="2027-01-20"),
     "event: two events have the key 'a'"),
    (EVENT.format(name="A", date="2026-12-15")
     + EVENT.format(name="B", date="2027-01-20").replace('end = "21:30"', 'end = "18:00"'),
     "event[2].end: must be later than event[2].start"),
    (EVENT.format(name="A", date="2026-12-15") + "colour = \"red\"\n",
     "event[1].colour: unknown key"),
    ([], "event: must be one [event] table or a list of [[event]] tables"),
    ([{"name": "A"}, "B"], "event: must be one [event] table or a list of [[event]] tables"),
])
def test_event_list_mistakes_name_the_event(events, message):
    if isinstance(events, list):  # what TOML cannot write after a table: set it directly
        data = tomllib.loads(config_with("")) | {"event": events}
    else:
        data = tomllib.loads(config_with(events))
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_config(data, {"PW": "x"})


def test_two_events_load_and_the_first_is_the_default():
    text = config_with(EVENT.format(name="A", date="2026-12-15")
                       + EVENT.format(name="B", date="2027-01-20"))
    config = parse_config(tomllib.loads(text), {"PW": "x"})
    assert [e.key for e in config.events] == ["a", "b"] and config.event.key == "a"
    assert config.event_by_key("b").date == dt.date(2027, 1, 20)
