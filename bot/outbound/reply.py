"""Reply stage: what to answer, in, a rendered :class:`OutgoingMail` out. Pure (reads templates).

In: a :class:`ReplyRequest` (purpose, language, recipient, name, the inbound message it answers)
and the configuration. Out: the bytes of a complete RFC 5322 message, ready for the outbox.
Templates live in ``templates/`` at the top of the project, one per purpose and language:
``{purpose}.{nl|en}.txt``. Every mail goes to one address only and carries
``X-Auto-Response-Suppress: All`` and a Message-ID at our own domain. An answer to inbound mail
goes to its sender's From with ``In-Reply-To``/``References`` and ``Re:``, and carries
``Auto-Submitted: auto-replied`` (RFC 3834 §5); a mail that starts a conversation (a promotion,
a reminder, an update, a health alert, a notice to staff) carries ``auto-generated``; a staff
member's answer
(``human``) carries none.

Values copied from inbound mail into our headers (subject, name) pass :func:`clean_header`
first: this Python (3.11.7) predates the fix for CVE-2024-6923, so the stdlib alone would let a
CR/LF in an inbound subject inject headers into our reply.
"""

from __future__ import annotations

import enum
import unicodedata
import uuid
from dataclasses import asdict, dataclass
from email.utils import format_datetime, parseaddr
from pathlib import Path

import jinja2

from bot import linear
from bot.config.types import Config, EventConfig
from bot.inbound.parse import OUR_MESSAGE_ID_PREFIX
from bot.judge.events import MONTHS_EN, MONTHS_NL
from bot.outbound.calendar import Invite, make_invite
from bot.outbound.layout import render_html
from bot.outbound.mime import address_header, compose, mailbox_header, text_header
from bot.store.models import AttendeeStatus

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
_JINJA_TAG = linear.compile(r"\{[{%#].*?[}%#]\}", dotall=True)
_SENTENCE_OR_GAP = linear.compile(r"([.!?:])\s+|\n\s*\n")
MAX_REFERENCES = 20
MAX_HEADER_TEXT = 200


class Purpose(enum.StrEnum):
    REGISTRATION_CONFIRMED = "registration_confirmed"
    WAITLISTED = "waitlisted"
    ALREADY_REGISTERED = "already_registered"
    CANCELLATION_CONFIRMED = "cancellation_confirmed"
    NOT_REGISTERED = "not_registered"
    REGISTRATION_CLOSED = "registration_closed"
    QUESTION_RECEIVED = "question_received"
    REMINDER = "reminder"
    EVENT_UPDATED = "event_updated"
    STAFF_ANSWER = "staff_answer"  # written by a person at the desk
    HEALTH_ALERT = "health_alert"  # to staff: the bot cannot do its work (bot/ops/monitor.py)
    STAFF_NOTICE = "staff_notice"  # to a staff member: new work in the desk (bot/staff/notify.py)
    STAFF_SUMMARY = "staff_summary"  # ... and their daily summary of the open work
    GROUP_MAIL = "group_mail"  # staff's mail to a group of attendees (bot/staff/announce.py)


# The subject of a mail that starts a conversation (a reply keeps "Re: " + the inbound subject).
SUBJECTS = {
    "nl": {
        Purpose.REGISTRATION_CONFIRMED: "Bevestiging: u bent ingeschreven voor de {event}",
        Purpose.CANCELLATION_CONFIRMED: "Uw afmelding voor de {event}",
        Purpose.REMINDER: "Herinnering: morgen de {event}",
        Purpose.EVENT_UPDATED: "Gewijzigd: {event}",
        Purpose.HEALTH_ALERT: "[inbox-bot] Waarschuwing: {event}",
        Purpose.STAFF_NOTICE: "[balie] Nieuw werk: {event}",
        Purpose.STAFF_SUMMARY: "[balie] Overzicht van vandaag: {event}",
    },
    "en": {
        Purpose.REGISTRATION_CONFIRMED: "Confirmation: you are registered for the {event}",
        Purpose.CANCELLATION_CONFIRMED: "Your cancellation for the {event}",
        Purpose.REMINDER: "Reminder: the {event} is tomorrow",
        Purpose.EVENT_UPDATED: "Changed: {event}",
        Purpose.HEALTH_ALERT: "[inbox-bot] Warning: {event}",
        Purpose.STAFF_NOTICE: "[desk] New work: {event}",
        Purpose.STAFF_SUMMARY: "[desk] Today's summary: {event}",
    },
}


@dataclass(frozen=True, kw_only=True)
class Facts:
    """What a template says beyond the person and the event; every template gets all of them."""

    has_question: bool = False       # the mail we answer also asked something: staff answer it
    promoted: bool = False           # moved up from the waiting list
    position: int = 0                # place on the waiting list
    status: AttendeeStatus | None = None  # the attendee's, when the mail is about one
    colleagues: tuple[str, ...] = () # names the sender signed up too, passed on to staff
    answer: str = ""                 # a staff member's answer, and their name
    staff_name: str = ""
    problem: str = ""                # a health alert: what is wrong, and since when
    since: str = ""
    questions: int = 0               # a notice to staff: how many questions and items to
    review: int = 0                  # review (counts only: no names, no subjects)
    link: str = ""                   # where the desk is


@dataclass(frozen=True, kw_only=True)
class ReplyRequest:
    purpose: Purpose
    language: str
    recipient: str
    name: str | None = None
    in_reply_to: str | None = None   # the Message-ID of the mail we answer
    references: tuple[str, ...] = () # its References (and In-Reply-To)
    subject: str = ""                # its subject (a group mail's: the one staff wrote)
    key: str = ""                    # outbox dedupe key: the same key is never sent twice
    facts: Facts = Facts()
    invite: Invite | None = None     # a calendar invite (.ics) to attach
    attendee_id: int | None = None
    automatic: bool = True           # an answer to inbound mail (the reply limits count it)
    human: bool = False              # written by staff: no Auto-Submitted header
    event_key: str = ""              # the event it is about (the first event when empty)
    unverified: bool = False         # an answer to a sender our server did not verify
    held: str | None = None          # the reply limit that holds it back for now
    group_mail_id: int | None = None  # the group mail it is part of (bot.staff.announce)
    priority: int | None = None      # its place in the outbox; None: its purpose's
    #                                  (bot.outbound.pace.Priority)


@dataclass(frozen=True)
class OutgoingMail:
    purpose: Purpose
    recipient: str
    message_id: str
    in_reply_to: str | None
    raw: bytes


_DAYS = {"nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
         "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]}
MONTHS = {"nl": MONTHS_NL, "en": tuple(m.capitalize() for m in MONTHS_EN)}


def clean_header(value: str, *, limit: int = MAX_HEADER_TEXT) -> str:
    """Strip CR, LF, NUL, every other control and format (bidi) character; squeeze spaces."""
    kept = []
    for ch in value:
        category = unicodedata.category(ch)
        if category in ("Cc", "Zl", "Zp"):  # CR, LF, NUL, TAB, line separators
            kept.append(" ")
        elif category not in ("Cf", "Cs", "Co", "Cn"):  # drop bidi controls, surrogates, ...
            kept.append(ch)
    return " ".join("".join(kept).split())[:limit]


def own_phrases(templates_dir: Path = TEMPLATES_DIR) -> tuple[str, ...]:
    """Fixed sentences of our replies: the template text between placeholders, cut into
    sentences, whitespace squeezed, of 30 characters or more (a closing greeting is shorter).
    The classifier recognises our own mail coming back by them
    (:func:`bot.judge.automatic.echo_of_our_reply`)."""
    found: dict[str, None] = {}
    for path in sorted(templates_dir.glob("*.txt")):
        source = _JINJA_TAG.sub("\n\n", path.read_text(encoding="utf-8"))
        for piece in linear.split_keeping(_SENTENCE_OR_GAP, source):
            text = " ".join(piece.split())
            if len(text) >= 30:
                found[text] = None
    return tuple(found)


def format_event_date(event: EventConfig, language: str) -> str:
    """``dinsdag 25 november 2025`` / ``Tuesday 25 November 2025``."""
    d = event.date
    return f"{_DAYS[language][d.weekday()]} {d.day} {MONTHS[language][d.month - 1]} {d.year}"


def make_environment(templates_dir: Path = TEMPLATES_DIR) -> jinja2.Environment:
    """The Jinja2 environment for reply templates; missing variables are errors."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html"]),
        keep_trailing_newline=True,
    )


def render_reply(request: ReplyRequest, config: Config, env: jinja2.Environment,
                 *, now) -> OutgoingMail:
    """Render ``request`` into a complete message; ``now`` is the Date header's datetime.

    The body is ``multipart/alternative``: the text template, and the same paragraphs as
    autoescaped HTML in the collective's look (:mod:`bot.outbound.layout`; with a logo, HTML
    and image in ``multipart/related``); an invite adds a ``text/calendar`` alternative and an
    ``.ics`` attachment (the layout Google Calendar uses, which Outlook accepts).
    """
    language = request.language if request.language in ("nl", "en") else "nl"
    event = config.event_by_key(request.event_key)
    event_date = format_event_date(event, language)
    text = env.get_template(f"{request.purpose}.{language}.txt").render(
        name=clean_header(request.name or ""),
        event=event,
        event_date=event_date,
        start=event.start.strftime("%H:%M"),
        end=event.end.strftime("%H:%M"),
        mailbox=config.mailbox.address,
        **asdict(request.facts),
    )
    our_domain = config.smtp.domain
    message_id = f"{OUR_MESSAGE_ID_PREFIX}{uuid.uuid4().hex}@{our_domain}>"
    headers = [("From", mailbox_header(config.smtp.from_header)),
               ("To", _to_header(request.recipient, request.name)),
               ("Subject", text_header(_subject(request, language, event))),
               ("Date", format_datetime(now)), ("Message-ID", message_id)]
    if request.in_reply_to:
        refs = [r for r in request.references if r != request.in_reply_to][-MAX_REFERENCES + 1:]
        headers += [("In-Reply-To", request.in_reply_to),
                    ("References", " ".join([*refs, request.in_reply_to]))]
    if not request.human:
        headers.append(("Auto-Submitted",
                        "auto-replied" if request.in_reply_to else "auto-generated"))
    headers += [("X-Auto-Response-Suppress", "All"), ("Content-Language", language)]
    invite = None
    if request.invite is not None:
        ics = make_invite(event, request.invite, organizer=config.smtp.from_address,
                          organizer_name=parseaddr(config.smtp.from_header)[0] or our_domain,
                          now=now)
        invite = (ics, request.invite.method,
                  "uitnodiging.ics" if language == "nl" else "invite.ics")
    html, logo = render_html(env, text, purpose=request.purpose, language=language, event=event,
                             event_date=event_date,
                             branding=config.branding, contact=config.mailbox.address,
                             domain=our_domain, invite=invite and (invite[1], invite[2]))
    return OutgoingMail(request.purpose, request.recipient, message_id, request.in_reply_to,
                        compose(headers, text, html, invite, logo))


def _subject(request: ReplyRequest, language: str, event: EventConfig) -> str:
    if request.purpose is Purpose.GROUP_MAIL:  # the subject staff wrote
        return clean_header(request.subject)
    if request.in_reply_to or request.purpose not in SUBJECTS[language]:
        return reply_subject(request.subject, language)
    return SUBJECTS[language][request.purpose].format(event=event.name)


def reply_subject(subject: str, language: str) -> str:
    """``Re: `` plus the cleaned inbound subject (no second ``Re:``); a default when empty."""
    text = clean_header(subject)
    if not text:
        text = "Masterclass Kinderrechten" if language == "nl" else "Masterclass Children's Rights"
    return text if text.lower().startswith("re:") else f"Re: {text}"


def _to_header(recipient: str, name: str | None) -> str:
    value = address_header(clean_header(name or "", limit=80), recipient)
    if parseaddr(value)[1] != recipient:  # a name that confuses parsing: drop it
        return recipient
    return value
