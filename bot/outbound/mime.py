"""Compose a reply's bytes: header values and the text, HTML and calendar parts in, an RFC 5322
message out. Pure.

The structure is the one mail clients expect: ``multipart/alternative`` (text, HTML), and with
an invite a ``text/calendar; method=...`` alternative plus the same ``.ics`` as an attachment,
the two wrapped in ``multipart/mixed`` (the layout Google Calendar sends, which Outlook accepts).

It uses the stdlib's compat32 classes (:mod:`email.mime`), which keep header strings as given,
rather than :class:`email.message.EmailMessage`, which parses every header into an object and
refolds it when writing: composing a reply that way cost several milliseconds, the largest part
of the bot's work per message. So this module encodes header values itself: non-ASCII text as
RFC 2047 encoded words, addresses with :func:`email.utils.formataddr`. Lines end in CRLF, and
headers are folded only past 998 characters (RFC 5322's hard limit), so a long Message-ID in
In-Reply-To or References stays one plain token (folding at 78 breaks threading).
"""

from __future__ import annotations

import uuid
from email import charset, encoders
from email.generator import BytesGenerator
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import Compat32
from email.utils import formataddr, parseaddr
from io import BytesIO

MAX_LINE = 998  # RFC 5322 §2.1.1


class _Unfolded(Compat32):
    """compat32 that writes a header which fits on one line as it is (our values are encoded
    already): its folding machinery cost more than the rest of composing a mail."""

    def fold_binary(self, name: str, value) -> bytes:
        if (isinstance(value, str) and value.isascii() and value.isprintable()
                and len(name) + 2 + len(value) <= MAX_LINE):  # no CR, LF or other control
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


POLICY = _Unfolded(linesep="\r\n", max_line_length=MAX_LINE)
UTF8_QP = charset.Charset("utf-8")
UTF8_QP.header_encoding = charset.QP
UTF8_QP.body_encoding = charset.QP  # readable in any client's "show source", unlike base64


def text_header(value: str) -> str:
    """``value`` as a header value: as is when ASCII, else RFC 2047 encoded words."""
    return value if value.isascii() else Header(value, UTF8_QP, maxlinelen=MAX_LINE).encode()


def address_header(name: str, address: str) -> str:
    """``Name <address>``; a non-ASCII name as encoded words, specials quoted. A non-ASCII
    address (RFC 6532: the outbox sends it with SMTPUTF8) is written as it is."""
    if not name:
        return address
    stand_in = "stand-in@example.invalid"  # formataddr refuses a non-ASCII address
    display = formataddr((name, stand_in), charset="utf-8").removesuffix(f"<{stand_in}>")
    return f"{display}<{address}>"


def mailbox_header(value: str) -> str:
    """A configured ``Name <address>`` (the From), encoded like :func:`address_header`."""
    name, address = parseaddr(value)
    return address_header(name, address)


def compose(headers: list[tuple[str, str]], text: str, html: str,
            invite: tuple[bytes, str, str] | None = None) -> bytes:
    """The message: ``headers`` (already encoded values) over the parts. ``invite`` is the
    ``.ics`` bytes, its METHOD and the attachment's file name."""
    body = MIMEMultipart("alternative", boundary=_boundary())
    body.attach(_text(text, "plain"))
    body.attach(_text(html, "html"))
    message: MIMEMultipart = body
    if invite is not None:
        ics, method, filename = invite
        calendar = _text(ics.decode("utf-8"), "calendar")
        calendar.set_param("method", method)
        body.attach(calendar)
        attachment = MIMEBase("application", "ics")
        del attachment["MIME-Version"]
        attachment.set_payload(ics)
        encoders.encode_base64(attachment)
        attachment.add_header("Content-Disposition", "attachment", filename=filename)
        message = MIMEMultipart("mixed", boundary=_boundary())
        del body["MIME-Version"]
        message.attach(body)
        message.attach(attachment)
    for name, value in headers:
        message[name] = value
    out = BytesIO()
    BytesGenerator(out, policy=POLICY).flatten(message)
    return out.getvalue()


def _boundary() -> str:
    """A part boundary that cannot occur in the content of any part: every leaf part is
    quoted-printable (which writes "=" as "=3D") or base64 (no "_"), so no content line reads
    "=_" (a new kind of part must keep to that); and the nested part's own boundary lines differ
    by their random rest. With a boundary given, ``BytesGenerator`` skips its search for a free
    one (a regular expression compiled per boundary)."""
    return f"=_{uuid.uuid4().hex}"


def _text(content: str, subtype: str) -> MIMENonMultipart:
    part = MIMENonMultipart("text", subtype)
    part.set_payload(content, UTF8_QP)
    del part["MIME-Version"]  # only the top of the message carries it
    return part
