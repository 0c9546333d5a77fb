"""Classify stage: a :class:`~bot.inbound.parse.ParsedMail` in, a :class:`Verdict` out. Pure.

Order (small named rules; their names end up in ``Verdict.reasons`` so staff can see why):

1. loop guards (:mod:`bot.judge.automatic`): any hit makes the message ``automatic``, never
   answered;
2. sender identity (:mod:`bot.judge.trust`): decides whether a sign-up may be confirmed
   automatically; a sign-up or cancellation from anyone else gets ``unverified_sender`` and
   goes to staff;
3. intent, Dutch and English, read from the new text only (no quoted history, no signature)
   and from the subject unless the message is a reply (a reply inherits "RE: Aanmelding"):
   cancellation before registration ("ik kan me helaas niet aanmelden" is a decline), then
   registration, then question; nothing matched is ``other``;
4. details (:mod:`bot.judge.extract`): name, party, on-behalf-of, extra people, notes. A sign-up on
   behalf of someone else ("namens ...", or naming another person and nothing in the first
   person: ``for_someone_else``) is left to staff. A sign-up that also names a colleague by
   name only registers the sender, and the colleague waits for staff; one that gives a
   colleague's address (``extra_people``) is left to staff for everyone in it.

``may_reply`` is False when our address is not among the recipients (Bcc, a forward, an
alias: RFC 5230 §4.5), or when the message has no Return-Path at all (imported or appended by
a tool; RFC 3834 wants no reply where the return address is unknown) or a system one
(``noreply@`` of a mailing service): such mail is read as usual, recorded and left to staff
(``not_addressed_to_us``, ``no_return_path``, ``system_return_path``), never answered; so is
mail passed on with Resent-* headers (``resent``). A verified sender's mail whose Date is far
from its receipt (``date_far_from_receipt``: a replay) is not acted on either.
``Verdict.auth`` says how far our server authenticated the sender's own domain: an
acknowledgement goes only to an authenticated sender, and only one authenticated by DMARC or
DKIM gets their name and subject echoed (:mod:`bot.judge.trust`).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from email.utils import getaddresses

from bot import linear
from bot.config.types import DEFAULT_PARTIES, ClassifyConfig, TrustConfig
from bot.inbound.parse import ParsedMail
from bot.judge.automatic import Ours, automatic_reasons, system_return_path
from bot.judge.extract import Details, extract_details
from bot.judge.intent import read_intent
from bot.judge.trust import Auth, check_sender


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
    reply_phrases: tuple[str, ...] = ()  # our own replies' sentences (outbound.reply.own_phrases)
    brand: str = ""  # the name atop our mail's HTML part ([branding] name)

    @classmethod
    def from_settings(cls, our_address: str, aliases: tuple[str, ...], trust: TrustConfig,
                      classify: ClassifyConfig, reply_phrases: tuple[str, ...] = (),
                      brand: str = "") -> ClassifyContext:
        return cls(our_address, trust.allowed_domains, trust.authserv_id, aliases,
                   classify.parties, classify.min_confidence, reply_phrases, brand)

    @property
    def our_addresses(self) -> frozenset[str]:
        return frozenset(a.lower().rstrip(".") for a in (self.our_address, *self.aliases))

    @property
    def ours(self) -> Ours:
        return Ours(self.our_addresses, self.reply_phrases, self.brand)


@dataclass(frozen=True, kw_only=True)
class Verdict:
    kind: Kind
    has_question: bool
    confidence: float
    needs_review: bool
    reasons: tuple[str, ...]  # rule names, for staff (bot.web.reasons says them in Dutch)
    language: str           # "nl" or "en": the language of our reply
    verified: bool          # the sender is authenticated and from an allowed domain
    sender: str | None      # lower-cased address from From
    name: str | None        # the sender's name (From display name, else signature)
    may_reply: bool = True  # False: never answer automatically (not addressed to us)
    for_someone_else: bool = False  # a sign-up of others only: the sender is not among them
    details: Details = field(default_factory=Details)
    acts_alone: bool = False  # the bot may act without staff: register or cancel the sender
    auth: Auth = Auth.NONE    # how far our server authenticated the sender's own domain
    questions: tuple[str, ...] = ()  # the sentences that ask staff something


_SELF = linear.compile(
    r"\b(me|mij|mezelf|ikzelf|myself|count me)\b|\bik (kom|ben|zou|wil|hoop)\b|"
    r"\bi (would|will|am|'d|'ll|want|hope)\b",
    ignorecase=True,
)
_WORDS = linear.compile(r"[a-z']+")
DATE_SKEW = dt.timedelta(days=7)
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
    loop_guards = automatic_reasons(mail, ctx.ours)
    if loop_guards:
        return Verdict(kind=Kind.AUTOMATIC, has_question=False, confidence=0.95,
                       needs_review=False, reasons=tuple(loop_guards), language=language,
                       verified=False, sender=sender, name=details.name, may_reply=False,
                       details=details)
    trust = check_sender(mail, allowed_domains=ctx.allowed_domains, authserv_id=ctx.authserv_id)
    reasons = [trust.reason, *(w for w in trust.warnings if w != trust.reason)]
    intent = read_intent(mail.new_text, mail.subject, quoted=mail.quoted, language=language,
                         sent=mail.date.date() if mail.date else None)
    kind, has_question, confidence = Kind(intent.kind), intent.has_question, intent.confidence
    reasons += intent.reasons
    may_reply = addressed_to_us(mail, ctx.ours)
    no_return_path = not mail.has_header("return-path")
    unanswerable = no_return_path or system_return_path(mail) or resent(mail)
    for_someone_else = (kind is Kind.REGISTRATION and bool(details.extra_people)
                        and not _SELF.search(mail.new_text))
    review = [
        ("no_usable_sender", mail.sender is None),
        ("no_return_path", no_return_path),
        ("system_return_path", not no_return_path and system_return_path(mail)),
        ("resent", resent(mail)),
        ("date_far_from_receipt", trust.verified and date_far_from_receipt(mail)),
        ("unverified_sender",
         kind in (Kind.REGISTRATION, Kind.CANCELLATION) and not trust.verified),
        ("not_addressed_to_us", not may_reply),
        ("on_behalf_of", kind in (Kind.REGISTRATION, Kind.CANCELLATION)
         and details.on_behalf_of is not None),
        # others named with their address: the sender signs them up too; staff decide for all
        ("extra_people", kind is Kind.REGISTRATION and any(p.email for p in details.extra_people)),
        ("for_someone_else", for_someone_else),
        ("low_confidence", confidence < ctx.min_confidence and kind is not Kind.OTHER),
        *((reason, True) for reason in intent.review),
    ]
    reasons += [name for name, fired in review if fired]
    if kind is Kind.REGISTRATION and details.extra_people:  # also those without an address:
        reasons.append("extra_people")  # noted (bot.register.effects); once (dict.fromkeys)
    held = any(fired for _, fired in review)  # any of these: staff decide, the bot does not act
    needs_review = kind is Kind.OTHER or held
    acts_alone = trust.verified and not held
    return Verdict(kind=kind, has_question=has_question, confidence=confidence,
                   needs_review=needs_review, reasons=tuple(dict.fromkeys(reasons)),
                   language=language, verified=trust.verified, sender=sender, name=details.name,
                   may_reply=may_reply and sender is not None and not unanswerable,
                   for_someone_else=for_someone_else, details=details, acts_alone=acts_alone,
                   auth=trust.auth, questions=intent.questions)


def addressed_to_us(mail: ParsedMail, ours: Ours) -> bool:
    """Our address (or an alias, also with a ``+tag``) is in To, Cc, Resent-To or Resent-Cc:
    parsed addresses compared whole, never a substring of the header."""
    resent = [address for _, address in getaddresses(
        mail.header("resent-to") + mail.header("resent-cc")) if "@" in address]
    return any(ours.is_ours(address) for address in (*mail.to, *resent))


def resent(mail: ParsedMail) -> bool:
    """Resent-To and friends (RFC 5322 §3.6.6): someone passed the mail on; almost no signer
    signs these headers, so they may also be a replay of an MP's mail to someone else."""
    return any(name.startswith("resent-") for name, _ in mail.headers)


def date_far_from_receipt(mail: ParsedMail) -> bool:
    """The Date (which every signer signs) is more than :data:`DATE_SKEW` away from when our
    server received the mail, or missing: a signed mail replayed later, perhaps with a To
    that Microsoft 365 does not sign. Mail that no server received (no Received) is not
    judged here."""
    if mail.received_date is None:
        return False
    return mail.date is None or abs(mail.received_date - mail.date) > DATE_SKEW


def detect_language(text: str) -> str:
    """``en`` when clearly more English than Dutch function words, else ``nl``."""
    words = _WORDS.findall(text.lower())
    nl = sum(w in _NL_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    return "en" if en > nl else "nl"
