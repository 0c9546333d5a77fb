"""The desk's page of every mail the bot can send (*Voorbeelden*, ``/voorbeelden``), in Dutch
and English, as its recipient sees it.

In: a GET from a logged-in staff member, with ``?event=KEY`` for another event than the first.
Out: the page: per purpose and language the subject, the attachments, the HTML part in a
sandboxed ``<iframe srcdoc>`` and the plain text. Each mail is made by the real
:func:`~bot.outbound.reply.render_reply` with the configuration (``[branding]``, the event) and
a made-up attendee (:func:`~bot.outbound.samples.sample_request`; the purposes that carry a
calendar invite carry one here too), then read back from its bytes
(:func:`~bot.outbound.mime.read_back`), so the page shows what a mail client gets. Nothing
is stored or sent. The logo, which a mail refers to as ``cid:``, is shown here as a ``data:``
URL: :data:`~bot.web.deps.PREVIEW_CSP` allows ``data:`` images on this page (and on a group
mail's preview) alone; the framed mail inherits the page's policy, so it can load nothing from
anywhere else either.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from bot.outbound.mime import read_back
from bot.outbound.reply import Purpose, render_reply
from bot.outbound.samples import sample_request
from bot.register.record import INVITES
from bot.store.models import utcnow
from bot.web.deps import PREVIEW_CSP
from bot.web.routes import StaffDep, page, page_event

log = logging.getLogger(__name__)
router = APIRouter()

LANGUAGES = ("nl", "en")


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
            mails.append(read_back(render_reply(reply, rt.config, rt.templates, now=now).raw,
                                   language))
        shown.append((purpose, mails))
    response = page(request, "previews.html", staff, previews=shown)
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    return response
