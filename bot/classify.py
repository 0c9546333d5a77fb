"""Classify stage: a :class:`~bot.parse.ParsedMail` in, a :class:`Verdict` out. Pure.

Order (small named rules; their names end up in ``Verdict.reasons`` so staff can see why):

1. loop guards (:mod:`bot.automatic`): any hit makes the message ``automatic``, never answered;
2. sender identity (:mod:`bot.trust`): decides whether a sign-up may be confirmed automatically;
   a sign-up or cancellation from anyone else gets ``unverified_sender`` and goes to staff;
3. intent, Dutch and English, read from the new text only (no quoted history, no signature)
   and from the subject unless the message is a reply (a reply inherits "RE: Aanmelding"):
   cancellation before registration ("ik kan me helaas niet aanmelden" is a decline), then
   registration, then question; nothing matched is ``other``;
4. details (:mod:`bot.extract`): name, party, on-behalf-of, extra people, notes. A sign-up on
   behalf of someone else ("namens ...", or naming another person and nothing in the first
   person) is left to staff; a sign-up that also names a colleague registers the sender and
   leaves the colleague to staff.

``may_reply`` is False when our address is not among the recipients (Bcc, a forward, an
alias: RFC 5230 §4.5); such mail is recorded and queued for staff, never answered.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from bot.automatic import automatic_reasons
from bot.config import ClassifyConfig, TrustConfig
from bot.extract import DEFAULT_PARTIES, Details, extract_details
from bot.intent import read_intent
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
    aliases: tuple[str, ...] = ()
    parties: tuple[str, ...] = DEFAULT_PARTIES
    min_confidence: float = 0.6

    @classmethod
    def from_settings(cls, our_address: str, aliases: tuple[str, ...], trust: TrustConfig,
                      classify: ClassifyConfig) -> ClassifyContext:
        return cls(our_address, trust.allowed_domains, trust.authserv_id, aliases,
                   classify.parties, classify.min_confidence)

    @property
    def our_addresses(self) -> frozenset[str]:
        return frozenset(a.lower().rstrip(".") for a in (self.our_address, *self.aliases))


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
    name: str | None        # the sender's name (From display name, else signature)
    may_reply: bool = True  # False: never answer automatically (not addressed to us)
    details: Details = field(default_factory=Details)
    acts_alone: bool = False  # the bot may act without staff: register or cancel the sender


_SELF = re.compile(
    r"\b(me|mij|mezelf|ikzelf|myself|count me)\b|\bik (kom|ben|zou|wil|hoop)\b|"
    r"\bi (would|will|am|'d|'ll|want|hope)\b",
    re.IGNORECASE,
)
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
    language = detect_language(f"{mail.subject}\n{mail.new_text}")
    details = extract_details(mail, parties=ctx.parties, our_addresses=ctx.our_addresses)
    loop_guards = automatic_reasons(mail, ctx.our_addresses)
    if loop_guards:
        return Verdict(Kind.AUTOMATIC, False, 0.95, False, tuple(loop_guards), language, False,
                       sender, details.name, may_reply=False, details=details)
    trust = check_sender(mail, allowed_domains=ctx.allowed_domains, authserv_id=ctx.authserv_id)
    reasons = [trust.reason, *trust.warnings]
    intent = read_intent(mail.new_text, mail.subject)
    kind, has_question, confidence = Kind(intent.kind), intent.has_question, intent.confidence
    reasons += intent.reasons
    may_reply = addressed_to_us(mail, ctx.our_addresses)
    review = [
        ("no_usable_sender", mail.sender is None),
        ("unverified_sender",
         kind in (Kind.REGISTRATION, Kind.CANCELLATION) and not trust.verified),
        ("not_addressed_to_us", not may_reply),
        ("on_behalf_of", kind is Kind.REGISTRATION and details.on_behalf_of is not None),
        ("for_someone_else", kind is Kind.REGISTRATION and bool(details.extra_people)
         and not _SELF.search(mail.new_text)),
        ("extra_people", kind is Kind.REGISTRATION and bool(details.extra_people)),
        ("low_confidence", confidence < ctx.min_confidence and kind is not Kind.OTHER),
    ]
    reasons += [name for name, fired in review if fired]
    needs_review = kind is Kind.OTHER or any(fired for _, fired in review)
    blocking = {"no_usable_sender", "unverified_sender", "not_addressed_to_us", "on_behalf_of",
                "for_someone_else", "low_confidence"}
    acts_alone = not any(fired for name, fired in review if name in blocking)
    return Verdict(kind, has_question, confidence, needs_review, tuple(reasons), language,
                   trust.verified, sender, details.name, may_reply and sender is not None,
                   details, acts_alone)


def addressed_to_us(mail: ParsedMail, ours: frozenset[str]) -> bool:
    """Our address (or an alias) is in To, Cc, Resent-To or Resent-Cc."""
    resent = " ".join(mail.header("resent-to") + mail.header("resent-cc")).lower()
    return any(a.rstrip(".") in ours for a in mail.to) or any(a in resent for a in ours)


def detect_language(text: str) -> str:
    """``en`` when clearly more English than Dutch function words, else ``nl``."""
    words = re.findall(r"[a-z']+", text.lower())
    nl = sum(w in _NL_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    return "en" if en > nl else "nl"
