"""Telling staff about new work: a mail for new questions and items to review, or a daily
summary, as each staff member chose (``StaffUser.notify``).

In: a :class:`~bot.runtime.Runtime` and the time (the worker calls :func:`tell_staff` with the
scheduled mail, bot.pipeline.scheduled). Out: notices in the outbox, at the lowest priority
(:class:`bot.outbound.pace.Priority` ``STAFF``), and the number queued. A notice holds counts
and a link to the desk, never a name, an address or a subject: staff read the rest in the desk.

- ``each``: when open questions for them (theirs, or nobody's yet) or messages to review have
  been recorded since the last notice, and the last notice is at least :data:`BUNDLE` old: one
  mail with the new counts. Work that arrives in between waits for the next one, so a flood of
  mail gives one notice per ten minutes. Work is counted by when the bot recorded it (its own
  clock) and only once it is :data:`SETTLED` old, so that a batch still being written when the
  count is taken is counted by the next notice, not lost.
- ``daily``: at their hour (``notify_hour``, in the first event's time zone) or the first run
  after it, once a day, a summary of what is open; no mail when nothing is.
- ``none``, or no address: nothing.

The rows of the staff members to tell are locked while their notices are decided, so two
workers never tell the same person twice; the outbox key (``staff_summary:<id>:<date>``) guards
the summary too. Each member's notice is decided in a savepoint: one that cannot be written
(a broken address) is logged and skipped, and stops nobody else's mail.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from bot.config.types import Config
from bot.outbound.reply import Facts, Purpose, ReplyRequest
from bot.register.record import render_and_queue
from bot.runtime import Runtime
from bot.store.db import writer
from bot.store.desk_models import Notify, StaffUser
from bot.store.models import InboundMessage, MessageStatus, Question, QuestionStatus

log = logging.getLogger(__name__)

BUNDLE = dt.timedelta(minutes=10)  # at most one notice per staff member in this time
SETTLED = dt.timedelta(minutes=2)  # work recorded this long ago is surely committed


def tell_staff(rt: Runtime, now: dt.datetime) -> int:
    """Queue the notices and summaries that are due now; return how many were queued."""
    queued = 0
    with Session(writer(rt.engine)) as session:
        users = session.exec(select(StaffUser).where(
            StaffUser.active, col(StaffUser.email).is_not(None),
            StaffUser.notify != Notify.NONE).order_by(StaffUser.id).with_for_update()).all()
        for user in users:
            user_id = user.id  # (a rolled-back savepoint expires the row)
            try:
                with session.begin_nested():
                    queued += _tell(session, rt, user, now)
            except Exception as e:  # one account must not stop the outbox
                log.error("notice to staff account #%s not queued: %s", user_id,
                          type(e).__name__)
        session.commit()
    if queued:
        log.info("queued %d notices to staff", queued)
    return queued


def _tell(session: Session, rt: Runtime, user: StaffUser, now: dt.datetime) -> int:
    """Queue ``user``'s notice or summary if one is due; return how many were queued."""
    request = (_notice(session, rt.config, user, now) if user.notify is Notify.EACH
               else _summary(session, rt.config, user, now))
    if request is None:
        return 0
    return render_and_queue(session, [request], rt.config, rt.templates, source_id=None,
                            now=now)


def _notice(session: Session, config: Config, user: StaffUser, now: dt.datetime
            ) -> ReplyRequest | None:
    """The notice of new work for ``user``, when there is some and the last is old enough:
    what was recorded after the last notice's count (``notified_upto``) and up to
    :data:`SETTLED` ago."""
    if user.notified_at is not None and now - user.notified_at < BUNDLE:
        return None
    since, until = user.notified_upto or user.created_at, now - SETTLED
    if until <= since:
        return None
    questions = _open_questions(session, user, since, until)
    review = _to_review(session, since, until)
    if not questions and not review:
        return None
    user.notified_at, user.notified_upto = now, until
    session.add(user)
    return _request(config, user, Purpose.STAFF_NOTICE, questions, review,
                    key=f"staff_notice:{user.id}:{now.isoformat()}")


def _summary(session: Session, config: Config, user: StaffUser, now: dt.datetime
             ) -> ReplyRequest | None:
    """The daily summary for ``user``, at their hour or the first run after it, once a day."""
    zone = ZoneInfo(config.event.timezone)
    local = now.astimezone(zone)
    hour = local.replace(hour=user.notify_hour, minute=0, second=0, microsecond=0)
    if local < hour or (user.notified_at is not None and user.notified_at >= hour):
        return None  # not yet today, or done today
    user.notified_at = now
    session.add(user)
    questions = _open_questions(session, user)
    review = _to_review(session)
    if not questions and not review:
        return None
    return _request(config, user, Purpose.STAFF_SUMMARY, questions, review,
                    key=f"staff_summary:{user.id}:{local.date().isoformat()}")


def _open_questions(session: Session, user: StaffUser, since: dt.datetime | None = None,
                    until: dt.datetime | None = None) -> int:
    """How many open questions are ``user``'s or nobody's (recorded after ``since`` and up to
    ``until``, when given)."""
    query = select(func.count()).select_from(Question).where(
        Question.status == QuestionStatus.OPEN,
        or_(col(Question.assignee).is_(None), Question.assignee == user.username))
    if since is not None:
        query = query.where(Question.created_at > since, Question.created_at <= until)
    return session.exec(query).one()


def _to_review(session: Session, since: dt.datetime | None = None,
               until: dt.datetime | None = None) -> int:
    """How many messages wait for a staff decision (recorded after ``since`` and up to
    ``until``, when given)."""
    query = select(func.count()).select_from(InboundMessage).where(
        InboundMessage.status == MessageStatus.NEEDS_REVIEW)
    if since is not None:
        query = query.where(InboundMessage.recorded_at > since,
                            InboundMessage.recorded_at <= until)
    return session.exec(query).one()


def _request(config: Config, user: StaffUser, purpose: Purpose, questions: int, review: int,
             *, key: str) -> ReplyRequest:
    link = f"{config.web.public_url}/vragen" if config.web.public_url else ""
    return ReplyRequest(purpose=purpose, language=user.language, recipient=user.email or "",
                        key=key, automatic=False,  # to staff, not an answer: no reply limits
                        facts=Facts(questions=questions, review=review, link=link))
