"""Shared set-up for the worker benchmarks (latency, idle): a throw-away Dovecot, an SMTP sink,
a SQLite database and a config file, and ``inbox-bot run`` as a child process.

In: nothing. Out: a :class:`Harness` context manager with ``.imap()`` (a second IMAP client, as
the mail server's delivery), ``.sink`` and ``.start_worker()``. Only loopback is used.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.demo.sink import SmtpSink  # noqa: E402
from tests.helpers import write_config  # noqa: E402
from tests.imaptools import connect  # noqa: E402
from tests.servers import DovecotServer  # noqa: E402


class Harness:
    def __enter__(self) -> Harness:
        self.dovecot = DovecotServer().start()
        self.account = self.dovecot.new_account()
        self.sink = SmtpSink().start()
        self.tmp = tempfile.TemporaryDirectory()
        self.config = write_config(Path(self.tmp.name), self.account, self.sink,
                                   f"sqlite:///{self.tmp.name}/bot.db", capacity=10_000,
                                   extra="\n[worker]\npoll_interval_seconds = 3600\n"
                                         "\n[limits]\ncircuit_breaker_replies = 100000\n"
                                         "unverified_replies_per_day = 100000\n")
        self.worker: subprocess.Popen | None = None
        return self

    def imap(self):
        a = self.account
        return connect("localhost", a.port, a.username, a.password, a.ca_file)

    def start_worker(self) -> subprocess.Popen:
        env = {**os.environ, "TEST_IMAP_PASSWORD": self.account.password}
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "bot", "--config", str(self.config), "run"], cwd=ROOT,
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(3)  # start-up and the first (empty) poll
        return self.worker

    def __exit__(self, *exc: object) -> None:
        if self.worker is not None:
            self.worker.terminate()
            self.worker.wait(timeout=30)
        self.sink.stop()
        self.dovecot.stop()
        self.tmp.cleanup()
