"""Database faults: SQLite's write lock held by another process during a poll, PostgreSQL
dropping the bot's connections (what a server restart does to a client), and two workers
starting at once on a new PostgreSQL database.

Not here: restarting the PostgreSQL server itself. The tests share one server (the machine's
or CI's, ``BOT_TEST_DATABASE_URL``) with every other test and session on the machine and do
not own its process; stopping it would break them, and it needs privileges (``pg_ctl`` as the
postgres user or systemd) the suite should not assume. What a restart does to the bot (every
connection it holds is ended by the server, new ones work once it is back) is done here with
``pg_terminate_backend`` on the test's own database only.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.pipeline.flow import poll_once
from bot.store.models import InboundMessage
from bot.store.schema import open_database
from tests.faults.helpers import check_handled_once, deliver_many, rows, sign_ups, tls_runtime
from tests.helpers import fresh_postgres_database, runtime_for

N = 40
CAPACITY = 30
SQLITE_BUSY_TIMEOUT = 30  # seconds: bot.store.db opens SQLite with timeout=30; not configurable


# --- SQLite: another process holds the write lock ----------------------------------------------

# Waits until the bot recorded ``after`` messages, takes the write lock (BEGIN IMMEDIATE, as the
# web UI or a staff command would for a write), holds it ``hold`` seconds and lets go.
LOCK_HOLDER = textwrap.dedent("""
    import sqlite3, sys, time
    path, after, hold = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    db = sqlite3.connect(path, isolation_level=None, timeout=60)
    print("ready", time.monotonic(), flush=True)
    deadline = time.monotonic() + 60
    while db.execute("SELECT count(*) FROM inboundmessage").fetchone()[0] < after:
        if time.monotonic() > deadline:
            sys.exit("the bot never recorded enough messages")
        time.sleep(0.002)
    db.execute("BEGIN IMMEDIATE")
    print("locked", time.monotonic(), flush=True)
    time.sleep(hold)
    db.execute("COMMIT")
    print("released", time.monotonic(), flush=True)
""")


def hold_sqlite_lock(path, *, after: int, hold: float) -> subprocess.Popen:
    """Start the lock holder; return once it watches the database."""
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(path), str(after),
                               str(hold)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    assert holder.stdout is not None
    first = holder.stdout.readline()
    assert first.startswith("ready"), (first, holder.stderr.read() if not first else "")
    return holder


def lock_times(holder: subprocess.Popen) -> dict[str, float]:
    out, err = holder.communicate(timeout=120)
    assert holder.returncode == 0, err
    return {word: float(at) for word, at in (line.split() for line in out.splitlines())}


def test_sqlite_lock_held_briefly_during_a_poll_only_delays_it(imap_account, smtp_sink,
                                                               tmp_path, made):
    """Another writer holds SQLite's write lock for a second in the middle of a poll: the
    bot waits (busy timeout) and then finishes; nothing is lost or done twice."""
    path = tmp_path / "bot.db"
    messages = sign_ups(N)
    deliver_many(imap_account, messages)
    rt = tls_runtime(imap_account, f"sqlite:///{path}", smtp_sink, capacity=CAPACITY,
                     worker={"batch_size": 10})
    made.append(rt)
    holder = hold_sqlite_lock(path, after=5, hold=1.0)

    summary = poll_once(rt)
    finished = time.monotonic()

    times = lock_times(holder)
    assert times["locked"] < finished  # the lock was taken while the poll ran ...
    assert finished >= times["released"]  # ... and the poll had to wait for it
    assert summary.fates == {"processed": N} and summary.sent.sent == N
    outcome = check_handled_once(rt.engine, imap_account, smtp_sink, messages,
                                 capacity=CAPACITY)
    assert outcome.duplicates == 0


@pytest.mark.slow
def test_sqlite_lock_held_past_the_busy_timeout_fails_the_poll_cleanly(imap_account, smtp_sink,
                                                                       tmp_path, made):
    """The lock is held longer than the busy timeout: the poll stops with OperationalError,
    what was committed stays, nothing half-done; the next poll finishes the job."""
    path = tmp_path / "bot.db"
    messages = sign_ups(N)
    deliver_many(imap_account, messages)
    rt = tls_runtime(imap_account, f"sqlite:///{path}", smtp_sink, capacity=CAPACITY,
                     worker={"batch_size": 10})
    made.append(rt)
    holder = hold_sqlite_lock(path, after=5, hold=SQLITE_BUSY_TIMEOUT + 3)

    with pytest.raises(OperationalError, match="locked"):
        poll_once(rt)

    lock_times(holder)
    recorded = len(rows(rt.engine, InboundMessage))
    assert 5 <= recorded < N and smtp_sink.messages == []
    summary = poll_once(rt)
    # whole batches before the failing one were moved; the failing batch's committed messages
    # are only moved now, the rest handled now
    assert summary.refiled == recorded % 10
    assert summary.fates == {"processed": N - recorded}
    outcome = check_handled_once(rt.engine, imap_account, smtp_sink, messages,
                                 capacity=CAPACITY)
    assert outcome.duplicates == 0


# --- PostgreSQL: the server ends the bot's connections -----------------------------------------

@pytest.fixture
def pg_url():
    base_url = os.environ.get("BOT_TEST_DATABASE_URL")
    if not base_url:
        pytest.skip("BOT_TEST_DATABASE_URL not set")
    yield from fresh_postgres_database(base_url)


def admin(url: str):
    """A psycopg connection of the test's own to the test database (autocommit)."""
    import psycopg
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(conninfo, autocommit=True)


def terminate_others(conn) -> int:
    """End every other connection to this database, as a server restart would."""
    return len(conn.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchall())


def test_postgresql_connections_ended_between_polls(imap_account, smtp_sink, pg_url, made):
    messages = sign_ups(N)
    rt = tls_runtime(imap_account, pg_url, smtp_sink, capacity=CAPACITY)
    made.append(rt)
    deliver_many(imap_account, messages[:10])
    assert poll_once(rt).fates == {"processed": 10}
    deliver_many(imap_account, messages[10:])

    with admin(pg_url) as conn:
        assert terminate_others(conn) >= 1  # the pool's idle connection(s)
    summary = poll_once(rt)

    assert summary.fates == {"processed": N - 10}
    check_handled_once(rt.engine, imap_account, smtp_sink, messages, capacity=CAPACITY)


def test_postgresql_connections_ended_during_polls(imap_account, smtp_sink, pg_url, made):
    """The bot's connections are ended three times while it works (after 5, 15 and 25
    messages are recorded). A poll may fail with OperationalError (or not notice, between
    transactions); polling on finishes the job. A message must never be quarantined for a
    database fault, and a reply may be sent twice only if the connection died between the SMTP
    250 and the commit of ``sent`` (at most once per kill)."""
    messages = sign_ups(N)
    deliver_many(imap_account, messages)
    rt = tls_runtime(imap_account, pg_url, smtp_sink, capacity=CAPACITY,
                     worker={"batch_size": 10})
    made.append(rt)
    kills: list[int] = []

    def killer() -> None:
        with admin(pg_url) as conn:
            for threshold in (5, 15, 25):
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    done = conn.execute("SELECT count(*) FROM inboundmessage").fetchone()[0]
                    if done >= threshold:
                        kills.append(terminate_others(conn))
                        break
                    time.sleep(0.002)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    polls = []
    for _ in range(8):
        try:
            summary = poll_once(rt)
        except OperationalError as e:
            polls.append(type(e.orig).__name__)
            continue
        polls.append("ok")
        if not thread.is_alive() and sum(summary.fates.values()) == 0:
            break
    thread.join(timeout=10)

    statuses = Counter(m.status for m in rows(rt.engine, InboundMessage))
    assert "quarantined" not in statuses, statuses
    outcome = check_handled_once(rt.engine, imap_account, smtp_sink, messages,
                                 capacity=CAPACITY)
    print(f"\nPostgreSQL connections ended 3 times ({kills} backends); polls: {polls}; "
          f"duplicate replies: {outcome.duplicates}")
    assert len(kills) == 3
    assert outcome.duplicates <= len(kills)


# --- PostgreSQL: two workers start at once on a new database -----------------------------------

def test_two_workers_start_together_on_a_new_postgresql_database(pg_url, smtp_sink):
    """Both workers read "no event row" before either inserts: forced by holding a SHARE lock
    on the table (reads pass, inserts wait) until both are waiting, then letting go."""
    open_database(pg_url).dispose()  # the schema exists, the event row not yet
    results: list[object] = [None, None]

    def start(i: int) -> None:
        try:
            # what each worker's start-up does (the IMAP server is not contacted yet)
            runtime_for(host="127.0.0.1", port=1, username="x", password="x", db_url=pg_url,
                        smtp=smtp_sink).engine.dispose()
            results[i] = "ok"
        except Exception as e:
            results[i] = e

    with admin(pg_url) as conn:
        conn.execute("BEGIN")
        conn.execute("LOCK TABLE eventstate IN SHARE MODE")
        workers = [threading.Thread(target=start, args=(i,)) for i in range(2)]
        for w in workers:
            w.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            waiting = conn.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE c.relname = 'eventstate' AND NOT l.granted").fetchone()[0]
            if waiting == 2 or not any(w.is_alive() for w in workers):
                break
            time.sleep(0.01)
        assert waiting == 2, "both workers should be waiting for the event table's lock"
        conn.execute("COMMIT")
    for w in workers:
        w.join(timeout=30)

    errors = [r for r in results if isinstance(r, Exception)]
    if errors:
        raise errors[0]
    assert results == ["ok", "ok"]

