"""What one classified message does, planned (pure) and then applied (in the transaction).

In: a :class:`~bot.judge.classify.Verdict`, the sender's current attendee status, the registration
window and whether the message is too old to answer. Out: an :class:`Effect` (pure,
:func:`plan_effect`; ``inbox-bot classify`` uses it to say which reply the bot would send), and,
applied by :func:`apply_effect` (with what decide found: the sender's row and the seats taken),
changed attendee rows and the
:class:`~bot.register.lifecycle.Notice` values that :mod:`bot.register.record` turns into replies.

The bot acts on its own only when the verdict ``acts_alone`` (a verified sender writing for
themselves); it answers only when it ``may_reply`` and the message is not older than
``autoreply_max_age_hours`` (a first run over a year of old mail answers nobody). A question is
acknowledged only when our server authenticated the sender's own domain (``Verdict.auth``):
otherwise anyone could make the bot mail any address (backscatter). Colleagues named in someone
else's sign-up are never registered by the bot: they wait for staff (``pending_review``, "named by"
the sender), who approve one with an address with one click.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from sqlmodel import Session

from bot.config.types import EventConfig, Window
from bot.judge.classify import Kind, Verdict
from bot.judge.trust import Auth
from bot.outbound.reply import Purpose
from bot.register import lifecycle
from bot.register.lifecycle import LIVE, Found, Notice, Person
from bot.store.models import AttendeeStatus, MessageStatus


class Action(enum.StrEnum):
    NOTHING = "nothing"
    REGISTER = "register"            # a seat, or the waiting list
    PENDING = "pending_review"       # an attendee row that staff must approve
    CANCEL = "cancel"
    ALREADY = "already_registered"
    NOT_REGISTERED = "not_registered"
    CLOSED = "registration_closed"


@dataclass(frozen=True)
class Effect:
    status: MessageStatus
    action: Action = Action.NOTHING
    open_question: bool = False
    reply: Purpose | None = None     # the reply the plan expects (seats may change it)


def plan_effect(verdict: Verdict, *, existing: AttendeeStatus | None, seats_left: int,
                window: Window = Window.OPEN, too_old: bool = False) -> Effect:
    """Decide what a message does, while registration is in ``window``."""
    if verdict.kind is Kind.AUTOMATIC:
        return Effect(MessageStatus.IGNORED)
    if verdict.sender is None or verdict.kind is Kind.OTHER:
        return Effect(MessageStatus.NEEDS_REVIEW)
    review = verdict.needs_review or too_old
    status = MessageStatus.NEEDS_REVIEW if review else MessageStatus.PROCESSED
    acts = verdict.acts_alone and not too_old
    asks = verdict.has_question

    def reply(purpose: Purpose) -> Purpose | None:
        return purpose if verdict.may_reply and not too_old else None

    if verdict.kind is Kind.QUESTION:
        ack = reply(Purpose.QUESTION_RECEIVED) if verdict.auth >= Auth.ENVELOPE else None
        return Effect(status, Action.NOTHING, True, ack)
    if verdict.kind is Kind.REGISTRATION:
        if window is Window.CLOSED:
            answer = reply(Purpose.REGISTRATION_CLOSED) if verdict.verified else None
            return Effect(MessageStatus.NEEDS_REVIEW, Action.CLOSED, asks, answer)
        if existing in LIVE:
            if not acts:
                return Effect(MessageStatus.NEEDS_REVIEW, Action.NOTHING, asks)
            return Effect(status, Action.ALREADY, asks, reply(Purpose.ALREADY_REGISTERED))
        if not acts or window is Window.NOT_OPEN:
            return Effect(MessageStatus.NEEDS_REVIEW, Action.PENDING, asks)
        purpose = Purpose.REGISTRATION_CONFIRMED if seats_left > 0 else Purpose.WAITLISTED
        return Effect(status, Action.REGISTER, asks, reply(purpose))
    if not acts:
        return Effect(MessageStatus.NEEDS_REVIEW, Action.NOTHING, asks)
    if existing in (*LIVE, AttendeeStatus.PENDING_REVIEW):
        return Effect(status, Action.CANCEL, asks, reply(Purpose.CANCELLATION_CONFIRMED))
    return Effect(status, Action.NOT_REGISTERED, asks, reply(Purpose.NOT_REGISTERED))


def apply_effect(session: Session, effect: Effect, verdict: Verdict,
                 event: EventConfig, *, found: Found, source_id: int) -> list[Notice]:
    """Change ``event``'s attendee rows as ``effect`` says; return who must be told what.
    ``found`` is what the plan was made with: the sender's row and the seats taken, looked up
    under the event's lock in this transaction."""
    attendee = found.attendee
    details = verdict.details
    person = Person(name=details.name, party=details.party, notes=details.notes,
                    language=verdict.language, source_message_id=source_id)
    if effect.action is Action.REGISTER:
        _, notice = lifecycle.register(session, event, email=verdict.sender, person=person,
                                       found=found)
        colleagues = _colleagues_to_staff(session, verdict, event, source_id)
        return [replace(notice, colleagues=colleagues)]
    if effect.action is Action.PENDING:
        behalf = details.on_behalf_of or None
        if behalf or verdict.for_someone_else:
            named = details.extra_people[0] if len(details.extra_people) == 1 else None
            lifecycle.upsert_attendee(
                session, event, email=named.email if named else None,
                status=AttendeeStatus.PENDING_REVIEW, person=Person(
                    name=behalf or (named and named.name), on_behalf_of=verdict.sender,
                    source_message_id=source_id))
        else:  # the sender, and any colleague named with them, wait for staff
            lifecycle.upsert_attendee(session, event, email=verdict.sender,
                                      status=AttendeeStatus.PENDING_REVIEW, person=person)
            _colleagues_to_staff(session, verdict, event, source_id)
        return []
    if effect.action is Action.CANCEL and attendee is not None:
        return lifecycle.cancel(session, event, attendee)
    if effect.action is Action.ALREADY and attendee is not None:
        return [Notice(purpose=Purpose.ALREADY_REGISTERED, attendee_id=attendee.id)]
    if effect.reply is not None and effect.action in (Action.NOTHING, Action.NOT_REGISTERED,
                                                      Action.CLOSED):
        # an acknowledgement: nothing changes for anyone
        return [Notice(purpose=effect.reply, attendee_id=0)]
    return []


def _colleagues_to_staff(session: Session, verdict: Verdict,
                         event: EventConfig, source_id: int) -> tuple[str, ...]:
    """Colleagues named in the sender's sign-up wait for staff (``pending_review``, named by
    the sender); nobody gets a seat on someone else's word. A colleague already on the list
    is left as they are. Returns the names passed on, for the sender's confirmation."""
    names = []
    for named in verdict.details.extra_people:
        if named.email and lifecycle.find_attendee(session, event, named.email) is not None:
            continue
        lifecycle.upsert_attendee(session, event, email=named.email,
                                  status=AttendeeStatus.PENDING_REVIEW, person=Person(
                                      name=named.name, on_behalf_of=verdict.sender,
                                      language=verdict.language, source_message_id=source_id))
        names.append(named.name or named.email or "")
    return tuple(names)
