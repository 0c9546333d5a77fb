"""``inbox-bot run``: the scheduled worker, as a real process against the real servers."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlmodel import Session

from bot.store.db import make_engine
from bot.store.models import Heartbeat
from tests.helpers import DATA_DIR, ROOT, run_cli, write_config
from tests.imaptools import connect, deliver, folder_messages


def test_worker_polls_on_schedule_and_stops_cleanly_on_sigterm(tmp_path, imap_account,
                                                                 smtp_sink, db_url):
    config = write_config(tmp_path, imap_account, smtp_sink, db_url,
                          extra="\n[worker]\npoll_interval_seconds = 1\n")
    client = connect("localhost", imap_account.port, imap_account.username,
                     imap_account.password, imap_account.ca_file)
    deliver(client, DATA_DIR / "registration_nl.eml")
    env = {**os.environ, "TEST_IMAP_PASSWORD": imap_account.password}
    worker = subprocess.Popen([sys.executable, "-m", "bot", "--config", str(config), "run"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        smtp_sink.wait_for(1, timeout=20)
        deliver(client, DATA_DIR / "question_nl.eml")  # arrives while the worker runs
        smtp_sink.wait_for(2, timeout=20)
    finally:
        worker.send_signal(signal.SIGTERM)
        started = time.monotonic()
        _, stderr = worker.communicate(timeout=30)
    assert worker.returncode == 0, stderr[-3000:]
    assert time.monotonic() - started < 10
    assert "received SIGTERM" in stderr and "worker stopped" in stderr
    assert sorted(m.message["Subject"] for m in smtp_sink.messages) == [
        "Re: Aanmelding masterclass", "Re: Vraag over programma masterclass"]
    assert folder_messages(client, "INBOX") == []
    client.logout()


def test_idle_wakes_the_worker_long_before_the_poll_interval(tmp_path, imap_account,
                                                             smtp_sink, db_url):
    config = write_config(tmp_path, imap_account, smtp_sink, db_url,
                          extra="\n[worker]\npoll_interval_seconds = 3600\n")
    env = {**os.environ, "TEST_IMAP_PASSWORD": imap_account.password}
    worker = subprocess.Popen([sys.executable, "-m", "bot", "--config", str(config), "run"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    client = connect("localhost", imap_account.port, imap_account.username,
                     imap_account.password, imap_account.ca_file)
    try:
        wait_for_first_poll(db_url)  # of the empty inbox; the next poll is an hour away
        deliver(client, DATA_DIR / "registration_nl.eml")
        [received] = smtp_sink.wait_for(1, timeout=15)  # only IDLE can have woken it
        assert received.rcpt_tos == ("t.haagsma@tweedekamer.nl",)
    finally:
        worker.send_signal(signal.SIGTERM)
        _, stderr = worker.communicate(timeout=30)
        client.logout()
    assert worker.returncode == 0, stderr[-3000:]


def wait_for_first_poll(db_url: str, timeout: float = 60) -> None:
    """Until the worker's poll heartbeat is in the database (bot/ops/monitor.py)."""
    engine = make_engine(db_url)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with contextlib.suppress(OperationalError, ProgrammingError), \
                    Session(engine) as session:
                if session.get(Heartbeat, "poll") is not None:
                    return
            time.sleep(0.1)
    finally:
        engine.dispose()
    raise AssertionError("the worker never finished its first poll")


def test_reconcile_finds_what_the_database_does_not_know(tmp_path, imap_account, smtp_sink,
                                                         db_url, imap):
    config = write_config(tmp_path, imap_account, smtp_sink, db_url)
    env = {"TEST_IMAP_PASSWORD": imap_account.password, "INBOX_BOT_CONFIG": str(config)}
    deliver(imap, DATA_DIR / "registration_nl.eml", DATA_DIR / "question_nl.eml",
            b"not a mail at all\r\n")
    assert run_cli("poll", "--once", env=env).returncode == 0

    clean = run_cli("reconcile", env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr[-2000:]
    assert "Processed: 2, Quarantine: 1" in clean.stdout and "unaccounted for: 0" in clean.stdout

    imap.append("Processed", (DATA_DIR / "registration_en.eml").read_bytes())  # behind our back
    dirty = run_cli("reconcile", env=env)
    assert dirty.returncode == 1
    assert "unaccounted for: 1" in dirty.stdout and "Processed UID" in dirty.stdout
