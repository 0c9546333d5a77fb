"""The desk's page of every mail the bot can send (*Voorbeelden*, ``/voorbeelden``), in Dutch
and English, as its recipient sees it.

In: a GET from a logged-in staff member, with ``?event=KEY`` for another event than the first.
Out: the page: per purpose and language the subject, the attachments, the HTML part in a
sandboxed ``<iframe srcdoc>`` and the plain text. Each mail is made by the real
:func:`~bot.outbound.reply.render_reply` with the configuration (``[branding]``, the event) and
a made-up attendee (:func:`~bot.outbound.samples.sample_request`; the purposes that carry a
calendar invite carry one here too), then read back from its bytes with the stdlib's parser,
so the page shows what a mail client gets. Nothing is stored or sent. The logo, which a mail
refers to as ``cid:``, is shown here as a ``data:`` URL: :data:`PREVIEW_CSP` allows ``data:``
images on this page alone (every other page keeps :data:`~bot.web.deps.PAGE_CSP`); the
framed mail inherits the page's policy, so it can load nothing from anywhere else either.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from email import message_from_bytes, policy

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from bot.outbound.reply import Purpose, render_reply
from bot.outbound.samples import sample_request
from bot.register.record import INVITES
from bot.store.models import utcnow
from bot.web.deps import PAGE_CSP
from bot.web.routes import StaffDep, page, page_event

log = logging.getLogger(__name__)
router = APIRouter()

PREVIEW_CSP = PAGE_CSP.replace("img-src 'self';", "img-src 'self' data:;")
LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Preview:
    """One mail as its recipient gets it."""

    language: str
    subject: str
    html: str  # its HTML part, with the images it carries as data: URLs
    text: str  # its plain-text part
    attachments: tuple[str, ...]


@router.get("/voorbeelden", response_class=HTMLResponse)
def previews_page(request: Request, staff: StaffDep):
    rt, event = request.app.state.rt, page_event(request)
    now = utcnow()
    link = rt.config.web.public_url or ""
    shown = []
    for purpose in Purpose:
        mails = []
        for language in LANGUAGES:
            reply = sample_request(purpose, language, event_key=event.key, link=link,
                                   invite_method=INVITES.get(purpose))
            mails.append(read_mail(render_reply(reply, rt.config, rt.templates, now=now).raw,
                                   language))
        shown.append((purpose, mails))
    response = page(request, "previews.html", staff, previews=shown)
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    return response


def read_mail(raw: bytes, language: str) -> Preview:
    """The parts of a composed mail a reader sees, read back from its bytes."""
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
    return Preview(language=language, subject=str(message["Subject"] or ""), html=html,
                   text=text_part.get_content() if text_part is not None else "",
                   attachments=attachments)
