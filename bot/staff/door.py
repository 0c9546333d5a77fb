"""Check-in at the door: who is expected, who is here, and people who come without signing up.

In: the runtime, an event, and what staff at the door do: look someone up, mark them present
(or take that back), add a walk-in (name, party, e-mail), with the staff member's name. Out:
the :class:`Door` (the registered and the wait-listed by surname, each with whether and when
they came, and the counts), the attendee rows changed with an audit entry, and a Dutch result
line.

Marking sets a state, it never toggles: the button says "aanwezig" or "niet aanwezig", so two
phones that tap the same person at once both leave them present, and neither undoes the other.
A walk-in is a registered, present attendee even when every seat is taken (the capacity rule is
for sign-ups, not for people at the door); one whose address is already on the list is that
person checked in. Nobody gets mail from the door.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from bot.config.types import EventConfig
from bot.errors import ActionRefused
from bot.register import lifecycle
from bot.runtime import Runtime
from bot.staff import team
from bot.staff.accounts import checked_address
from bot.staff.names import sort_key
from bot.store.db import writer
from bot.store.models import Attendee, AttendeeStatus, utcnow

MAX_NAME = 120  # characters of a walk-in's name or party


@dataclass(frozen=True)
class DoorRow:
    id: int
    name: str
    party: str
    status: AttendeeStatus
    present_at: dt.datetime | None
    walk_in: bool


@dataclass(frozen=True)
class Door:
    expected: list[DoorRow]     # registered (walk-ins too), by surname
    waitlisted: list[DoorRow]   # shown apart: they may be let in when someone does not come

    @property
    def present(self) -> int:
        return sum(row.present_at is not None for row in self.expected + self.waitlisted)


def door(rt: Runtime, event: EventConfig) -> Door:
    """Everyone the door may see for ``event``, by surname."""
    with Session(rt.engine) as session:
        rows = session.exec(select(Attendee).where(
            Attendee.event == event.key, Attendee.status.in_(
                [AttendeeStatus.REGISTERED, AttendeeStatus.WAITLISTED]))).all()
    shown = sorted((DoorRow(a.id, a.name or a.email or "", a.party or "", a.status,
                            a.present_at, a.walk_in) for a in rows),
                   key=lambda row: (sort_key(row.name), row.id))
    return Door([r for r in shown if r.status is AttendeeStatus.REGISTERED],
                [r for r in shown if r.status is AttendeeStatus.WAITLISTED])


def mark(rt: Runtime, event: EventConfig, attendee_id: int, present: bool, *, by: str) -> str:
    """Mark the attendee present (``present``) or not; a mark already made stays as it is."""
    now = utcnow()
    with Session(writer(rt.engine)) as session:
        attendee = session.get(Attendee, attendee_id, with_for_update=True)
        if attendee is None or attendee.event != event.key or attendee.status not in (
                AttendeeStatus.REGISTERED, AttendeeStatus.WAITLISTED):
            raise ActionRefused("Deze deelnemer staat niet op de lijst.")
        who = attendee.name or attendee.email or f"#{attendee.id}"
        if (attendee.present_at is not None) == present:
            return f"{who} was al {'aanwezig' if present else 'niet aanwezig'}."
        attendee.present_at, attendee.present_by = (now, by) if present else (None, None)
        attendee.updated_at = now
        session.add(attendee)
        team.audit(session, by, "door_present" if present else "door_absent",
                   f"attendee #{attendee.id}", now)
        session.commit()
    return f"{who} is {'aanwezig' if present else 'niet aanwezig'}."


def walk_in(rt: Runtime, event: EventConfig, *, name: str, party: str, email: str,
            by: str) -> str:
    """Add someone who came without signing up, present; an address already on the list is
    that person, checked in (and registered, if they were not)."""
    name, party = " ".join(name.split())[:MAX_NAME], " ".join(party.split())[:MAX_NAME]
    address = checked_address(email)
    if not name:
        raise ActionRefused("Vul de naam in.")
    now = utcnow()
    with Session(writer(rt.engine)) as session:
        lifecycle.lock_event(session, event)  # as every change of the list does
        attendee = lifecycle.find_attendee(session, event, address) if address else None
        if attendee is None:
            attendee = Attendee(event=event.key, email=address, name=name, party=party or None,
                                status=AttendeeStatus.REGISTERED, walk_in=True)
        attendee.status = AttendeeStatus.REGISTERED  # at the door: in, whatever the seats
        attendee.present_at, attendee.present_by, attendee.updated_at = now, by, now
        session.add(attendee)
        session.flush()
        team.audit(session, by, "door_walk_in", f"attendee #{attendee.id}", now)
        session.commit()
    return f"{name} is toegevoegd en aanwezig."
