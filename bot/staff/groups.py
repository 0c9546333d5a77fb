"""The people of a group mail: who is in a :class:`~bot.store.desk_models.Group` of an event.

In: a database session, an event and a group. Out: an :class:`Audience`, the people who get the
mail (address, name, the language they wrote in, their attendee row), each address once and in
a stable order, and those left out because a bounce said mail to them fails. Read only.

- *registered*: has a seat (walk-ins with an address too);
- *waitlisted*: on the waiting list;
- *present*: checked in at the door (whatever became of them after);
- *absent*: had a seat and was not checked in (walk-ins came, by definition);
- *wrote*: everyone whose mail about the event our server verified (bot.judge.trust: an
  allowed domain that passed DMARC), apart from automatic mail, what the bot could not read
  and whoever cancelled: a forged sender is not written to. Their language is that of their
  latest mail, their name the one on their attendee row.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from bot.config.types import EventConfig
from bot.store.desk_models import Group
from bot.store.models import Attendee, AttendeeStatus, InboundMessage, MessageStatus


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str | None
    language: str  # the language they wrote in: nl or en (the mail's: announce.reader_language)
    attendee_id: int | None


@dataclass(frozen=True)
class Audience:
    recipients: tuple[Recipient, ...]
    undeliverable: tuple[Recipient, ...]  # left out: a bounce said mail to them fails


def audience(session: Session, event: EventConfig, group: Group) -> Audience:
    """Who in ``group`` of ``event`` gets a mail, and who is left out."""
    found = _writers(session, event) if group is Group.WROTE else [
        (_recipient(row), row.undeliverable) for row in _attendees(session, event, group)]
    seen: set[str] = set()
    kept, left = [], []
    for recipient, undeliverable in found:
        if recipient.address not in seen:
            seen.add(recipient.address)
            (left if undeliverable else kept).append(recipient)
    return Audience(tuple(kept), tuple(left))


def _attendees(session: Session, event: EventConfig, group: Group) -> list[Attendee]:
    where = [Attendee.event == event.key, Attendee.email.is_not(None)]
    if group is Group.REGISTERED:
        where.append(Attendee.status == AttendeeStatus.REGISTERED)
    elif group is Group.WAITLISTED:
        where.append(Attendee.status == AttendeeStatus.WAITLISTED)
    elif group is Group.PRESENT:
        where.append(Attendee.present_at.is_not(None))
    else:  # absent
        where += [Attendee.status == AttendeeStatus.REGISTERED, Attendee.present_at.is_(None),
                  Attendee.walk_in.is_(False)]
    return list(session.exec(select(Attendee).where(*where).order_by(Attendee.id)))


def _writers(session: Session, event: EventConfig) -> list[tuple[Recipient, bool]]:
    """Verified senders of mail about ``event``, in the order they first wrote, with the
    language of their latest mail."""
    latest = (select(InboundMessage.sender, func.min(InboundMessage.id).label("first"),
                     func.max(InboundMessage.id).label("last"))
              .where(InboundMessage.event == event.key, InboundMessage.verified.is_(True),
                     InboundMessage.sender.is_not(None),
                     InboundMessage.status.in_((MessageStatus.PROCESSED,
                                                MessageStatus.NEEDS_REVIEW)))
              .group_by(InboundMessage.sender).subquery())
    rows = session.exec(select(latest.c.sender, InboundMessage.language)
                        .join(InboundMessage, InboundMessage.id == latest.c.last)
                        .order_by(latest.c.first)).all()
    people = {a.email: a for a in session.exec(select(Attendee).where(
        Attendee.event == event.key, Attendee.email.in_([sender for sender, _ in rows])))}
    found = []
    for sender, language in rows:
        attendee = people.get(sender)
        if attendee is not None and attendee.status == AttendeeStatus.CANCELLED:
            continue  # they said they are not coming
        found.append((Recipient(sender, attendee.name if attendee else None,
                                "en" if language == "en" else "nl",
                                attendee.id if attendee else None),
                      bool(attendee and attendee.undeliverable)))
    return found


def _recipient(row: Attendee) -> Recipient:
    return Recipient(row.email, row.name, "en" if row.language == "en" else "nl", row.id)
