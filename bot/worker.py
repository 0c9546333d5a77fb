"""The scheduled worker behind ``inbox-bot run``: APScheduler jobs until SIGTERM or SIGINT.

In: a :class:`~bot.pipeline.Runtime`. Out: nothing; it runs until stopped. Jobs:

- ``poll`` every ``[worker] poll_interval_seconds``: one :func:`~bot.pipeline.poll_once`
  (process the inbox, then flush the outbox);
- ``outbox`` every 30 seconds: queue due reminders and event updates (:mod:`bot.scheduled`)
  and send what is due, retries included.

Both jobs run with ``max_instances=1`` and ``coalesce=True`` (a slow poll never overlaps the next
one; missed runs collapse into one). A failing poll (mailbox unreachable, database down) is
logged and tried again at the next interval; it never stops the worker.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal

from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy.exc import OperationalError

from bot.errors import MailboxError
from bot.models import utcnow
from bot.outbox import flush_outbox
from bot.pipeline import Runtime, poll_once
from bot.scheduled import queue_scheduled_mail

log = logging.getLogger(__name__)

OUTBOX_INTERVAL_SECONDS = 30


def poll_job(rt: Runtime) -> None:
    """The scheduled poll: the same function as ``inbox-bot poll --once``, failures logged."""
    try:
        summary = poll_once(rt)
    except (MailboxError, OperationalError) as e:
        log.error("poll failed, will retry at the next interval: %s", e)
        return
    log.info("poll done: %s", dict(summary.fates) or "inbox empty")


def outbox_job(rt: Runtime) -> None:
    """Queue due reminders and event updates, and send what is due (retries included)."""
    try:
        queue_scheduled_mail(rt, dt.datetime.now(dt.UTC))
        flush_outbox(rt.engine, rt.config.smtp, rt.config.worker)
    except OperationalError as e:
        log.error("outbox flush failed, will retry: %s", e)


def run_worker(rt: Runtime) -> None:
    """Run the jobs until SIGTERM/SIGINT; a running job is allowed to finish."""
    scheduler = BlockingScheduler(timezone="UTC")
    defaults = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
    scheduler.add_job(poll_job, "interval", args=[rt], id="poll", next_run_time=utcnow(),
                      seconds=rt.config.worker.poll_interval_seconds, **defaults)
    scheduler.add_job(outbox_job, "interval", args=[rt], id="outbox",
                      seconds=OUTBOX_INTERVAL_SECONDS, **defaults)

    def stop(signum: int, _frame: object) -> None:
        log.info("received %s; stopping after the running job", signal.Signals(signum).name)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("worker started: polling %s every %d s", rt.config.mailbox.folder,
             rt.config.worker.poll_interval_seconds)
    scheduler.start()
    log.info("worker stopped")
