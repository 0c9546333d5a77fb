"""The staff page of saved replies ("standaardantwoorden", Dutch): the list, a form to add one
and a form per reply to change it.

In: HTTP requests from a logged-in staff member. Out: the page, and a redirect after a saved
POST with what happened; a refused one (:mod:`bot.staff.saved` checks the texts: only plain
text and the placeholders) shows the page again with the texts as they were typed. Shares
the page helpers of :mod:`bot.web.routes`; a saved reply is put into an answer on the
question's own page (:mod:`bot.web.questions`).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from bot.errors import ActionRefused
from bot.staff import saved
from bot.web.deps import checked_form, row_number
from bot.web.routes import StaffDep, back, page

router = APIRouter()


@router.get("/antwoorden", response_class=HTMLResponse)
def saved_replies(request: Request, staff: StaffDep):
    return _page(request, staff)


def _page(request: Request, staff, draft: dict[str, str] | None = None,
          said: str | None = None) -> HTMLResponse:
    """The page; ``draft`` is a refused form as it was typed (shown again, not lost)."""
    with Session(request.app.state.rt.engine) as session:
        rows = saved.all_replies(session)
        session.expunge_all()
    return page(request, "saved.html", staff, rows=rows, placeholders=saved.PLACEHOLDERS,
                draft=draft or {}, notice=said)


@router.post("/antwoorden", response_model=None)
async def save_reply(request: Request, staff: StaffDep) -> RedirectResponse | HTMLResponse:
    form = await checked_form(request, staff)  # the work, in a worker thread (database)
    return await run_in_threadpool(_save, request, staff, form)


def _save(request: Request, staff, form: dict[str, str]) -> RedirectResponse | HTMLResponse:
    reply_id = form.get("id", "")
    if form.get("action") == "delete":
        try:
            said = saved.delete(request.app.state.rt, _id(reply_id), by=staff.name)
        except ActionRefused as e:
            said = str(e)
        return back(request, staff, "/antwoorden", said)
    try:
        said = saved.save(request.app.state.rt, title=form.get("title", ""),
                          body_nl=form.get("body_nl", ""), body_en=form.get("body_en", ""),
                          by=staff.name, reply_id=row_number(reply_id))
    except ActionRefused as e:
        draft = {key: form.get(key, "") for key in ("id", "title", "body_nl", "body_en")}
        return _page(request, staff, draft, str(e))
    return back(request, staff, "/antwoorden", said)


def _id(value: str) -> int:
    number = row_number(value)
    if number is None:
        raise ActionRefused("Dit standaardantwoord bestaat niet (meer).")
    return number
