"""Record stage: a classified message in, database rows out (in the caller's transaction).

In: the message's :class:`~bot.register.recorded.Identity` (where it lives, its Message-ID and
hash), its raw bytes, the
:class:`~bot.inbound.parse.ParsedMail`, its :class:`~bot.judge.classify.Verdict` and
:class:`~bot.register.decide.Decision`, the configuration and the time. Out, one step each, in
the order :func:`bot.pipeline.flow.handle_in` calls them: the ``InboundMessage`` row
(:func:`record`), the decision applied to the attendees with a question opened
(:func:`apply_decision`), the replies to send as :class:`~bot.outbound.reply.ReplyRequest` values
after the reply limits (:func:`plan_replies`, :mod:`bot.outbound.limits`), and those replies
rendered into the outbox (:func:`render_and_queue`), all in the caller's transaction.

Idempotence: the flow first asks :mod:`bot.register.recorded` whether the message is recorded
already; then it changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace

import jinja2
from sqlmodel import Session, select

from bot.config.types import Config, EventConfig, QuestionsConfig
from bot.inbound.parse import ParsedMail
from bot.judge.classify import Kind, Verdict
from bot.judge.trust import Auth
from bot.outbound.calendar import Invite, invite_uid
from bot.outbound.limits import SAME_REPLY, blocked_by_limits
from bot.outbound.pace import priority_of
from bot.outbound.reply import Facts, OutgoingMail, Purpose, ReplyRequest, render_reply
from bot.register.asked import open_question
from bot.register.decide import Decision
from bot.register.effects import apply_effect
from bot.register.lifecycle import Notice
from bot.register.recorded import Identity, Location, find_recorded, sha256_of
from bot.store.models import (
    Attendee,
    InboundMessage,
    MessageStatus,
    OutboundMail,
    OutboundStatus,
    utcnow,
)

log = logging.getLogger(__name__)

INVITES = {Purpose.REGISTRATION_CONFIRMED: "REQUEST", Purpose.EVENT_UPDATED: "REQUEST",
           Purpose.CANCELLATION_CONFIRMED: "CANCEL"}


def record(session: Session, identity: Identity, raw: bytes, mail: ParsedMail,
           verdict: Verdict, decision: Decision, *, received_at: dt.datetime | None
           ) -> InboundMessage:
    """Add the message row (with the decision's status and reasons, and when our server received
    it: ``received_at``, else now) and give it its id."""
    location = identity.location
    row = InboundMessage(
        folder=location.folder, uidvalidity=location.uidvalidity, uid=location.uid,
        received_at=received_at or utcnow(), verified=verdict.verified,
        message_id=identity.message_id, sha256=identity.sha256, sender=verdict.sender,
        subject=mail.subject, language=verdict.language, kind=verdict.kind,
        has_question=verdict.has_question, confidence=verdict.confidence,
        reasons=list(decision.reasons), status=decision.effect.status, raw=raw,
        event=decision.named.key if decision.named else None,
    )
    session.add(row)
    session.flush()
    return row


def apply_decision(session: Session, decision: Decision, verdict: Verdict, mail: ParsedMail,
                   row: InboundMessage, questions: QuestionsConfig) -> list[Notice]:
    """Change the attendees as decided, open the question (tagged by topic: ``questions``),
    flag a bounced address; return the notices of what changed (each may become a reply)."""
    notices = apply_effect(session, decision.effect, verdict, decision.event,
                           found=decision.found, source_id=row.id)
    if decision.effect.open_question:
        open_question(session, questions, source_id=row.id, sender=verdict.sender or "",
                      subject=mail.subject,  # what staff must answer, the question itself
                      text="\n".join(verdict.questions) or mail.new_text or mail.text)
    if verdict.kind is Kind.AUTOMATIC and mark_undeliverable(session, mail.failed_recipients,
                                                             mail.bounced_ids):
        log.info("uid=%s: bounce of our mail to an attendee; marked undeliverable", row.uid)
    return notices


def plan_replies(session: Session, notices: list[Notice], decision: Decision, verdict: Verdict,
                 mail: ParsedMail, config: Config, row: InboundMessage, *, now: dt.datetime
                 ) -> list[ReplyRequest]:
    """The replies the notices ask for, after the reply limits (a reply held back waits in the
    outbox; the same acknowledgement twice is dropped)."""
    requests = []
    echo = verdict.auth is Auth.DOMAIN  # only then did our server vouch for name and subject
    for notice in notices:
        if notice.in_reply and decision.effect.reply is None:
            continue  # the plan said: do not answer this message
        request = reply_for(session, notice, config, mail=mail if notice.in_reply else None,
                            language=verdict.language, name=verdict.name if echo else None,
                            row=row, event=decision.event, echo=echo)
        if notice.in_reply:  # the reply also says that the question was received
            request = replace(request, unverified=not verdict.verified, facts=replace(
                request.facts, has_question=decision.effect.open_question))
        blocked = request.automatic and blocked_by_limits(
            session, recipient=request.recipient, purpose=request.purpose,
            verified=not request.unverified, now=now, limits=config.limits)
        if blocked:
            log.warning("uid=%s: %s reply %s: %s", row.uid, request.purpose,
                        "not sent" if blocked == SAME_REPLY else "held", blocked)
            row.reasons = [*row.reasons, blocked]
            if blocked == SAME_REPLY:
                continue  # the sender has this very acknowledgement already
            request = replace(request, held=blocked)
        requests.append(request)
    return requests


def render_and_queue(session: Session, requests: list[ReplyRequest], config: Config,
                     templates: jinja2.Environment, *, source_id: int | None,
                     now: dt.datetime) -> int:
    """Render each reply and put it in the outbox, in the caller's transaction; return how
    many were new. A key already in the outbox is not queued twice, and not even rendered (a
    reminder is asked for at every flush of its window)."""
    keys = [request.key for request in requests]
    seen = set(session.exec(select(OutboundMail.dedupe_key).where(
        OutboundMail.dedupe_key.in_(keys))).all()) if keys else set()
    queued = 0
    for request in requests:
        if request.key not in seen:
            seen.add(request.key)
            queue_outgoing(session, render_reply(request, config, templates, now=now), request,
                           source_id=source_id, now=now)
            queued += 1
    return queued


def queue_new_mail(session: Session, notices: list[Notice], config: Config,
                   templates: jinja2.Environment, *, key_suffix: str, now: dt.datetime) -> int:
    """Queue ``notices`` as new mails to their attendees (not replies to inbound mail), each
    once per ``key_suffix`` (a reminder's ``once``, a staff action's time); return how many were
    new."""
    requests = [reply_for(session, replace(notice, in_reply=False, key_suffix=key_suffix),
                          config, mail=None) for notice in notices]
    return render_and_queue(session, requests, config, templates, source_id=None, now=now)


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
    facts = Facts(promoted=notice.promoted, position=notice.position,
                  colleagues=notice.colleagues, status=attendee.status if attendee else None)
    invite = None
    if attendee is not None and attendee.email and notice.purpose in INVITES:
        sequence = attendee.ics_sequence  # 0 for the first invite, one up for every change
        attendee.ics_sequence += 1
        session.add(attendee)
        invite = Invite(invite_uid(event, attendee.id, config.smtp.domain), sequence,
                        INVITES[notice.purpose], attendee.email, attendee.name)
    if mail is not None and mail.sender is not None:
        key = (f"{notice.purpose}:{attendee.id}" if notice.purpose is Purpose.ALREADY_REGISTERED
               and attendee else f"{notice.purpose}:{row.id}:{notice.attendee_id}")
        return ReplyRequest(purpose=notice.purpose, language=language,
                            recipient=mail.sender.address, name=name,
                            in_reply_to=mail.message_id, references=mail.references,
                            subject=mail.subject if echo else "", key=key, facts=facts,
                            invite=invite, attendee_id=notice.attendee_id or None,
                            automatic=automatic, event_key=event.key)
    assert attendee is not None and attendee.email
    suffix = notice.key_suffix or (row.id if row else "staff")
    return ReplyRequest(purpose=notice.purpose, language=attendee.language,
                        recipient=attendee.email, name=attendee.name,
                        key=f"{notice.purpose}:{attendee.id}:{suffix}", facts=facts,
                        invite=invite, attendee_id=attendee.id, automatic=False,
                        event_key=event.key)


def record_quarantine(session: Session, location: Location, raw: bytes, error: str, *,
                      received_at: dt.datetime | None, complete: bool = True,
                      sha256: str | None = None) -> InboundMessage | None:
    """Add a quarantined message row; ``None`` if this content (``sha256``, when the caller
    has it) was recorded before."""
    sha = sha256 or sha256_of(raw)
    if find_recorded(session, Identity(location, None, sha)):
        return None
    row = InboundMessage(folder=location.folder, uidvalidity=location.uidvalidity,
                         uid=location.uid, received_at=received_at or utcnow(),
                         sha256=sha, status=MessageStatus.QUARANTINED,
                         error=error[:2000], raw=raw, raw_complete=complete)
    session.add(row)
    return row


def queue_outgoing(session: Session, mail: OutgoingMail, request: ReplyRequest, *,
                   source_id: int | None, now: dt.datetime) -> None:
    """Put a rendered reply in the outbox (sent after the commit); the caller made sure its key
    is new (:func:`render_and_queue`)."""
    session.add(OutboundMail(purpose=mail.purpose, dedupe_key=request.key,
                             recipient=mail.recipient, message_id=mail.message_id,
                             in_reply_to=mail.in_reply_to, raw=mail.raw,
                             source_message_id=source_id, attendee_id=request.attendee_id,
                             group_mail_id=request.group_mail_id,
                             automatic=request.automatic, priority=priority_of(mail.purpose)
                             if request.priority is None else request.priority,
                             unverified_recipient=request.automatic and request.unverified,
                             status=OutboundStatus.HELD if request.held else
                             OutboundStatus.PENDING, held_reason=request.held,
                             held_since=now if request.held else None))


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
