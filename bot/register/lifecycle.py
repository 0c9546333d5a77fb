"""The registration lifecycle: seats, waiting list, cancellation and promotion.

In: a database session (the caller's transaction), the event's configuration, and who signs up
or cancels. Out: changed :class:`~bot.store.models.Attendee` rows and :class:`Notice` values saying
who must be told what; the caller turns notices into replies in the same transaction. The mail
pipeline and the staff commands both go through these functions, so a cancellation by email and
one by staff free the seat and promote the next person the same way.

Seats: every change first locks the event's row (:func:`lock_event`: ``SELECT ... FOR UPDATE``
on PostgreSQL; on SQLite the transaction already holds the write lock), so never more attendees
are confirmed than ``capacity``, also with several workers (staff at the door may let more in:
bot.staff.door). Only the first lock per transaction
goes to the database: the session remembers it until the transaction ends (a listener on every
SQLAlchemy session, installed when this module is imported, forgets it then). The waiting list
is first come, first served (by sign-up time).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from bot.config.types import EventConfig
from bot.outbound.reply import Purpose
from bot.store.db import count
from bot.store.models import Attendee, AttendeeStatus, EventState, utcnow

LIVE = (AttendeeStatus.REGISTERED, AttendeeStatus.WAITLISTED)
_LOCKED = "inbox_bot.locked_events"  # session.info: the events locked by this transaction


@dataclass(frozen=True, kw_only=True)
class Notice:
    """Tell ``attendee_id`` (0: nobody's row changed) about ``purpose``; ``in_reply`` when it
    answers the inbound mail, else it is a new mail to the attendee's address."""

    purpose: Purpose
    attendee_id: int
    in_reply: bool = True
    promoted: bool = False           # a seat came free and they moved up from the waiting list
    position: int = 0                # their place on the waiting list
    colleagues: tuple[str, ...] = () # names the sender signed up too, passed on to staff
    key_suffix: str | None = None    # ends the outbox key of a new mail (once per suffix)


@dataclass(frozen=True, kw_only=True)
class Person:
    """What a sign-up says about the person; an empty field leaves the row's value as it is."""

    name: str | None = None
    party: str | None = None
    notes: str | None = None
    language: str | None = None
    on_behalf_of: str | None = None  # who signed them up, when it was someone else
    source_message_id: int | None = None


@dataclass(frozen=True)
class Found:
    """What was looked up about a sender under the event's lock in this transaction (by
    :func:`bot.register.decide.decide`), so that a sign-up does not look again: their row
    (None: there is none) and the seats taken (None: not counted)."""

    attendee: Attendee | None
    seats_taken: int | None = None


def event_fingerprint(event: EventConfig) -> str:
    """What attendees were told: a change of any of these sends them an update."""
    return "|".join((event.date.isoformat(), event.start.isoformat(), event.end.isoformat(),
                     event.venue, event.address))


def ensure_event(session: Session, event: EventConfig) -> EventState:
    """The event's row, created on first use (at start-up, before workers race for it)."""
    state = session.exec(select(EventState).where(EventState.key == event.key)).first()
    if state is None:
        state = EventState(key=event.key, fingerprint=event_fingerprint(event))
        session.add(state)
        session.flush()
    return state


def lock_event(session: Session, event: EventConfig) -> EventState:
    """Lock the event's row for the rest of the transaction; seat changes happen under it.
    Locked once per transaction: the lock is remembered until the transaction ends (not when
    taken inside a savepoint, whose rollback would release it on PostgreSQL)."""
    locked = session.info.setdefault(_LOCKED, {})
    if event.key in locked:
        return locked[event.key]
    state = session.exec(select(EventState).where(EventState.key == event.key)
                         .with_for_update()).first()
    state = state if state is not None else ensure_event(session, event)
    if not session.in_nested_transaction():
        locked[event.key] = state
    return state


@sa_event.listens_for(OrmSession, "after_transaction_end")
def _forget_locks(session: OrmSession, transaction) -> None:
    """The transaction ended, and its locks with it: forget them. (SQLModel's ``Session`` is
    SQLAlchemy's, so the listener is on SQLAlchemy's class: every session gets it.)"""
    if transaction.parent is None:  # the transaction itself ended, not a savepoint in it
        session.info.pop(_LOCKED, None)


def lock_events(session: Session, events) -> None:
    """Lock every event's row, always in the order of their keys, so that two workers that
    each need several never wait for each other in a circle."""
    for event in sorted(events, key=lambda e: e.key):
        lock_event(session, event)


def find_attendee(session: Session, event: EventConfig, email: str | None) -> Attendee | None:
    if not email:
        return None
    return session.exec(select(Attendee).where(Attendee.event == event.key,
                                               Attendee.email == email.lower())).first()


def seats_taken(session: Session, event: EventConfig) -> int:
    return count(session, select(Attendee.id).where(
        Attendee.event == event.key, Attendee.status == AttendeeStatus.REGISTERED))


def waitlist_position(session: Session, attendee: Attendee) -> int:
    return count(session, select(Attendee.id).where(
        Attendee.event == attendee.event, Attendee.status == AttendeeStatus.WAITLISTED,
        Attendee.created_at <= attendee.created_at, Attendee.id <= attendee.id))


def upsert_attendee(session: Session, event: EventConfig, *, email: str | None,
                    status: AttendeeStatus, person: Person = Person(),
                    found: Found | None = None) -> Attendee:
    """The attendee with ``email`` (or a new one; ``found``: the caller looked it up already)
    with ``status`` and what ``person`` says. A sign-up that waits for review never takes a
    seat or waiting-list place away."""
    attendee = found.attendee if found is not None else find_attendee(session, event, email)
    if attendee is None:
        attendee = Attendee(event=event.key, email=email.lower() if email else None,
                            status=status)
    if not (status == AttendeeStatus.PENDING_REVIEW and attendee.status in LIVE):
        attendee.status = status
    attendee.name = person.name or attendee.name
    attendee.party = person.party or attendee.party
    attendee.notes = person.notes or attendee.notes
    attendee.language = person.language or attendee.language
    attendee.on_behalf_of = person.on_behalf_of or attendee.on_behalf_of
    attendee.source_message_id = person.source_message_id or attendee.source_message_id
    attendee.updated_at = utcnow()
    session.add(attendee)
    session.flush()
    return attendee


def register(session: Session, event: EventConfig, *, email: str | None,
             person: Person = Person(), found: Found | None = None
             ) -> tuple[Attendee, Notice]:
    """Give the person a seat, or a place on the waiting list when the event is full
    (``found``: what the caller looked up about ``email`` and the seats, under the lock)."""
    lock_event(session, event)
    taken = found.seats_taken if found and found.seats_taken is not None else (
        seats_taken(session, event))
    status = AttendeeStatus.WAITLISTED if taken >= event.capacity else AttendeeStatus.REGISTERED
    attendee = upsert_attendee(session, event, email=email, status=status, person=person,
                               found=found)
    if attendee.status == AttendeeStatus.WAITLISTED:
        return attendee, Notice(purpose=Purpose.WAITLISTED, attendee_id=attendee.id,
                                position=waitlist_position(session, attendee))
    return attendee, Notice(purpose=Purpose.REGISTRATION_CONFIRMED, attendee_id=attendee.id)


def cancel(session: Session, event: EventConfig, attendee: Attendee) -> list[Notice]:
    """Cancel ``attendee``; a freed seat goes to the first on the waiting list."""
    lock_event(session, event)
    had_seat = attendee.status == AttendeeStatus.REGISTERED
    attendee.status, attendee.updated_at = AttendeeStatus.CANCELLED, utcnow()
    session.add(attendee)
    session.flush()
    notices = [Notice(purpose=Purpose.CANCELLATION_CONFIRMED, attendee_id=attendee.id)]
    promoted = promote_next(session, event) if had_seat else None
    return notices if promoted is None else [*notices, promoted]


def promote_next(session: Session, event: EventConfig) -> Notice | None:
    """Move the first wait-listed person to a free seat, if there is one; return what they
    must be told."""
    lock_event(session, event)
    if seats_taken(session, event) >= event.capacity:
        return None
    first = session.exec(select(Attendee).where(
        Attendee.event == event.key, Attendee.status == AttendeeStatus.WAITLISTED)
        .order_by(Attendee.created_at, Attendee.id)).first()
    return give_seat(session, first) if first is not None else None


def give_seat(session: Session, attendee: Attendee) -> Notice:
    """``attendee`` takes a seat (from the waiting list or the review queue); the notice is
    their confirmation, a new mail that says they moved up when they were on the waiting
    list."""
    promoted = attendee.status == AttendeeStatus.WAITLISTED
    attendee.status, attendee.updated_at = AttendeeStatus.REGISTERED, utcnow()
    session.add(attendee)
    session.flush()
    return Notice(purpose=Purpose.REGISTRATION_CONFIRMED, attendee_id=attendee.id,
                  in_reply=False, promoted=promoted)
