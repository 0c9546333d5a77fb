"""A conversation with one person, as the desk shows it: everything they sent us and everything
the bot or staff sent them, in time order, with their attendee rows and what staff did to them.

In: the database engine and an address. Out: a :class:`Conversation`: the :class:`Entry` list
(their messages, with kind and status; our mails, with purpose and status; their questions are
linked so they can be answered), their attendee rows (one per event), and the audit entries of
staff actions on those rows and on their messages and questions, oldest first. Reads only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.store.desk_models import AuditEntry
from bot.store.models import Attendee, InboundMessage, OutboundMail, Question

SHOWN = 200  # messages and mails each, the latest; the history of staff actions is all of it


def targets(*, attendees=(), messages=(), questions=(), mails=()) -> list[str]:
    """The audit targets of a person's rows (attendee, message, question and mail numbers):
    what staff did about them. The privacy export and the conversation both ask this."""
    return ([f"attendee #{n}" for n in attendees] + [f"message #{n}" for n in messages]
            + [f"question #{n}" for n in questions] + [f"outbound #{n}" for n in mails])


@dataclass(frozen=True)
class Entry:
    """One message they sent, or one mail we sent them."""

    at: dt.datetime
    incoming: bool             # they wrote it (else we sent it)
    what: str                  # a message's kind, or a mail's purpose (the desk names them)
    status: str                # the message's or the mail's status
    subject: str
    verified: bool = True           # their message: our server vouched for the sender
    message_id: int | None = None   # their message, to open it
    question_id: int | None = None  # its question, to answer it


@dataclass(frozen=True)
class Conversation:
    """Everything exchanged with one address, and what staff did about it."""

    address: str
    entries: list[Entry]
    attendees: list[Attendee]
    history: list[AuditEntry]


def conversation(engine: Engine, address: str) -> Conversation:
    """Everything exchanged with ``address`` (compared case-insensitively)."""
    address = address.strip().lower()
    with Session(engine) as session:
        incoming = session.exec(
            select(InboundMessage.id, InboundMessage.received_at, InboundMessage.kind,
                   InboundMessage.status, InboundMessage.subject, InboundMessage.verified,
                   Question.id)
            .outerjoin(Question, col(Question.source_message_id) == col(InboundMessage.id))
            .where(func.lower(InboundMessage.sender) == address)
            .order_by(col(InboundMessage.received_at).desc()).limit(SHOWN)).all()
        outgoing = session.exec(
            select(OutboundMail.id, OutboundMail.created_at, OutboundMail.sent_at,
                   OutboundMail.purpose, OutboundMail.status)
            .where(func.lower(OutboundMail.recipient) == address)
            .order_by(col(OutboundMail.id).desc()).limit(SHOWN)).all()
        attendees = list(session.exec(select(Attendee).where(
            func.lower(Attendee.email) == address).order_by(Attendee.id)))
        about = targets(attendees=[a.id for a in attendees], messages=[r[0] for r in incoming],
                        questions=[r[6] for r in incoming if r[6] is not None],
                        mails=[r[0] for r in outgoing])
        history = list(session.exec(select(AuditEntry).where(
            col(AuditEntry.target).in_(about)).order_by(AuditEntry.at))) if about else []
        session.expunge_all()
    entries = [Entry(received, True, kind or "", status, subject or "", bool(verified), number,
                     question)
               for number, received, kind, status, subject, verified, question in incoming]
    entries += [Entry(sent or created, False, purpose, status, "")
                for _, created, sent, purpose, status in outgoing]
    return Conversation(address, sorted(entries, key=lambda e: e.at), attendees, history)
