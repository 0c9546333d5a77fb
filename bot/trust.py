"""Is the sender who they say they are? Pure.

In: a :class:`~bot.parse.ParsedMail` and the ``[trust]`` settings. Out: a :class:`Trust` saying
whether the sender is verified, and why (not). A sender is verified only when all hold
(DESIGN.md §4):

1. From holds exactly one mailbox and parsed without defects;
2. its domain, lower-cased with a trailing dot removed, is *exactly* one of the allowed domains
   (no suffix match: ``evil-tweedekamer.nl`` and ``tweedekamer.nl.evil.example`` are not allowed);
3. the topmost ``Authentication-Results`` header whose authserv-id is our own server's says
   ``dmarc=pass`` for that domain, or ``dkim=pass`` with ``header.d`` equal to that domain.

Headers from other authserv-ids are ignored: anybody can write an Authentication-Results header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.parse import ParsedMail

_COMMENT = re.compile(r"\([^()]*\)")


@dataclass(frozen=True)
class Trust:
    verified: bool
    reason: str  # a rule name for the verdict's reasons


def check_sender(mail: ParsedMail, *, allowed_domains: tuple[str, ...], authserv_id: str) -> Trust:
    """Decide whether the sender of ``mail`` is verified; see the module docstring."""
    if mail.sender is None or mail.sender_problem:
        return Trust(False, "sender_unparseable")
    domain = mail.sender.domain.lower().rstrip(".")
    if not domain.isascii() or domain not in allowed_domains:
        return Trust(False, "sender_domain_not_allowed")
    results = _our_results(mail.header("authentication-results"), authserv_id)
    if results is None:
        return Trust(False, "no_authentication_results")
    for method, result, props in results:
        if method == "dmarc" and result == "pass" and props.get("header.from") == domain:
            return Trust(True, "dmarc_pass")
    for method, result, props in results:
        if method == "dkim" and result == "pass" and props.get("header.d") == domain:
            return Trust(True, "dkim_aligned_pass")
    return Trust(False, "authentication_failed")


def _our_results(values: list[str], authserv_id: str):
    """Parse the topmost header written by ``authserv_id`` into (method, result, props) tuples."""
    for value in values:
        clauses = [c.strip() for c in _COMMENT.sub(" ", " ".join(value.split())).split(";")]
        if clauses[0].lower().split()[:1] != [authserv_id.lower()]:
            continue
        parsed = []
        for clause in clauses[1:]:
            words = clause.split()
            if not words or "=" not in words[0]:
                continue
            method, _, result = words[0].lower().partition("=")
            props = {}
            for word in words[1:]:
                key, _, prop = word.partition("=")
                props[key.lower()] = prop.lower().strip('"').rstrip(".")
            parsed.append((method, result, props))
        return parsed
    return None
