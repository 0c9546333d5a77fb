"""The login and logout pages.

In: HTTP requests to ``/login`` and ``/logout``. Out: the login page, a new session cookie and
a redirect to the desk after a good login, the same page and message for an unknown user and a
wrong password, 429 with ``Retry-After`` for a throttled attempt (see :mod:`bot.web.throttle`),
403 for a foreign ``Origin``.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session

from bot.db import writer
from bot.web import auth
from bot.web.app import COOKIE, check_origin, checked_form, set_session_cookie
from bot.web.routes import StaffDep, page

router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request):
    return page(request, "login.html", error=None)


@router.post("/login")
async def login(request: Request):
    check_origin(request)
    form = await request.form()
    rt = request.app.state.rt
    now = dt.datetime.now(dt.UTC)
    address = request.client.host if request.client else "-"
    with Session(writer(rt.engine)) as session:
        result = auth.authenticate(session, str(form.get("username", "")),
                                   str(form.get("password", "")), address=address, now=now)
        if result.wait_seconds:
            response = page(request, "login.html",
                            error=auth.THROTTLED.format(seconds=result.wait_seconds))
            response.status_code = 429
            response.headers["Retry-After"] = str(result.wait_seconds)
            return response
        if result.user is None:
            return page(request, "login.html", error=auth.LOGIN_FAILED)
        token, _ = auth.start_session(session, result.user, now=now,
                                      old_token=request.cookies.get(COOKIE))
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(request, response, token)
    return response


@router.post("/logout")
async def logout(request: Request, staff: StaffDep):
    await checked_form(request, staff)
    with Session(writer(request.app.state.rt.engine)) as session:
        auth.end_session(session, request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
