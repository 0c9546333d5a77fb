"""Send stage: due outbox rows in, mail handed to the SMTP server out. The only smtplib user.

In: the database engine and the ``[smtp]``/``[worker]`` settings. Out: a :class:`SendSummary`.
Each due row is sent in its own short transaction on one reused SMTP connection and marked
``sent`` right after the server's 250, so a crash can duplicate at most the one mail in flight.
A 4xx reply or a connection problem is retried with doubling backoff; a 5xx reply marks the row
``failed`` (staff see it) and is never retried. On PostgreSQL, ``FOR UPDATE SKIP LOCKED`` keeps
two workers from sending the same row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
import ssl
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.config import SmtpConfig, WorkerConfig
from bot.db import writer
from bot.errors import PermanentSendError, SendError, TransientSendError
from bot.models import OutboundMail, OutboundStatus, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendSummary:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


class SmtpConnection:
    """A lazily opened SMTP connection, reopened after a drop; errors become SendError."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def send(self, sender: str, recipient: str, raw: bytes) -> None:
        try:
            if self.smtp is None:
                self.smtp = self._open()
            self.smtp.sendmail(sender, [recipient], raw)
        except smtplib.SMTPRecipientsRefused as e:
            code, text = next(iter(e.recipients.values()))
            raise _by_code(code, text) from e
        except smtplib.SMTPResponseException as e:
            self._reset_if(e.smtp_code == 421)
            raise _by_code(e.smtp_code, e.smtp_error) from e
        except (smtplib.SMTPException, OSError) as e:
            self._reset_if(True)
            raise TransientSendError(f"{type(e).__name__}: {e}") from e

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
        if cfg.username and cfg.password:
            smtp.login(cfg.username, cfg.password)
        return smtp

    def _reset_if(self, condition: bool) -> None:
        if condition and self.smtp is not None:
            self.smtp.close()
            self.smtp = None


def flush_outbox(engine: Engine, smtp: SmtpConfig, worker: WorkerConfig, *,
                 now: dt.datetime | None = None, chunk: int = 1000) -> SendSummary:
    """Send every due row and return how it went.

    Due rows are listed ``chunk`` at a time; each is then locked and sent on its own. A row
    that fails transiently gets a later ``next_attempt_at``, so it is not picked again in the
    same flush; a row another worker sent meanwhile is skipped.
    """
    now = now or utcnow()
    counts = {OutboundStatus.SENT: 0, OutboundStatus.PENDING: 0, OutboundStatus.FAILED: 0}
    connection = SmtpConnection(smtp)
    tried: set[int] = set()  # rows locked by another worker are not waited for
    try:
        while ids := [i for i in _due_ids(engine, now, chunk + len(tried)) if i not in tried]:
            tried.update(ids)
            for row_id in ids:
                with Session(writer(engine)) as session:
                    row = session.exec(
                        select(OutboundMail)
                        .where(OutboundMail.id == row_id,
                               OutboundMail.status == OutboundStatus.PENDING)
                        .with_for_update(skip_locked=True)).first()
                    if row is None:
                        continue
                    status = _send_one(connection, row, smtp.from_address, worker, now)
                    counts[status] += 1
                    session.add(row)
                    session.commit()
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
            .order_by(OutboundMail.id).limit(chunk)))


def _send_one(connection: SmtpConnection, row: OutboundMail, sender: str, worker: WorkerConfig,
              now: dt.datetime) -> OutboundStatus:
    row.attempts += 1
    try:
        connection.send(sender, row.recipient, row.raw)
    except PermanentSendError as e:
        row.status, row.last_error = OutboundStatus.FAILED, str(e)
        log.warning("outbox #%s %s: failed permanently: %s", row.id, row.message_id, e)
    except SendError as e:
        row.last_error = str(e)
        if row.attempts >= worker.max_send_attempts:
            row.status = OutboundStatus.FAILED
            log.warning("outbox #%s %s: gave up after %d attempts: %s", row.id, row.message_id,
                        row.attempts, e)
        else:
            delay = min(worker.retry_base_seconds * 2 ** (row.attempts - 1),
                        worker.retry_max_seconds)
            row.next_attempt_at = now + dt.timedelta(seconds=delay)
            log.info("outbox #%s %s: will retry in %d s: %s", row.id, row.message_id, delay, e)
    else:
        row.status, row.sent_at, row.last_error = OutboundStatus.SENT, utcnow(), None
        log.info("outbox #%s %s: sent (%s)", row.id, row.message_id, row.purpose)
    return OutboundStatus(row.status)


def _by_code(code: int, text: bytes | str) -> SendError:
    message = f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
    return PermanentSendError(message) if 500 <= code < 600 else TransientSendError(message)
