"""Read-only questions staff ask of the database, for the CLI (and later the web UI).

In: a database engine and filters. Out: lists of frozen row views, oldest first where order
matters. No business logic: just selects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.models import Attendee, OutboundMail, Question


@dataclass(frozen=True)
class AttendeeView:
    name: str
    email: str
    status: str
    party: str
    on_behalf_of: str
    notes: str
    registered_at: dt.datetime


@dataclass(frozen=True)
class QuestionView:
    id: int
    status: str
    sender: str
    subject: str
    text: str
    created_at: dt.datetime


def list_attendees(engine: Engine, event_key: str, *, status: str | None = None
                   ) -> list[AttendeeView]:
    """The event's attendees in order of sign-up, optionally of one status."""
    query = select(Attendee).where(Attendee.event == event_key).order_by(Attendee.id)
    if status:
        query = query.where(Attendee.status == status)
    with Session(engine) as session:
        return [AttendeeView(a.name or "", a.email or "", a.status, a.party or "",
                             a.on_behalf_of or "", a.notes or "", a.created_at)
                for a in session.exec(query)]


def list_questions(engine: Engine, *, status: str | None = None) -> list[QuestionView]:
    """Questions oldest first, optionally of one status (``open``, ``answered``, ``closed``)."""
    query = select(Question).order_by(Question.created_at, Question.id)
    if status:
        query = query.where(Question.status == status)
    with Session(engine) as session:
        return [QuestionView(q.id or 0, q.status, q.sender, q.subject or "", q.text, q.created_at)
                for q in session.exec(query)]


def list_outbound(engine: Engine, *, status: str | None = None) -> list[OutboundMail]:
    """Outgoing mail in order of creation, optionally of one status."""
    query = select(OutboundMail).order_by(OutboundMail.id)
    if status:
        query = query.where(OutboundMail.status == status)
    with Session(engine) as session:
        rows = list(session.exec(query))
        for row in rows:
            session.expunge(row)
        return rows
