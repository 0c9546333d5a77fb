"""The staff desk behind a reverse proxy: the client's real address and the login throttle,
``Origin`` against ``[web] public_url``, login CSRF, notices, searches and access logs without
personal data, the absolute session lifetime. Through the framework's test client, on a
database filled by real polls (the test client's peer address stands in for the proxy's), and
``inbox-bot web`` for its log."""

from __future__ import annotations

import contextlib
import datetime as dt
import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot.store.db import writer
from bot.store.desk_models import LoginAttempt, StaffSession
from bot.store.models import Attendee
from bot.web.app import create_app
from bot.web.auth import LOGIN_FAILED
from bot.web.deps import COOKIE
from bot.web.login import LOGIN_COOKIE
from tests.helpers import PASSWORD, csrf_of, logged_in

PROXY = ("127.0.0.1", 51000)  # the reverse proxy on the same machine: a trusted peer


def log_in(client: TestClient, user: str, password: str, **headers: str):
    return client.post("/login", data={"username": user, "password": password,
                                       "csrf": csrf_of(client, "/login")},
                       headers=headers, follow_redirects=False)


def attempts(rt) -> list[tuple[str, str, bool]]:
    with Session(rt.engine) as session:
        rows = session.exec(select(LoginAttempt).order_by(LoginAttempt.id)).all()
        return [(row.username, row.address, row.succeeded) for row in rows]


def test_failed_logins_behind_the_proxy_lock_out_nobody_else(desk):
    """Every request comes from the proxy; the client is the rightmost address in
    X-Forwarded-For that is not a trusted proxy."""
    client = TestClient(create_app(desk), client=PROXY)
    for n in range(10):
        failed = log_in(client, f"attacker{n}", "geraden", **{"X-Forwarded-For": "203.0.113.9"})
        assert failed.status_code == 200 and LOGIN_FAILED in failed.text
    anna = log_in(client, "anna", PASSWORD, **{"X-Forwarded-For": "198.51.100.7"})
    assert anna.status_code == 303 and COOKIE in anna.cookies
    # a client that prepends an address of its own choosing is still known by its real one
    bart = log_in(TestClient(create_app(desk), client=PROXY), "bart", PASSWORD,
                  **{"X-Forwarded-For": "6.6.6.6, 198.51.100.8"})
    assert bart.status_code == 303
    # from a peer that is not a trusted proxy, X-Forwarded-For is not believed
    direct = TestClient(create_app(desk), client=("192.0.2.50", 40000))
    assert log_in(direct, "anna", "fout", **{"X-Forwarded-For": "198.51.100.7"}
                  ).status_code == 200
    assert attempts(desk) == [*((f"attacker{n}", "203.0.113.9", False) for n in range(10)),
                              ("anna", "198.51.100.7", True), ("bart", "198.51.100.8", True),
                              ("anna", "192.0.2.50", False)]


def test_trusted_proxies_may_be_networks(make_runtime):
    rt = make_runtime(web={"trusted_proxies": ["10.1.2.3/8"]})  # host bits set: still a network
    with Session(writer(rt.engine)) as session:
        from bot.web.auth import create_user
        create_user(session, "anna", PASSWORD)
    client = TestClient(create_app(rt), client=("10.9.9.9", 40000))
    response = log_in(client, "anna", PASSWORD,
                      **{"X-Forwarded-For": "198.51.100.7, 10.0.0.5"})
    assert response.status_code == 303
    assert attempts(rt) == [("anna", "198.51.100.7", True)]


def fail_before(rt, username: str, count: int, *, address: str = "192.0.2.1") -> None:
    """``count`` failed logins for ``username`` a moment ago (the state an attacker leaves)."""
    with Session(writer(rt.engine)) as session:
        session.add_all(LoginAttempt(username=username, address=address, succeeded=False,
                                     at=dt.datetime.now(dt.UTC)) for _ in range(count))
        session.commit()


def test_a_throttled_login_is_told_to_wait_and_not_counted(desk):
    # from the browser's own address (the test client's): the next try waits 8 s
    fail_before(desk, "anna", 6, address="testclient")
    fail_before(desk, "nobody", 6, address="testclient")
    client = TestClient(create_app(desk))
    before = len(attempts(desk))
    anna = log_in(client, "anna", PASSWORD)
    nobody = log_in(client, "nobody", PASSWORD)
    for refused in (anna, nobody):  # the same for an account that does not exist
        assert refused.status_code == 429 and COOKIE not in refused.cookies
        assert re.search(r"Probeer het over [1-8] seconden opnieuw", refused.text)
        assert 1 <= int(refused.headers["Retry-After"]) <= 8
    assert len(attempts(desk)) == before  # refused attempts are not recorded
    assert log_in(client, "bart", PASSWORD).status_code == 303  # other accounts: no delay


def test_origin_is_checked_against_the_public_url(make_runtime):
    """The proxy speaks plain HTTP to the desk; the browser sends Origin: https://..."""
    rt = make_runtime(web={"public_url": "https://balie.example"})
    with Session(writer(rt.engine)) as session:
        from bot.web.auth import create_user
        create_user(session, "anna", PASSWORD)
    client = TestClient(create_app(rt), base_url="http://balie.example", client=PROXY)
    form = client.get("/login")
    token = csrf_of(client, "/login")
    cookie = {"Cookie": f"{LOGIN_COOKIE}={token}"}  # a Secure cookie: sent by hand over http
    data = {"username": "anna", "password": PASSWORD, "csrf": token}
    ok = client.post("/login", data=data, follow_redirects=False,
                     headers={**cookie, "Origin": "https://balie.example"})
    assert ok.status_code == 303
    for foreign in ("http://balie.example", "https://evil.example", "null"):
        refused = client.post("/login", data=data, follow_redirects=False,
                              headers={**cookie, "Origin": foreign})
        assert refused.status_code == 403, foreign
    assert attempts(rt) == [("anna", "127.0.0.1", True)]  # the refused ones never got there
    # an https public URL makes every cookie Secure
    [login_cookie] = [c for c in form.headers.get_list("set-cookie")
                      if c.startswith(LOGIN_COOKIE)]
    session_cookie = next(c for c in ok.headers.get_list("set-cookie") if c.startswith(COOKIE))
    assert "secure" in login_cookie.lower() and "secure" in session_cookie.lower()


def test_secure_cookies_flag_without_public_url(desk):
    client = TestClient(create_app(desk, secure_cookies=True), base_url="https://testserver")
    response = log_in(client, "anna", PASSWORD)
    assert response.status_code == 303
    assert "secure" in response.headers["set-cookie"].lower()


def test_login_needs_the_pre_session_csrf_token(desk):
    client = TestClient(create_app(desk))
    form = client.get("/login")
    token = csrf_of(client, "/login")
    good = {"username": "anna", "password": PASSWORD}
    for data in (good, {**good, "csrf": ""}, {**good, "csrf": token[:-1] + "x"}):
        refused = client.post("/login", data=data, follow_redirects=False)
        assert refused.status_code == 403 and COOKIE not in refused.cookies
        assert "inlogformulier was verlopen" in refused.text
    cookie = form.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/login" in cookie
    assert f"{LOGIN_COOKIE}={token.lower()};" in cookie
    stranger = TestClient(create_app(desk))  # a page elsewhere: a token but not the cookie
    assert stranger.post("/login", data={**good, "csrf": token},
                         follow_redirects=False).status_code == 403
    assert attempts(desk) == []  # nothing counted
    fresh = csrf_of(client, "/login")  # each 403 set a fresh token; the form shows it
    assert fresh != token
    assert client.post("/login", data={**good, "csrf": fresh},
                       follow_redirects=False).status_code == 303


def test_notices_live_in_the_session_not_in_the_url(desk):
    client = logged_in(desk)
    with Session(desk.engine) as session:
        attendee = session.exec(select(Attendee).where(Attendee.status == "registered")).first()
    done = client.post(f"/deelnemers/{attendee.id}",
                       data={"csrf": csrf_of(client), "action": "cancel"},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/deelnemers"
    shown = client.get("/deelnemers").text
    assert f'<p class="notice" role="status">{attendee.email} is afgemeld' in shown
    assert 'class="notice"' not in client.get("/deelnemers").text  # once
    with Session(desk.engine) as session:
        assert [s.notice for s in session.exec(select(StaffSession))] == [None]
    spoof = "Uw sessie is verlopen. Log opnieuw in op https://balie-kinderrechten.example/login"
    assert spoof not in client.get("/", params={"melding": spoof}).text


def test_attendee_search_is_a_post(desk):
    client = logged_in(desk)
    listing = client.get("/deelnemers", params={"q": "haagsma"}).text  # ?q= is not read
    assert "t.haagsma@tweedekamer.nl" in listing and "k.verhoeff@tweedekamer.nl" in listing
    assert re.search(r'<form method="post" action="/deelnemers\?event=[\w-]+"[^>]*id="search"',
                     listing)
    found = client.post("/deelnemers", data={"csrf": csrf_of(client, "/deelnemers"),
                                             "q": "haagsma"})
    assert found.status_code == 200 and found.url.query == b""
    assert "t.haagsma@tweedekamer.nl" in found.text
    assert "k.verhoeff@tweedekamer.nl" not in found.text
    assert client.post("/deelnemers", data={"q": "haagsma"}).status_code == 403  # no CSRF


def test_a_session_ends_twelve_hours_after_login_however_busy(desk):
    client = logged_in(desk)

    def started(hours: float) -> None:
        now = dt.datetime.now(dt.UTC)
        with Session(writer(desk.engine)) as session:
            for row in session.exec(select(StaffSession)):
                row.created_at, row.last_seen_at = now - dt.timedelta(hours=hours), now
                session.add(row)
            session.commit()

    started(11.5)
    assert client.get("/", follow_redirects=False).status_code == 200
    started(12.1)
    response = client.get("/", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/login")
    with Session(desk.engine) as session:
        assert session.exec(select(StaffSession)).all() == []


def test_the_access_log_of_inbox_bot_web_holds_no_query_strings(tmp_path, imap_account,
                                                                smtp_sink, db_url):
    """Whatever a link puts in a query string stays out of uvicorn's access log (journald)."""
    import urllib.request

    from tests.helpers import write_config
    from tests.httpsproxy import WebCommand
    web = WebCommand(write_config(tmp_path, imap_account, smtp_sink, db_url),
                     {"TEST_IMAP_PASSWORD": imap_account.password}, tmp_path)
    with web as port:
        for path in ("/login?melding=j.jansen%40tweedekamer.nl%20cancelled",
                     "/deelnemers?q=jansen", "/healthz?x=1"):
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30).read()
    log = web.access_log
    assert '"GET /login HTTP/1.1" 200' in log and '"GET /deelnemers HTTP/1.1" 303' in log
    assert '"GET /healthz HTTP/1.1" 503' in log
    assert "?" not in log and "jansen" not in log and "%40" not in log
