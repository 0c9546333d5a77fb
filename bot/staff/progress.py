"""How far a group mail is: per person whether their mail went out, waits, or failed.

In: the database engine, and an event's key or a group mail's id. Out: a :class:`Progress` per
group mail (its row and one :class:`Result` per person, from the outbox rows that carry its
id), with the counts the desk shows as "31 van 40 verstuurd". Read only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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


def progress(engine: Engine, group_id: int) -> Progress | None:
    """The group mail ``group_id`` and its results, person by person; None if there is none."""
    with Session(engine) as session:
        mail = session.get(GroupMail, group_id)
        if mail is None:
            return None
        return Progress(mail, _results(session, [group_id]).get(group_id, ()))


def of_event(engine: Engine, event_key: str) -> list[Progress]:
    """Every group mail of the event, the newest first."""
    with Session(engine) as session:
        mails = session.exec(select(GroupMail).where(GroupMail.event == event_key)
                             .order_by(GroupMail.id.desc())).all()
        results = _results(session, [m.id for m in mails])
        return [Progress(m, results.get(m.id, ())) for m in mails]


def _results(session: Session, ids: list[int]) -> dict[int, tuple[Result, ...]]:
    if not ids:
        return {}
    rows = session.exec(
        select(OutboundMail.group_mail_id, OutboundMail.recipient, Attendee.name,
               OutboundMail.status, OutboundMail.sent_at, OutboundMail.last_error)
        .outerjoin(Attendee, Attendee.id == OutboundMail.attendee_id)
        .where(OutboundMail.group_mail_id.in_(ids)).order_by(OutboundMail.id)).all()
    found: dict[int, list[Result]] = {}
    for group_id, address, name, status, sent_at, error in rows:
        found.setdefault(group_id, []).append(
            Result(address, name or "", status, sent_at,
                   "" if status == OutboundStatus.SENT else error or ""))
    return {key: tuple(value) for key, value in found.items()}
