"""Is the sender who they say they are? Pure.

In: a :class:`~bot.inbound.parse.ParsedMail` and the ``[trust]`` settings. Out: a :class:`Trust`
saying how far our own mail server authenticated the sender (:class:`Auth`), whether the sender is
*verified* (may be registered or cancelled without staff), and why (not).

A sender is verified only when all hold (DESIGN.md §4, reliability-test-plan §3):

1. From holds exactly one mailbox and parsed without defects, no ``Sender`` header names
   somebody else (DMARC covers only the From domain; the comparison is of parsed addresses),
   no header that must appear once appears twice (DKIM covers the bottom-most copy of a
   header, so a copy added on top of a signed mail is a replay), and the header block reads
   the same to Python's parser as to a mail server (``Van : x`` or a bare CR can hide the
   signed copies from the first);
2. its domain, lower-cased with a trailing dot removed, is *exactly* one of the allowed domains
   (no suffix match, no Unicode folding: ``tweedekamer.nl.evil.example``, ``xtweedekamer.nl``
   and a look-alike with a Cyrillic letter are all refused);
3. the topmost ``Authentication-Results`` header whose authserv-id is our own server's parses
   cleanly with authres, reports no method twice with different results, and says
   ``dmarc=pass`` with ``header.from`` equal to that domain, or ``dkim=pass`` with ``header.d``
   equal to it.

The same header decides :class:`Auth` for any domain: ``DOMAIN`` for an aligned dmarc or dkim pass
(From and, in practice, Subject are signed), ``ENVELOPE`` for only an SPF pass whose
``smtp.mailfrom`` domain is From's (the envelope is authenticated, not what the mail says), ``NONE``
otherwise. The header is read raw, never RFC 2047-decoded: text a sender chose (the envelope sender,
``smtp.helo``, a comment) must not become ``dmarc=pass`` by decoding. Headers from other
authserv-ids are ignored (anybody can write one), lower headers with our id are ignored (only our
MX's topmost one counts), and a header that does not parse fails closed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from email import policy

import authres

from bot import linear
from bot.inbound.parse import COMMENT, ParsedMail

# what looks like an address to a person reading a display name: looser than linear.ADDRESS on
# purpose (any visible characters around an @ and a dot fool the eye, valid or not)
_ADDRESS_LIKE = linear.compile(r"[^\s@<>]+@[^\s@<>]+\.[a-z]{2,}", ignorecase=True)


class Auth(enum.IntEnum):
    """How far our server authenticated the sender's own domain (whatever domain it is)."""

    NONE = 0
    ENVELOPE = 1  # SPF pass for the From domain: the envelope, not the text, is authenticated
    DOMAIN = 2    # aligned DMARC or DKIM pass: From (and what DKIM signs) is authenticated


@dataclass(frozen=True)
class Trust:
    verified: bool
    reason: str                  # a rule name for the verdict's reasons
    warnings: tuple[str, ...] = ()  # things staff should see even when verified is False
    auth: Auth = Auth.NONE


def check_sender(mail: ParsedMail, *, allowed_domains: tuple[str, ...], authserv_id: str) -> Trust:
    """Decide whether the sender of ``mail`` is verified; see the module docstring."""
    warnings = _warnings(mail)
    if mail.sender is None or mail.sender_problem:
        return Trust(False, "sender_unparseable", warnings)
    if mail.duplicate_headers:  # a replay of signed mail, perhaps: nothing in it is trusted
        return Trust(False, "duplicate_headers", warnings)
    if mail.hidden_headers:  # headers a mail server read and Python's parser did not
        return Trust(False, "headers_unclear", warnings)
    domain = _normalise(mail.sender.domain)
    results = our_results(mail.header("authentication-results"), authserv_id)
    problem = ("no_authentication_results" if results is None else
               "authentication_results_unparseable" if results == "unparseable" else
               "authentication_results_conflict" if _conflicting(results) else None)
    auth, how = (Auth.NONE, problem) if problem else _auth(results, domain)
    sent_for = _sent_for_someone(mail)
    if sent_for:
        auth = Auth.NONE  # someone else sent it on the From's behalf
    if not domain.isascii() or domain not in allowed_domains:
        return Trust(False, "sender_domain_not_allowed", warnings, auth)
    if sent_for:
        return Trust(False, "sender_header_differs", warnings)
    if auth is not Auth.DOMAIN:
        return Trust(False, problem or "authentication_failed", warnings, auth)
    return Trust(True, how, warnings, auth)


def our_results(values: list[str], authserv_id: str):
    """The (method, result, {ptype.property: value}) of the topmost header with our authserv-id.

    ``None`` when no header carries our id; ``"unparseable"`` when that header does not parse.
    """
    ours = _normalise(authserv_id)
    for value in values:
        value = " ".join(value.split())
        head, _, rest = value.partition(";")
        if _normalise(COMMENT.sub(" ", head).strip()) != ours:
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


def _conflicting(results: list) -> bool:
    """A method reported twice with different results (``dmarc=fail`` beside ``dmarc=pass``)."""
    verdicts: dict[str, set[str]] = {}
    for method, result, _props in results:
        verdicts.setdefault(method, set()).add(result)
    return any(len(found) > 1 for found in verdicts.values())


def _auth(results: list, domain: str) -> tuple[Auth, str]:
    """The strongest authentication of ``domain`` in our results, and its rule name."""
    for method, result, props in results:
        if method == "dmarc" and result == "pass" and props.get("header.from") == domain:
            return Auth.DOMAIN, "dmarc_pass"
    for method, result, props in results:
        if method == "dkim" and result == "pass" and props.get("header.d") == domain:
            return Auth.DOMAIN, "dkim_aligned_pass"
    for method, result, props in results:
        mailfrom = props.get("smtp.mailfrom", "")
        if method == "spf" and result == "pass" and mailfrom.rpartition("@")[2] == domain:
            return Auth.ENVELOPE, "spf_pass"
    return Auth.NONE, "authentication_failed"


def _warnings(mail: ParsedMail) -> tuple[str, ...]:
    found = []
    if mail.sender and _ADDRESS_LIKE.search(mail.sender.name):
        found.append("display_name_mimics_address")
    if _sent_for_someone(mail):
        found.append("sender_header_differs")
    return tuple(found)


def _sent_for_someone(mail: ParsedMail) -> bool:
    """A Sender header names another address than From: someone sent it on From's behalf."""
    senders = mail.header("sender")
    return bool(senders and mail.sender and _one_address(senders[0]) != mail.sender.address)


def _one_address(value: str) -> str | None:
    """The one address in a Sender header, lower-cased; None when it is not exactly one."""
    try:
        addresses = policy.default.header_factory("sender", value).addresses
    except Exception:  # the stdlib parser raises odd errors on crafted values: not an address
        return None
    return addresses[0].addr_spec.lower() if len(addresses) == 1 else None


def _normalise(name: str) -> str:
    return name.strip().lower().rstrip(".")
