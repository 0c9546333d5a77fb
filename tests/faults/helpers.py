"""Shared pieces of the fault-injection tests: sign-up mail, delivery, Runtimes and the
"everything exactly once" checks.

In:  Dovecot accounts, the SMTP sink, database URLs. Out: raw sign-up messages (unique sender,
Message-ID and content each), Runtimes pointed at a proxy, and :func:`check_handled_once`,
which asserts what a fault must never break: every message recorded once, every sign-up one
attendee, every reply in the outbox and sent, nothing left in INBOX. Duplicate deliveries at
the SMTP sink are *counted* (SMTP is at-least-once), not forbidden here; each test bounds them.
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import time
from collections import Counter
from dataclasses import dataclass
from types import SimpleNamespace

from imapclient import IMAPClient
from sqlalchemy.engine import Engine

from bot.store.models import Attendee, InboundMessage, OutboundMail
from tests.helpers import rows, runtime_for
from tests.imaptools import connect, folder_messages
from tests.mailfactory import build
from tests.servers import STOP_TIMEOUT, DovecotServer, ImapAccount

# No fault may stop a reply from going out, so the circuit breaker stays out of the way.
NO_BREAKER = {"circuit_breaker_replies": 100_000}
# Faults must show up within seconds, not the production minute. (runtime_for takes the sink
# as its ``smtp`` argument, so the [smtp] timeout keeps its default.)
QUICK_TIMEOUTS = {"timeout_seconds": 10}


def address(i: int, prefix: str = "mp") -> str:
    return f"{prefix}{i:04d}@tweedekamer.nl"


def sign_up(i: int, *, pad: int = 0, prefix: str = "mp") -> bytes:
    """A verified sign-up from ``address(i)``; ``pad`` bytes of harmless header lines make the
    message bigger (for cuts in the middle of a FETCH) without touching what it says."""
    sender = address(i, prefix)
    filler = {}
    for n in range(pad // 900 + (1 if pad % 900 else 0)):
        filler[f"X_Filler_{n}"] = ("f" * min(880, pad - n * 900)) or "f"
    return build(f"Graag meld ik mij aan voor de masterclass.\n\nMet vriendelijke groet,\n"
                 f"Kamerlid {i}\n",
                 From=f"Kamerlid {i} <{sender}>", Return_Path=f"<{sender}>",
                 Message_ID=f"<signup-{prefix}-{i}@tweedekamer.nl>", **filler)


def sign_ups(n: int, *, pad: int = 0, prefix: str = "mp") -> list[bytes]:
    return [sign_up(i, pad=pad, prefix=prefix) for i in range(n)]


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def client_for(account: ImapAccount) -> IMAPClient:
    """A second IMAP client on ``account`` (STARTTLS, verified), as delivery or a person."""
    return connect("localhost", account.port, account.username, account.password,
                   account.ca_file)


def deliver_many(account: ImapAccount, messages: list[bytes], chunk: int = 200) -> None:
    client = client_for(account)
    try:
        for start in range(0, len(messages), chunk):
            client.multiappend("INBOX", messages[start:start + chunk])
    finally:
        client.logout()


def folder_counts(account: ImapAccount) -> dict[str, int]:
    client = client_for(account)
    try:
        return {folder: len(folder_messages(client, folder))
                for folder in ("INBOX", "Processed", "Quarantine")}
    finally:
        client.logout()


def as_smtp(host: str, port: int) -> SimpleNamespace:
    """What ``runtime_for(smtp=...)`` reads of a sink (host, port): e.g. a proxy in front."""
    return SimpleNamespace(host=host, port=port)


def imap_runtime(account: ImapAccount, db_url: str, smtp, *, port: int | None = None,
                 **sections):
    """A Runtime whose IMAP connection goes in plain text to 127.0.0.1:``port`` (a proxy in
    front of Dovecot; default: Dovecot's own plain port)."""
    sections.setdefault("mailbox", {}).update(QUICK_TIMEOUTS)
    sections.setdefault("limits", {}).update(NO_BREAKER)
    return runtime_for(host="127.0.0.1", port=port or account.port,
                       username=account.username, password=account.password, db_url=db_url,
                       smtp=smtp, security="plain", **sections)


def tls_runtime(account: ImapAccount, db_url: str, smtp, **sections):
    """A Runtime on Dovecot with STARTTLS verified against the test CA (as production runs)."""
    sections.setdefault("mailbox", {}).update(QUICK_TIMEOUTS)
    sections.setdefault("limits", {}).update(NO_BREAKER)
    return runtime_for(host="localhost", port=account.port, username=account.username,
                       password=account.password, db_url=db_url, smtp=smtp,
                       security="starttls", ca_file=account.ca_file, **sections)


@dataclass(frozen=True)
class Outcome:
    """What the SMTP sink received."""

    deliveries: Counter  # (recipient, Message-ID of the reply) -> times received
    duplicates: int      # deliveries beyond the first of each (recipient, reply)

    def replies_per_recipient(self) -> Counter:
        """How many *different* replies each recipient received."""
        return Counter(rcpt for rcpt, _ in self.deliveries)


def smtp_outcome(sink) -> Outcome:
    """Count deliveries per (recipient, reply). The reply is known by its Message-ID, which
    the outbox fixes when it queues the reply, so a re-sent copy carries the same one."""
    deliveries: Counter = Counter()
    for mail in sink.messages:
        for rcpt in mail.rcpt_tos:
            deliveries[(rcpt, mail.message["Message-ID"])] += 1
    return Outcome(deliveries, sum(n - 1 for n in deliveries.values()))


def check_handled_once(engine: Engine, account: ImapAccount, sink, messages: list[bytes], *,
                       capacity: int, timeout: float = 30.0) -> Outcome:
    """Assert the end state after faults and recovery; return the SMTP outcome."""
    n = len(messages)
    inbound = rows(engine, InboundMessage)
    assert len(inbound) == n, f"{len(inbound)} messages recorded, {n} delivered"
    assert {m.sha256 for m in inbound} == {sha256(raw) for raw in messages}  # whole, not torn
    assert len({m.message_id for m in inbound}) == n
    assert Counter(m.status for m in inbound) == {"processed": n}
    attendees = rows(engine, Attendee)
    emails = [a.email for a in attendees]
    assert len(emails) == len(set(emails)) == n
    assert set(emails) == {address(i) for i in range(n)}
    statuses = Counter(a.status for a in attendees)
    assert statuses == Counter(registered=min(capacity, n), waitlisted=max(n - capacity, 0))
    outbox = rows(engine, OutboundMail)
    assert len(outbox) == n and {o.recipient for o in outbox} == set(emails)
    assert Counter(o.status for o in outbox) == {"sent": n}, Counter(o.status for o in outbox)
    sink.wait_for(n, timeout=timeout)
    outcome = smtp_outcome(sink)
    per_recipient = outcome.replies_per_recipient()
    assert set(per_recipient) == set(emails)  # everyone answered at least once ...
    assert set(per_recipient.values()) == {1}  # ... with one reply (a copy may come twice)
    assert folder_counts(account) == {"INBOX": 0, "Processed": n, "Quarantine": 0}
    return outcome


class RestartableDovecot(DovecotServer):
    """A Dovecot that can be stopped and started again on the same ports and the same mail
    (``stop()`` of :class:`DovecotServer` also deletes its directory, i.e. every mailbox)."""

    def stop_server(self) -> None:
        """SIGTERM the master and wait until nothing listens on the IMAP port any more."""
        self.stop_process()
        deadline = time.monotonic() + STOP_TIMEOUT
        while time.monotonic() < deadline and _listening(self.host, self.port):
            time.sleep(0.05)

    def start_server(self) -> None:
        """Start the master again with the same configuration; LOGIN works when it returns."""
        if self._proc is not None:
            raise RuntimeError("already running")
        for _ in range(20):  # a port in the middle of being released: try again shortly
            if self._launch():
                return
            time.sleep(0.25)
        raise RuntimeError(f"dovecot did not come back; log:\n{self._log_tail()}")


def _listening(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
        return True
    return False
