"""What every page of the staff desk depends on: the logged-in staff member, and the checks
on a POSTed form (FastAPI dependencies, in the style of FastAPI's project template).

In: a request. Out: the :class:`Staff` member behind its session cookie (else
:class:`LoginRequired`, which the app turns into a redirect to the login page), or the form
after the CSRF checks (else 403). :mod:`bot.web.app` builds the app; the routes import from here,
never from the app.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from fastapi import HTTPException, Request
from sqlmodel import Session

from bot.store.db import writer
from bot.store.desk_models import StaffSession, StaffUser
from bot.store.models import utcnow
from bot.web import auth

COOKIE = "inbox_bot_session"
# every page: no script at all, nothing from other hosts; the door's page (bot.web.door) also
# runs its one script from this site
PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-src 'self'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
DOOR_CSP = PAGE_CSP.replace("default-src 'none';", "default-src 'none'; script-src 'self';")
# a page that shows a mail as its recipient sees it (bot.web.previews, bot.web.groupmail): the
# logo the mail carries is shown as a data: image
PREVIEW_CSP = PAGE_CSP.replace("img-src 'self';", "img-src 'self' data:;")


class LoginRequired(Exception):
    """No valid session: the browser goes to the login page."""


@dataclass(frozen=True)
class Staff:
    user: StaffUser
    session: StaffSession

    @property
    def name(self) -> str:
        return self.user.username

    @property
    def csrf(self) -> str:
        return self.session.csrf_token


def current_staff(request: Request) -> Staff:
    """The logged-in staff member (a FastAPI dependency); LoginRequired otherwise."""
    rt = request.app.state.rt
    with Session(writer(rt.engine), expire_on_commit=False) as session:
        found = auth.current(session, request.cookies.get(COOKIE), now=utcnow())
        if found is None:
            raise LoginRequired()
        user, staff_session = found
        session.expunge(user)
        session.expunge(staff_session)
    return Staff(user, staff_session)


async def checked_form(request: Request, staff: Staff) -> dict[str, str]:
    """The POSTed form, after the CSRF checks: same-site Origin, the session's token."""
    check_origin(request)
    form = {k: str(v) for k, v in (await request.form()).items()}
    if not form.get("csrf") or not hmac.compare_digest(form["csrf"].encode(), staff.csrf.encode()):
        raise HTTPException(status_code=403, detail="Ongeldig formulier (CSRF).")
    return form


def row_number(value: str) -> int | None:
    """A row number as a form sends it (plain ASCII digits, at most 12), else None."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 12 else None


def check_origin(request: Request) -> None:
    """403 unless a browser's ``Origin`` is this site's: ``[web] public_url`` when set."""
    origin = request.headers.get("origin")
    expected = request.app.state.origin or f"{request.url.scheme}://{request.url.netloc}"
    if origin and origin.lower() != expected.lower():
        raise HTTPException(status_code=403, detail="Verzoek van een andere website.")


def set_session_cookie(request: Request, response, token: str) -> None:
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/",
                        secure=request.app.state.secure_cookies,
                        max_age=int(auth.MAX_LIFETIME.total_seconds()))
