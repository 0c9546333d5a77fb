"""A stored message taken apart for staff to read: headers, text, HTML, attachments. Pure.

In: the raw bytes of an inbound message. Out: a :class:`MailView`. Nothing here is trusted or
rendered: the HTML goes through :func:`bot.web.sanitize.sanitize_html` before a browser sees it,
attachments are only ever offered as downloads, and inline (``cid:``) images are served from our own
authenticated endpoint. Hostile mail reaches staff too (the quarantine): taking a message apart has
the worker's time budget (``[worker] message_seconds``, :mod:`bot.pipeline.budget`) and shows at
most :data:`~bot.inbound.htmltext.SCAN_LIMIT` characters of text, and HTML as
:func:`~bot.inbound.htmltext.defuse_html` prepares it for a parser.
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field

from bot.errors import MessageTooSlow
from bot.inbound.htmltext import SCAN_LIMIT, defuse_html, html_to_text
from bot.inbound.parse import clean_text
from bot.pipeline.budget import run_within

SHOWN_HEADERS = ("From", "Sender", "Reply-To", "To", "Cc", "Subject", "Date", "Message-ID",
                 "Authentication-Results", "Auto-Submitted", "Return-Path")


@dataclass(frozen=True)
class Part:
    index: int
    filename: str
    content_type: str
    size: int
    content_id: str | None


@dataclass
class MailView:
    headers: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""
    html: str | None = None
    attachments: list[Part] = field(default_factory=list)
    problem: str | None = None


def view_message(raw: bytes, *, seconds: float) -> MailView:
    """Take ``raw`` apart within ``seconds``; a message the stdlib cannot walk still shows its
    text, one that takes too long shows why."""
    try:
        return run_within(seconds, _view, raw)
    except MessageTooSlow as e:
        return MailView(problem=str(e))


def _view(raw: bytes) -> MailView:
    view = MailView()
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        for name in SHOWN_HEADERS:
            for value in msg.get_all(name) or []:
                view.headers.append((name, clean_text(str(value))))
        for index, part in enumerate(msg.walk()):
            if part.is_multipart():
                continue
            disposition = part.get_content_disposition()
            ctype = part.get_content_type()
            if disposition != "attachment" and ctype == "text/plain" and not view.text:
                view.text = clean_text(_text(part)[:SCAN_LIMIT])
            elif disposition != "attachment" and ctype == "text/html" and view.html is None:
                view.html = defuse_html(clean_text(_text(part)[:SCAN_LIMIT]))
            else:
                payload = part.get_payload(decode=True) or b""
                view.attachments.append(Part(
                    index, clean_text(part.get_filename() or f"deel-{index}"), ctype,
                    len(payload), (part.get("Content-ID") or "").strip("<> ") or None))
    except Exception as e:  # a message we cannot walk: show what we can, say why
        view.problem = f"{type(e).__name__}"
        view.text = clean_text(raw[:SCAN_LIMIT].decode("utf-8", "replace"))
    if not view.text and view.html:
        view.text = html_to_text(view.html)
    return view


def part_bytes(raw: bytes, index: int, *, seconds: float) -> tuple[str, bytes] | None:
    """The content type and decoded bytes of part ``index`` (numbered as in ``walk()``);
    None when there is no such part, or the message cannot be walked within ``seconds``."""
    try:
        return run_within(seconds, _part_bytes, raw, index)
    except (MessageTooSlow, ValueError, LookupError, TypeError, IndexError):
        return None


def _part_bytes(raw: bytes, index: int) -> tuple[str, bytes] | None:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    for number, part in enumerate(msg.walk()):
        if number == index and not part.is_multipart():
            return part.get_content_type(), part.get_payload(decode=True) or b""
    return None


def _text(part) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, "replace")
    except LookupError:
        return payload.decode("utf-8", "replace")
