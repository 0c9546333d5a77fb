"""Reconciliation: is every message in the mailbox accounted for in the database?

In: a :class:`~bot.runtime.Runtime` (the mailbox and the database). Out: a :class:`Report`.
Every message in the processed and quarantine folders must have a database row (matched by
the SHA-256 of its bytes, else by Message-ID: a message kept as headers only matches that way);
messages still in the inbox are counted as waiting. ``inbox-bot reconcile`` prints the report
and exits 1 when something is unaccounted for; the worker runs it daily and raises a staff
alert (dashboard and log) in that case. Reading never sets ``\\Seen``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlmodel import Session, select

from bot.errors import MessageRejected
from bot.inbound.mailbox import Mailbox
from bot.inbound.parse import parse_message
from bot.register.recorded import sha256_of
from bot.runtime import Runtime
from bot.store.db import writer
from bot.store.models import Alert, InboundMessage, utcnow

log = logging.getLogger(__name__)


@dataclass
class Report:
    checked: dict[str, int] = field(default_factory=dict)     # folder -> messages read
    waiting: int = 0                                           # still in the inbox
    unaccounted: list[str] = field(default_factory=list)      # "Folder UID n: <Message-ID>"

    def lines(self) -> list[str]:
        counts = ", ".join(f"{folder}: {n}" for folder, n in self.checked.items())
        out = [f"checked {counts}; waiting in the inbox: {self.waiting}",
               f"unaccounted for: {len(self.unaccounted)}"]
        return out + [f"  {item}" for item in self.unaccounted]


def reconcile(rt: Runtime) -> Report:
    """Compare the mailbox with the database; see the module docstring."""
    cfg = rt.config.mailbox
    with Session(rt.engine) as session:
        known_sha = set(session.exec(select(InboundMessage.sha256)).all())
        known_ids = {i for i in session.exec(select(InboundMessage.message_id)).all() if i}
    report = Report()
    with Mailbox(cfg, tokens=rt.tokens) as mailbox:
        report.waiting = len(mailbox.list_uids())
        for folder in (cfg.processed_folder, cfg.quarantine_folder):
            count = 0
            for uid, raw in mailbox.scan_folder(folder, batch_size=rt.config.worker.batch_size):
                count += 1
                if sha256_of(raw) in known_sha:
                    continue
                message_id = _message_id(raw)
                if message_id and message_id in known_ids:
                    continue
                report.unaccounted.append(f"{folder} UID {uid}: {message_id or '(no Message-ID)'}")
            report.checked[folder] = count
    return report


def reconcile_and_alert(rt: Runtime) -> Report:
    """The daily job: reconcile, log, and raise an alert when something is unaccounted for."""
    report = reconcile(rt)
    if report.unaccounted:
        message = (f"{len(report.unaccounted)} messages in the mailbox are not in the database "
                   f"(first: {report.unaccounted[0]}). Run 'inbox-bot reconcile'.")
        log.error("reconcile: %s", message)
        with Session(writer(rt.engine)) as session:
            session.add(Alert(kind="reconcile", message=message, created_at=utcnow()))
            session.commit()
    else:
        log.info("reconcile: everything accounted for (%s)", report.lines()[0])
    return report


def _message_id(raw: bytes) -> str | None:
    try:
        return parse_message(raw, max_bytes=len(raw) + 1).message_id
    except MessageRejected:
        return None
