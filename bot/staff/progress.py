"""How far a group mail is: per person whether their mail went out, waits, or failed.

In: the database engine, and a group mail's id or an event's key. Out: a :class:`Progress` for
one group mail (its row and one :class:`Result` per person, from the outbox rows that carry its
id), with the counts the desk shows as "31 van 40 verstuurd"; or a :class:`Tally` (the counts
alone) for each group mail of an event. Read only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.store.desk_models import GroupMail
from bot.store.models import Attendee, OutboundMail, OutboundStatus


@dataclass(frozen=True)
class Result:
    address: str
    name: str
    status: OutboundStatus
    sent_at: dt.datetime | None
    error: str  # the mail server's last answer, when it refused or failed


@dataclass(frozen=True)
class Progress:
    mail: GroupMail
    results: tuple[Result, ...]

    def count(self, status: OutboundStatus) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def sent(self) -> int:
        return self.count(OutboundStatus.SENT)

    @property
    def failed(self) -> int:
        return self.count(OutboundStatus.FAILED)

    @property
    def done(self) -> bool:
        """Nothing waits any more (every mail went out or failed for good)."""
        return self.sent + self.failed == len(self.results)


def progress(engine: Engine, group_mail_id: int) -> Progress | None:
    """The group mail and its results, person by person; None if there is none."""
    with Session(engine) as session:
        mail = session.get(GroupMail, group_mail_id)
        if mail is None:
            return None
        rows = session.exec(
            select(OutboundMail.recipient, Attendee.name, OutboundMail.status,
                   OutboundMail.sent_at, OutboundMail.last_error)
            .outerjoin(Attendee, Attendee.id == OutboundMail.attendee_id)
            .where(OutboundMail.group_mail_id == group_mail_id).order_by(OutboundMail.id))
        return Progress(mail, tuple(
            Result(address, name or "", status, sent_at,
                   "" if status == OutboundStatus.SENT else error or "")
            for address, name, status, sent_at, error in rows))


@dataclass(frozen=True)
class Tally:
    """A group mail's counts, for the list of them."""

    mail: GroupMail
    sent: int
    failed: int
    total: int


def of_event(engine: Engine, event_key: str) -> list[Tally]:
    """Every group mail of the event with its counts, the newest first (one query for the
    counts, not every person's row)."""
    with Session(engine) as session:
        mails = session.exec(select(GroupMail).where(GroupMail.event == event_key)
                             .order_by(GroupMail.id.desc())).all()
        counts: dict[int, dict[OutboundStatus, int]] = {}
        for group_mail_id, status, n in session.exec(
                select(OutboundMail.group_mail_id, OutboundMail.status, func.count())
                .where(OutboundMail.group_mail_id.in_([m.id for m in mails]))
                .group_by(OutboundMail.group_mail_id, OutboundMail.status)):
            counts.setdefault(group_mail_id, {})[OutboundStatus(status)] = n
        return [Tally(m, (c := counts.get(m.id, {})).get(OutboundStatus.SENT, 0),
                      c.get(OutboundStatus.FAILED, 0), sum(c.values())) for m in mails]
