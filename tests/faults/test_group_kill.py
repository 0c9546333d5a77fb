"""kill -9 in the middle of a group mail (issue 16): no mail is lost and nobody gets one twice.

Twelve people sign up by mail through Dovecot (``inbox-bot poll --once``). Then ``inbox-bot
announce`` sends them a group mail and is killed with SIGKILL while the SMTP server holds it in
the middle of a mail (at its RCPT, the fourth mail of the run): the mails before went out, the
one in flight never reached DATA. The same command is run again, as a staff member would after
a crash (it queues nobody new), and killed the same way; a third run finishes. The SMTP sink
then holds the group mail exactly once for each of the twelve, and every outbox row is sent.

The one moment no client can make safe is between the server's answer to the end of DATA and
the commit that marks the row sent (RFC 1047): a kill there sends that one mail again, with the
same Message-ID. tests/faults/test_kill.py kills at random moments and counts those; this test
kills where a real crash mid-mail leaves the server without the mail.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.helpers import run_cli, write_config
from tests.imaptools import deliver
from tests.mailfactory import build

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 12


class Gate:
    """Holds the sender at the ``at``-th RCPT after :meth:`arm`, until :meth:`release`."""

    def __init__(self) -> None:
        self.count, self.at = 0, 0
        self.held, self.open = threading.Event(), threading.Event()
        self.open.set()

    def arm(self, at: int) -> None:
        self.count, self.at = 0, at
        self.held.clear()
        self.open.clear()

    def __call__(self, address: str) -> None:
        self.count += 1
        if self.count == self.at:
            self.held.set()
            self.open.wait(timeout=60)

    def release(self) -> None:
        self.open.set()


def test_a_group_mail_killed_twice_reaches_everyone_once(imap, imap_account, smtp_sink,
                                                         db_url, tmp_path):
    config = write_config(tmp_path, imap_account, smtp_sink, db_url, capacity=PEOPLE,
                          # a killed sender's lease ends after a second, not five minutes
                          extra="\n[worker]\nsend_lease_seconds = 1\n")
    env = {"TEST_IMAP_PASSWORD": imap_account.password, "INBOX_BOT_CONFIG": str(config)}
    deliver(imap, *[build("Graag meld ik mij aan voor de masterclass.",
                          From=f"Kamerlid {i} <k{i}@tweedekamer.nl>",
                          Return_Path=f"<k{i}@tweedekamer.nl>",
                          Message_ID=f"<k{i}@tweedekamer.nl>") for i in range(PEOPLE)])
    polled = run_cli("poll", "--once", env=env)
    assert polled.returncode == 0, polled.stderr
    assert f"sent: {PEOPLE}," in polled.stdout, polled.stdout  # the confirmations
    smtp_sink.clear()
    body = tmp_path / "route.txt"
    body.write_text("Neem uw legitimatie mee: Nieuwspoort vraagt erom bij de deur.")
    announce = [sys.executable, "-m", "bot", "announce", "--group", "registered",
                "--subject", "Praktische informatie", "--body-file", str(body)]
    gate = Gate()
    smtp_sink.on_rcpt = gate
    base = {k: v for k, v in os.environ.items() if not k.startswith("INBOX_BOT")}
    for run in range(2):
        gate.arm(4)
        with open(tmp_path / f"run{run}.err", "w") as err:
            proc = subprocess.Popen(announce, cwd=ROOT, env=base | env, stdout=subprocess.DEVNULL,
                                    stderr=err)
        assert gate.held.wait(timeout=60), (tmp_path / f"run{run}.err").read_text()[-2000:]
        proc.kill()  # SIGKILL, while the server holds the fourth mail at its RCPT
        assert proc.wait(timeout=30) == -9
        gate.release()
        time.sleep(1.2)  # the killed run's claims end with their lease
    assert len(smtp_sink.messages) == 6  # three before each kill

    smtp_sink.on_rcpt = None
    done = run_cli(*announce[3:], env=env)
    assert done.returncode == 0, done.stderr
    assert "gaat naar 0 mensen; 12 hadden hem al" in done.stdout  # queued once, in the first run
    assert f"{PEOPLE} van {PEOPLE} verstuurd" in done.stdout
    received = sorted(m.rcpt_tos[0] for m in smtp_sink.wait_for(PEOPLE))
    assert received == sorted(f"k{i}@tweedekamer.nl" for i in range(PEOPLE))  # each once
    assert len({m.message["Message-ID"] for m in smtp_sink.messages}) == PEOPLE
