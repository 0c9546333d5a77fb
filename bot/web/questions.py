"""The staff pages about questions (Dutch): the queue, and one question with everything to
answer it.

In: HTTP requests from a logged-in staff member. Out: the queue (:class:`~bot.store.queue.View`
tabs and a search sent as a form, so that the search text stays out of URLs and access logs),
and the question page. Everything done on a question goes through one form, so that what a
staff member typed is never lost: a preview, a saved reply put into the answer, a note, an
assignment or a refusal shows the page again with the answer as it was; sending and closing go
back to the queue. The work itself is done by :mod:`bot.staff.desk` and :mod:`bot.staff.team`.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from bot.errors import ActionRefused
from bot.outbound.outbox import flush_outbox
from bot.staff import desk, saved, sorting, team
from bot.store.conversation import conversation
from bot.store.models import InboundMessage, Question, utcnow
from bot.store.queries import attendee_by_email, get_row
from bot.store.queue import DONE_SHOWN, OPEN_SHOWN, View, question_queue
from bot.web.deps import checked_form, row_number
from bot.web.labels import VIEWS
from bot.web.routes import StaffDep, back, not_found, page

router = APIRouter()


@router.get("/vragen", response_class=HTMLResponse)
def questions(request: Request, staff: StaffDep):
    return _queue_page(request, staff, request.query_params.get("toon", ""), "")


@router.post("/vragen", response_class=HTMLResponse)
async def search_questions(request: Request, staff: StaffDep):
    form = await checked_form(request, staff)
    return await run_in_threadpool(_queue_page, request, staff, form.get("toon", ""),
                                   form.get("q", "")[:200], form.get("onderwerp", ""))


def _queue_page(request: Request, staff, view: str, search: str, about: str = ""
                ) -> HTMLResponse:
    """The queue's tab ``view``, searched for ``search``, of the topic ``about`` (a value of
    :func:`bot.staff.sorting.choices`; empty or unknown: every topic)."""
    rt = request.app.state.rt
    shown = View(view) if view in set(View) else View.OPEN
    try:
        topic, theme = sorting.chosen(rt.config.questions, about)
        only = (topic, theme.name if theme else None)
    except ActionRefused:
        about, only = "", None
    rows = question_queue(rt.engine, shown, me=staff.name, search=search,
                          default_event=rt.config.event.key, topic=only)
    choices = sorting.choices(rt.config.questions)
    return page(request, "questions.html", staff, rows=rows, view=shown, views=VIEWS,
                q=search, about=about, topics=choices,
                about_words=dict(choices).get(about, ""), now=utcnow(),
                limit=DONE_SHOWN if shown is View.DONE else OPEN_SHOWN)


@router.get("/vragen/{question_id}", response_class=HTMLResponse)
def question(request: Request, question_id: int, staff: StaffDep):
    return _question_page(request, staff, question_id)


def _question_page(request: Request, staff, question_id: int, *, answer: str = "",
                   preview: str | None = None, said: str | None = None) -> HTMLResponse:
    rt = request.app.state.rt
    now = utcnow()
    colleague = team.opened(rt, question_id, by=staff.name, now=now)
    row = get_row(rt.engine, Question, question_id) or not_found()
    message = get_row(rt.engine, InboundMessage, row.source_message_id)
    attendee = _attendee_of(rt, row, message)
    with Session(rt.engine) as session:
        colleagues = team.staff_names(session)
        replies = saved.all_replies(session)
        notes = team.notes_on(session, question_id=question_id,
                              attendee_id=attendee.id if attendee else None)
        session.expunge_all()
    return page(request, "question.html", staff, question=row, message=message,
                verified=bool(message and message.verified), attendee=attendee,
                answer=answer, preview=preview, colleagues=colleagues, now=now,
                colleague=colleague, notes=notes, replies=replies,
                topics=sorting.choices(rt.config.questions), notice=said,
                zone=ZoneInfo(rt.config.event_by_key(message.event if message else None)
                              .timezone))


@router.post("/vragen/{question_id}", response_class=HTMLResponse)
async def question_action(request: Request, question_id: int, staff: StaffDep) -> Response:
    form = await checked_form(request, staff)  # the work, in a worker thread (SMTP, database)
    return await run_in_threadpool(_act_on_question, request, question_id, staff, form)


def _act_on_question(request: Request, question_id: int, staff, form: dict[str, str]
                     ) -> Response:
    rt = request.app.state.rt
    action, answer = form.get("action", ""), form.get("answer", "")
    row = get_row(rt.engine, Question, question_id) or not_found()
    try:
        if action == "send":
            said = desk.answer_question(rt, question_id, answer, by=staff.name)
            flush_outbox(rt.engine, rt.config.smtp, rt.config.worker, tokens=rt.tokens)
            return back(request, staff, "/vragen", said)
        if action == "close":
            return back(request, staff, "/vragen",
                        desk.close_question(rt, question_id, by=staff.name))
        if action == "preview":
            return _question_page(request, staff, question_id, answer=answer,
                                  preview=desk.answer_text(rt, row, answer, staff.name))
        if action == "insert":  # a saved reply into the answer box, filled, still editable
            reply_id = row_number(form.get("saved", ""))
            if reply_id is None:
                raise ActionRefused("Kies een standaardantwoord.")
            text = desk.saved_reply_for(rt, row, reply_id)
            answer = "\n\n".join(part for part in (answer.strip(), text) if part)
            said = None
        elif action in ("note_question", "note_attendee"):
            person = _attendee_of(rt, row)  # the sender's row, looked up here, not sent
            if action == "note_attendee" and person is None:
                raise ActionRefused("De afzender van deze vraag is geen deelnemer.")
            where = ({"question_id": question_id} if action == "note_question" else
                     {"attendee_id": person.id})
            said = team.add_note(rt, form.get("note", ""), by=staff.name, now=utcnow(),
                                 **where)
        elif action == "sort":
            said = sorting.sort_question(rt, question_id, form.get("onderwerp", ""),
                                         by=staff.name)
        elif action == "assign":
            said = desk.assign_question(rt, question_id, form.get("assignee", ""),
                                        by=staff.name)
        else:
            raise ActionRefused("Onbekende actie.")
    except ActionRefused as e:
        said = str(e)
    return _question_page(request, staff, question_id, answer=answer, said=said)


@router.get("/gesprek/{message_id}", response_class=HTMLResponse)
def talk(request: Request, message_id: int, staff: StaffDep):
    """The conversation with the sender of message ``message_id`` (a number in the URL, never
    the address)."""
    rt = request.app.state.rt
    message = get_row(rt.engine, InboundMessage, message_id) or not_found()
    if not message.sender:
        not_found()
    return page(request, "conversation.html", staff,
                talk=conversation(rt.engine, message.sender),
                event_names={e.key: e.name for e in rt.config.events},
                zone=ZoneInfo(rt.config.event.timezone))


def _attendee_of(rt, question: Question, message: InboundMessage | None = None):
    """The sender's attendee row for the event their mail is about, if any."""
    message = message or get_row(rt.engine, InboundMessage, question.source_message_id)
    event = rt.config.event_by_key(message.event if message else None)
    return attendee_by_email(rt.engine, event.key, question.sender) if question.sender else None
