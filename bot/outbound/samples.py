"""Sample replies: a :class:`~bot.outbound.reply.ReplyRequest` for any purpose and language,
filled in the way a real one would be, with made-up people.

In: a purpose, a language (``nl`` or ``en``), and optionally the event's key, the desk's link,
the METHOD of a calendar invite to attach and ``every_branch`` (the sender also asked a
question, was promoted from the waiting list and named a colleague: every optional sentence
of the templates shows). Out: the request, for :func:`~bot.outbound.reply.render_reply`.
``inbox-bot check`` renders one per purpose and language with every branch
(:func:`bot.ops.preflight.check_templates`); the desk's page *Voorbeelden* shows them as the
recipient sees them (:mod:`bot.web.previews`). Nobody real is named, and nothing is sent.
"""

from __future__ import annotations

import logging

from bot.outbound.calendar import Invite
from bot.outbound.reply import Facts, Purpose, ReplyRequest
from bot.store.models import AttendeeStatus

log = logging.getLogger(__name__)

SAMPLE_NAME = "Fatima Bakker"
SAMPLE_ADDRESS = "f.bakker@example.org"
_TEXTS = {
    "nl": {
        "subject": "Aanmelding masterclass",
        "group_subject": "Praktische informatie over de masterclass",
        Purpose.STAFF_ANSWER: "De zaal is open vanaf 18:30 uur. Er is een garderobe, en er "
                              "staat koffie en thee klaar.",
        Purpose.GROUP_MAIL: "Fijn dat u er volgende week bij bent. Neemt u een "
                            "identiteitsbewijs mee? Dat wordt bij de ingang gevraagd.",
        "problem": "IMAP: de server weigert de inlog",
    },
    "en": {
        "subject": "Sign-up for the masterclass",
        "group_subject": "Practical information about the masterclass",
        Purpose.STAFF_ANSWER: "The room opens at 18:30. There is a cloakroom, and coffee and "
                              "tea are ready.",
        Purpose.GROUP_MAIL: "We are glad you will join us next week. Please bring an "
                            "identity document: it is asked for at the entrance.",
        "problem": "IMAP: the server refuses the login",
    },
}


def sample_request(purpose: Purpose, language: str, *, event_key: str = "", link: str = "",
                   invite_method: str | None = None, every_branch: bool = False
                   ) -> ReplyRequest:
    """A request for ``purpose`` in ``language`` to a made-up attendee (see the module)."""
    texts = _TEXTS[language if language in _TEXTS else "nl"]
    facts = Facts(has_question=every_branch, promoted=every_branch, position=3,
                  status=AttendeeStatus.REGISTERED,
                  colleagues=("Jan de Vries",) if every_branch else (),
                  answer=texts.get(purpose, ""), staff_name="Anna",
                  problem=texts["problem"], since="2025-11-20 09:14", questions=2, review=1,
                  link=link)
    invite = None if invite_method is None else Invite(
        uid="sample@example.org", sequence=0, method=invite_method,
        attendee_email=SAMPLE_ADDRESS, attendee_name=SAMPLE_NAME)
    subject = texts["group_subject" if purpose is Purpose.GROUP_MAIL else "subject"]
    return ReplyRequest(purpose=purpose, language=language, recipient=SAMPLE_ADDRESS,
                        name=SAMPLE_NAME, subject=subject, key=f"sample:{purpose}",
                        facts=facts, invite=invite, event_key=event_key,
                        human=purpose is Purpose.STAFF_ANSWER)
