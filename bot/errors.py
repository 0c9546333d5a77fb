"""The exceptions inbox-bot raises, in one small hierarchy.

In: nothing. Out: exception classes. Mail library errors (imaplib, smtplib, the OAuth2 token
endpoint) are translated into these at the edge that talks to the library, with ``raise ... from
e``. SQLAlchemy's errors are not: an unavailable database (``OperationalError``) stops the poll
and the message waits in the inbox, and the command line reports it (``bot.cli.main``).

    BotError
    ├── ConfigError        the configuration is wrong; start-up stops with a one-line message
    ├── MailboxError       the IMAP server could not be reached or refused a command
    ├── OAuthError         no OAuth2 access token (no login yet, refresh refused or failed);
    │                      the mailbox and outbox translate it into their own errors
    ├── MessageRejected    one message cannot be processed (too big, not a mail); it is quarantined
    │   └── MessageTooSlow       reading it ran over ``[worker] message_seconds``
    ├── SendError          one outgoing mail could not be handed to the SMTP server
    │   ├── TransientSendError   4xx or connection trouble: retried later with backoff
    │   │   └── QuotaDeferral    a quota or rate answer (also a 5xx one): the outbox pauses
    │   └── PermanentSendError   5xx: marked failed and shown to staff, never retried
    ├── ActionRefused      a staff action cannot be done (unknown address, wrong status, full)
    ├── AccountError       a staff account cannot be created (name taken, password too short)
    └── CheckFailed        ``inbox-bot check`` found something wrong
"""

from __future__ import annotations


class BotError(Exception):
    """Base class of every error inbox-bot raises on purpose."""


class ConfigError(BotError):
    """The configuration file is missing, unreadable or holds a wrong value.

    The message names the key, e.g. ``mailbox.port: must be an integer from 1 to 65535``.
    """


class MailboxError(BotError):
    """The IMAP server could not be reached, refused the login, or failed a command."""


class OAuthError(BotError):
    """No OAuth2 access token could be had: nobody ran ``inbox-bot oauth login`` yet, the
    provider refused the refresh token (``needs_login`` is True: an administrator must log in
    again), or the token endpoint could not be reached (``needs_login`` is False: try later)."""

    def __init__(self, message: str, *, needs_login: bool = False) -> None:
        super().__init__(message)
        self.needs_login = needs_login


class MessageRejected(BotError):
    """One inbound message cannot be processed; the pipeline quarantines it with this reason."""


class MessageTooSlow(MessageRejected):
    """Parsing and classifying one message took longer than its time budget."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than {seconds:g} s to read")
        self.seconds = seconds

    def __reduce__(self):  # it crosses back from the reader process
        return type(self), (self.seconds,)


class SendError(BotError):
    """One outgoing mail could not be delivered to the SMTP server."""


class TransientSendError(SendError):
    """A temporary failure (4xx reply, refused or dropped connection): try again later."""


class QuotaDeferral(TransientSendError):
    """The server refused for a sending quota or rate (``421 4.7.0``, ``554 5.2.0 ...
    SubmissionQuotaExceeded``, ``550 5.4.5 Daily user sending limit exceeded``): the mail waits
    and the whole outbox pauses (:mod:`bot.outbound.pace`); it is never marked failed."""

    def __init__(self, message: str, *, code: int) -> None:
        super().__init__(message)
        self.code = code


class PermanentSendError(SendError):
    """A permanent failure (5xx reply): do not retry; staff must look at it."""


class ActionRefused(BotError):
    """A staff action that cannot be done (unknown address, wrong status, no free seat); the
    message says why, for the person who asked."""


class AccountError(BotError):
    """A staff account could not be created (name taken, password too short)."""


class CheckFailed(BotError):
    """A check of ``inbox-bot check`` found something wrong; the message says what."""
