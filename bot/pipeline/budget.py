"""A time budget for reading one message: the last line of defence against mail that takes too
long to parse or classify (DESIGN.md §4: no message can stop the queue).

In: a number of seconds and a function with its arguments. Out: what the function returns, or
:class:`~bot.errors.MessageTooSlow` ("took longer than 10 s to read") when it ran out of time.

Every pattern and parser that reads mail is linear-time and the text it reads is capped, so no
known message comes near the budget; this is for the one nobody thought of. It works in any
thread (the worker's jobs, the desk's requests, the command line): one watchdog thread per
process raises an exception in the thread whose budget ran out (``PyThreadState_SetAsyncExc``),
which stops Python code at its next instruction. C code (libxml2, RE2, a regular expression of
Python's ``re``, which the bot does not use on mail) finishes its call first; the reader process
(:mod:`bot.pipeline.reader`) is killed outright instead.

Who wins at the deadline is settled by one non-blocking lock per call: the watchdog fires only
if it takes the lock first, and a call that finished takes it first so that nothing fires
after it returned; an interruption already set but not yet landed is withdrawn.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from bot.errors import MessageTooSlow

T = TypeVar("T")


class _Overrun(BaseException):
    """Raised inside the reading thread; a BaseException so that no ``except Exception`` in a
    library swallows it."""


class _Call:
    """One budgeted call: its thread, its deadline, and who claimed it first."""

    def __init__(self, seconds: float) -> None:
        self.thread = threading.get_ident()
        self.deadline = time.monotonic() + seconds
        self.claim = threading.Lock()  # taken by the watchdog (fire) or the call (finished)
        self.fired = threading.Event()  # set once the interruption has been raised

    def finish(self) -> bool:
        """True when the call took the claim: the watchdog never fires now."""
        return self.claim.acquire(blocking=False)


class _Watchdog:
    """One thread per process that interrupts calls whose deadline has passed."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.calls: list[_Call] = []
        self.thread: threading.Thread | None = None

    def watch(self, seconds: float) -> _Call:
        call = _Call(seconds)
        with self.condition:
            self.calls.append(call)
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="budget-watchdog",
                                               daemon=True)
                self.thread.start()
            self.condition.notify()
        return call

    def _run(self) -> None:
        with self.condition:
            while True:
                now = time.monotonic()
                for call in [c for c in self.calls if c.deadline <= now]:
                    self.calls.remove(call)
                    if call.claim.acquire(blocking=False):  # the call has not finished
                        _interrupt(call.thread, _Overrun)
                        call.fired.set()
                self.calls = [c for c in self.calls if not c.claim.locked()]
                upcoming = min((c.deadline for c in self.calls), default=None)
                self.condition.wait(timeout=None if upcoming is None else upcoming - now)


_WATCHDOG = _Watchdog()


def _interrupt(thread_id: int, exception: type[BaseException] | None) -> None:
    """Raise ``exception`` in the thread at its next instruction (None: withdraw it)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None)


def run_within(seconds: float, function: Callable[..., T], *args: object) -> T:
    """``function(*args)``, or MessageTooSlow when it takes longer than ``seconds``."""
    call = _WATCHDOG.watch(seconds)
    try:
        try:
            result = function(*args)
        finally:
            finished = call.finish()
            if not finished:  # the watchdog won: wait until it has fired, then withdraw
                call.fired.wait()
                _interrupt(call.thread, None)
        if not finished:
            raise _Overrun
        return result
    except _Overrun:
        raise MessageTooSlow(seconds) from None
