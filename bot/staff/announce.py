"""Mail to a group: one text staff write, sent to everyone in a group of an event, each alone.

In: the runtime, a :class:`Draft` (event, group, a Dutch subject and text, optionally English
ones; the text may use the placeholders of saved replies, :mod:`bot.staff.saved`), and the staff
member. Out: a :class:`Preview` (who gets it, who is left out, the mail per language as the
recipient reads it), a test mail to the staff member's own address, or the group mail queued:
its :class:`~bot.store.desk_models.GroupMail` row and one outbox row per person, in one
transaction. Its progress and results per person are in :mod:`bot.staff.progress`.

Each person gets the mail in their language (Dutch when there is no English text), addressed to
them alone (``To`` is their address only, so nobody sees another recipient), with
``Auto-Submitted: auto-generated``, at the outbox's pace and after every mail a person is
waiting for (``Priority.GROUP``). Nobody gets one mail twice: the group mail is found by the
hash of its event, group and texts, and each person's outbox row by the group mail and their
address (the outbox's unique key), so sending the same mail again, after a crash or a double
click, reaches only people who joined the group since. The queueing locks the event's row, as
every change of the list does, so the group is read as it is at that moment.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlmodel import Session, select

from bot.config.types import EventConfig
from bot.errors import ActionRefused
from bot.outbound.readback import Shown, read_back
from bot.outbound.reply import Facts, Purpose, ReplyRequest, clean_header, render_reply
from bot.register.lifecycle import lock_event
from bot.register.record import render_and_queue
from bot.runtime import Runtime
from bot.staff import saved, team
from bot.staff.accounts import checked_address
from bot.staff.groups import Audience, Recipient, audience
from bot.store.db import writer
from bot.store.desk_models import Group, GroupMail, StaffUser
from bot.store.models import utcnow

MAX_TEXT = 20_000  # characters of a group mail's text
SAMPLE_NAME = {"nl": "Voorbeeldnaam", "en": "Sample Name"}  # when nobody in the group reads it


@dataclass(frozen=True)
class Draft:
    event_key: str
    group: Group
    subject_nl: str
    body_nl: str
    subject_en: str = ""
    body_en: str = ""

    def languages(self) -> tuple[str, ...]:
        return ("nl", "en") if self.body_en else ("nl",)

    def text(self, language: str) -> tuple[str, str]:
        """The subject and text for a reader of ``language`` (Dutch without an English one)."""
        if language == "en" and self.body_en:
            return self.subject_en or self.subject_nl, self.body_en
        return self.subject_nl, self.body_nl

    @property
    def digest(self) -> str:
        """The same event, group and texts: the same group mail."""
        return hashlib.sha256(json.dumps(
            [self.event_key, str(self.group), self.subject_nl, self.body_nl, self.subject_en,
             self.body_en]).encode()).hexdigest()


@dataclass(frozen=True)
class Preview:
    draft: Draft
    audience: Audience
    letters: tuple[Shown, ...]  # one per language of the draft, for its first reader

    def language(self, reader: Recipient) -> str:
        """The language ``reader`` gets the mail in."""
        return reader_language(self.draft, reader)


def checked(rt: Runtime, *, event_key: str, group: str, subject_nl: str, body_nl: str,
            subject_en: str = "", body_en: str = "") -> Draft:
    """A draft from what staff typed, or :class:`ActionRefused` saying what is wrong."""
    if event_key not in [e.key for e in rt.config.events]:
        raise ActionRefused("Kies een bijeenkomst uit de lijst.")
    if group not in set(Group):
        raise ActionRefused("Kies een groep uit de lijst.")
    draft = Draft(event_key, Group(group), clean_header(subject_nl), body_nl.strip(),
                  clean_header(subject_en), body_en.strip())
    if not draft.subject_nl or not draft.body_nl:
        raise ActionRefused("Een groepsmail heeft een Nederlands onderwerp en een Nederlandse "
                            "tekst.")
    if draft.subject_en and not draft.body_en:
        raise ActionRefused("Er is een Engels onderwerp maar geen Engelse tekst.")
    for body in (draft.body_nl, draft.body_en):
        saved.check(body, limit=MAX_TEXT, what="Een groepsmail")
    return draft


def preview(rt: Runtime, draft: Draft) -> Preview:
    """Who would get ``draft``, and the mail in each of its languages."""
    event = rt.config.event_by_key(draft.event_key)
    with Session(rt.engine) as session:
        people = audience(session, event, draft.group)
    letters = []
    for language in draft.languages():
        reader = next((r for r in people.recipients if reader_language(draft, r) == language),
                      Recipient("", SAMPLE_NAME[language], language, None))
        raw = render_reply(_request(draft, event, reader, key=""), rt.config, rt.templates,
                           now=utcnow()).raw
        letters.append(read_back(raw, language))
    return Preview(draft, people, tuple(letters))


def send_test(rt: Runtime, draft: Draft, *, by: str) -> str:
    """The draft, in each of its languages, to the staff member's own address (set under
    *Mijn instellingen*); return what the desk says."""
    now = utcnow()
    event = rt.config.event_by_key(draft.event_key)
    with Session(writer(rt.engine)) as session:
        user = session.exec(select(StaffUser).where(StaffUser.username == by)).first()
        address = checked_address(user.email) if user and user.email else None
        if not address:
            raise ActionRefused("Vul eerst uw e-mailadres in onder Mijn instellingen.")
        requests = []
        for language in draft.languages():
            subject = f"[test] {draft.text(language)[0]}"
            me = Recipient(address, by, language, None)
            requests.append(_request(draft, event, me, subject=subject,
                                     key=f"group_test:{draft.digest}:{by}:{now.isoformat()}:"
                                         f"{language}"))
        render_and_queue(session, requests, rt.config, rt.templates, source_id=None, now=now)
        team.audit(session, by, "group_mail_test", f"event {event.key}", now, str(draft.group))
        session.commit()
    return f"Testmail verstuurd naar {address}."


def send(rt: Runtime, draft: Draft, *, by: str) -> tuple[int, str]:
    """Queue the group mail for everyone in its group who has not had it; return its id and
    what the desk says."""
    now = utcnow()
    event = rt.config.event_by_key(draft.event_key)
    with Session(writer(rt.engine)) as session:
        lock_event(session, event)
        people = audience(session, event, draft.group).recipients
        if not people:
            raise ActionRefused("Er is niemand in deze groep (met een werkend adres).")
        row = session.exec(select(GroupMail).where(GroupMail.digest == draft.digest)).first()
        if row is None:
            row = GroupMail(digest=draft.digest, event=event.key, group=draft.group,
                            subject_nl=draft.subject_nl, body_nl=draft.body_nl,
                            subject_en=draft.subject_en, body_en=draft.body_en,
                            created_by=by, created_at=now)
            session.add(row)
            session.flush()
        requests = [_request(draft, event, person, key=f"group_mail:{row.id}:{person.address}",
                             group_mail_id=row.id) for person in people]
        queued = render_and_queue(session, requests, rt.config, rt.templates, source_id=None,
                                  now=now)
        team.audit(session, by, "group_mail", f"groupmail #{row.id}", now,
                   f"{draft.group}: {queued} of {len(people)}")
        group_id = row.id
        session.commit()
    if queued == len(people):
        return group_id, f"Groepsmail #{group_id} gaat naar {queued} mensen."
    return group_id, (f"Groepsmail #{group_id} gaat naar {queued} mensen; "
                      f"{len(people) - queued} hadden hem al.")


def reader_language(draft: Draft, reader: Recipient) -> str:
    """English for a reader who wrote English when there is an English text, else Dutch."""
    return "en" if reader.language == "en" and draft.body_en else "nl"


def _request(draft: Draft, event: EventConfig, reader: Recipient, *, key: str,
             subject: str | None = None, group_mail_id: int | None = None) -> ReplyRequest:
    """The mail to ``reader``: the text in their language with the placeholders filled."""
    language = reader_language(draft, reader)
    title, body = draft.text(language)
    text = saved.fill(body, saved.values(event, reader.name, language))
    return ReplyRequest(purpose=Purpose.GROUP_MAIL, language=language,
                        recipient=reader.address or "voorbeeld@example.invalid",
                        name=reader.name, subject=subject or title, key=key,
                        facts=Facts(answer=text), attendee_id=reader.attendee_id,
                        automatic=False, event_key=event.key, group_mail_id=group_mail_id)
