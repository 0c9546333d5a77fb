"""The desk's words for the bot's values: every status, kind of message and kind of mail as staff
say it, in Dutch, with the code name kept as a tooltip (as for the bot's reasons,
:mod:`bot.web.reasons`).

In: a value and its vocabulary (``attendee``, ``message``, ``question``, ``outbound``, ``kind``,
``purpose``, ``audit``), and the staff member's language (Dutch unless ``en``). Out: its word
(:func:`~bot.staff.words.label`, kept with the staff layer, whose results name statuses too;
English by :mod:`bot.web.english`) as HTML with the code name as its tooltip (:func:`labelled`,
the templates' ``label`` filter: ``{{ a.status|label("attendee") }}``) or as text
(:func:`word`); the queue's tabs (:data:`VIEWS`). And how long something has waited, in words
(:func:`waited`).
"""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from bot.staff.words import label
from bot.store.queue import View
from bot.web.english import to_english

# the question queue's tabs (bot.store.queue.View)
VIEWS = {View.OPEN: "Open", View.MINE: "Van mij", View.UNASSIGNED: "Niet toegewezen",
         View.DONE: "Afgehandeld"}


def labelled(value: object, vocabulary: str, language: str = "nl") -> Markup:
    """The word (in ``language``) as HTML, with the code name as its tooltip."""
    if value is None:
        return Markup("")
    word = label(value, vocabulary)
    return Markup('<span class="code" title="{}">{}</span>').format(
        escape(str(value)), escape(to_english(word) if language == "en" else word))


def word(value: object, vocabulary: str, language: str = "nl") -> str:
    """The word alone, as text (for a caption or a choice)."""
    found = label(value, vocabulary)
    return to_english(found) if language == "en" else found


_UNITS = {"nl": ("zojuist", "minuut", "minuten", "uur", "uur", "dagen"),
          "en": ("just now", "minute", "minutes", "hour", "hours", "days")}


def waited(since: dt.datetime, now: dt.datetime, language: str = "nl") -> str:
    """How long something has waited, as staff say it: "zojuist", "12 minuten", "2 uur",
    "3 dagen" (in English: "just now", "12 minutes", "2 hours", "3 days")."""
    now_word, minute, minutes_word, hour, hours, days = _UNITS.get(language, _UNITS["nl"])
    if since.tzinfo is None:
        since = since.replace(tzinfo=dt.UTC)
    minutes = int((now - since).total_seconds() // 60)
    if minutes < 1:
        return now_word
    if minutes < 60:
        return f"1 {minute}" if minutes == 1 else f"{minutes} {minutes_word}"
    if minutes < 48 * 60:
        return f"{minutes // 60} {hour if minutes < 120 else hours}"
    return f"{minutes // (24 * 60)} {days}"
