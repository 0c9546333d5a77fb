"""The HTML part of every mail: the collective's look around the text of a reply. Pure.

In: the rendered plain text of a reply, its purpose (the value of a
:class:`~bot.outbound.reply.Purpose`), its language, its event, the calendar invite it carries
(METHOD and file name, or ``None``), ``[branding]`` and our contact address. Out: the HTML
document (``templates/_layout.html``) and the logo part it shows by ``cid:``, for
:func:`bot.outbound.mime.compose` (``None`` without a logo).

The HTML has a header with the collective's name in its colour (and its logo, carried in the
mail itself: no client loads anything from the internet), the text's paragraphs, a card with
the event (what, when, where, a link to the venue's route page), what the reader can do (cancel
by replying "afmelden", the attached invite) and a footer with our address. Where the text
holds the event's details (``_event.<language>.txt``) the card takes their place; elsewhere it
follows the text. Likewise a paragraph of the text that says what the reader can do (reply
"afmelden", the attached invite: :data:`MARKERS`) moves into the box, which then does not say
it again in other words. Mail to staff (alerts, notices, summaries) keeps header, text and footer:
a colleague needs no card or instructions, and "reply with afmelden" would be wrong there.
Layout tables with ``role="presentation"``, ``bgcolor`` and inline styles, 600 pixels wide at
most, so that Outlook's Word engine and a phone both show it; everything is autoescaped.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from dataclasses import dataclass

import jinja2

from bot.config.types import BrandingConfig, EventConfig

log = logging.getLogger(__name__)

LOGO_HEIGHT = 48  # pixels, at most; the width follows, at most LOGO_WIDTH
LOGO_WIDTH = 200


@dataclass(frozen=True)
class Look:
    card: bool = False               # the event card
    actions: tuple[str, ...] = ()    # keys of ACTIONS: what the reader can do
    staff: bool = False              # mail to a colleague: header, text and footer only


# by the value of each Purpose (bot.outbound.reply imports this module, not the other way)
LOOKS = {
    "registration_confirmed": Look(card=True, actions=("cancel_seat",)),
    "waitlisted": Look(card=True, actions=("leave_waitlist",)),
    "already_registered": Look(card=True, actions=("cancel",)),
    "cancellation_confirmed": Look(actions=("sign_up_again",)),  # not coming: no card
    "not_registered": Look(actions=("reply",)),
    "registration_closed": Look(actions=("reply",)),
    "question_received": Look(card=True, actions=("add",)),
    "reminder": Look(card=True, actions=("cancel_seat",)),
    "event_updated": Look(card=True, actions=("cancel_seat",)),
    "staff_answer": Look(card=True, actions=("reply",)),
    "group_mail": Look(card=True),
    "health_alert": Look(staff=True),
    "staff_notice": Look(staff=True),
    "staff_summary": Look(staff=True),
}

WORDS = {
    "nl": {"when": "Wanneer", "where": "Waar", "time": "{start}\u2013{end} uur",
           "route": "Route naar {venue}", "todo": "Wat u kunt doen",
           "contact": "Vragen? Mail naar", "staff": "Verstuurd door inbox-bot namens"},
    "en": {"when": "When", "where": "Where", "time": "{start}\u2013{end}",
           "route": "Directions to {venue}", "todo": "What you can do",
           "contact": "Questions? Write to", "staff": "Sent by inbox-bot for"},
}
ACTIONS = {
    "nl": {
        "cancel_seat": 'Kunt u niet komen? Beantwoord deze e-mail met "afmelden"; dan gaat uw '
                       "plaats naar iemand op de wachtlijst.",
        "cancel": 'Kunt u toch niet komen? Beantwoord deze e-mail met "afmelden".',
        "leave_waitlist": "Wilt u niet langer op de wachtlijst staan? Beantwoord deze e-mail "
                          'met "afmelden".',
        "sign_up_again": "Wilt u zich toch weer aanmelden? Stuur een e-mail naar {contact}.",
        "reply": "Heeft u nog een vraag? Beantwoord deze e-mail.",
        "add": "Wilt u nog iets toevoegen? Beantwoord deze e-mail.",
        "REQUEST": "De agenda-uitnodiging zit in de bijlage ({file}).",
        "CANCEL": "De bijlage ({file}) haalt de afspraak uit uw agenda.",
    },
    "en": {
        "cancel_seat": 'Cannot attend? Reply to this email with "cancel" and we will offer '
                       "your seat to someone on the waiting list.",
        "cancel": 'Cannot attend after all? Reply to this email with "cancel".',
        "leave_waitlist": 'No longer want to be on the waiting list? Reply to this email with '
                          '"cancel".',
        "sign_up_again": "Would you like to sign up again? Send an email to {contact}.",
        "reply": "Any further questions? Reply to this email.",
        "add": "Anything to add? Reply to this email.",
        "REQUEST": "The calendar invitation is attached ({file}).",
        "CANCEL": "The attachment ({file}) removes the event from your calendar.",
    },
}


# what an action is about, and the words by which a paragraph of the text says the same: such a
# paragraph moves into the box in the HTML instead of the box repeating it in other words
KINDS = {"cancel_seat": "cancel", "cancel": "cancel", "leave_waitlist": "cancel",
         "REQUEST": "invite", "CANCEL": "invite"}
MARKERS = {"cancel": ('"afmelden"', '"cancel"'),
           "invite": ("agenda-uitnodiging", "calendar invitation")}


@dataclass(frozen=True)
class Block:
    """A piece of the body: paragraphs (each a list of lines), or the event card."""

    paragraphs: tuple[tuple[str, ...], ...] = ()
    card: bool = False


def render_html(env: jinja2.Environment, text: str, *, purpose: str, language: str,
                event: EventConfig, event_date: str, branding: BrandingConfig, contact: str,
                domain: str, invite: tuple[str, str] | None = None
                ) -> tuple[str, tuple[bytes, str, str] | None]:
    """The HTML of a reply whose plain text is ``text``, and its logo part (bytes, subtype,
    Content-ID) or ``None``. ``invite`` is the attached invite's METHOD and file name."""
    look = LOOKS.get(purpose, Look())
    words = WORDS[language]
    start, end = event.start.strftime("%H:%M"), event.end.strftime("%H:%M")
    blocks = _blocks(text, env.get_template(f"_event.{language}.txt").render(
        event=event, event_date=event_date, start=start, end=end) if look.card else None)
    said = ACTIONS[language]
    keys = [invite[0]] if invite and invite[0] in said else []
    keys += look.actions
    blocks, moved = _take_actions(blocks, {KINDS[k] for k in keys if k in KINDS})
    covered = {kind for kind, _ in moved}
    actions = [text for _, text in moved] + [
        said[key].format(file=invite[1] if invite else "", contact=contact)
        for key in keys if KINDS.get(key) not in covered]
    logo = logo_part(branding, domain)
    html = env.get_template("_layout.html").render(
        language=language, title=event.name, brand=branding.name, colour=branding.colour,
        ink=readable_on_white(branding.colour), logo=logo and (logo[2], *logo_box(branding)),
        blocks=blocks, event=event, words=words, when=event_date,
        time=words["time"].format(start=start, end=end),
        route=words["route"].format(venue=event.venue), actions=actions, contact=contact,
        staff=look.staff)
    return html, logo


def _blocks(text: str, event_block: str | None) -> list[Block]:
    """The text's paragraphs, with the card where ``event_block`` (the event's details as the
    text has them) stood, or after the text; no card when ``event_block`` is ``None``."""
    before, found, after = text.partition(event_block) if event_block else (text, "", "")
    blocks = [Block(_paragraphs(before))]
    if event_block is not None:
        blocks.append(Block(card=True))
        if found:
            blocks.append(Block(_paragraphs(after)))
    return [b for b in blocks if b.card or b.paragraphs]


def _take_actions(blocks: list[Block], kinds: set[str]
                  ) -> tuple[list[Block], list[tuple[str, str]]]:
    """The blocks without the paragraphs that say what the reader can do (of ``kinds``), and
    those paragraphs with their kind, as one line each, for the box."""
    moved: list[tuple[str, str]] = []
    kept = []
    for block in blocks:
        paragraphs = []
        for lines in block.paragraphs:
            text = " ".join(lines)
            kind = next((k for k in sorted(kinds) if any(m in text for m in MARKERS[k])), None)
            if kind is None:
                paragraphs.append(lines)
            else:
                moved.append((kind, text))
        if block.card or paragraphs:
            kept.append(Block(tuple(paragraphs), block.card))
    return kept, moved


def _paragraphs(text: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(line.strip() for line in p.split("\n"))
                 for p in text.strip().split("\n\n") if p.strip())


@functools.lru_cache(maxsize=8)
def logo_part(branding: BrandingConfig, domain: str) -> tuple[bytes, str, str] | None:
    """The logo as :func:`bot.outbound.mime.compose` takes it; its Content-ID is the same for
    the same image, and differs from any other image's."""
    if branding.logo is None:
        return None
    digest = hashlib.sha256(branding.logo).hexdigest()[:16]
    return branding.logo, branding.logo_type, f"logo.{digest}@{domain}"


def logo_box(branding: BrandingConfig) -> tuple[int, int]:
    """The width and height the logo is shown at: at most LOGO_HEIGHT high and LOGO_WIDTH
    wide, never larger than it is (Outlook needs both as attributes)."""
    width, height = branding.logo_size
    scale = min(1.0, LOGO_HEIGHT / height, LOGO_WIDTH / width)
    return max(1, round(width * scale)), max(1, round(height * scale))


def readable_on_white(colour: str) -> str:
    """``colour`` for text on white when it is dark enough (WCAG contrast 4.5:1), else near
    black: a light house colour still colours the header's bar and the card's edge."""
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return colour if 1.05 / (luminance + 0.05) >= 4.5 else "#222222"
