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
hash of its event and texts (:attr:`Draft.digest`; not its group), and each person's outbox row
by the group mail and their address (the outbox's unique key), so sending the same mail again,
after a crash, a double click or to another group, reaches only people who did not have it. A
changed text is another mail. The queueing locks the event's row, as every change of the list
does, so the group is read as it is at that moment and two clicks queue one after the other.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace

from sqlmodel import Session, select

from bot.config.types import EventConfig
from bot.errors import ActionRefused
from bot.outbound.mime import Shown, read_back
from bot.outbound.pace import Priority
from bot.outbound.reply import Facts, Purpose, ReplyRequest, clean_header, render_reply
from bot.register.lifecycle import lock_event
from bot.register.record import render_and_queue
from bot.runtime import Runtime
from bot.staff import saved, team
from bot.staff.accounts import checked_address
from bot.staff.groups import Audience, Recipient, audience
from bot.store.db import writer
from bot.store.desk_models import Group, GroupMail, StaffUser
from bot.store.models import OutboundMail, utcnow

MAX_TEXT = 20_000  # characters of a group mail's text
SAMPLE = {"nl": ("voorbeeld@example.invalid", "Voorbeeldnaam"),  # the reader a preview shows
          "en": ("sample@example.invalid", "Sample Name")}       # when nobody in the group
#                                                                   reads that language


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
        """Which group mail this is: the same event and texts are the same mail, whatever
        group it goes to, so nobody gets it twice."""
        return _hash([self.event_key, self.subject_nl, self.body_nl, self.subject_en,
                      self.body_en])

    @property
    def seen(self) -> str:
        """What a preview showed (the mail and its group): the desk sends only that."""
        return _hash([self.digest, str(self.group)])


@dataclass(frozen=True)
class Preview:
    draft: Draft
    audience: Audience
    letters: tuple[Shown, ...]  # one per language of the draft, for its first reader
    had_it: int = 0             # of the audience, how many got this mail before
    earlier: int | None = None  # the group mail they got it as

    @property
    def new(self) -> int:
        """How many would get it now."""
        return len(self.audience.recipients) - self.had_it

    def language(self, reader: Recipient) -> str:
        """The language ``reader`` gets the mail in."""
        return reader_language(self.draft, reader)


def check_draft(rt: Runtime, *, event_key: str, group: str, subject_nl: str, body_nl: str,
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
    """Who would get ``draft`` (and who had it already), and the mail in each language."""
    event = rt.config.event_by_key(draft.event_key)
    with Session(rt.engine) as session:
        people = audience(session, event, draft.group)
        earlier = _existing(session, draft)
        had_it = len(_had_it(session, earlier, people.recipients)) if earlier else 0
    letters = []
    for language in draft.languages():
        reader = next((r for r in people.recipients if reader_language(draft, r) == language),
                      Recipient(*SAMPLE[language], language, None))
        raw = render_reply(_request(draft, event, reader, key=""), rt.config, rt.templates,
                           now=utcnow()).raw
        letters.append(read_back(raw, language))
    return Preview(draft, people, tuple(letters), had_it, earlier.id if earlier else None)


def queue_test(rt: Runtime, draft: Draft, *, by: str) -> tuple[str, list[int]]:
    """Queue the draft, in each of its languages, to the staff member's own address (set under
    *Mijn instellingen*), ahead of other waiting mail; return the address and the outbox rows,
    for the caller to send at once."""
    now = utcnow()
    event = rt.config.event_by_key(draft.event_key)
    with Session(writer(rt.engine)) as session:
        user = session.exec(select(StaffUser).where(StaffUser.username == by)).first()
        address = checked_address(user.email) if user and user.email else None
        if not address:
            raise ActionRefused("Vul eerst uw e-mailadres in onder Mijn instellingen.")
        keys = [f"group_test:{draft.digest}:{by}:{now.isoformat()}:{language}"
                for language in draft.languages()]
        requests = [replace(_request(draft, event, Recipient(address, by, language, None),
                                     key=key), subject=f"[test] {draft.text(language)[0]}",
                            priority=Priority.ANSWER)  # staff wait for it
                    for key, language in zip(keys, draft.languages(), strict=True)]
        render_and_queue(session, requests, rt.config, rt.templates, source_id=None, now=now)
        team.audit(session, by, "group_mail_test", f"event {event.key}", now, str(draft.group))
        session.flush()
        ids = list(session.exec(select(OutboundMail.id).where(OutboundMail.dedupe_key.in_(keys))))
        session.commit()
    return address, ids


def queue_group_mail(rt: Runtime, draft: Draft, *, by: str) -> tuple[int, str]:
    """Queue the group mail for everyone in its group who has not had it; return its id and
    what the desk says."""
    now = utcnow()
    event = rt.config.event_by_key(draft.event_key)
    with Session(writer(rt.engine)) as session:
        lock_event(session, event)  # one at a time: a double click waits, then finds the keys
        people = audience(session, event, draft.group).recipients
        if not people:
            raise ActionRefused("Er is niemand in deze groep (met een werkend adres).")
        row = _existing(session, draft)
        if row is None:
            row = GroupMail(digest=draft.digest, event=event.key, group=draft.group,
                            subject_nl=draft.subject_nl, body_nl=draft.body_nl,
                            subject_en=draft.subject_en, body_en=draft.body_en,
                            created_by=by, created_at=now)
            session.add(row)
            session.flush()
        requests = [_request(draft, event, person, key=_key(row.id, person),
                             group_mail_id=row.id) for person in people]
        queued = render_and_queue(session, requests, rt.config, rt.templates, source_id=None,
                                  now=now)
        team.audit(session, by, "group_mail", f"groupmail #{row.id}", now,
                   f"{draft.group}: {queued} of {len(people)}")
        group_mail_id = row.id
        session.commit()
    said = f"Groepsmail #{group_mail_id} gaat naar {people_count(queued)}."
    if queued < len(people):
        said = f"{said[:-1]}; {len(people) - queued} hadden hem al."
    return group_mail_id, said


def people_count(n: int) -> str:
    """``1 persoon``, ``2 mensen``."""
    return "1 persoon" if n == 1 else f"{n} mensen"


def reader_language(draft: Draft, reader: Recipient) -> str:
    """English for a reader who wrote English when there is an English text, else Dutch."""
    return "en" if reader.language == "en" and draft.body_en else "nl"


def _existing(session: Session, draft: Draft) -> GroupMail | None:
    return session.exec(select(GroupMail).where(GroupMail.digest == draft.digest)).first()


def _key(group_mail_id: int, person: Recipient) -> str:
    """The outbox key of a group mail to one person: the same person never gets it twice."""
    return f"group_mail:{group_mail_id}:{person.address}"


def _had_it(session: Session, mail: GroupMail, people: tuple[Recipient, ...]) -> set[str]:
    keys = [_key(mail.id, person) for person in people]
    return set(session.exec(select(OutboundMail.dedupe_key).where(
        OutboundMail.dedupe_key.in_(keys))))


def _request(draft: Draft, event: EventConfig, reader: Recipient, *, key: str,
             group_mail_id: int | None = None) -> ReplyRequest:
    """The mail to ``reader``: the text in their language with the placeholders filled."""
    language = reader_language(draft, reader)
    title, body = draft.text(language)
    text = saved.fill(body, saved.values(event, reader.name, language))
    return ReplyRequest(purpose=Purpose.GROUP_MAIL, language=language, recipient=reader.address,
                        name=reader.name, subject=title, key=key, facts=Facts(answer=text),
                        attendee_id=reader.attendee_id, automatic=False, event_key=event.key,
                        group_mail_id=group_mail_id)


def _hash(values: list[str]) -> str:
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()
