"""Several events: which one a message is about (bot/judge/events.py), table-driven."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.config.types import EventConfig
from bot.judge.events import choose_event


def event(name: str, date: str, venue: str, **kw) -> EventConfig:
    return EventConfig(name=name, date=dt.date.fromisoformat(date), start=dt.time(19),
                       end=dt.time(21, 30), venue=venue, address="-", capacity=40, **kw)


HAAG = event("Masterclass Kinderrechten", "2026-11-25", "Nieuwspoort")
UTRECHT = event("Masterclass Kinderrechten Utrecht", "2027-01-20", "Stadhuis Utrecht")
ONLINE = event("Webinar Jeugdzorg", "2027-02-03", "online", id="webinar-2027")
ALL = (HAAG, UTRECHT, ONLINE)


@pytest.mark.parametrize(("subject", "text", "quoted", "expected", "reason"), [
    ("Aanmelding masterclass kinderrechten", "Graag meld ik mij aan.", "", HAAG, "event_named"),
    ("Aanmelding", "Ik kom graag naar de Masterclass Kinderrechten Utrecht.", "", UTRECHT,
     "event_named"),
    ("Aanmelding", "Ik meld me aan voor 20 januari.", "", UTRECHT, "event_named"),
    ("Registration", "I would like to attend on November 25th.", "", HAAG, "event_named"),
    ("Aanmelding", "Graag aanmelden voor 25-11.", "", HAAG, "event_named"),
    ("Aanmelding", "Ik schrijf me in voor het webinar jeugdzorg", "", ONLINE, "event_named"),
    ("Re: Uitnodiging", "Ik kom graag.", "> Masterclass Kinderrechten Utrecht, 20 januari",
     UTRECHT, "event_named"),
    ("Aanmelding", "Ik kom graag naar de masterclass.", "", None, "event_unclear"),
    ("Aanmelding", "Ik kom graag op 25 november en op 20 januari.", "", None,
     "several_events_named"),
    ("Aanmelding", "Ik meld me aan voor 2-11.", "", None, "event_unclear"),  # not 25-11
])
def test_the_event_a_message_names(subject, text, quoted, expected, reason):
    choice = choose_event(ALL, subject=subject, new_text=text, full_text=quoted)
    assert (choice.event, choice.reason) == (expected, reason)


def test_with_one_event_every_message_is_about_it():
    choice = choose_event((UTRECHT,), subject="Vraag", new_text="Hoe laat begint het?")
    assert choice.event is UTRECHT and choice.reason == ""
