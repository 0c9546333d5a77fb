"""The desk's words for the bot's values: every status, kind of message and kind of mail as staff
say it, in Dutch, with the code name kept as a tooltip (as for the bot's reasons,
:mod:`bot.web.reasons`).

In: a value and its vocabulary (``attendee``, ``message``, ``question``, ``outbound``, ``kind``,
``purpose``, ``audit``). Out: its Dutch word (:func:`~bot.staff.words.label`, kept with the
staff layer, whose results name statuses too) as HTML with the code name as its tooltip
(:func:`labelled`, the templates' ``label`` filter: ``{{ a.status|label("attendee") }}``); the
queue's tabs (:data:`VIEWS`). And how long something has waited, in words (:func:`waited`).
"""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from bot.staff.words import label
from bot.store.queue import View

# the question queue's tabs (bot.store.queue.View)
VIEWS = {View.OPEN: "Open", View.MINE: "Van mij", View.UNASSIGNED: "Niet toegewezen",
         View.DONE: "Afgehandeld"}


def labelled(value: object, vocabulary: str) -> Markup:
    """The word as HTML, with the code name as its tooltip."""
    if value is None:
        return Markup("")
    return Markup('<span class="code" title="{}">{}</span>').format(
        escape(str(value)), escape(label(value, vocabulary)))


def waited(since: dt.datetime, now: dt.datetime) -> str:
    """How long something has waited, as staff say it: "zojuist", "12 minuten", "2 uur",
    "3 dagen"."""
    if since.tzinfo is None:
        since = since.replace(tzinfo=dt.UTC)
    minutes = int((now - since).total_seconds() // 60)
    if minutes < 1:
        return "zojuist"
    if minutes < 60:
        return "1 minuut" if minutes == 1 else f"{minutes} minuten"
    if minutes < 48 * 60:
        return f"{minutes // 60} uur"
    return f"{minutes // (24 * 60)} dagen"
