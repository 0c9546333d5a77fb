"""The test servers work: Dovecot (TLS, users, mail), the SMTP sink and the demo IMAP server.

In:  the fixtures from conftest.py (``dovecot``, ``imap_account``, ``smtp_sink``).
Out: pass/fail; nothing is left running.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

import pytest
from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from bot.demo.imapserver import DemoImapServer
from bot.demo.sink import SmtpSink
from tests.servers import DovecotServer, ImapAccount

TIMEOUT = 10


def _message(subject: str = "Aanmelding masterclass", body: str = "Ik kom graag.\n") -> bytes:
    msg = EmailMessage()
    msg["From"] = "Kamerlid <lid@tweedekamer.nl>"
    msg["To"] = "info@kinderrechten.nl"
    msg["Subject"] = subject
    msg["Message-ID"] = "<test-1@tweedekamer.nl>"
    msg.set_content(body)
    return msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))  # as IMAP stores it


# --- Dovecot -------------------------------------------------------------------------------------


def test_dovecot_starttls_verifies_against_ca_file(imap_account: ImapAccount) -> None:
    acc = imap_account
    with IMAPClient(acc.host, port=acc.port, ssl=False, timeout=TIMEOUT) as client:
        assert b"STARTTLS" in client.capabilities()
        client.starttls(ssl.create_default_context(cafile=acc.ca_file))
        client.login(acc.username, acc.password)
        assert client._imap.sock.version() in ("TLSv1.2", "TLSv1.3")
        assert client.namespace().personal[0][1] == "."
        client.logout()

    # without the CA the self-signed certificate is refused
    with (
        IMAPClient(acc.host, port=acc.port, ssl=False, timeout=TIMEOUT) as client,
        pytest.raises(ssl.SSLCertVerificationError),
    ):
        client.starttls(ssl.create_default_context())


def test_dovecot_imaps_login(imap_account: ImapAccount) -> None:
    acc = imap_account
    context = ssl.create_default_context(cafile=acc.ca_file)
    with IMAPClient(
        acc.host, port=acc.ssl_port, ssl=True, ssl_context=context, timeout=TIMEOUT
    ) as client:
        client.login(acc.username, acc.password)
        assert client.select_folder("INBOX")[b"EXISTS"] == 0  # every test gets an empty mailbox
        client.logout()


def test_dovecot_append_fetch_round_trip(dovecot: DovecotServer, imap_account: ImapAccount) -> None:
    acc = imap_account
    raw = _message()
    with IMAPClient(acc.host, port=acc.port, ssl=False, timeout=TIMEOUT) as client:
        client.login(acc.username, acc.password)
        client.append("INBOX", raw)
        client.select_folder("INBOX")
        uids = client.search(["ALL"])
        assert len(uids) == 1
        fetched = client.fetch(uids, ["BODY.PEEK[]", "FLAGS"])[uids[0]]
        assert fetched[b"BODY[]"] == raw
        assert b"\\Seen" not in fetched[b"FLAGS"]  # PEEK leaves the message unread
        client.logout()

    status = dovecot.doveadm("mailbox", "status", "-u", acc.username, "messages", "INBOX")
    assert status.stdout.strip() == "INBOX messages=1"


def test_dovecot_add_user_logs_in_immediately(dovecot: DovecotServer) -> None:
    dovecot.add_user("late@kinderrechten.nl", "s3cret-pass")
    with IMAPClient(dovecot.host, port=dovecot.port, ssl=False, timeout=TIMEOUT) as client:
        client.login("late@kinderrechten.nl", "s3cret-pass")
        client.logout()
    with (
        IMAPClient(dovecot.host, port=dovecot.port, ssl=False, timeout=TIMEOUT) as client,
        pytest.raises(LoginError),
    ):
        client.login("late@kinderrechten.nl", "wrong")


# --- SMTP sink ------------------------------------------------------------------------------------


def test_smtp_sink_receives_message(smtp_sink: SmtpSink) -> None:
    raw = _message(subject="Vraag over de masterclass")
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=TIMEOUT) as smtp:
        smtp.sendmail("bot@kinderrechten.nl", ["a@example.org", "b@example.org"], raw)

    [mail] = smtp_sink.wait_for(1)
    assert mail.mail_from == "bot@kinderrechten.nl"
    assert mail.rcpt_tos == ("a@example.org", "b@example.org")
    assert b"Ik kom graag." in mail.data
    assert mail.message["Subject"] == "Vraag over de masterclass"
    # stdlib email keeps the CRLF line ends of SMTP data in the decoded body
    assert mail.message.get_content() == "Ik kom graag.\r\n"


def test_smtp_sink_fail_next_answers_data(smtp_sink: SmtpSink) -> None:
    smtp_sink.fail_next("451 4.3.0 Try again later", "550 5.1.1 No such user")
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=TIMEOUT) as smtp:
        with pytest.raises(smtplib.SMTPDataError) as temporary:
            smtp.sendmail("bot@kinderrechten.nl", ["a@example.org"], _message())
        assert temporary.value.smtp_code == 451
        with pytest.raises(smtplib.SMTPResponseException) as permanent:
            smtp.sendmail("bot@kinderrechten.nl", ["a@example.org"], _message())
        assert permanent.value.smtp_code == 550
        smtp.sendmail("bot@kinderrechten.nl", ["a@example.org"], _message())  # queue used up

    assert len(smtp_sink.wait_for(1)) == 1


def test_smtp_sink_wait_for_times_out() -> None:
    with SmtpSink() as sink:
        assert sink.port != 0
        with pytest.raises(TimeoutError):
            sink.wait_for(1, timeout=0.05)


# --- demo IMAP server (pymap) --------------------------------------------------------------------


def test_demo_imap_server_append_search_fetch_move() -> None:
    users = {"info@kinderrechten.nl": "demo-password"}
    raw = _message()
    with (
        DemoImapServer(users=users) as server,
        IMAPClient(server.host, port=server.port, ssl=False, timeout=TIMEOUT) as client,
    ):
        with pytest.raises(LoginError):
            client.login("info@kinderrechten.nl", "wrong")
        client.login("info@kinderrechten.nl", "demo-password")
        assert client.select_folder("INBOX")[b"EXISTS"] == 0  # no pymap demo data

        client.append("INBOX", raw)
        [(_flags, delimiter, _name)] = client.list_folders("", "INBOX")
        assert delimiter == b"/" == server.separator.encode()
        folder = "INBOX/Processed"
        client.create_folder(folder)

        client.select_folder("INBOX")
        uids = client.search(["ALL"])
        assert len(uids) == 1
        assert client.fetch(uids, ["BODY.PEEK[]"])[uids[0]][b"BODY[]"] == raw
        client.move(uids, folder)  # UID MOVE

        assert client.search(["ALL"]) == []
        client.select_folder(folder)
        moved = client.search(["ALL"])
        assert len(moved) == 1
        assert client.fetch(moved, ["BODY.PEEK[]"])[moved[0]][b"BODY[]"] == raw
        client.logout()
