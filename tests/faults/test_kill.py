"""kill -9 of ``inbox-bot poll --once`` at random moments while it works through a backlog of
sign-ups, restarting it each time, until the inbox is empty and a last poll has nothing to do.

Then every message must be in the database exactly once, every sign-up one attendee (seats
never over capacity), every reply sent at least once; a reply may be sent twice only when a
kill fell between the SMTP server's 250 and the commit that marks it sent, so the number of
duplicates (same recipient, same reply) is printed and must not exceed the number of kills.

Where the kills fall is seeded (``SEED``). Progress is counted in events: messages recorded
in the database + replies received by the SMTP sink (0 .. 2N). The range is cut into one
slice per kill and kill i aims at a seeded point in slice i, so kills fall in the processing
and in the sending phase alike; the process is killed the moment progress reaches its target.
A seeded coin (p = 0.2) turns a kill into one a random 0.05-0.5 s after the start instead
(start-up, login, refiling what is recorded but not moved), only while more than N events
are left, so the run is surely still busy. A target reached through the sink's count is met
right after a 250, before the bot commits ``sent``: the worst moment, so duplicates are to be
expected there. The exact instruction a kill hits still depends on timing; the assertions
hold for every one.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import create_engine

from tests.faults.helpers import check_handled_once, deliver_many, sign_ups
from tests.helpers import write_config

ROOT = Path(__file__).resolve().parents[2]
SEED = 7  # its draws put two of the fast variant's five kills in start-up
RUN_TIMEOUT = 120  # one uninterrupted poll of 1000 messages takes ~15 s here


@dataclass
class KillLog:
    kills: list[str] = field(default_factory=list)  # where each kill fell
    runs: int = 0
    finished_runs: list[str] = field(default_factory=list)  # summaries of runs that finished


def run_with_kills(*, tmp_path, imap_account, smtp_sink, db_url, n: int, kills: int,
                   capacity: int) -> tuple[KillLog, float]:
    messages = sign_ups(n)
    deliver_many(imap_account, messages)
    config = write_config(tmp_path, imap_account, smtp_sink, db_url, capacity=capacity,
                          # a killed sender's lease ends after a second, not five minutes
                          extra="\n[worker]\nbatch_size = 50\nsend_lease_seconds = 1\n"
                          "\n[limits]\ncircuit_breaker_replies = 100000\n")
    env = {**os.environ, "TEST_IMAP_PASSWORD": imap_account.password}
    command = [sys.executable, "-m", "bot", "--config", str(config), "poll", "--once"]
    rng = random.Random(SEED)
    margin = max(20, n // 10)  # events left after the last target: the run cannot end first
    log = KillLog()
    watcher = create_engine(db_url)
    started = time.monotonic()

    def progress() -> int:
        try:
            with watcher.connect() as conn:
                recorded = conn.execute(text("SELECT count(*) FROM inboundmessage")).scalar()
        except DBAPIError:  # the table may not exist yet
            recorded = 0
        return recorded + len(smtp_sink.messages)

    def start() -> subprocess.Popen:
        # output to files, not pipes: a run we only watch must never block on a full pipe
        log.runs += 1
        with open(tmp_path / f"run{log.runs}.out", "w") as out, \
                open(tmp_path / f"run{log.runs}.err", "w") as err:
            return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err)

    def finished(proc: subprocess.Popen) -> str:
        proc.wait(timeout=RUN_TIMEOUT)
        out = (tmp_path / f"run{log.runs}.out").read_text()
        err = (tmp_path / f"run{log.runs}.err").read_text()
        assert proc.returncode == 0, (proc.returncode, err[-3000:])
        log.finished_runs.append(out.strip())
        return out

    try:
        width = (2 * n - 2 * margin) / kills  # kill i aims somewhere in the i-th slice
        for i in range(kills):
            # the same three draws for every kill, whatever the timing: the seed fixes them all
            coin, delay, fraction = rng.random(), rng.uniform(0.05, 0.5), rng.random()
            target = margin + int((i + fraction) * width)
            proc = start()
            at = progress()
            if 2 * n - at > n and (coin < 0.2 or target <= at):
                # start-up, login, refiling: more than n events of work left, so the run is
                # certain to be busy for much longer than half a second
                where = f"t+{delay:.2f}s"
                deadline = time.monotonic() + delay
                while time.monotonic() < deadline and proc.poll() is None:
                    time.sleep(0.002)
            else:
                target = max(target, at + 1)
                where = f"at {target}/{2 * n}"
                deadline = time.monotonic() + RUN_TIMEOUT
                while proc.poll() is None and time.monotonic() < deadline:
                    if progress() >= target:
                        break
                    time.sleep(0.002)
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
                log.kills.append(where)
            else:
                finished(proc)
        for _ in range(5):  # restart until a poll has nothing left to do
            time.sleep(1.1)  # a mail claimed by a killed run is due again after its lease
            out = finished(start())
            if _nothing_to_do(out):
                break
        else:
            pytest.fail(f"still work left after 5 clean polls: {log.finished_runs[-1]}")
    finally:
        watcher.dispose()
    elapsed = time.monotonic() - started
    outcome = check_handled_once(_engine_for(db_url), imap_account, smtp_sink, messages,
                                 capacity=capacity, timeout=60)
    print(f"\n{n} sign-ups, {len(log.kills)} kills ({', '.join(log.kills)}), "
          f"{log.runs} runs, {elapsed:.1f} s; "
          f"{len(smtp_sink.messages)} replies received for {n}; "
          f"duplicate replies: {outcome.duplicates}")
    assert len(log.kills) == kills, f"runs finished before their kill: {log.finished_runs}"
    assert outcome.duplicates <= len(log.kills)
    return log, elapsed


def _nothing_to_do(summary: str) -> bool:
    return (summary.startswith("messages: 0 (none)") and "refiled: 0;" in summary
            and "replies queued: 0;" in summary
            and re.search(r"sent: 0, retrying: 0, failed: 0$", summary) is not None)


_engines: list = []


def _engine_for(url: str):
    engine = create_engine(url)
    _engines.append(engine)
    return engine


@pytest.fixture(autouse=True)
def _dispose_engines():
    yield
    while _engines:
        _engines.pop().dispose()


def test_kill_9_during_a_backlog_of_300(tmp_path, imap_account, smtp_sink, db_url):
    run_with_kills(tmp_path=tmp_path, imap_account=imap_account, smtp_sink=smtp_sink,
                   db_url=db_url, n=300, kills=5, capacity=100)


@pytest.mark.slow
def test_kill_9_twenty_times_during_a_backlog_of_1000(tmp_path, imap_account, smtp_sink,
                                                      db_url):
    run_with_kills(tmp_path=tmp_path, imap_account=imap_account, smtp_sink=smtp_sink,
                   db_url=db_url, n=1000, kills=20, capacity=300)
