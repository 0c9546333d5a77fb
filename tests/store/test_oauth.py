"""OAuth2 (XOAUTH2) on real servers: Dovecot with an oauth2 passdb, an SMTP server that wants
XOAUTH2, and our own small authorization server (tests/oauthserver.py) that msal and google-auth
really talk to: device-code and browser logins, refresh grants with strict rotation, revocation.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
import requests
from sqlmodel import Session, select

from bot.cli.main import main
from bot.errors import MailboxError
from bot.pipeline.flow import poll_once
from bot.store.models import Attendee, OAuthToken, OutboundMail, utcnow
from bot.store.oauth import login, token_health
from tests.helpers import DATA_DIR, DOVECOT_MISSING, write_config
from tests.imaptools import deliver, folder_messages
from tests.oauthserver import OAuthServer, XOAuth2Sink, dovecot_oauth2_config
from tests.servers import DovecotServer, dovecot_available, require


@pytest.fixture(scope="module")
def oauth_server():
    directory = Path(tempfile.mkdtemp(prefix="inbox-bot-oauth-", dir="/tmp"))
    directory.chmod(0o755)  # Dovecot's auth process reads the oauth2 settings from here
    with OAuthServer(directory) as server:
        yield server
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def oauth_dovecot(oauth_server):
    require(dovecot_available() is not None, DOVECOT_MISSING)
    with DovecotServer(extra_config=dovecot_oauth2_config(oauth_server,
                                                          oauth_server.directory)) as server:
        yield server


@pytest.fixture
def imap_account(oauth_dovecot):
    """Overrides conftest's: the test's mailbox is on the Dovecot that accepts XOAUTH2."""
    return oauth_dovecot.new_account()


@pytest.fixture
def smtp_sink(oauth_server):
    """Overrides conftest's: the SMTP server wants AUTH XOAUTH2."""
    with XOAuth2Sink(oauth_server) as sink:
        yield sink


def oauth_sections(server: OAuthServer, provider: str = "microsoft") -> dict:
    """make_runtime() overrides for IMAP and SMTP over OAuth2 against ``server``."""
    oauth = {"provider": provider, "client_id": "test-client", "ca_file": server.ca_file}
    if provider == "microsoft":
        oauth |= {"tenant": "test-tenant", "authority": server.authority}
    else:
        oauth |= {"token_url": f"{server.base}/token", "auth_url": f"{server.base}/authorize",
                  "client_secret_env": "TEST_IMAP_PASSWORD"}
    return {"mailbox": {"auth": "oauth2", "password_env": None},
            "smtp_": {"auth": "oauth2"}, "oauth": oauth}


@pytest.fixture
def oauth_runtime(make_runtime, oauth_server, imap_account):
    """A Runtime on OAuth2 whose account an administrator logged in with the device code."""
    rt = make_runtime(**oauth_sections(oauth_server))
    oauth_server.approve_as = imap_account.username
    said: list[str] = []
    login(rt.engine, rt.config, say=said.append)
    assert "ABCD-EFGH" in said[0]  # the code the administrator types in at the provider
    return rt


def token_row(rt) -> OAuthToken:
    with Session(rt.engine) as session:
        return session.exec(select(OAuthToken)).one()


def age_tokens(rt, **changes) -> None:
    """Time passes: set the stored token's columns, e.g. access_expires_at in the past."""
    with Session(rt.engine) as session:
        row = session.exec(select(OAuthToken)).one()
        for name, value in changes.items():
            setattr(row, name, value)
        session.add(row)
        session.commit()


def refused_at_server(server: OAuthServer, refresh_token: str) -> bool:
    response = requests.post(f"{server.base}/token", verify=server.ca_file, timeout=10,
                             data={"grant_type": "refresh_token",
                                   "refresh_token": refresh_token})
    return response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_device_code_login_then_imap_and_smtp_over_xoauth2(oauth_runtime, imap, smtp_sink,
                                                           imap_account, oauth_server):
    rt = oauth_runtime
    deliver(imap, DATA_DIR / "registration_nl.eml")

    summary = poll_once(rt)

    with Session(rt.engine) as session:
        [attendee] = session.exec(select(Attendee)).all()
    assert attendee.status == "registered" and summary.sent.sent == 1
    assert folder_messages(imap, "INBOX") == [] and len(folder_messages(imap, "Processed")) == 1
    assert smtp_sink.wait_for(1)[0].rcpt_tos == ("t.haagsma@tweedekamer.nl",)
    assert smtp_sink.logins == [imap_account.username]  # the reply went out over XOAUTH2
    row = token_row(rt)
    assert (row.provider, row.account, row.last_error) == ("microsoft", imap_account.username,
                                                           None)
    assert oauth_server.grants["refresh_token"] == 0  # the login's access token was still good


def test_an_expired_access_token_is_refreshed_and_the_rotated_refresh_token_saved(
        oauth_runtime, imap, oauth_server):
    rt = oauth_runtime
    first = token_row(rt)
    oauth_server.expire_access_tokens()
    age_tokens(rt, access_expires_at=utcnow() - dt.timedelta(minutes=1))
    refreshes = oauth_server.grants["refresh_token"]
    deliver(imap, DATA_DIR / "registration_nl.eml")

    assert sum(poll_once(rt).fates.values()) == 1

    row = token_row(rt)
    assert oauth_server.grants["refresh_token"] == refreshes + 1
    assert row.refresh_token != first.refresh_token and row.access_token != first.access_token
    assert row.refresh_token_saved_at > first.refresh_token_saved_at
    poll_once(rt)
    assert oauth_server.grants["refresh_token"] == refreshes + 1  # a fresh token is reused
    assert refused_at_server(oauth_server, first.refresh_token)  # and the old one is dead
    assert token_health(rt.engine, rt.config).ok


def test_a_revoked_refresh_token_stops_the_bot_clearly_until_the_next_login(
        oauth_runtime, imap, imap_account, oauth_server, smtp_sink):
    rt = oauth_runtime
    oauth_server.revoke(imap_account.username)
    age_tokens(rt, access_expires_at=utcnow() - dt.timedelta(minutes=1))
    deliver(imap, DATA_DIR / "registration_nl.eml")
    refreshes = oauth_server.grants["refresh_token"]

    for _ in range(3):  # the worker's next polls: a clear error, no request to the provider
        with pytest.raises(MailboxError, match=r"refused .*invalid_grant.*oauth login"):
            poll_once(rt)
    assert oauth_server.grants["refresh_token"] == refreshes + 1
    health = token_health(rt.engine, rt.config)
    assert not health.ok and "invalid_grant" in health.message

    login(rt.engine, rt.config, say=lambda _text: None)  # the administrator logs in again
    assert poll_once(rt).sent.sent == 1 and token_health(rt.engine, rt.config).ok
    assert len(smtp_sink.messages) == 1


def test_without_a_token_the_outbox_waits_and_counts_no_attempt(make_runtime, oauth_server):
    rt = make_runtime(**oauth_sections(oauth_server))  # nobody logged in yet
    from bot.outbound.outbox import flush_outbox
    with Session(rt.engine) as session:
        session.add(OutboundMail(purpose="test", dedupe_key="k", recipient="a@example.org",
                                 message_id="<m@kinderrechten.nl>", raw=b"Subject: x\r\n\r\nx"))
        session.commit()

    summary = flush_outbox(rt.engine, rt.config.smtp, rt.config.worker, tokens=rt.tokens)

    with Session(rt.engine) as session:
        row = session.exec(select(OutboundMail)).one()
    assert (summary.sent, row.status, row.attempts) == (0, "pending", 0)
    with pytest.raises(MailboxError, match=r"no OAuth2 token .* oauth login"):
        poll_once(rt)


def test_google_browser_login_refresh_and_imap(make_runtime, oauth_server, imap, imap_account):
    rt = make_runtime(**oauth_sections(oauth_server, "google"))
    oauth_server.approve_as = imap_account.username
    browsed: list[requests.Response] = []

    def browser(text: str) -> None:  # the administrator opens the address and consents
        url = re.search(r"https://\S+", text).group(0)
        assert "access_type=offline" in url and "code_challenge=" in url
        threading.Thread(target=lambda: browsed.append(
            requests.get(url, verify=oauth_server.ca_file, timeout=10))).start()

    login(rt.engine, rt.config, say=browser)
    assert browsed and browsed[0].status_code == 200
    first = token_row(rt)
    age_tokens(rt, access_expires_at=utcnow() - dt.timedelta(minutes=1))
    deliver(imap, DATA_DIR / "registration_nl.eml")

    assert poll_once(rt).sent.sent == 1  # google-auth refreshed; IMAP and SMTP used the token
    row = token_row(rt)
    assert row.refresh_token != first.refresh_token  # saved, should Google ever rotate it
    assert refused_at_server(oauth_server, first.refresh_token)


def test_token_health_warns_seven_days_before_the_refresh_token_expires(oauth_runtime):
    rt = oauth_runtime
    ok, expires_at, message = token_health(rt.engine, rt.config)
    assert ok and dt.timedelta(days=89) < expires_at - utcnow() <= dt.timedelta(days=90)
    age_tokens(rt, refresh_token_saved_at=utcnow() - dt.timedelta(days=84))
    ok, expires_at, message = token_health(rt.engine, rt.config)
    assert not ok and "5 days" in message


def test_oauth_login_and_status_commands(tmp_path, imap_account, smtp_sink, db_url,
                                         oauth_server, capsys, monkeypatch):
    path = write_config(tmp_path, imap_account, smtp_sink, db_url, extra=f"""
[oauth]
provider = "microsoft"
client_id = "test-client"
tenant = "test-tenant"
authority = "{oauth_server.authority}"
ca_file = "{oauth_server.ca_file}"
""")
    path.write_text(path.read_text().replace('password_env = "TEST_IMAP_PASSWORD"',
                                             'auth = "oauth2"', 1))
    oauth_server.approve_as = imap_account.username
    monkeypatch.delenv("INBOX_BOT_CONFIG", raising=False)

    assert main(["--config", str(path), "oauth", "status"]) == 1
    assert main(["--config", str(path), "oauth", "login"]) == 0
    assert main(["--config", str(path), "oauth", "status"]) == 0
    out = capsys.readouterr()
    assert "no OAuth2 token" in out.out and "ABCD-EFGH" in out.out
    assert "expected to expire" in out.out.splitlines()[-1]


def test_check_logs_in_over_xoauth2_and_reports_the_token(oauth_runtime):
    from bot.ops.preflight import run_checks
    results = {r.name: r for r in run_checks(oauth_runtime.config)}
    assert list(results) == ["database", "templates", "oauth", "imap", "smtp", "pace", "alerts"]
    assert all(r.ok for r in results.values()), [r.line() for r in results.values()]
    assert "expected to expire" in results["oauth"].detail


def test_a_token_near_its_end_alerts_staff_once_and_check_fails(oauth_runtime, smtp_sink):
    from bot.ops.monitor import check_health
    from bot.ops.preflight import run_checks
    from bot.outbound.outbox import flush_outbox
    rt = oauth_runtime
    age_tokens(rt, refresh_token_saved_at=utcnow() - dt.timedelta(days=85))  # 5 days left
    assert not run_checks(rt.config)[2].ok  # the oauth line fails, naming `oauth login`
    started = dt.datetime.now(dt.UTC)
    assert check_health(rt, started_at=started) == ["token_expiring"]
    assert check_health(rt, started_at=started) == []  # once per problem
    age_tokens(rt, refresh_token_saved_at=utcnow())  # an administrator logged in again
    check_health(rt, started_at=started)
    with Session(rt.engine) as session:
        from bot.store.models import Alert
        [alert] = session.exec(select(Alert)).all()
    assert alert.kind == "token_expiring" and alert.resolved_at is not None
    assert "oauth login" in alert.message
    flush_outbox(rt.engine, rt.config.smtp, rt.config.worker, tokens=rt.tokens)
    assert smtp_sink.messages == []  # no [health] alert_email configured: dashboard and log
