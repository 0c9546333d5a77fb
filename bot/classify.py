"""Classify stage: a :class:`~bot.parse.ParsedMail` in, a :class:`Verdict` out. Pure.

Order (small named rules; their names end up in ``Verdict.reasons``):

1. loop guards (:mod:`bot.automatic`): any hit makes the message ``automatic``, never answered;
2. sender identity (:mod:`bot.trust`): decides whether a sign-up may be confirmed automatically;
3. intent, Dutch and English, read from the subject and the new text only (no quoted history):
   cancellation before registration (a reply "RE: Aanmelding" that says "ik moet me afmelden"
   is a cancellation), then registration, then question; nothing matched is ``other``. The
   subject of a reply ("RE: ...") is inherited, so it does not count.

``needs_review`` is set where staff must decide: ``other``, an unverified sign-up or
cancellation, a sender we cannot parse, or low confidence.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from bot.automatic import automatic_reasons
from bot.parse import ParsedMail
from bot.trust import check_sender


class Kind(enum.StrEnum):
    REGISTRATION = "registration"
    CANCELLATION = "cancellation"
    QUESTION = "question"
    AUTOMATIC = "automatic"
    OTHER = "other"


@dataclass(frozen=True)
class ClassifyContext:
    """What the classifier needs from the configuration."""

    our_address: str
    allowed_domains: tuple[str, ...]
    authserv_id: str


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    has_question: bool
    confidence: float
    needs_review: bool
    reasons: tuple[str, ...]
    language: str           # "nl" or "en": the language of our reply
    verified: bool          # the sender is authenticated and from an allowed domain
    sender: str | None      # lower-cased address from From
    name: str | None        # display name from From


_CANCEL = re.compile(
    r"\b(afmeld\w*|meld\w* (me|mij|ik (me|mij)) (\w+ )?af|ik kan (\w+ ){0,3}niet (komen|aanwezig|"
    r"deelnemen|erbij)|(ben|is) (\w+ )?verhinderd|annule\w+|(me|mij) (\w+ )?niet aanmelden|"
    r"cancel\w*|withdraw\w*|unregister|(can ?not|can't|cannot|unable to|won't be able to|"
    r"no longer (be able to )?)\s?(attend|come|make it|join))",
    re.IGNORECASE,
)
_REGISTER = re.compile(
    r"\b(aanmeld\w*|meld\w* (me|mij|ik (me|mij)) (\w+ ){0,2}aan|inschrijv\w*|schrijf (me|mij) "
    r"(\w+ )?in|ik kom (graag|zeker|er ?graag)|graag aanwezig|"
    r"(wil|zou) (\w+ ){0,3}(komen|deelnemen|aanwezig zijn|bijwonen)|ik ben erbij|aanwezig zijn|"
    r"register\w*|sign (me )?up|"
    r"(like|want|love) to (attend|join|come|participate)|count me in|rsvp|i will attend|"
    r"i'll (attend|be there))",
    re.IGNORECASE,
)
_QUESTION = re.compile(
    r"\?|\b(ik heb een vraag|vraag over|mijn vraag|graag (zou ik|wil ik) weten|i have a question|"
    r"could you (tell|let) me|i was wondering)",
    re.IGNORECASE,
)
_REPLY_PREFIX = re.compile(r"^\s*(re|antw|aw|sv)\s*:", re.IGNORECASE)
_NL_WORDS = frozenset((
    "de het een ik je u graag voor met niet van en op mij me wij is aan dank groet vriendelijke "
    "kom komen aanmelden vraag wil zou heb hebben ook nog maar dat deze die bij naar"
).split())
_EN_WORDS = frozenset((
    "the a i you to for with not of and on we would like thank regards please attend "
    "register question could can will be there this that have has"
).split())


def classify_message(mail: ParsedMail, ctx: ClassifyContext) -> Verdict:
    """Decide what ``mail`` is; see the module docstring for the order of the rules."""
    sender = mail.sender.address if mail.sender else None
    name = (mail.sender.name or None) if mail.sender else None
    language = detect_language(f"{mail.subject}\n{mail.new_text}")
    loop_guards = automatic_reasons(mail, ctx.our_address)
    if loop_guards:
        return Verdict(Kind.AUTOMATIC, False, 0.95, False, tuple(loop_guards), language, False,
                       sender, name)
    trust = check_sender(mail, allowed_domains=ctx.allowed_domains, authserv_id=ctx.authserv_id)
    reasons = [trust.reason]
    if mail.sender is None:
        reasons.append("no_usable_sender")
        return Verdict(Kind.OTHER, False, 0.5, True, tuple(reasons), language, False, None, None)
    text = mail.new_text
    # a reply inherits its subject ("RE: Aanmelding"): only the new text tells what it wants
    subject = "" if _REPLY_PREFIX.match(mail.subject) else mail.subject
    in_subject = {"cancel": bool(_CANCEL.search(subject)),
                  "register": bool(_REGISTER.search(subject))}
    in_text = {"cancel": bool(_CANCEL.search(text)), "register": bool(_REGISTER.search(text))}
    has_question = bool(_QUESTION.search(text))
    if in_text["cancel"] or (in_subject["cancel"] and not in_text["register"]):
        kind, hits = Kind.CANCELLATION, [in_subject["cancel"], in_text["cancel"]]
        reasons.append("cancellation_words")
    elif in_text["register"] or in_subject["register"]:
        kind, hits = Kind.REGISTRATION, [in_subject["register"], in_text["register"]]
        reasons.append("registration_words")
    elif has_question:
        kind, hits = Kind.QUESTION, [True, "?" in text]
        reasons.append("question_mark" if "?" in text else "question_words")
    else:
        kind, hits = Kind.OTHER, []
        reasons.append("no_intent_found")
    if has_question and kind is Kind.REGISTRATION:
        reasons.append("also_asks_question")
    confidence = {0: 0.4, 1: 0.7, 2: 0.9}[sum(map(bool, hits))]
    needs_review = (
        kind is Kind.OTHER
        or (kind in (Kind.REGISTRATION, Kind.CANCELLATION) and not trust.verified)
        or confidence < 0.6
    )
    return Verdict(kind, has_question and kind is not Kind.CANCELLATION, confidence, needs_review,
                   tuple(reasons), language, trust.verified, sender, name)


def detect_language(text: str) -> str:
    """``en`` when clearly more English than Dutch function words, else ``nl``."""
    words = re.findall(r"[a-z']+", text.lower())
    nl = sum(w in _NL_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    return "en" if en > nl else "nl"
