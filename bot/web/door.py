"""The door's page (``/deur``), made for a phone: look people up, tap them in, add walk-ins.

In: HTTP requests from a logged-in staff member. Out: the page (counter, the expected by
surname, the wait-listed apart, a walk-in form), also after a search POST; redirects after
each check-in with the result in the session (:func:`bot.web.routes.act`, like every staff
action); and ``/deur.js``: a few lines that filter the list as you type. That script is the
desk's only one, served from this site and allowed on this page alone (``script-src
'self'``); without it the search form filters on the server, and the search text is POSTed,
never put in a URL. The work is done by :mod:`bot.staff.door`.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from bot.staff import door as at_door
from bot.web.deps import DOOR_CSP, checked_form
from bot.web.routes import StaffDep, act, page, page_event

router = APIRouter()

# Filter the door's list as you type; the form searches on the server without it.
SCRIPT = """\
const field = document.querySelector("#door-search input[name=q]");
if (field) {
  field.addEventListener("input", () => {
    const wanted = field.value.trim().toLowerCase();
    for (const row of document.querySelectorAll("[data-search]")) {
      row.hidden = wanted !== "" && !row.dataset.search.includes(wanted);
    }
  });
}
"""


@router.get("/deur", response_class=HTMLResponse)
def door_page(request: Request, staff: StaffDep):
    return _page(request, staff, "")


@router.post("/deur", response_class=HTMLResponse)
async def search(request: Request, staff: StaffDep):
    form = await checked_form(request, staff)
    return await run_in_threadpool(_page, request, staff, form.get("q", "")[:100])


def _page(request: Request, staff, search: str) -> HTMLResponse:
    rt, event = request.app.state.rt, page_event(request)
    found = at_door.door(rt, event)
    wanted = search.strip().lower()

    def shown(rows):
        return [r for r in rows if wanted in r.search_text]
    response = page(request, "door.html", staff, q=search, door=found,
                    expected=shown(found.expected), waitlisted=shown(found.waitlisted),
                    zone=ZoneInfo(event.timezone))
    response.headers["Content-Security-Policy"] = DOOR_CSP
    return response


@router.get("/deur.js")
def script(staff: StaffDep):
    return Response(SCRIPT, media_type="text/javascript; charset=utf-8")


@router.post("/deur/nieuw")
async def add_walk_in(request: Request, staff: StaffDep):
    event = page_event(request)
    return await act(request, staff, f"/deur?event={event.key}", lambda rt, form: (
        at_door.walk_in(rt, event, name=form.get("name", ""), party=form.get("party", ""),
                        email=form.get("email", ""), by=staff.name)), flush=False)


@router.post("/deur/{attendee_id}")
async def mark(request: Request, attendee_id: int, staff: StaffDep):
    event = page_event(request)
    return await act(request, staff, f"/deur?event={event.key}#attendee-{attendee_id}",
                     lambda rt, form: at_door.mark(rt, event, attendee_id,
                                                   form.get("present") == "1", by=staff.name),
                     flush=False)
