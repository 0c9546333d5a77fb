"""Read (parse and classify) fetched messages, each within its time budget: inline, or in reader
processes on the other core while the main process records the previous batch.

In: :class:`~bot.inbound.mailbox.FetchedMessage` values, the
:class:`~bot.judge.classify.ClassifyContext`, the
size limit and ``[worker] message_seconds``. Out: one :class:`Prepared` per message, in order:
its :class:`~bot.inbound.parse.ParsedMail` and :class:`~bot.judge.classify.Verdict`, or the error
that makes
the pipeline quarantine it. Both stages are pure, so where they run changes nothing but the time.

A message that takes longer than the budget is stopped and gets :class:`MessageTooSlow`; the
batch goes on. A batch smaller than ``POOL_MIN`` (every ordinary poll), and every batch with
``parse_processes = 0``, is read inline when its results are asked for, each message under
:func:`bot.pipeline.budget.run_within`. A larger batch (a backlog) goes to ``parse_processes``
reader
processes (:mod:`bot.pipeline.reader`), started on first use, which are killed and replaced when a
message overruns there (even inside C code) or crashes them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.errors import MessageRejected
from bot.inbound.mailbox import FetchedMessage
from bot.inbound.parse import ParsedMail, parse_message
from bot.judge.classify import ClassifyContext, Verdict, classify_message
from bot.judge.clauses import warm_up
from bot.pipeline.budget import run_within

log = logging.getLogger(__name__)

POOL_MIN = 32  # messages in a batch before a second process pays for itself


@dataclass(frozen=True)
class Prepared:
    mail: ParsedMail | None = None
    verdict: Verdict | None = None
    error: Exception | None = None  # set when the message must be quarantined


@dataclass(frozen=True)
class Reading:
    """What reading a message needs besides its bytes (pickled once into each reader)."""

    ctx: ClassifyContext
    max_bytes: int
    seconds: float  # [worker] message_seconds


def read_message(raw: bytes, reading: Reading) -> Prepared:
    """Parse and classify one message within its budget; any failure is returned, not raised."""
    try:
        mail, verdict = run_within(reading.seconds, _parse_and_classify, raw, reading)
        return Prepared(mail, verdict)
    except Exception as e:  # the pipeline quarantines the message with this reason
        return Prepared(error=e)


def _parse_and_classify(raw: bytes, reading: Reading) -> tuple[ParsedMail, Verdict]:
    mail = parse_message(raw, max_bytes=reading.max_bytes)
    return mail, classify_message(mail, reading.ctx)


def prepare(fetched: FetchedMessage, reading: Reading) -> Prepared:
    """One fetched message, read inline (an oversized one is refused unread)."""
    if fetched.oversized:
        return Prepared(error=MessageRejected(
            f"message is {fetched.size} bytes, over the limit of {reading.max_bytes}"))
    return read_message(fetched.raw, reading)


class Preparer:
    """Prepares batches; ``processes`` 0 means always inline."""

    def __init__(self, reading: Reading, processes: int) -> None:
        self.reading, self.processes = reading, processes
        self.pool = None  # bot.pipeline.reader.ReaderPool, started on first use
        warm_up()

    def submit(self, batch: list[FetchedMessage]) -> Callable[[], list[Prepared]]:
        """Start preparing ``batch``; call the result to get the prepared messages."""
        if self.processes < 1 or len(batch) < POOL_MIN:
            return lambda: [prepare(fetched, self.reading) for fetched in batch]
        if self.pool is None:
            from bot.pipeline.reader import (
                ReaderPool,  # bot.pipeline.reader imports this module
            )
            self.pool = ReaderPool(self.reading, self.processes)
        results = self.pool.submit([f.raw for f in batch if not f.oversized])

        def collect() -> list[Prepared]:
            read = iter(results())  # in order, one per message that is not oversized
            return [prepare(f, self.reading) if f.oversized else next(read) for f in batch]
        return collect

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None
