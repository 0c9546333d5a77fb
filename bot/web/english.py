"""The desk in English, for a staff member who prefers it (``StaffUser.language``).

In: a Dutch text of the desk (the templates write every text as ``{{ t("...") }}``; the
staff actions' result lines) and the staff member's language. Out: the text in their language
(:func:`translator` gives the templates' ``t``; :func:`english_result` translates a result
line). Dutch is the source: a text without an English entry stays Dutch, and a test checks
that every text the templates and the desk's word lists use has one. Placeholders in braces
(``{n}``) are filled after translating, with values that are never read as a format.
"""

from __future__ import annotations

from collections.abc import Callable

from bot import linear
from bot.web.english_texts import ENGLISH, RESULTS

_RESULTS = [(linear.compile(pattern), english) for pattern, english in RESULTS]


def translator(language: str) -> Callable[..., str]:
    """The templates' ``t(text, **values)``: ``text`` in ``language``, placeholders filled."""
    english = language == "en"

    def t(text: str, **values: object) -> str:
        shown = to_english(text) if english else text
        return shown.format(**values) if values else shown
    return t


def to_english(text: str) -> str:
    """The English of a text of the desk; a theme's name stays as configured."""
    if text.startswith("inhoud: "):
        return "content: " + text.removeprefix("inhoud: ")
    return ENGLISH.get(text, text)


def english_result(text: str) -> str:
    """A staff action's Dutch result line in English (unchanged when no pattern knows it)."""
    if text in ENGLISH:
        return ENGLISH[text]
    for pattern, english in _RESULTS:
        found = pattern.fullmatch(text)
        if found:
            return english.format(*(to_english(g) for g in found.groups()))
    return text
