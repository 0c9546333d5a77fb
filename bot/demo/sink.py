"""An SMTP sink on loopback: accepts mail and keeps it in memory.

In:  SMTP connections on ``host:port`` (plain SMTP, no TLS or AUTH), e.g. from ``smtplib`` or the
     bot's outbox sender. ``fail_next()`` queues replies (``'451 4.3.0 Try again later'``,
     ``'550 5.1.1 No such user'``) that answer the next DATA commands instead of accepting them;
     ``refuse``, if given, is asked at every DATA and may answer with a refusal (a quota, say);
     ``on_rcpt``, if given, is called (in a thread) at every RCPT and may block: a test holds a
     sender there, in the middle of a mail.
Out: ``SmtpSink.messages``, a list of ``ReceivedMail`` (envelope sender, envelope recipients, raw
     bytes as received, and ``.message`` parsed with ``email.policy.default``); ``wait_for(n)``
     blocks until ``n`` messages arrived.

The server is aiosmtpd's ``Controller``, which runs its own asyncio loop in a daemon thread. With
``port=0`` the operating system picks a free port; ``.port`` holds the real one after ``start()``.
"""

from __future__ import annotations

import asyncio
import email
import email.message
import email.policy
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller

logger = logging.getLogger(__name__)


class _NoLoginDataDeprecation(logging.Filter):
    """Drops aiosmtpd's "Session.login_data is deprecated" warning (logged on every AUTH)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "login_data is deprecated" not in record.getMessage()


_mail_log = logging.getLogger("mail.log")  # aiosmtpd's own logger name
if not any(isinstance(f, _NoLoginDataDeprecation) for f in _mail_log.filters):
    _mail_log.addFilter(_NoLoginDataDeprecation())


@dataclass(frozen=True)
class ReceivedMail:
    """One message accepted by the sink."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes  # raw message as received (after SMTP dot-unstuffing)

    @property
    def message(self) -> email.message.EmailMessage:
        """The message parsed with ``email.policy.default``. SMTP data has CRLF line ends and
        the stdlib keeps them in decoded text: ``get_content()`` returns ``'...\\r\\n'``."""
        parsed = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(parsed, email.message.EmailMessage)
        return parsed

    @property
    def text(self) -> str:
        """The plain-text body (of a multipart message too), with LF line ends."""
        body = self.message.get_body(preferencelist=("plain",))
        return body.get_content().replace("\r\n", "\n") if body is not None else ""


class _Handler:
    """aiosmtpd handler: stores accepted messages in the sink or answers a queued failure."""

    def __init__(self, sink: SmtpSink) -> None:
        self._sink = sink

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if self._sink.on_rcpt is not None:  # may block: not on the server's event loop
            await asyncio.get_running_loop().run_in_executor(None, self._sink.on_rcpt, address)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        reply = self._sink._pop_failure()
        if reply is not None:
            logger.info("SMTP sink refuses message from %s: %s", envelope.mail_from, reply)
            return reply
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8", errors="surrogateescape")
        mail = ReceivedMail(
            mail_from=envelope.mail_from or "",
            rcpt_tos=tuple(envelope.rcpt_tos),
            data=bytes(content),
        )
        self._sink._add(mail)
        return "250 2.0.0 OK: queued in sink"


class _Controller(Controller):
    """Controller that supports ``port=0``.

    aiosmtpd connects to ``self.port`` once after binding, to make sure its server is up; with
    port 0 that would fail, so read the bound port back first.
    """

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpSink:
    """Context manager: an SMTP server on loopback that keeps every accepted message in memory."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, on_message=None, *,
                 smtputf8: bool = False, refuse=None, on_rcpt=None) -> None:
        """``on_message(mail)``, if given, is called for every accepted message; ``smtputf8``
        offers SMTPUTF8 (RFC 6531), for non-ASCII addresses; ``refuse()``, if given, is called
        at every DATA and returns a 4xx/5xx reply to refuse the message with, or None;
        ``on_rcpt(address)``, if given, is called at every RCPT before it is accepted."""
        self.smtputf8 = smtputf8
        self.on_rcpt = on_rcpt
        self.refuse = refuse
        self.host = host
        self.port = port
        self.on_message = on_message
        self.messages: list[ReceivedMail] = []
        self._cond = threading.Condition()
        self._failures: deque[str] = deque()
        self._controller: _Controller | None = None

    def start(self) -> SmtpSink:
        if self._controller is not None:
            raise RuntimeError("SmtpSink already started")
        # server_hostname: the greeting name; without it aiosmtpd calls socket.getfqdn() for
        # every connection, which can hang on a machine with broken DNS.
        controller = _Controller(
            _Handler(self), hostname=self.host, port=self.port, server_hostname="localhost",
            enable_SMTPUTF8=self.smtputf8,
        )
        controller.start()
        self._controller = controller
        self.port = controller.port
        logger.info("SMTP sink listening on %s:%d", self.host, self.port)
        return self

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()
            logger.info("SMTP sink on %s:%d stopped", self.host, self.port)

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def fail_next(self, *replies: str) -> None:
        """Queue SMTP replies like '451 4.3.0 Try again later' or '550 5.1.1 No such user' to
        answer the next DATA commands (one reply per message) instead of accepting."""
        for reply in replies:
            code = reply[:3]
            if not (code.isdigit() and code[0] in "45" and reply[3:4] in ("", " ")):
                raise ValueError(f"not a 4xx/5xx SMTP reply: {reply!r}")
        with self._cond:
            self._failures.extend(replies)

    def clear(self) -> None:
        """Forget received messages and queued failures."""
        with self._cond:
            self.messages.clear()
            self._failures.clear()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedMail]:
        """Block until at least ``count`` messages arrived, else raise TimeoutError."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"SMTP sink got {len(self.messages)} of {count} messages in {timeout} s"
                    )
                self._cond.wait(remaining)
            return list(self.messages)

    def _add(self, mail: ReceivedMail) -> None:
        with self._cond:
            self.messages.append(mail)
            self._cond.notify_all()
        if self.on_message is not None:
            self.on_message(mail)

    def _pop_failure(self) -> str | None:
        with self._cond:
            if self._failures:
                return self._failures.popleft()
        return self.refuse() if self.refuse is not None else None
