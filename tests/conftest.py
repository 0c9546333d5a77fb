"""Shared pytest fixtures: real servers and clean databases for the tests.

In:  the machine's Dovecot (``apt-get install dovecot-imapd``), env ``BOT_TEST_DATABASE_URL``
     (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``) and env ``CI``.
Out: fixtures ``dovecot`` (one Dovecot per session), ``imap_account`` (a fresh, empty mailbox per
     test), ``smtp_sink`` (an SMTP sink per test), ``db_url`` (an SQLAlchemy URL of an empty
     database, once for SQLite and once for PostgreSQL), ``corpus_dir`` (the shared corpus),
     ``make_runtime`` (Runtimes on those servers, built as production builds them) and
     ``desk`` (a Runtime with mail polled and two staff accounts). Plain helpers are in
     ``helpers.py``, message builders in ``mailfactory.py``.

Without Dovecot or PostgreSQL the tests that need them are skipped; with ``CI`` set, a missing
Dovecot fails them instead, so CI cannot pass by skipping.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from bot.demo.sink import SmtpSink
from bot.logs import quiet_libraries
from tests.helpers import DOVECOT_MISSING, fresh_postgres_database, runtime_for
from tests.logscan import Recorder, leaks, secrets_of
from tests.servers import DovecotServer, ImapAccount, dovecot_available, require

CORPUS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

LOG_RECORDER = Recorder()


def pytest_configure(config: pytest.Config) -> None:
    """Record the run's log lines for the privacy scan (see tests/logscan.py)."""
    quiet_libraries()  # as the command line does
    root = logging.getLogger()
    root.setLevel(min(root.level or logging.INFO, logging.INFO))
    root.addHandler(LOG_RECORDER)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    found = leaks(LOG_RECORDER.lines)
    if found:
        print(f"\nLOG PRIVACY: {len(found)} log lines at INFO+ carry test mail content:")
        for line in found[:20]:
            print("  " + line)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif LOG_RECORDER.lines:
        print(f"\nlog privacy: {len(LOG_RECORDER.lines)} log lines at INFO+ scanned for "
              f"{len(secrets_of())} subjects, bodies and addresses of the test mail: none found")


@pytest.fixture(autouse=True)
def _root_logging_as_it_was() -> Iterator[None]:
    """A test that runs the command line in-process (``main([...])``) sets up logging as the
    CLI does, to that test's captured stderr; put back the run's handlers (the privacy
    recorder among them) so that later tests are recorded and nothing writes to a closed
    stream."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


# CI runs the property tests on a fixed sequence of examples: a red CI must be reproducible.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    require(dovecot_available() is not None, DOVECOT_MISSING)
    with DovecotServer() as server:
        yield server


# Dovecot's post-login capabilities without MOVE: clients must fall back to COPY + EXPUNGE.
NO_MOVE_CAPABILITIES = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SPECIAL-USE LITERAL+ NAMESPACE "
    "UIDPLUS CHILDREN CONDSTORE"
)


@pytest.fixture(scope="session")
def dovecot_without_move(dovecot: DovecotServer) -> Iterator[DovecotServer]:
    """A second Dovecot that does not advertise MOVE."""
    with DovecotServer(extra_config=f"\nimap_capability = {NO_MOVE_CAPABILITIES}\n") as server:
        yield server


@pytest.fixture
def imap_account(dovecot: DovecotServer) -> ImapAccount:
    """A new user with an empty mailbox on the session's Dovecot."""
    return dovecot.new_account()


@pytest.fixture
def imap(imap_account: ImapAccount):
    """A second IMAP client on the test's mailbox (STARTTLS, verified), as a person would use."""
    from tests.imaptools import connect
    client = connect("localhost", imap_account.port, imap_account.username,
                     imap_account.password, imap_account.ca_file)
    yield client
    client.logout()


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """SQLAlchemy URL of an empty database: a file for SQLite, a new database for PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/bot.db"
        return
    base_url = os.environ.get("BOT_TEST_DATABASE_URL")
    if not base_url:
        pytest.skip("BOT_TEST_DATABASE_URL not set")
    yield from fresh_postgres_database(base_url)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"corpus not found at {CORPUS_DIR}")
    return CORPUS_DIR




@pytest.fixture
def make_runtime(imap_account: ImapAccount, db_url: str, smtp_sink: SmtpSink):
    """Build Runtimes on the test's Dovecot account (STARTTLS, verified against the test CA)
    and database; keyword arguments override configuration values, e.g. ``capacity=3``."""
    made = []

    def make(**overrides):
        rt = runtime_for(host="localhost", port=imap_account.port,
                         username=imap_account.username, password=imap_account.password,
                         db_url=db_url, smtp=smtp_sink, security="starttls",
                         ca_file=imap_account.ca_file, **overrides)
        made.append(rt)
        return rt

    yield make
    for rt in made:
        rt.engine.dispose()


@pytest.fixture
def dovecot_runtime(make_runtime):
    """A Runtime on Dovecot with the default test configuration."""
    return make_runtime()


@pytest.fixture
def desk(make_runtime, imap_account, smtp_sink):
    """A runtime whose database holds a registration, a question and an unverified sign-up,
    with two staff accounts (anna and bart, password ``tests.helpers.PASSWORD``)."""
    from sqlmodel import Session

    from bot.pipeline.flow import poll_once
    from bot.store.db import writer
    from bot.web.auth import create_user
    from tests.helpers import DATA_DIR, PASSWORD
    from tests.imaptools import connect, deliver

    rt = make_runtime()
    client = connect("localhost", imap_account.port, imap_account.username,
                     imap_account.password, imap_account.ca_file)
    deliver(client, DATA_DIR / "registration_nl.eml", DATA_DIR / "question_nl.eml",
            DATA_DIR / "registration_unverified.eml", DATA_DIR / "html_only_nl.eml")
    client.logout()
    poll_once(rt)
    smtp_sink.clear()
    with Session(writer(rt.engine)) as session:
        create_user(session, "anna", PASSWORD)
        create_user(session, "bart", PASSWORD)
    return rt


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium, driven by Playwright (tests/browser.py)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_FLAGS, chromium_available
    from tests.servers import require
    require(chromium_available(),
            "chromium not installed: apt-get install chromium chromium-driver")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
