"""What staff do at the desk: answer and close questions, decide on review items, retry mail.

In: a :class:`~bot.runtime.Runtime`, the id of a question, message or outgoing mail, the
staff member's name and their input. Out: a short Dutch result line for the page, the rows
changed, an audit entry, and mail queued in the outbox (a staff answer is
threaded to the question: In-Reply-To and References, from info@, without Auto-Submitted
because a person wrote it). The web routes and any future command call these; they hold no
business logic themselves.
"""

from __future__ import annotations

from sqlmodel import Session, select

from bot.errors import ActionRefused, MessageRejected
from bot.inbound.parse import parse_message
from bot.outbound.reply import Facts, Purpose, ReplyRequest
from bot.pipeline.budget import run_within
from bot.register import lifecycle
from bot.register.asked import open_question
from bot.register.lifecycle import Notice, Person
from bot.register.record import render_and_queue, reply_for
from bot.runtime import Runtime
from bot.staff import saved, team
from bot.staff.words import label
from bot.store.db import writer
from bot.store.models import (
    AttendeeStatus,
    InboundMessage,
    MessageStatus,
    OutboundMail,
    OutboundStatus,
    Question,
    QuestionStatus,
    utcnow,
)
from bot.store.queries import get_row

DECISIONS = {"registration": "aangemeld", "question": "als vraag behandeld",
             "cancel": "afgemeld", "ignore": "genegeerd"}


def answer_text(rt: Runtime, question: Question, answer: str, by: str) -> str:
    """The full text staff will send: greeting, their answer, signature (for the preview)."""
    language, event, name = _addressee(rt, question)
    return rt.templates.get_template(f"staff_answer.{language}.txt").render(
        name=name, answer=answer.strip(), staff_name=by, event=event)


def saved_reply_for(rt: Runtime, question: Question, reply_id: int) -> str:
    """The saved reply ``reply_id`` filled for the question's sender: in their language, with
    the name the greeting uses (:func:`answer_text`)."""
    language, event, name = _addressee(rt, question)
    return saved.fill(saved.text_for(rt, reply_id, language),
                      saved.values(event, name, language))


def _addressee(rt: Runtime, question: Question):
    """Whom an answer to ``question`` addresses: their language (Dutch unless they wrote
    English), the event their mail is about, and their name as their mail gives it."""
    message = get_row(rt.engine, InboundMessage, question.source_message_id)
    language = "en" if message and message.language == "en" else "nl"
    return (language, rt.config.event_by_key(message.event if message else None),
            _name_of(message, rt.config.worker.message_seconds))


def answer_question(rt: Runtime, question_id: int, answer: str, *, by: str) -> str:
    if not answer.strip():
        raise ActionRefused("Het antwoord is leeg.")
    now = utcnow()
    with Session(writer(rt.engine)) as session:
        question = _open_question(session, question_id)
        message = session.get(InboundMessage, question.source_message_id)
        mail = _stored_mail(rt, message)
        request = ReplyRequest(
            purpose=Purpose.STAFF_ANSWER, language=message.language or "nl",
            recipient=question.sender, name=mail.sender.name if mail.sender else None,
            in_reply_to=mail.message_id, references=mail.references, subject=mail.subject,
            key=f"staff_answer:{question.id}", automatic=False, human=True,
            facts=Facts(answer=answer.strip(), staff_name=by))
        render_and_queue(session, [request], rt.config, rt.templates, source_id=message.id,
                         now=now)
        question.status, question.answer = QuestionStatus.ANSWERED, answer.strip()
        question.answered_by, question.answered_at = by, now
        session.add(question)
        team.audit(session, by, "answer_question", f"question #{question.id}", now)
        session.commit()
    return f"Antwoord op vraag #{question_id} staat klaar om te verzenden."


def close_question(rt: Runtime, question_id: int, *, by: str) -> str:
    now = utcnow()
    with Session(writer(rt.engine)) as session:
        question = _open_question(session, question_id)
        question.status, question.answered_by, question.answered_at = (
            QuestionStatus.CLOSED, by, now)
        session.add(question)
        team.audit(session, by, "close_question", f"question #{question_id}", now)
        session.commit()
    return f"Vraag #{question_id} is gesloten zonder antwoord."


def assign_question(rt: Runtime, question_id: int, assignee: str, *, by: str) -> str:
    """Give the question to the staff account ``assignee`` (empty: to nobody)."""
    now = utcnow()
    who = assignee.strip().lower() or None
    with Session(writer(rt.engine)) as session:
        if who is not None and who not in team.staff_names(session):
            raise ActionRefused("Kies een medewerker uit de lijst.")
        question = _open_question(session, question_id)
        question.assignee = who
        session.add(question)
        team.audit(session, by, "assign_question", f"question #{question_id}", now, who)
        session.commit()
    return f"Vraag #{question_id} is toegewezen aan {who or 'niemand'}."


def decide_review(rt: Runtime, message_id: int, decision: str, *, by: str,
                  event_key: str | None = None) -> str:
    """Staff's decision on a message the bot left for review (see DECISIONS), for the event
    staff chose (``event_key``), else the one the message named, else the first."""
    if decision not in DECISIONS:
        raise ActionRefused(f"Onbekende beslissing: {decision}")
    now = utcnow()
    with Session(writer(rt.engine)) as session:
        lifecycle.lock_events(session, rt.config.events)  # events first, as every change does
        message = session.get(InboundMessage, message_id, with_for_update=True)  # one decision
        if message is None or message.status != MessageStatus.NEEDS_REVIEW:
            raise ActionRefused("Dit bericht wacht niet (meer) op een beslissing.")
        event = rt.config.event_by_key(event_key or message.event)
        mail = _stored_mail(rt, message) if decision != "ignore" else None  # gone after a purge
        attendee = lifecycle.find_attendee(session, event, message.sender)
        notices: list[Notice] = []
        if decision == "registration":
            if attendee is not None and attendee.status in lifecycle.LIVE:
                raise ActionRefused(f"{message.sender} is al "
                                    f"{label(attendee.status, 'attendee')}.")
            _, notice = lifecycle.register(session, event, email=message.sender, person=Person(
                language=message.language or "nl", source_message_id=message.id))
            notices.append(notice)
        elif decision == "cancel":
            if attendee is None or attendee.status == AttendeeStatus.CANCELLED:
                raise ActionRefused(f"{message.sender} is niet aangemeld.")
            notices = lifecycle.cancel(session, event, attendee)
        elif decision == "question" and not session.exec(select(Question).where(
                Question.source_message_id == message.id)).first():
            open_question(session, rt.config.questions, source_id=message.id,
                          sender=message.sender or "", subject=message.subject,
                          text=mail.new_text or mail.text)
        for notice in notices:
            request = reply_for(session, notice, rt.config,
                                mail=mail if notice.in_reply else None,
                                language=message.language or "nl", row=message, automatic=False,
                                event=event)
            render_and_queue(session, [request], rt.config, rt.templates,
                             source_id=message.id, now=now)
        message.status = MessageStatus.IGNORED if decision == "ignore" else (
            MessageStatus.PROCESSED)
        message.reasons = [*message.reasons, f"staff_{decision}"]
        session.add(message)
        team.audit(session, by, f"review_{decision}", f"message #{message_id}", now)
        session.commit()
    return f"Bericht #{message_id}: {DECISIONS[decision]}."


def retry_outbound(rt: Runtime, outbound_id: int, *, by: str) -> str:
    now = utcnow()
    with Session(writer(rt.engine)) as session:
        row = session.get(OutboundMail, outbound_id)
        if row is None or row.status != OutboundStatus.FAILED:
            raise ActionRefused("Deze e-mail is niet mislukt.")
        row.status, row.attempts, row.next_attempt_at = OutboundStatus.PENDING, 0, now
        session.add(row)
        team.audit(session, by, "retry_outbound", f"outbound #{outbound_id}", now)
        session.commit()
    return f"E-mail #{outbound_id} wordt opnieuw verzonden."


def reprocess_quarantined(rt: Runtime, message_id: int, *, by: str) -> str:
    """Run a quarantined message through the pipeline again (after a fix or a new limit)."""
    from bot.inbound.mailbox import FetchedMessage
    from bot.pipeline.flow import handle_message
    from bot.register.recorded import Location
    with Session(writer(rt.engine)) as session:
        message = session.get(InboundMessage, message_id)
        if message is None or message.status != MessageStatus.QUARANTINED or not message.raw:
            raise ActionRefused("Dit bericht staat niet (meer) in quarantaine.")
        if not message.raw_complete:
            raise ActionRefused("Van dit bericht is alleen de kop bewaard (het was te groot). "
                                "Verhoog worker.max_message_bytes en zet het bericht in de "
                                "mailbox terug in de inbox; de bot verwerkt het dan opnieuw.")
        raw, received_at = message.raw, message.received_at
        location = Location(message.folder, message.uidvalidity, message.uid)
        session.delete(message)
        team.audit(session, by, "reprocess", f"message #{message_id}", utcnow())
        session.commit()
    fetched = FetchedMessage(location.uid, len(raw), raw, received_at=received_at)
    handled = handle_message(fetched, location, rt)  # too old: still no automatic reply
    return f"Bericht opnieuw verwerkt: {handled.kind} ({handled.fate})."


def _open_question(session: Session, question_id: int) -> Question:
    """The open question, locked for the rest of the transaction (on PostgreSQL: two staff
    members who close and send at once do not both succeed)."""
    question = session.exec(select(Question).where(Question.id == question_id)
                            .with_for_update()).first()
    if question is None or question.status != QuestionStatus.OPEN:
        raise ActionRefused("Deze vraag is niet (meer) open.")
    return question


def _name_of(message: InboundMessage | None, seconds: float) -> str:
    if message is None or message.raw is None:
        return ""
    try:
        mail = run_within(seconds, _parse, message.raw, len(message.raw) + 1)
    except MessageRejected:  # a stored message that cannot be read again: no name, then
        return ""
    return mail.sender.name if mail.sender and mail.sender.name else ""


def _stored_mail(rt: Runtime, message: InboundMessage | None):
    """The parsed stored message; refused once the retention purge emptied it."""
    if message is None or not message.raw:
        raise ActionRefused("Dit bericht is na de bewaartermijn verwijderd; er kan niet meer "
                            "op worden gereageerd.")
    try:
        return run_within(rt.config.worker.message_seconds, _parse, message.raw,
                          rt.config.worker.max_message_bytes)
    except MessageRejected as e:
        raise ActionRefused(f"Dit bericht kan niet opnieuw worden gelezen: {e}") from e


def _parse(raw: bytes, max_bytes: int):
    return parse_message(raw, max_bytes=max_bytes)
