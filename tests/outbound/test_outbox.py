"""Sending: 4xx and dropped connections are retried with backoff, 5xx fail for staff to see."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlmodel import Session, select

from bot.outbound.outbox import flush_outbox
from bot.pipeline.flow import poll_once
from bot.store.models import OutboundMail, utcnow
from tests.helpers import DATA_DIR, free_port, later
from tests.imaptools import connect, deliver


def outbox_rows(rt):
    with Session(rt.engine) as session:
        return list(session.exec(select(OutboundMail).order_by(OutboundMail.id)))


def deliver_registration(account):
    client = connect("localhost", account.port, account.username, account.password,
                     account.ca_file)
    deliver(client, DATA_DIR / "registration_nl.eml")
    client.logout()


def test_4xx_is_retried_later_and_then_sent_once(dovecot_runtime, imap_account, smtp_sink):
    rt = dovecot_runtime
    smtp_sink.fail_next("451 4.3.0 Try again later")
    deliver_registration(imap_account)

    summary = poll_once(rt)

    [row] = outbox_rows(rt)
    assert summary.sent.retrying == 1 and smtp_sink.messages == []
    assert (row.status, row.attempts) == ("pending", 1) and row.last_error.startswith("451")
    assert row.next_attempt_at > utcnow() + dt.timedelta(seconds=50)  # backoff, not a spin
    assert flush_outbox(rt.engine, rt.config.smtp, rt.config.worker).sent == 0  # not yet due

    assert flush_outbox(rt.engine, rt.config.smtp, rt.config.worker, now=later(2)).sent == 1
    assert flush_outbox(rt.engine, rt.config.smtp, rt.config.worker, now=later(60)).sent == 0
    assert len(smtp_sink.messages) == 1 and outbox_rows(rt)[0].status == "sent"


def test_5xx_fails_permanently_and_is_not_retried(dovecot_runtime, imap_account, smtp_sink):
    rt = dovecot_runtime
    smtp_sink.fail_next("550 5.1.1 Mailbox unavailable")
    deliver_registration(imap_account)

    summary = poll_once(rt)

    [row] = outbox_rows(rt)
    assert summary.sent.failed == 1
    assert (row.status, row.attempts) == ("failed", 1) and row.last_error.startswith("550")
    assert flush_outbox(rt.engine, rt.config.smtp, rt.config.worker, now=later(600)).sent == 0
    assert smtp_sink.messages == []


def test_refused_connection_is_retried_until_the_server_is_back(dovecot_runtime, imap_account,
                                                                smtp_sink):
    rt = dovecot_runtime
    smtp_down = replace(rt.config.smtp, port=free_port())
    down = replace(rt, config=replace(rt.config, smtp=smtp_down))
    deliver_registration(imap_account)

    summary = poll_once(down)
    for minutes in (2, 5, 9):  # ten minutes of refused connections, simulated
        flush_outbox(down.engine, down.config.smtp, down.config.worker, now=later(minutes))

    [row] = outbox_rows(rt)
    assert summary.sent.retrying == 1 and row.status == "pending" and row.attempts >= 2
    assert "Connection refused" in row.last_error or "ConnectionRefused" in row.last_error
    assert flush_outbox(rt.engine, rt.config.smtp, rt.config.worker, now=later(240)).sent == 1
    assert len(smtp_sink.wait_for(1)) == 1
