"""Configuration: the example loads, and every mistake gives one line naming the key, exit 2."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from bot.config.load import load_config, parse_config, resolve_path
from bot.errors import ConfigError
from tests.helpers import ROOT, run_cli

EXAMPLE = ROOT / "config.example.toml"
ENV = {"INBOX_BOT_IMAP_PASSWORD": "x", "INBOX_BOT_SMTP_PASSWORD": "y"}


def example() -> dict:
    return tomllib.loads(EXAMPLE.read_text())


def test_the_example_holds_the_real_event():
    config = load_config(EXAMPLE, ENV)
    event = config.event
    assert (event.name, event.date.isoformat(), event.venue) == (
        "Masterclass Kinderrechten", "2025-11-25", "Nieuwspoort")
    assert event.date.weekday() == 1  # a Tuesday
    assert "Lange Poten 10" in event.address and event.start.hour >= 17  # an evening
    assert config.mailbox.password == "x" and config.smtp.password == "y"
    assert config.trust.allowed_domains == ("tweedekamer.nl",)
    assert config.database_url == "sqlite:///inbox-bot.db"
    assert (config.mailbox.folder, config.mailbox.processed_folder,
            config.mailbox.quarantine_folder) == ("INBOX", "Processed", "Quarantine")
    assert config.worker.poll_interval_seconds == 60


def test_secrets_are_named_not_written():
    keys = {key for table in example().values() for key in table}
    assert {"password_env"} <= keys and not keys & {"password", "secret", "token"}


def test_a_password_in_the_file_is_refused():
    data = example()
    data["mailbox"]["password"] = "hunter2"
    with pytest.raises(ConfigError, match=r"^mailbox\.password: unknown key"):
        parse_config(data, ENV)


def edit(data: dict, key: str, value) -> dict:
    section, name = key.split(".")
    if value is DELETE:
        del data[section][name]
    else:
        data[section][name] = value
    return data


DELETE = object()


@pytest.mark.parametrize(("key", "value", "message"), [
    ("mailbox.host", DELETE, "mailbox.host: missing"),
    ("mailbox.port", 0, "mailbox.port: must be an integer from 1 to 65535"),
    ("mailbox.port", "993", "mailbox.port: must be an integer from 1 to 65535"),
    ("mailbox.security", "tls", "mailbox.security: must be one of ssl, starttls, plain"),
    ("mailbox.security", "plain", "mailbox.security: 'plain' is allowed only for loopback"),
    ("mailbox.password_env", "NO_SUCH_VARIABLE_X",
     "mailbox.password_env: environment variable NO_SUCH_VARIABLE_X is not set"),
    ("mailbox.address", "not-an-address", "mailbox.address:"),
    ("mailbox.ca_file", "/no/such/file.pem", "mailbox.ca_file: file /no/such/file.pem"),
    ("smtp.from", "Kinderrechtencollectief", "smtp.from:"),
    ("event.capacity", 0, "event.capacity: must be an integer of at least 1"),
    ("event.date", "25 november", "event.date: must be a date"),
    ("event.end", "18:00", "event.end: must be later than event.start"),
    ("trust.allowed_domains", "tweedekamer.nl", "trust.allowed_domains: must be a non-empty list"),
    ("database.url", "mysql://x", "database.url:"),
    ("worker.batch_size", -1, "worker.batch_size: must be an integer of at least 1"),
    ("privacy.retention_days_after_event", 0,
     "privacy.retention_days_after_event: must be an integer of at least 1"),
    ("privacy.retention_days_after_event", "30",
     "privacy.retention_days_after_event: must be an integer of at least 1"),
    ("privacy.keep_forever", True, "privacy.keep_forever: unknown key"),
])
def test_bad_values_name_the_key(key, value, message):
    with pytest.raises(ConfigError, match="^" + message.replace(".", r"\.")):
        parse_config(edit(example(), key, value), ENV)


@pytest.mark.parametrize(("key", "value", "message"), [
    ("web.public_url", "balie.kinderrechten.nl", "web.public_url: must be an origin like"),
    ("web.public_url", "https://balie.kinderrechten.nl/balie",
     "web.public_url: must be an origin like"),
    ("web.public_url", "ftp://balie.kinderrechten.nl", "web.public_url: must be an origin like"),
    ("web.public_url", "https://anna@balie.kinderrechten.nl",
     "web.public_url: must be an origin like"),
    ("web.public_url", 443, "web.public_url:"),
    ("web.trusted_proxies", "127.0.0.1", "web.trusted_proxies: must be a list of addresses"),
    ("web.trusted_proxies", ["127.0.0.1", 8], "web.trusted_proxies: must be a list of addr"),
    ("web.trusted_proxies", ["proxy.internal"],
     "web.trusted_proxies: 'proxy.internal' is not an address or network"),
    ("web.trusted_proxies", ["10.0.0.0/33"],
     "web.trusted_proxies: '10.0.0.0/33' is not an address or network"),
    ("web.secure_cookies", True, "web.secure_cookies: unknown key"),
])
def test_bad_web_values_name_the_key(key, value, message):
    with pytest.raises(ConfigError, match="^" + re.escape(message)):
        parse_config(edit(example(), key, value), ENV)


def test_web_public_url_is_an_origin_and_proxies_default_to_loopback():
    assert load_config(EXAMPLE, ENV).web.public_url is None  # the demo's desk is plain http
    data = example()
    data["web"] = {"public_url": "https://Balie.Kinderrechten.NL:8443/",
                   "trusted_proxies": ["10.1.2.3/8", "::1"]}
    web = parse_config(data, ENV).web
    assert web.public_url == "https://balie.kinderrechten.nl:8443"
    assert web.trusted_proxies == ("10.1.2.3/8", "::1")
    del data["web"]
    assert parse_config(data, ENV).web.public_url is None
    assert parse_config(data, ENV).web.trusted_proxies == ("127.0.0.1", "::1")


def test_retention_is_30_days_unless_configured():
    assert load_config(EXAMPLE, ENV).privacy.retention_days_after_event == 30
    data = example()
    del data["privacy"]
    assert parse_config(data, ENV).privacy.retention_days_after_event == 30
    data["privacy"] = {"retention_days_after_event": 90}
    assert parse_config(data, ENV).privacy.retention_days_after_event == 90


def test_config_path_order(tmp_path, monkeypatch):
    monkeypatch.setenv("INBOX_BOT_CONFIG", str(tmp_path / "env.toml"))
    assert resolve_path("cli.toml") == Path("cli.toml")
    assert resolve_path(None) == tmp_path / "env.toml"
    monkeypatch.delenv("INBOX_BOT_CONFIG")
    assert resolve_path(None) == Path("config.toml")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(("mutate", "env", "expected"), [
    (lambda t: t.replace('host = "imap.kinderrechten.nl"\n', ""), ENV, "mailbox.host: missing"),
    (lambda t: t.replace("port = 993", "port = 99999"), ENV,
     "mailbox.port: must be an integer from 1 to 65535"),
    (lambda t: t, {"INBOX_BOT_SMTP_PASSWORD": "y"},
     "mailbox.password_env: environment variable INBOX_BOT_IMAP_PASSWORD is not set"),
])
def test_cli_config_errors_are_one_line_and_exit_2(tmp_path, mutate, env, expected):
    path = write(tmp_path, mutate(EXAMPLE.read_text()))
    result = run_cli("--config", str(path), "poll", "--once", env=env)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"inbox-bot: configuration error: {expected}"]


def test_missing_config_file_via_environment(tmp_path):
    result = run_cli("attendees", env={"INBOX_BOT_CONFIG": str(tmp_path / "nope.toml")})
    assert result.returncode == 2
    assert "nope.toml: configuration file not found" in result.stderr


def oauth_example(provider: str = "microsoft", **oauth) -> dict:
    """The example with [mailbox] and [smtp] on OAuth2 and an [oauth] section."""
    data = example()
    del data["mailbox"]["password_env"], data["smtp"]["password_env"]
    data["mailbox"]["auth"] = data["smtp"]["auth"] = "oauth2"
    data["oauth"] = {"provider": provider, "client_id": "app-id"} | (
        {"tenant": "kinderrechten.nl"} if provider == "microsoft" else
        {"client_secret_env": "GOOGLE_SECRET"}) | oauth
    return data


def test_oauth2_defaults_per_provider():
    microsoft = parse_config(oauth_example(), {})
    assert (microsoft.mailbox.password, microsoft.smtp.password) == ("", None)
    assert microsoft.smtp.username == microsoft.mailbox.username  # the same account's token
    assert microsoft.oauth.authority == "https://login.microsoftonline.com/kinderrechten.nl"
    assert microsoft.oauth.scopes == ("https://outlook.office.com/IMAP.AccessAsUser.All",
                                      "https://outlook.office.com/SMTP.Send", "offline_access")
    assert microsoft.oauth.refresh_token_days == 90
    google = parse_config(oauth_example("google"), {"GOOGLE_SECRET": "s3cret"})
    assert google.oauth.scopes == ("https://mail.google.com/",)
    assert google.oauth.client_secret == "s3cret" and "s3cret" not in repr(google)
    assert google.oauth.token_url == "https://oauth2.googleapis.com/token"
    assert parse_config(example(), ENV).oauth is None  # password stays the default


def test_sending_pace_defaults_per_provider_and_can_be_set():
    microsoft = parse_config(oauth_example(), {}).smtp
    google = parse_config(oauth_example("google"), {"GOOGLE_SECRET": "s"}).smtp
    plain = parse_config(example(), ENV).smtp
    assert (microsoft.max_per_minute, microsoft.max_per_day) == (30, 10_000)
    assert (google.max_per_minute, google.max_per_day) == (0, 2_000)
    assert (plain.max_per_minute, plain.max_per_day) == (0, 0)  # no limit: quota answers pause
    free = parse_config(edit(oauth_example("google"), "smtp.max_per_day", 500),
                        {"GOOGLE_SECRET": "s"}).smtp
    assert free.max_per_day == 500  # a free Gmail account
    with pytest.raises(ConfigError, match=r"^smtp\.max_per_minute: must be an integer"):
        parse_config(edit(example(), "smtp.max_per_minute", -1), ENV)


@pytest.mark.parametrize(("key", "value", "message"), [
    ("mailbox.auth", "xoauth2", "mailbox.auth: must be one of password, oauth2"),
    ("mailbox.password_env", "INBOX_BOT_IMAP_PASSWORD",
     'mailbox.password_env: not used with auth = "oauth2"'),
    ("oauth.provider", "yahoo", "oauth.provider: must be one of microsoft, google"),
    ("oauth.client_id", DELETE, "oauth.client_id: missing"),
    ("oauth.tenant", DELETE, "oauth.tenant: missing"),
    ("oauth.client_secret_env", "SECRET", "oauth.client_secret_env: not used with provider"),
    ("oauth.client_secret", "hunter2", "oauth.client_secret: unknown key"),
    ("oauth.authority", "http://localhost/t", "oauth.authority: must be an https:// URL"),
    ("oauth.token_url", "https://x/token", 'oauth.token_url: not used with provider = "micro'),
    ("oauth.scopes", [], "oauth.scopes: must be a non-empty list of strings"),
    ("oauth.ca_file", "/no/such/file.pem", "oauth.ca_file: file /no/such/file.pem"),
    ("smtp.username", "other@kinderrechten.nl", "smtp.username: must be the mailbox's account"),
])
def test_bad_oauth_values_name_the_key(key, value, message):
    with pytest.raises(ConfigError, match="^" + re.escape(message)):
        parse_config(edit(oauth_example(), key, value), {})


def test_oauth_needs_its_section_and_google_its_secret():
    data = oauth_example()
    del data["oauth"]
    with pytest.raises(ConfigError, match=r"^oauth\.provider: missing"):
        parse_config(data, {})
    with pytest.raises(ConfigError, match=r"^oauth\.client_secret_env: missing"):
        parse_config(edit(oauth_example("google"), "oauth.client_secret_env", DELETE), {})
    with pytest.raises(ConfigError, match="GOOGLE_SECRET is not set"):
        parse_config(oauth_example("google"), {})
    data = example()
    data["smtp"]["auth"] = "oauth2"
    del data["smtp"]["password_env"]
    with pytest.raises(ConfigError, match=r'^smtp\.auth: "oauth2" needs mailbox\.auth'):
        parse_config(data, ENV)
