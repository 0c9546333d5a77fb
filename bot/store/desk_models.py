"""The desk's own tables (SQLModel): staff accounts, their sessions and login attempts, the audit
log of what staff did, their internal notes, their saved replies and their mails to a group.

In: nothing. Out: table classes, written by :mod:`bot.web.auth`, :mod:`bot.web.throttle`,
:mod:`bot.staff`, :mod:`bot.ops.privacy` and :mod:`bot.ops.export`. The bot's own tables
(messages, attendees, questions, outbox) are in :mod:`bot.store.models`;
:mod:`bot.store.schema` imports both, which registers every table.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlmodel import Field, SQLModel

from bot.store.models import EnumText, utcnow


class Notify(enum.StrEnum):
    """How a staff member is told about new work (bot.staff.notify)."""

    EACH = "each"    # a mail when new questions or items to review arrive, at most one per 10 min
    DAILY = "daily"  # a summary once a day, at their hour
    NONE = "none"


class Group(enum.StrEnum):
    """Whom a group mail goes to, among the people of one event (bot.staff.groups)."""

    REGISTERED = "registered"  # has a seat
    WAITLISTED = "waitlisted"
    PRESENT = "present"        # checked in at the door
    ABSENT = "absent"          # had a seat and did not come (no walk-ins)
    WROTE = "wrote"            # everyone whose verified mail was about the event


class GroupMail(SQLModel, table=True):
    """One mail staff sent to a group (bot.staff.announce); its mails are the outbox rows that
    carry its id. ``digest`` is the hash of the event and the texts: the same mail sent again,
    to this ``group`` (the first it went to) or another, is this row again, and reaches only
    whom it has not reached yet. Nothing deletes a group mail (the retention purge empties its
    texts and its rows' mails, and keeps the counts)."""

    id: int | None = Field(default=None, primary_key=True)
    digest: str = Field(unique=True)
    event: str
    group: Group = Field(sa_type=EnumText(Group))
    subject_nl: str
    body_nl: str
    subject_en: str = ""
    body_en: str = ""
    created_by: str
    created_at: dt.datetime = Field(default_factory=utcnow)


class Note(SQLModel, table=True):
    """A staff member's internal note on a question or an attendee: it never leaves the desk
    (no mail, no export but the person's own), and goes with the retention purge."""

    id: int | None = Field(default=None, primary_key=True)
    question_id: int | None = Field(default=None, foreign_key="question.id", index=True)
    attendee_id: int | None = Field(default=None, foreign_key="attendee.id", index=True)
    author: str
    text: str
    created_at: dt.datetime = Field(default_factory=utcnow)


class SavedReply(SQLModel, table=True):
    """A standard answer staff keep in the desk ("standaardantwoord"), in Dutch and English,
    with placeholders filled by a sandbox (bot.staff.saved)."""

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(unique=True)
    body_nl: str
    body_en: str = ""
    updated_by: str
    updated_at: dt.datetime = Field(default_factory=utcnow)


class StaffUser(SQLModel, table=True):
    """A member of staff who may log in to the web UI."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True)
    password_hash: str
    created_at: dt.datetime = Field(default_factory=utcnow)
    active: bool = True
    language: str = "nl"            # the desk's language for them: nl or en
    email: str | None = None        # where their notices go (bot.staff.notify)
    notify: Notify = Field(default=Notify.NONE, sa_type=EnumText(Notify))
    notify_hour: int = 8            # the daily summary's hour, in the first event's time zone
    notified_at: dt.datetime | None = None   # the last notice queued for them
    notified_upto: dt.datetime | None = None  # work that arrived before this has been told


class StaffSession(SQLModel, table=True):
    """A logged-in browser: the cookie holds a random token, the database only its hash."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True)
    user_id: int = Field(foreign_key="staffuser.id")
    csrf_token: str
    created_at: dt.datetime = Field(default_factory=utcnow)
    last_seen_at: dt.datetime = Field(default_factory=utcnow)
    notice: str | None = None  # the result of the last action, shown once on the next page


class LoginAttempt(SQLModel, table=True):
    """One login attempt, for throttling (failures per username and per address)."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True)
    address: str = Field(index=True)
    succeeded: bool
    at: dt.datetime = Field(default_factory=utcnow, index=True)


class AuditEntry(SQLModel, table=True):
    """Who did what, when: every staff decision."""

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow)
    user: str
    action: str
    target: str
    detail: str | None = None
