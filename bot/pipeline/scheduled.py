"""Mail the bot sends on its own schedule: event updates, reminders, and held replies.

In: a :class:`~bot.runtime.Runtime` and the time. Out: rendered mails in the outbox (sent by
the next flush) and the number queued. Both are idempotent through the outbox's unique keys,
so a worker that restarts, or two that run at once, send each mail once:

- **event updates**: when the configured date, times or venue differ from what attendees were
  told, the event's SEQUENCE goes up and every confirmed attendee gets the new details with an
  updated calendar invite (key ``event_updated:<attendee>:seq<N>``);
- **reminders**: from ``reminder_hours_before`` the event starts until it starts, every confirmed
  attendee gets one reminder (key ``reminder:<attendee>:once``); walk-ins and whoever is checked
  in at the door get neither reminders nor updates (bot.staff.door);
- **held replies**: replies a reply limit held back go out once it allows them
  (:func:`bot.outbound.limits.release_held`; they are counted in the number returned);
- **notices to staff** about new work, as each staff member chose (bot.staff.notify).
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlmodel import Session, select

from bot.config.types import EventConfig
from bot.outbound.limits import release_held
from bot.outbound.reply import Purpose
from bot.register.lifecycle import Notice, event_fingerprint, lock_event
from bot.register.record import queue_new_mail
from bot.runtime import Runtime
from bot.staff.notify import tell_staff
from bot.store.db import writer
from bot.store.models import Attendee, AttendeeStatus

log = logging.getLogger(__name__)


def queue_scheduled_mail(rt: Runtime, now: dt.datetime) -> int:
    """Queue due event updates and reminders of every event, release held replies whose
    limit allows them now, and queue due notices to staff; return how many were queued."""
    return release_held(rt.engine, rt.config.limits, now) + sum(
        queue_event_updates(rt, event, now) + queue_reminders(rt, event, now)
        for event in rt.config.events) + tell_staff(rt, now)


def queue_event_updates(rt: Runtime, event: EventConfig, now: dt.datetime) -> int:
    with Session(writer(rt.engine)) as session:
        state = lock_event(session, event)
        fingerprint = event_fingerprint(event)
        if state.fingerprint == fingerprint:
            return 0
        state.sequence += 1
        state.fingerprint = fingerprint
        session.add(state)
        log.warning("event details changed: sending update %d to confirmed attendees",
                    state.sequence)
        queued = _queue_for_registered(session, rt, event, Purpose.EVENT_UPDATED,
                                       f"seq{state.sequence}", now)
        session.commit()
    return queued


def queue_reminders(rt: Runtime, event: EventConfig, now: dt.datetime) -> int:
    due = event.starts_at - dt.timedelta(hours=event.reminder_hours_before)
    if not due <= now < event.starts_at:
        return 0
    with Session(writer(rt.engine)) as session:
        queued = _queue_for_registered(session, rt, event, Purpose.REMINDER, "once", now)
        session.commit()
    if queued:
        log.info("queued %d reminders", queued)
    return queued


def _queue_for_registered(session: Session, rt: Runtime, event: EventConfig, purpose: Purpose,
                          suffix: str, now: dt.datetime) -> int:
    attendees = session.exec(select(Attendee).where(  # not whoever came in at the door
        Attendee.event == event.key, Attendee.status == AttendeeStatus.REGISTERED,
        Attendee.email.is_not(None), Attendee.walk_in.is_(False),
        Attendee.present_at.is_(None)).order_by(Attendee.id)).all()
    notices = [Notice(purpose=purpose, attendee_id=a.id) for a in attendees]
    return queue_new_mail(session, notices, rt.config, rt.templates, key_suffix=suffix, now=now)
