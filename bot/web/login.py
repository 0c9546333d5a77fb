"""The login and logout pages: login CSRF, the throttle's answers, session rotation.

In: HTTP requests to ``/login`` and ``/logout``. Out: the login page, a new session cookie and
a redirect to the desk after a good login, the same page and message for an unknown user and a
wrong password, 429 with ``Retry-After`` for a throttled attempt (see :mod:`bot.web.throttle`),
403 for a foreign ``Origin`` or a missing login CSRF token.

Login CSRF (double submit): ``GET /login`` sets ``LOGIN_COOKIE`` (HttpOnly, SameSite=Strict,
path ``/login``) holding a random token, and puts the same token in the form's hidden ``csrf``
field; ``POST /login`` compares the two in constant time before it looks at the username. A
page on another site can neither read the token nor make the browser send the Strict cookie,
so it cannot log a staff member's browser into an account of the attacker's.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from bot import linear
from bot.store.db import writer
from bot.store.models import utcnow
from bot.web import auth
from bot.web.deps import COOKIE, check_origin, checked_form, set_session_cookie
from bot.web.routes import StaffDep, page

router = APIRouter()
LOGIN_COOKIE = "inbox_bot_login"
FORM_EXPIRED = "Het inlogformulier was verlopen. Probeer het opnieuw."
_TOKEN = linear.compile(r"[A-Za-z0-9_-]{43}")


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request):
    return login_form(request, login_token(request))


@router.post("/login")
async def login(request: Request):
    check_origin(request)
    form = {k: str(v) for k, v in (await request.form()).items()}
    # the password check (Argon2id, about 50 ms) and the database in a worker thread, off the
    # event loop (at most two checks at once: bot.web.auth.HASHING; threads waiting there still
    # take places in the shared pool)
    return await run_in_threadpool(_log_in, request, form)


def _log_in(request: Request, form: dict[str, str]) -> HTMLResponse | RedirectResponse:
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    sent = form.get("csrf", "")
    if not (_TOKEN.fullmatch(cookie) and hmac.compare_digest(cookie.encode(), sent.encode())):
        return login_form(request, secrets.token_urlsafe(32), error=FORM_EXPIRED,
                          status_code=403)
    rt = request.app.state.rt
    now = utcnow()
    address = request.client.host if request.client else "-"
    with Session(writer(rt.engine)) as session:
        result = auth.authenticate(session, form.get("username", ""),
                                   form.get("password", ""), address=address, now=now)
        if result.wait_seconds:
            response = login_form(request, cookie, status_code=429,
                                  error=auth.THROTTLED.format(seconds=result.wait_seconds))
            response.headers["Retry-After"] = str(result.wait_seconds)
            return response
        if result.user is None:
            return login_form(request, cookie, error=auth.LOGIN_FAILED)
        token, _ = auth.start_session(session, result.user, now=now,
                                      old_token=request.cookies.get(COOKIE))
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(request, response, token)
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
async def logout(request: Request, staff: StaffDep):
    await checked_form(request, staff)
    await run_in_threadpool(_end_session, request)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def _end_session(request: Request) -> None:
    with Session(writer(request.app.state.rt.engine)) as session:
        auth.end_session(session, request.cookies.get(COOKIE, ""))


def login_token(request: Request) -> str:
    """The browser's pre-session token, or a new one."""
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    return cookie if _TOKEN.fullmatch(cookie) else secrets.token_urlsafe(32)


def login_form(request: Request, token: str, *, error: str | None = None,
               status_code: int = 200) -> HTMLResponse:
    """The login page with ``token`` in its form and in the pre-session cookie."""
    response = page(request, "login.html", error=error, login_csrf=token)
    response.status_code = status_code
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", path="/login",
                        secure=request.app.state.secure_cookies)
    return response
