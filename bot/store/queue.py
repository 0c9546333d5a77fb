"""The question queue as staff work through it: each question with what they need to pick it up.

In: the database engine, which part of the queue (:class:`View`: open, mine, unassigned,
answered), the staff member asking (for "mine") and an optional search text. Out: a list of
:class:`QueueRow` values: the subject, the question sentences the bot found (else the new text
of the mail), the sender with our server's verdict on them and their attendee status, when it
arrived and who has it. The search looks in sender, subject and text, case-insensitively, with
the text taken literally (``%`` and ``_`` are no wildcards).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.store.models import Attendee, AttendeeStatus, InboundMessage, Question, QuestionStatus

ANSWERED_SHOWN = 50  # the most recently answered questions listed


class View(enum.StrEnum):
    OPEN = "open"
    MINE = "mijn"
    UNASSIGNED = "vrij"
    ANSWERED = "beantwoord"


@dataclass(frozen=True)
class QueueRow:
    id: int
    status: QuestionStatus
    subject: str
    text: str                      # the question sentences, one per line
    sender: str
    verified: bool                 # our server vouched for the sender
    attendee: AttendeeStatus | None  # the sender's status for the event the mail is about
    assignee: str | None
    created_at: dt.datetime
    answered_by: str | None


def question_queue(engine: Engine, view: View, *, me: str, search: str = "",
                   default_event: str) -> list[QueueRow]:
    """The questions of ``view`` (open ones oldest first, answered ones newest first) that
    match ``search``; ``default_event`` is the event of a mail that named none."""
    query = select(Question, InboundMessage.verified, InboundMessage.event).join(
        InboundMessage, col(Question.source_message_id) == col(InboundMessage.id))
    if view is View.ANSWERED:
        query = query.where(Question.status == QuestionStatus.ANSWERED).order_by(
            col(Question.answered_at).desc(), col(Question.id).desc()).limit(ANSWERED_SHOWN)
    else:
        query = query.where(Question.status == QuestionStatus.OPEN).order_by(
            Question.created_at, Question.id)
    if view is View.MINE:
        query = query.where(Question.assignee == me.lower())
    elif view is View.UNASSIGNED:
        query = query.where(col(Question.assignee).is_(None))
    if search.strip():
        pattern = "%" + _literal(search.strip().lower()) + "%"
        query = query.where(func.lower(Question.sender).like(pattern, escape="\\")
                            | func.lower(Question.subject).like(pattern, escape="\\")
                            | func.lower(Question.text).like(pattern, escape="\\"))
    with Session(engine) as session:
        found = session.exec(query).all()
        senders = {question.sender for question, _, _ in found if question.sender}
        statuses = {(email, event): status for email, event, status in session.exec(
            select(Attendee.email, Attendee.event, Attendee.status)
            .where(col(Attendee.email).in_(senders)))} if senders else {}
        return [QueueRow(question.id or 0, question.status, question.subject or "",
                         question.text,
                         question.sender, bool(verified),
                         statuses.get((question.sender, event or default_event)),
                         question.assignee, question.created_at, question.answered_by)
                for question, verified, event in found]


def _literal(text: str) -> str:
    """``text`` for a LIKE pattern, its wildcards escaped."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
