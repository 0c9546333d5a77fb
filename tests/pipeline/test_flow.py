"""End to end on real servers: Dovecot (and pymap) for IMAP, aiosmtpd for SMTP, a real database.

Inputs are the .eml files in tests/data; assertions are on what the SMTP server received, what
the IMAP server holds and which rows exist.
"""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from bot.demo.imapserver import DemoImapServer
from bot.inbound.mailbox import Mailbox
from bot.pipeline.flow import handle_message, poll_once
from bot.register.recorded import Location
from bot.store.models import Attendee, InboundMessage, OutboundMail, Question
from tests.helpers import DATA_DIR, rows, runtime_for
from tests.imaptools import connect, deliver, flags_of, folder_messages
from tests.mailfactory import build


def original(name: str):
    return message_from_bytes((DATA_DIR / name).read_bytes(), policy=policy.default)


def test_registration_is_recorded_confirmed_and_filed(dovecot_runtime, imap, smtp_sink):
    rt = dovecot_runtime
    deliver(imap, DATA_DIR / "registration_nl.eml")

    summary = poll_once(rt)

    [attendee] = rows(rt, Attendee)
    assert (attendee.email, attendee.status) == ("t.haagsma@tweedekamer.nl", "registered")
    [received] = smtp_sink.wait_for(1)
    reply, sent_to = received.message, original("registration_nl.eml")
    assert received.rcpt_tos == ("t.haagsma@tweedekamer.nl",)
    assert reply["To"].addresses[0].addr_spec == "t.haagsma@tweedekamer.nl"
    assert reply["Auto-Submitted"] == "auto-replied"
    assert reply["X-Auto-Response-Suppress"] == "All"
    assert reply["In-Reply-To"] == sent_to["Message-ID"]
    head = received.data.split(b"\r\n\r\n", 1)[0]
    assert f"In-Reply-To: {sent_to['Message-ID']}\r\n".encode() in head  # not encoded-words
    assert sent_to["Message-ID"] in reply["References"]
    assert reply["Subject"] == f"Re: {sent_to['Subject']}"
    assert reply["Message-ID"].endswith("@kinderrechten.nl>")
    body = received.text
    assert "Nieuwspoort" in body and "Lange Poten 10" in body and "15 december 2026" in body
    assert folder_messages(imap, "INBOX") == []
    assert len(folder_messages(imap, "Processed")) == 1
    assert [b"\\Seen" in f for f in flags_of(imap, "Processed")] == [False]
    assert summary.sent.sent == 1

    again = poll_once(rt)

    assert sum(again.fates.values()) == 0 and again.sent.sent == 0
    assert len(rows(rt, Attendee)) == 1 and len(rows(rt, InboundMessage)) == 1
    assert len(smtp_sink.messages) == 1


def test_registration_through_pymap(tmp_path, smtp_sink):
    """The same flow against a second, independent IMAP implementation."""
    users = {"info@kinderrechten.nl": "demo-password"}
    with DemoImapServer(users=users) as server:
        rt = runtime_for(host=server.host, port=server.port, username="info@kinderrechten.nl",
                         password="demo-password", db_url=f"sqlite:///{tmp_path}/bot.db",
                         smtp=smtp_sink)
        client = connect(server.host, server.port, "info@kinderrechten.nl", "demo-password")
        deliver(client, DATA_DIR / "registration_en.eml", DATA_DIR / "out_of_office_nl.eml")

        poll_once(rt)
        second = poll_once(rt)

        assert [a.status for a in rows(rt, Attendee)] == ["registered"]
        [received] = smtp_sink.wait_for(1)
        assert received.message["Auto-Submitted"] == "auto-replied"
        assert "You are registered" in received.text
        assert folder_messages(client, "INBOX") == []
        assert len(folder_messages(client, "Processed")) == 2
        assert sum(second.fates.values()) == 0
        client.logout()


def test_question_and_cancellation(dovecot_runtime, imap, smtp_sink):
    rt = dovecot_runtime
    deliver(imap, DATA_DIR / "registration_nl.eml", DATA_DIR / "question_nl.eml")
    poll_once(rt)
    deliver(imap, DATA_DIR / "cancellation_nl.eml")
    poll_once(rt)

    [question] = rows(rt, Question)
    assert question.status == "open" and question.sender == "l.warmerdam@tweedekamer.nl"
    assert "?" in question.text
    [attendee] = rows(rt, Attendee)
    assert attendee.status == "cancelled"
    purposes = sorted(m.purpose for m in rows(rt, OutboundMail))
    assert purposes == ["cancellation_confirmed", "question_received", "registration_confirmed"]
    received = smtp_sink.wait_for(3)
    assert sorted(m.rcpt_tos[0] for m in received) == [
        "l.warmerdam@tweedekamer.nl", "t.haagsma@tweedekamer.nl", "t.haagsma@tweedekamer.nl"]


def test_automatic_mail_is_recorded_and_never_answered(dovecot_runtime, imap, smtp_sink):
    rt = dovecot_runtime
    deliver(imap, DATA_DIR / "out_of_office_nl.eml", DATA_DIR / "bounce_dsn.eml",
            DATA_DIR / "out_of_office_noheader_nl.eml", DATA_DIR / "list_mail.eml")

    summary = poll_once(rt)

    messages = rows(rt, InboundMessage)
    assert [(m.kind, m.status) for m in messages] == [("automatic", "ignored")] * 4
    assert rows(rt, OutboundMail) == [] and rows(rt, Attendee) == []
    assert smtp_sink.messages == [] and summary.sent.sent == 0
    assert len(folder_messages(imap, "Processed")) == 4


def test_unprocessable_message_is_quarantined_and_the_batch_goes_on(dovecot_runtime, imap,
                                                                     smtp_sink):
    rt = dovecot_runtime
    garbage = b"this is not an email message\r\nno headers at all\r\n"
    deliver(imap, garbage, DATA_DIR / "registration_nl.eml")

    summary = poll_once(rt)

    quarantined = [m for m in rows(rt, InboundMessage) if m.status == "quarantined"]
    assert len(quarantined) == 1 and "no header section" in quarantined[0].error
    assert [a.status for a in rows(rt, Attendee)] == ["registered"]
    assert folder_messages(imap, "Quarantine") == [garbage]
    assert len(folder_messages(imap, "Processed")) == 1 and folder_messages(imap, "INBOX") == []
    assert summary.fates["quarantined"] == 1 and len(smtp_sink.wait_for(1)) == 1


def test_an_address_too_long_for_an_index_is_not_trusted_and_the_batch_commits(
        dovecot_runtime, imap, smtp_sink):
    """From with a 3,000-character local part (found by the attacker's review: on PostgreSQL
    such an address in an index stopped the whole batch, every poll): no sender is read from
    it, the message waits for staff, and the sign-ups around it in the same batch are
    recorded and answered."""
    rt = dovecot_runtime
    long = "x" * 3000 + "@tweedekamer.nl"
    deliver(imap, DATA_DIR / "registration_nl.eml",
            build("Graag meld ik mij aan voor de masterclass.", From=long,
                  Return_Path=f"<{long}>", Message_ID="<long-from@tweedekamer.nl>"),
            build("Graag meld ik mij aan voor de masterclass.", From="mp2@tweedekamer.nl",
                  Return_Path="<mp2@tweedekamer.nl>", Message_ID="<mp2@tweedekamer.nl>"))

    summary = poll_once(rt)

    assert summary.fates == {"processed": 2, "needs_review": 1}
    [odd] = [m for m in rows(rt, InboundMessage) if m.status == "needs_review"]
    assert odd.sender is None and "sender_unparseable" in odd.reasons
    assert len(rows(rt, Attendee)) == 2 and len(smtp_sink.wait_for(2)) == 2
    assert folder_messages(imap, "INBOX") == []


def test_crash_between_commit_and_move_changes_nothing_twice(dovecot_runtime, imap, smtp_sink):
    """Run the stages up to the commit, skip the MOVE and the send (as a kill there would)."""
    rt = dovecot_runtime
    deliver(imap, DATA_DIR / "registration_nl.eml", DATA_DIR / "question_nl.eml")
    with Mailbox(rt.config.mailbox) as mailbox:
        for fetched in mailbox.fetch(mailbox.list_uids(), max_bytes=10_000_000):
            handle_message(fetched, Location("INBOX", mailbox.uidvalidity, fetched.uid), rt)
    assert len(folder_messages(imap, "INBOX")) == 2  # committed, not yet moved

    summary = poll_once(rt)

    assert summary.refiled == 2 and sum(summary.fates.values()) == 0
    assert len(rows(rt, Attendee)) == 1 and len(rows(rt, Question)) == 1
    assert len(rows(rt, OutboundMail)) == 2
    assert len(smtp_sink.wait_for(2)) == 2
    assert folder_messages(imap, "INBOX") == []
    poll_once(rt)
    assert len(smtp_sink.messages) == 2


def test_same_content_under_a_new_uid_is_a_duplicate(dovecot_runtime, imap, smtp_sink):
    """A copy of a handled message (re-delivered, or after a UIDVALIDITY change) is not redone."""
    rt = dovecot_runtime
    deliver(imap, DATA_DIR / "registration_nl.eml")
    poll_once(rt)
    deliver(imap, DATA_DIR / "registration_nl.eml")

    summary = poll_once(rt)

    assert summary.fates == {"duplicate": 1}
    assert len(rows(rt, InboundMessage)) == 1 and len(rows(rt, Attendee)) == 1
    assert len(smtp_sink.messages) == 1
    assert len(folder_messages(imap, "Processed")) == 2


def test_uidvalidity_change_rescans_and_dedupes_on_content(dovecot, dovecot_runtime,
                                                           imap_account, imap, smtp_sink):
    rt = dovecot_runtime
    deliver(imap, DATA_DIR / "registration_nl.eml", DATA_DIR / "question_nl.eml")
    with Mailbox(rt.config.mailbox) as mailbox:  # recorded, then a crash before the move
        old_validity = mailbox.uidvalidity
        for fetched in mailbox.fetch(mailbox.list_uids(), max_bytes=10_000_000):
            handle_message(fetched, Location("INBOX", mailbox.uidvalidity, fetched.uid), rt)
    dovecot.doveadm("mailbox", "update", "-u", imap_account.username,
                    "--uid-validity", str(old_validity + 1000), "INBOX")

    summary = poll_once(rt)

    assert summary.fates == {"duplicate": 2} and summary.refiled == 0
    assert len(rows(rt, InboundMessage)) == 2 and len(rows(rt, Attendee)) == 1
    assert len(rows(rt, Question)) == 1 and len(rows(rt, OutboundMail)) == 2
    assert len(smtp_sink.wait_for(2)) == 2
    assert folder_messages(imap, "INBOX") == []


def test_without_move_the_bot_copies_and_expunges(dovecot_without_move, tmp_path, smtp_sink):
    account = dovecot_without_move.new_account()
    rt = runtime_for(host="localhost", port=account.port, username=account.username,
                     password=account.password, db_url=f"sqlite:///{tmp_path}/bot.db",
                     smtp=smtp_sink, security="starttls", ca_file=account.ca_file)
    client = connect("localhost", account.port, account.username, account.password,
                     account.ca_file)
    assert not client.has_capability("MOVE")
    deliver(client, DATA_DIR / "registration_nl.eml", b"no headers, quarantined\r\n")

    summary = poll_once(rt)

    assert summary.fates == {"processed": 1, "quarantined": 1}
    assert folder_messages(client, "INBOX") == []
    assert len(folder_messages(client, "Processed")) == 1
    assert folder_messages(client, "Quarantine") == [b"no headers, quarantined\r\n"]
    client.logout()


@pytest.mark.parametrize("copy", [b"X-Resent-By: relay.example\r\n", b""],
                         ids=["same-message-id", "same-bytes"])
def test_a_copy_in_the_same_batch_is_a_duplicate(dovecot_runtime, imap, smtp_sink, copy):
    """A re-sent copy (other headers added on the way, same Message-ID), or the same bytes
    delivered twice, fetched in one batch with the original: not redone."""
    rt = dovecot_runtime
    raw = (DATA_DIR / "registration_nl.eml").read_bytes()
    deliver(imap, raw, copy + raw)

    summary = poll_once(rt)

    assert summary.fates == {"processed": 1, "duplicate": 1}
    assert len(rows(rt, Attendee)) == 1 and len(smtp_sink.wait_for(1)) == 1


def test_hostile_structure_is_quarantined_and_the_batch_goes_on(dovecot_runtime, imap,
                                                                 smtp_sink):
    from tests.mailfactory import many_parts, nested
    rt = dovecot_runtime
    hostile = [many_parts(100_000), nested(2_000),
               b"Subject: " + b"=?utf-8?q?a?= " * 32_000 + b"\r\nFrom: a@b.nl\r\n\r\nx"]
    deliver(imap, *hostile, DATA_DIR / "registration_nl.eml")

    summary = poll_once(rt)

    quarantined = [m for m in rows(rt, InboundMessage) if m.status == "quarantined"]
    assert sorted(m.error.split(" ")[0] for m in quarantined) == ["MIME", "header", "message"]
    assert summary.fates == {"quarantined": 3, "processed": 1}
    assert len(folder_messages(imap, "Quarantine")) == 3 and folder_messages(imap, "INBOX") == []
    assert len(smtp_sink.wait_for(1)) == 1


def test_bounce_of_a_confirmation_marks_the_attendee_undeliverable(dovecot_runtime, imap,
                                                                    smtp_sink):
    rt = dovecot_runtime
    deliver(imap, DATA_DIR / "registration_nl.eml")
    poll_once(rt)
    [confirmation] = rows(rt, OutboundMail)
    bounce = (DATA_DIR / "bounce_dsn.eml").read_bytes().replace(
        b"p.vandermeer@example.invalid", b"t.haagsma@tweedekamer.nl").replace(
        b"<179421121915.40021.4455667788990011223@kinderrechten.nl>",
        confirmation.message_id.encode())
    deliver(imap, bounce)

    poll_once(rt)

    [attendee] = rows(rt, Attendee)
    assert attendee.undeliverable and attendee.status == "registered"
    assert rows(rt, InboundMessage)[-1].kind == "automatic"
    assert len(smtp_sink.messages) == 1  # the bounce itself is never answered


@pytest.mark.parametrize("returned_id", [
    b"<179421121915.40021.4455667788990011223@kinderrechten.nl>",  # not a mail of ours
    b"<inbox-bot.0123456789abcdef0123456789abcdef@kinderrechten.nl>",  # made up
])
def test_a_forged_bounce_marks_nobody(dovecot_runtime, imap, smtp_sink, returned_id):
    """Security review finding 12: a DSN from anyone marked attendees undeliverable."""
    rt = dovecot_runtime
    deliver(imap, DATA_DIR / "registration_nl.eml")
    poll_once(rt)
    forged = (DATA_DIR / "bounce_dsn.eml").read_bytes().replace(
        b"p.vandermeer@example.invalid", b"t.haagsma@tweedekamer.nl").replace(
        b"<179421121915.40021.4455667788990011223@kinderrechten.nl>", returned_id)
    deliver(imap, forged)

    poll_once(rt)

    [attendee] = rows(rt, Attendee)
    assert not attendee.undeliverable and attendee.status == "registered"
    assert rows(rt, InboundMessage)[-1].kind == "automatic"
