"""Send stage: due outbox rows in, mail handed to the SMTP server out.

In: the database engine and the ``[smtp]``/``[worker]`` settings. Out: a :class:`SendSummary`.
Due rows are claimed :data:`BATCH` at a time in a short transaction (their attempt counted,
leased for ``send_lease_seconds``); each one's lease is renewed just before it is sent on one
reused SMTP connection outside any transaction (a slow server holds no database lock), and it
is marked ``sent`` right after the server's 250, in the transaction that renews the next one's
lease; a crash can duplicate at most the one mail in flight, and a claimed row whose worker
died is due again when its lease ends.
Rows go in order of priority (confirmations, then acknowledgements, then reminders and updates,
then staff's group mails, last the notices to staff: :class:`~bot.outbound.pace.Priority`),
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
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import or_, update
from sqlalchemy.engine import Connection, Engine
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
from bot.store.models import OutboundMail, OutboundStatus, OutboxPace, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendSummary:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    waiting_until: dt.datetime | None = None  # the pace or a quota answer holds the rest


BATCH = 50  # rows claimed in one transaction, under one lease


@dataclass(frozen=True)
class Claimed:
    """A row taken for sending: what the SMTP server gets, what the log names, and the claim's
    time (a row claimed again by another worker has another)."""

    id: int
    recipient: str
    raw: bytes
    message_id: str
    purpose: str
    claimed_at: dt.datetime


def _ours(row: Claimed):
    """The row, as long as it is still pending under this claim."""
    return (OutboundMail.id == row.id, OutboundMail.claimed_at == row.claimed_at,
            OutboundMail.status == OutboundStatus.PENDING)


def flush_outbox(engine: Engine, smtp: SmtpConfig, worker: WorkerConfig, *,
                 now: dt.datetime | None = None, chunk: int = 1000,
                 tokens: Callable[[], str] | None = None,
                 only: Collection[int] | None = None) -> SendSummary:
    """Send every due row the pace allows and return how it went.

    Due rows are listed ``chunk`` at a time and claimed :data:`BATCH` at a time, then sent one
    by one on one connection, each marked sent right after the server's 250. A row that fails
    transiently gets a later ``next_attempt_at``, so it is not picked again in the same flush;
    a row another worker claimed meanwhile is skipped. ``tokens`` returns the OAuth2 access
    token for ``smtp.auth = "oauth2"``. ``only`` limits the flush to those rows (a staff
    member's test mail goes now, without the request sending the backlog).
    """
    now = now or utcnow()
    lease = dt.timedelta(seconds=worker.send_lease_seconds)
    counts = {OutboundStatus.SENT: 0, OutboundStatus.PENDING: 0, OutboundStatus.FAILED: 0}
    connection = SmtpConnection(smtp, tokens)
    tried: set[int] = set()  # rows locked by another worker are not waited for
    waiting_until = None
    try:
        while waiting_until is None and (
                ids := [i for i in _due_ids(engine, now, chunk + len(tried), only)
                        if i not in tried]):
            try:
                connection.authorize()
            except OAuthError as e:
                log.error("outbox: nothing sent, no OAuth2 access token: %s", e)
                break
            tried.update(ids)
            for start in range(0, len(ids), BATCH):
                claimed, waiting_until = _claim(engine, ids[start:start + BATCH], now, smtp,
                                                lease)
                fresh = True  # the first row's lease: it was claimed just now
                for n, row in enumerate(claimed):
                    upcoming = claimed[n + 1] if n + 1 < len(claimed) else None
                    sent = _send_one(engine, connection, smtp, row, worker, now, lease,
                                     fresh=fresh, upcoming=upcoming,
                                     first=not counts[OutboundStatus.SENT])
                    if sent.status is not None:  # None: not attempted (paused, not ours now)
                        counts[sent.status] += 1
                    if sent.paused is not None:  # a quota answer, ours or another worker's
                        with writer(engine).begin() as db:  # (a row given back already is
                            _release(db, claimed[n + 1:], sent.paused)  # not ours: skipped)
                        waiting_until = sent.paused
                        break
                    fresh = sent.upcoming_fresh
                if waiting_until is not None:
                    break  # the pace allows no more now
    finally:
        connection.close()
    summary = SendSummary(counts[OutboundStatus.SENT], counts[OutboundStatus.PENDING],
                          counts[OutboundStatus.FAILED], waiting_until)
    if summary != SendSummary():
        log.info("outbox: %d sent, %d to retry, %d failed%s", summary.sent, summary.retrying,
                 summary.failed, f"; the rest waits until {waiting_until:%H:%M:%S} UTC"
                 if waiting_until else "")
    return summary


class Sent(NamedTuple):
    """How handing one row to the server went (:func:`_send_one`)."""

    status: OutboundStatus | None  # None: not attempted (paused, or another worker's now)
    paused: dt.datetime | None     # the outbox pauses until then (a quota answer)
    upcoming_fresh: bool = False   # the next row's lease was renewed for its turn


def _send_one(engine: Engine, connection: SmtpConnection, smtp: SmtpConfig, row: Claimed,
              worker: WorkerConfig, now: dt.datetime, lease: dt.timedelta, *, fresh: bool,
              upcoming: Claimed | None, first: bool) -> Sent:
    """Hand one claimed row to the server, outside any transaction (a slow SMTP server holds no
    database lock), and record how it went.

    A row is sent only with a fresh lease (``fresh``: claimed or renewed just now; else it is
    renewed first, :func:`_renew`). The transaction that marks a row sent, right after the
    server's 250, also renews the ``upcoming`` row, so a mail sent costs one transaction. The
    first mail the flush gets through also ends a pause that is over (the strikes start again
    from nothing)."""
    if not fresh:
        with writer(engine).begin() as db:
            ours, paused = _renew(db, row, now, lease)
        if not ours:
            return Sent(None, paused)
    try:
        connection.send(smtp.from_address, row.recipient, row.raw)
    except SendError as e:
        return Sent(*_record_result(engine, row, e, worker, now))
    except Exception as e:  # one bad row never stops a flush: it fails alone
        connection.reset()
        return Sent(*_record_result(engine, row, PermanentSendError(f"{type(e).__name__}: {e}"),
                                    worker, now))
    with writer(engine).begin() as db:  # cheap statements, right after the 250
        db.execute(update(OutboundMail).where(*_ours(row)).values(
            status=OutboundStatus.SENT, sent_at=utcnow(), last_error=None,
            next_attempt_at=_later(now)))
        if first:  # the server takes mail again, after a pause
            db.execute(update(OutboxPace).where(
                OutboxPace.strikes > 0, or_(OutboxPace.paused_until.is_(None),
                                            OutboxPace.paused_until <= _later(now)))
                .values(strikes=0, paused_until=None, reason=None))
        fresh, paused = _renew(db, upcoming, now, lease) if upcoming else (False, None)
    log.info("outbox #%s %s: sent (%s)", row.id, row.message_id, row.purpose)
    return Sent(OutboundStatus.SENT, paused, fresh)


def _renew(db: Connection, row: Claimed, now: dt.datetime, lease: dt.timedelta
           ) -> tuple[bool, dt.datetime | None]:
    """Renew ``row``'s lease for its turn, in the caller's transaction ``db``, only while the
    row is still ours (no other worker took it when a slow server outlasted the lease) and the
    outbox is not paused: a paused outbox gives the row back unattempted (returns False and
    until when), a row another worker took is left to it (False, None)."""
    paused = db.execute(select(OutboxPace.paused_until).where(
        OutboxPace.id == 1, OutboxPace.paused_until > _later(now))).scalar()
    if paused is not None:
        _release(db, [row], paused)
        return False, paused
    return bool(db.execute(update(OutboundMail).where(*_ours(row)).values(
        next_attempt_at=_later(now) + lease)).rowcount), None


def _due_ids(engine: Engine, now: dt.datetime, chunk: int,
             only: Collection[int] | None = None) -> list[int]:
    chosen = [] if only is None else [OutboundMail.id.in_(only)]
    with Session(engine) as session:
        return list(session.exec(
            select(OutboundMail.id).where(OutboundMail.status == OutboundStatus.PENDING,
                                          OutboundMail.next_attempt_at <= now, *chosen)
            .order_by(*_ORDER).limit(chunk)))


# by priority; within one, mail to verified senders first
_ORDER = (OutboundMail.priority, OutboundMail.unverified_recipient, OutboundMail.id)


def _claim(engine: Engine, ids: list[int], now: dt.datetime, smtp: SmtpConfig,
           lease: dt.timedelta) -> tuple[list[Claimed], dt.datetime | None]:
    """Take as many of the due rows ``ids`` as the pace allows, in one transaction: count their
    attempt and lease them (``[worker] send_lease_seconds``), so no other worker picks them up
    meanwhile; a worker that dies mid-send leaves them due again when the lease ends. Returns
    the rows taken, and, when the pace allows no more now (none, or fewer than offered), when
    it will."""
    at = _later(now)
    with Session(writer(engine)) as session:
        room, wait = pace.room(session, smtp, at)  # with a limit: the pace row's lock
        if wait is not None:
            return [], wait
        rows = session.exec(
            select(OutboundMail).where(OutboundMail.id.in_(ids),
                                       OutboundMail.status == OutboundStatus.PENDING,
                                       OutboundMail.next_attempt_at <= now)
            .order_by(*_ORDER).limit(len(ids) if room is None else min(room, len(ids)))
            .with_for_update(skip_locked=True)).all()
        for row in rows:
            row.attempts += 1
            row.claimed_at = at
            row.next_attempt_at = at + lease  # a long flush must not shorten the lease
            session.add(row)
        claimed = [Claimed(r.id, r.recipient, r.raw, r.message_id, r.purpose, at) for r in rows]
        if room is not None and len(rows) < len(ids):  # the pace is used up: until when
            session.flush()
            wait = pace.room(session, smtp, at)[1]
        session.commit()
        return claimed, wait


def _release(db: Connection, rows: list[Claimed], until: dt.datetime) -> None:
    """Give back rows claimed but not sent (the outbox paused), in the caller's transaction
    ``db``: not attempted, due ``until``; a row another worker has claimed since is not
    touched."""
    for row in rows:
        db.execute(update(OutboundMail).where(*_ours(row)).values(
            attempts=OutboundMail.attempts - 1, claimed_at=None, next_attempt_at=until))


def _record_result(engine: Engine, claimed: Claimed, error: SendError, worker: WorkerConfig,
                   now: dt.datetime) -> tuple[OutboundStatus | None, dt.datetime | None]:
    """Record a failed send; with a quota answer, also pause the outbox (returns until
    when)."""
    with Session(writer(engine)) as session:
        paused = (pace.pause(session, error.code, str(error), _later(now))  # a quota or rate
                  if isinstance(error, QuotaDeferral) else None)  # answer: the outbox waits
        row = session.exec(select(OutboundMail).where(*_ours(claimed))).first()
        if row is None:  # erased meanwhile (bot.ops.privacy), or another worker's claim now
            session.commit()
            return None, paused
        if paused is not None:  # not this mail's fault: it waits, its attempt not counted
            row.attempts, row.next_attempt_at, row.last_error, row.claimed_at = (
                row.attempts - 1, paused, str(error), None)  # the server did not take it
            log.warning("outbox #%s: the SMTP server asks to slow down; sending paused until "
                        "%s UTC: %s", row.id, f"{paused:%H:%M:%S}", redact(error))
            status = OutboundStatus.PENDING
        else:
            status = _apply_result(row, error, worker, _later(now))
        session.add(row)
        session.commit()
        return status, paused


def _later(now: dt.datetime) -> dt.datetime:
    """The flush's clock, or the wall clock once a long flush has passed it (tests pass a
    simulated ``now`` ahead of the wall clock)."""
    return max(now, utcnow())


def _apply_result(row: OutboundMail, error: SendError, worker: WorkerConfig,
                  now: dt.datetime) -> OutboundStatus:
    """Failed for good (5xx, or too many attempts), or due again after a backoff."""
    if isinstance(error, PermanentSendError) or row.attempts >= worker.max_send_attempts:
        row.status, row.last_error = OutboundStatus.FAILED, str(error)
        log.warning("outbox #%s %s: failed after %d attempts: %s", row.id, row.message_id,
                    row.attempts, redact(error))
    else:
        delay = min(worker.retry_base_seconds * 2 ** (row.attempts - 1), worker.retry_max_seconds)
        row.next_attempt_at, row.last_error = now + dt.timedelta(seconds=delay), str(error)
        log.info("outbox #%s %s: will retry in %d s: %s", row.id, row.message_id, delay,
                 redact(error))
    return row.status
