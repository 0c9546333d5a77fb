"""Record stage: a classified message in, database rows out (in the caller's transaction).

In: where the message lives (:class:`Location`), its raw bytes, the
:class:`~bot.inbound.parse.ParsedMail` and :class:`~bot.judge.classify.Verdict`, the configuration
and the time. Out: the ``InboundMessage`` row, its :class:`~bot.register.effects.Effect` (attendees
registered, wait-listed, cancelled or pending review; a question opened) and the replies to send, as
:class:`~bot.outbound.reply.ReplyRequest` values that the pipeline renders into the outbox in the
same transaction. Replies pass the reply limits (:mod:`bot.outbound.limits`) first.

Idempotence: a message already recorded by location (folder, UIDVALIDITY, UID), by Message-ID or by
sha256 is found by :func:`find_recorded` and changes nothing; unique keys back that up when two
workers race.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, replace

from sqlalchemy import or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from bot.config.load import Config, EventConfig
from bot.inbound.parse import ParsedMail
from bot.judge.classify import Kind, Verdict
from bot.judge.events import EventChoice, choose_event
from bot.judge.trust import Auth
from bot.outbound.calendar import Invite, invite_uid
from bot.outbound.limits import SAME_REPLY, blocked_by_limits
from bot.outbound.reply import OutgoingMail, Purpose, ReplyRequest
from bot.register import lifecycle
from bot.register.effects import Effect, apply_effect, plan_effect
from bot.register.lifecycle import Notice
from bot.store.models import (
    Attendee,
    AttendeeStatus,
    InboundMessage,
    MailboxState,
    MessageStatus,
    OutboundMail,
    OutboundStatus,
    Question,
    utcnow,
)

log = logging.getLogger(__name__)

INVITES = {Purpose.REGISTRATION_CONFIRMED: "REQUEST", Purpose.EVENT_UPDATED: "REQUEST",
           Purpose.CANCELLATION_CONFIRMED: "CANCEL"}


@dataclass(frozen=True)
class Location:
    """Where a message lives in the mailbox: the IMAP identity of DESIGN.md §4."""

    folder: str
    uidvalidity: int
    uid: int


def sha256_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


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
                   verdict: Verdict, config: Config, *, received_at: dt.datetime | None,
                   now: dt.datetime) -> tuple[InboundMessage, Effect, list[ReplyRequest]]:
    """Add the message row and its effect to ``session``; return the replies to render."""
    choice = event_of(session, mail, verdict, config)
    event = choice.event or config.event  # an unclear event changes nobody's seat (below)
    if verdict.kind in (Kind.REGISTRATION, Kind.CANCELLATION):
        lifecycle.lock_event(session, event)  # the sender's status must not change under us
    attendee = lifecycle.find_attendee(session, event, verdict.sender)
    max_age = dt.timedelta(hours=config.worker.autoreply_max_age_hours)
    too_old = received_at is not None and now - received_at > max_age
    effect = plan_effect(
        verdict, existing=AttendeeStatus(attendee.status) if attendee else None,
        seats_left=event.capacity - lifecycle.seats_taken(session, event),
        window=event.registration_state(now), too_old=too_old)
    if choice.event is None and verdict.kind in (Kind.REGISTRATION, Kind.CANCELLATION):
        effect = Effect(MessageStatus.NEEDS_REVIEW, open_question=effect.open_question)
    reasons = [*verdict.reasons, *(["older_than_autoreply_cutoff"] if too_old else []),
               *([choice.reason] if choice.reason else [])]
    row = InboundMessage(
        folder=location.folder, uidvalidity=location.uidvalidity, uid=location.uid,
        message_id=mail.message_id, sha256=sha256_of(raw), sender=verdict.sender,
        subject=mail.subject, language=verdict.language, kind=verdict.kind,
        has_question=verdict.has_question, confidence=verdict.confidence,
        reasons=reasons, status=effect.status, raw=raw,
        event=choice.event.key if choice.event else None,
    )
    session.add(row)
    session.flush()
    notices = apply_effect(session, effect, verdict, config, event, attendee=attendee,
                           source_id=row.id)
    if effect.open_question:
        session.add(Question(source_message_id=row.id, sender=verdict.sender or "",
                             subject=mail.subject,  # what staff must answer, the question itself
                             text="\n".join(verdict.questions) or mail.new_text or mail.text))
    if verdict.kind is Kind.AUTOMATIC and mark_undeliverable(session, mail.failed_recipients,
                                                             mail.bounced_ids):
        log.info("uid=%s: bounce of our mail to an attendee; marked undeliverable", location.uid)
    requests = []
    echo = verdict.auth is Auth.DOMAIN  # only then did our server vouch for name and subject
    for notice in notices:
        if notice.in_reply and effect.reply is None:
            continue  # the plan said: do not answer this message
        request = reply_for(session, notice, config, mail=mail if notice.in_reply else None,
                            language=verdict.language, name=verdict.name if echo else None,
                            row=row, event=event, echo=echo)
        if notice.in_reply:  # the reply also says that the question was received
            request = replace(request, unverified=not verdict.verified,
                              extra={**request.extra, "has_question": effect.open_question})
        blocked = request.automatic and blocked_by_limits(
            session, recipient=request.recipient, purpose=request.purpose,
            verified=not request.unverified, now=now, limits=config.limits)
        if blocked:
            log.warning("uid=%s: %s reply %s: %s", location.uid, request.purpose,
                        "not sent" if blocked == SAME_REPLY else "held", blocked)
            row.reasons = [*row.reasons, blocked]
            if blocked == SAME_REPLY:
                continue  # the sender has this very acknowledgement already
            request = replace(request, held=blocked)
        requests.append(request)
    return row, effect, requests


def event_of(session: Session, mail: ParsedMail, verdict: Verdict, config: Config
             ) -> EventChoice:
    """The event the message is about (:func:`bot.judge.events.choose_event`); a cancellation that
    names none is about the one event its sender is registered for, if there is one."""
    choice = choose_event(config.events, subject=mail.subject or "", new_text=mail.new_text,
                          full_text=mail.text)
    if choice.event is None and verdict.kind is Kind.CANCELLATION and verdict.sender:
        live = [config.event_by_key(a.event) for a in session.exec(select(Attendee).where(
            Attendee.email == verdict.sender, Attendee.status.in_(lifecycle.LIVE))).all()]
        if len(live) == 1:
            return EventChoice(live[0], "only_event_registered_for")
    return choice


def reply_for(session: Session, notice: Notice, config: Config, *, mail: ParsedMail | None,
              language: str = "nl", name: str | None = None, row: InboundMessage | None = None,
              automatic: bool = True, event: EventConfig | None = None, echo: bool = True
              ) -> ReplyRequest:
    """The reply for ``notice``: an answer to ``mail`` (to its sender's From, in
    ``language``; its subject only when ``echo``: our server authenticated it), or (``mail``
    None) a new message to the attendee. A calendar invite goes with confirmations, updates
    and cancellations."""
    attendee = session.get(Attendee, notice.attendee_id) if notice.attendee_id else None
    event = config.event_by_key(attendee.event) if attendee else (event or config.event)
    extra = {**notice.extra}
    if notice.purpose is Purpose.WAITLISTED or "position" in extra:
        extra.setdefault("position", 0)
    if attendee is not None:
        extra.setdefault("status", attendee.status)
    invite = None
    if attendee is not None and attendee.email and notice.purpose in INVITES:
        sequence = attendee.ics_sequence  # 0 for the first invite, one up for every change
        attendee.ics_sequence += 1
        session.add(attendee)
        domain = config.smtp.from_address.rpartition("@")[2]
        invite = Invite(invite_uid(event, attendee.id, domain), sequence,
                        INVITES[notice.purpose], attendee.email, attendee.name)
    if mail is not None and mail.sender is not None:
        key = (f"{notice.purpose}:{attendee.id}" if notice.purpose is Purpose.ALREADY_REGISTERED
               and attendee else f"{notice.purpose}:{row.id}:{notice.attendee_id}")
        return ReplyRequest(notice.purpose, language, mail.sender.address, name,
                            mail.message_id, mail.references, mail.subject if echo else "",
                            key, extra,
                            invite, notice.attendee_id or None, automatic=automatic,
                            event_key=event.key)
    assert attendee is not None and attendee.email
    suffix = extra.pop("key_suffix", row.id if row else "staff")
    key = f"{notice.purpose}:{attendee.id}:{suffix}"
    return ReplyRequest(notice.purpose, attendee.language, attendee.email, attendee.name, None,
                        (), "", key, extra, invite, attendee.id, automatic=False,
                        event_key=event.key)


def record_quarantine(session: Session, location: Location, raw: bytes, error: str, *,
                      complete: bool = True) -> InboundMessage | None:
    """Add a quarantined message row; ``None`` if this content was recorded before."""
    sha = sha256_of(raw)
    if find_recorded(session, location, message_id=None, sha256=sha):
        return None
    row = InboundMessage(folder=location.folder, uidvalidity=location.uidvalidity,
                         uid=location.uid, sha256=sha, status=MessageStatus.QUARANTINED,
                         error=error[:2000], raw=raw, raw_complete=complete)
    session.add(row)
    return row


def queue_outgoing(session: Session, mail: OutgoingMail, request: ReplyRequest, *,
                   source_id: int | None) -> bool:
    """Put a rendered reply in the outbox (sent after the commit); False if its key exists."""
    if session.exec(select(OutboundMail.id).where(OutboundMail.dedupe_key == request.key)).first():
        return False
    session.add(OutboundMail(purpose=mail.purpose, dedupe_key=request.key,
                             recipient=mail.recipient, message_id=mail.message_id,
                             in_reply_to=mail.in_reply_to, raw=mail.raw,
                             source_message_id=source_id, attendee_id=request.attendee_id,
                             automatic=request.automatic,
                             unverified_recipient=request.automatic and request.unverified,
                             status=OutboundStatus.HELD if request.held else
                             OutboundStatus.PENDING, held_reason=request.held,
                             held_since=utcnow() if request.held else None))
    return True


def mark_undeliverable(session: Session, addresses: tuple[str, ...],
                       bounced_ids: tuple[str, ...]) -> int:
    """A bounce says these addresses failed: flag their attendee rows (of every event), but
    only where the bounce returns a mail we sent to that very address (its Message-ID is in
    the bounce): anybody can forge a bounce, but only the recipient of our mail knows its
    Message-ID, and that only lets them mark themselves."""
    if not addresses or not bounced_ids:
        return 0
    ours = session.exec(select(OutboundMail.recipient).where(
        OutboundMail.message_id.in_(bounced_ids), OutboundMail.recipient.in_(addresses))).all()
    if not ours:
        return 0
    rows = session.exec(select(Attendee).where(Attendee.email.in_(set(ours)))).all()
    for attendee in rows:
        attendee.undeliverable, attendee.updated_at = True, utcnow()
        session.add(attendee)
    return len(rows)


def advance_checkpoint(session: Session, folder: str, uidvalidity: int, uid: int) -> None:
    """Remember the highest UID handled in ``folder``; a new UIDVALIDITY starts afresh. Two
    workers may do this at once on PostgreSQL: the row is created with ON CONFLICT DO NOTHING
    and then locked, so neither fails nor moves the other's checkpoint back."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(MailboxState).values(folder=folder, uidvalidity=uidvalidity,
                                                highest_uid=0)
                    .on_conflict_do_nothing(index_elements=["folder"]))
    state = session.exec(select(MailboxState).where(MailboxState.folder == folder)
                         .with_for_update()).one()
    if state.uidvalidity != uidvalidity:
        log.warning("%s: UIDVALIDITY changed from %s to %s; rescanning, deduplicating on content",
                    folder, state.uidvalidity, uidvalidity)
        state.uidvalidity, state.highest_uid = uidvalidity, 0
    state.highest_uid = max(state.highest_uid, uid)
    session.add(state)
