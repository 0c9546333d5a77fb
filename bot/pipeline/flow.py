"""The flow of one poll, written out once: fetch → parse → classify → decide → record → reply → mark
done, then send. Parse and classify of a large batch run in a second process
(:mod:`bot.pipeline.reader`) while the next batch is fetched and the previous one recorded.

In: a :class:`~bot.runtime.Runtime` (configuration, database engine, templates; built once at
start-up). Out: a :class:`PollSummary`. A fetched batch is recorded in one transaction
(:func:`record_batch`), each message in a savepoint of it by :func:`handle_in`, the one place
where a failure of one message is caught: the message rolls back to its savepoint, is quarantined
with the reason, and the batch goes on. A unique key that fires means another worker recorded it
first (a duplicate); an unavailable database (``OperationalError``) is not caught: the batch stays
unrecorded in the inbox and the next poll retries it (only a value past a database limit,
SQLSTATE class 54, is the message's fault and quarantines it). Messages are moved out of the
inbox only after their transaction committed; a message recorded but not yet moved (a crash in
between) is recognised by its UID on the next poll and only moved.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from bot.errors import MessageRejected
from bot.inbound.mailbox import FetchedMessage, Mailbox
from bot.logs import redact
from bot.ops.monitor import beat
from bot.outbound.outbox import SendSummary, flush_outbox
from bot.pipeline.prepare import Prepared
from bot.pipeline.scheduled import queue_scheduled_mail
from bot.register.decide import decide
from bot.register.lifecycle import lock_events
from bot.register.record import (
    apply_decision,
    plan_replies,
    record,
    record_quarantine,
    render_and_queue,
)
from bot.register.recorded import (
    Identity,
    Location,
    Seen,
    find_recorded,
    recorded_uids,
    sha256_of,
)
from bot.runtime import Runtime
from bot.store.db import writer
from bot.store.models import Beat, MessageStatus, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Handled:
    """What became of one message: its fate, what it was (a ``Kind`` value, or the fate for a
    message that was not read: ``quarantined``, ``duplicate``) and how many replies it queued."""

    fate: MessageStatus
    kind: str
    queued: int = 0


@dataclass
class PollSummary:
    fates: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    replies_queued: int = 0
    refiled: int = 0  # recorded earlier but still in the inbox: only moved now
    scheduled: int = 0  # event updates and reminders queued, held replies released
    sent: SendSummary = field(default_factory=SendSummary)


def poll_once(rt: Runtime) -> PollSummary:
    """One full cycle: process everything in the inbox, queue due event updates and
    reminders, then flush the outbox."""
    with Mailbox(rt.config.mailbox, tokens=rt.tokens) as mailbox:
        summary = process_mailbox(mailbox, rt)
    beat(rt.engine, Beat.POLL)  # the health monitor's sign that polling works
    summary.scheduled = queue_scheduled_mail(rt, utcnow())
    if rt.config.dry_run:
        return summary  # replies stay in the (scratch) outbox, unsent
    summary.sent = flush_outbox(rt.engine, rt.config.smtp, rt.config.worker, tokens=rt.tokens)
    return summary


def process_mailbox(mailbox: Mailbox, rt: Runtime) -> PollSummary:
    """Handle every message in the watched folder, batch by batch, and file each one away."""
    cfg = rt.config
    summary = PollSummary()
    uids = mailbox.list_uids()
    with Session(rt.engine) as session:
        recorded = recorded_uids(session, cfg.mailbox.folder, mailbox.uidvalidity, uids)
    if recorded:
        summary.refiled = len(recorded)
        file_away(mailbox, rt, recorded)
    new = [uid for uid in uids if uid not in recorded]
    size = cfg.worker.batch_size
    ahead = None  # the batch fetched last, being parsed (on the second core) meanwhile
    for start in range(0, len(new) + size, size):
        chunk = new[start:start + size]
        batch = mailbox.fetch(chunk, max_bytes=cfg.worker.max_message_bytes) if chunk else []
        current, ahead = ahead, ((batch, rt.preparer.submit(batch)) if batch else None)
        if current:
            record_batch(mailbox, rt, *current, summary)
    return summary


def record_batch(mailbox: Mailbox, rt: Runtime, batch: list[FetchedMessage],
                 prepared: Callable[[], list[Prepared]], summary: PollSummary) -> None:
    """Record a parsed batch in one transaction, a savepoint per message, then file it away.

    The events are locked first, in one order, for the whole batch (no two workers can
    deadlock over them); nothing leaves the bot before the commit (replies wait in the outbox,
    the move comes after), so a crash only repeats the batch's work."""
    fates = {}
    read = prepared()  # before the transaction: reading has its time budget, the lock not
    folder = rt.config.mailbox.folder
    identities = [Identity(Location(folder, mailbox.uidvalidity, fetched.uid),
                           _message_id(ready), sha256_of(fetched.raw)) for fetched, ready in
                  zip(batch, read, strict=True)]
    with Session(writer(rt.engine)) as session:
        lock_events(session, rt.config.events)
        seen = Seen.of(session, identities)  # after the lock: another worker's batch is in
        for fetched, ready, identity in zip(batch, read, identities, strict=True):
            handled = handle_in(session, fetched, identity, rt, ready, seen)
            fates[fetched.uid] = handled.fate
            summary.fates[handled.fate] += 1
            summary.kinds[handled.kind] += 1
            summary.replies_queued += handled.queued
        session.commit()
    file_away(mailbox, rt, fates)


def handle_message(fetched: FetchedMessage, location: Location, rt: Runtime,
                   ready: Prepared | None = None) -> Handled:
    """One message in a transaction of its own (:func:`handle_in`), e.g. out of quarantine."""
    ready = ready or rt.preparer.one(fetched)
    identity = Identity(location, _message_id(ready), sha256_of(fetched.raw))
    with Session(writer(rt.engine)) as session:
        lock_events(session, rt.config.events)
        handled = handle_in(session, fetched, identity, rt, ready,
                            Seen.of(session, [identity]))
        session.commit()
    return handled


def handle_in(session: Session, fetched: FetchedMessage, identity: Identity, rt: Runtime,
              ready: Prepared, seen: Seen) -> Handled:
    """One parsed and classified message (``ready``) through the stages, in a savepoint of the
    caller's transaction (which holds the events' locks:
    :func:`~bot.register.lifecycle.lock_events`): find it recorded (in ``seen``, looked up
    for the batch; a duplicate changes nothing), decide, record, apply the decision, plan the
    replies, render and queue them. A message that fails rolls back to its savepoint and is
    quarantined. Either way it is added to ``seen``.

    Returns what became of it (:class:`Handled`).
    """
    cfg = rt.config
    if seen.has(identity):
        log.info("uid=%s: already recorded; duplicate", fetched.uid, extra={
            "fields": {"event": "message", "uid": fetched.uid, "fate": "duplicate"}})
        return _unread(MessageStatus.DUPLICATE)
    try:
        if ready.error is not None:
            raise ready.error
        mail, verdict = ready.mail, ready.verdict
        with session.begin_nested():
            now = utcnow()
            decision = decide(session, mail, verdict, cfg, received_at=fetched.received_at,
                              now=now)
            row = record(session, identity, fetched.raw, mail, verdict, decision,
                         received_at=fetched.received_at)
            notices = apply_decision(session, decision, verdict, mail, row, cfg.questions)
            requests = plan_replies(session, notices, decision, verdict, mail, cfg, row,
                                    now=now)
            queued = render_and_queue(session, requests, cfg, rt.templates, source_id=row.id,
                                      now=now)
        seen.add(identity)
    except IntegrityError as e:  # a unique key fired: another worker won the race, or a bug
        if find_recorded(session, replace(identity, message_id=None)) is None:
            return _unread(quarantine(session, fetched, identity, e, seen))
        log.info("uid=%s: recorded concurrently by another worker; duplicate", fetched.uid)
        return _unread(MessageStatus.DUPLICATE)
    except OperationalError as e:
        if not _beyond_a_limit(e):
            raise  # the database is unavailable: leave the batch in the inbox for the next poll
        return _unread(quarantine(session, fetched, identity, e, seen))
    except Exception as e:
        return _unread(quarantine(session, fetched, identity, e, seen))
    effect = decision.effect
    fields = {"event": "message", "row": row.id, "uid": fetched.uid, "kind": str(verdict.kind),
              "fate": effect.status, "confidence": verdict.confidence,
              "reply": [str(r.purpose) for r in requests], "reasons": list(verdict.reasons)}
    log.info("message #%s uid=%s: %s -> %s (%s)%s", row.id, fetched.uid, verdict.kind,
             effect.status, ", ".join(verdict.reasons),
             f"; reply {', '.join(fields['reply'])}" if requests else "",
             extra={"fields": fields})
    return Handled(effect.status, str(verdict.kind), queued)


def _message_id(ready: Prepared) -> str | None:
    return ready.mail.message_id if ready.error is None else None


def _unread(fate: MessageStatus) -> Handled:
    return Handled(fate, str(fate))


def _beyond_a_limit(error: OperationalError) -> bool:
    """PostgreSQL refused this message's values (SQLSTATE class 54, "program limit exceeded":
    an index entry over 2,704 bytes, say): the message's fault, not the database's."""
    return str(getattr(error.orig, "sqlstate", "") or "").startswith("54")


def quarantine(session: Session, fetched: FetchedMessage, identity: Identity, error: Exception,
               seen: Seen) -> MessageStatus:
    """Record ``fetched`` as quarantined with the reason, in a savepoint of the caller's
    transaction (and in ``seen``, by location and content); it is then moved to Quarantine."""
    reason = str(error) if isinstance(error, MessageRejected) else (
        f"{type(error).__name__}: {error}")
    level = logging.WARNING if isinstance(error, MessageRejected) else logging.ERROR
    # the reason is stored for staff in full; the log gets it without addresses, and the
    # traceback (which may quote the message) only at DEBUG
    log.log(level, "uid=%s: quarantined: %s", fetched.uid, redact(reason),
            extra={"fields": {"event": "message", "uid": fetched.uid, "fate": "quarantined"}})
    log.debug("uid=%s: traceback of the quarantine", fetched.uid, exc_info=error)
    with session.begin_nested():
        row = record_quarantine(session, identity.location, fetched.raw, reason,
                                received_at=fetched.received_at,
                                complete=not fetched.oversized, sha256=identity.sha256)
    seen.add(replace(identity, message_id=None))  # a quarantined row keeps no Message-ID
    return MessageStatus.QUARANTINED if row is not None else MessageStatus.DUPLICATE


def file_away(mailbox: Mailbox, rt: Runtime, fates: dict[int, MessageStatus]) -> None:
    """Mark done: move quarantined mail to the quarantine folder, the rest to processed."""
    if rt.config.dry_run:
        return  # the mailbox stays as it is; the scratch database remembers what was seen
    quarantined = sorted(u for u, f in fates.items() if f is MessageStatus.QUARANTINED)
    done = sorted(u for u, f in fates.items() if f is not MessageStatus.QUARANTINED)
    mailbox.move(done, rt.config.mailbox.processed_folder)
    mailbox.move(quarantined, rt.config.mailbox.quarantine_folder)


__all__ = ["Handled", "PollSummary", "handle_in", "handle_message", "poll_once",
           "process_mailbox"]
