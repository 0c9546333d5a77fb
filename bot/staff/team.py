"""Staff working together at the desk: who a question can go to, who else has it open, and the
internal notes they leave each other; and the audit log every staff action writes to.

In: the runtime (or, to read, a session), a staff member's name and the time. Out: the names of
the active staff accounts (:func:`staff_names`, the list a question is assigned from), which
colleague opened a question shortly before (:func:`opened`), and notes on a question or an
attendee (:func:`add_note`, :func:`notes_on`). A note never leaves the desk: no mail carries
it, only the person's own export (bot.ops.export) holds it, and the retention purge and an
erasure delete it. The audit log records that a note was added, never its text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import Session, col, select

from bot.errors import ActionRefused
from bot.runtime import Runtime
from bot.store.db import writer
from bot.store.desk_models import AuditEntry, Note, StaffUser
from bot.store.models import Attendee, Question

COLLEAGUE_WINDOW = dt.timedelta(minutes=5)
MAX_NOTE = 2000  # characters


def audit(session: Session, user: str, action: str, target: str, now: dt.datetime,
          detail: str | None = None) -> None:
    """Record in the caller's transaction that ``user`` did ``action`` to ``target`` (a row
    by its number, never a name or an address)."""
    session.add(AuditEntry(at=now, user=user, action=action, target=target, detail=detail))


def staff_names(session: Session) -> list[str]:
    """The user names of the active staff accounts, the people a question can go to."""
    return list(session.exec(select(StaffUser.username).where(StaffUser.active)
                             .order_by(StaffUser.username)))


@dataclass(frozen=True)
class Opened:
    """A colleague who opened a question shortly before."""

    who: str
    at: dt.datetime


def opened(rt: Runtime, question_id: int, *, by: str, now: dt.datetime) -> Opened | None:
    """Note that ``by`` opened the question in the desk; return which colleague opened it
    within :data:`COLLEAGUE_WINDOW` before, and when (None: nobody), so that two people do not
    answer the same question."""
    with Session(writer(rt.engine)) as session:
        question = session.get(Question, question_id)
        if question is None:
            return None
        before = (question.opened_by, question.opened_at)
        question.opened_by, question.opened_at = by, now
        session.add(question)
        session.commit()
    who, when = before
    if who and who != by and when is not None and now - when <= COLLEAGUE_WINDOW:
        return Opened(who, when)
    return None


def add_note(rt: Runtime, text: str, *, by: str, now: dt.datetime,
             question_id: int | None = None, attendee_id: int | None = None) -> str:
    """Add ``by``'s note to a question or an attendee; return what the desk says."""
    text = text.strip()
    if not text:
        raise ActionRefused("Een lege notitie is niet bewaard.")
    if len(text) > MAX_NOTE:
        raise ActionRefused(f"Een notitie is hoogstens {MAX_NOTE} tekens lang.")
    with Session(writer(rt.engine)) as session:
        if question_id is not None and session.get(Question, question_id) is None:
            raise ActionRefused("Deze vraag bestaat niet (meer).")
        if attendee_id is not None and session.get(Attendee, attendee_id) is None:
            raise ActionRefused("Deze deelnemer bestaat niet (meer).")
        session.add(Note(question_id=question_id, attendee_id=attendee_id, author=by,
                         text=text, created_at=now))
        audit(session, by, "add_note", f"question #{question_id}" if question_id is not None
              else f"attendee #{attendee_id}", now)
        session.commit()
    return "De notitie is bewaard; alleen medewerkers zien haar."


def notes_on(session: Session, *, question_id: int | None = None,
             attendee_id: int | None = None) -> list[Note]:
    """The notes on the question and on the attendee, oldest first."""
    conditions = [*([col(Note.question_id) == question_id] if question_id else []),
                  *([col(Note.attendee_id) == attendee_id] if attendee_id else [])]
    if not conditions:
        return []
    return list(session.exec(select(Note).where(or_(*conditions))
                             .order_by(Note.created_at, Note.id)))
