"""A composed mail read back as its recipient's client shows it. Pure.

In: the bytes of a mail (:func:`bot.outbound.reply.render_reply`) and its language. Out: a
:class:`Shown`: To, Subject, the HTML part (the images it carries by ``cid:``, the logo, put in
as ``data:`` URLs, so that a page can show it without the rest of the mail), the plain-text part
and the names of the attachments. The desk's previews (*Voorbeelden*, and a group mail before it
is sent) show mail this way, read from the very bytes that would go out.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from email import message_from_bytes, policy


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
