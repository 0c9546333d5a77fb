"""The desk's words for the bot's values: every status, kind of message and kind of mail as staff
say it, in Dutch, with the code name kept as a tooltip (as for the bot's reasons,
:mod:`bot.web.reasons`).

In: a value and its vocabulary (``attendee``, ``message``, ``question``, ``outbound``, ``kind``,
``purpose``). Out: its Dutch word (:func:`label`), or that word as HTML with the code name as
its tooltip (:func:`labelled`, the templates' ``label`` filter: ``{{ a.status|label("attendee")
}}``). A value without a word is shown as it is; a test checks that every member of each enum
has one. And how long something has waited, in words (:func:`waited`).
"""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from bot.judge.classify import Kind
from bot.outbound.reply import Purpose
from bot.store.models import AttendeeStatus, MessageStatus, OutboundStatus, QuestionStatus
from bot.store.queue import View

WORDS: dict[str, dict[str, str]] = {
    "attendee": {
        AttendeeStatus.REGISTERED: "ingeschreven",
        AttendeeStatus.WAITLISTED: "op de wachtlijst",
        AttendeeStatus.CANCELLED: "afgemeld",
        AttendeeStatus.PENDING_REVIEW: "wacht op beoordeling",
    },
    "message": {
        MessageStatus.PROCESSED: "afgehandeld",
        MessageStatus.NEEDS_REVIEW: "wacht op beoordeling",
        MessageStatus.IGNORED: "genegeerd (automatische mail)",
        MessageStatus.QUARANTINED: "in quarantaine",
        MessageStatus.DUPLICATE: "dubbel ontvangen",
    },
    "question": {
        QuestionStatus.OPEN: "open",
        QuestionStatus.ANSWERED: "beantwoord",
        QuestionStatus.CLOSED: "gesloten",
    },
    "outbound": {
        OutboundStatus.PENDING: "wacht op verzending",
        OutboundStatus.HELD: "tegengehouden",
        OutboundStatus.SENT: "verzonden",
        OutboundStatus.FAILED: "mislukt",
    },
    "kind": {
        Kind.REGISTRATION: "aanmelding",
        Kind.CANCELLATION: "afmelding",
        Kind.QUESTION: "vraag",
        Kind.AUTOMATIC: "automatische mail",
        Kind.OTHER: "overig",
    },
    "purpose": {
        Purpose.REGISTRATION_CONFIRMED: "bevestiging van de inschrijving",
        Purpose.WAITLISTED: "plaats op de wachtlijst",
        Purpose.ALREADY_REGISTERED: "u bent al ingeschreven",
        Purpose.CANCELLATION_CONFIRMED: "bevestiging van de afmelding",
        Purpose.NOT_REGISTERED: "u was niet ingeschreven",
        Purpose.REGISTRATION_CLOSED: "inschrijving gesloten",
        Purpose.QUESTION_RECEIVED: "ontvangstbevestiging van een vraag",
        Purpose.REMINDER: "herinnering",
        Purpose.EVENT_UPDATED: "wijziging van de bijeenkomst",
        Purpose.STAFF_ANSWER: "antwoord van de balie",
        Purpose.HEALTH_ALERT: "waarschuwing aan de balie",
    },
    # what staff did (AuditEntry.action), in a person's history
    "audit": {
        "attendee_cancel": "afgemeld door de balie",
        "attendee_promote": "geplaatst door de balie",
        "attendee_approve": "goedgekeurd door de balie",
        "answer_question": "vraag beantwoord",
        "close_question": "vraag gesloten zonder antwoord",
        "assign_question": "vraag toegewezen",
        "add_note": "notitie toegevoegd",
        "review_registration": "na beoordeling aangemeld",
        "review_question": "na beoordeling als vraag behandeld",
        "review_cancel": "na beoordeling afgemeld",
        "review_ignore": "na beoordeling genegeerd",
        "reprocess": "opnieuw verwerkt uit quarantaine",
    },
}


# the question queue's tabs (bot.store.queue.View)
VIEWS = {View.OPEN: "Open", View.MINE: "Van mij", View.UNASSIGNED: "Niet toegewezen",
         View.DONE: "Afgehandeld"}


def label(value: object, vocabulary: str) -> str:
    """The Dutch word for ``value`` of ``vocabulary``; the value itself when there is none."""
    text = "" if value is None else str(value)
    return WORDS[vocabulary].get(text, text)


def labelled(value: object, vocabulary: str) -> Markup:
    """The word as HTML, with the code name as its tooltip."""
    if value is None:
        return Markup("")
    return Markup('<span class="code" title="{}">{}</span>').format(
        escape(str(value)), escape(label(value, vocabulary)))


def waited(since: dt.datetime, now: dt.datetime) -> str:
    """How long something has waited, as staff say it: "zojuist", "12 minuten", "2 uur",
    "3 dagen"."""
    if since.tzinfo is None:
        since = since.replace(tzinfo=dt.UTC)
    minutes = int((now - since).total_seconds() // 60)
    if minutes < 1:
        return "zojuist"
    if minutes < 60:
        return "1 minuut" if minutes == 1 else f"{minutes} minuten"
    if minutes < 48 * 60:
        return f"{minutes // 60} uur"
    return f"{minutes // (24 * 60)} dagen"
