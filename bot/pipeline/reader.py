"""Reader processes: read (parse and classify) a backlog on the other core, each message within
its time budget; a reader that overruns or crashes is killed and replaced.

In: a :class:`~bot.pipeline.prepare.Reading` and batches of fetched messages. Out: per batch, a
callable that returns one :class:`~bot.pipeline.prepare.Prepared` per message, in order.
:class:`Preparer` reads a batch smaller than :data:`POOL_MIN` (every ordinary poll), and every
batch with ``parse_processes = 0``, inline when its results are asked for; a larger batch (a
backlog) goes to ``parse_processes`` reader processes, started on first use.

Each reader is a process (``spawn``: the worker has threads, and forking a threaded process is
unsafe) with a supervisor thread in the main process that hands it one message at a time and
waits at most ``message_seconds`` plus :data:`GRACE` for the answer. The reader keeps the
budget itself (:func:`bot.pipeline.budget.run_within`); when that cannot stop it (C code holding the
interpreter) the supervisor kills the process, the message is quarantined ("took longer than
10 s to read") and a new reader takes the next message. A reader that dies while reading
(a crash in a C library) quarantines that message the same way. A reader that cannot be started
at all is not tried again for :data:`RETRY_SECONDS`; meanwhile the supervisor reads in the main
process, under the same budget. On Linux a reader gets SIGKILL when its supervisor thread (and
so the main process) dies, however it dies (PR_SET_PDEATHSIG), so none is left behind.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable

from bot.errors import MessageRejected, MessageTooSlow
from bot.inbound.mailbox import FetchedMessage
from bot.judge.clauses import warm_up
from bot.logs import quiet_libraries
from bot.pipeline.prepare import Prepared, Reading, prepare, read_message

log = logging.getLogger(__name__)

POOL_MIN = 32  # messages in a batch before a second process pays for itself
GRACE = 2.0             # seconds past the budget before the supervisor kills a reader
STARTUP_SECONDS = 120.0  # a new reader imports the bot; on a loaded machine that takes a while
RETRY_SECONDS = 300.0   # after a reader failed to start, read in the main process this long
_PR_SET_NAME, _PR_SET_PDEATHSIG = 15, 1
NAME = b"inbox-bot-read"  # what ps and top show for a reader (at most 15 bytes)


class _Batch:
    """The results of one submitted batch, filled in by the supervisors in any order."""

    def __init__(self, size: int) -> None:
        self.results: list[Prepared | None] = [None] * size
        self.left = size
        self.lock = threading.Lock()
        self.done = threading.Event()
        if size == 0:
            self.done.set()

    def put(self, index: int, prepared: Prepared) -> None:
        with self.lock:
            self.results[index] = prepared
            self.left -= 1
            if self.left == 0:
                self.done.set()

    def wait(self) -> list[Prepared]:
        self.done.wait()
        return list(self.results)  # type: ignore[arg-type]  (every index was put)


class ReaderPool:
    """``processes`` readers sharing one queue of messages."""

    def __init__(self, reading: Reading, processes: int) -> None:
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.supervisors = [_Supervisor(reading, self.jobs, n) for n in range(processes)]
        for supervisor in self.supervisors:
            supervisor.start()

    def submit(self, raws: list[bytes]) -> Callable[[], list[Prepared]]:
        batch = _Batch(len(raws))
        for index, raw in enumerate(raws):
            self.jobs.put((batch, index, raw))
        return batch.wait

    def close(self) -> None:
        """Let the readers finish what they have, then stop them."""
        for _ in self.supervisors:
            self.jobs.put(None)
        for supervisor in self.supervisors:
            supervisor.join(timeout=60)
            supervisor.stop()


class _Supervisor(threading.Thread):
    """Feeds one reader process, one message at a time, and replaces it when it fails."""

    def __init__(self, reading: Reading, jobs: queue.SimpleQueue, number: int) -> None:
        super().__init__(name=f"reader-{number}", daemon=True)
        self.reading, self.jobs = reading, jobs
        self.process: multiprocessing.Process | None = None
        self.connection = None
        self.failed_at = -RETRY_SECONDS  # time.monotonic() of the last failed start

    def run(self) -> None:
        while (job := self.jobs.get()) is not None:
            batch, index, raw = job
            try:
                prepared = self.read(raw)
            except Exception as e:  # never leave a batch waiting: this message fails alone
                log.exception("reader supervisor failed on a message")
                self.stop()
                prepared = Prepared(error=MessageRejected(f"{type(e).__name__}: {e}"))
            batch.put(index, prepared)
        self.stop()

    def read(self, raw: bytes) -> Prepared:
        connection = self._connection()
        if connection is None:  # no reader could be started: read here, under the budget
            return read_message(raw, self.reading)
        try:
            connection.send_bytes(raw)
            if connection.poll(self.reading.seconds + GRACE):
                return connection.recv()
        except (EOFError, OSError) as e:
            code = self.stop()
            log.warning("reader process stopped (exit code %s) while reading a message: %s",
                        code, type(e).__name__)
            return Prepared(error=MessageRejected(
                f"the reader process stopped while reading it (exit code {code})"))
        log.warning("reader process overran the time budget; killing it")
        self.stop()
        return Prepared(error=MessageTooSlow(self.reading.seconds))

    def _connection(self):
        if self.process is not None and self.process.is_alive():
            return self.connection
        self.stop()
        if time.monotonic() - self.failed_at < RETRY_SECONDS:
            return None
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(target=reader_main, args=(theirs, self.reading, os.getpid()),
                                  name="inbox-bot-reader", daemon=True)
        try:
            process.start()
            theirs.close()
            if ours.poll(STARTUP_SECONDS) and ours.recv() == "ready":
                self.process, self.connection = process, ours
                return ours
            log.warning("a reader process did not start in %d s", STARTUP_SECONDS)
        except (OSError, EOFError) as e:
            log.warning("cannot start a reader process (%s)", e)
        log.warning("reading in the main process for the next %d s", RETRY_SECONDS)
        self.failed_at = time.monotonic()
        ours.close()
        if process.pid is not None:
            process.kill()
            process.join(timeout=10)
        return None

    def stop(self) -> int | None:
        """Kill the reader process, if any; its exit code."""
        process, self.process = self.process, None
        if self.connection is not None:
            self.connection.close()
            self.connection = None
        if process is None:
            return None
        process.kill()
        process.join(timeout=10)
        return process.exitcode


def reader_main(connection, reading: Reading, parent: int) -> None:
    """The reader process: read each message sent, answer with its :class:`Prepared`."""
    _die_with(parent)
    quiet_libraries()
    warm_up()
    connection.send("ready")
    while True:
        try:
            raw = connection.recv_bytes()
        except (EOFError, OSError):
            return  # the main process closed the pipe (or died)
        prepared = read_message(raw, reading)
        if prepared.error is not None and not isinstance(prepared.error, MessageRejected):
            prepared = Prepared(error=MessageRejected(  # it must survive pickling
                f"{type(prepared.error).__name__}: {prepared.error}"))
        connection.send(prepared)


def _die_with(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies (PR_SET_PDEATHSIG), and name it
    :data:`NAME`; exit now if the parent is already gone (it died while this one started)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL))
        libc.prctl(_PR_SET_NAME, ctypes.c_char_p(NAME))
    if os.getppid() != parent:
        os._exit(0)


class Preparer:
    """Prepares batches; ``processes`` 0 means always inline."""

    def __init__(self, reading: Reading, processes: int) -> None:
        self.reading, self.processes = reading, processes
        self.pool: ReaderPool | None = None  # started on first use
        self.warm = False  # the lemma dictionaries are loaded on first use, not at start-up

    def one(self, fetched: FetchedMessage) -> Prepared:
        """Parse and classify one message here, in its time budget."""
        self._warm_up()
        return prepare(fetched, self.reading)

    def submit(self, batch: list[FetchedMessage]) -> Callable[[], list[Prepared]]:
        """Start preparing ``batch``; call the result to get the prepared messages."""
        if self.processes < 1 or len(batch) < POOL_MIN:
            return lambda: [self.one(fetched) for fetched in batch]
        if self.pool is None:
            self.pool = ReaderPool(self.reading, self.processes)
        results = self.pool.submit([f.raw for f in batch if not f.oversized])

        def collect() -> list[Prepared]:
            read = iter(results())  # in order, one per message that is not oversized
            return [self.one(f) if f.oversized else next(read) for f in batch]
        return collect

    def _warm_up(self) -> None:
        """Load the dictionaries before the first message's budget starts (a command that
        reads no mail never pays for them)."""
        if not self.warm:
            warm_up()
            self.warm = True

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None
