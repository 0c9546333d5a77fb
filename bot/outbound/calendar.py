"""Calendar invites (.ics) for confirmations, updates and cancellations. Pure.

In: the event's configuration and one attendee's invite identity. Out: the bytes of an
iCalendar object made with the icalendar library: ``METHOD:REQUEST`` for an invitation or
update, ``METHOD:CANCEL`` when the attendee cancels. The UID is stable per attendee and
event, so Outlook and Google Calendar update one entry instead of adding a second; SEQUENCE
goes up with every change. Times are local Europe/Amsterdam with a VTIMEZONE, as Outlook needs.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from bot.config.types import EventConfig


@dataclass(frozen=True)
class Invite:
    uid: str
    sequence: int
    method: str            # "REQUEST" or "CANCEL"
    attendee_email: str
    attendee_name: str | None


def invite_uid(event: EventConfig, attendee_id: int, domain: str) -> str:
    return f"{event.key}-attendee-{attendee_id}@{domain}"


def make_invite(event: EventConfig, invite: Invite, *, organizer: str, organizer_name: str,
                now: dt.datetime) -> bytes:
    """The .ics for ``invite``; ``now`` is its DTSTAMP. What every attendee's invite shares
    (the calendar's head with the VTIMEZONE, the event's time, place and organizer) is built
    once per event and method (:func:`_shared`); only the attendee's own lines are built here."""
    calendar_head, event_lines = _shared(event, invite.method, organizer, organizer_name)
    own = Event()
    own.add("uid", invite.uid)
    own.add("sequence", invite.sequence)
    own.add("dtstamp", now.astimezone(dt.UTC))
    guest = vCalAddress(f"mailto:{invite.attendee_email}")
    if invite.attendee_name:
        guest.params["cn"] = vText(invite.attendee_name)
    guest.params["role"] = vText("REQ-PARTICIPANT")
    guest.params["partstat"] = vText("ACCEPTED")
    own.add("attendee", guest)
    return b"".join((calendar_head, b"BEGIN:VEVENT\r\n", _inside(own), event_lines,
                     b"END:VEVENT\r\nEND:VCALENDAR\r\n"))


@functools.lru_cache(maxsize=64)  # events x methods x organizers: a handful
def _shared(event: EventConfig, method: str, organizer: str, organizer_name: str
            ) -> tuple[bytes, bytes]:
    """The content lines every invite of ``event`` with ``method`` shares: the calendar's head
    up to its VTIMEZONE (before the event, as Outlook wants it), and the event's own lines."""
    zone = ZoneInfo(event.timezone)
    cal = Calendar()
    cal.add("prodid", "-//Kinderrechtencollectief//inbox-bot//NL")
    cal.add("version", "2.0")
    cal.add("method", method)
    cal.add_component(_timezone(event.timezone, event.date.year))
    entry = Event()
    entry.add("dtstart", dt.datetime.combine(event.date, event.start, tzinfo=zone))
    entry.add("dtend", dt.datetime.combine(event.date, event.end, tzinfo=zone))
    entry.add("summary", event.name)
    entry.add("location", vText(f"{event.venue}, {event.address}"))
    entry.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    entry.add("transp", "OPAQUE")
    owner = vCalAddress(f"mailto:{organizer}")
    owner.params["cn"] = vText(organizer_name)
    entry.add("organizer", owner)
    whole = cal.to_ical()
    assert whole.endswith(b"END:VCALENDAR\r\n"), "icalendar ends a calendar otherwise now"
    return whole.removesuffix(b"END:VCALENDAR\r\n"), _inside(entry)


def _inside(component: Event) -> bytes:
    """A component's content lines without its BEGIN and END lines."""
    return b"".join(component.to_ical().splitlines(keepends=True)[1:-1])


@functools.cache
def _timezone(tzid: str, year: int) -> Timezone:
    """The VTIMEZONE for the event's year (and the next): a few lines instead of 1970-2038,
    built once per process (it was most of the cost of a confirmation)."""
    return Timezone.from_tzid(tzid, first_date=dt.date(year - 1, 1, 1),
                              last_date=dt.date(year + 2, 1, 1))
