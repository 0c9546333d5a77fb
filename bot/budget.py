"""A time budget for reading one message: the last line of defence against mail that takes too
long to parse or classify (DESIGN.md §4: no message can stop the queue).

In: a number of seconds and a function with its arguments. Out: what the function returns, or
:class:`~bot.errors.MessageTooSlow` ("took longer than 10 s to read") when it ran out of time.

Every pattern and parser that reads mail is linear-time and the text it reads is capped, so no
known message comes near the budget; this is for the one nobody thought of. It works in any
thread (the worker's jobs, the desk's requests, the command line): one watchdog thread per
process raises an exception in the thread whose budget ran out (``PyThreadState_SetAsyncExc``),
which stops Python code at its next instruction. C code that holds the interpreter (a regular
expression of Python's ``re``, which the bot does not use on mail) finishes its call first; the
reader process (:mod:`bot.reader`) is killed outright instead.
"""

from __future__ import annotations

import ctypes
import itertools
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from bot.errors import MessageTooSlow

T = TypeVar("T")


class _Overrun(BaseException):
    """Raised inside the reading thread; a BaseException so that no ``except Exception`` in a
    library swallows it."""


class _Watchdog:
    """One thread per process that interrupts threads whose deadline has passed."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.deadlines: dict[int, tuple[float, int]] = {}  # token -> (deadline, thread id)
        self.fired: set[int] = set()
        self.tokens = itertools.count(1)
        self.thread: threading.Thread | None = None

    def arm(self, seconds: float) -> int:
        with self.condition:
            token = next(self.tokens)
            self.deadlines[token] = (time.monotonic() + seconds, threading.get_ident())
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._watch, name="budget-watchdog",
                                               daemon=True)
                self.thread.start()
            self.condition.notify()
            return token

    def disarm(self, token: int) -> None:
        """End ``token``'s budget; an interruption fired but not yet delivered is withdrawn."""
        with self.condition:
            entry = self.deadlines.pop(token, None)
            if token in self.fired:
                self.fired.discard(token)
                if entry is not None:
                    _interrupt(entry[1], None)

    def _watch(self) -> None:
        with self.condition:
            while True:
                now = time.monotonic()
                waiting = [(d, t) for t, (d, _) in self.deadlines.items() if t not in self.fired]
                for deadline, token in waiting:
                    if deadline <= now:
                        self.fired.add(token)
                        _interrupt(self.deadlines[token][1], _Overrun)
                upcoming = [d for d, t in waiting if d > now]
                self.condition.wait(timeout=min(upcoming) - now if upcoming else None)


_WATCHDOG = _Watchdog()


def _interrupt(thread_id: int, exception: type[BaseException] | None) -> None:
    """Raise ``exception`` in the thread at its next instruction (None: withdraw it)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None)


def run_within(seconds: float, function: Callable[..., T], *args: object) -> T:
    """``function(*args)``, or MessageTooSlow when it takes longer than ``seconds``."""
    token = _WATCHDOG.arm(seconds)
    try:
        try:
            return function(*args)
        finally:
            _WATCHDOG.disarm(token)
    except _Overrun:
        _WATCHDOG.disarm(token)
        raise MessageTooSlow(seconds) from None
