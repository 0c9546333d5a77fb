"""The desk's group mail (``/groepsmail``): write one mail, choose a group, look, test, send;
then follow its progress per person.

In: HTTP requests from a logged-in staff member. Out:

- ``GET /groepsmail``: the form (event, group, Dutch and English subject and text; ``?groep=``
  chooses the group, as the overview's follow-up links do) and the event's earlier group mails
  with their progress;
- ``POST /groepsmail``: the form again, with what was typed and one of three buttons:
  *Bekijken* shows how many and who get it (and who had it already) and the mail per language
  as they read it (its HTML in a sandboxed frame, as on *Voorbeelden*, and its plain text);
  *Testmail* sends it to the staff member's own address at once (that mail alone);
  *Versturen* (shown with the preview) queues it for the worker, which sends it at the
  outbox's pace, but only the text and group that were previewed
  (:attr:`~bot.staff.announce.Draft.seen` goes with the form, and a change is previewed again
  instead of sent), and goes to its progress page;
- ``GET /groepsmail/{id}``: "31 van 40 verstuurd" and the result per person; the page reloads
  itself every 10 seconds (a meta refresh: no script on this page) until nothing waits.

The work is done by :mod:`bot.staff.announce` and :mod:`bot.staff.progress`, in a worker thread.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from bot.errors import ActionRefused
from bot.outbound.outbox import flush_outbox
from bot.staff import announce, saved
from bot.staff.progress import of_event, progress
from bot.store.desk_models import Group
from bot.web.deps import PREVIEW_CSP, checked_form, row_number
from bot.web.routes import StaffDep, back, not_found, page, page_event

router = APIRouter()
FIELDS = ("event", "group", "subject_nl", "body_nl", "subject_en", "body_en")
REFRESH_SECONDS = 10


@router.get("/groepsmail", response_class=HTMLResponse)
def compose(request: Request, staff: StaffDep):
    group = request.query_params.get("groep", "")
    shown = {key: "" for key in FIELDS} | {
        "event": page_event(request).key,
        "group": group if group in set(Group) else str(Group.REGISTERED)}
    return _page(request, staff, shown)


@router.post("/groepsmail", response_model=None)
async def submit(request: Request, staff: StaffDep) -> HTMLResponse | RedirectResponse:
    form = await checked_form(request, staff)
    return await run_in_threadpool(_submit, request, staff, form)


def _submit(request: Request, staff, form: dict[str, str]) -> HTMLResponse | RedirectResponse:
    rt = request.app.state.rt
    shown = {key: form.get(key, "") for key in FIELDS}
    try:
        draft = announce.check_draft(
            rt, event_key=shown["event"], group=shown["group"], subject_nl=shown["subject_nl"],
            body_nl=shown["body_nl"], subject_en=shown["subject_en"], body_en=shown["body_en"])
        action = form.get("do")
        if action == "send" and form.get("seen") == draft.seen:
            group_mail_id, said = announce.queue_group_mail(rt, draft, by=staff.name)
            return back(request, staff, f"/groepsmail/{group_mail_id}", said)
        said = None
        if action == "test":  # sent now, ahead of the waiting mail, and nothing else with it
            address, ids = announce.queue_test(rt, draft, by=staff.name)
            went = flush_outbox(rt.engine, rt.config.smtp, rt.config.worker,
                                tokens=rt.tokens, only=ids).sent
            said = (f"Testmail verstuurd naar {address}." if went == len(ids) else
                    f"Testmail voor {address} staat klaar; de mailserver nam hem nog niet aan "
                    "(zie Uitgaande mail).")
        if action == "send":  # the text or the group changed since the preview: look again
            said = "De tekst of de groep is veranderd sinds u keek: bekijk hem opnieuw."
        return _page(request, staff, shown, said, announce.preview(rt, draft))
    except ActionRefused as e:
        return _page(request, staff, shown, str(e))


def _page(request: Request, staff, shown: dict[str, str], said: str | None = None,
          preview: announce.Preview | None = None) -> HTMLResponse:
    rt = request.app.state.rt
    event = rt.config.event_by_key(shown["event"] or None)
    response = page(request, "groupmail.html", staff, shown=shown, groups=list(Group),
                    placeholders=saved.PLACEHOLDERS, preview=preview,
                    earlier=of_event(rt.engine, event.key), notice=said)
    response.headers["Content-Security-Policy"] = PREVIEW_CSP  # the logo in the preview
    return response


@router.get("/groepsmail/{number}", response_class=HTMLResponse)
def results(request: Request, number: str, staff: StaffDep):
    rt = request.app.state.rt
    group_mail_id = row_number(number)
    found = progress(rt.engine, group_mail_id) if group_mail_id is not None else None
    if found is None:
        not_found()
    event = rt.config.event_by_key(found.mail.event)
    return page(request, "groupmail_progress.html", staff, found=found,
                zone=ZoneInfo(event.timezone), refresh=None if found.done else REFRESH_SECONDS)

