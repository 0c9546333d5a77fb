"""Record stage: a classified message in, database rows out (in the caller's transaction).

In: where the message lives (:class:`Location`), its raw bytes, the :class:`~bot.parse.ParsedMail`
and :class:`~bot.classify.Verdict`. Out: the ``InboundMessage`` row, its effect (an attendee
registered, wait-listed, cancelled or pending review; a question opened) and the replies to send,
as :class:`~bot.reply.ReplyRequest` values that the pipeline renders into the outbox in the same
transaction. What to do is decided by the pure :func:`plan_effect`; this module only applies it.

Idempotence: a message already recorded by location (folder, UIDVALIDITY, UID), by Message-ID or
by sha256 is found by :func:`find_recorded` and changes nothing; unique keys back that up when
two workers race.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlmodel import Session, select

from bot.classify import Kind, Verdict
from bot.models import (
    Attendee,
    AttendeeStatus,
    InboundMessage,
    MailboxState,
    MessageStatus,
    OutboundMail,
    Question,
    utcnow,
)
from bot.parse import ParsedMail
from bot.reply import OutgoingMail, Purpose, ReplyRequest

log = logging.getLogger(__name__)

ACTIVE = (AttendeeStatus.REGISTERED, AttendeeStatus.WAITLISTED)


@dataclass(frozen=True)
class Location:
    """Where a message lives in the mailbox: the IMAP identity of DESIGN.md §4."""

    folder: str
    uidvalidity: int
    uid: int


@dataclass(frozen=True)
class Effect:
    """What one message does: a new attendee status, a question, a reply, the message status."""

    status: MessageStatus
    attendee: AttendeeStatus | None = None
    open_question: bool = False
    reply: Purpose | None = None


def sha256_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def plan_effect(verdict: Verdict, *, existing: AttendeeStatus | None, seats_left: int) -> Effect:
    """Decide what a message does, from its verdict and the sender's current attendee status.

    The bot registers or cancels on its own only when the verdict ``acts_alone`` (a verified
    sender, writing to us, for themselves); it answers only when it ``may_reply``.
    """
    if verdict.kind is Kind.AUTOMATIC:
        return Effect(MessageStatus.IGNORED)
    if verdict.sender is None or verdict.kind is Kind.OTHER:
        return Effect(MessageStatus.NEEDS_REVIEW)
    status = MessageStatus.NEEDS_REVIEW if verdict.needs_review else MessageStatus.PROCESSED
    asks = verdict.has_question

    def reply(purpose: Purpose) -> Purpose | None:
        return purpose if verdict.may_reply else None

    if verdict.kind is Kind.QUESTION:
        return Effect(status, open_question=True, reply=reply(Purpose.QUESTION_RECEIVED))
    if verdict.kind is Kind.REGISTRATION:
        if existing in ACTIVE and verdict.acts_alone:
            return Effect(status, open_question=asks, reply=reply(Purpose.ALREADY_REGISTERED))
        if existing in ACTIVE:
            return Effect(MessageStatus.NEEDS_REVIEW, open_question=asks)
        if not verdict.acts_alone:
            return Effect(MessageStatus.NEEDS_REVIEW, AttendeeStatus.PENDING_REVIEW, asks)
        if seats_left > 0:
            return Effect(status, AttendeeStatus.REGISTERED, asks,
                          reply(Purpose.REGISTRATION_CONFIRMED))
        return Effect(status, AttendeeStatus.WAITLISTED, asks, reply(Purpose.WAITLISTED))
    # cancellation: only a verified sender with a live registration is cancelled automatically
    if verdict.acts_alone and existing in (*ACTIVE, AttendeeStatus.PENDING_REVIEW):
        return Effect(status, AttendeeStatus.CANCELLED, asks,
                      reply(Purpose.CANCELLATION_CONFIRMED))
    return Effect(MessageStatus.NEEDS_REVIEW)


def find_recorded(session: Session, location: Location, *, message_id: str | None,
                  sha256: str) -> InboundMessage | None:
    """The row of a message already recorded under this location, Message-ID or content."""
    conditions = [
        (InboundMessage.folder == location.folder)
        & (InboundMessage.uidvalidity == location.uidvalidity)
        & (InboundMessage.uid == location.uid),
        InboundMessage.sha256 == sha256,
    ]
    if message_id:
        conditions.append(InboundMessage.message_id == message_id)
    return session.exec(select(InboundMessage).where(or_(*conditions))).first()


def recorded_uids(session: Session, folder: str, uidvalidity: int, uids: list[int]
                  ) -> dict[int, str]:
    """Which of ``uids`` are already recorded (handled, perhaps not yet moved), with status."""
    found: dict[int, str] = {}
    for start in range(0, len(uids), 500):
        chunk = uids[start:start + 500]
        rows = session.exec(select(InboundMessage.uid, InboundMessage.status).where(
            InboundMessage.folder == folder, InboundMessage.uidvalidity == uidvalidity,
            InboundMessage.uid.in_(chunk)))
        found.update(dict(rows.all()))
    return found


def record_message(session: Session, location: Location, raw: bytes, mail: ParsedMail,
                   verdict: Verdict, *, event_key: str, capacity: int
                   ) -> tuple[InboundMessage, Effect, list[ReplyRequest]]:
    """Add the message row and its effect to ``session``; return the replies to render."""
    attendee = None
    if verdict.sender:
        attendee = session.exec(select(Attendee).where(
            Attendee.event == event_key, Attendee.email == verdict.sender)).first()
    taken = session.exec(select(func.count()).select_from(Attendee).where(
        Attendee.event == event_key, Attendee.status == AttendeeStatus.REGISTERED)).one()
    existing = AttendeeStatus(attendee.status) if attendee else None
    effect = plan_effect(verdict, existing=existing, seats_left=capacity - taken)
    row = InboundMessage(
        folder=location.folder, uidvalidity=location.uidvalidity, uid=location.uid,
        message_id=mail.message_id, sha256=sha256_of(raw), sender=verdict.sender,
        subject=mail.subject, language=verdict.language, kind=verdict.kind,
        has_question=verdict.has_question, confidence=verdict.confidence,
        reasons=list(verdict.reasons), status=effect.status, raw=raw,
    )
    session.add(row)
    session.flush()
    if effect.attendee is not None:
        attendee = _set_attendee(session, attendee, effect.attendee, verdict, event_key, row.id)
    if verdict.kind is Kind.AUTOMATIC and mark_undeliverable(session, mail.failed_recipients,
                                                             event_key):
        log.info("uid=%s: bounce for an attendee; marked undeliverable", location.uid)
    if effect.open_question:
        session.add(Question(source_message_id=row.id, sender=verdict.sender or "",
                             subject=mail.subject, text=mail.new_text or mail.text))
    request = None
    if effect.reply is not None:
        request = _reply_request(session, effect.reply, mail, verdict, attendee, row, event_key)
    return row, effect, [request] if request else []


def record_quarantine(session: Session, location: Location, raw: bytes, error: str,
                      ) -> InboundMessage | None:
    """Add a quarantined message row; ``None`` if this content was recorded before."""
    sha = sha256_of(raw)
    if find_recorded(session, location, message_id=None, sha256=sha):
        return None
    row = InboundMessage(folder=location.folder, uidvalidity=location.uidvalidity,
                         uid=location.uid, sha256=sha, status=MessageStatus.QUARANTINED,
                         error=error[:2000], raw=raw)
    session.add(row)
    return row


def queue_outgoing(session: Session, mail: OutgoingMail, *, key: str,
                   source_id: int | None) -> None:
    """Put a rendered reply in the outbox; it is sent after the transaction commits."""
    session.add(OutboundMail(purpose=mail.purpose, dedupe_key=key, recipient=mail.recipient,
                             message_id=mail.message_id, in_reply_to=mail.in_reply_to,
                             raw=mail.raw, source_message_id=source_id))


def advance_checkpoint(session: Session, folder: str, uidvalidity: int, uid: int) -> None:
    """Remember the highest UID handled in ``folder``; a new UIDVALIDITY starts afresh."""
    state = session.exec(select(MailboxState).where(MailboxState.folder == folder)).first()
    if state is None:
        state = MailboxState(folder=folder, uidvalidity=uidvalidity, highest_uid=0)
    elif state.uidvalidity != uidvalidity:
        log.warning("%s: UIDVALIDITY changed from %s to %s; rescanning, deduplicating on content",
                    folder, state.uidvalidity, uidvalidity)
        state.uidvalidity, state.highest_uid = uidvalidity, 0
    state.highest_uid = max(state.highest_uid, uid)
    state.last_poll_at = utcnow()
    session.add(state)


def _set_attendee(session: Session, attendee: Attendee | None, status: AttendeeStatus,
                  verdict: Verdict, event_key: str, source_id: int | None) -> Attendee:
    details = verdict.details
    if attendee is None:
        attendee = Attendee(event=event_key, email=verdict.sender or "", status=status,
                            language=verdict.language, source_message_id=source_id)
    attendee.status, attendee.updated_at = status, utcnow()
    if status is not AttendeeStatus.CANCELLED:
        attendee.source_message_id = source_id
        attendee.name = details.name or attendee.name
        attendee.party = details.party or attendee.party
        attendee.on_behalf_of = details.on_behalf_of or attendee.on_behalf_of
        attendee.notes = _notes_for_staff(details) or attendee.notes
    session.add(attendee)
    session.flush()
    return attendee


def _notes_for_staff(details) -> str | None:
    extra = "; ".join(f"{p.name or ''} {p.email or ''}".strip() for p in details.extra_people)
    parts = [details.notes or "", f"also named: {extra}" if extra else ""]
    return " | ".join(p for p in parts if p) or None


def mark_undeliverable(session: Session, addresses: tuple[str, ...], event_key: str) -> int:
    """A bounce says these addresses failed: flag their attendee rows for staff."""
    if not addresses:
        return 0
    rows = session.exec(select(Attendee).where(Attendee.event == event_key,
                                               Attendee.email.in_(addresses))).all()
    for attendee in rows:
        attendee.undeliverable, attendee.updated_at = True, utcnow()
        session.add(attendee)
    return len(rows)


def _reply_request(session: Session, purpose: Purpose, mail: ParsedMail, verdict: Verdict,
                   attendee: Attendee | None, row: InboundMessage, event_key: str
                   ) -> ReplyRequest | None:
    extra: dict[str, object] = {"has_question": verdict.has_question}
    if purpose is Purpose.ALREADY_REGISTERED and attendee is not None:
        key = f"{purpose}:{attendee.id}"  # once per attendee, not again for a third sign-up
        if session.exec(select(OutboundMail.id).where(OutboundMail.dedupe_key == key)).first():
            return None
        extra["status_text_nl"] = {"registered": "bevestigd", "waitlisted": "op de wachtlijst"
                                   }.get(attendee.status, attendee.status)
        extra["status_text_en"] = {"registered": "confirmed", "waitlisted": "on the waiting list"
                                   }.get(attendee.status, attendee.status)
    else:
        key = f"{purpose}:{row.id}"
    if purpose is Purpose.WAITLISTED and attendee is not None:
        extra["position"] = session.exec(select(func.count()).select_from(Attendee).where(
            Attendee.event == event_key, Attendee.status == AttendeeStatus.WAITLISTED,
            Attendee.id <= attendee.id)).one()
    return ReplyRequest(purpose=purpose, language=verdict.language, recipient=verdict.sender or "",
                        name=verdict.name, in_reply_to=mail.message_id,
                        references=mail.references, subject=mail.subject, key=key, extra=extra)
