"""The SMTP connection the outbox sends on: the bot's only smtplib user.

In: the ``[smtp]`` settings and, with ``auth = "oauth2"``, a source of access tokens. Out: a
:class:`SmtpConnection` that hands one mail at a time to the server on one reused connection
(opened lazily, reopened after a drop), and every smtplib or socket error as a
:class:`~bot.errors.SendError`: a quota or rate answer as
:class:`~bot.errors.QuotaDeferral` (:func:`bot.outbound.pace.quota_pause` decides), another 4xx
or a connection problem as :class:`~bot.errors.TransientSendError`, a 5xx as
:class:`~bot.errors.PermanentSendError`; and :func:`check_smtp` for ``inbox-bot check``.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from collections.abc import Callable

from bot.config.types import SmtpConfig
from bot.errors import (
    OAuthError,
    PermanentSendError,
    QuotaDeferral,
    SendError,
    TransientSendError,
)
from bot.outbound import pace


class SmtpConnection:
    """A lazily opened SMTP connection, reopened after a drop; errors become SendError."""

    def __init__(self, config: SmtpConfig, tokens: Callable[[], str] | None = None) -> None:
        self.config = config
        self.tokens = tokens  # returns an OAuth2 access token (auth = "oauth2")
        self.token: str | None = None
        self.smtp: smtplib.SMTP | None = None

    def authorize(self) -> None:
        """Fetch the OAuth2 access token once (auth = "oauth2"); raises OAuthError."""
        if self.config.auth == "oauth2" and self.token is None:
            if self.tokens is None:
                raise OAuthError("smtp.auth is oauth2, but no token source was given")
            self.token = self.tokens()

    def send(self, sender: str, recipient: str, raw: bytes) -> None:
        try:
            if self.smtp is None:
                self.smtp = self._open()
            self.smtp.sendmail(sender, [recipient], raw, mail_options=self._options(
                sender, recipient))
        except smtplib.SMTPRecipientsRefused as e:
            code, text = next(iter(e.recipients.values()))
            self._reset_if(code == 421)  # smtplib closed its socket: open a new one next time
            raise _by_code(code, text) from e
        except smtplib.SMTPResponseException as e:
            self._reset_if(e.smtp_code == 421)
            raise _by_code(e.smtp_code, e.smtp_error) from e
        except (smtplib.SMTPException, OSError) as e:
            self._reset_if(True)
            raise TransientSendError(f"{type(e).__name__}: {e}") from e

    def _options(self, sender: str, recipient: str) -> list[str]:
        """SMTPUTF8 for a non-ASCII address (RFC 6531), when the server offers it."""
        if sender.isascii() and recipient.isascii():
            return []
        self.smtp.ehlo_or_helo_if_needed()
        if not self.smtp.has_extn("smtputf8"):
            raise PermanentSendError("the address is not ASCII and the SMTP server does not "
                                     "offer SMTPUTF8 (RFC 6531)")
        return ["SMTPUTF8"]

    def close(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.smtp.quit()
            self.smtp = None

    def _open(self) -> smtplib.SMTP:
        cfg = self.config
        context = ssl.create_default_context(cafile=cfg.ca_file)
        if cfg.security == "ssl":
            smtp = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout_seconds,
                                    context=context)
        else:
            smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_seconds)
            if cfg.security == "starttls":
                smtp.starttls(context=context)
        if self.token is not None:
            xoauth2 = f"user={cfg.username}\x01auth=Bearer {self.token}\x01\x01"
            # smtplib base64-encodes the answer; after a refusal the server's 334 challenge
            # (an error in JSON) is answered with an empty line, as RFC 7628 §3.2.3 asks
            smtp.ehlo_or_helo_if_needed()
            smtp.auth("XOAUTH2", lambda challenge=None: "" if challenge else xoauth2)
        elif cfg.username and cfg.password:
            smtp.login(cfg.username, cfg.password)
        return smtp

    def reset(self) -> None:
        """Drop the connection without QUIT (its state is unknown); the next send reopens."""
        self._reset_if(True)

    def _reset_if(self, condition: bool) -> None:
        if condition and self.smtp is not None:
            self.smtp.close()
            self.smtp = None


def check_smtp(config: SmtpConfig, tokens: Callable[[], str] | None = None) -> str:
    """Connect, secure and log in as the sender would, then NOOP and QUIT; SendError if not."""
    connection = SmtpConnection(config, tokens)
    try:
        connection.authorize()
        smtp = connection._open()
        code, _text = smtp.noop()
        smtp.quit()
    except (smtplib.SMTPException, OSError) as e:
        raise TransientSendError(f"{config.host}:{config.port}: {type(e).__name__}: {e}") from e
    login = f"logged in as {config.username}" if config.username else "no login configured"
    return f"{config.host}:{config.port} ({config.security}), {login}; NOOP {code}"


def _by_code(code: int, text: bytes | str) -> SendError:
    message = f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
    if pace.quota_pause(code, message, 0) is not None:
        return QuotaDeferral(message, code=code)
    return PermanentSendError(message) if 500 <= code < 600 else TransientSendError(message)
