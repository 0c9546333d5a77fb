"""The database tables (SQLModel), as in DESIGN.md §3, and the enums used in their columns.

In: nothing. Out: table classes, read and written by the stages that own the rows (register,
outbound, ops, staff, web) and read by :mod:`bot.store.queries`; the pure stages (inbound,
judge) pass frozen dataclasses around instead.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import AutoString, Field, SQLModel


def utcnow() -> dt.datetime:
    """The current time, timezone-aware in UTC (SQLModel refuses naive datetimes)."""
    return dt.datetime.now(dt.UTC)


class EnumText(TypeDecorator):
    """A :class:`enum.StrEnum` column stored as its text: the column stays a plain string (no
    database enum type to migrate), a value that is not a member fails at the write, and rows
    read back hold the enum member."""

    impl = AutoString
    cache_ok = True

    def __init__(self, enum_type: type[enum.StrEnum]) -> None:
        super().__init__()
        self.enum_type = enum_type

    def process_bind_param(self, value, dialect):
        return None if value is None else str(self.enum_type(value))

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum_type(value)


class MessageStatus(enum.StrEnum):
    """What became of a message: its row's status, and the folder it is filed in."""

    PROCESSED = "processed"        # handled automatically
    NEEDS_REVIEW = "needs_review"  # staff must look at it
    IGNORED = "ignored"            # automatic mail: noted, never answered
    QUARANTINED = "quarantined"    # could not be processed; see error
    DUPLICATE = "duplicate"        # recorded before (never a row's status): filed, not handled


class AttendeeStatus(enum.StrEnum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    PENDING_REVIEW = "pending_review"


class QuestionStatus(enum.StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class Topic(enum.StrEnum):
    """What a question is about (bot.judge.topics): the invitation asks for questions "over de
    inhoud of organisatie"."""

    ORGANISATION = "organisatie"  # time, place, access, food, who may come
    CONTENT = "inhoud"            # one of the themes of the programme ([[questions.theme]])
    UNSORTED = "onbekend"         # no word matched: staff sort it


class OutboundStatus(enum.StrEnum):
    PENDING = "pending"
    HELD = "held"      # a reply limit holds it back; released when the limit allows
    SENT = "sent"
    FAILED = "failed"


class EventState(SQLModel, table=True):
    """One row per event: locked while seats change, and the calendar SEQUENCE of the event.

    ``fingerprint`` is the event's date, times and venue as last announced; when the
    configuration changes them, ``sequence`` goes up and every confirmed attendee gets an update.
    """

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    sequence: int = 0
    fingerprint: str = ""
    purged_at: dt.datetime | None = None  # the retention purge ran (bot.ops.privacy); not again


class Alert(SQLModel, table=True):
    """Something staff must know about (e.g. the reply circuit breaker tripped)."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True)
    message: str
    created_at: dt.datetime = Field(default_factory=utcnow)
    resolved_at: dt.datetime | None = None
    notified_at: dt.datetime | None = None  # when the alert mail to staff was queued


class Beat(enum.StrEnum):
    """The names of the heartbeats."""

    WORKER = "worker"  # every minute while the worker runs
    POLL = "poll"      # every successful poll, also of an empty inbox


class Heartbeat(SQLModel, table=True):
    """The last sign of life of something (a :class:`Beat`)."""

    name: Beat = Field(primary_key=True, sa_type=EnumText(Beat))
    at: dt.datetime = Field(default_factory=utcnow)


class InboundMessage(SQLModel, table=True):
    """One message found in the mailbox, whatever became of it."""

    __table_args__ = (UniqueConstraint("folder", "uidvalidity", "uid"),)

    id: int | None = Field(default=None, primary_key=True)
    folder: str
    uidvalidity: int
    uid: int
    message_id: str | None = Field(default=None, index=True)
    sha256: str = Field(unique=True)
    received_at: dt.datetime = Field(default_factory=utcnow)  # by our server (INTERNALDATE)
    recorded_at: dt.datetime | None = Field(default_factory=utcnow)  # by the bot, on its clock
    #                                  (None: recorded before migration 0012)
    sender: str | None = None
    verified: bool = False  # our server authenticated the sender, from an allowed domain
    subject: str | None = None
    language: str | None = None
    kind: str | None = None
    has_question: bool = False
    confidence: float | None = None
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: MessageStatus = Field(index=True, sa_type=EnumText(MessageStatus))
    error: str | None = None
    raw: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    raw_complete: bool = True  # False: only the headers were kept (the message was too big)
    event: str | None = None  # the key of the event it is about; None: unclear or not needed


class Attendee(SQLModel, table=True):
    """A person registered (or wait-listed, cancelled, pending review) for the event."""

    __table_args__ = (UniqueConstraint("event", "email"), Index("ix_attendee_seats", "event",
                                                                "status"))

    id: int | None = Field(default=None, primary_key=True)
    event: str
    email: str | None = None  # None: named in a mail without an address; staff complete it
    name: str | None = None
    party: str | None = None
    on_behalf_of: str | None = None
    notes: str | None = None
    undeliverable: bool = False  # a bounce said mail to this address fails
    ics_sequence: int = 0  # SEQUENCE for the next calendar invite; one up after every invite
    language: str = "nl"
    status: AttendeeStatus = Field(index=True, sa_type=EnumText(AttendeeStatus))
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
    source_message_id: int | None = Field(default=None, foreign_key="inboundmessage.id")
    present_at: dt.datetime | None = None  # checked in at the door (bot.staff.door), and by whom
    present_by: str | None = None
    walk_in: bool = False  # added at the door, not signed up by mail


class Question(SQLModel, table=True):
    """A question waiting for (or answered by) staff."""

    id: int | None = Field(default=None, primary_key=True)
    source_message_id: int = Field(foreign_key="inboundmessage.id", unique=True)
    sender: str
    subject: str | None = None
    text: str
    status: QuestionStatus = Field(default=QuestionStatus.OPEN, index=True,
                                   sa_type=EnumText(QuestionStatus))
    assignee: str | None = None
    answer: str | None = None
    answered_by: str | None = None
    created_at: dt.datetime = Field(default_factory=utcnow)
    answered_at: dt.datetime | None = None
    opened_by: str | None = None     # the staff member who last opened it in the desk, and when
    opened_at: dt.datetime | None = None
    topic: Topic | None = Field(default=Topic.UNSORTED, sa_type=EnumText(Topic))
    theme: str | None = None         # for inhoud: the theme's name ([[questions.theme]])
    topic_words: list[str] = Field(default_factory=list,  # the words that set the tag; empty
                                   sa_column=Column(JSON, nullable=False))  # when staff set it


class OutboundMail(SQLModel, table=True):
    """A rendered reply in the transactional outbox; sent by :mod:`bot.outbound.outbox`."""

    # the reply limits count from indexes only: a table row holds a whole rendered mail
    __table_args__ = (Index("ix_outbound_limits", "recipient", "created_at", "automatic"),
                      Index("ix_outbound_recent", "created_at", "automatic"),
                      Index("ix_outbound_due", "status", "next_attempt_at"),
                      Index("ix_outbound_claimed", "claimed_at"))

    id: int | None = Field(default=None, primary_key=True)
    purpose: str
    dedupe_key: str = Field(unique=True)
    recipient: str
    message_id: str = Field(unique=True)
    in_reply_to: str | None = None
    raw: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    status: OutboundStatus = Field(default=OutboundStatus.PENDING, index=True,
                                   sa_type=EnumText(OutboundStatus))
    priority: int = 0  # lower goes first (bot.outbound.pace.Priority)
    attempts: int = 0
    claimed_at: dt.datetime | None = None  # last handed to the SMTP server: the pace counts it
    next_attempt_at: dt.datetime = Field(default_factory=utcnow)
    last_error: str | None = None
    held_reason: str | None = None  # the reply limit that holds it (status held)
    held_since: dt.datetime | None = None  # written then, held back by a limit until created_at
    created_at: dt.datetime = Field(default_factory=utcnow)  # queued to be sent (limits count it)
    sent_at: dt.datetime | None = None
    source_message_id: int | None = Field(default=None, foreign_key="inboundmessage.id")
    attendee_id: int | None = Field(default=None, foreign_key="attendee.id")
    group_mail_id: int | None = Field(default=None, index=True)  # its GroupMail (desk_models;
    #                        no foreign key: SQLite adds one to a table only by copying it)
    automatic: bool = True  # an answer to inbound mail: counted by the reply limits
    unverified_recipient: bool = False  # an automatic reply to a sender nobody verified:
    #                                     only these count toward the circuit breaker


class OutboxPace(SQLModel, table=True):
    """The outbox's one pace row (id 1): locked while a mail is claimed, so that several workers
    keep one sending budget; ``paused_until`` holds all sending after a quota or rate answer
    (``reason``), ``strikes`` counts such answers in a row (bot.outbound.pace)."""

    id: int | None = Field(default=None, primary_key=True)
    paused_until: dt.datetime | None = None
    reason: str | None = None
    strikes: int = 0


class OAuthToken(SQLModel, table=True):
    """The OAuth2 tokens of one mailbox account (``[mailbox] auth = "oauth2"``;
    :mod:`bot.store.oauth`).

    ``refresh_token`` is replaced every time the provider returns a new one (Microsoft rotates it
    at every refresh and the old one dies); ``refresh_token_saved_at`` is when the current one
    was stored, ``last_refresh_at`` when it was last used successfully. ``last_error`` is set when
    the provider refused the refresh token: nothing is tried until ``inbox-bot oauth login``.
    """

    __table_args__ = (UniqueConstraint("provider", "account"),)

    id: int | None = Field(default=None, primary_key=True)
    provider: str
    account: str
    refresh_token: str
    access_token: str | None = None
    access_expires_at: dt.datetime | None = None
    refresh_token_saved_at: dt.datetime = Field(default_factory=utcnow)
    last_refresh_at: dt.datetime | None = None
    last_error: str | None = None
    updated_at: dt.datetime = Field(default_factory=utcnow)
