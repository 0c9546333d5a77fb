"""A small OAuth2 authorization server for tests: token endpoint, device code, introspection.

In:  ``OAuthServer(directory)``: a directory for its self-signed certificate. Tests set
     ``approve_as`` (the account a device-code or browser login signs in as), ``expires_in``, and
     call ``revoke()``.
Out: an HTTPS server on 127.0.0.1 (msal insists on https) that serves what msal and google-auth
     ask for: OpenID discovery at ``/<tenant>/v2.0/.well-known/openid-configuration``, device
     codes, ``/authorize`` (redirects straight back with a code, as a browser would after the
     user consented) and a token endpoint for the device-code, authorization-code and
     refresh-token grants; and a plain-HTTP introspection endpoint (RFC 7662, ``POST token=...``)
     for Dovecot's oauth2 passdb. Refresh tokens rotate strictly: each refresh returns a new one
     and the old one is refused from then on (``invalid_grant``), as after Microsoft's rotation
     once the old token is gone. ``grants`` counts the token requests by grant type.
     ``XOAuth2Sink`` is the SMTP sink behind AUTH XOAUTH2, checked against the same tokens.
"""

from __future__ import annotations

import base64
import contextlib
import json
import secrets
import ssl
import subprocess
import threading
import time
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.smtp import AuthResult

from bot.demo.sink import SmtpSink, _Controller
from bot.demo.sink import _Handler as _SmtpHandler
from tests.servers import _OPENSSL_SELF_SIGNED

TENANT = "test-tenant"


class OAuthServer:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.approve_as: str | None = None  # who signs in at the next login
        self.expires_in = 3600
        self.access: dict[str, tuple[str, float]] = {}  # access token -> (account, expiry)
        self.refresh: dict[str, str] = {}  # refresh token -> account
        self.codes: dict[str, str] = {}  # authorization or device code -> account
        self.grants: Counter[str] = Counter()
        self.lock = threading.Lock()
        self._servers: list[ThreadingHTTPServer] = []

    # --- what tests use --------------------------------------------------------------------------
    @property
    def base(self) -> str:
        return f"https://localhost:{self._servers[0].server_address[1]}"

    @property
    def authority(self) -> str:
        return f"{self.base}/{TENANT}"

    @property
    def introspection_url(self) -> str:
        return f"http://127.0.0.1:{self._servers[1].server_address[1]}/introspect"

    @property
    def ca_file(self) -> str:
        return str(self.directory / "cert.pem")

    def issue(self, account: str) -> dict:
        """A fresh access and refresh token for ``account`` (the token endpoint's answer)."""
        access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(32)
        with self.lock:
            self.access[access] = (account, time.time() + self.expires_in)
            self.refresh[refresh] = account
        return {"token_type": "Bearer", "access_token": access, "refresh_token": refresh,
                "expires_in": self.expires_in, "scope": "https://outlook.office.com/.default"}

    def revoke(self, account: str) -> None:
        """Refuse every token of ``account`` from now on (a password change, an admin's revoke)."""
        with self.lock:
            for table in (self.access, self.refresh):
                for token in [t for t, v in table.items() if (v[0] if isinstance(v, tuple)
                                                               else v) == account]:
                    del table[token]

    def expire_access_tokens(self) -> None:
        with self.lock:
            self.access = {t: (a, 0.0) for t, (a, _) in self.access.items()}

    # --- lifecycle -------------------------------------------------------------------------------
    def start(self) -> OAuthServer:
        keys = ["-keyout", str(self.directory / "key.pem"), "-out", self.ca_file]
        subprocess.run([*_OPENSSL_SELF_SIGNED.split(), *keys], check=True, capture_output=True)
        handler = type("Handler", (_Handler,), {"oauth": self})
        tls = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.ca_file, str(self.directory / "key.pem"))
        tls.socket = context.wrap_socket(tls.socket, server_side=True)
        self._servers = [tls, ThreadingHTTPServer(("127.0.0.1", 0), handler)]
        for server in self._servers:
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def __enter__(self) -> OAuthServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- endpoints -------------------------------------------------------------------------------
    def discovery(self) -> dict:
        prefix = f"{self.authority}/oauth2/v2.0"
        return {"issuer": f"{self.authority}/v2.0", "authorization_endpoint": f"{prefix}/authorize",
                "token_endpoint": f"{prefix}/token",
                "device_authorization_endpoint": f"{prefix}/devicecode"}

    def device_code(self) -> dict:
        code = secrets.token_urlsafe(16)
        with self.lock:
            self.codes[code] = self.approve_as or ""
        return {"device_code": code, "user_code": "ABCD-EFGH", "expires_in": 600, "interval": 1,
                "verification_uri": f"{self.base}/devicelogin",
                "message": f"To sign in, open {self.base}/devicelogin and enter ABCD-EFGH."}

    def token(self, form: dict[str, str]) -> tuple[int, dict]:
        grant = form.get("grant_type", "")
        self.grants[grant] += 1
        with self.lock:
            if grant == "refresh_token":
                account = self.refresh.pop(form.get("refresh_token", ""), None)
            else:  # authorization_code, device_code: one use each
                account = self.codes.pop(form.get("code") or form.get("device_code", ""), None)
        if not account:
            return 400, {"error": "invalid_grant",
                         "error_description": "AADSTS70000: The provided grant has expired "
                                              "or been revoked.\r\nTrace ID: test"}
        return 200, self.issue(account)

    def introspect(self, form: dict[str, str]) -> dict:
        with self.lock:
            account, expiry = self.access.get(form.get("token", ""), ("", 0.0))
        if not account or expiry < time.time():
            return {"active": False}
        return {"active": True, "username": account}


class _Handler(BaseHTTPRequestHandler):
    oauth: OAuthServer

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path.endswith("/.well-known/openid-configuration"):
            return self._json(200, self.oauth.discovery())
        if url.path == "/authorize":  # the user consents at once; back to the redirect_uri
            query = dict(urllib.parse.parse_qsl(url.query))
            code = secrets.token_urlsafe(16)
            with self.oauth.lock:
                self.oauth.codes[code] = self.oauth.approve_as or ""
            back = urllib.parse.urlencode({"code": code, "state": query.get("state", "")})
            self.send_response(302)
            self.send_header("Location", f"{query['redirect_uri']}?{back}")
            self.end_headers()
            return None
        return self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        if self.path.endswith("/devicecode"):
            return self._json(200, self.oauth.device_code())
        if self.path.endswith("/token"):
            return self._json(*self.oauth.token(form))
        if self.path == "/introspect":
            return self._json(200, self.oauth.introspect(form))
        return self._json(404, {"error": "not_found"})

    def _json(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(data)

    def log_message(self, *_args: object) -> None:
        pass


def dovecot_oauth2_config(server: OAuthServer, directory: Path) -> str:
    """Dovecot 2.3 settings (appended to the test configuration) that accept XOAUTH2 and
    OAUTHBEARER and check each token at ``server``'s introspection endpoint."""
    ext = directory / "dovecot-oauth2.conf.ext"
    ext.write_text(f"introspection_mode = post\nintrospection_url = {server.introspection_url}\n"
                   "username_attribute = username\nactive_attribute = active\n"
                   "active_value = true\nforce_introspection = yes\n")
    ext.chmod(0o644)
    return (f"\nauth_mechanisms = plain login xoauth2 oauthbearer\npassdb {{\n  driver = oauth2\n"
            f"  mechanisms = xoauth2 oauthbearer\n  args = {ext}\n}}\n")


class XOAuth2Sink(SmtpSink):
    """The SMTP sink, but it wants AUTH XOAUTH2 (without TLS, on loopback) before MAIL, with an
    access token that ``oauth``'s introspection finds active for the user named."""

    def __init__(self, oauth: OAuthServer) -> None:
        super().__init__()
        self.oauth = oauth
        self.logins: list[str] = []

    def start(self) -> XOAuth2Sink:
        sink = self

        class Handler(_SmtpHandler):
            async def auth_XOAUTH2(self, _server, args: list[str]) -> AuthResult:
                text = base64.b64decode(args[1]).decode() if len(args) > 1 else ""
                fields = dict(f.split("=", 1) for f in text.split("\x01") if "=" in f)
                token = fields.get("auth", "").removeprefix("Bearer ")
                found = sink.oauth.introspect({"token": token})
                if found["active"] and found["username"] == fields.get("user"):
                    sink.logins.append(fields["user"])
                    return AuthResult(success=True, auth_data=fields["user"])
                return AuthResult(success=False, handled=False)

            async def handle_DATA(self, server, session, envelope) -> str:
                if not session.authenticated:
                    return "530 5.7.0 Authentication required"
                return await super().handle_DATA(server, session, envelope)

        self._controller = _Controller(Handler(self), hostname=self.host, port=0,
                                       server_hostname="localhost", auth_require_tls=False)
        self._controller.start()
        self.port = self._controller.port
        return self
