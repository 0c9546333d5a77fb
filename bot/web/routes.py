"""The staff pages (Dutch). Each route reads through :mod:`bot.store.queries`, acts through
:mod:`bot.staff.desk` or :mod:`bot.staff.actions`, and renders a template from ``templates/web/``.

In: HTTP requests from a logged-in staff member. Out: HTML pages, downloads, and redirects
after every POST. The result of an action (which may name a person) is kept in the staff
member's session and shown once on the next page (:func:`back`, :func:`page`), never put in a
URL; the login and logout pages are in :mod:`bot.web.login`.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from bot.errors import ActionRefused
from bot.ops.monitor import health_status
from bot.outbound import pace
from bot.outbound.outbox import flush_outbox
from bot.outbound.reply import format_event_date
from bot.staff import desk
from bot.store import story
from bot.store.db import writer
from bot.store.models import InboundMessage, utcnow
from bot.store.queries import (
    dashboard,
    event_seats,
    get_row,
    list_outbound,
    messages_with_status,
)
from bot.web import auth, charts
from bot.web.deps import Staff, checked_form, current_staff
from bot.web.labels import english_result, translator
from bot.web.mailview import part_bytes, view_message
from bot.web.sanitize import CSP, sanitize_html, text_to_html

router = APIRouter()
StaffDep = Annotated[Staff, Depends(current_staff)]


def page(request: Request, name: str, staff: Staff | None = None, **context) -> HTMLResponse:
    """The page ``name`` in the staff member's language (``lang`` and ``t`` for the templates;
    Dutch before login), with the session's notice, which is shown this once."""
    rt = request.app.state.rt
    notice = staff.session.notice if staff is not None else None
    if notice is not None:
        with Session(writer(rt.engine)) as session:
            auth.clear_notice(session, staff.session.id)
    lang = language_of(staff)
    notice = context.pop("notice", None) or notice  # a page's own result, else the session's
    if notice and lang == "en":
        notice = english_result(notice)
    return request.app.state.templates.TemplateResponse(request, name, {
        "staff": staff, "event": page_event(request), "events": rt.config.events,
        "notice": notice, "lang": lang, "t": translator(lang), **context})


def language_of(staff: Staff | None) -> str:
    """The desk's language for ``staff``: ``en`` when they chose it, else ``nl`` (also before
    login)."""
    return "en" if staff is not None and staff.user.language == "en" else "nl"


def page_event(request: Request):
    """The event a page is about: ``?event=KEY``, else the first (one event: always it)."""
    return request.app.state.rt.config.event_by_key(request.query_params.get("event"))


def back(request: Request, staff: Staff, path: str, message: str) -> RedirectResponse:
    """Redirect to ``path``; ``message`` waits in the session for the page there."""
    with Session(writer(request.app.state.rt.engine)) as session:
        auth.set_notice(session, staff.session.id, message)
    return RedirectResponse(path, status_code=303)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, staff: StaffDep):
    rt = request.app.state.rt
    numbers = dashboard(rt.engine)
    seats = event_seats(rt.engine, rt.config.events)
    stale = health_status(rt.engine, rt.config).poll_late
    now = utcnow()
    zone = ZoneInfo(rt.config.event.timezone)
    lang = language_of(staff)
    outbox = pace.outbox_sentence(pace.outlook(rt.engine, rt.config.smtp, now), zone, now, lang)
    bars = {s.key: charts.seats_bar(s.taken, s.waitlisted, s.capacity, lang) for s in seats}
    shown = page_event(request)  # ?event=KEY; the first event without it
    per_day = charts.days_chart(story.sign_ups_per_day(rt.engine, shown.key,
                                                       ZoneInfo(shown.timezone)), lang)
    return page(request, "dashboard.html", staff, numbers=numbers, stale=stale, seats=seats,
                event_date=format_event_date(rt.config.event, lang), outbox=outbox,
                bars=bars, per_day=per_day, recent=story.recent(rt.engine), zone=zone,
                turnout=story.turnout(rt.engine, shown.key))


@router.get("/beoordelen", response_class=HTMLResponse)
def review(request: Request, staff: StaffDep):
    rt = request.app.state.rt
    return page(request, "review.html", staff,
                messages=messages_with_status(rt.engine, "needs_review"),
                decisions=desk.DECISIONS)


@router.post("/beoordelen/{message_id}")
async def decide(request: Request, message_id: int, staff: StaffDep):
    return await act(request, staff, "/beoordelen", lambda rt, form: desk.decide_review(
        rt, message_id, form.get("decision", ""), by=staff.name,
        event_key=form.get("event") or None))


@router.get("/berichten/{message_id}", response_class=HTMLResponse)
def message_page(request: Request, message_id: int, staff: StaffDep):
    row = get_row(request.app.state.rt.engine, InboundMessage, message_id) or not_found()
    view = view_message(row.raw or b"", seconds=_seconds(request))
    return page(request, "message.html", staff, message=row, view=view)


@router.get("/berichten/{message_id}/inhoud")
def message_body(request: Request, message_id: int, staff: StaffDep):
    """The message's HTML, sanitized, for the sandboxed iframe (with its own strict CSP)."""
    row = get_row(request.app.state.rt.engine, InboundMessage, message_id) or not_found()
    view = view_message(row.raw or b"", seconds=_seconds(request))
    cids = {p.content_id: p.index for p in view.attachments if p.content_id}

    def cid_url(content_id: str) -> str | None:
        index = cids.get(content_id)
        return None if index is None else f"/berichten/{message_id}/deel/{index}?inline=1"

    body = (sanitize_html(view.html, cid_url=cid_url) if view.html
            else text_to_html(view.text))
    document = ('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body '
                'style="font-family: Arial, sans-serif">' + body + "</body></html>")
    return HTMLResponse(document, headers={"Content-Security-Policy": CSP})


@router.get("/berichten/{message_id}/deel/{index}")
def message_part(request: Request, staff: StaffDep, message_id: int, index: int,
                 inline: int = 0):
    row = get_row(request.app.state.rt.engine, InboundMessage, message_id) or not_found()
    found = part_bytes(row.raw or b"", index, seconds=_seconds(request)) or not_found()
    content_type, data = found
    view = view_message(row.raw or b"", seconds=_seconds(request))
    name = next((p.filename for p in view.attachments if p.index == index), f"deel-{index}")
    if inline and content_type in ("image/png", "image/jpeg", "image/gif"):
        return Response(data, media_type=content_type,
                        headers={"Content-Disposition": "inline"})
    return Response(data, media_type="application/octet-stream", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@router.get("/quarantaine", response_class=HTMLResponse)
def quarantine(request: Request, staff: StaffDep):
    rt = request.app.state.rt
    return page(request, "quarantine.html", staff,
                messages=messages_with_status(rt.engine, "quarantined"))


@router.post("/quarantaine/{message_id}")
async def reprocess(request: Request, message_id: int, staff: StaffDep):
    return await act(request, staff, "/quarantaine", lambda rt, _form: (
        desk.reprocess_quarantined(rt, message_id, by=staff.name)))


@router.get("/uitgaand", response_class=HTMLResponse)
def outgoing(request: Request, staff: StaffDep):
    rt = request.app.state.rt
    return page(request, "outgoing.html", staff,
                failed=list_outbound(rt.engine, status="failed"),
                held=list_outbound(rt.engine, status="held"),
                pending=list_outbound(rt.engine, status="pending"))


@router.post("/uitgaand/{outbound_id}")
async def retry(request: Request, outbound_id: int, staff: StaffDep):
    return await act(request, staff, "/uitgaand", lambda rt, _form: (
        desk.retry_outbound(rt, outbound_id, by=staff.name)))


async def act(request: Request, staff: Staff, path: str, do, *, flush: bool = True
              ) -> RedirectResponse:
    """A staff action: check the form, do it, send any mail it queued, report on ``path``. The
    work runs in a worker thread: the database and the SMTP server never block the event loop,
    so other staff's pages load while a mail goes out."""
    form = await checked_form(request, staff)
    return await run_in_threadpool(_act, request, staff, path, do, form, flush)


def _act(request: Request, staff: Staff, path: str, do, form: dict[str, str], flush: bool
         ) -> RedirectResponse:
    rt = request.app.state.rt
    try:
        message = do(rt, form)
        if flush:  # (an action that queues no mail need not wait for the outbox's backlog)
            flush_outbox(rt.engine, rt.config.smtp, rt.config.worker, tokens=rt.tokens)
    except ActionRefused as e:
        message = str(e)
    return back(request, staff, path, message)



def _seconds(request: Request) -> float:
    """The time budget for taking a stored message apart: the worker's, per message."""
    return request.app.state.rt.config.worker.message_seconds


def not_found():
    raise HTTPException(status_code=404, detail="Niet gevonden.")

