"""Reply limits: may the bot send one more automatic reply? (RFC 3834 §2, Mailman's
``max_autoresponses_per_day``, Zammad's loop protection.)

In: a database session, the recipient and purpose of a reply the bot wants to send, the time,
and the ``[limits]`` settings. Out: ``None`` when the reply may go, else the name of the limit
that stops it. The counters are the outbox rows themselves, so a restart resets nothing:

- ``same_reply_recently``: an acknowledgement (question received, already registered, not
  registered, registration closed) of the same kind went to this sender within the window;
- ``daily_reply_cap``: this sender had ``replies_per_sender_per_day`` automatic replies today;
- ``circuit_breaker``: more than ``circuit_breaker_replies`` automatic replies in
  ``circuit_breaker_minutes``: automatic replies stop for everybody and staff get an alert.

Mail the bot sends on its own initiative (promotion from the waiting list, reminders, event
updates, staff actions) is not an automatic reply and is not counted.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import func
from sqlmodel import Session, select

from bot.config import LimitsConfig
from bot.models import Alert, OutboundMail
from bot.reply import Purpose

log = logging.getLogger(__name__)

ACKNOWLEDGEMENTS = frozenset({Purpose.QUESTION_RECEIVED, Purpose.ALREADY_REGISTERED,
                              Purpose.NOT_REGISTERED, Purpose.REGISTRATION_CLOSED})


def blocked_by_limits(session: Session, *, recipient: str, purpose: Purpose, now: dt.datetime,
                      limits: LimitsConfig) -> str | None:
    """The name of the limit that stops this automatic reply, or None."""
    automatic = select(func.count()).select_from(OutboundMail).where(OutboundMail.automatic)
    window = now - dt.timedelta(minutes=limits.circuit_breaker_minutes)
    recent_rows = (select(OutboundMail.id).where(OutboundMail.automatic,
                                                 OutboundMail.created_at >= window)
                   .limit(limits.circuit_breaker_replies).subquery())
    # counting stops at the threshold: a backlog of thousands costs no more than that
    recent = session.exec(select(func.count()).select_from(recent_rows)).one()
    if recent >= limits.circuit_breaker_replies:
        _alert_once(session, now, limits, recent)
        return "circuit_breaker"
    mine = automatic.where(OutboundMail.recipient == recipient)
    today = session.exec(mine.where(OutboundMail.created_at >= now - dt.timedelta(days=1))).one()
    if today >= limits.replies_per_sender_per_day:
        return "daily_reply_cap"
    if purpose in ACKNOWLEDGEMENTS:
        since = now - dt.timedelta(hours=limits.same_reply_window_hours)
        same = session.exec(mine.where(OutboundMail.purpose == purpose,
                                       OutboundMail.created_at >= since)).one()
        if same:
            return "same_reply_recently"
    return None


def _alert_once(session: Session, now: dt.datetime, limits: LimitsConfig, count: int) -> None:
    open_alert = session.exec(select(Alert).where(Alert.kind == "circuit_breaker",
                                                  Alert.resolved_at.is_(None))).first()
    if open_alert is None:
        message = (f"{count} automatic replies in {limits.circuit_breaker_minutes} minutes: "
                   "automatic replies are stopped until fewer go out. Check the mailbox for a "
                   "mail loop.")
        session.add(Alert(kind="circuit_breaker", message=message, created_at=now))
        log.error("circuit breaker: %s", message)
