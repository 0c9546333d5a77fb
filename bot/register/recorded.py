"""Is a message recorded already? The bot's memory of what it has handled (DESIGN.md §4).

In: a message's :class:`Identity`: where it lives in the mailbox (:class:`Location`: folder,
UIDVALIDITY, UID), its Message-ID and the sha256 of its bytes. Out: the row of the message
recorded before (:func:`find_recorded`), what of a fetched batch is recorded (:class:`Seen`,
one query for the batch), and which UIDs of a folder are (:func:`recorded_uids`).

A message is the same as a recorded one when any of the three matches: the same location (it
was recorded but not yet moved), the same bytes (delivered twice, or a UIDVALIDITY change
renumbered the folder), or the same Message-ID (a copy re-sent with other headers added on the
way). The unique keys on location and sha256 back this up when two workers race.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import or_
from sqlmodel import Session, select

from bot.store.models import InboundMessage, MessageStatus

CHUNK = 500  # identities looked up per query (SQLite allows 32,766 parameters in one)


@dataclass(frozen=True)
class Location:
    """Where a message lives in the mailbox: the IMAP identity of DESIGN.md §4."""

    folder: str
    uidvalidity: int
    uid: int


@dataclass(frozen=True)
class Identity:
    """What makes a message the same as another: its location, Message-ID and content."""

    location: Location
    message_id: str | None
    sha256: str


def sha256_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _same_as(identities: list[Identity]):
    """The SQL condition for rows recorded as any of ``identities`` (the module's rule)."""
    uids: dict[tuple[str, int], set[int]] = {}
    for one in identities:
        uids.setdefault((one.location.folder, one.location.uidvalidity), set()).add(
            one.location.uid)
    message_ids = {one.message_id for one in identities if one.message_id}
    return or_(*[(InboundMessage.folder == folder) & (InboundMessage.uidvalidity == validity)
                 & InboundMessage.uid.in_(numbers)
                 for (folder, validity), numbers in uids.items()],
               InboundMessage.sha256.in_({one.sha256 for one in identities}),
               *([InboundMessage.message_id.in_(message_ids)] if message_ids else []))


def find_recorded(session: Session, identity: Identity) -> InboundMessage | None:
    """The row of a message recorded before as ``identity``, if any."""
    return session.exec(select(InboundMessage).where(_same_as([identity]))).first()


@dataclass
class Seen:
    """What a batch's transaction knows to be recorded, looked up for the whole batch at once
    (:meth:`of`) and added to as the batch's messages are recorded or quarantined, so that the
    second copy of a message within one batch is found too."""

    locations: set[Location] = field(default_factory=set)
    message_ids: set[str] = field(default_factory=set)
    shas: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, session: Session, identities: list[Identity]) -> Seen:
        seen = cls()
        for start in range(0, len(identities), CHUNK):
            for folder, validity, uid, message_id, sha in session.exec(select(
                    InboundMessage.folder, InboundMessage.uidvalidity, InboundMessage.uid,
                    InboundMessage.message_id, InboundMessage.sha256)
                    .where(_same_as(identities[start:start + CHUNK]))):
                seen.add(Identity(Location(folder, validity, uid), message_id, sha))
        return seen

    def has(self, identity: Identity) -> bool:
        return (identity.location in self.locations or identity.sha256 in self.shas
                or (identity.message_id is not None and identity.message_id in self.message_ids))

    def add(self, identity: Identity) -> None:
        self.locations.add(identity.location)
        self.shas.add(identity.sha256)
        if identity.message_id:
            self.message_ids.add(identity.message_id)


def recorded_uids(session: Session, folder: str, uidvalidity: int, uids: Iterable[int]
                  ) -> dict[int, MessageStatus]:
    """Which of ``uids`` are already recorded (handled, perhaps not yet moved), with status."""
    found: dict[int, MessageStatus] = {}
    uids = list(uids)
    for start in range(0, len(uids), CHUNK):
        rows = session.exec(select(InboundMessage.uid, InboundMessage.status).where(
            InboundMessage.folder == folder, InboundMessage.uidvalidity == uidvalidity,
            InboundMessage.uid.in_(uids[start:start + CHUNK])))
        found.update(dict(rows.all()))
    return found
