"""Is the sender who they say they are? Pure.

In: a :class:`~bot.parse.ParsedMail` and the ``[trust]`` settings. Out: a :class:`Trust` saying
whether the sender is verified, and why (not). A sender is verified only when all hold
(DESIGN.md §4, reliability-test-plan §3):

1. From holds exactly one mailbox and parsed without defects, and no ``Sender`` header names
   somebody else (DMARC covers only the From domain);
2. its domain, lower-cased with a trailing dot removed, is *exactly* one of the allowed domains
   (no suffix match, no Unicode folding: ``tweedekamer.nl.evil.example``, ``xtweedekamer.nl``
   and a look-alike with a Cyrillic letter are all refused);
3. the topmost ``Authentication-Results`` header whose authserv-id is our own server's (compared
   lower-cased, trailing dot removed) parses cleanly with authres and says ``dmarc=pass`` with
   ``header.from`` equal to that domain, or ``dkim=pass`` with ``header.d`` equal to it.

Headers from other authserv-ids are ignored (anybody can write one), lower headers with our id
are ignored (only our MX's topmost one counts), and a header that does not parse fails closed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import authres

from bot.parse import ParsedMail

_COMMENT = re.compile(r"\([^()]*\)")
_ADDRESS_LIKE = re.compile(r"[^\s@<>]+@[^\s@<>]+\.[a-z]{2,}", re.IGNORECASE)


@dataclass(frozen=True)
class Trust:
    verified: bool
    reason: str                  # a rule name for the verdict's reasons
    warnings: tuple[str, ...] = ()  # things staff should see even when verified is False


def check_sender(mail: ParsedMail, *, allowed_domains: tuple[str, ...], authserv_id: str) -> Trust:
    """Decide whether the sender of ``mail`` is verified; see the module docstring."""
    warnings = _warnings(mail)
    if mail.sender is None or mail.sender_problem:
        return Trust(False, "sender_unparseable", warnings)
    domain = _normalise(mail.sender.domain)
    if not domain.isascii() or domain not in allowed_domains:
        return Trust(False, "sender_domain_not_allowed", warnings)
    if "sender_header_differs" in warnings:
        return Trust(False, "sender_header_differs", warnings)
    results = our_results(mail.header("authentication-results"), authserv_id)
    if results is None:
        return Trust(False, "no_authentication_results", warnings)
    if results == "unparseable":
        return Trust(False, "authentication_results_unparseable", warnings)
    for method, result, props in results:
        if method == "dmarc" and result == "pass" and props.get("header.from") == domain:
            return Trust(True, "dmarc_pass", warnings)
    for method, result, props in results:
        if method == "dkim" and result == "pass" and props.get("header.d") == domain:
            return Trust(True, "dkim_aligned_pass", warnings)
    return Trust(False, "authentication_failed", warnings)


def our_results(values: list[str], authserv_id: str):
    """The (method, result, {ptype.property: value}) of the topmost header with our authserv-id.

    ``None`` when no header carries our id; ``"unparseable"`` when that header does not parse.
    """
    ours = _normalise(authserv_id)
    for value in values:
        value = " ".join(value.split())
        head, _, rest = value.partition(";")
        if _normalise(_COMMENT.sub(" ", head).strip()) != ours:
            continue
        try:
            header = authres.AuthenticationResultsHeader.parse_value(f"{ours};{rest}")
        except Exception:  # authres raises its own SyntaxError and others: fail closed
            return "unparseable"
        return [(str(r.method).lower(), str(r.result).lower(),
                 {f"{p.type}.{p.name}".lower(): _normalise(str(p.value).strip('"'))
                  for p in r.properties})
                for r in header.results]
    return None


def _warnings(mail: ParsedMail) -> tuple[str, ...]:
    found = []
    if mail.sender and _ADDRESS_LIKE.search(mail.sender.name):
        found.append("display_name_mimics_address")
    senders = mail.header("sender")
    if senders and mail.sender and mail.sender.address not in senders[0].lower():
        found.append("sender_header_differs")
    return tuple(found)


def _normalise(name: str) -> str:
    return name.strip().lower().rstrip(".")
