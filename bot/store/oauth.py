"""OAuth2 access tokens for XOAUTH2 logins to IMAP and SMTP (``[mailbox] auth = "oauth2"``).

In: the ``[oauth]`` settings, the mailbox account, the database engine. Out: access tokens
(:meth:`TokenSource.access_token`), the administrator's login (:func:`login`), a health report
(:func:`token_health`). Refresh tokens live in the ``OAuthToken`` table; every refresh saves the
one the provider returns (Microsoft rotates it; not saving it killed Zammad's mailboxes after 90
days, #3411). Microsoft: msal, a public client (device-code login, refresh by refresh token).
Google: google-auth ``Credentials.refresh``, and a browser login back to a loopback address (its
device flow does not allow the Gmail scope). A refresh token the provider refuses is marked and
not tried again until the next login: one request, not one per poll. Tokens are never logged.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import http.server
import logging
import secrets
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import requests
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.config.types import Config, OAuthConfig
from bot.errors import OAuthError
from bot.store.db import writer
from bot.store.models import OAuthToken, utcnow

log = logging.getLogger(__name__)

EXPIRY_MARGIN = dt.timedelta(minutes=5)  # refresh an access token this long before it expires
LOGIN_TIMEOUT_SECONDS = 600
# OAuth error codes after which only a new login helps (RFC 6749 §5.2; Entra ID adds the last two)
_FATAL = {"invalid_grant", "invalid_client", "unauthorized_client", "interaction_required",
          "consent_required"}
_MSAL_RESERVED = {"openid", "profile", "offline_access"}  # msal adds these itself
_NO_TOKEN = "no OAuth2 token for {}: run 'inbox-bot oauth login'"


@dataclass(frozen=True)
class Grant:
    """What a token endpoint returned: an access token, maybe a new refresh token."""

    access_token: str
    expires_at: dt.datetime
    refresh_token: str | None
    account: str | None = None  # the signed-in account, where the provider says


class TokenHealth(NamedTuple):
    ok: bool
    expires_at: dt.datetime | None  # when the refresh token is expected to stop working
    message: str


class TokenSource:
    """Access tokens for one account; refreshes (and saves the rotated refresh token) when due."""

    def __init__(self, engine: Engine, oauth: OAuthConfig, account: str) -> None:
        self.engine, self.oauth, self.account = engine, oauth, account.lower()

    def access_token(self) -> str:
        with Session(self.engine) as session:
            row = _load(session, self.oauth.provider, self.account)
        if row is not None and _fresh(row):
            return row.access_token or ""
        with Session(writer(self.engine)) as session:  # one refresh at a time, across workers
            row = _load(session, self.oauth.provider, self.account, lock=True)
            if row is None:
                raise OAuthError(_NO_TOKEN.format(self.account), needs_login=True)
            if _fresh(row):
                return row.access_token or ""  # another worker refreshed it just now
            if row.last_error:
                raise self._refused(row.last_error)
            try:
                grant = REFRESH[self.oauth.provider](self.oauth, row.refresh_token)
            except OAuthError as e:
                log.error("OAuth2 refresh for %s failed: %s", self.account, e)
                if not e.needs_login:
                    raise
                row.last_error, row.updated_at = str(e), utcnow()
                session.add(row)
                session.commit()
                raise self._refused(row.last_error) from e
            _apply(row, grant)
            session.add(row)
            session.commit()
            return grant.access_token

    def _refused(self, error: str) -> OAuthError:
        return OAuthError(f"the refresh token of {self.account} was refused ({error}): run "
                          "'inbox-bot oauth login'", needs_login=True)


def login(engine: Engine, config: Config, say: Callable[[str], None] = print) -> str:
    """Walk an administrator through the provider's login and store the tokens; returns the
    account that logged in. Refuses a login as another account than ``mailbox.username``."""
    oauth, account = _oauth_of(config), config.mailbox.username.lower()
    grant = LOGIN[oauth.provider](oauth, account, say)
    if grant.account and grant.account.lower() != account:
        raise OAuthError(f"logged in as {grant.account}, but mailbox.username is {account}",
                         needs_login=True)
    if not grant.refresh_token:
        raise OAuthError("the provider returned no refresh token (for Microsoft the app needs "
                         "offline_access; for Google consent with access_type=offline)")
    with Session(writer(engine)) as session:
        row = _load(session, oauth.provider, account, lock=True) or OAuthToken(
            provider=oauth.provider, account=account, refresh_token="")
        _apply(row, grant)
        session.add(row)
        session.commit()
    log.info("OAuth2 login of %s (%s) stored", account, oauth.provider)
    return account


def token_health(engine: Engine, config: Config, now: dt.datetime | None = None) -> TokenHealth:
    """Is the stored refresh token usable, and when is it expected to expire? Not ok when it is
    missing, refused, or expected to expire within ``[health] token_warning_days``."""
    oauth, account, now = _oauth_of(config), config.mailbox.username.lower(), now or utcnow()
    with Session(engine) as session:
        row = _load(session, oauth.provider, account)
    if row is None:
        return TokenHealth(False, None, _NO_TOKEN.format(account))
    # Microsoft: counted from the token's issue (each refresh issues one); Google: from its use
    since = row.refresh_token_saved_at if oauth.provider == "microsoft" else (
        row.last_refresh_at or row.refresh_token_saved_at)
    expires_at = since + dt.timedelta(days=oauth.refresh_token_days)
    if row.last_error:
        return TokenHealth(False, expires_at, f"refresh token refused: {row.last_error}")
    left = expires_at - now
    message = (f"{oauth.provider} token of {account}: refresh token saved "
               f"{row.refresh_token_saved_at:%Y-%m-%d %H:%M} UTC, expected to expire "
               f"{expires_at:%Y-%m-%d %H:%M} UTC ({left.days} days)")
    warn = dt.timedelta(days=config.health.token_warning_days)
    return TokenHealth(left > warn, expires_at, message)


def _oauth_of(config: Config) -> OAuthConfig:
    if config.oauth is None:
        raise OAuthError('mailbox.auth is not "oauth2": there is no [oauth] to log in with')
    return config.oauth


def _load(session: Session, provider: str, account: str, *, lock: bool = False
          ) -> OAuthToken | None:
    query = select(OAuthToken).where(OAuthToken.provider == provider,
                                     OAuthToken.account == account)
    return session.exec(query.with_for_update() if lock else query).first()


def _fresh(row: OAuthToken) -> bool:
    return bool(row.access_token and row.access_expires_at and not row.last_error
                and row.access_expires_at - EXPIRY_MARGIN > utcnow())


def _apply(row: OAuthToken, grant: Grant) -> None:
    now = utcnow()
    row.access_token, row.access_expires_at = grant.access_token, grant.expires_at
    if grant.refresh_token and grant.refresh_token != row.refresh_token:
        row.refresh_token, row.refresh_token_saved_at = grant.refresh_token, now
        log.info("OAuth2: new refresh token of %s saved", row.account)
    row.last_refresh_at, row.last_error, row.updated_at = now, None, now


def _failed(what: str, error: str, description: str = "") -> OAuthError:
    text = f"{what}: {error}" + (f": {description.splitlines()[0]}" if description else "")
    return OAuthError(text, needs_login=error in _FATAL)


# --- Microsoft (msal) ---------------------------------------------------------------------------

def _msal_app(oauth: OAuthConfig):
    import msal

    try:
        return msal.PublicClientApplication(
            oauth.client_id, authority=oauth.authority, instance_discovery=False,
            http_client=_session(oauth))
    except (ValueError, requests.RequestException) as e:
        raise OAuthError(f"oauth.authority {oauth.authority}: {e}") from e


def _grant(data: dict, what: str) -> Grant:
    """A token endpoint's JSON answer (as msal passes it on) as a Grant, or the error in it."""
    if "access_token" not in data:
        raise _failed(what, data.get("error", "refused"), data.get("error_description", ""))
    expires_at = utcnow() + dt.timedelta(seconds=int(data.get("expires_in") or 0))
    return Grant(data["access_token"], expires_at, data.get("refresh_token"),
                 (data.get("id_token_claims") or {}).get("preferred_username"))


def _refresh_microsoft(oauth: OAuthConfig, refresh_token: str) -> Grant:
    scopes = [s for s in oauth.scopes if s not in _MSAL_RESERVED]
    try:
        result = _msal_app(oauth).acquire_token_by_refresh_token(refresh_token, scopes)
    except requests.RequestException as e:
        raise OAuthError(f"token endpoint not reachable: {type(e).__name__}") from e
    return _grant(result, "refresh")


def _login_microsoft(oauth: OAuthConfig, _account: str, say: Callable[[str], None]) -> Grant:
    app = _msal_app(oauth)
    flow = app.initiate_device_flow(scopes=[s for s in oauth.scopes if s not in _MSAL_RESERVED])
    if "user_code" not in flow:
        raise _failed("device code", flow.get("error", "refused"),
                      flow.get("error_description", ""))
    say(flow["message"])  # "To sign in, use a web browser to open ... and enter the code ..."
    return _grant(app.acquire_token_by_device_flow(flow), "login")


# --- Google (google-auth) -----------------------------------------------------------------------

def _session(oauth: OAuthConfig):
    """requests with ``oauth.timeout_seconds``; ``oauth.ca_file`` beats $REQUESTS_CA_BUNDLE."""
    class Session(requests.Session):
        def request(self, *args, **kwargs):
            kwargs.setdefault("timeout", oauth.timeout_seconds)
            return super().request(*args, **kwargs)

        def merge_environment_settings(self, *args, **kwargs):
            settings = super().merge_environment_settings(*args, **kwargs)
            return settings | ({"verify": oauth.ca_file} if oauth.ca_file else {})

    return Session()


def _refresh_google(oauth: OAuthConfig, refresh_token: str) -> Grant:
    import google.auth.exceptions
    import google.auth.transport.requests
    from google.oauth2.credentials import Credentials

    creds = Credentials(None, refresh_token=refresh_token, token_uri=oauth.token_url,
                        client_id=oauth.client_id, client_secret=oauth.client_secret,
                        scopes=list(oauth.scopes))
    try:
        creds.refresh(google.auth.transport.requests.Request(_session(oauth)))
    except google.auth.exceptions.RefreshError as e:
        data = e.args[1] if len(e.args) > 1 and isinstance(e.args[1], dict) else {}
        raise _failed("refresh", data.get("error", "refused"),
                      data.get("error_description", "")) from e
    except google.auth.exceptions.TransportError as e:
        raise OAuthError(f"token endpoint not reachable: {type(e).__name__}") from e
    return Grant(creds.token, creds.expiry.replace(tzinfo=dt.UTC) if creds.expiry else utcnow(),
                 creds.refresh_token)


def _login_google(oauth: OAuthConfig, account: str, say: Callable[[str], None]) -> Grant:
    """Authorization code with PKCE; the browser returns to a one-shot server on 127.0.0.1."""
    verifier, state = secrets.token_urlsafe(64), secrets.token_urlsafe(16)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    answer: dict[str, str] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            if query.get("state") == [state]:
                answer.update({k: v[0] for k, v in query.items()})
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"inbox-bot: you can close this window now.\n")

        def log_message(self, *_args: object) -> None:  # the query holds the code
            return

    with http.server.HTTPServer(("127.0.0.1", 0), Handler) as server:
        server.timeout = LOGIN_TIMEOUT_SECONDS
        redirect = f"http://127.0.0.1:{server.server_address[1]}/"
        query = {"client_id": oauth.client_id, "redirect_uri": redirect, "response_type": "code",
                 "scope": " ".join(oauth.scopes), "access_type": "offline", "prompt": "consent",
                 "login_hint": account, "state": state, "code_challenge_method": "S256",
                 "code_challenge": challenge.decode().rstrip("=")}
        say(f"Open this address in a browser on this machine (or forward port "
            f"{server.server_address[1]} over SSH) and sign in as {account}:\n"
            f"{oauth.auth_url}?{urllib.parse.urlencode(query)}")
        server.handle_request()  # the browser's return (or LOGIN_TIMEOUT_SECONDS)
    if "code" not in answer:
        raise _failed("login", answer.get("error", "no answer from the browser"))
    try:
        data = _session(oauth).post(oauth.token_url, timeout=oauth.timeout_seconds, data={
            "grant_type": "authorization_code", "code": answer["code"], "redirect_uri": redirect,
            "client_id": oauth.client_id, "client_secret": oauth.client_secret,
            "code_verifier": verifier}).json()
    except (requests.RequestException, ValueError) as e:
        raise OAuthError(f"token endpoint: {type(e).__name__}") from e
    return _grant(data, "login")


REFRESH = {"microsoft": _refresh_microsoft, "google": _refresh_google}
LOGIN = {"microsoft": _login_microsoft, "google": _login_google}
