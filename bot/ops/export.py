"""Privacy (AVG art. 15 and 20): everything stored about one person, as JSON-ready values.

In: a session (or the runtime, to audit the request) and an address. Out: a dict of lists
(:func:`export_person`): their attendee rows, the messages they sent with their full text,
their questions, the mail sent to them, staff notes on their questions and attendee rows, and
the audit entries about those rows; staff names are left out throughout. The purge and the
erasure are in :mod:`bot.ops.privacy`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_
from sqlmodel import Session, select

from bot.ops.privacy import normal, pseudonym
from bot.runtime import Runtime
from bot.staff import team
from bot.store.conversation import targets
from bot.store.db import writer
from bot.store.desk_models import AuditEntry, Note
from bot.store.models import Attendee, InboundMessage, OutboundMail, Question, utcnow

_STAFF_DETAIL = {"assign_question"}  # audit actions whose detail names a staff member


def export_person(session: Session, email: str) -> dict:
    """Everything stored about ``email`` (AVG art. 15, 20): attendee rows, messages from
    them, their questions, mail to them, staff notes on those, audit entries about those
    (staff names left out)."""
    address = normal(email)
    attendees = _rows(session, Attendee, func.lower(Attendee.email) == address)
    messages = _rows(session, InboundMessage, func.lower(InboundMessage.sender) == address)
    questions = _rows(session, Question, func.lower(Question.sender) == address)
    replies = _rows(session, OutboundMail, func.lower(OutboundMail.recipient) == address)
    notes = _rows(session, Note, or_(Note.question_id.in_([q.id for q in questions]),
                                     Note.attendee_id.in_([a.id for a in attendees])))
    about = [*targets(attendees=[a.id for a in attendees], messages=[m.id for m in messages],
                      questions=[q.id for q in questions], mails=[r.id for r in replies]),
             pseudonym(address)]
    audit = _rows(session, AuditEntry, or_(AuditEntry.target.in_(about), *(
        func.lower(c).contains(address, autoescape=True)
        for c in (AuditEntry.target, AuditEntry.detail))))
    return {"email": address, "attendees": [_plain(a, omit={"present_by"}) for a in attendees],
            "messages": [_plain(m) for m in messages],
            "questions": [_plain(q, omit={"assignee", "answered_by", "opened_by"})
                          for q in questions],
            "replies": [_plain(r, omit={"dedupe_key"}) for r in replies],
            "notes": [_plain(n, omit={"author"}) for n in notes],
            "audit": [_plain(e, omit={"user"} | ({"detail"} if e.action in _STAFF_DETAIL
                                                   else set())) for e in audit]}


def export_for_request(rt: Runtime, email: str, *, by: str) -> dict:
    """:func:`export_person`, with an audit entry (under the pseudonym) that it was done."""
    with Session(writer(rt.engine)) as session:
        data = export_person(session, email)
        counts = ", ".join(f"{len(v)} {k}" for k, v in data.items() if isinstance(v, list))
        team.audit(session, by, "privacy_export", pseudonym(email), utcnow(), counts)
        session.commit()
    return data


def _rows(session: Session, model, condition) -> list:
    return list(session.exec(select(model).where(condition).order_by(model.id)).all())


def _plain(row, *, omit: frozenset[str] | set[str] = frozenset()) -> dict:
    """A row as JSON-ready values: times in ISO 8601, bytes as (UTF-8) text."""
    def plain(value):
        if isinstance(value, dt.datetime):
            return value.isoformat()
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else value

    return {name: plain(value) for name, value in row.model_dump().items() if name not in omit}
