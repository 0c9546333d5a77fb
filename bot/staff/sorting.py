"""Staff sort a question: the topics a question can have, and changing its tag.

In: the ``[questions]`` configuration (its themes), a question's number, the staff member's
choice and name. Out: a tag in Dutch words (:func:`describe`: "organisatie", "inhoud:
armoede", "nog niet ingedeeld"), the choices the desk offers (:func:`choices`, as ``(value,
words)``), a choice as topic and theme (:func:`chosen`, also the queue's filter), and the
change itself (:func:`sort_question`): the question's topic and theme set, the bot's words
cleared (staff, not words, set it now), an audit entry, and, when the question has nobody yet
and its new theme has an active owner, the owner as its assignee. A choice that is not offered
is refused.
"""

from __future__ import annotations

from sqlmodel import Session

from bot.config.themes import Theme
from bot.config.types import QuestionsConfig
from bot.errors import ActionRefused
from bot.register.asked import active_owner
from bot.runtime import Runtime
from bot.staff import team
from bot.store.db import writer
from bot.store.models import Question, Topic, utcnow

THEME_PREFIX = f"{Topic.CONTENT}:"  # a choice "inhoud:<theme>", and "inhoud: <theme>" in words


def describe(topic: str | None, theme: str | None) -> str:
    """A tag as staff read it: "organisatie", "inhoud: armoede", "nog niet ingedeeld"."""
    if topic == Topic.CONTENT:
        return f"{THEME_PREFIX} {theme}" if theme else Topic.CONTENT.value
    if topic == Topic.ORGANISATION:
        return "organisatie"
    return "nog niet ingedeeld"


def choices(questions: QuestionsConfig) -> list[tuple[str, str]]:
    """What staff can tag a question with: ``(value, words)``."""
    return [(Topic.ORGANISATION.value, describe(Topic.ORGANISATION, None)),
            *[(THEME_PREFIX + t.name, describe(Topic.CONTENT, t.name))
              for t in questions.themes],
            (Topic.UNSORTED.value, describe(Topic.UNSORTED, None))]


def chosen(questions: QuestionsConfig, choice: str) -> tuple[Topic, Theme | None]:
    """The topic and theme of ``choice`` (a value of :func:`choices`); refused otherwise."""
    themes = {t.name: t for t in questions.themes}
    if choice.startswith(THEME_PREFIX) and choice[len(THEME_PREFIX):] in themes:
        return Topic.CONTENT, themes[choice[len(THEME_PREFIX):]]
    if choice in (Topic.ORGANISATION, Topic.UNSORTED):
        return Topic(choice), None
    raise ActionRefused("Kies een onderwerp uit de lijst.")


def sort_question(rt: Runtime, question_id: int, choice: str, *, by: str) -> str:
    """Tag the question with ``choice`` (one of :func:`choices`); return the Dutch result."""
    topic, theme = chosen(rt.config.questions, choice)
    now = utcnow()
    with Session(writer(rt.engine)) as session:
        question = session.get(Question, question_id, with_for_update=True)
        if question is None:
            raise ActionRefused("Deze vraag bestaat niet.")
        question.topic, question.theme = topic, theme.name if theme else None
        question.topic_words = []
        given = None
        if question.assignee is None:  # sorting takes a question from nobody
            given = question.assignee = active_owner(session, theme)
        session.add(question)
        team.audit(session, by, "sort_question", f"question #{question_id}", now,
                   describe(question.topic, question.theme))
        session.commit()
    said = f"Vraag #{question_id} gaat over {describe(topic, theme.name if theme else None)}."
    return said + (f" Toegewezen aan {given}." if given else "")
