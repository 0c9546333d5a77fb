"""A question opened: tagged with its topic and given to the owner of its theme.

In: the caller's session, the ``[questions]`` configuration and what the question is (the
message row it came in, sender, subject, the question's text). Out: a new ``Question`` row in
the session, tagged by :func:`bot.judge.topics.tag`, and assigned to the theme's owner when the
configuration names one and that staff account is active (else it stays unassigned, and the
log says so once per question). Called by the record stage (:mod:`bot.register.record`) and by
staff who decide a message is a question (:mod:`bot.staff.desk`), so both open questions alike.
"""

from __future__ import annotations

import logging

from sqlmodel import Session, select

from bot.config.types import QuestionsConfig
from bot.judge.topics import tag
from bot.store.desk_models import StaffUser
from bot.store.models import Question

log = logging.getLogger(__name__)


def open_question(session: Session, questions: QuestionsConfig, *, source_id: int,
                  sender: str, subject: str | None, text: str) -> Question:
    """Add the question (tagged, and assigned to its theme's owner) to ``session``."""
    found = tag(text, questions.themes)
    theme = next((t for t in questions.themes if t.name == found.theme), None)
    owner = theme.owner if theme else None
    if owner and not session.exec(select(StaffUser.id).where(
            StaffUser.username == owner, StaffUser.active)).first():
        log.warning("theme owner %r is no active staff account: question left unassigned",
                    owner)
        owner = None
    question = Question(source_message_id=source_id, sender=sender, subject=subject, text=text,
                        topic=found.topic, theme=found.theme, topic_words=list(found.words),
                        assignee=owner)
    session.add(question)
    return question
