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

from sqlalchemy import func, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.store.models import Attendee, AuditEntry, InboundMessage, OutboundMail, Question

SHOWN = 200  # entries of each kind, the latest


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    incoming: bool             # they wrote it (else we sent it)
    what: str                  # a message's kind, or a mail's purpose (the desk names them)
    status: str                # the message's or the mail's status
    subject: str
    message_id: int | None = None   # their message, to open it
    question_id: int | None = None  # its question, to answer it


@dataclass(frozen=True)
class Conversation:
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
                   InboundMessage.status, InboundMessage.subject, Question.id)
            .outerjoin(Question, col(Question.source_message_id) == col(InboundMessage.id))
            .where(func.lower(InboundMessage.sender) == address)
            .order_by(col(InboundMessage.received_at).desc()).limit(SHOWN)).all()
        outgoing = session.exec(
            select(OutboundMail.created_at, OutboundMail.sent_at, OutboundMail.purpose,
                   OutboundMail.status)
            .where(func.lower(OutboundMail.recipient) == address)
            .order_by(col(OutboundMail.id).desc()).limit(SHOWN)).all()
        attendees = list(session.exec(select(Attendee).where(
            func.lower(Attendee.email) == address).order_by(Attendee.id)))
        targets = ([f"attendee #{a.id}" for a in attendees]
                   + [f"message #{row[0]}" for row in incoming]
                   + [f"question #{row[5]}" for row in incoming if row[5] is not None])
        history = list(session.exec(select(AuditEntry).where(
            or_(col(AuditEntry.target).in_(targets))).order_by(AuditEntry.at))) if targets else []
        session.expunge_all()
    entries = [Entry(received, True, kind or "", status, subject or "", number, question)
               for number, received, kind, status, subject, question in incoming]
    entries += [Entry(sent or created, False, purpose, status, "")
                for created, sent, purpose, status in outgoing]
    return Conversation(address, sorted(entries, key=lambda e: e.at), attendees, history)
