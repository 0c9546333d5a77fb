"""A question opened: tagged with its topic and given to the owner of its theme.

In: the caller's session, the ``[questions]`` configuration and what the question is (the
message row it came in, sender, subject, the question's text). Out: a new ``Question`` row in
the session (:func:`open_question`), tagged by :func:`bot.judge.topics.tag`, and assigned to
the theme's owner (:func:`active_owner`: when the configuration names one and that staff
account is active; else it stays unassigned, and the log says so). Called by the record stage
(:mod:`bot.register.record`) and by staff who decide a message is a question
(:mod:`bot.staff.desk`), so both open questions alike; staff who sort a question into a theme
(:mod:`bot.staff.sorting`) give it to the owner the same way.
"""

from __future__ import annotations

import logging

from sqlmodel import Session, select

from bot.config.themes import Theme
from bot.config.types import QuestionsConfig
from bot.judge.topics import tag
from bot.store.desk_models import StaffUser
from bot.store.models import Question

log = logging.getLogger(__name__)


def open_question(session: Session, questions: QuestionsConfig, *, source_id: int,
                  sender: str, subject: str | None, text: str) -> Question:
    """Add the question (tagged, and assigned to its theme's owner) to ``session``."""
    found = tag(text, questions.themes)
    question = Question(source_message_id=source_id, sender=sender, subject=subject, text=text,
                        topic=found.topic, theme=found.theme.name if found.theme else None,
                        topic_words=list(found.words),
                        assignee=active_owner(session, found.theme))
    session.add(question)
    return question


def active_owner(session: Session, theme: Theme | None) -> str | None:
    """The username of ``theme``'s owner, if it has one and that account is active."""
    if theme is None or theme.owner is None:
        return None
    if session.exec(select(StaffUser.id).where(StaffUser.username == theme.owner,
                                               StaffUser.active)).first() is None:
        log.warning("theme owner %r is no active staff account: question left unassigned",
                    theme.owner)
        return None
    return theme.owner
