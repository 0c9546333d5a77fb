"""The configuration's typed values: one frozen dataclass per section of config.toml.

In: nothing (plain data). Out: :class:`Config` and its sections, built and validated by
:func:`bot.config.load.load_config` and passed, unchanged, to every part of the bot. Defaults here
are the documented defaults of config.example.toml.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config.themes import DEFAULT_THEMES, Theme

SECURITY_MODES = ("ssl", "starttls", "plain")
AUTH_MODES = ("password", "oauth2")
OAUTH_PROVIDERS = ("microsoft", "google")
DEFAULT_SCOPES = {
    "microsoft": ("https://outlook.office.com/IMAP.AccessAsUser.All",
                  "https://outlook.office.com/SMTP.Send", "offline_access"),
    "google": ("https://mail.google.com/",),
}
# How long an unused refresh token lives: Microsoft Entra ID 90 days (each refresh returns a
# new one), Google about six months unused (7 days while the consent screen is in "Testing").
DEFAULT_REFRESH_TOKEN_DAYS = {"microsoft": 90, "google": 180}
# [smtp] max_per_minute, max_per_day by [oauth] provider (0: no limit): Microsoft 365 takes 30
# messages a minute and 10,000 recipients a day per mailbox over SMTP AUTH; Google Workspace
# about 2,000 a day (500 for a free account: set max_per_day)
SENDING_LIMITS = {"microsoft": (30, 10_000), "google": (0, 2_000), None: (0, 0)}
DEFAULT_PATH = "config.toml"


MESSAGE_SECONDS = 10.0  # [worker] message_seconds: the time budget for reading one message


MAX_MESSAGE_BYTES = 25 * 1024 * 1024  # [worker] max_message_bytes when not set
# the parties in the Tweede Kamer (``[classify] parties`` replaces them)
DEFAULT_PARTIES = (
    "GroenLinks-PvdA", "PVV", "VVD", "NSC", "D66", "BBB", "CDA", "SP", "DENK", "PvdD",
    "FvD", "SGP", "ChristenUnie", "Volt", "JA21", "50PLUS",
)


@dataclass(frozen=True)
class MailboxConfig:
    host: str
    port: int
    security: str
    username: str
    password: str = field(repr=False)
    address: str
    ca_file: str | None = None
    folder: str = "INBOX"
    processed_folder: str = "Processed"
    quarantine_folder: str = "Quarantine"
    timeout_seconds: float = 60.0
    aliases: tuple[str, ...] = ()  # other addresses that deliver into this mailbox
    read_only: bool = False  # --dry-run: EXAMINE the folder, create and move nothing
    auth: str = "password"  # or "oauth2": XOAUTH2 with a token from [oauth] (password is "")


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str
    from_header: str
    ca_file: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout_seconds: float = 60.0
    auth: str = "password"  # or "oauth2": XOAUTH2 with the mailbox's token (same account)
    max_per_minute: int = 0  # mails handed to the server per sliding minute; 0: no limit
    max_per_day: int = 0     # ... per sliding 24 hours; 0: no limit

    @property
    def from_address(self) -> str:
        return parseaddr(self.from_header)[1]

    @property
    def domain(self) -> str:
        """Our own domain: the From address's (in our Message-IDs and calendar UIDs)."""
        return self.from_address.rpartition("@")[2]


@dataclass(frozen=True)
class OAuthConfig:
    """``[oauth]``: where the mailbox account's OAuth2 tokens come from (see
    :mod:`bot.store.oauth`)."""

    provider: str  # microsoft | google
    client_id: str
    scopes: tuple[str, ...]
    refresh_token_days: int  # lifetime of an unused refresh token, for the health check
    tenant: str | None = None  # microsoft: the directory (tenant) id or domain
    client_secret: str | None = field(default=None, repr=False)  # google: from the environment
    authority: str | None = None  # microsoft: https://login.microsoftonline.com/<tenant>
    token_url: str | None = None  # google: https://oauth2.googleapis.com/token
    auth_url: str | None = None  # google: the consent page that `oauth login` opens
    ca_file: str | None = None  # trust a private CA for the endpoints above (tests)
    timeout_seconds: float = 30.0


class Window(enum.StrEnum):
    """The registration window of an event at some moment."""

    NOT_OPEN = "not_open"  # before registration_opens: sign-ups wait for staff
    OPEN = "open"
    CLOSED = "closed"      # from registration_closes (or the start): sign-ups are refused


@dataclass(frozen=True)
class EventConfig:
    name: str
    date: dt.date
    start: dt.time
    end: dt.time
    venue: str
    address: str
    capacity: int
    timezone: str = "Europe/Amsterdam"
    registration_opens: dt.datetime | None = None   # local time; None: open now
    registration_closes: dt.datetime | None = None  # local time; None: until the event starts
    reminder_hours_before: int = 24
    id: str | None = None
    route_url: str | None = None  # the venue's page on how to get there (https), in the mail

    @property
    def key(self) -> str:
        """A stable identifier of the event (``id``, else from its name): it does not change
        when the date or venue does, so attendees stay attached to a moved event."""
        return self.id or re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")

    def local(self, value: dt.datetime) -> dt.datetime:
        return value.replace(tzinfo=ZoneInfo(self.timezone)) if value.tzinfo is None else value

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start, tzinfo=ZoneInfo(self.timezone))

    def registration_state(self, now: dt.datetime) -> Window:
        """Whether sign-ups are taken at ``now``: not before ``registration_opens``, not from
        ``registration_closes`` (else the start of the event)."""
        if self.registration_opens and now < self.local(self.registration_opens):
            return Window.NOT_OPEN
        closes = self.local(self.registration_closes) if self.registration_closes else (
            self.starts_at)
        return Window.CLOSED if now >= closes else Window.OPEN


@dataclass(frozen=True)
class TrustConfig:
    allowed_domains: tuple[str, ...]
    authserv_id: str


@dataclass(frozen=True)
class ClassifyConfig:
    parties: tuple[str, ...] = DEFAULT_PARTIES
    min_confidence: float = 0.6


@dataclass(frozen=True)
class WorkerConfig:
    poll_interval_seconds: int = 60
    batch_size: int = 200
    max_message_bytes: int = MAX_MESSAGE_BYTES
    retry_base_seconds: int = 60
    retry_max_seconds: int = 3600
    max_send_attempts: int = 20
    autoreply_max_age_hours: int = 72  # older mail is queued for staff, never auto-answered
    send_lease_seconds: int = 300  # a mail being sent is not picked up by another worker
    parse_processes: int = 1  # parse a large backlog on this many more cores; 0: never
    message_seconds: float = MESSAGE_SECONDS  # reading one message may take this long


@dataclass(frozen=True)
class LimitsConfig:
    """Reply limits (RFC 3834 §2; Mailman's max_autoresponses_per_day)."""

    replies_per_sender_per_day: int = 3
    same_reply_window_hours: int = 168  # one acknowledgement of a kind per sender per week
    circuit_breaker_replies: int = 100  # more automatic replies than this ...
    circuit_breaker_minutes: int = 10   # ... in this many minutes stops them and alerts staff
    unverified_replies_per_day: int = 300  # and so do this many in a day (under any quota)


@dataclass(frozen=True)
class HealthConfig:
    """When the worker tells staff something is wrong (bot/ops/monitor.py)."""

    alert_email: str | None = None  # where alert mails go; None: dashboard and log only
    stall_intervals: int = 3        # no successful poll for this many intervals is an alert
    token_warning_days: int = 7     # an OAuth refresh token expiring this soon is an alert


@dataclass(frozen=True)
class PrivacyConfig:
    """Storage limitation (AVG art. 5(1)(e)): see :mod:`bot.ops.privacy`."""

    retention_days_after_event: int = 30  # then raw mail, bodies and names are purged


@dataclass(frozen=True)
class WebConfig:
    """The staff desk behind its reverse proxy (bot/web/)."""

    public_url: str | None = None  # e.g. https://balie.kinderrechten.nl: the Origin browsers send
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")  # may set X-Forwarded-For


@dataclass(frozen=True)
class QuestionsConfig:
    """``[questions]``: the themes a question about the content is sorted into, each with the
    words that point to it and the staff account that owns it (bot.judge.topics)."""

    themes: tuple[Theme, ...] = DEFAULT_THEMES


MAX_LOGO_BYTES = 200 * 1024  # [branding] logo: every mail carries it


@dataclass(frozen=True)
class BrandingConfig:
    """``[branding]``: how the HTML part of every mail looks (bot/outbound/layout.py): the
    collective's name and colour, and its logo, read from its file at start-up."""

    name: str = "Kinderrechtencollectief"
    colour: str = "#1f5f8b"  # #rrggbb, lower case
    logo: bytes | None = field(default=None, repr=False)  # a PNG, JPEG or GIF; None: no logo
    logo_type: str = ""  # png | jpeg | gif (image/<logo_type>)
    logo_size: tuple[int, int] = (0, 0)  # its width and height in pixels


@dataclass(frozen=True)
class Config:
    mailbox: MailboxConfig
    smtp: SmtpConfig
    database_url: str
    events: tuple[EventConfig, ...]  # [event], or several as [[event]]; keys are unique
    trust: TrustConfig
    worker: WorkerConfig
    classify: ClassifyConfig = ClassifyConfig()
    limits: LimitsConfig = LimitsConfig()
    health: HealthConfig = HealthConfig()
    privacy: PrivacyConfig = PrivacyConfig()
    web: WebConfig = WebConfig()
    path: Path | None = None
    dry_run: bool = False  # --dry-run: record in a scratch database, send and move nothing

    @property
    def event(self) -> EventConfig:
        """The first event: the one event where only one is configured, and the default for
        staff pages and commands that are not given an event."""
        return self.events[0]

    def event_by_key(self, key: str | None) -> EventConfig:
        """The event with ``key`` (an attendee's ``event`` column); the first when unknown."""
        return next((e for e in self.events if e.key == key), self.events[0])
    oauth: OAuthConfig | None = None  # set when [mailbox] auth = "oauth2"
    questions: QuestionsConfig = QuestionsConfig()
    branding: BrandingConfig = BrandingConfig()


@dataclass(frozen=True)
class OfflineSettings:
    """What ``inbox-bot classify`` and ``evaluate`` need: no secrets, no servers."""

    our_address: str = "info@kinderrechten.nl"
    aliases: tuple[str, ...] = ()
    trust: TrustConfig = TrustConfig(("tweedekamer.nl",), "mx.kinderrechten.nl")
    classify: ClassifyConfig = ClassifyConfig()
    capacity: int = 1
    message_seconds: float = MESSAGE_SECONDS
    brand: str = BrandingConfig.name  # [branding] name: atop our mail's HTML part
