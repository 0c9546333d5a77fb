"""Parse stage: raw message bytes in, a frozen :class:`ParsedMail` out. Pure; no I/O.

mail-parser does the MIME work (bodies, attachments, defects); the sender is parsed once more,
strictly, with ``email.policy.default`` (DESIGN.md §4). HTML-only mail is turned into readable text,
undecodable charsets are replaced rather than fatal, and the new text of a reply is cut from its
quoted history and signature so that the classifier reads only what the sender wrote. Messages that
are not mail at all, or break a size or structure cap (:mod:`bot.inbound.caps`), raise
:class:`~bot.errors.MessageRejected`. Bounces get their failed recipients from flufl.bounce. Text
that reaches the database never holds lone surrogates (undecodable bytes become U+FFFD).

Headers that decide (Authentication-Results, From's address, Return-Path, Auto-Submitted, List-*,
Precedence, Received, Message-ID, References) are kept raw and unfolded, never RFC 2047-decoded: a
decoded encoded word can forge ``dmarc=pass`` inside our own server's header (DESIGN.md §4). Only
what people read is decoded: the subject and display names. A second Subject, To, Cc, Date,
Message-ID, In-Reply-To, References, Sender or Reply-To is listed in ``duplicate_headers`` (DKIM
signs the bottom copy, so the top one can be a replay), counted also as a mail server reads the
header block (``Subject :`` with a space, after a line Python's parser stops at); ``hidden_headers``
says the two readings differ at all. Where one value is needed, the bottom-most Subject is used (the
other single headers are read from the top copy, but such mail is never verified). The text the
classifier reads is capped: the plain text at :data:`TEXT_LIMIT` (what is above it is cut before
quotes and signatures are looked for); HTML is prepared by :func:`bot.inbound.htmltext.defuse_html`
(capped, long tags dropped).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from dataclasses import dataclass
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

import mailparser
from flufl.bounce import all_failures

from bot import linear
from bot.errors import MessageRejected
from bot.inbound.caps import Limits, check_caps, header_names
from bot.inbound.htmltext import html_to_text
from bot.inbound.quotes import cut_signature, split_history

log = logging.getLogger(__name__)

OUR_MESSAGE_ID_PREFIX = "<inbox-bot."  # every Message-ID we send starts so (bot.outbound.reply)
MAX_ADDRESS = 254  # characters of an address (RFC 5321 §4.5.3.1.3: a path of 256 with its <>)
TEXT_LIMIT = 64 * 1024    # characters of plain text the classifier reads
SINGLE_HEADERS = ("subject", "to", "cc", "date", "message-id", "in-reply-to", "references",
                  "sender", "reply-to")
_UNFOLD = linear.compile(r"\r?\n([ \t])")
COMMENT = linear.compile(r"\([^()]*\)")  # an RFC 5322 comment in a header (not nested)
# no control characters (RFC 5322 §3.6.4 allows none): PostgreSQL refuses a NUL in any text
_MESSAGE_IDS = linear.compile(r"<[^<>\s\x00-\x1f\x7f]{1,250}>")
_PARTSTAT = linear.compile(r"PARTSTAT=(ACCEPTED|DECLINED|TENTATIVE)", ignorecase=True)
_COMMENT = linear.compile(r"^COMMENT[^:\r\n]*:([^\r\n]*)", multiline=True)
CALENDAR_LOOKED_AT = 20_000  # characters of a text/calendar part read for its answer
_OUR_IDS = linear.compile(
    linear.escape(OUR_MESSAGE_ID_PREFIX).encode() + rb"[^<>\s]{1,200}>")


@dataclass(frozen=True)
class Sender:
    """The one mailbox in From, after a strict parse."""

    address: str  # lower-cased
    name: str

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2].rstrip(".")


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str


@dataclass(frozen=True)
class ParsedMail:
    """Everything later stages need from one message."""

    message_id: str | None
    sender: Sender | None
    sender_problem: str | None  # why ``sender`` is None or untrustworthy
    to: tuple[str, ...]
    subject: str
    date: dt.datetime | None
    content_type: str
    text: str       # the whole plain text (HTML converted), at most TEXT_LIMIT characters
    unquoted: str   # the text above the quoted history, signature included (bot.inbound.quotes)
    new_text: str   # what the sender wrote now: no quoted reply, no signature
    quoted: str     # the quoted history the sender answers (bot.inbound.quotes)
    headers: tuple[tuple[str, str], ...]  # (lower-cased name, raw unfolded value), in order
    attachments: tuple[Attachment, ...]
    defects: tuple[str, ...]
    references: tuple[str, ...]
    failed_recipients: tuple[str, ...] = ()  # from a bounce: addresses that could not be reached
    bounced_ids: tuple[str, ...] = ()  # from a bounce: Message-IDs of ours it returns
    duplicate_headers: tuple[str, ...] = ()  # single-instance headers that appear twice
    hidden_headers: bool = False  # a mail server sees header fields that Python's parser did not
    received_date: dt.datetime | None = None  # when our server received it (topmost Received)
    calendar_reply: str | None = None  # "ACCEPTED", "DECLINED" or "TENTATIVE": an answer to
    # our calendar invitation (text/calendar, METHOD:REPLY)

    def header(self, name: str) -> list[str]:
        """All values of header ``name`` (case-insensitive), topmost first."""
        name = name.lower()
        return [value for key, value in self.headers if key == name]

    def has_header(self, name: str) -> bool:
        return any(key == name.lower() for key, _ in self.headers)


def parse_message(raw: bytes, *, max_bytes: int) -> ParsedMail:
    """Parse ``raw`` into a :class:`ParsedMail`, or raise MessageRejected saying why not."""
    check_caps(raw, Limits(max_bytes=max_bytes))
    try:
        mail = mailparser.parse_from_bytes(raw)
    except Exception as e:  # mail-parser wraps many stdlib errors; any of them rejects this mail
        raise MessageRejected(f"mail-parser failed: {type(e).__name__}: {e}") from e
    msg: Message = mail.message
    headers = tuple((k.lower(), unfold(v)) for k, v in msg.raw_items())
    plain = "\n".join(mail.text_plain).strip()
    text = plain or "\n".join(html_to_text(h) for h in mail.text_html).strip()
    text = clean_text(text[:TEXT_LIMIT])
    unquoted, quoted = split_history(text)
    # the raw values: decoding encoded words first would turn =?utf-8?q?mp=40x.nl?= into an address
    sender, problem = parse_sender([v for k, v in headers if k == "from"])
    failed = _failed_recipients(msg, headers)
    names, bare_cr = header_names(raw)  # the header block as a mail server and DKIM read it
    return ParsedMail(
        message_id=_message_id(msg.get("Message-ID")),
        sender=sender,
        sender_problem=problem,
        to=tuple(_header_addresses(msg, "to") + _header_addresses(msg, "cc")),
        subject=_decode(next((v for k, v in reversed(headers) if k == "subject"), "")).strip(),
        date=_date(msg.get("Date")),
        content_type=msg.get_content_type(),
        text=text,
        unquoted=unquoted,
        new_text=cut_signature(unquoted),
        quoted=quoted,
        headers=headers,
        attachments=tuple(
            Attachment(str(a.get("filename") or ""), str(a.get("mail_content_type") or ""))
            for a in mail.attachments
        ),
        defects=tuple(_flatten_defects(mail.defects)),
        references=tuple(_message_ids(msg.get("References", "")) + _message_ids(
            msg.get("In-Reply-To", ""))),
        failed_recipients=failed,
        bounced_ids=tuple(dict.fromkeys(
            i.decode("ascii", "replace") for i in _OUR_IDS.findall(raw))) if failed else (),
        duplicate_headers=tuple(name for name in SINGLE_HEADERS
                                if names.count(name) > 1 or
                                sum(k == name for k, _ in headers) > 1),
        hidden_headers=bare_cr or len(names) != len(headers) or "" in names,
        received_date=next((_date(v.rpartition(";")[2]) for k, v in headers if k == "received"),
                           None),
        calendar_reply=_calendar_reply(msg),
    )


def _calendar_reply(msg: Message) -> str | None:
    """The answer in a text/calendar METHOD:REPLY part ("Geaccepteerd: Masterclass"), if any."""
    for part in msg.walk():
        if part.get_content_type() == "text/calendar" and \
                str(part.get_param("method") or "").upper() == "REPLY":
            text = (part.get_payload(decode=True) or b"")[:CALENDAR_LOOKED_AT].decode(
                "utf-8", "replace")
            found = _PARTSTAT.search(text)
            # a COMMENT with words in it is someone's words: read as mail (Outlook adds an
            # empty one, "COMMENT;LANGUAGE=en-GB:\\n")
            said = any(c.group(1).replace("\\n", "").strip() for c in _COMMENT.finditer(text))
            if found and not said:
                return found.group(1).upper()
    return None


def parse_sender(values: list[str]) -> tuple[Sender | None, str | None]:
    """One strict parse of From: exactly one header, one mailbox, no defects."""
    if not values:
        return None, "no From header"
    try:  # the stdlib parser raises IndexError, AttributeError, ... on some crafted values
        header = policy.default.header_factory("from", values[0])
        addresses = header.addresses
    except Exception:
        return None, "From cannot be parsed"
    if len(addresses) != 1:
        return None, f"From holds {len(addresses)} addresses"
    if not addresses[0].domain:
        return None, "From holds no address with a domain"
    address = addresses[0]
    if len(address.addr_spec) > MAX_ADDRESS:
        return None, f"From's address is longer than {MAX_ADDRESS} characters"
    sender = Sender(clean_text(address.addr_spec.lower()), clean_text(address.display_name or ""))
    if len(values) > 1:
        return sender, "more than one From header"
    if header.defects:
        return sender, f"From has defects: {type(header.defects[0]).__name__}"
    return sender, None


def unfold(value: object) -> str:
    """A raw header value on one line, as the sender wrote it: never RFC 2047-decoded; 8-bit
    bytes that are valid UTF-8 (RFC 6532) become their text, others U+FFFD."""
    return _UNFOLD.sub(r"\1", clean_text(_utf8_header(value)))


def _decode(value: str) -> str:
    """A header value people read (the subject): RFC 2047 words decoded."""
    with contextlib.suppress(LookupError, UnicodeError, ValueError, AssertionError):
        value = str(make_header(decode_header(value)))
    return clean_text(value)


def _utf8_header(value: object) -> str:
    """A raw header value; 8-bit bytes that are valid UTF-8 (RFC 6532) become their text."""
    text = str(value)
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeDecodeError:
        return text


def clean_text(text: str) -> str:
    """Replace lone surrogates (undecodable bytes) and NULs, which no database accepts."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace").replace("\0", "")


def _failed_recipients(msg: Message, headers: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The permanently failed recipients of a bounce (flufl.bounce); () for other mail."""
    looks_like_bounce = msg.get_content_type() == "multipart/report" or any(
        name == "return-path" and value.strip() in ("<>", "<<>>") for name, value in headers)
    if not looks_like_bounce:
        return ()
    try:
        _temporary, permanent = all_failures(msg)
    except Exception:  # a detector choking on odd input must not lose the message
        log.debug("flufl.bounce failed", exc_info=True)
        return ()
    return tuple(sorted(clean_text(a.decode("ascii", "replace")).lower() for a in permanent))


def _message_id(value: str | None) -> str | None:
    ids = _message_ids(value or "")
    return ids[0] if ids else None


def _message_ids(value: str) -> list[str]:
    return _MESSAGE_IDS.findall(str(value))


def _header_addresses(msg: Message, name: str) -> list[str]:
    """Recipients, for the "is it addressed to us" check only (never for identity)."""
    values = [str(v) for v in msg.get_all(name) or []]
    return [clean_text(addr.lower()) for _, addr in getaddresses(values) if "@" in addr]


def _date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        date = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    if date.tzinfo is None:
        date = date.replace(tzinfo=dt.UTC)
    return date.astimezone(dt.UTC)


def _flatten_defects(defects: list) -> list[str]:
    out: list[str] = []
    for item in defects:
        if isinstance(item, dict):
            for values in item.values():
                out.extend(str(v).split(":")[0] for v in values)
        else:
            out.append(str(item))
    return out
