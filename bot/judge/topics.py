"""What a question is about: "organisatie" or "inhoud" with its theme, and the words that say so.
Pure.

In: a question's text and the configured themes (:class:`~bot.config.themes.Theme`, from
``[[questions.theme]]``). Out: a :class:`Tag`: the topic (:class:`~bot.store.models.Topic`), the
theme's name
for a question about the content, and the words that matched, which the desk shows as the
reason. The invitation asks for questions "over de inhoud of organisatie"; the collective
answers the first kind itself and passes the second to the expert of the theme.

The rule: each topic scores the number of its different words in the text (organisation
words from :data:`~bot.config.themes.ORGANISATION_WORDS`); the theme with the highest score
wins when it scores at least as much as the organisation words (a question that names a
theme is about it, even when it also says "tijdens de avond"); else the question is about the
organisation when any organisation word matched; else it is not sorted (``Topic.UNSORTED``)
and staff sort it. Staff can change every tag in the desk.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bot import linear
from bot.config.themes import ORGANISATION_WORDS, Theme
from bot.store.models import Topic


@dataclass(frozen=True)
class Tag:
    topic: Topic
    theme: str | None = None          # the theme's name, for Topic.CONTENT
    words: tuple[str, ...] = ()       # the words that matched, as configured


@cache
def _pattern(words: tuple[str, ...]):
    """One linear-time pattern that finds any of ``words`` at the start of a word; a word ends
    there unless it ends in ``*``. Group ``k`` (1-based) is the k-th word; one takes part in a
    match."""
    groups = []
    for word in words:
        stem = word.rstrip("*")
        spaced = r"\s+".join(linear.escape(part) for part in stem.split())
        groups.append(f"({spaced})" + ("" if word.endswith("*") else linear.END))
    return linear.compile(linear.START + "(?:" + "|".join(groups) + ")", ignorecase=True)


def matched(text: str, words: tuple[str, ...]) -> tuple[str, ...]:
    """The different ``words`` found in ``text``, in the order of ``words``."""
    if not words:
        return ()
    pattern, found, at = _pattern(words), set(), 0
    while (match := pattern.search(text, at)) is not None:
        found.add(match.lastindex)
        at = match.end(match.lastindex)  # END took the character after: the next word's START
    return tuple(words[k - 1] for k in sorted(found))


def tag(text: str, themes: tuple[Theme, ...]) -> Tag:
    """The :class:`Tag` of a question's ``text`` (see the module's rule)."""
    organisation = matched(text, ORGANISATION_WORDS)
    best: tuple[Theme, tuple[str, ...]] | None = None
    for theme in themes:
        words = matched(text, theme.words)
        if words and (best is None or len(words) > len(best[1])):
            best = (theme, words)
    if best is not None and len(best[1]) >= len(organisation):
        return Tag(Topic.CONTENT, best[0].name, best[1])
    if organisation:
        return Tag(Topic.ORGANISATION, None, organisation)
    return Tag(Topic.UNSORTED)
