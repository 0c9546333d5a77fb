"""Privacy (AVG/GDPR): the retention purge after the event, and erasure of one person.

In: a session or a :class:`~bot.runtime.Runtime`, the configuration, an address, the time. Out:

- :func:`purge_expired`: once the (last) event ended ``retention_days_after_event`` days ago,
  empty the stored mail (raw messages, senders, subjects, Message-IDs, errors; question texts,
  answers; rendered replies and their addresses, also in a group mail's key, unsent ones
  deleted; the texts of staff's group mails), anonymise the attendees (name, address,
  party, on-behalf-of, notes), delete the staff's notes, blank addresses in alerts and the
  audit log, delete older login attempts. Rows keep status, kind, purpose and dates, so the
  counts still add up. Once: the first event's ``EventState.purged_at`` records it.
- export of everything stored about one address: :mod:`bot.ops.export`.
- :func:`erase_person`: the person out of the bot's IMAP folders and every table (quarantined
  mail, which has no parsed sender, is theirs when it holds their address; staff notes on
  their questions and attendee rows), their address blanked in other people's rows and notes.
  An erased attendee's seat is freed as by a cancellation (the next on the waiting list is
  mailed) but the erased person gets no mail. Audited under a pseudonym (SHA-256 of the
  address), never the address.
- Limits: plain-text blanking only (not inside base64/quoted-printable); the IMAP folders stay.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from dataclasses import astuple, dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import String, case, cast, delete, func, literal, or_, update
from sqlmodel import Session, select

from bot.config.types import Config
from bot.inbound.mailbox import Mailbox
from bot.register import lifecycle
from bot.runtime import Runtime
from bot.staff import team
from bot.staff.actions import queue_notices
from bot.store.db import writer
from bot.store.desk_models import AuditEntry, GroupMail, LoginAttempt, Note
from bot.store.models import (
    Alert,
    Attendee,
    AttendeeStatus,
    InboundMessage,
    OutboundMail,
    OutboundStatus,
    Question,
    utcnow,
)

log = logging.getLogger(__name__)

BLANK = "(verwijderd)"         # where text was removed
ANONYMOUS = "(geanonimiseerd)"  # the name of an anonymised attendee
_ANY_ADDRESS = r"[^\s<>\"'(),;:\[\]]+@[^\s<>\"'(),;:\[\]]+"
_STAFF_LOGS = ((Alert, ("message",)), (AuditEntry, ("target", "detail")))
# columns of other people's rows that may mention an erased person's address
_MENTIONS = ((InboundMessage, ("raw", "subject")), (Question, ("subject", "text", "answer")),
             (OutboundMail, ("raw",)), (Attendee, ("name", "notes")), (Note, ("text",)),
             *_STAFF_LOGS)


@dataclass(frozen=True)
class PurgeReport:
    due_at: dt.datetime                 # when the event's data may be purged
    purged_at: dt.datetime | None       # when it was (None: not yet)
    done_now: bool = False              # this call did it
    attendees: int = 0                  # anonymised
    messages: int = 0                   # inbound messages emptied
    questions: int = 0                  # question texts removed
    replies: int = 0                    # sent replies emptied
    notes: int = 0                      # staff notes deleted
    group_mails: int = 0                # staff's group mails whose texts were emptied
    unsent: int = 0                     # unsent replies deleted
    blanked: int = 0                    # alerts and audit entries with an address blanked
    login_attempts: int = 0             # deleted

    def line(self) -> str:
        if not self.done_now:
            return (f"opschonen: al gedaan op {self.purged_at:%Y-%m-%d}" if self.purged_at
                    else f"opschonen: pas vanaf {self.due_at:%Y-%m-%d %H:%M}")
        return (f"opgeschoond: {self.attendees} deelnemers, {self.messages} berichten, "
                f"{self.questions} vragen, {self.replies} e-mails; {self.unsent} onverzonden "
                f"e-mails, {self.notes} notities, {self.login_attempts} inlogpogingen weg; "
                f"{self.blanked} adressen")


@dataclass
class ErasureReport:
    attendees: int = 0   # attendee rows deleted
    messages: int = 0    # inbound message rows deleted
    questions: int = 0
    replies: int = 0     # outgoing mail to the person deleted
    notes: int = 0       # staff notes on the person's questions and attendee rows deleted
    mailbox: int = 0     # messages deleted from the IMAP folders
    elsewhere: int = 0   # other rows where the address was blanked (or login attempts deleted)
    promoted: int = 0    # wait-listed people who got the freed seat

    def line(self) -> str:
        if not any(astuple(self)):
            return "niets gevonden voor dit adres: er is niets verwijderd"
        return (f"verwijderd: {self.attendees} deelnemers, {self.messages} berichten, "
                f"{self.questions} vragen, {self.replies} e-mails, {self.notes} notities, "
                f"{self.mailbox} berichten uit de mailbox; elders: {self.elsewhere}; van de "
                f"wachtlijst: {self.promoted}")


def purge_due_at(config: Config) -> dt.datetime:
    """The end of the (last) event plus ``retention_days_after_event`` days. With several
    events the purge waits for the last: messages and replies are not kept per event."""
    ends = max(dt.datetime.combine(e.date, e.end, tzinfo=ZoneInfo(e.timezone))
               for e in config.events)
    return ends + dt.timedelta(days=config.privacy.retention_days_after_event)


def purge_expired(session: Session, config: Config, now: dt.datetime) -> PurgeReport:
    """Purge the event's personal data once it is due (see the module docstring), in the
    caller's transaction, under the event's lock; a no-op before it is due or once done."""
    due, now = purge_due_at(config), now.astimezone(dt.UTC)
    state = lifecycle.lock_event(session, config.event)
    if state.purged_at is not None or now < due:
        return PurgeReport(due, state.purged_at)

    run = _counter(session)
    report = PurgeReport(due, now, done_now=True,
        attendees=run(update(Attendee).where(Attendee.event.in_(
            [e.key for e in config.events])).values(
            name=ANONYMOUS, email=None, party=None, on_behalf_of=None, notes=None,
            present_by=None, updated_at=now)),  # presence itself stays: the turnout's counts
        messages=run(update(InboundMessage).values(  # every message: the purge runs once
            raw=None, sender=None, subject=None, message_id=None, error=None)),
        questions=run(update(Question).where(Question.created_at <= now).values(
            sender="", subject=None, text=BLANK, answer=None)),
        unsent=run(delete(OutboundMail).where(OutboundMail.created_at <= now,
                                              OutboundMail.status != OutboundStatus.SENT)),
        replies=run(update(OutboundMail).where(OutboundMail.created_at <= now).values(
            raw=b"", recipient="", in_reply_to=None, last_error=None,
            dedupe_key=case(  # a group mail's key names its recipient's address
                (OutboundMail.group_mail_id.is_not(None),
                 literal("purged:") + cast(OutboundMail.id, String)),
                else_=OutboundMail.dedupe_key))),
        notes=run(delete(Note)),  # every note: they are about the event's people
        group_mails=run(update(GroupMail).values(  # staff may have named someone in them
            subject_nl=BLANK, body_nl=BLANK, subject_en="", body_en="")),
        blanked=_blank(session, _STAFF_LOGS, _ANY_ADDRESS),
        login_attempts=run(delete(LoginAttempt).where(LoginAttempt.at < due)))
    state.purged_at = now
    session.add(state)
    log.info("retention purge: %s", report.line())
    return report


def run_purge(rt: Runtime, now: dt.datetime) -> PurgeReport:
    """:func:`purge_expired` in a transaction of its own (the worker's daily job)."""
    with Session(writer(rt.engine)) as session:
        report = purge_expired(session, rt.config, now)
        session.commit()
    return report


def erase_person(rt: Runtime, email: str, *, by: str,
                 now: dt.datetime | None = None) -> ErasureReport:
    """Erase ``email`` everywhere (AVG art. 17): from the IMAP folders, then from the database
    in one transaction; repeat it safely (also when the worker recorded their mail meanwhile)."""
    address, now = normal(email), now or utcnow()
    with Session(rt.engine) as session:
        message_ids = tuple(session.exec(select(InboundMessage.message_id).where(
            func.lower(InboundMessage.sender) == address,
            InboundMessage.message_id.is_not(None))).all())
    cfg = rt.config.mailbox
    with Mailbox(cfg) as mailbox:
        deleted = sum(mailbox.delete_messages(folder, address=address, message_ids=message_ids)
                      for folder in dict.fromkeys((cfg.folder, cfg.processed_folder,
                                                   cfg.quarantine_folder)))
    with Session(writer(rt.engine)) as session:
        report = _erase_rows(session, rt, address, by=by, now=now)
        report.mailbox = deleted
        team.audit(session, by, "privacy_erase", pseudonym(address), now, report.line())
        session.commit()
    log.info("erasure of %s by %s: %s", pseudonym(address), by, report.line())
    return report


def pseudonym(email: str) -> str:
    """How audit entries name a person: checkable by whoever knows the address."""
    digest = hashlib.sha256(b"inbox-bot-person\0" + normal(email).encode()).hexdigest()
    return f"sha256:{digest[:32]}"


def _erase_rows(session: Session, rt: Runtime, address: str, *, by: str, now: dt.datetime
                ) -> ErasureReport:
    lifecycle.lock_events(session, rt.config.events)
    attendees = session.exec(select(Attendee).where(func.lower(Attendee.email) == address)).all()
    attendee_ids = [a.id for a in attendees]
    seats_freed = [rt.config.event_by_key(a.event) for a in attendees
                   if a.status == AttendeeStatus.REGISTERED]
    message_ids = list(session.exec(select(InboundMessage.id).where(
        func.lower(InboundMessage.sender) == address)).all())
    # quarantined mail has no parsed sender: theirs when it holds their address
    mine = re.compile(_exactly(re.escape(address)).encode(), re.IGNORECASE)
    message_ids += [row_id for row_id, raw in session.exec(
        select(InboundMessage.id, InboundMessage.raw).where(InboundMessage.sender.is_(None)))
        if raw and mine.search(raw)]

    run = _counter(session)
    question_ids = list(session.exec(select(Question.id).where(or_(
        Question.source_message_id.in_(message_ids), func.lower(Question.sender) == address))))
    report = ErasureReport(
        notes=run(delete(Note).where(or_(Note.question_id.in_(question_ids),
                                         Note.attendee_id.in_(attendee_ids)))),
        questions=run(delete(Question).where(Question.id.in_(question_ids))),
        replies=run(delete(OutboundMail).where(func.lower(OutboundMail.recipient) == address)))
    # other people's rows that point at the person's rows keep their data, not the pointer
    for column, ids in ((OutboundMail.attendee_id, attendee_ids),
                        (OutboundMail.source_message_id, message_ids),
                        (Attendee.source_message_id, message_ids)):
        run(update(column.class_).where(column.in_(ids)).values({column.key: None}))
    run(update(Attendee).where(func.lower(Attendee.on_behalf_of) == address)
        .values(on_behalf_of=None))
    report.attendees = run(delete(Attendee).where(Attendee.id.in_(attendee_ids)))
    report.messages = run(delete(InboundMessage).where(InboundMessage.id.in_(message_ids)))
    report.elsewhere = _blank(session, _MENTIONS, _exactly(re.escape(address))) + run(
        delete(LoginAttempt).where(func.lower(LoginAttempt.username) == address))
    for event in seats_freed:  # each freed seat goes as after a cancellation
        promoted = lifecycle.promote_next(session, event) if now < event.starts_at else None
        if promoted is not None:
            queue_notices(session, rt, [promoted], by)
            report.promoted += 1
    return report


def _blank(session: Session, tables, pattern: str) -> int:
    """Replace ``pattern`` by :data:`BLANK` in these columns of all rows; count the rows."""
    text, raw = re.compile(pattern, re.IGNORECASE), re.compile(pattern.encode(), re.IGNORECASE)

    def blank(value):
        if isinstance(value, bytes):
            return raw.sub(BLANK.encode(), value)
        return text.sub(BLANK, value) if isinstance(value, str) else value

    changed = 0
    for model, columns in tables:
        query = select(model.id, *(getattr(model, c) for c in columns))
        hits = [row[0] for row in session.exec(query.execution_options(yield_per=200))
                if any(blank(value) != value for value in row[1:])]
        for row_id in hits:
            row = session.get(model, row_id)
            for column in columns:
                setattr(row, column, blank(getattr(row, column)))
            session.add(row)
        changed += len(hits)
    return changed


def _counter(session: Session):
    """``run(statement)``: execute an UPDATE or DELETE, return the rows it touched."""
    return lambda statement: session.exec(statement).rowcount


def _exactly(pattern: str) -> str:
    """``pattern`` as a whole address: a.jansen@x.nl is not in ma.jansen@x.nl."""
    return rf"(?<![\w.+-]){pattern}(?![\w-]|\.\w)"


def normal(email: str) -> str:
    """An address as the bot compares it."""
    return email.strip().lower()
