"""Send stage: due outbox rows in, mail handed to the SMTP server out.

In: the database engine and the ``[smtp]``/``[worker]`` settings. Out: a :class:`SendSummary`.
Each due row is claimed in a short transaction (its attempt counted, leased for
``send_lease_seconds``),
sent on one reused SMTP connection outside any transaction (a slow server holds no database
lock), and marked ``sent`` right after the server's 250; a crash can duplicate at most the
one mail in flight, and a claimed row whose worker died is due again when its lease ends.
Rows go in order of priority (confirmations, then acknowledgements, then reminders and updates),
at the pace ``[smtp] max_per_minute``/``max_per_day`` allow (:mod:`bot.outbound.pace`): when the
budget is used up the flush stops and the rest waits for the next one. A quota or rate answer
(:class:`~bot.errors.QuotaDeferral`) is no failure: the row waits, its attempt is not counted,
and the whole outbox pauses. Any other 4xx reply or a connection problem is retried with
doubling backoff; a 5xx reply marks the row ``failed`` (staff see it) and is never retried. A
non-ASCII address (RFC 6532) goes with SMTPUTF8 where the server offers it
(:mod:`bot.outbound.smtp`) and fails for good otherwise; whatever goes wrong with one
row, it fails alone and the flush goes on. On PostgreSQL, ``FOR UPDATE SKIP LOCKED`` keeps
two workers from sending the same row. With ``[smtp] auth = "oauth2"`` it logs in with XOAUTH2
and the mailbox's access token, fetched before any row is claimed: without a token nothing is
sent and no attempt is counted (the error is logged; the rows wait for the next flush).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.config.types import SmtpConfig, WorkerConfig
from bot.errors import (
    OAuthError,
    PermanentSendError,
    QuotaDeferral,
    SendError,
)
from bot.logs import redact
from bot.outbound import pace
from bot.outbound.smtp import SmtpConnection
from bot.store.db import writer
from bot.store.models import OutboundMail, OutboundStatus, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendSummary:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    waiting_until: dt.datetime | None = None  # the pace or a quota answer holds the rest


def flush_outbox(engine: Engine, smtp: SmtpConfig, worker: WorkerConfig, *,
                 now: dt.datetime | None = None, chunk: int = 1000,
                 tokens: Callable[[], str] | None = None) -> SendSummary:
    """Send every due row and return how it went.

    Due rows are listed ``chunk`` at a time; each is then locked and sent on its own. A row
    that fails transiently gets a later ``next_attempt_at``, so it is not picked again in the
    same flush; a row another worker sent meanwhile is skipped. ``tokens`` returns the OAuth2
    access token for ``smtp.auth = "oauth2"``.
    """
    now = now or utcnow()
    counts = {OutboundStatus.SENT: 0, OutboundStatus.PENDING: 0, OutboundStatus.FAILED: 0}
    connection = SmtpConnection(smtp, tokens)
    tried: set[int] = set()  # rows locked by another worker are not waited for
    waiting_until = None
    try:
        while waiting_until is None and (
                ids := [i for i in _due_ids(engine, now, chunk + len(tried)) if i not in tried]):
            try:
                connection.authorize()
            except OAuthError as e:
                log.error("outbox: nothing sent, no OAuth2 access token: %s", e)
                break
            tried.update(ids)
            for row_id in ids:
                claimed = _claim(engine, row_id, now, smtp,
                                 dt.timedelta(seconds=worker.send_lease_seconds))
                if isinstance(claimed, dt.datetime):
                    waiting_until = claimed  # the pace allows no more now
                    break
                if claimed is None:
                    continue  # sent or claimed by another worker meanwhile
                recipient, raw = claimed
                try:  # outside any transaction: a slow SMTP server holds no database lock
                    connection.send(smtp.from_address, recipient, raw)
                    error = None
                except SendError as e:
                    error = e
                except Exception as e:  # one bad row never stops a flush: it fails alone
                    connection.reset()
                    error = PermanentSendError(f"{type(e).__name__}: {e}")
                status, paused = _record_result(engine, row_id, error, worker, now)
                counts[status] += 1
                if paused is not None:
                    waiting_until = paused  # a quota answer: do not hammer the server
                    break
    finally:
        connection.close()
    summary = SendSummary(counts[OutboundStatus.SENT], counts[OutboundStatus.PENDING],
                          counts[OutboundStatus.FAILED], waiting_until)
    if summary != SendSummary():
        log.info("outbox: %d sent, %d to retry, %d failed%s", summary.sent, summary.retrying,
                 summary.failed, f"; the rest waits until {waiting_until:%H:%M:%S} UTC"
                 if waiting_until else "")
    return summary


def _due_ids(engine: Engine, now: dt.datetime, chunk: int) -> list[int]:
    with Session(engine) as session:
        return list(session.exec(
            select(OutboundMail.id).where(OutboundMail.status == OutboundStatus.PENDING,
                                          OutboundMail.next_attempt_at <= now)
            # by priority; mail to verified senders first: strangers' acknowledgements never
            # hold it up
            .order_by(OutboundMail.priority, OutboundMail.unverified_recipient, OutboundMail.id)
            .limit(chunk)))


def _claim(engine: Engine, row_id: int, now: dt.datetime, smtp: SmtpConfig,
           lease: dt.timedelta) -> tuple[str, bytes] | dt.datetime | None:
    """Take a due row for sending: count the attempt and lease it (``[worker]
    send_lease_seconds``), so no other worker picks it up meanwhile; a worker that dies
    mid-send leaves it due again when the lease ends. When the pace allows no mail now, return
    when it will; None when the row is gone (sent or claimed by another worker)."""
    with Session(writer(engine)) as session:
        wait = pace.may_send(session, smtp, _later(now))  # takes the pace row's lock
        if wait is not None:
            return wait
        row = session.exec(
            select(OutboundMail)
            .where(OutboundMail.id == row_id, OutboundMail.status == OutboundStatus.PENDING,
                   OutboundMail.next_attempt_at <= now)
            .with_for_update(skip_locked=True)).first()
        if row is None:
            return None
        row.attempts += 1
        row.claimed_at = _later(now)
        row.next_attempt_at = _later(now) + lease  # a long flush must not shorten the lease
        claimed = row.recipient, row.raw  # read before the commit expires the row
        session.add(row)
        session.commit()
        return claimed


def _record_result(engine: Engine, row_id: int, error: SendError | None, worker: WorkerConfig,
                   now: dt.datetime) -> tuple[OutboundStatus, dt.datetime | None]:
    """Record how the send went; with a quota answer, also pause the outbox (returns until
    when)."""
    with Session(writer(engine)) as session:
        paused = _pause_for(session, error, _later(now))
        if error is None:
            pace.accepted(session)
        row = session.get(OutboundMail, row_id)
        if row is None:  # erased meanwhile (bot.ops.privacy): there is nothing left to record
            session.commit()
            return (OutboundStatus.FAILED if error else OutboundStatus.SENT), paused
        if paused is not None:  # not this mail's fault: it waits, its attempt not counted
            row.attempts, row.next_attempt_at, row.last_error = (
                row.attempts - 1, paused, str(error))
            log.warning("outbox #%s: the SMTP server asks to slow down; sending paused until "
                        "%s UTC: %s", row.id, f"{paused:%H:%M:%S}", redact(error))
            status = OutboundStatus.PENDING
        else:
            status = _apply_result(row, error, worker, _later(now))
        session.add(row)
        session.commit()
        return status, paused


def _pause_for(session: Session, error: SendError | None, now: dt.datetime
               ) -> dt.datetime | None:
    """For a quota or rate answer: pause the whole outbox (doubling while it goes on)."""
    if not isinstance(error, QuotaDeferral):
        return None
    row = pace.pace_row(session)
    until = now + pace.quota_pause(error.code, str(error), row.strikes)
    pace.pause(session, until, str(error))
    return until


def _later(now: dt.datetime) -> dt.datetime:
    """The flush's clock, or the wall clock once a long flush has passed it (tests pass a
    simulated ``now`` ahead of the wall clock)."""
    return max(now, utcnow())


def _apply_result(row: OutboundMail, error: SendError | None, worker: WorkerConfig,
                  now: dt.datetime) -> OutboundStatus:
    """Sent, failed for good (5xx, or too many attempts), or due again after a backoff."""
    if error is None:
        row.status, row.sent_at, row.last_error = OutboundStatus.SENT, utcnow(), None
        row.next_attempt_at = now
        log.info("outbox #%s %s: sent (%s)", row.id, row.message_id, row.purpose)
    elif isinstance(error, PermanentSendError) or row.attempts >= worker.max_send_attempts:
        row.status, row.last_error = OutboundStatus.FAILED, str(error)
        log.warning("outbox #%s %s: failed after %d attempts: %s", row.id, row.message_id,
                    row.attempts, redact(error))
    else:
        delay = min(worker.retry_base_seconds * 2 ** (row.attempts - 1), worker.retry_max_seconds)
        row.next_attempt_at, row.last_error = now + dt.timedelta(seconds=delay), str(error)
        log.info("outbox #%s %s: will retry in %d s: %s", row.id, row.message_id, delay,
                 redact(error))
    return row.status
