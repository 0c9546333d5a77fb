"""The question queue as staff work through it: each question with what they need to pick it up.

In: the database engine, which part of the queue (:class:`View`: open, mine, unassigned, or
done: answered or closed, the latest :data:`DONE_SHOWN`; open ones the oldest
:data:`OPEN_SHOWN`), the staff member asking (for "mine"), an optional search text and an
optional topic (and theme) to keep to. Out: a list of :class:`QueueRow` values: the subject,
the question sentences the bot found (else the new text of the mail; at most
:data:`SHOWN_LINES` lines of :data:`SHOWN_CHARACTERS` characters in all, however long the
mail), the sender with our server's verdict on them and their attendee status, when it arrived,
who has it, and its topic and theme. The search looks in sender, subject and text,
case-insensitively, with the text taken literally (``%`` and ``_`` are no wildcards).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.store.models import (
    Attendee,
    AttendeeStatus,
    InboundMessage,
    Question,
    QuestionStatus,
    Topic,
)

DONE_SHOWN = 50  # the most recently answered or closed questions listed
OPEN_SHOWN = 500  # open questions listed at most (a flood of mail cannot make a page endless)
SHOWN_LINES, SHOWN_CHARACTERS = 5, 600  # of a question's text in the list


class View(enum.StrEnum):
    OPEN = "open"
    MINE = "mijn"
    UNASSIGNED = "vrij"
    DONE = "afgehandeld"  # answered or closed


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
    topic: Topic | None            # and the theme of a question on the content
    theme: str | None


def question_queue(engine: Engine, view: View, *, me: str, search: str = "",
                   default_event: str, topic: tuple[Topic, str | None] | None = None
                   ) -> list[QueueRow]:
    """The questions of ``view`` (open ones oldest first, done ones newest first) that
    match ``search`` and, when given, ``topic`` (a topic and theme); ``default_event`` is the
    event of a mail that named none."""
    query = select(Question.id, Question.status, Question.subject,
                   func.substr(Question.text, 1, SHOWN_CHARACTERS), Question.sender,
                   Question.assignee, Question.created_at, Question.answered_by,
                   InboundMessage.verified, InboundMessage.event, Question.topic,
                   Question.theme).join(
        InboundMessage, col(Question.source_message_id) == col(InboundMessage.id))
    if view is View.DONE:
        query = query.where(col(Question.status).in_(
            [QuestionStatus.ANSWERED, QuestionStatus.CLOSED])).order_by(
            col(Question.answered_at).desc(), col(Question.id).desc()).limit(DONE_SHOWN)
    else:
        query = query.where(Question.status == QuestionStatus.OPEN).order_by(
            Question.created_at, Question.id).limit(OPEN_SHOWN)
    if view is View.MINE:
        query = query.where(Question.assignee == me.lower())
    elif view is View.UNASSIGNED:
        query = query.where(col(Question.assignee).is_(None))
    if topic is not None:
        kind, theme = topic
        query = query.where(Question.topic == kind)
        if theme:
            query = query.where(Question.theme == theme)
    if search.strip():
        wanted = search.strip().lower()
        query = query.where(or_(*(func.lower(column).contains(wanted, autoescape=True)
                                  for column in (Question.sender, Question.subject,
                                                 Question.text))))
    with Session(engine) as session:
        found = session.exec(query).all()
        senders = {row[4] for row in found if row[4]}
        statuses = {(email, event): status for email, event, status in session.exec(
            select(Attendee.email, Attendee.event, Attendee.status)
            .where(col(Attendee.email).in_(senders)))} if senders else {}
    return [QueueRow(number, status, subject or "", _shown(text or ""), sender,
                     bool(verified), statuses.get((sender, event or default_event)),
                     assignee, created_at, answered_by, topic_of, theme)
            for number, status, subject, text, sender, assignee, created_at, answered_by,
            verified, event, topic_of, theme in found]


def _shown(text: str) -> str:
    """The first lines of ``text`` that say something, for the list."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n".join(lines[:SHOWN_LINES])
