"""Two worker processes on one mailbox and one database, side by side on the same mail: never
more seats than capacity, nobody twice, every sign-up answered exactly once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter

from sqlmodel import Session, create_engine, select

from bot.store.models import Attendee
from tests.helpers import ROOT, write_config
from tests.imaptools import connect
from tests.mailfactory import build


def test_two_processes_never_overbook(tmp_path, imap_account, smtp_sink, db_url):
    client = connect("localhost", imap_account.port, imap_account.username,
                     imap_account.password, imap_account.ca_file)
    sign_ups = [build("Graag meld ik mij aan voor de masterclass.",
                      From=f"mp{i}@tweedekamer.nl", Return_Path=f"<mp{i}@tweedekamer.nl>",
                      Message_ID=f"<signup{i}@tweedekamer.nl>") for i in range(200)]
    client.multiappend("INBOX", sign_ups)
    client.logout()
    config = write_config(tmp_path, imap_account, smtp_sink, db_url, capacity=50,
                          extra="\n[worker]\nbatch_size = 20\n"
                          "\n[limits]\ncircuit_breaker_replies = 500\n")
    env = {**os.environ, "TEST_IMAP_PASSWORD": imap_account.password}
    command = [sys.executable, "-m", "bot", "--config", str(config), "poll", "--once"]

    workers = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [w.communicate(timeout=300) for w in workers]

    errors = [[line for line in err.splitlines() if "rror" in line or "/bot/" in line][:12]
              for _, err in outputs]
    assert [w.returncode for w in workers] == [0, 0], errors
    # each worker's summary: "messages: N (P processed, D duplicate); ...". Both started at once
    # on one backlog: each handled mail, some message was handled by both (so they really ran
    # side by side on the same mail), and each message was processed by exactly one of them.
    # (On PostgreSQL one worker may lose every race: both go through the UIDs in one order.)
    handled = [int(re.search(r"messages: (\d+)", out).group(1)) for out, _ in outputs]
    processed = [int(m.group(1)) if (m := re.search(r"(\d+) processed", out)) else 0
                 for out, _ in outputs]
    assert all(n > 0 for n in handled) and sum(handled) > 200, handled
    assert sum(processed) == 200, processed
    engine = create_engine(db_url)
    with Session(engine) as session:
        statuses = Counter(a.status for a in session.exec(select(Attendee)))
        emails = [a.email for a in session.exec(select(Attendee))]
    engine.dispose()
    assert statuses == {"registered": 50, "waitlisted": 150}
    assert len(emails) == len(set(emails)) == 200
    received = smtp_sink.wait_for(200, timeout=30)
    recipients = Counter(m.rcpt_tos[0] for m in received)
    assert len(recipients) == 200 and set(recipients.values()) == {1}
    kinds = Counter("ingeschreven" in m.text for m in received)
    assert kinds == {True: 50, False: 150}
