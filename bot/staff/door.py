"""Check-in at the door: who is expected, who is here, and people who come without signing up.

In: the runtime, an event, and what staff at the door do: look someone up, mark them present
(or take that back), add a walk-in (name, party, e-mail), with the staff member's name. Out:
the :class:`Door` (the registered and the wait-listed by surname, each with whether and when
they came, and the counts), the attendee rows changed with an audit entry, and a Dutch result
line.

Marking sets a state, it never toggles: the button says "aanwezig" or "niet aanwezig", so two
phones that tap the same person at once both leave them present, and neither undoes the other.
Someone from the waiting list who is let in gets a seat (registered), without mail; taking a
check-in back gives back the status they had (the audit entry of the check-in keeps it). A
walk-in is a registered, present attendee even when every seat is taken: the capacity rule is
for sign-ups (:mod:`bot.register.lifecycle`), not for people at the door. A walk-in whose
address is on the list already is that person (the result line names them and what they were),
and the same name and party added twice within :data:`SAME_WALK_IN` is one person. Every
change locks the event's row first, as every change of the list does. Nobody gets mail from the
door, then or later: the scheduled reminders and updates leave out walk-ins and whoever is
present (bot.pipeline.scheduled).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from bot.config.types import EventConfig
from bot.errors import ActionRefused
from bot.outbound.reply import clean_header
from bot.register import lifecycle
from bot.runtime import Runtime
from bot.staff import team
from bot.staff.accounts import checked_address
from bot.staff.names import sort_key
from bot.staff.words import label
from bot.store.db import writer
from bot.store.desk_models import AuditEntry
from bot.store.models import Attendee, AttendeeStatus, utcnow

MAX_NAME = 120  # characters of a walk-in's name or party
SAME_WALK_IN = dt.timedelta(minutes=2)  # the same walk-in (name, party) this soon: a double tap


@dataclass(frozen=True)
class DoorRow:
    id: int
    name: str
    party: str
    status: AttendeeStatus
    present_at: dt.datetime | None
    walk_in: bool

    @property
    def search_text(self) -> str:
        """What a search at the door looks in (the page's form and its script alike)."""
        return f"{self.name} {self.party}".lower()


@dataclass(frozen=True)
class Door:
    expected: list[DoorRow]     # registered (walk-ins too), by surname
    waitlisted: list[DoorRow]   # shown apart: they may be let in when someone does not come

    @property
    def present(self) -> int:
        """Checked in: registered (the wait-listed who are let in get a seat)."""
        return sum(row.present_at is not None for row in self.expected)


def door(rt: Runtime, event: EventConfig) -> Door:
    """Everyone the door may see for ``event``, by surname."""
    with Session(rt.engine) as session:
        rows = session.exec(select(Attendee).where(
            Attendee.event == event.key, Attendee.status.in_(lifecycle.LIVE))).all()
    shown = sorted((DoorRow(a.id, a.name or a.email or "", a.party or "", a.status,
                            a.present_at, a.walk_in) for a in rows),
                   key=lambda row: (sort_key(row.name), row.id))
    return Door([r for r in shown if r.status is AttendeeStatus.REGISTERED],
                [r for r in shown if r.status is AttendeeStatus.WAITLISTED])


def mark(rt: Runtime, event: EventConfig, attendee_id: int, present: bool, *, by: str) -> str:
    """Mark the attendee present (``present``) or not; a mark already made stays as it is.
    Someone from the waiting list who comes in gets a seat."""
    now = utcnow()
    with Session(writer(rt.engine)) as session:
        lifecycle.lock_event(session, event)
        attendee = session.get(Attendee, attendee_id)
        if attendee is None or attendee.event != event.key or attendee.status not in lifecycle.LIVE:
            raise ActionRefused("Deze deelnemer staat niet op de lijst.")
        who = _who(attendee)
        if (attendee.present_at is not None) == present:
            return f"{who} was al {'aanwezig' if present else 'niet aanwezig'}."
        was = _check_in(attendee, by, now) if present else _check_out(session, attendee, now)
        session.add(attendee)
        team.audit(session, by, "door_present" if present else "door_absent",
                   f"attendee #{attendee.id}", now, was)
        session.commit()
    return f"{who} is {'aanwezig' if present else 'niet aanwezig'}."


def walk_in(rt: Runtime, event: EventConfig, *, name: str, party: str, email: str,
            by: str) -> str:
    """Add someone who came without signing up, present. An address already on the list is
    that person, checked in (and given a seat whatever they were); the same name and party added
    as a walk-in moments ago is that walk-in."""
    name, party = clean_header(name, limit=MAX_NAME), clean_header(party, limit=MAX_NAME)
    address = checked_address(email)
    if not name:
        raise ActionRefused("Vul de naam in.")
    now = utcnow()
    with Session(writer(rt.engine)) as session:
        lifecycle.lock_event(session, event)
        known = (lifecycle.find_attendee(session, event, address) if address else
                 _recent_walk_in(session, event, name, party or None, now))
        if known is not None and known.present_at is not None:
            return _known(known, by, now)  # nothing changes: no audit entry, which would
            #                                hide the status a check-out gives back
        if known is not None:
            was = known.status
            said = _known(known, by, now)
        else:
            known = Attendee(event=event.key, email=address, name=name, party=party or None,
                             status=AttendeeStatus.REGISTERED, walk_in=True)
            was = _check_in(known, by, now)
            said = f"{name} is toegevoegd en aanwezig."
        session.add(known)
        session.flush()
        team.audit(session, by, "door_walk_in", f"attendee #{known.id}", now, was)
        session.commit()
    return said


def _known(attendee: Attendee, by: str, now: dt.datetime) -> str:
    """Check in someone the list knows; say who they are and what they were."""
    who = _who(attendee)
    if attendee.present_at is not None:
        return f"{who} stond al op de lijst en was al aanwezig."
    was = label(attendee.status, "attendee")
    _check_in(attendee, by, now)
    return f"{who} stond al op de lijst ({was}) en is nu aanwezig."


def _who(attendee: Attendee) -> str:
    return attendee.name or attendee.email or f"#{attendee.id}"


def _check_in(attendee: Attendee, by: str, now: dt.datetime) -> str:
    """Present now, with a seat (the door lets them in; no mail goes out); return the status
    they had, which the audit entry keeps so that a check-out can give it back."""
    was = attendee.status
    attendee.status = AttendeeStatus.REGISTERED
    attendee.present_at, attendee.present_by, attendee.updated_at = now, by, now
    return str(was)


def _check_out(session: Session, attendee: Attendee, now: dt.datetime) -> str:
    """Not present after all: back to the status they had before the door's check-in (a
    mistaken tap must not leave someone from the waiting list with a seat); return it."""
    was = session.exec(select(AuditEntry.detail).where(
        AuditEntry.target == f"attendee #{attendee.id}",
        col(AuditEntry.action).in_(("door_present", "door_walk_in")))
        .order_by(col(AuditEntry.id).desc())).first()
    if was in set(AttendeeStatus) and attendee.walk_in is False:
        attendee.status = AttendeeStatus(was)
    attendee.present_at, attendee.present_by, attendee.updated_at = None, None, now
    return str(attendee.status)


def _recent_walk_in(session: Session, event: EventConfig, name: str, party: str | None,
                    now: dt.datetime) -> Attendee | None:
    """A walk-in of this name and party added within :data:`SAME_WALK_IN` (a double tap, two
    phones); two people of one name from two parties are two."""
    return session.exec(select(Attendee).where(
        Attendee.event == event.key, Attendee.walk_in, Attendee.name == name,
        Attendee.party.is_(None) if party is None else Attendee.party == party,
        Attendee.created_at >= now - SAME_WALK_IN)).first()
