"""Logs: one line per message with its fate, JSON on request, nothing personal above DEBUG;
and ``--dry-run``, which shows the decisions without sending or moving anything.

The command line runs as a subprocess against the real Dovecot and SMTP sink; its stderr is
scanned with the same list of secrets as the whole test run (tests/logscan.py).
"""

from __future__ import annotations

import json

from sqlalchemy import inspect

from bot.logs import redact
from bot.store.db import make_engine
from tests.helpers import DATA_DIR, run_cli, write_config
from tests.imaptools import connect, deliver, folder_messages
from tests.logscan import leaks, secrets_of

FILES = ["registration_nl.eml", "registration_en.eml", "registration_unverified.eml",
         "question_nl.eml", "cancellation_nl.eml", "bounce_dsn.eml", "out_of_office_nl.eml",
         "bad_charset.eml"]


def test_the_scan_finds_what_it_looks_for_and_redact_removes_addresses():
    secrets = secrets_of()
    assert "t.haagsma@tweedekamer.nl" in secrets and "Afmelding masterclass" in secrets
    assert leaks(["bot.x: mail from t.haagsma@tweedekamer.nl"]) != []
    assert leaks(["bot.x: uid=3: registration -> processed"]) == []
    assert redact("550 5.1.1 <t.haagsma@tweedekamer.nl>: Recipient\n rejected") == (
        "550 5.1.1 <<address>>: Recipient rejected")


def _mailbox(tmp_path, imap_account, smtp_sink, db_url):
    client = connect("localhost", imap_account.port, imap_account.username,
                     imap_account.password, imap_account.ca_file)
    deliver(client, *(DATA_DIR / name for name in FILES))
    config = write_config(tmp_path, imap_account, smtp_sink, db_url)
    env = {"TEST_IMAP_PASSWORD": imap_account.password, "INBOX_BOT_CONFIG": str(config)}
    return client, env


def test_json_logs_have_one_line_per_message_and_nothing_personal(tmp_path, imap_account,
                                                                   smtp_sink, db_url):
    client, env = _mailbox(tmp_path, imap_account, smtp_sink, db_url)
    client.logout()
    result = run_cli("--log-format", "json", "poll", "--once", env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    records = [json.loads(line) for line in result.stderr.splitlines()]  # every line is JSON
    assert {"time", "level", "logger", "message"} <= set(records[0])
    fates = [r for r in records if r.get("event") == "message"]
    assert len(fates) == len(FILES)
    assert {r["kind"] for r in fates} == {"registration", "question", "cancellation",
                                          "automatic"}
    assert all(r["fate"] in ("processed", "needs_review", "ignored") for r in fates)
    assert all(isinstance(r["uid"], int) and isinstance(r["reasons"], list) for r in fates)
    assert leaks(result.stderr.splitlines()) == []
    assert len(smtp_sink.messages) >= 3  # the replies did go out


def test_dry_run_shows_decisions_and_sends_moves_and_records_nothing(tmp_path, imap_account,
                                                                     smtp_sink, db_url):
    client, env = _mailbox(tmp_path, imap_account, smtp_sink, db_url)
    scratch = tmp_path / "scratch.db"
    result = run_cli("poll", "--once", "--dry-run", "--dry-run-database", str(scratch), env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    decisions = [line for line in result.stdout.splitlines() if line.startswith("dry run: uid")]
    assert len(decisions) == len(FILES)
    assert any("registration" in d and "registration_confirmed to" in d for d in decisions)
    assert any("automatic" in d and "no reply" in d for d in decisions)
    assert f"nothing sent, nothing moved; decisions kept in {scratch}" in result.stdout
    assert smtp_sink.messages == []
    assert len(folder_messages(client, "INBOX")) == len(FILES)
    assert not client.folder_exists("Processed")  # read-only: not even a folder created
    assert all(b"\\Seen" not in flags for _uid, flags in client.get_flags(
        client.select_folder("INBOX") and client.search("ALL")).items())
    real = make_engine(db_url)  # the configured database was not even opened
    assert inspect(real).get_table_names() == []
    real.dispose()

    again = run_cli("poll", "--once", "--dry-run", "--dry-run-database", str(scratch), env=env)
    assert len([x for x in again.stdout.splitlines() if x.startswith("dry run: uid")]) == len(
        FILES)  # each dry run starts afresh and shows everything again

    switched_on = run_cli("poll", "--once", env=env)
    assert switched_on.returncode == 0, switched_on.stderr[-2000:]
    assert len(smtp_sink.messages) >= 3 and folder_messages(client, "INBOX") == []
    client.logout()
