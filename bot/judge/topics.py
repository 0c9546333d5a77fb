"""What a question is about: "organisatie" or "inhoud" with its theme, and the words that say so.
Pure.

In: a question's text and the configured themes (:class:`~bot.config.themes.Theme`, from
``[[questions.theme]]``). Out: a :class:`Tag`: the topic (:class:`~bot.store.models.Topic`),
the theme of a question about the content, and the words that matched, which the desk shows as
the reason. The invitation asks for questions "over de inhoud of organisatie"; the collective
answers the first kind itself and passes the second to the expert of the theme.

The rule: each topic scores the number of its different words in the text (organisation words
from :data:`~bot.config.themes.ORGANISATION_WORDS`); the theme with the highest score wins when
it scores at least as much as the organisation words (a question that names a theme is about
it, even when it also says "tijdens de avond"; of themes with the same score the first
configured wins); else the question is about the organisation when any organisation word
matched; else it is not sorted (``Topic.UNSORTED``) and staff sort it. Staff can change every
tag in the desk.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config.themes import ORGANISATION_WORDS, Theme, pattern_of
from bot.store.models import Topic

# characters of a question that are read: a question says what it is about early, and each
# search restarts RE2 on the text (the time grows with its square: 2,000 take milliseconds)
TEXT_READ = 2000


@dataclass(frozen=True)
class Tag:
    topic: Topic
    theme: Theme | None = None        # for Topic.CONTENT
    words: tuple[str, ...] = ()       # the words that matched, as configured


def matched(text: str, words: tuple[str, ...]) -> tuple[str, ...]:
    """The different ``words`` found in the first :data:`TEXT_READ` characters of ``text``, in
    the order of ``words``."""
    if not words:
        return ()
    text = text[:TEXT_READ]
    pattern, found, at = pattern_of(words), set(), 0
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
        return Tag(Topic.CONTENT, best[0], best[1])
    if organisation:
        return Tag(Topic.ORGANISATION, None, organisation)
    return Tag(Topic.UNSORTED)
