"""The staff pages about attendees (Dutch): the list per event, actions on one attendee, and
the exports (CSV, Excel, a printable check-in list).

In: HTTP requests from a logged-in staff member, ``?event=KEY`` choosing the event where the
collective runs several. Out: HTML pages, downloads, and redirects after every POST. The
search is a POST whose answer is the list itself: the search text (often a name) never
appears in a URL, so it stays out of access logs and browser history. Shares the page helpers
of :mod:`bot.web.routes`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from bot.errors import ActionRefused
from bot.outbound.reply import format_event_date
from bot.runtime import Runtime
from bot.staff import actions
from bot.staff.exports import sorted_by_surname, to_checkin_html, to_csv, to_xlsx
from bot.store.models import Attendee
from bot.store.queries import find_attendees, get_row, list_attendees
from bot.web.deps import checked_form
from bot.web.routes import StaffDep, act, not_found, page, page_event

router = APIRouter()


@router.get("/deelnemers", response_class=HTMLResponse)
def attendees(request: Request, staff: StaffDep):
    return _attendees_page(request, staff, "")


@router.post("/deelnemers", response_class=HTMLResponse)
async def search_attendees(request: Request, staff: StaffDep):
    form = await checked_form(request, staff)
    return await run_in_threadpool(_attendees_page, request, staff, form.get("q", "")[:200])


def _attendees_page(request: Request, staff, search: str) -> HTMLResponse:
    rt = request.app.state.rt
    rows = find_attendees(rt.engine, page_event(request).key, search.strip())
    return page(request, "attendees.html", staff, q=search, rows=rows)


@router.post("/deelnemers/{attendee_id}")
async def attendee_action(request: Request, attendee_id: int,
                          staff: StaffDep):
    def do(rt: Runtime, form: dict[str, str]) -> str:
        row = get_row(rt.engine, Attendee, attendee_id) or not_found()
        action = actions.ACTIONS.get(form.get("action", ""))
        if action is None or not row.email:
            raise ActionRefused("Deze actie kan niet voor deze deelnemer.")
        return action(rt, row.email, by=staff.name, event_key=row.event)

    return await act(request, staff, "/deelnemers", do)


@router.get("/deelnemers.csv")
def export_csv(request: Request, staff: StaffDep):
    rows = _export_rows(request)
    return Response(to_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="deelnemers.csv"'})


@router.get("/deelnemers.xlsx")
def export_xlsx(request: Request, staff: StaffDep):
    return Response(to_xlsx(_export_rows(request)), media_type="application/vnd."
                    "openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="deelnemers.xlsx"'})


@router.get("/aanwezigheidslijst", response_class=HTMLResponse)
def checkin(request: Request, staff: StaffDep):
    rt = request.app.state.rt
    event = page_event(request)
    html = to_checkin_html(_export_rows(request), rt.templates, title=event.name,
                           date=format_event_date(event, "nl"))
    return HTMLResponse(html)


def _export_rows(request: Request):
    rt = request.app.state.rt
    return sorted_by_surname(list_attendees(rt.engine, page_event(request).key))
