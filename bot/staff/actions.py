"""What staff do to attendees: cancel, promote from the waiting list, approve a sign-up.

In: a :class:`~bot.runtime.Runtime`, an attendee's address and who acts. Out: a one-line
result in Dutch for the person who asked, and the same mails the automatic path sends (through the
outbox), and an audit entry saying who did it. The CLI (``inbox-bot cancel|promote|approve``)
and the desk's attendee page call these same functions. Each action is one transaction under
the event's lock, so it cannot race the worker.
"""

from __future__ import annotations

import logging

from sqlmodel import Session

from bot.errors import ActionRefused
from bot.register import lifecycle
from bot.register.lifecycle import Notice
from bot.register.record import queue_new_mail
from bot.runtime import Runtime
from bot.staff import team
from bot.staff.words import label
from bot.store.db import writer
from bot.store.models import AttendeeStatus, utcnow

log = logging.getLogger(__name__)


def cancel_attendee(rt: Runtime, email: str, *, by: str, event_key: str | None = None) -> str:
    """Cancel a registration or waiting-list place; the next on the list is promoted."""
    with Session(writer(rt.engine)) as session:
        attendee, event = _find(session, rt, email, event_key)
        if attendee.status == AttendeeStatus.CANCELLED:
            raise ActionRefused(f"{email} is al afgemeld.")
        notices = lifecycle.cancel(session, event, attendee)
        queue_notices(session, rt, notices, by)
        team.audit(session, by, "attendee_cancel", f"attendee #{attendee.id}", utcnow())
        session.commit()
    promoted = len(notices) - 1
    return f"{email} is afgemeld" + (f"; {promoted} van de wachtlijst geplaatst." if promoted
                                     else ".")


def promote_attendee(rt: Runtime, email: str, *, by: str, event_key: str | None = None) -> str:
    """Give a wait-listed (or pending) person a free seat, with a confirmation."""
    with Session(writer(rt.engine)) as session:
        attendee, event = _find(session, rt, email, event_key)
        if attendee.status not in (AttendeeStatus.WAITLISTED, AttendeeStatus.PENDING_REVIEW):
            raise ActionRefused(f"{email} is {label(attendee.status, 'attendee')}, niet op de "
                                "wachtlijst of wachtend op beoordeling.")
        if lifecycle.seats_taken(session, event) >= event.capacity:
            raise ActionRefused(f"Er is geen plaats vrij ({event.capacity} plaatsen).")
        queue_notices(session, rt, [lifecycle.give_seat(session, attendee)], by)
        team.audit(session, by, "attendee_promote", f"attendee #{attendee.id}", utcnow())
        session.commit()
    return f"{email} is ingeschreven."


def approve_attendee(rt: Runtime, email: str, *, by: str, event_key: str | None = None) -> str:
    """Approve a pending sign-up: a seat, or the waiting list when full."""
    with Session(writer(rt.engine)) as session:
        attendee, event = _find(session, rt, email, event_key)
        if attendee.status != AttendeeStatus.PENDING_REVIEW:
            raise ActionRefused(f"{email} is {label(attendee.status, 'attendee')}, niet "
                                "wachtend op beoordeling.")
        _, notice = lifecycle.register(session, event, email=attendee.email)
        queue_notices(session, rt, [notice], by)
        team.audit(session, by, "attendee_approve", f"attendee #{attendee.id}", utcnow())
        session.commit()
        return f"{email} is {label(attendee.status, 'attendee')}."


# the actions by the name the command line and the desk's buttons use
ACTIONS = {"cancel": cancel_attendee, "promote": promote_attendee, "approve": approve_attendee}


def _find(session: Session, rt: Runtime, email: str, event_key: str | None):
    """The attendee row of ``email`` for ``event_key``, or for the one event they are on, read
    under the events' locks (a second click on the same button sees the first one's result)."""
    events = [rt.config.event_by_key(event_key)] if event_key else list(rt.config.events)
    lifecycle.lock_events(session, events)
    found = [(a, e) for e in events if (a := lifecycle.find_attendee(session, e, email))]
    if not found:
        raise ActionRefused(f"Geen deelnemer met adres {email}.")
    if len(found) > 1:
        raise ActionRefused(f"{email} staat bij meer dan één bijeenkomst "
                            f"({', '.join(e.key for _, e in found)}): zeg welke (--event).")
    return found[0]


def queue_notices(session: Session, rt: Runtime, notices: list[Notice], by: str) -> None:
    """Queue the mails for ``notices`` as new messages (not replies), with staff-unique keys."""
    now = utcnow()
    queue_new_mail(session, notices, rt.config, rt.templates,
                   key_suffix=f"staff-{now:%Y%m%d%H%M%S%f}", now=now)
    for notice in notices:
        log.info("staff %s: %s for attendee #%s", by, notice.purpose, notice.attendee_id)
