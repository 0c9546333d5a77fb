"""``--dry-run``: the real flow against the real mailbox, with nothing sent and nothing moved.

In: the loaded :class:`~bot.config.types.Config` and a path for a scratch SQLite database. Out: a
configuration that opens the mailbox read-only (IMAP EXAMINE: no folder created, no flag set, no
message moved), records into the scratch database instead of the configured one, and never flushes
the outbox; and, after each poll, the lines :func:`decisions` returns (:class:`DecisionFeed` hands
them to the CLI): per message its kind, what the bot did with it, the reply it would send and the
rules that fired.

The scratch database starts empty on every dry run, so the configured database never sees the
messages of a dry run: when the bot is switched on, it answers them as if the dry run had not
happened. The operator reads the decisions on the terminal; they contain addresses, like ``inbox-bot
attendees`` does, and are not logged.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.config.types import Config
from bot.errors import ConfigError
from bot.store.models import InboundMessage, OutboundMail

log = logging.getLogger(__name__)

DEFAULT_NAME = "dry-run.db"


def dry_run_config(config: Config, database: Path | None) -> Config:
    """``config`` made harmless: read-only mailbox, a fresh scratch database, no sending."""
    path = database or (config.path.parent if config.path else Path.cwd()) / DEFAULT_NAME
    real = config.database_url.removeprefix("sqlite:///")
    if config.database_url.startswith("sqlite:///") and Path(real).resolve() == path.resolve():
        raise ConfigError(f"--dry-run-database: {path} is the configured database; a dry run "
                          f"empties its scratch database, so give it another file")
    path.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    log.info("dry run: mailbox read-only, nothing sent or moved; scratch database %s", path)
    return dataclasses.replace(
        config, dry_run=True, database_url=f"sqlite:///{path}",
        mailbox=dataclasses.replace(config.mailbox, read_only=True))


def decisions(engine: Engine, after_id: int = 0) -> tuple[list[str], int]:
    """One line per message recorded after ``after_id``; returns the lines and the last id."""
    lines = []
    last = after_id
    with Session(engine) as session:
        rows = session.exec(select(InboundMessage).where(InboundMessage.id > after_id)
                            .order_by(InboundMessage.id)).all()
        replies: dict[int, list[str]] = {}
        for source, purpose, to in session.exec(
                select(OutboundMail.source_message_id, OutboundMail.purpose, OutboundMail.recipient)
                .where(OutboundMail.source_message_id > after_id).order_by(OutboundMail.id)):
            replies.setdefault(source, []).append(f"{purpose} to {to}")
        for row in rows:
            reply = ", ".join(replies.get(row.id, [])) or "no reply"
            why = ", ".join(row.reasons[:4]) or row.error or ""
            lines.append(f"uid {row.uid:<6} {row.sender or '?':<34} {row.kind or '-':<12} "
                         f"-> {row.status:<12} {reply}  ({why})")
            last = row.id
    return lines, last


class DecisionFeed:
    """Hands each poll's new decisions once to ``write`` (the worker calls it after every
    poll; the CLI writes them to stdout)."""

    def __init__(self, engine: Engine, write: Callable[[str], None]) -> None:
        self.engine, self.write = engine, write
        self.last_id = 0

    def __call__(self) -> None:
        lines, self.last_id = decisions(self.engine, self.last_id)
        for line in lines:
            self.write(f"dry run: {line}")
