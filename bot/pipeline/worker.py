"""The scheduled worker behind ``inbox-bot run``: APScheduler jobs until SIGTERM or SIGINT.

In: a :class:`~bot.runtime.Runtime`. Out: nothing; it runs until stopped. Jobs:

- ``poll`` every ``[worker] poll_interval_seconds``: one :func:`~bot.pipeline.flow.poll_once`
  (process the inbox, queue due reminders and updates, flush the outbox);
- ``outbox`` every 30 seconds: queue due reminders and event updates
  (:mod:`bot.pipeline.scheduled`) and send what is due, retries included;
- ``reconcile`` once a day: every message in the mailbox accounted for (:mod:`bot.ops.reconcile`);
- ``health`` every minute: a heartbeat, and alerts to the dashboard, the log and one mail to
  staff per problem (:mod:`bot.ops.monitor`);
- ``purge`` once a day: the retention purge of personal data after the event
  (:mod:`bot.ops.privacy`; it acts once, ``[privacy] retention_days_after_event`` after the event).

Where the server offers IMAP IDLE, a watcher thread keeps one connection in IDLE (re-issued
every ``IDLE_SLICE_SECONDS``, well within the 29 minutes RFC 2177 allows) and runs the poll job
at once when the server reports a change; a dropped connection is re-opened with capped
exponential backoff, and the next poll reads whatever is still in the inbox. Without IDLE the
worker polls.
All jobs run with ``max_instances=1`` and ``coalesce=True``: a slow poll never overlaps the
next, and missed runs collapse into one. A failing job is logged and tried again later.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
from collections.abc import Callable

from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy.exc import OperationalError

from bot.errors import MailboxError
from bot.inbound.mailbox import Mailbox
from bot.ops.monitor import check_health
from bot.ops.privacy import run_purge
from bot.ops.reconcile import reconcile_and_alert
from bot.outbound.outbox import flush_outbox
from bot.pipeline.flow import poll_once
from bot.pipeline.scheduled import queue_scheduled_mail
from bot.runtime import Runtime
from bot.store.models import utcnow

log = logging.getLogger(__name__)

OUTBOX_INTERVAL_SECONDS = 30
HEALTH_INTERVAL_SECONDS = 60
IDLE_SLICE_SECONDS = 25
BACKOFF_MAX_SECONDS = 300


def poll_job(rt: Runtime, after_poll: Callable[[], None] | None = None) -> None:
    """The scheduled poll: the same function as ``inbox-bot poll --once``, failures logged."""
    try:
        summary = poll_once(rt)
    except (MailboxError, OperationalError) as e:
        log.error("poll failed, will retry at the next interval: %s", e)
        return
    log.info("poll done: %s", {str(k): n for k, n in summary.fates.items()} or "inbox empty")
    if after_poll:
        after_poll()


def outbox_job(rt: Runtime) -> None:
    """Queue due reminders and event updates, release held replies the limits now allow, and
    send what is due (retries included)."""
    if rt.config.dry_run:
        return
    try:
        queue_scheduled_mail(rt, utcnow())
        flush_outbox(rt.engine, rt.config.smtp, rt.config.worker, tokens=rt.tokens)
    except OperationalError as e:
        log.error("outbox flush failed, will retry: %s", e)


def reconcile_job(rt: Runtime) -> None:
    if rt.config.dry_run:
        return  # nothing is filed in a dry run: every message would look unaccounted for
    try:
        reconcile_and_alert(rt)
    except (MailboxError, OperationalError) as e:
        log.error("reconcile failed, will retry tomorrow: %s", e)


def health_job(rt: Runtime, started_at: dt.datetime) -> None:
    try:
        check_health(rt, started_at=started_at)
    except OperationalError as e:
        log.error("health check failed, will retry: %s", e)


def purge_job(rt: Runtime) -> None:
    try:
        run_purge(rt, utcnow())
    except OperationalError as e:
        log.error("retention purge failed, will retry tomorrow: %s", e)


def watch_mailbox(rt: Runtime, on_change, stop: threading.Event) -> None:
    """Wait in IMAP IDLE and call ``on_change`` when the server reports something."""
    backoff = 1.0
    while not stop.is_set():
        try:
            with Mailbox(rt.config.mailbox, tokens=rt.tokens) as mailbox:
                if not mailbox.has_idle():
                    log.info("server has no IDLE: polling every %d s",
                             rt.config.worker.poll_interval_seconds)
                    return
                backoff = 1.0
                while not stop.is_set():
                    if mailbox.wait_for_change(IDLE_SLICE_SECONDS):
                        log.debug("IDLE: the mailbox changed")
                        on_change()
        except MailboxError as e:
            log.warning("IDLE connection lost (%s); reconnecting in %.0f s", e, backoff)
            stop.wait(backoff)
            backoff = min(backoff * 2, BACKOFF_MAX_SECONDS)


def run_worker(rt: Runtime, after_poll: Callable[[], None] | None = None) -> None:
    """Run the jobs (and the IDLE watcher) until SIGTERM/SIGINT; ``after_poll`` is called
    after each successful poll (``--dry-run`` prints its decisions there)."""
    scheduler = BlockingScheduler(timezone="UTC")
    defaults = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
    woken = threading.Event()  # IDLE reported a change; the poll may be running already

    def poll() -> None:
        woken.clear()
        poll_job(rt, after_poll)
        if woken.is_set():  # the wake-up came while this poll ran: APScheduler skipped it
            scheduler.modify_job("poll", next_run_time=utcnow())

    scheduler.add_job(poll, "interval", id="poll",
                      next_run_time=utcnow(), seconds=rt.config.worker.poll_interval_seconds,
                      **defaults)
    scheduler.add_job(outbox_job, "interval", args=[rt], id="outbox",
                      seconds=OUTBOX_INTERVAL_SECONDS, **defaults)
    scheduler.add_job(reconcile_job, "interval", args=[rt], id="reconcile", days=1,
                      next_run_time=utcnow() + dt.timedelta(minutes=5), **defaults)
    scheduler.add_job(health_job, "interval", args=[rt, utcnow()], id="health",
                      seconds=HEALTH_INTERVAL_SECONDS, next_run_time=utcnow(), **defaults)
    scheduler.add_job(purge_job, "interval", args=[rt], id="purge", days=1,
                      next_run_time=utcnow() + dt.timedelta(minutes=10), **defaults)
    stop = threading.Event()

    def poll_now() -> None:
        woken.set()
        scheduler.modify_job("poll", next_run_time=utcnow())

    watcher = threading.Thread(target=watch_mailbox, args=(rt, poll_now, stop),
                               name="imap-idle", daemon=True)

    def shutdown(signum: int, _frame: object) -> None:
        log.info("received %s; stopping after the running job", signal.Signals(signum).name)
        stop.set()
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    log.info("worker started: watching %s (IDLE where offered; polling every %d s)",
             rt.config.mailbox.folder, rt.config.worker.poll_interval_seconds)
    watcher.start()
    scheduler.start()
    rt.preparer.close()
    log.info("worker stopped")
