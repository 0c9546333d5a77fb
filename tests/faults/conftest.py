"""Fixtures for the fault-injection suite (tests/faults).

In:  the fixtures of ``tests/conftest.py`` (Dovecot, the SMTP sink, ``db_url``) and env
     ``INBOX_BOT_SLOW_TESTS`` (``1`` runs the tests marked ``slow``; else they are skipped).
Out: the ``slow`` marker; ``made`` (Runtimes a test built, disposed of at its end);
     ``restartable_dovecot`` (a Dovecot of the test's own that can be stopped and started
     again on the same ports with the same mail); a watchdog that ends a hung run with a stack
     dump instead of hanging CI forever.
"""

from __future__ import annotations

import faulthandler
import os
import sys
from collections.abc import Iterator

import pytest

from tests.faults.helpers import RestartableDovecot
from tests.helpers import DOVECOT_MISSING
from tests.servers import dovecot_available, require

SLOW_ENV = "INBOX_BOT_SLOW_TESTS"
# A test that runs longer than this is hung (each test is meant to take well under a minute):
# dump every thread's stack and end the run.
WATCHDOG_SECONDS = 240
WATCHDOG_SLOW_SECONDS = 900


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"slow: a long fault-injection test; runs only with {SLOW_ENV}=1")


@pytest.fixture(autouse=True)
def _slow_and_watchdog(request: pytest.FixtureRequest) -> Iterator[None]:
    slow = request.node.get_closest_marker("slow") is not None
    if slow and os.environ.get(SLOW_ENV) != "1":
        pytest.skip(f"slow test: set {SLOW_ENV}=1 to run it")
    faulthandler.dump_traceback_later(WATCHDOG_SLOW_SECONDS if slow else WATCHDOG_SECONDS,
                                      exit=True, file=sys.stderr)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


@pytest.fixture
def made() -> Iterator[list]:
    """Runtimes a test built (append them): their database engines are disposed of at the end."""
    runtimes: list = []
    yield runtimes
    for rt in runtimes:
        rt.engine.dispose()


@pytest.fixture
def restartable_dovecot() -> Iterator[RestartableDovecot]:
    """A Dovecot of this test only (not the session's): the test may stop and restart it."""
    require(dovecot_available() is not None, DOVECOT_MISSING)
    with RestartableDovecot() as server:
        yield server
