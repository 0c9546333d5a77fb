"""Which event a message is about, when the collective runs several (``[[event]]`` in the config).

In: the message's subject, its new text and its full text (quotes included), and the configured
events. Out: an :class:`EventChoice`: the event, or none with the reason staff will see. Pure.

With one event every message is about it. With several, a message names an event by its name (or
``id``), its date (``25 november``, ``November 25``, ``25-11``, ``25/11``, ``2025-11-25``) or its
venue; the subject and new text are read first, then the quoted text (a reply to one event's
invitation quotes that invitation). An event is chosen only when exactly one event is named most
strongly; otherwise the message goes to staff (``event_unclear`` when none is named,
``several_events_named`` when more than one is). The decide stage
(:func:`bot.register.decide.event_of`) adds one more rule that needs the database: a cancellation
that names no event is about the one event the sender is registered for, if there is exactly one.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from bot import linear
from bot.config.types import EventConfig

MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
             "september", "oktober", "november", "december")
MONTHS_EN = ("january", "february", "march", "april", "may", "june", "july", "august",
             "september", "october", "november", "december")
NAME, DATE, VENUE = 3, 2, 1  # how strongly a mention names an event


@dataclass(frozen=True)
class EventChoice:
    event: EventConfig | None
    reason: str = ""  # empty when there is only one event


def choose_event(events: Sequence[EventConfig], *, subject: str, new_text: str,
                 full_text: str = "") -> EventChoice:
    """The event a message is about, or none (and why) when that is not clear."""
    if len(events) == 1:
        return EventChoice(events[0])
    for text in (f"{subject}\n{new_text}", full_text):
        scores = {event.key: score(event, events, text) for event in events}
        best = max(scores.values())
        if best == 0:
            continue
        winners = [e for e in events if scores[e.key] == best]
        if len(winners) == 1:
            return EventChoice(winners[0], "event_named")
        return EventChoice(None, "several_events_named")
    return EventChoice(None, "event_unclear")


def score(event: EventConfig, events: Sequence[EventConfig], text: str) -> int:
    """How strongly ``text`` names ``event``: its name counts most, then its date, its venue.

    A name that is part of another event's longer name ("Masterclass Kinderrechten" inside
    "Masterclass Kinderrechten Utrecht") counts only where the longer one is not written.
    """
    folded = " ".join(text.casefold().split())
    total = 0
    names = [n for n in (event.name, event.id) if n]
    longer = [o.name.casefold() for o in events
              if o is not event and event.name.casefold() in o.name.casefold()]
    for name in names:
        name = name.casefold()
        without = folded
        for other in longer:
            without = without.replace(other, " ")
        if _contains(without, name):
            total += NAME
            break
    if any(_pattern(pattern).search(folded) for pattern in date_patterns(event)):
        total += DATE
    if _contains(folded, event.venue.casefold()) and not any(
            o.venue.casefold() == event.venue.casefold() for o in events if o is not event):
        total += VENUE
    return total


def date_patterns(event: EventConfig) -> list[str]:
    """Regular expressions for the ways people write the event's date."""
    d = event.date
    day = rf"0?{d.day}"
    return [
        rf"\b{day}(?:e|st|nd|rd|th)? (?:{MONTHS_NL[d.month - 1]}|{MONTHS_EN[d.month - 1]})\b",
        rf"\b{MONTHS_EN[d.month - 1]} {day}(?:st|nd|rd|th)?\b",
        rf"(?:^|[^\d/-]){day}[-/.]0?{d.month}(?:[-/.](?:{d.year}|{d.year % 100}))?(?:$|[^\d/-])",
        rf"\b{d.isoformat()}\b",
    ]


def _contains(text: str, phrase: str) -> bool:
    return _pattern(rf"(?:^|\W){linear.escape(phrase)}(?:$|\W)").search(text) is not None


@functools.cache
def _pattern(source: str):
    """A compiled linear-time pattern; the few per event are compiled once."""
    return linear.compile(source)
