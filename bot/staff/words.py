"""The Dutch words for the bot's values, as staff say them: every status, kind of message, kind
of mail, group of a group mail and staff action.

In: a value and its vocabulary (``attendee``, ``message``, ``question``, ``outbound``, ``kind``,
``purpose``, ``group``, ``audit``). Out: its Dutch word (:func:`label`); a value without a word
is itself.
The desk shows these with the code name as a tooltip (:mod:`bot.web.labels`), the staff
actions name statuses with them; a test checks that every member of each enum has a word.
"""

from __future__ import annotations

from bot.judge.classify import Kind
from bot.outbound.reply import Purpose
from bot.store.desk_models import Group
from bot.store.models import AttendeeStatus, MessageStatus, OutboundStatus, QuestionStatus

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
        Purpose.STAFF_NOTICE: "bericht aan een medewerker: nieuw werk",
        Purpose.STAFF_SUMMARY: "dagoverzicht voor een medewerker",
        Purpose.GROUP_MAIL: "groepsmail van de balie",
    },
    # whom a group mail goes to (bot.staff.groups)
    "group": {
        Group.REGISTERED: "ingeschreven",
        Group.WAITLISTED: "op de wachtlijst",
        Group.PRESENT: "aanwezig",
        Group.ABSENT: "ingeschreven maar niet gekomen",
        Group.WROTE: "iedereen die ons schreef (behalve afgemelden)",
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
        "retry_outbound": "e-mail opnieuw verzonden",
        "save_reply": "standaardantwoord bewaard",
        "delete_reply": "standaardantwoord verwijderd",
        "sort_question": "vraag ingedeeld",
        "change_settings": "instellingen gewijzigd",
        "door_present": "aanwezig gemeld aan de deur",
        "door_absent": "niet meer aanwezig gemeld aan de deur",
        "door_walk_in": "toegevoegd aan de deur",
        "group_mail": "groepsmail verstuurd",
        "group_mail_test": "testmail van een groepsmail verstuurd",
        "privacy_export": "gegevens uitgegeven (AVG)",
        "privacy_erase": "gegevens gewist (AVG)",
    },
}


def label(value: object, vocabulary: str) -> str:
    """The Dutch word for ``value`` of ``vocabulary``; the value itself when there is none."""
    text = "" if value is None else str(value)
    return WORDS[vocabulary].get(text, text)
