"""Load and validate the configuration file once, at start-up.

In: a TOML file path (``--config PATH``, else ``$INBOX_BOT_CONFIG``, else ``./config.toml``) and
the environment (secrets live only there). Out: a frozen :class:`~bot.config.types.Config` that
is passed to every part of the bot. Any wrong or missing value raises
:class:`~bot.errors.ConfigError` with a one-line message that names the key, e.g.
``mailbox.port: must be an integer from 1 to 65535``.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from pathlib import Path
from typing import Any

from bot.config.reader import Reader
from bot.config.sections import (
    read_branding,
    read_events,
    read_oauth,
    read_questions,
    read_web,
    refuse_password,
    smtp_with_oauth,
)
from bot.config.types import (
    AUTH_MODES,
    DEFAULT_PARTIES,
    DEFAULT_PATH,
    MAX_MESSAGE_BYTES,
    MESSAGE_SECONDS,
    SECURITY_MODES,
    SENDING_LIMITS,
    ClassifyConfig,
    Config,
    HealthConfig,
    LimitsConfig,
    MailboxConfig,
    OfflineSettings,
    PrivacyConfig,
    SmtpConfig,
    TrustConfig,
    WorkerConfig,
)
from bot.errors import ConfigError


def resolve_path(cli_path: str | None) -> Path:
    """``--config`` wins, then ``$INBOX_BOT_CONFIG``, then ``./config.toml``."""
    return Path(cli_path or os.environ.get("INBOX_BOT_CONFIG") or DEFAULT_PATH)


def load_config(path: Path, environ: dict[str, str] | None = None) -> Config:
    """Read, validate and return the configuration in ``path``; secrets come from ``environ``."""
    env = os.environ if environ is None else environ
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ConfigError(f"{path}: configuration file not found") from e
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read configuration file: {e}") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from e
    return parse_config(data, env, path=path)


def parse_config(data: dict[str, Any], env: Any, *, path: Path | None = None) -> Config:
    """Validate an already-parsed TOML document; see :func:`load_config`."""
    known = {"mailbox", "smtp", "database", "event", "trust", "worker", "classify", "limits",
             "health", "privacy", "oauth", "web", "questions", "branding"}
    for name in data:
        if name not in known:
            expected = ", ".join(sorted(known))
            raise ConfigError(f"{name}: unknown section (expected one of {expected})")
    r = Reader(data)
    auth = r.choice("mailbox.auth", AUTH_MODES, "password")
    refuse_password("mailbox", r, auth)
    mailbox = MailboxConfig(
        host=r.text("mailbox.host"),
        port=r.port("mailbox.port"),
        security=r.choice("mailbox.security", SECURITY_MODES),
        ca_file=r.existing_file("mailbox.ca_file"),
        username=r.text("mailbox.username"),
        password=(r.secret("mailbox.password_env", env, required=True) or "") if (
            auth == "password") else "",
        address=r.email("mailbox.address"),
        folder=r.text("mailbox.folder", "INBOX"),
        processed_folder=r.text("mailbox.processed_folder", "Processed"),
        quarantine_folder=r.text("mailbox.quarantine_folder", "Quarantine"),
        timeout_seconds=r.number("mailbox.timeout_seconds", 60.0),
        aliases=tuple(a.lower() for a in r.text_list("mailbox.aliases", [])),
        auth=auth,
    )
    _check_plain("mailbox", mailbox.host, mailbox.security)
    oauth = read_oauth(r, env) if auth == "oauth2" else None
    smtp_auth = r.choice("smtp.auth", AUTH_MODES, "password")
    pace = SENDING_LIMITS[oauth.provider if oauth else None]
    refuse_password("smtp", r, smtp_auth)
    smtp = SmtpConfig(
        host=r.text("smtp.host"),
        port=r.port("smtp.port"),
        security=r.choice("smtp.security", SECURITY_MODES),
        ca_file=r.existing_file("smtp.ca_file"),
        username=r.text("smtp.username", None),
        password=r.secret("smtp.password_env", env, required=False) if (
            smtp_auth == "password") else None,
        from_header=r.text("smtp.from"),
        timeout_seconds=r.number("smtp.timeout_seconds", 60.0),
        auth=smtp_auth,
        max_per_minute=r.integer("smtp.max_per_minute", pace[0]),
        max_per_day=r.integer("smtp.max_per_day", pace[1]),
    )
    _check_plain("smtp", smtp.host, smtp.security)
    smtp = smtp_with_oauth(smtp, mailbox)
    if "@" not in smtp.from_address:
        raise ConfigError(f"smtp.from: {smtp.from_header!r} holds no email address")
    events = read_events(data.get("event"), r)
    trust = _trust(r)
    worker = WorkerConfig(
        poll_interval_seconds=r.integer("worker.poll_interval_seconds", 60, minimum=1),
        batch_size=r.integer("worker.batch_size", 200, minimum=1),
        max_message_bytes=r.integer("worker.max_message_bytes", MAX_MESSAGE_BYTES, minimum=1024),
        retry_base_seconds=r.integer("worker.retry_base_seconds", 60, minimum=1),
        retry_max_seconds=r.integer("worker.retry_max_seconds", 3600, minimum=1),
        max_send_attempts=r.integer("worker.max_send_attempts", 20, minimum=1),
        autoreply_max_age_hours=r.integer("worker.autoreply_max_age_hours", 72, minimum=1),
        send_lease_seconds=r.integer("worker.send_lease_seconds", 300, minimum=1),
        parse_processes=r.integer("worker.parse_processes", 1, minimum=0),
        message_seconds=r.number("worker.message_seconds", MESSAGE_SECONDS),
    )
    limits = LimitsConfig(
        replies_per_sender_per_day=r.integer("limits.replies_per_sender_per_day", 3, minimum=1),
        same_reply_window_hours=r.integer("limits.same_reply_window_hours", 168, minimum=0),
        circuit_breaker_replies=r.integer("limits.circuit_breaker_replies", 100, minimum=1),
        circuit_breaker_minutes=r.integer("limits.circuit_breaker_minutes", 10, minimum=1),
        unverified_replies_per_day=r.integer("limits.unverified_replies_per_day", 300,
                                             minimum=1),
    )
    health = HealthConfig(
        alert_email=r.email("health.alert_email", None),
        stall_intervals=r.integer("health.stall_intervals", 3, minimum=1),
        token_warning_days=r.integer("health.token_warning_days", 7, minimum=1),
    )
    privacy = PrivacyConfig(retention_days_after_event=r.integer(
        "privacy.retention_days_after_event", 30, minimum=1))
    classify = _classify(r)
    database_url = r.text("database.url", "sqlite:///inbox-bot.db")
    if not database_url.startswith(("sqlite:", "postgresql")):
        raise ConfigError("database.url: must start with sqlite:/// or postgresql+psycopg://")
    web = read_web(r)
    questions = read_questions(r)
    branding = read_branding(r)
    r.reject_unknown()
    return Config(mailbox, smtp, database_url, events, trust, worker, classify, limits, health,
                  privacy, web, path=path, oauth=oauth, questions=questions, branding=branding)


def _check_plain(section: str, host: str, security: str) -> None:
    if security == "plain" and not _is_loopback(host):
        raise ConfigError(
            f"{section}.security: 'plain' is allowed only for loopback hosts, not {host}")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_offline_settings(path: Path) -> OfflineSettings:
    """The classifier's settings from ``path``; the defaults of ``config.example.toml`` when
    there is no such file. Needs no mailbox password."""
    if not path.is_file():
        return OfflineSettings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{path}: cannot read configuration file: {e}") from e
    r = Reader(data)
    first = data.get("event")
    first = first[0] if isinstance(first, list) and first else first
    return OfflineSettings(
        our_address=r.email("mailbox.address"),
        aliases=tuple(a.lower() for a in r.text_list("mailbox.aliases", [])),
        trust=_trust(r), classify=_classify(r),
        capacity=Reader({"event": first or {}}).integer("event.capacity", 1, minimum=1),
        message_seconds=r.number("worker.message_seconds", MESSAGE_SECONDS),
        brand=r.text("branding.name", OfflineSettings.brand))


def _trust(r: Reader) -> TrustConfig:
    domains = tuple(d.lower().rstrip(".") for d in r.text_list("trust.allowed_domains"))
    return TrustConfig(allowed_domains=domains, authserv_id=r.text("trust.authserv_id"))


def _classify(r: Reader) -> ClassifyConfig:
    confidence = r.number("classify.min_confidence", 0.6)
    if confidence > 1:
        raise ConfigError("classify.min_confidence: must be between 0 and 1")
    return ClassifyConfig(tuple(r.text_list("classify.parties", list(DEFAULT_PARTIES))),
                          confidence)
