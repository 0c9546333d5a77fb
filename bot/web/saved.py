"""The staff page of saved replies ("standaardantwoorden", Dutch): the list, a form to add one
and a form per reply to change it.

In: HTTP requests from a logged-in staff member. Out: the page, and a redirect after every
POST with what happened (:mod:`bot.staff.saved` checks the texts: only plain text and the
placeholders). Shares the page helpers of :mod:`bot.web.routes`; a saved reply is put into an
answer on the question's own page.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session

from bot.errors import ActionRefused
from bot.staff import saved
from bot.web.deps import checked_form
from bot.web.routes import StaffDep, back, page

router = APIRouter()


@router.get("/antwoorden", response_class=HTMLResponse)
def saved_replies(request: Request, staff: StaffDep):
    with Session(request.app.state.rt.engine) as session:
        rows = saved.all_replies(session)
        for row in rows:
            session.expunge(row)
    return page(request, "saved.html", staff, rows=rows, placeholders=saved.PLACEHOLDERS)


@router.post("/antwoorden")
async def save_reply(request: Request, staff: StaffDep) -> RedirectResponse:
    form = await checked_form(request, staff)
    reply_id = form.get("id", "")
    try:
        message = saved.save(request.app.state.rt, title=form.get("title", ""),
                             body_nl=form.get("body_nl", ""), body_en=form.get("body_en", ""),
                             by=staff.name, reply_id=int(reply_id) if reply_id.isdigit() else None)
    except ActionRefused as e:
        message = str(e)
    return back(request, staff, "/antwoorden", message)
