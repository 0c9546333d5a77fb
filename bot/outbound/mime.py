"""Compose a reply's bytes: header values and the text, HTML and calendar parts in, an RFC 5322
message out; and back (:func:`read_back`): a composed message in, what its reader's client shows
out (To, Subject, the HTML with its logo as a ``data:`` URL, the plain text, the attachments'
names), for the desk's previews, read from the very bytes that would go out. Pure.

The structure is the one mail clients expect: ``multipart/alternative`` (text, HTML), and with
an invite a ``text/calendar; method=...`` alternative plus the same ``.ics`` as an attachment,
the two wrapped in ``multipart/mixed`` (the layout Google Calendar sends, which Outlook accepts).
With a logo the HTML alternative is ``multipart/related``: the HTML, and the image (base64,
``Content-ID``, ``Content-Disposition: inline``) it shows as ``cid:``, so that no client loads
anything from the internet to show our mail.

It uses the stdlib's compat32 classes (:mod:`email.mime`), which keep header strings as given,
rather than :class:`email.message.EmailMessage`, which parses every header into an object and
refolds it when writing: composing a reply that way cost several milliseconds, the largest part
of the bot's work per message. So this module encodes header values itself: non-ASCII text as
RFC 2047 encoded words, addresses with :func:`email.utils.formataddr`. Lines end in CRLF, and
headers are folded only past 998 characters (RFC 5322's hard limit), so a long Message-ID in
In-Reply-To or References stays one plain token (folding at 78 breaks threading).
"""

from __future__ import annotations

import base64
import binascii
import functools
import uuid
from dataclasses import dataclass
from email import charset, encoders, message_from_bytes, policy
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
            invite: tuple[bytes, str, str] | None = None,
            logo: tuple[bytes, str, str] | None = None) -> bytes:
    """The message: ``headers`` (already encoded values) over the parts. ``invite`` is the
    ``.ics`` bytes, its METHOD and the attachment's file name; ``logo`` the image's bytes, its
    subtype (``png``) and the Content-ID the HTML refers to (``cid:`` + it, without ``<>``)."""
    body = MIMEMultipart("alternative", boundary=_boundary())
    body.attach(_text(text, "plain"))
    stand_in = f"logo-{uuid.uuid4().hex}"  # for the image's base64, put in after flattening
    body.attach(_html(html) if logo is None else _related(html, *logo, stand_in))
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
    if logo is None:
        return out.getvalue()
    # the generator writes a payload line by line (a 20 KB logo took a millisecond a mail);
    # the same lines, encoded once per logo, replace the one-line stand-in
    return out.getvalue().replace(stand_in.encode("ascii"), _base64(logo[0]), 1)


def _boundary() -> str:
    """A part boundary that cannot occur in the content of any part: every leaf part is
    quoted-printable (which writes "=" as "=3D") or base64 (no "_"), so no content line reads
    "=_" (a new kind of part must keep to that); and the nested part's own boundary lines differ
    by their random rest. With a boundary given, ``BytesGenerator`` skips its search for a free
    one (a regular expression compiled per boundary)."""
    return f"=_{uuid.uuid4().hex}"


def _related(html: str, image: bytes, subtype: str, content_id: str, stand_in: str
             ) -> MIMEMultipart:
    """``multipart/related``: the HTML and the image it refers to by ``content_id``; the
    image's payload is ``stand_in`` until :func:`compose` puts its base64 in."""
    related = MIMEMultipart("related", boundary=_boundary(), type="text/html")
    del related["MIME-Version"]
    related.attach(_html(html))
    part = MIMENonMultipart("image", subtype)
    del part["MIME-Version"]
    part.set_payload(stand_in)
    part["Content-Transfer-Encoding"] = "base64"
    part["Content-ID"] = f"<{content_id}>"
    part.add_header("Content-Disposition", "inline", filename=f"logo.{subtype}")
    related.attach(part)
    return related


@functools.lru_cache(maxsize=4)  # the configured logo (and a test's)
def _base64(data: bytes) -> bytes:
    """``data`` in base64 lines of 76 characters ending in CRLF: the bytes the generator
    writes for what ``encoders.encode_base64`` makes."""
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def _html(content: str) -> MIMENonMultipart:
    """The HTML part, quoted-printable like :func:`_text` (the same bytes), by the C encoder:
    the stdlib's pure-Python one took a fifth of the time of composing a mail on our HTML."""
    part = MIMENonMultipart("text", "html", charset="utf-8")
    del part["MIME-Version"]
    part["Content-Transfer-Encoding"] = "quoted-printable"
    part.set_payload(binascii.b2a_qp(content.encode("utf-8")).decode("ascii"))
    return part


def _text(content: str, subtype: str) -> MIMENonMultipart:
    part = MIMENonMultipart("text", subtype)
    part.set_payload(content, UTF8_QP)
    del part["MIME-Version"]  # only the top of the message carries it
    return part


@dataclass(frozen=True)
class Shown:
    language: str
    to: str
    subject: str
    html: str  # with its images as data: URLs
    text: str  # line ends as \n
    attachments: tuple[str, ...]


def read_back(raw: bytes, language: str) -> Shown:
    """What a reader of ``raw`` sees (see the module)."""
    message = message_from_bytes(raw, policy=policy.default)
    html_part = message.get_body(preferencelist=("html",))
    text_part = message.get_body(preferencelist=("plain",))
    html = html_part.get_content() if html_part is not None else ""
    for part in message.walk():
        content_id = (part["Content-ID"] or "").strip("<>")
        if content_id and part.get_content_maintype() == "image":
            data = base64.b64encode(part.get_content()).decode("ascii")
            html = html.replace(f"cid:{content_id}",
                                f"data:{part.get_content_type()};base64,{data}")
    attachments = tuple(part.get_filename() or "" for part in message.walk()
                        if part.get_content_disposition() == "attachment")
    text = text_part.get_content().replace("\r\n", "\n") if text_part is not None else ""
    return Shown(language, str(message["To"] or ""), str(message["Subject"] or ""), html, text,
                 attachments)
