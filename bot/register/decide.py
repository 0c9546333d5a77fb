"""Decide stage: what a classified message will change, before anything is written.

In: the session (its transaction holds the events' locks, taken by the flow, so that the
sender's status cannot change under us), the :class:`~bot.inbound.parse.ParsedMail`, its
:class:`~bot.judge.classify.Verdict`, the configuration, when our server received the message
and the time. Out: a :class:`Decision`: the event the message is about, the sender's attendee
row and, for a sign-up, the seats taken (:class:`~bot.register.lifecycle.Found`, which
registering reuses), the planned :class:`~bot.register.effects.Effect` (pure:
:func:`plan_effect`) and the
reasons to record. Nothing is added to the session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from bot.config.types import Config, EventConfig
from bot.inbound.parse import ParsedMail
from bot.judge.classify import Kind, Verdict
from bot.judge.events import EventChoice, choose_event
from bot.register import lifecycle
from bot.register.effects import Effect, plan_effect
from bot.register.lifecycle import Found
from bot.store.models import Attendee, MessageStatus


@dataclass(frozen=True)
class Decision:
    """What a verdict will change."""

    event: EventConfig            # whose seats are counted (the configured one when unclear)
    named: EventConfig | None     # the event the message is about, if that is clear
    found: Found                  # the sender's row for ``event``, and its seats taken
    effect: Effect
    reasons: tuple[str, ...]      # the verdict's, and why the plan differs from it

def decide(session: Session, mail: ParsedMail, verdict: Verdict, config: Config, *,
           received_at: dt.datetime | None, now: dt.datetime) -> Decision:
    """Plan the message's effect on the sender's seat for the event it is about."""
    choice = event_of(session, mail, verdict, config)
    event = choice.event or config.event  # an unclear event changes nobody's seat (below)
    acts = verdict.kind in (Kind.REGISTRATION, Kind.CANCELLATION)
    attendee = lifecycle.find_attendee(session, event, verdict.sender)
    max_age = dt.timedelta(hours=config.worker.autoreply_max_age_hours)
    too_old = received_at is not None and now - received_at > max_age
    taken = (lifecycle.seats_taken(session, event)  # only a sign-up asks for a seat
             if verdict.kind is Kind.REGISTRATION else None)
    effect = plan_effect(
        verdict, existing=attendee.status if attendee else None,
        seats_left=(event.capacity - taken) if taken is not None else 0,
        window=event.registration_state(now), too_old=too_old)
    if choice.event is None and acts:
        effect = Effect(MessageStatus.NEEDS_REVIEW, open_question=effect.open_question)
    reasons = (*verdict.reasons, *(["older_than_autoreply_cutoff"] if too_old else []),
               *([choice.reason] if choice.reason else []))
    return Decision(event, choice.event, Found(attendee, taken), effect, reasons)


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
