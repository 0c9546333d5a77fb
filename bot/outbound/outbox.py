"""Send stage: due outbox rows in, mail handed to the SMTP server out. The only smtplib user.

In: the database engine and the ``[smtp]``/``[worker]`` settings. Out: a :class:`SendSummary`.
Each due row is claimed in a short transaction (its attempt counted, leased for
``send_lease_seconds``),
sent on one reused SMTP connection outside any transaction (a slow server holds no database
lock), and marked ``sent`` right after the server's 250; a crash can duplicate at most the
one mail in flight, and a claimed row whose worker died is due again when its lease ends.
A 4xx reply or a connection problem is retried with doubling backoff; a 5xx reply marks the row
``failed`` (staff see it) and is never retried. A non-ASCII address (RFC 6532) goes with
SMTPUTF8 where the server offers it and fails for good otherwise; whatever goes wrong with one
row, it fails alone and the flush goes on. On PostgreSQL, ``FOR UPDATE SKIP LOCKED`` keeps
two workers from sending the same row. With ``[smtp] auth = "oauth2"`` it logs in with XOAUTH2
and the mailbox's access token, fetched before any row is claimed: without a token nothing is
sent and no attempt is counted (the error is logged; the rows wait for the next flush).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.config.types import SmtpConfig, WorkerConfig
from bot.errors import OAuthError, PermanentSendError, SendError, TransientSendError
from bot.logs import redact
from bot.store.db import writer
from bot.store.models import OutboundMail, OutboundStatus, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendSummary:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


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


def flush_outbox(engine: Engine, smtp: SmtpConfig, worker: WorkerConfig, *,
                 now: dt.datetime | None = None, chunk: int = 1000,
                 tokens: Callable[[], str] | None = None) -> SendSummary:
    """Send every due row and return how it went.

    Due rows are listed ``chunk`` at a time; each is then locked and sent on its own. A row
    that fails transiently gets a later ``next_attempt_at``, so it is not picked again in the
    same flush; a row another worker sent meanwhile is skipped. ``tokens`` returns the OAuth2
    access token for ``smtp.auth = "oauth2"``.
    """
    now = now or utcnow()
    counts = {OutboundStatus.SENT: 0, OutboundStatus.PENDING: 0, OutboundStatus.FAILED: 0}
    connection = SmtpConnection(smtp, tokens)
    tried: set[int] = set()  # rows locked by another worker are not waited for
    try:
        while ids := [i for i in _due_ids(engine, now, chunk + len(tried)) if i not in tried]:
            try:
                connection.authorize()
            except OAuthError as e:
                log.error("outbox: nothing sent, no OAuth2 access token: %s", e)
                break
            tried.update(ids)
            for row_id in ids:
                claimed = _claim(engine, row_id, now,
                                 dt.timedelta(seconds=worker.send_lease_seconds))
                if claimed is None:
                    continue  # sent or claimed by another worker meanwhile
                recipient, raw = claimed
                try:  # outside any transaction: a slow SMTP server holds no database lock
                    connection.send(smtp.from_address, recipient, raw)
                    error = None
                except SendError as e:
                    error = e
                except Exception as e:  # one bad row never stops a flush: it fails alone
                    connection.reset()
                    error = PermanentSendError(f"{type(e).__name__}: {e}")
                counts[_record_result(engine, row_id, error, worker, now)] += 1
    finally:
        connection.close()
    summary = SendSummary(counts[OutboundStatus.SENT], counts[OutboundStatus.PENDING],
                          counts[OutboundStatus.FAILED])
    if summary != SendSummary():
        log.info("outbox: %d sent, %d to retry, %d failed", summary.sent, summary.retrying,
                 summary.failed)
    return summary


def _due_ids(engine: Engine, now: dt.datetime, chunk: int) -> list[int]:
    with Session(engine) as session:
        return list(session.exec(
            select(OutboundMail.id).where(OutboundMail.status == OutboundStatus.PENDING,
                                          OutboundMail.next_attempt_at <= now)
            # mail to verified senders first: strangers' acknowledgements never hold it up
            .order_by(OutboundMail.unverified_recipient, OutboundMail.id).limit(chunk)))


def _claim(engine: Engine, row_id: int, now: dt.datetime, lease: dt.timedelta
           ) -> tuple[str, bytes] | None:
    """Take a due row for sending: count the attempt and lease it (``[worker]
    send_lease_seconds``), so no other worker picks it up meanwhile; a worker that dies
    mid-send leaves it due again when the lease ends."""
    with Session(writer(engine)) as session:
        row = session.exec(
            select(OutboundMail)
            .where(OutboundMail.id == row_id, OutboundMail.status == OutboundStatus.PENDING,
                   OutboundMail.next_attempt_at <= now)
            .with_for_update(skip_locked=True)).first()
        if row is None:
            return None
        row.attempts += 1
        row.next_attempt_at = _later(now) + lease  # a long flush must not shorten the lease
        claimed = row.recipient, row.raw  # read before the commit expires the row
        session.add(row)
        session.commit()
        return claimed


def _record_result(engine: Engine, row_id: int, error: SendError | None, worker: WorkerConfig,
                   now: dt.datetime) -> OutboundStatus:
    with Session(writer(engine)) as session:
        row = session.get(OutboundMail, row_id)
        if row is None:  # erased meanwhile (bot.ops.privacy): there is nothing left to record
            return OutboundStatus.FAILED if error else OutboundStatus.SENT
        status = _apply_result(row, error, worker, _later(now))
        session.add(row)
        session.commit()
        return status


def _later(now: dt.datetime) -> dt.datetime:
    """The flush's clock, or the wall clock once a long flush has passed it (tests pass a
    simulated ``now`` ahead of the wall clock)."""
    return max(now, utcnow())


def _apply_result(row: OutboundMail, error: SendError | None, worker: WorkerConfig,
                  now: dt.datetime) -> OutboundStatus:
    """Sent, failed for good (5xx, or too many attempts), or due again after a backoff."""
    if error is None:
        row.status, row.sent_at, row.last_error = OutboundStatus.SENT, utcnow(), None
        row.next_attempt_at = now
        log.info("outbox #%s %s: sent (%s)", row.id, row.message_id, row.purpose)
    elif isinstance(error, PermanentSendError) or row.attempts >= worker.max_send_attempts:
        row.status, row.last_error = OutboundStatus.FAILED, str(error)
        log.warning("outbox #%s %s: failed after %d attempts: %s", row.id, row.message_id,
                    row.attempts, redact(error))
    else:
        delay = min(worker.retry_base_seconds * 2 ** (row.attempts - 1), worker.retry_max_seconds)
        row.next_attempt_at, row.last_error = now + dt.timedelta(seconds=delay), str(error)
        log.info("outbox #%s %s: will retry in %d s: %s", row.id, row.message_id, delay,
                 redact(error))
    return row.status


def _by_code(code: int, text: bytes | str) -> SendError:
    message = f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
    return PermanentSendError(message) if 500 <= code < 600 else TransientSendError(message)
