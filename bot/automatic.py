"""Loop guards: is this message written by a machine? Pure.

In: a :class:`~bot.parse.ParsedMail` and our own addresses (lower-cased). Out: the names of the
rules that fired (empty when a person wrote it). Any rule firing means the message is never answered
(RFC 3834 §2, RFC 5230 §4.6). The rules run first in the classifier and in this order; each is
a small function whose name appears in the verdict's reasons so staff can see why.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.parse import ParsedMail

OUR_MESSAGE_ID_PREFIX = "<inbox-bot."

_LIST_HEADERS = (
    "list-id", "list-help", "list-subscribe", "list-unsubscribe", "list-post", "list-owner",
    "list-archive", "x-mailing-list",
)
_SYSTEM_LOCALPART = re.compile(
    r"^(mailer-daemon|postmaster|listserv|majordomo|owner-.*|.*-request|.*-owner|"
    r"no[-_.]?reply|do[-_.]?not[-_.]?reply|bounces?|.*\+bounces?)$",
    re.IGNORECASE,
)
_OOO_SUBJECT = re.compile(
    r"^\s*(automatisch antwoord|afwezig\w*|out of (the )?office|automatic reply|auto[- ]?reply|"
    r"autoreply|vacation|abwesenheitsnotiz|réponse automatique|niet aanwezig)\b",
    re.IGNORECASE,
)
_OOO_OPENING = re.compile(
    r"(?:^|(?<=[.!?] ))\s*(ik ben (momenteel |vandaag |tot en met .{1,30} )?(afwezig|niet aanwezig|"
    r"(met|op) (vakantie|\w*verlof)|niet op kantoor|niet bereikbaar)|"
    r"i am (currently )?(out of (the )?office|away|on (annual )?leave)|"
    r"dit is een automatisch (antwoord|bericht)|this is an automatic (reply|response|message))",
    re.IGNORECASE | re.MULTILINE,
)
_OOO_SUPPORT = re.compile(
    r"terugkomst|terug op kantoor|ben weer (aanwezig|bereikbaar)|in dringende gevallen|"
    r"beperkt toegang|geen toegang tot (mijn )?e-?mail|wordt (niet )?doorgestuurd|"
    r"automatisch (antwoord|bericht)|upon my return|when i return|limited access|"
    r"for urgent matters|automatic (reply|response)",
    re.IGNORECASE,
)

Rule = Callable[[ParsedMail, frozenset[str]], bool]


def auto_submitted(mail: ParsedMail, _ours: frozenset[str]) -> bool:
    """Auto-Submitted with any value other than ``no`` (comments and case ignored)."""
    for value in mail.header("auto-submitted"):
        if re.sub(r"\([^)]*\)", "", value).strip().lower() != "no":
            return True
    return False


def precedence_bulk(mail: ParsedMail, _ours: frozenset[str]) -> bool:
    """Precedence or X-Precedence bulk, list, junk or auto_reply."""
    values = mail.header("precedence") + mail.header("x-precedence")
    return any(v.strip().lower() in {"bulk", "list", "junk", "auto_reply"} for v in values)


def list_headers(mail: ParsedMail, _ours: frozenset[str]) -> bool:
    """Any List-* header of RFC 2369/2919, or X-Mailing-List."""
    return any(mail.has_header(name) for name in _LIST_HEADERS)


def autoreply_headers(mail: ParsedMail, _ours: frozenset[str]) -> bool:
    """X-Autoreply, X-Autorespond, X-Auto-Response-Suppress, X-Loop or X-Ack, as responders
    and Exchange write them."""
    names = ("x-autoreply", "x-autorespond", "x-auto-response-suppress", "x-loop", "x-ack")
    return any(mail.has_header(name) for name in names)


def null_return_path(mail: ParsedMail, _ours: frozenset[str]) -> bool:
    """Return-Path missing or ``<>``: a reply would have nowhere to go (RFC 3834 §2)."""
    values = mail.header("return-path")
    return not values or values[0].strip() in {"<>", "<<>>", ""}


def system_sender(mail: ParsedMail, _ours: frozenset[str]) -> bool:
    """MAILER-DAEMON, postmaster, LISTSERV, majordomo, -request, owner-, noreply senders."""
    if mail.sender is None:
        return False
    return bool(_SYSTEM_LOCALPART.match(mail.sender.address.rpartition("@")[0]))


def our_own_mail(mail: ParsedMail, ours: frozenset[str]) -> bool:
    """From (or Return-Path) one of our own addresses, or our own Message-ID coming back."""
    if mail.sender is not None and mail.sender.address.rstrip(".") in ours:
        return True
    return_path = mail.header("return-path")[:1]
    if return_path and return_path[0].strip(" <>").lower().rstrip(".") in ours:
        return True
    return (mail.message_id or "").startswith(OUR_MESSAGE_ID_PREFIX)


def delivery_report(mail: ParsedMail, _ours: frozenset[str]) -> bool:
    """multipart/report: delivery status notifications and read receipts."""
    return mail.content_type == "multipart/report"


def bounce_detected(mail: ParsedMail, _ours: frozenset[str]) -> bool:
    """flufl.bounce found permanently failed recipients: a bounce in any MTA's format."""
    return bool(mail.failed_recipients)


def out_of_office_text(mail: ParsedMail, _ours: frozenset[str]) -> bool:
    """Out-of-office wording without any header: the subject prefix, an opening line such as
    "Ik ben afwezig tot ..." that starts the text, or starts a later line of a short text
    that also says when the sender is back ("na mijn terugkomst", "in dringende gevallen")."""
    if _OOO_SUBJECT.match(mail.subject):
        return True
    text = mail.new_text[:600]
    opening = _OOO_OPENING.search(text)
    if opening is None:
        return False
    return opening.start() == len(text) - len(text.lstrip()) or bool(_OOO_SUPPORT.search(text))


RULES: tuple[Rule, ...] = (
    auto_submitted, precedence_bulk, list_headers, autoreply_headers, null_return_path,
    system_sender, our_own_mail, delivery_report, bounce_detected, out_of_office_text,
)


def automatic_reasons(mail: ParsedMail, our_addresses: frozenset[str]) -> list[str]:
    """The names of every loop-guard rule that fires on ``mail`` (addresses lower-cased)."""
    return [rule.__name__ for rule in RULES if rule(mail, our_addresses)]
