"""Reply limits: may the bot send one more automatic reply now? (RFC 3834 §2, Mailman's
``max_autoresponses_per_day``, Zammad's loop protection.)

In: a database session, the recipient and purpose of a reply the bot wants to send, whether our
server verified that recipient, the time, and the ``[limits]`` settings. Out: ``None`` when the
reply may go now, else the name of the limit that stops it. The counters are the outbox rows
themselves, so a restart resets nothing:

- ``same_reply_recently``: an acknowledgement (question received, already registered, not
  registered, registration closed) of the same kind went (or waits, held) to this sender within
  the window: the sender has it already, so this one is not queued at all;
- ``daily_reply_cap``: this sender had ``replies_per_sender_per_day`` automatic replies in the
  last 24 hours;
- ``circuit_breaker``: more than ``circuit_breaker_replies`` automatic replies to *unverified*
  senders in ``circuit_breaker_minutes``, or more than ``unverified_replies_per_day`` in 24
  hours: replies to unverified senders stop and staff get an alert. Replies to verified
  senders never count and are never stopped by it, so a flood of spoofed mail cannot keep an
  MP's confirmation back.

A reply stopped by the cap or the breaker is not dropped: it stays in the outbox as ``held``
(visible on the desk) and :func:`release_held` lets it go when the limit allows; the cap and the
breaker count a released reply from its release (``created_at``; ``held_since`` keeps when it
was written). A held reply that no longer fits is withdrawn instead: a confirmation, waiting-list
notice or cancellation notice whose attendee has since changed (staff cancelled them, say), or an
acknowledgement of a kind that meanwhile went to the same sender, or one held for a day
(:data:`ACKNOWLEDGEMENT_EXPIRES`: a late acknowledgement helps nobody, the question waits on
the desk anyway). Mail the bot sends on its own
initiative (promotion from the waiting list, reminders, event updates, staff actions) is not an
automatic reply and is not counted.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import or_
from sqlalchemy.engine import Engine
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from bot.config.types import LimitsConfig
from bot.outbound.reply import Purpose
from bot.store.db import count, writer
from bot.store.models import Alert, Attendee, AttendeeStatus, OutboundMail, OutboundStatus

log = logging.getLogger(__name__)

SAME_REPLY = "same_reply_recently"
ACKNOWLEDGEMENTS = frozenset({Purpose.QUESTION_RECEIVED, Purpose.ALREADY_REGISTERED,
                              Purpose.NOT_REGISTERED, Purpose.REGISTRATION_CLOSED})
ACKNOWLEDGEMENT_EXPIRES = dt.timedelta(days=1)
RELEASE_BATCH = 1000  # held rows looked at per run, oldest first


def blocked_by_limits(session: Session, *, recipient: str, purpose: Purpose, verified: bool,
                      now: dt.datetime, limits: LimitsConfig, exclude: int | None = None
                      ) -> str | None:
    """The name of the limit that stops this automatic reply now, or None; ``exclude`` is the
    held row being considered for release (it does not count against itself)."""
    if purpose in ACKNOWLEDGEMENTS:
        since = now - dt.timedelta(hours=limits.same_reply_window_hours)
        same = _automatic().where(OutboundMail.recipient == recipient,
                                  OutboundMail.purpose == purpose,
                                  or_(OutboundMail.created_at >= since,
                                      OutboundMail.status == OutboundStatus.HELD))
        if exclude is not None:
            same = same.where(OutboundMail.id != exclude)
        if count(session, same.limit(1)):
            return SAME_REPLY
    if not verified and breaker_tripped(session, now, limits):
        return "circuit_breaker"
    mine = _counted().where(OutboundMail.recipient == recipient)
    if count(session, mine.where(OutboundMail.created_at >= now - dt.timedelta(days=1))) >= (
            limits.replies_per_sender_per_day):
        return "daily_reply_cap"
    return None


def breaker_tripped(session: Session, now: dt.datetime, limits: LimitsConfig) -> bool:
    """Too many automatic replies to unverified senders lately (an alert, once, if so)."""
    unverified = _counted().where(OutboundMail.unverified_recipient)
    for since, most in ((dt.timedelta(minutes=limits.circuit_breaker_minutes),
                         limits.circuit_breaker_replies),
                        (dt.timedelta(days=1), limits.unverified_replies_per_day)):
        # counting stops at the threshold: a backlog of thousands costs no more than that
        recent = count(session, unverified.where(OutboundMail.created_at >= now - since)
                        .limit(most))
        if recent >= most:
            _alert_once(session, now, recent, since)
            return True
    return False


def release_held(engine: Engine, limits: LimitsConfig, now: dt.datetime) -> int:
    """Let held replies go, oldest first, as far as the limits allow now; how many went.

    A released row counts from now (``created_at``), as if it had just been written. While
    the breaker holds, replies to unverified senders are not looked at one by one.
    """
    released = 0
    with Session(writer(engine)) as session:
        held = session.exec(select(OutboundMail).options(defer(OutboundMail.raw))
                            .where(OutboundMail.status == OutboundStatus.HELD)
                            .order_by(OutboundMail.id).limit(RELEASE_BATCH)).all()
        tripped = any(row.unverified_recipient for row in held) and breaker_tripped(
            session, now, limits)
        for row in held:
            if _expired(row, now):
                _withdraw(session, row, "held for a day; the question waits on the desk")
                continue
            if row.unverified_recipient and tripped:
                continue
            if _outdated(session, row):
                _withdraw(session, row, "the attendee's status changed meanwhile")
                continue
            blocked = blocked_by_limits(session, recipient=row.recipient,
                                        purpose=Purpose(row.purpose),
                                        verified=not row.unverified_recipient, now=now,
                                        limits=limits, exclude=row.id)
            if blocked == SAME_REPLY:
                _withdraw(session, row, "the same reply went to this sender meanwhile")
            elif blocked is None:
                row.status, row.held_reason = OutboundStatus.PENDING, None
                row.created_at = row.next_attempt_at = now
                session.add(row)
                session.flush()
                released += 1
                if row.unverified_recipient:
                    tripped = breaker_tripped(session, now, limits)
        session.commit()
    if released:
        log.info("outbox: %d held replies released", released)
    return released


_PURPOSE_STATUS = {Purpose.REGISTRATION_CONFIRMED: AttendeeStatus.REGISTERED,
                   Purpose.WAITLISTED: AttendeeStatus.WAITLISTED,
                   Purpose.CANCELLATION_CONFIRMED: AttendeeStatus.CANCELLED}


def _outdated(session: Session, row: OutboundMail) -> bool:
    """A confirmation, waiting-list or cancellation notice whose attendee has moved on."""
    wanted = _PURPOSE_STATUS.get(Purpose(row.purpose))
    if wanted is None or row.attendee_id is None:
        return False
    attendee = session.get(Attendee, row.attendee_id)
    return attendee is None or attendee.status != wanted


def _expired(row: OutboundMail, now: dt.datetime) -> bool:
    return (Purpose(row.purpose) in ACKNOWLEDGEMENTS and row.held_since is not None
            and now - row.held_since > ACKNOWLEDGEMENT_EXPIRES)


def _withdraw(session: Session, row: OutboundMail, why: str) -> None:
    log.info("outbox #%s: held %s withdrawn: %s", row.id, row.purpose, why)
    session.delete(row)
    session.flush()


def _automatic():
    return select(OutboundMail.id).where(OutboundMail.automatic)


def _counted():
    """Automatic replies that went or may go now (held ones do not count yet)."""
    return _automatic().where(OutboundMail.status != OutboundStatus.HELD)


def _alert_once(session: Session, now: dt.datetime, replies: int, window: dt.timedelta) -> None:
    open_alert = session.exec(select(Alert).where(Alert.kind == "circuit_breaker",
                                                  Alert.resolved_at.is_(None))).first()
    if open_alert is None:
        span = (f"{window.total_seconds() / 60:g} minutes" if window < dt.timedelta(days=1)
                else "24 hours")
        message = (f"{replies} automatic replies to unverified senders in {span}: replies to "
                   "unverified senders are held until fewer go out. Check the mailbox for a "
                   "mail loop or a flood.")
        session.add(Alert(kind="circuit_breaker", message=message, created_at=now))
        log.error("circuit breaker: %s", message)
