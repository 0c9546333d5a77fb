"""The staff member's own settings page ("Mijn instellingen", ``/instellingen``): the desk's
language and how they are told about new work.

In: HTTP requests from a logged-in staff member. Out: the page with their settings, and a
redirect after a saved POST; a refused one shows the page again with what was typed and why.
The work is done by :mod:`bot.staff.accounts`; the notices are sent by
:mod:`bot.staff.notify`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from bot.errors import ActionRefused
from bot.staff import accounts
from bot.store.desk_models import Notify
from bot.web.deps import checked_form
from bot.web.routes import StaffDep, back, page

router = APIRouter()
MODE_WORDS = {
    Notify.EACH: "Een e-mail bij nieuwe vragen en berichten om te beoordelen (hooguit eens per "
                 "10 minuten)",
    Notify.DAILY: "Een overzicht per dag",
    Notify.NONE: "Geen berichten",
}


@router.get("/instellingen", response_class=HTMLResponse)
def settings(request: Request, staff: StaffDep):
    user = staff.user
    return _page(request, staff, {"email": user.email or "", "notify": user.notify,
                                  "hour": str(user.notify_hour), "language": user.language})


def _page(request: Request, staff, shown: dict[str, str], said: str | None = None
          ) -> HTMLResponse:
    return page(request, "settings.html", staff, shown=shown, mode_words=MODE_WORDS,
                languages=accounts.LANGUAGES,
                public_url=request.app.state.rt.config.web.public_url, notice=said)


@router.post("/instellingen", response_model=None)
async def save(request: Request, staff: StaffDep) -> RedirectResponse | HTMLResponse:
    form = await checked_form(request, staff)  # the work, in a worker thread (database)
    return await run_in_threadpool(_save, request, staff, form)


def _save(request: Request, staff, form: dict[str, str]) -> RedirectResponse | HTMLResponse:
    shown = {key: form.get(key, "") for key in ("email", "notify", "hour", "language")}
    try:
        chosen = accounts.checked(**shown)
        said = accounts.save_settings(request.app.state.rt, staff.user.id, chosen)
    except ActionRefused as e:
        return _page(request, staff, shown, str(e))
    return back(request, staff, "/instellingen", said)
