"""Parse and classify a batch of fetched messages: inline, or in a worker process on the second
core while the main process records the previous batch.

In: :class:`~bot.mailbox.FetchedMessage` values, the :class:`~bot.classify.ClassifyContext` and
the size limit. Out: one :class:`Prepared` per message, in order: its
:class:`~bot.parse.ParsedMail` and :class:`~bot.classify.Verdict`, or the error that makes the
pipeline quarantine it. Both stages are pure, so where they run changes nothing but the time.

A batch smaller than ``POOL_MIN`` (every ordinary poll) is prepared inline when its results are
asked for; a larger one (a backlog) goes to a process pool started on first use (``spawn``: the
worker has threads, and forking a threaded process is unsafe). A pool that breaks (a worker
killed) is dropped and the batch prepared inline: a crash there is then caught per message.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from bot.classify import ClassifyContext, Verdict, classify_message
from bot.errors import MessageRejected
from bot.logs import quiet_libraries
from bot.mailbox import FetchedMessage
from bot.parse import ParsedMail, parse_message

log = logging.getLogger(__name__)

POOL_MIN = 32  # messages in a batch before a second process pays for itself


@dataclass(frozen=True)
class Prepared:
    mail: ParsedMail | None = None
    verdict: Verdict | None = None
    error: Exception | None = None  # set when the message must be quarantined


def prepare(raw: bytes, oversized: bool, size: int, ctx: ClassifyContext,
            max_bytes: int) -> Prepared:
    """Parse and classify one message; any failure is returned, not raised."""
    try:
        if oversized:
            raise MessageRejected(f"message is {size} bytes, over the limit of {max_bytes}")
        mail = parse_message(raw, max_bytes=max_bytes)
        return Prepared(mail, classify_message(mail, ctx))
    except Exception as e:  # the pipeline quarantines the message with this reason
        return Prepared(error=e)


def _prepare_all(items: list[tuple[bytes, bool, int]], ctx: ClassifyContext,
                 max_bytes: int) -> list[Prepared]:
    return [prepare(raw, oversized, size, ctx, max_bytes) for raw, oversized, size in items]


def _prepare_in_pool(items: list[tuple[bytes, bool, int]], ctx: ClassifyContext,
                     max_bytes: int) -> list[Prepared]:
    """In the worker process: errors become MessageRejected, which survives pickling."""
    return [Prepared(p.mail, p.verdict, p.error and _picklable(p.error))
            for p in _prepare_all(items, ctx, max_bytes)]


class Preparer:
    """Prepares batches; ``processes`` 0 means always inline."""

    def __init__(self, ctx: ClassifyContext, max_bytes: int, processes: int) -> None:
        self.ctx, self.max_bytes, self.processes = ctx, max_bytes, processes
        self.pool: ProcessPoolExecutor | None = None

    def submit(self, batch: list[FetchedMessage]) -> Callable[[], list[Prepared]]:
        """Start preparing ``batch``; call the result to get the prepared messages."""
        items = [(f.raw, f.oversized, f.size) for f in batch]
        if self.processes < 1 or len(items) < POOL_MIN:
            return lambda: _prepare_all(items, self.ctx, self.max_bytes)
        try:
            future = self._pool().submit(_prepare_in_pool, items, self.ctx, self.max_bytes)
        except (BrokenProcessPool, RuntimeError, OSError) as e:
            self._drop(e)
            return lambda: _prepare_all(items, self.ctx, self.max_bytes)
        return lambda: self._result(future, items)

    def _result(self, future: Future, items) -> list[Prepared]:
        try:
            return future.result()
        except (BrokenProcessPool, OSError) as e:
            self._drop(e)
            return _prepare_all(items, self.ctx, self.max_bytes)

    def _pool(self) -> ProcessPoolExecutor:
        if self.pool is None:
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(self.processes, mp_context=context,
                                            initializer=quiet_libraries)
        return self.pool

    def _drop(self, error: Exception) -> None:
        log.warning("parsing pool failed (%s); preparing this batch inline", error)
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def _picklable(error: Exception) -> Exception:
    """The error itself where it survives pickling (it must cross back from the pool)."""
    if isinstance(error, MessageRejected):
        return error
    return MessageRejected(f"{type(error).__name__}: {error}")
