"""Readers of the configuration's richer sections: the event list, OAuth2, the web desk, the
themes of questions and the look of the mail (``[branding]``).

In: a :class:`~bot.config.reader.Reader` over the parsed TOML (and the environment, for the
OAuth2 client secret). Out: the typed values of :mod:`bot.config.types`; every mistake raises
:class:`~bot.errors.ConfigError` naming its key (``event[2].date``, ``oauth.tenant``).
:func:`bot.config.load.parse_config` calls these; the simple sections are read there directly.
"""

from __future__ import annotations

import ipaddress
import string
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import linear
from bot.config.images import sniff_image
from bot.config.reader import Reader
from bot.config.themes import MAX_WORDS, Theme, pattern_of
from bot.config.types import (
    DEFAULT_REFRESH_TOKEN_DAYS,
    DEFAULT_SCOPES,
    MAX_LOGO_BYTES,
    OAUTH_PROVIDERS,
    BrandingConfig,
    EventConfig,
    MailboxConfig,
    OAuthConfig,
    QuestionsConfig,
    SmtpConfig,
    WebConfig,
)
from bot.errors import ConfigError


def read_events(section: Any, r: Reader) -> tuple[EventConfig, ...]:
    """``[event]`` (one table) or ``[[event]]`` (several); errors name ``event[2].date``."""
    tables = section if isinstance(section, list) else [section or {}]
    if not tables or not all(isinstance(t, dict) for t in tables):
        raise ConfigError("event: must be one [event] table or a list of [[event]] tables")
    events = []
    for number, table in enumerate(tables, 1):
        r.read.update(f"event.{name}" for name in table)  # checked by the reader below
        try:
            reader = Reader({"event": table})
            events.append(read_event(reader))
            reader.reject_unknown()
        except ConfigError as e:
            if not isinstance(section, list):
                raise
            raise ConfigError(str(e).replace("event.", f"event[{number}].")) from e
    keys = [e.key for e in events]
    for key in keys:
        if keys.count(key) > 1:
            raise ConfigError(f"event: two events have the key {key!r}: give them different "
                              f"names or an id")
    return tuple(events)


def read_event(r: Reader) -> EventConfig:
    event = EventConfig(
        name=r.text("event.name"),
        date=r.date("event.date"),
        start=r.time("event.start"),
        end=r.time("event.end"),
        venue=r.text("event.venue"),
        address=r.text("event.address"),
        capacity=r.integer("event.capacity", minimum=1),
        timezone=r.text("event.timezone", "Europe/Amsterdam"),
        registration_opens=r.datetime("event.registration_opens", None),
        registration_closes=r.datetime("event.registration_closes", None),
        reminder_hours_before=r.integer("event.reminder_hours_before", 24, minimum=1),
        id=r.text("event.id", None),
        route_url=https_url("event.route_url", r.text("event.route_url", None)),
    )
    try:
        ZoneInfo(event.timezone)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise ConfigError(f"event.timezone: unknown time zone {event.timezone!r}") from e
    if event.end <= event.start:
        raise ConfigError("event.end: must be later than event.start")
    return event


def refuse_password(section: str, r: Reader, auth: str) -> None:
    if auth == "oauth2" and r.raw(f"{section}.password_env", None) is not None:
        raise ConfigError(f"{section}.password_env: not used with auth = \"oauth2\"")


def read_oauth(r: Reader, env: Any) -> OAuthConfig:
    """``[oauth]``, needed when ``mailbox.auth = "oauth2"``. The client secret (Google) comes
    only from the environment variable that ``client_secret_env`` names."""
    provider = r.choice("oauth.provider", OAUTH_PROVIDERS)
    microsoft = provider == "microsoft"
    tenant = r.text("oauth.tenant") if microsoft else r.text("oauth.tenant", None)
    if tenant and not microsoft:
        raise ConfigError("oauth.tenant: only used with provider = \"microsoft\"")
    if microsoft and r.raw("oauth.client_secret_env", None) is not None:
        raise ConfigError("oauth.client_secret_env: not used with provider = \"microsoft\" "
                          "(a public client: device-code login, no secret)")
    secret = None if microsoft else r.secret("oauth.client_secret_env", env, required=True)
    urls = {key: r.text(f"oauth.{key}", None) for key in ("authority", "token_url", "auth_url")}
    for key, value in urls.items():
        if value and (key == "authority") != microsoft:
            raise ConfigError(f"oauth.{key}: not used with provider = \"{provider}\"")
        if value and not value.startswith("https://"):
            raise ConfigError(f"oauth.{key}: must be an https:// URL")
    return OAuthConfig(
        provider=provider,
        client_id=r.text("oauth.client_id"),
        scopes=tuple(r.text_list("oauth.scopes", list(DEFAULT_SCOPES[provider]))),
        refresh_token_days=r.integer("oauth.refresh_token_days",
                                     DEFAULT_REFRESH_TOKEN_DAYS[provider], minimum=1),
        tenant=tenant,
        client_secret=secret,
        authority=urls["authority"] or (
            f"https://login.microsoftonline.com/{tenant}" if microsoft else None),
        token_url=urls["token_url"] or (
            None if microsoft else "https://oauth2.googleapis.com/token"),
        auth_url=urls["auth_url"] or (
            None if microsoft else "https://accounts.google.com/o/oauth2/v2/auth"),
        ca_file=r.existing_file("oauth.ca_file"),
        timeout_seconds=r.number("oauth.timeout_seconds", 30.0),
    )


def smtp_with_oauth(smtp: SmtpConfig, mailbox: MailboxConfig) -> SmtpConfig:
    """``smtp.auth = "oauth2"`` sends with the mailbox's token, so as the mailbox's account."""
    if smtp.auth != "oauth2":
        return smtp
    if mailbox.auth != "oauth2":
        raise ConfigError("smtp.auth: \"oauth2\" needs mailbox.auth = \"oauth2\" (SMTP uses "
                          "the mailbox's token)")
    if smtp.username and smtp.username.lower() != mailbox.username.lower():
        raise ConfigError(f"smtp.username: must be the mailbox's account {mailbox.username} "
                          "(or left out) with auth = \"oauth2\"")
    return replace(smtp, username=mailbox.username)


def read_web(r: Reader) -> WebConfig:
    """``[web]``: the public address of the desk (an origin: scheme, host and port, no path)
    and the reverse proxies whose ``X-Forwarded-For`` is believed (addresses or networks)."""
    public_url = r.text("web.public_url", None)
    if public_url is not None:
        parts = urlsplit(public_url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/") \
                or parts.query or parts.fragment or parts.username:
            raise ConfigError("web.public_url: must be an origin like https://balie.example.nl")
        public_url = f"{parts.scheme}://{parts.netloc.lower()}"
    proxies = r.raw("web.trusted_proxies", ["127.0.0.1", "::1"])
    if not isinstance(proxies, list) or not all(isinstance(p, str) for p in proxies):
        raise ConfigError("web.trusted_proxies: must be a list of addresses or networks")
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError as e:
            raise ConfigError(f"web.trusted_proxies: {proxy!r} is not an address or network") \
                from e
    return WebConfig(public_url=public_url, trusted_proxies=tuple(proxies))


def read_questions(r: Reader) -> QuestionsConfig:
    """``[questions]``: ``[[questions.theme]]`` tables with ``name``, ``words`` (a ``*`` at the
    end of a word lets it go on) and an optional ``owner`` (a staff account's username); none:
    the programme's themes (bot/config/themes.py)."""
    tables = r.raw("questions.theme", None)
    if tables is None:
        return QuestionsConfig()
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise ConfigError("questions.theme: must be a list of [[questions.theme]] tables")
    themes = []
    for number, table in enumerate(tables, 1):
        where = f"questions.theme[{number}]"
        reader = Reader({"theme": table})
        try:
            name = reader.text("theme.name")
            words = tuple(w.strip().lower() for w in reader.text_list("theme.words"))
            owner = reader.text("theme.owner", None)
            reader.reject_unknown()
        except ConfigError as e:
            raise ConfigError(str(e).replace("theme.", f"{where}.")) from e
        for word in words:
            if not word.rstrip("*") or "*" in word.rstrip("*") or len(word) > 60:
                raise ConfigError(f"{where}.words: {word!r} must be a word or phrase of at "
                                  "most 60 characters, with * only at the end")
        if len(words) > MAX_WORDS:
            raise ConfigError(f"{where}.words: at most {MAX_WORDS} words")
        try:
            pattern_of(words)  # compiled now: a list RE2 cannot take stops the start-up
        except linear.error as e:
            raise ConfigError(f"{where}.words: cannot be searched for: {e}") from e
        if len(name) > 60:
            raise ConfigError(f"{where}.name: at most 60 characters")
        themes.append(Theme(name, words, owner.lower() if owner else None))
    names = [t.name.lower() for t in themes]
    if len(set(names)) < len(names):
        raise ConfigError("questions.theme: two themes have the same name")
    return QuestionsConfig(tuple(themes))


def read_branding(r: Reader) -> BrandingConfig:
    """``[branding]``: ``name``, ``colour`` (``#rrggbb``) and ``logo``, the path of a PNG, JPEG
    or GIF of at most 200 KB, read now (every mail carries it, so a missing, foreign or large
    file stops the start-up rather than a mail)."""
    default = BrandingConfig()
    name = r.text("branding.name", default.name)
    if len(name) > 80 or not name.isprintable():
        raise ConfigError("branding.name: at most 80 characters, no line breaks or controls")
    colour = r.text("branding.colour", default.colour)
    if not (len(colour) == 7 and colour[0] == "#"
            and all(c in string.hexdigits for c in colour[1:])):
        raise ConfigError(f"branding.colour: {colour!r} must be a colour like #1f5f8b")
    path = r.text("branding.logo", None)
    if path is None:
        return BrandingConfig(name=name, colour=colour.lower())
    try:
        if Path(path).stat().st_size > MAX_LOGO_BYTES:
            raise ConfigError(f"branding.logo: {path} is larger than {MAX_LOGO_BYTES // 1024} KB "
                              "(every mail carries it: use a small PNG)")
        with Path(path).open("rb") as file:  # at most the limit: a FIFO reports no size
            data = file.read(MAX_LOGO_BYTES + 1)
        if len(data) > MAX_LOGO_BYTES:
            raise ConfigError(f"branding.logo: {path} is larger than "
                              f"{MAX_LOGO_BYTES // 1024} KB")
    except OSError as e:
        raise ConfigError(f"branding.logo: cannot read {path}: {e.strerror or e}") from e
    image = sniff_image(data)
    if image is None:
        raise ConfigError(f"branding.logo: {path} is not a PNG, JPEG or GIF image")
    return BrandingConfig(name=name, colour=colour.lower(), logo=data, logo_type=image.subtype,
                          logo_size=(image.width, image.height))


def https_url(key: str, value: str | None) -> str | None:
    """``value`` when it is an https:// URL with a host (for a link in our mail), else an
    error naming ``key``."""
    if value is None:
        return None
    try:
        parts = urlsplit(value)
        wrong = parts.scheme != "https" or not parts.hostname or parts.username is not None
    except ValueError:  # e.g. an unclosed [ in the host
        wrong = True
    if wrong or len(value) > 500 or not value.isprintable() or any(c in value for c in ' "<>`'):
        raise ConfigError(f"{key}: must be an https:// address like "
                          "https://www.example.nl/route")
    return value
