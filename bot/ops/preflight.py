"""``inbox-bot check``: can the bot do its work with this configuration? One line per part.

In: the loaded :class:`~bot.config.types.Config`. Out: :class:`CheckResult` values, one per part, in
the order a person would fix them: the database (reachable, schema at the newest revision), the
templates (every reply renders in Dutch and English), the OAuth2 token (with ``auth =
"oauth2"``: stored, not refused, not about to expire), IMAP (log in with the configured
credentials, the watched folder and the two folders the bot files into), SMTP (connect, TLS,
log in), the sending pace (``[smtp] max_per_minute``/``max_per_day``), and the alerts the
worker has open. Nothing is sent, moved or changed, except that the
processed and quarantine folders are created when missing, as the worker would.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from bot.config.types import Config
from bot.errors import BotError, CheckFailed
from bot.inbound.mailbox import Mailbox
from bot.outbound.pace import pace_text
from bot.outbound.reply import Purpose, make_environment, render_reply
from bot.outbound.samples import sample_request
from bot.outbound.smtp import check_smtp
from bot.register.record import INVITES
from bot.store import schema
from bot.store.db import make_engine
from bot.store.models import Alert, utcnow
from bot.store.oauth import TokenSource, token_health

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'PASS' if self.ok else 'FAIL'}  {self.name:<9} {self.detail}"


def run_checks(config: Config) -> list[CheckResult]:
    """Every check, each isolated: one failing part does not hide the state of the others."""
    engine = make_engine(config.database_url)
    tokens = None if config.oauth is None else TokenSource(
        engine, config.oauth, config.mailbox.username).access_token
    checks: list[tuple[str, Callable[[], str]]] = [
        ("database", lambda: check_database(engine)),
        ("templates", lambda: check_templates(config)),
        *([("oauth", lambda: check_oauth(engine, config))] if config.oauth else []),
        ("imap", lambda: check_imap(config, tokens)),
        ("smtp", lambda: check_smtp(config.smtp, tokens)),
        ("pace", lambda: pace_text(config.smtp)),
        ("alerts", lambda: check_alerts(engine)),
    ]
    results: list[CheckResult] = []
    try:
        for name, check in checks:
            if name == "alerts" and not results[0].ok:
                results.append(CheckResult(name, False, "not checked: the database is not ready"))
                continue
            try:
                results.append(CheckResult(name, True, check()))
            except (BotError, SQLAlchemyError, OSError) as e:
                results.append(CheckResult(name, False, str(e).splitlines()[0]))
    finally:
        engine.dispose()
    return results


def check_database(engine: Engine) -> str:
    with engine.connect() as connection:
        current = schema.revision_of(connection)
    head = schema.head_revision()
    where = engine.url.render_as_string(hide_password=True)
    if current != head:
        raise CheckFailed(f"{where}: schema {current or 'none'}, newest {head}: run "
                          f"`inbox-bot db upgrade`")
    return f"{where}: schema {current}, the newest"


def check_templates(config: Config) -> str:
    env = make_environment()
    now = utcnow()
    count = 0
    for purpose in Purpose:
        for language in ("nl", "en"):
            # every optional sentence shows, in the configured look (the logo too)
            request = sample_request(purpose, language, every_branch=True,
                                     invite_method=INVITES.get(purpose))
            render_reply(request, config, env, now=now)
            count += 1
    return f"{count} replies render (Dutch and English)"


def check_oauth(engine: Engine, config: Config) -> str:
    health = token_health(engine, config)
    if not health.ok:
        raise CheckFailed(f"{health.message}: run `inbox-bot oauth login`")
    return health.message


def check_imap(config: Config, tokens: Callable[[], str] | None) -> str:
    cfg = config.mailbox
    with Mailbox(cfg, tokens=tokens) as mailbox:
        counts = mailbox.folder_counts()
    folders = ", ".join(f"{name} {count}" for name, count in counts.items())
    return f"{cfg.username} at {cfg.host}:{cfg.port} ({cfg.security}); messages: {folders}"


def check_alerts(engine: Engine) -> str:
    with Session(engine) as session:
        alerts = session.exec(select(Alert).where(Alert.resolved_at.is_(None))).all()
    if alerts:
        raise CheckFailed("; ".join(f"{a.kind}: {a.message}" for a in alerts))
    return "none open"
