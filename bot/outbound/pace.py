"""Sending at the provider's pace: how many mails may go now, which go first, and what a quota
answer means.

In: a database session (the caller's transaction; an engine for :func:`outlook`), the
``[smtp]`` settings, the time, and an SMTP server's answer. Out: how many more mails may be
handed to the server now (:func:`room`), the priority of a mail by its purpose
(:func:`priority_of`), the pause a quota or rate answer asks for (:func:`quota_pause`; recorded
on the pace row by :func:`pause`), and what the desk and ``inbox-bot check`` show of the outbox
(:func:`outlook`, :func:`outbox_sentence` in Dutch or English, :func:`pace_text`).

Microsoft 365 accepts at most 30 messages a minute and 10,000 recipients a day per mailbox over
SMTP AUTH and answers more with ``554 5.2.0 ... SubmissionQuotaExceededException``; Google
Workspace allows about 2,000 a day and answers ``550 5.4.5 Daily user sending limit
exceeded``, or ``421 4.7.0`` when mail comes too fast. The bot counts what it handed to the
server in the database over a sliding minute and day (``OutboundMail.claimed_at``), so several
workers and restarts share one budget: with a limit configured, a claim takes the lock on the
pace row first.
A quota or rate answer is no failure: the mail waits, and the whole outbox pauses (one minute,
doubling while the server keeps refusing, up to an hour; an hour for a daily limit).
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.config.types import SmtpConfig
from bot.outbound.limits import ACKNOWLEDGEMENTS
from bot.outbound.reply import MONTHS, Purpose
from bot.store.models import OutboundMail, OutboundStatus, OutboxPace

MINUTE, DAY = dt.timedelta(minutes=1), dt.timedelta(days=1)
FIRST_PAUSE, LONGEST_PAUSE, DAILY_PAUSE = MINUTE, dt.timedelta(hours=1), dt.timedelta(hours=1)


class Priority(enum.IntEnum):
    """The order in which waiting mail goes out; lower goes first. The values are stored in
    ``outboundmail.priority``: changing one needs a migration that moves the waiting rows
    (as 0014 did when group mail came in between)."""

    ANSWER = 0      # confirmations, waiting-list places, cancellations, promotions, staff answers
    ACKNOWLEDGE = 1  # "question received", "already registered", "not registered", "closed"
    SCHEDULED = 2   # reminders and event updates
    GROUP = 3       # staff's mail to a group (bot.staff.announce): after every mail a person
    #                 is waiting for, before the notices to staff
    STAFF = 4       # notices to staff about new work: they wait for everything else


_PRIORITIES = {**dict.fromkeys(ACKNOWLEDGEMENTS, Priority.ACKNOWLEDGE),
               Purpose.REMINDER: Priority.SCHEDULED, Purpose.EVENT_UPDATED: Priority.SCHEDULED,
               Purpose.GROUP_MAIL: Priority.GROUP, Purpose.STAFF_NOTICE: Priority.STAFF,
               Purpose.STAFF_SUMMARY: Priority.STAFF}


def priority_of(purpose: Purpose) -> Priority:
    return _PRIORITIES.get(purpose, Priority.ANSWER)


def quota_pause(code: int, text: str, strikes: int) -> dt.timedelta | None:
    """How long the outbox waits after this answer, when it is a quota or rate answer (the
    ``strikes``-th in a row); None for any other. Only the reply code and the enhanced status
    code that leads the text decide (``421 4.7.0``, ``554 5.2.0`` with Microsoft's
    ``SubmissionQuotaExceeded``, ``550 5.4.5``), never words further on, which can quote an
    address or a host someone else chose. ``4.2.1`` (one recipient's mailbox is busy or
    disabled) and permanent answers (``5.1.1`` unknown user, ``5.7.1`` refused) are none."""
    leading = text.split(None, 2)
    enhanced = leading[1] if len(leading) > 1 and leading[0] == str(code) else ""
    if code // 100 == 5 and enhanced == "5.4.5":
        return DAILY_PAUSE  # Google: "Daily user sending limit exceeded" (rolling 24 hours)
    rate = ((code, enhanced) in _RATE_ANSWERS or (
        code // 100 == 5 and enhanced == "5.2.0" and len(leading) > 2
        and leading[2].startswith(_MICROSOFT_QUOTA)))
    if not rate:
        return None
    return min(FIRST_PAUSE * 2 ** min(strikes, 10), LONGEST_PAUSE)


# Google's "421 4.7.0 Try again later" and "421 4.7.28 ... unusual rate", Google's "452 4.5.3",
# Microsoft's "432 4.3.2 ... thread limit exceeded"
_RATE_ANSWERS = {(421, "4.7.0"), (421, "4.7.28"), (452, "4.5.3"), (432, "4.3.2")}
_MICROSOFT_QUOTA = "STOREDRV.Submission.Exception:SubmissionQuotaExceeded"  # right after 5.2.0


def pace_row(session: Session) -> OutboxPace:
    """The outbox's one pace row, locked for the rest of the transaction (created when new;
    two workers creating it at once do not fail: ON CONFLICT DO NOTHING)."""
    row = session.exec(select(OutboxPace).where(OutboxPace.id == 1).with_for_update()).first()
    if row is None:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(insert(OutboxPace).values(id=1, strikes=0)
                        .on_conflict_do_nothing(index_elements=["id"]))
        row = session.exec(select(OutboxPace).where(OutboxPace.id == 1)
                           .with_for_update()).one()
    return row


def room(session: Session, smtp: SmtpConfig, now: dt.datetime
         ) -> tuple[int | None, dt.datetime | None]:
    """How many more mails may be handed to the server now (None: no limit), and, when that is
    none, when the next may (the outbox is paused, or a configured limit is used up). With a
    limit it locks the pace row for the caller's transaction, so that two workers do not both
    take the last places."""
    limited = smtp.max_per_minute or smtp.max_per_day
    row = pace_row(session) if limited else session.get(OutboxPace, 1)
    if row is not None and row.paused_until is not None and row.paused_until > now:
        return 0, row.paused_until
    left = None
    for limit, window in ((smtp.max_per_minute, MINUTE), (smtp.max_per_day, DAY)):
        if not limit:
            continue
        used = _handed(session, now - window)
        if used >= limit:  # the next place frees when the limit-th latest leaves the window
            oldest = session.exec(
                select(OutboundMail.claimed_at).where(OutboundMail.claimed_at > now - window)
                .order_by(OutboundMail.claimed_at.desc()).offset(limit - 1).limit(1)).first()
            return 0, (oldest or now) + window
        left = limit - used if left is None else min(left, limit - used)
    return left, None


def pause(session: Session, code: int, answer: str, now: dt.datetime) -> dt.datetime:
    """Hold the whole outbox after the quota or rate answer ``answer`` (one strike more: the
    pause doubles while the server keeps refusing); return until when."""
    row = pace_row(session)
    until = now + quota_pause(code, answer, row.strikes)
    row.paused_until, row.reason, row.strikes = until, answer[:300], row.strikes + 1
    session.add(row)
    return until


def _handed(session: Session, since: dt.datetime) -> int:
    return session.exec(select(func.count()).select_from(OutboundMail).where(
        OutboundMail.claimed_at > since)).one()


@dataclass(frozen=True)
class Outlook:
    """What waits in the outbox and when it will have gone, for the desk and ``check``."""

    waiting: int
    per_minute: int           # 0: no limit configured
    per_day: int
    paused_until: dt.datetime | None
    done_by: dt.datetime | None  # None: nothing waits


def outlook(engine: Engine, smtp: SmtpConfig, now: dt.datetime) -> Outlook:
    with Session(engine) as session:
        return _outlook(session, smtp, now)


def _outlook(session: Session, smtp: SmtpConfig, now: dt.datetime) -> Outlook:
    """When the waiting mail will have gone: after a pause, at the pace, after the places the
    last 24 hours used up, and not before the latest retry is due."""
    pending = OutboundMail.status == OutboundStatus.PENDING
    waiting, last_retry = session.exec(select(
        func.count(), func.max(OutboundMail.next_attempt_at)).where(pending)).one()
    row = session.get(OutboxPace, 1)
    paused = row.paused_until if row is not None and row.paused_until and (
        row.paused_until > now) else None
    if not waiting:
        return Outlook(0, smtp.max_per_minute, smtp.max_per_day, paused, None)
    start = paused or now
    done_by = start + (math.ceil(waiting / smtp.max_per_minute) if smtp.max_per_minute
                       else 1) * MINUTE
    if smtp.max_per_day:
        left_today = max(smtp.max_per_day - _handed(session, now - DAY), 0)
        if waiting > left_today:  # the rest goes as yesterday's places come free, day by day
            days = math.ceil((waiting - left_today) / smtp.max_per_day)
            done_by = max(done_by, start + days * DAY)
    if last_retry is not None:
        done_by = max(done_by, last_retry + MINUTE)
    return Outlook(waiting, smtp.max_per_minute, smtp.max_per_day, paused, done_by)


def pace_text(smtp: SmtpConfig) -> str:
    """The configured pace, for ``inbox-bot check``."""
    parts = [f"{smtp.max_per_minute} per minute" if smtp.max_per_minute else "",
             f"{smtp.max_per_day} per day" if smtp.max_per_day else ""]
    return ", ".join(p for p in parts if p) or "no limit (the server's quota answers pause it)"


_SENTENCE = {  # the outbox sentence's words, per language
    "nl": {"on": "op {day} {month} ", "around": "rond", "and": " en ", "minute": "per minuut",
           "day": "per dag", "why": " (de mailprovider neemt er {pace} aan)",
           "none": "Geen e-mails wachten op verzending.",
           "paused": "De mailserver vroeg om te wachten: verzenden gaat verder {at}. ",
           "one": "1 e-mail wacht", "many": "{n} e-mails wachten", "done": "; klaar {at}"},
    "en": {"on": "on {day} {month} ", "around": "around", "and": " and ",
           "minute": "per minute", "day": "per day", "why": " (the mail provider takes {pace})",
           "none": "No mails are waiting to be sent.",
           "paused": "The mail server asked us to wait: sending goes on {at}. ",
           "one": "1 mail is waiting", "many": "{n} mails are waiting", "done": "; done {at}"},
}


def outbox_sentence(view: Outlook, zone: ZoneInfo, now: dt.datetime, language: str) -> str:
    """What the desk's overview says of the outbox, in ``language`` (``nl`` or ``en``): "50
    e-mails wachten; klaar rond 14:32 (de mailprovider neemt er 30 per minuut aan)"; a day
    other than today is named."""
    words = _SENTENCE.get(language, _SENTENCE["nl"])
    months = MONTHS["en" if language == "en" else "nl"]

    def at(moment: dt.datetime) -> str:
        local = moment.astimezone(zone)
        day = "" if local.date() == now.astimezone(zone).date() else words["on"].format(
            day=local.day, month=months[local.month - 1])
        return f"{day}{words['around']} {local:%H:%M}"

    def number(n: int) -> str:
        return f"{n:,}".replace(",", "." if language == "nl" else ",")
    pace = words["and"].join(p for p in (
        f"{number(view.per_minute)} {words['minute']}" if view.per_minute else "",
        f"{number(view.per_day)} {words['day']}" if view.per_day else "") if p)
    why = words["why"].format(pace=pace) if pace else ""
    if not view.waiting:
        return words["none"]
    paused = words["paused"].format(at=at(view.paused_until)) if view.paused_until else ""
    waiting = words["one"] if view.waiting == 1 else words["many"].format(
        n=number(view.waiting))
    return f"{paused}{waiting}{words['done'].format(at=at(view.done_by))}{why}."
