"""The desk's words, in the staff member's language: every status, kind of message and kind of
mail as staff say it (with the code name kept as a tooltip, as for the bot's reasons,
:mod:`bot.web.reasons`), every text of the pages, and the staff actions' result lines.

In: a value and its vocabulary (``attendee``, ``message``, ``question``, ``outbound``, ``kind``,
``purpose``, ``audit``), or a Dutch text of the desk, and the staff member's language (Dutch
unless ``en``). Out: the word (:func:`~bot.staff.words.label`, kept with the staff layer, whose
results name statuses too) as HTML with the code name as its tooltip (:func:`labelled`, the
templates' ``label`` filter: ``{{ a.status|label("attendee") }}``) or as text (:func:`word`);
the templates' ``t`` (:func:`translator`: ``{{ t("Vragen") }}``, placeholders in braces filled
after translating, with values that are never read as a format); a result line in English
(:func:`english_result`); the queue's tabs (:data:`VIEWS`); how long something has waited, in
words (:func:`waited`). Dutch is the source: the English is in :mod:`bot.web.english_texts`
(result lines in :mod:`bot.web.english_results`), and a text without an English entry stays
Dutch (a test checks that every text the pages use has one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from markupsafe import Markup, escape

from bot import linear
from bot.staff.sorting import THEME_PREFIX
from bot.staff.words import label
from bot.store.queue import View
from bot.web.english_results import RESULTS
from bot.web.english_texts import ENGLISH

# the question queue's tabs (bot.store.queue.View)
VIEWS = {View.OPEN: "Open", View.MINE: "Van mij", View.UNASSIGNED: "Niet toegewezen",
         View.DONE: "Afgehandeld"}


_RESULTS = [(linear.compile(pattern), english, words) for pattern, english, words in RESULTS]


def translator(language: str) -> Callable[..., str]:
    """The templates' ``t(text, **values)``: ``text`` in ``language``, placeholders filled."""
    english = language == "en"

    def t(text: str, **values: object) -> str:
        shown = to_english(text) if english else text
        return shown.format(**values) if values else shown
    return t


def to_english(text: str) -> str:
    """The English of a text of the desk; a theme keeps its configured name."""
    if text.startswith(THEME_PREFIX + " "):
        return ENGLISH[THEME_PREFIX.rstrip(":")] + ": " + text.removeprefix(THEME_PREFIX + " ")
    return ENGLISH.get(text, text)


def english_result(text: str) -> str:
    """A staff action's Dutch result line in English (unchanged when nothing knows it)."""
    if text in ENGLISH:
        return ENGLISH[text]
    for pattern, english, words in _RESULTS:
        found = pattern.fullmatch(text)
        if found:
            return english.format(*(to_english(group) if k in words else group
                                    for k, group in enumerate(found.groups())))
    return text


def labelled(value: object, vocabulary: str, language: str = "nl") -> Markup:
    """The word (in ``language``) as HTML, with the code name as its tooltip."""
    if value is None:
        return Markup("")
    return Markup('<span class="code" title="{}">{}</span>').format(
        escape(str(value)), escape(word(value, vocabulary, language)))


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
