"""Read-only questions staff ask of the database, for the CLI and the web UI.

In: a database engine and filters. Out: lists of frozen row views, oldest first where order
matters. No business logic: just selects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.store.models import (
    Alert,
    Attendee,
    Beat,
    Heartbeat,
    InboundMessage,
    OutboundMail,
    Question,
)


@dataclass(frozen=True)
class AttendeeView:
    name: str
    email: str
    status: str
    party: str
    on_behalf_of: str
    notes: str
    registered_at: dt.datetime
    present_at: dt.datetime | None = None  # checked in at the door

    @property
    def present(self) -> str:
        """The export's column "aanwezig": "ja" or empty."""
        return "ja" if self.present_at else ""


@dataclass(frozen=True)
class QuestionView:
    id: int
    status: str
    sender: str
    subject: str
    text: str
    created_at: dt.datetime
    topic: str | None = None  # organisatie, inhoud or onbekend, and the theme of inhoud
    theme: str | None = None


def list_attendees(engine: Engine, event_key: str, *, status: str | None = None
                   ) -> list[AttendeeView]:
    """The event's attendees in order of sign-up, optionally of one status."""
    query = select(Attendee).where(Attendee.event == event_key).order_by(Attendee.id)
    if status:
        query = query.where(Attendee.status == status)
    with Session(engine) as session:
        return [AttendeeView(a.name or "", a.email or "", a.status, a.party or "",
                             a.on_behalf_of or "", a.notes or "", a.created_at, a.present_at)
                for a in session.exec(query)]


def list_questions(engine: Engine, *, status: str | None = None) -> list[QuestionView]:
    """Questions oldest first, optionally of one status (``open``, ``answered``, ``closed``)."""
    query = select(Question).order_by(Question.created_at, Question.id)
    if status:
        query = query.where(Question.status == status)
    with Session(engine) as session:
        return [QuestionView(q.id or 0, q.status, q.sender, q.subject or "", q.text, q.created_at,
                             q.topic, q.theme) for q in session.exec(query)]


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


@dataclass(frozen=True)
class Dashboard:
    """The staff dashboard's counts; seats per event come from :func:`event_seats`."""

    open_questions: int
    needs_review: int
    quarantined: int
    failed_mail: int
    held_mail: int  # replies a reply limit holds back for now (bot.outbound.limits)
    last_poll_at: dt.datetime | None
    alerts: tuple[str, ...]


def dashboard(engine: Engine) -> Dashboard:
    """The numbers on the staff dashboard."""
    with Session(engine) as session:
        def count(model, *where) -> int:
            return session.exec(select(func.count()).select_from(model).where(*where)).one()
        poll = session.get(Heartbeat, Beat.POLL)  # written after every successful poll
        alerts = session.exec(select(Alert.message).where(Alert.resolved_at.is_(None))).all()
        return Dashboard(
            open_questions=count(Question, Question.status == "open"),
            needs_review=count(InboundMessage, InboundMessage.status == "needs_review"),
            quarantined=count(InboundMessage, InboundMessage.status == "quarantined"),
            failed_mail=count(OutboundMail, OutboundMail.status == "failed"),
            held_mail=count(OutboundMail, OutboundMail.status == "held"),
            last_poll_at=poll.at if poll else None,
            alerts=tuple(alerts),
        )


@dataclass(frozen=True)
class EventSeats:
    key: str
    name: str
    date: dt.date
    taken: int
    capacity: int
    waitlisted: int


def event_seats(engine: Engine, events) -> list[EventSeats]:
    """Seats taken and the waiting list, per configured event (the dashboard's table)."""
    with Session(engine) as session:
        rows = session.exec(select(Attendee.event, Attendee.status, func.count())
                            .group_by(Attendee.event, Attendee.status)).all()
    counts = {(event, status): n for event, status, n in rows}
    return [EventSeats(e.key, e.name, e.date, counts.get((e.key, "registered"), 0), e.capacity,
                       counts.get((e.key, "waitlisted"), 0)) for e in events]


def messages_with_status(engine: Engine, status: str) -> list[InboundMessage]:
    """Inbound messages of one status, oldest first (the review queue, the quarantine)."""
    with Session(engine) as session:
        rows = list(session.exec(select(InboundMessage).where(InboundMessage.status == status)
                                 .order_by(InboundMessage.received_at, InboundMessage.id)))
        for row in rows:
            session.expunge(row)
        return rows


def get_row(engine: Engine, model, row_id: int):
    """One row by id, detached from its session, or None."""
    with Session(engine) as session:
        row = session.get(model, row_id)
        if row is not None:
            session.expunge(row)
        return row


def attendee_by_email(engine: Engine, event_key: str, email: str) -> Attendee | None:
    """The attendee row of exactly this address for this event."""
    with Session(engine) as session:
        row = session.exec(select(Attendee).where(Attendee.event == event_key,
                                                  Attendee.email == email.lower())).first()
        if row is not None:
            session.expunge(row)
        return row


def find_attendees(engine: Engine, event_key: str, search: str = "") -> list[Attendee]:
    """Attendees whose name, address or party contains ``search`` (all when empty)."""
    query = select(Attendee).where(Attendee.event == event_key)
    if search:
        like = f"%{search.lower()}%"
        query = query.where(func.lower(Attendee.name).like(like)
                            | func.lower(Attendee.email).like(like)
                            | func.lower(Attendee.party).like(like))
    with Session(engine) as session:
        rows = list(session.exec(query.order_by(Attendee.id)))
        for row in rows:
            session.expunge(row)
        return rows
