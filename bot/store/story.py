"""What the overview tells: sign-ups per day, the turnout, and the last things the bot and staff
did.

In: the database engine, the event's key and time zone. Out: :class:`Day` values (the
sign-ups of each day, by their status now: :func:`sign_ups_per_day`), the :class:`Turnout`
(registered, present, no-shows, walk-ins: :func:`turnout`; counted from the attendee rows,
which the retention purge keeps without their names) and :class:`Done` values (the latest
messages the bot handled and actions staff took, newest first, each with the page it is about:
:func:`recent`). Reads only; no addresses or subjects in what it returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.store.desk_models import AuditEntry
from bot.store.models import Attendee, AttendeeStatus, InboundMessage

RECENT = 20
_PAGES = {"question": "/vragen/{}", "message": "/berichten/{}", "attendee": "/deelnemers",
          "outbound": "/uitgaand"}


@dataclass(frozen=True)
class Turnout:
    registered: int  # walk-ins included
    present: int     # checked in at the door
    no_shows: int    # registered, not checked in
    walk_ins: int


def turnout(engine: Engine, event_key: str) -> Turnout:
    """The event's turnout, from its registered attendees (whoever the door let in is one)."""
    with Session(engine) as session:
        registered = session.exec(select(Attendee.present_at, Attendee.walk_in).where(
            Attendee.event == event_key, Attendee.status == AttendeeStatus.REGISTERED)).all()
    came = sum(present_at is not None for present_at, _ in registered)
    return Turnout(len(registered), came, len(registered) - came,
                   sum(bool(walk_in) for _, walk_in in registered))


@dataclass(frozen=True)
class Day:
    """The sign-ups of one day, by their status now."""

    day: dt.date
    registered: int = 0
    waitlisted: int = 0
    cancelled: int = 0


@dataclass(frozen=True)
class Done:
    """One thing done: a message the bot handled, or an action a staff member took."""

    at: dt.datetime
    by_bot: bool
    who: str        # the staff member (empty for the bot)
    what: str       # a message's kind (the bot) or an audit action (staff)
    status: str     # what became of the message (the bot); empty for staff
    link: str       # the page it is about


def sign_ups_per_day(engine: Engine, event_key: str, zone: ZoneInfo) -> list[Day]:
    """Each local day with sign-ups for the event, oldest first; a sign-up that waits for
    staff (pending review) is not counted until it is decided."""
    with Session(engine) as session:
        rows = session.exec(select(Attendee.created_at, Attendee.status).where(
            Attendee.event == event_key,
            col(Attendee.status) != AttendeeStatus.PENDING_REVIEW)).all()
    days: dict[dt.date, dict[str, int]] = {}
    for created, status in rows:
        counts = days.setdefault(created.astimezone(zone).date(), {})
        counts[str(status)] = counts.get(str(status), 0) + 1
    return [Day(day, counts.get(AttendeeStatus.REGISTERED, 0),
                counts.get(AttendeeStatus.WAITLISTED, 0), counts.get(AttendeeStatus.CANCELLED, 0))
            for day, counts in sorted(days.items())]


def recent(engine: Engine, limit: int = RECENT) -> list[Done]:
    """The latest messages the bot recorded (handled, or put before staff) and actions staff
    took, newest first."""
    with Session(engine) as session:
        handled = session.exec(select(InboundMessage.id, InboundMessage.received_at,
                                      InboundMessage.kind, InboundMessage.status)
                               .order_by(col(InboundMessage.id).desc()).limit(limit)).all()
        actions = session.exec(select(AuditEntry.at, AuditEntry.user, AuditEntry.action,
                                      AuditEntry.target)
                               .order_by(col(AuditEntry.id).desc()).limit(limit)).all()
    done = [Done(at, True, "", kind or "", str(status), f"/berichten/{number}")
            for number, at, kind, status in handled]
    done += [Done(at, False, user, action, "", _page_of(target))
             for at, user, action, target in actions]
    return sorted(done, key=lambda d: d.at, reverse=True)[:limit]


def _page_of(target: str) -> str:
    """The desk's page for an audit target such as ``question #12``."""
    kind, _, number = target.partition(" #")
    page = _PAGES.get(kind)
    return page.format(number) if page and number.isdigit() else ""
